use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::{ComplaintDto, etag, if_match};
use super::idempotency::Idempotency;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

/// One step of the lifecycle. `type` names it; the other fields are its details. Who may send
/// which type, and when, is listed in the complaint's `allowed_actions`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[schema(example = json!({"type": "record_call", "outcome": "unsatisfied", "comment": "Вода еле тёплая"}))]
pub enum TransitionRequest {
    /// Company: take into work.
    #[schema(title = "AcceptTransition")]
    Accept {},
    /// Company: name the executor.
    #[schema(title = "AssignExecutorTransition")]
    AssignExecutor {
        #[schema(max_length = 200)]
        executor: String,
    },
    /// Company: the work is done.
    #[schema(title = "ReportDoneTransition")]
    ReportDone {
        #[schema(max_length = 4000)]
        note: String,
    },
    /// Company: the building is not ours; the dispatcher reroutes.
    #[schema(title = "NotOurBuildingTransition")]
    NotOurBuilding {
        #[schema(max_length = 4000)]
        reason: String,
    },
    /// Dispatcher: route to another management company.
    #[schema(title = "RerouteTransition")]
    Reroute { company_id: Uuid },
    /// Dispatcher: one verification call and its outcome.
    #[schema(title = "RecordCallTransition")]
    RecordCall {
        outcome: domain::CallOutcome,
        #[schema(max_length = 4000)]
        comment: Option<String>,
    },
    /// Resident: satisfied with the result or not.
    #[schema(title = "ResidentAnswerTransition")]
    ResidentAnswer {
        satisfied: bool,
        #[schema(max_length = 4000)]
        comment: Option<String>,
    },
    /// Dispatcher: hand to the housing inspection.
    #[schema(title = "SendToInspectionTransition")]
    SendToInspection {
        #[schema(max_length = 4000)]
        reason: String,
    },
    /// Dispatcher: reject with a reason. A duplicate names its original (`duplicate_of`): the
    /// link is kept in both histories' views and the duplicate's author follows the original.
    #[schema(title = "RejectTransition")]
    Reject {
        reason: domain::RejectReason,
        #[schema(max_length = 4000)]
        comment: String,
        /// The original of a duplicate: its number or its id. Required for `duplicate`.
        #[schema(max_length = 64, example = "СУР-2026-000120")]
        #[serde(default)]
        duplicate_of: Option<String>,
    },
    /// Resident: withdraw an open complaint.
    #[schema(title = "WithdrawTransition")]
    Withdraw {},
    /// Inspector: findings on site.
    #[schema(title = "RecordFindingsTransition")]
    RecordFindings {
        violation: bool,
        #[schema(max_length = 4000)]
        findings: String,
    },
    /// Inspector: an order (предписание) to the company, with its due date.
    #[schema(title = "IssueOrderTransition")]
    IssueOrder {
        due_at: DateTime<Utc>,
        #[schema(max_length = 4000)]
        text: String,
    },
    /// Inspector: whether the order was complied with.
    #[schema(title = "CheckComplianceTransition")]
    CheckCompliance { complied: bool },
    /// Inspector: a fine under an article of КоАП РФ (`GET /api/v1/fine-articles`), for a
    /// violation found on site or an order not complied with; the amount must lie within the
    /// article's range for the offender.
    #[schema(title = "RecordFineTransition")]
    RecordFine {
        #[schema(max_length = 32, example = "19.5 ч.1")]
        article: String,
        offender: domain::Offender,
        #[schema(minimum = 1, maximum = 10_000_000)]
        #[serde(deserialize_with = "crate::dto::whole_number::deserialize")]
        amount_rub: u64,
    },
    /// Company: pause the clock while waiting for the resident (e.g. access to the flat).
    #[schema(title = "PauseClockTransition")]
    PauseClock {
        #[schema(max_length = 4000)]
        reason: String,
    },
    /// Company: resume the clock; the deadline moves by the paused time.
    #[schema(title = "ResumeClockTransition")]
    ResumeClock {},
    /// Dispatcher: extend the 59-ФЗ answer deadline (`answer_due_at`) once, by 1 to 30 days,
    /// with the reason (59-ФЗ ст. 12 ч. 2); the applicant is told by SMS, e-mail and in the app.
    #[schema(title = "ExtendAnswerTransition")]
    ExtendAnswer {
        #[schema(minimum = 1, maximum = 30, example = 30)]
        #[serde(deserialize_with = "crate::dto::whole_number::deserialize")]
        days: u64,
        #[schema(
            max_length = 4000,
            example = "Запрошены сведения у ресурсоснабжающей организации"
        )]
        reason: String,
    },
    /// Dispatcher: correct the category the complaint was filed under (an active category of
    /// `GET /api/v1/categories`, not the current one), with the reason. The status stays; in
    /// execution the deadline is recomputed under the new category from now. The company is told.
    #[schema(title = "RecategoriseTransition")]
    Recategorise {
        category_id: Uuid,
        #[schema(
            min_length = 1,
            max_length = 4000,
            example = "Течёт кровля, а не сантехника в квартире"
        )]
        reason: String,
    },
}

