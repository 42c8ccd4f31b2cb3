//! Complaints: filing, the queues and the board, one complaint with its history, transitions,
//! the audited phone reveal and the public status check by number and PIN.

pub mod attachments;
pub mod clocks;
pub mod create;
pub mod dto;
pub mod duplicates;
pub mod get;
pub mod history_export;
mod history_export_html;
pub mod history_export_pdf;
pub mod history_proof;
pub mod idempotency;
pub mod list;
pub mod lookup;
pub mod reveal_phone;
pub mod sync;
pub mod transition;

use uuid::Uuid;

use persistence::complaints::ComplaintRecord;

use crate::error::ApiError;
use crate::state::AppState;

/// Loads a complaint the actor may see; any other is "not found", so existence never leaks.
pub async fn load_visible(
    state: &AppState,
    id: Uuid,
    actor: &domain::Actor,
) -> Result<ComplaintRecord, ApiError> {
    persistence::complaints::find(&state.db, id)
        .await?
        .filter(|record| domain::can_view(&record.complaint, actor))
        .ok_or(ApiError::not_found())
}
