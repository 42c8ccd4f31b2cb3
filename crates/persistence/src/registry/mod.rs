//! The registries: organisations, buildings with the history of their management,
//! categories and the articles of КоАП РФ, one module per aggregate, each with one mapper from its row. Intake and the screens
//! read them; the administrator keeps them. Admin lists are keyset-paginated by id (UUIDv7, so in
//! creation order), and every change writes an `audit_log` row in the same transaction.

mod buildings;
mod categories;
mod directory;
mod fine_articles;
mod management;
mod organisations;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::RepoError;
use crate::users::{Audit, write_audit};

pub use buildings::*;
pub use categories::*;
pub use directory::*;
pub use fine_articles::*;
pub use management::*;
pub use organisations::*;

async fn audit<C: ConnectionTrait>(
    conn: &C,
    actor_id: Uuid,
    action: &'static str,
    subject: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    write_audit(
        conn,
        actor_id,
        Audit {
            actor_id,
            action,
            details: serde_json::json!({}),
        },
        subject,
        now,
    )
    .await
}