impl TransitionRequest {
    /// The domain's action; a fine's article, a new category and a duplicate's original come
    /// resolved from the registers (`resolved`).
    fn into_action(self, resolved: Resolved) -> Result<domain::Action, ApiError> {
        use domain::Action as A;
        Ok(match self {
            Self::Accept {} => A::Accept,
            Self::AssignExecutor { executor } => A::AssignExecutor { executor },
            Self::ReportDone { note } => A::ReportDone { note },
            Self::NotOurBuilding { reason } => A::NotOurBuilding { reason },
            Self::Reroute { company_id } => A::Reroute { company_id },
            Self::RecordCall { outcome, comment } => A::RecordCall { outcome, comment },
            Self::ResidentAnswer { satisfied, comment } => A::ResidentAnswer { satisfied, comment },
            Self::SendToInspection { reason } => A::SendToInspection { reason },
            Self::Reject {
                reason, comment, ..
            } => A::Reject {
                reason,
                comment,
                duplicate_of: resolved.original,
            },
            Self::Withdraw {} => A::Withdraw,
            Self::RecordFindings {
                violation,
                findings,
            } => A::RecordFindings {
                violation,
                findings,
            },
            Self::IssueOrder { due_at, text } => A::IssueOrder {
                order_id: Uuid::now_v7(),
                due_at,
                text,
            },
            Self::CheckCompliance { complied } => A::CheckCompliance { complied },
            Self::RecordFine {
                article,
                offender,
                amount_rub,
            } => A::RecordFine {
                article: resolved.fine_article.ok_or_else(|| {
                    ApiError::internal(format!("the article {article:?} was not resolved"))
                })?,
                offender,
                amount_rub,
            },
            Self::PauseClock { reason } => A::PauseClock { reason },
            Self::ResumeClock {} => A::ResumeClock,
            Self::ExtendAnswer { days, reason } => A::ExtendAnswer {
                // Out of range either way: the domain names the field.
                days: u32::try_from(days).unwrap_or(u32::MAX),
                reason,
            },
            Self::Recategorise {
                category_id,
                reason,
            } => A::Recategorise {
                category: resolved.category.ok_or_else(|| {
                    ApiError::internal(format!("the category {category_id} was not resolved"))
                })?,
                reason,
            },
        })
    }
}

/// What an action names by id or code, as found in the registers.
#[derive(Default)]
struct Resolved {
    fine_article: Option<domain::FineArticle>,
    category: Option<domain::CategoryChoice>,
    original: Option<Uuid>,
}

/// The category a recategorisation names, as the registry has it: the domain decides what an
/// unknown or retired one means.
async fn category_choice(state: &AppState, id: Uuid) -> Result<domain::CategoryChoice, ApiError> {
    Ok(
        match persistence::registry::category(&state.db, id).await? {
            None => domain::CategoryChoice::Unknown,
            Some(found) if found.is_active => domain::CategoryChoice::Active(found.category),
            Some(found) => domain::CategoryChoice::Inactive(found.category),
        },
    )
}

