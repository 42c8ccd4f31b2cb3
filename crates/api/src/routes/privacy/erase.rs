//! Withdrawal of consent and erasure: a resident's own account, or a person without an account.

use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use domain::privacy::{ErasureGround, KeptBecause};
use persistence::privacy::{ErasureOutcome, Subject};

use crate::auth::AuthUser;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"ground": "erasure_request", "confirm": "УДАЛИТЬ МОИ ДАННЫЕ"}))]
pub struct EraseMyDataRequest {
    /// `consent_withdrawn` or `erasure_request` (`retention` is the worker's).
    pub ground: ErasureGround,
    /// Exactly `УДАЛИТЬ МОИ ДАННЫЕ`.
    #[schema(example = "УДАЛИТЬ МОИ ДАННЫЕ", max_length = 100)]
    pub confirm: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "+79221234567", "ground": "consent_withdrawn",
    "reason": "Заявление от 06.12.2026, вх. № 123"}))]
pub struct ErasePersonRequest {
    /// The phone the person gave when a clerk filed for them.
    #[schema(example = "+79221234567", max_length = 32)]
    pub phone: String,
    /// `consent_withdrawn` or `erasure_request`.
    pub ground: ErasureGround,
    /// Why (the person's written request and its number): kept in the audit log.
    #[schema(min_length = 3, max_length = 500)]
    pub reason: String,
}

/// A complaint whose personal data was erased.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasedComplaintDto {
    pub id: Uuid,
    pub number: String,
}

/// A complaint whose personal data is kept until it closes.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeptComplaintDto {
    pub id: Uuid,
    pub number: String,
    pub because: KeptBecause,
    /// What is kept and why, in Russian.
    pub explanation: String,
}

/// What an erasure did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureReport {
    /// Complaints whose applicant data, text, comments and attachments are gone; their
    /// number, category, building, dates and outcome stay.
    pub erased: Vec<ErasedComplaintDto>,
    /// Complaints kept until they close (then erased by the worker), and why.
    pub kept: Vec<KeptComplaintDto>,
    pub attachments_deleted: u64,
    /// The account was deactivated and anonymised (a resident's own erasure).
    pub account_anonymised: bool,
    pub message: String,
}

impl From<ErasureOutcome> for ErasureReport {
    fn from(outcome: ErasureOutcome) -> Self {
        let message = format!(
            "Персональные данные удалены из жалоб: {}; сохранены до закрытия: {}. / \
             Personal data erased from {} complaint(s); {} kept until closed.",
            outcome.erased.len(),
            outcome.kept.len(),
            outcome.erased.len(),
            outcome.kept.len()
        );
        Self {
            erased: outcome
                .erased
                .into_iter()
                .map(|c| ErasedComplaintDto {
                    id: c.id,
                    number: c.number,
                })
                .collect(),
            kept: outcome
                .kept
                .into_iter()
                .map(|c| KeptComplaintDto {
                    id: c.id,
                    number: c.number,
                    because: c.because,
                    explanation: c.because.explanation_ru().to_owned(),
                })
                .collect(),
            attachments_deleted: outcome.attachments_deleted,
            account_anonymised: outcome.account_anonymised,
            message,
        }
    }
}

fn personal_ground(ground: ErasureGround) -> Result<ErasureGround, ApiError> {
    match ground {
        ErasureGround::ConsentWithdrawn | ErasureGround::ErasureRequest => Ok(ground),
        ErasureGround::Retention => Err(ApiError::field(
            "ground",
            "must be `consent_withdrawn` or `erasure_request`",
        )),
    }
}

/// A resident withdraws their consent or asks for erasure: the account is deactivated and
/// anonymised at once (this token stops working), and every complaint they filed loses their
/// personal data and free text but keeps its facts. Complaints under the inspection or an
/// order are kept until they close; the answer says which and why.
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    request_body = EraseMyDataRequest,
    responses(
        (status = 200, description = "Erased", body = ErasureReport),
        (status = 403, description = "Not a resident (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The confirmation is wrong or the ground is `retention` (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/me/erasure")]
pub async fn erase_my_data(
    state: web::Data<AppState>,
    user: AuthUser,
    body: crate::dto::JsonObject<EraseMyDataRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    domain::privacy::manage_own_data(&user.actor())?;
    let ground = personal_ground(body.ground)?;
    if !domain::privacy::confirms_erasure(&body.confirm) {
        return Err(ApiError::field(
            "confirm",
            format!(
                "must be exactly «{}»",
                domain::privacy::ERASURE_CONFIRMATION
            ),
        ));
    }
    let outcome = persistence::privacy::erase(
        &state.db,
        &Subject::Account(user.id),
        user.id,
        ground,
        None,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(ErasureReport::from(outcome)))
}

/// A clerk or an administrator erases the data of a person without an account, on their
/// request, with a reason kept in the audit log: every complaint filed for that phone loses the
/// person's name, phone, flat, text, comments and attachments; the facts stay. No complaint
/// for that phone: 404.
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    request_body = ErasePersonRequest,
    responses(
        (status = 200, description = "Erased", body = ErasureReport),
        (status = 404, description = "No complaint was filed for this phone, or the caller is neither a clerk nor an administrator (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad phone, ground or reason (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/persons/erasure")]
pub async fn erase_person_data(
    state: web::Data<AppState>,
    user: AuthUser,
    body: crate::dto::JsonObject<ErasePersonRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    // Someone who may not act for persons learns nothing of them: as for any foreign object.
    domain::privacy::manage_person_data(&user.actor()).map_err(|_| ApiError::not_found())?;
    let ground = personal_ground(body.ground)?;
    let phone = person_phone(&body.phone)?;
    let reason = staff_reason(&body.reason)?;
    let outcome = persistence::privacy::erase(
        &state.db,
        &Subject::Person { phone },
        user.id,
        ground,
        Some(reason),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(ErasureReport::from(outcome)))
}

/// The phone a person without an account is known by, as stored (E.164).
pub(crate) fn person_phone(input: &str) -> Result<String, ApiError> {
    domain::PhoneNumber::parse(input)
        .map(|p| p.as_str().to_owned())
        .map_err(|_| ApiError::field("phone", "must be a Russian mobile number"))
}

/// A staff member's reason for reading or erasing a person's data: 3 to 500 characters.
pub(crate) fn staff_reason(input: &str) -> Result<&str, ApiError> {
    let reason = input.trim();
    let length = reason.chars().count();
    if (3..=500).contains(&length) {
        Ok(reason)
    } else {
        Err(ApiError::field("reason", "must be 3 to 500 characters"))
    }
}
