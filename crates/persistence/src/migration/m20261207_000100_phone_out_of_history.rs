//! The applicant's phone out of the history (152-ФЗ, issue 14): a registration event no longer
//! carries the masked phone of the person a clerk filed for (`personal.applicant_phone`, moved
//! there by migration 000023); the history shows the applicant from the complaint's person
//! (migration 000095) at read time instead.
//!
//! Existing events lose the field here. `personal` is outside the hash chain, so no hash and no
//! checkpoint changes. The append-only triggers are lifted for this rewrite only and stand again
//! before the migration ends: on PostgreSQL the trigger is disabled and enabled around the one
//! `UPDATE` inside the migration's transaction; on SQLite the `UPDATE` trigger is dropped and
//! created again from its own stored text (whatever later migrations made of it), in one batch
//! on one connection. `down` does nothing: the masked
//! phone cannot be put back, and nothing needs it.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The rewrite: `personal` without the field, `NULL` when nothing is left.
const PG_REWRITE: &str = "ALTER TABLE complaint_events DISABLE TRIGGER complaint_events_append_only; \
     UPDATE complaint_events SET personal = NULLIF(personal - 'applicant_phone', '{}'::jsonb) \
     WHERE personal ? 'applicant_phone'; \
     ALTER TABLE complaint_events ENABLE TRIGGER complaint_events_append_only;";

const SQLITE_REWRITE: &str = "UPDATE complaint_events SET personal = \
     CASE WHEN json_remove(personal, '$.applicant_phone') = '{}' THEN NULL \
          ELSE json_remove(personal, '$.applicant_phone') END \
     WHERE json_type(personal, '$.applicant_phone') IS NOT NULL";

/// Lifts the `UPDATE` rule, rewrites and restores the rule, in one batch on one connection.
async fn rewrite(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared(PG_REWRITE).await?;
        }
        backend => {
            let trigger: String = db
                .query_one_raw(Statement::from_string(
                    backend,
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' \
                     AND name = 'complaint_events_no_update'",
                ))
                .await?
                .ok_or_else(|| {
                    DbErr::Migration("complaint_events has no UPDATE trigger".to_owned())
                })?
                .try_get("", "sql")?;
            db.execute_unprepared(&format!(
                "DROP TRIGGER complaint_events_no_update; {SQLITE_REWRITE}; {trigger};"
            ))
            .await?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rewrite(manager).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