/// Moves a complaint one step through its lifecycle.
///
/// Send the version you acted on as `If-Match` (the complaint's `ETag`). If someone changed the
/// complaint meanwhile, nothing is written and the answer is 412: reload and decide again. The
/// change, its history event and its notification commit together.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:work", "complaints:verify", "complaints:inspect"])),
    params(
        ("id" = Uuid, Path),
        ("If-Match" = String, Header, description = "The complaint's ETag, e.g. \"3\"", pattern = "^(W/)?\"[0-9]{1,18}\"$"),
        ("Idempotency-Key" = Option<String>, Header, description = "1 to 128 visible ASCII characters; a retry with the same key replays the first answer", max_length = 128, pattern = "^[!-~]{1,128}$")
    ),
    request_body = TransitionRequest,
    responses(
        (status = 200, body = ComplaintDto, headers(("ETag" = String))),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may never do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not possible in the current status (`invalid_transition`, `action_not_possible`; a closed, rejected or withdrawn complaint is not recategorised); a call another dispatcher has taken (`call_taken`), outside the calling hours (`outside_calling_hours`) or an unanswered call too soon after the last (`call_attempt_too_soon`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version (`version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (a recategorisation to an unknown, inactive or the same category names `category_id`; a blank reason names `reason`), or the key was used with another request (`idempotency_key_reused`); a duplicate's original refused (`link_to_itself`, `link_to_closed_elsewhere`, `link_cycle`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match (`if_match_required`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/complaints/{id}/transitions")]
pub async fn transition_complaint(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: crate::dto::JsonObject<TransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor;
    let expected_version = if_match(&req)?;
    let body = body.into_inner();
    let idempotency = Idempotency::of(
        &req,
        &[
            &serde_json::to_vec(&body).unwrap_or_default(),
            &expected_version.to_be_bytes(),
        ],
    )?;
    let now = Utc::now();
    // Read before the transaction: SQLite has one writer, and the read needs a connection of its own.
    let policy = state.policy.policy(&state.db, now).await?;
    let calendar = state.calendar.current(&state.db).await?;
    let uow = persistence::complaints::begin(&state.db).await?;
    if let Some(idempotency) = &idempotency
        && let Some(replay) = idempotency
            .claim(&uow, actor.id(), now, complaint_headers)
            .await?
    {
        return Ok(replay);
    }
    let record = uow
        .find(*id)
        .await?
        .filter(|record| domain::can_view(&record.complaint, &actor))
        .ok_or_else(ApiError::not_found)?;
    if record.complaint.version != expected_version {
        return Err(ApiError::of(ErrorCode::VersionMismatch));
    }
    let fine_article = match &body {
        TransitionRequest::RecordFine { article, .. } => {
            let found =
                persistence::registry::active_fine_article(&state.db, article.trim()).await?;
            // Who may not fine at all hears that first, as for every other action.
            if found.is_none() && actor.role != domain::ActionKind::RecordFine.role() {
                return Err(domain::DomainError::Forbidden {
                    role: actor.role,
                    operation: domain::ActionKind::RecordFine.as_str(),
                }
                .into());
            }
            Some(found.ok_or_else(|| {
                ApiError::field(
                    "article",
                    "not an article of the register (GET /api/v1/fine-articles)",
                )
            })?)
        }
        _ => None,
    };
    let category = match &body {
        TransitionRequest::Recategorise { category_id, .. } => {
            Some(category_choice(&state, *category_id).await?)
        }
        _ => None,
    };
    let original = match &body {
        TransitionRequest::Reject {
            duplicate_of: Some(named),
            ..
        } => Some(super::duplicates::resolve_original(&state, &actor, named).await?),
        _ => None,
    };
    let action = body.into_action(Resolved {
        fine_article,
        category,
        original: original.as_ref().map(|o| o.complaint.id),
    })?;
    if let domain::Action::Reroute { company_id } = &action
        && !persistence::registry::organisation_is(
            &state.db,
            *company_id,
            domain::OrganisationKind::ManagementCompany,
        )
        .await?
    {
        return Err(ApiError::field("company_id", "not a management company"));
    }
    let transition = domain::apply(&record.complaint, &action, &actor, now, &policy, &calendar)?;
    let attempt = match &action {
        domain::Action::RecordCall { outcome, .. } => Some(
            crate::call_desk::guard_attempt(
                &state,
                &uow,
                &actor,
                record.complaint.id,
                *outcome,
                now,
            )
            .await?,
        ),
        _ => None,
    };
    if let Some(original) = &original {
        super::duplicates::link(&state, &uow, &actor, &record, original, now).await?;
    }
    uow.save_transition(&record.complaint, &transition, record.is_test)
        .await?;
    crate::call_desk::after_transition(&uow, &record.complaint, &transition.complaint, attempt)
        .await?;
    let updated = uow
        .find(record.complaint.id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let dto = ComplaintDto::new(updated, &actor, now);
    let json = serde_json::to_string(&dto).map_err(|e| ApiError::internal(e.to_string()))?;
    if let Some(idempotency) = &idempotency {
        idempotency
            .complete(&uow, actor.id(), actix_web::http::StatusCode::OK, &json)
            .await?;
    }
    uow.commit().await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(dto.version)))
        .content_type("application/json")
        .body(json))
}

/// The `ETag` of a complaint answer, for a replay.
pub(super) fn complaint_headers(body: &serde_json::Value) -> Vec<(header::HeaderName, String)> {
    body["version"]
        .as_i64()
        .map(|version| vec![(header::ETAG, etag(version))])
        .unwrap_or_default()
}
