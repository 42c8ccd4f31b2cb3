//! Duplicates (issue 16): open complaints like the one being typed in, joining (following) one
//! instead of filing another, and a complaint's links — its original, its duplicates, its
//! followers. The rules are `domain::rank_similar`, `domain::follow` and `domain::check_link`.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use persistence::complaints::duplicates::{self as store, FollowerRecord, NewFollower};
use persistence::complaints::{ComplaintRecord, ListQuery, UnitOfWork};

use super::load_visible;
use crate::auth::Caller;
use crate::dto::Consent;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

/// How many open complaints of one building are compared with what is typed.
const CANDIDATES: u64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SimilarParams {
    pub building_id: Uuid,
    pub category_id: Option<Uuid>,
    /// What is typed so far.
    #[param(max_length = 4000)]
    pub text: Option<String>,
    /// At most 1 to 5 (default 5).
    #[param(minimum = 1, maximum = 5)]
    pub limit: Option<u64>,
}

/// An open complaint like the one being typed in: nothing personal, no free text.
#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarComplaint {
    pub id: Uuid,
    #[schema(example = "СУР-2026-000120")]
    pub number: String,
    pub category_id: Uuid,
    pub category_name_ru: String,
    pub category_name_en: String,
    pub status: domain::Status,
    /// The day it was filed (the start of the day in Surgut, as the public list shows it).
    pub filed_on: DateTime<Utc>,
    /// Higher is more alike.
    pub score: u32,
}

/// Open complaints of the same building with the same category or similar words, best first:
/// shown while a complaint is typed in, so that a person can join one instead of filing another.
/// Complaints about one flat are never suggested; no name, phone or description is shown.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:file"])),
    params(SimilarParams),
    responses(
        (status = 200, body = Vec<SimilarComplaint>),
        (status = 400, description = "Bad query (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only residents, clerks and dispatchers", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints/similar")]
pub async fn similar_complaints(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<SimilarParams>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor;
    domain::may_suggest(&actor)?;
    actor.require_acting_scope()?;
    let params = params.into_inner();
    let limit = params.limit.unwrap_or(5);
    if !(1..=5).contains(&limit) {
        return Err(bad_query("limit must be 1 to 5"));
    }
    let text = params.text.unwrap_or_default();
    if text.chars().count() > 4000 {
        return Err(bad_query("text must be at most 4000 characters"));
    }
    let now = Utc::now();
    let open = persistence::complaints::list(
        &state.db,
        &ListQuery {
            statuses: domain::Status::all().filter(|s| s.is_open()).collect(),
            building_id: Some(params.building_id),
            public_only: true,
            include_test: true,
            limit: CANDIDATES,
            ..ListQuery::new(domain::ComplaintScope::All, now)
        },
    )
    .await?
    .items;
    let candidates: Vec<domain::Candidate<'_>> = open
        .iter()
        .map(|r| domain::Candidate {
            id: r.complaint.id,
            category_id: r.complaint.category.id,
            text: &r.description,
            registered_at: r.complaint.registered_at,
            open: r.complaint.is_open(),
            public: domain::category_is_public(r.category_identifies_occupant),
        })
        .collect();
    let ranked = domain::rank_similar(
        &candidates,
        params.category_id,
        &text,
        usize::try_from(limit).unwrap_or(domain::MAX_SUGGESTIONS),
    );
    let found: Vec<SimilarComplaint> = ranked
        .iter()
        .filter_map(|s| {
            let r = open.iter().find(|r| r.complaint.id == s.id)?;
            Some(SimilarComplaint {
                id: r.complaint.id,
                number: r.number.clone(),
                category_id: r.complaint.category.id,
                category_name_ru: r.category_name_ru.clone(),
                category_name_en: r.category_name_en.clone(),
                status: r.complaint.status,
                filed_on: domain::public_time(r.complaint.registered_at),
                score: s.score,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(found))
}

fn bad_query(detail: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, detail.to_owned())
}

/// A resident joins for themself (an empty body); a clerk names the person's phone and their
/// consent to be told by SMS.
#[derive(Debug, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "+7 922 123-45-67", "consent": {"accepted": true, "version": "2026-01"}}))]
pub struct FollowRequest {
    #[validate(length(min = 5, max = 32, message = "must be 5 to 32 characters"))]
    #[schema(min_length = 5, max_length = 32)]
    pub phone: Option<String>,
    #[validate(nested)]
    pub consent: Option<Consent>,
}

/// The complaint joined.
#[derive(Debug, Serialize, ToSchema)]
pub struct Followed {
    pub complaint_id: Uuid,
    #[schema(example = "СУР-2026-000120")]
    pub number: String,
    /// `false` when this person already followed it (joining twice is one follow).
    pub joined: bool,
    pub followers_count: u64,
}

/// Joins an open complaint instead of filing another: the person follows it and is told of its
/// progress and when it closes (in the app; by SMS for a person a clerk joins by phone). Joins
/// count towards the daily filing limit.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:file"])),
    params(("id" = Uuid, Path)),
    request_body = FollowRequest,
    responses(
        (status = 200, body = Followed),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only residents and clerks join", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such open public complaint", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Closed (`complaint_closed`), or the caller's own (`action_not_possible`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Daily limit (`daily_limit_reached`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/complaints/{id}/followers")]
pub async fn follow_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: crate::dto::JsonObject<FollowRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor;
    let body = body.into_inner();
    body.validate()?;
    let person = match (&body.phone, &body.consent) {
        (Some(phone), Some(consent)) => Some(domain::FollowerPerson {
            phone: domain::PhoneNumber::parse(phone).map_err(|e| e.for_field("phone"))?,
            consent: consent.given(),
        }),
        (Some(_), None) => {
            return Err(ApiError::field(
                "consent",
                "the person's consent is required",
            ));
        }
        (None, Some(_)) => return Err(ApiError::field("phone", "the person's phone is required")),
        (None, None) => None,
    };
    let now = Utc::now();
    let record = persistence::complaints::find(&state.db, *id).await?;
    // Who may never join hears that first; a complaint about one flat is nobody else's.
    let record = match record {
        Some(r) if domain::category_is_public(r.category_identifies_occupant) => r,
        Some(r) if domain::can_view(&r.complaint, &actor) => r,
        _ => {
            if !matches!(actor.role, domain::Role::Resident | domain::Role::Clerk) {
                return Err(domain::DomainError::Forbidden {
                    role: actor.role,
                    operation: "join a complaint",
                }
                .into());
            }
            return Err(ApiError::not_found());
        }
    };
    let since = now - chrono::Duration::hours(24);
    let limit = state.config.filing_limits.for_actor(&actor);
    let quota = |used: u64| match limit {
        Some(limit) => domain::DailyQuota {
            limit,
            used: u32::try_from(used).unwrap_or(u32::MAX),
        },
        None => domain::DailyQuota::UNLIMITED,
    };
    let follower = domain::follow(
        &actor,
        &record.complaint,
        person.clone(),
        quota(store::count_follows_since(&state.db, actor.id(), since).await?),
    )?;
    let uow = persistence::complaints::begin(&state.db).await?;
    domain::follow(
        &actor,
        &record.complaint,
        person,
        quota(uow.count_follows_since(actor.id(), since).await?),
    )?;
    let joined = uow
        .add_follower(&NewFollower {
            complaint_id: record.complaint.id,
            follower: match follower {
                domain::Follower::User(user) => FollowerRecord {
                    user_id: Some(user),
                    phone: None,
                    consent_version: None,
                },
                domain::Follower::Phone { phone, consent } => FollowerRecord {
                    user_id: None,
                    phone: Some(phone.as_str().to_owned()),
                    consent_version: Some(consent.version),
                },
            },
            via: None,
            created_by: actor.id(),
            at: now,
            is_test: record.is_test,
        })
        .await?;
    uow.commit().await?;
    let followers_count = store::followers(&state.db, record.complaint.id)
        .await?
        .len() as u64;
    Ok(HttpResponse::Ok().json(Followed {
        complaint_id: record.complaint.id,
        number: record.number,
        joined,
        followers_count,
    }))
}

/// Another complaint, by its id and number.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintRef {
    pub id: Uuid,
    #[schema(example = "СУР-2026-000120")]
    pub number: String,
}

/// A complaint's duplicate links and how many follow it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicateLinks {
    /// The original this complaint was rejected as a duplicate of.
    pub duplicate_of: Option<ComplaintRef>,
    /// The duplicates linked to this complaint.
    pub linked: Vec<ComplaintRef>,
    /// People who joined it, and the authors of duplicates merged into it.
    pub followers_count: u64,
}

/// The complaint's original (when it is a duplicate), its linked duplicates and its followers'
/// count, for whoever may see the complaint.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = DuplicateLinks),
        (status = 404, description = "No such complaint, or not yours to see", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints/{id}/duplicates")]
pub async fn complaint_duplicates(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let record = load_visible(&state, *id, &caller.actor).await?;
    let id = record.complaint.id;
    let as_ref = |r: store::LinkedRef| ComplaintRef {
        id: r.id,
        number: r.number,
    };
    Ok(HttpResponse::Ok().json(DuplicateLinks {
        duplicate_of: store::original_of(&state.db, id).await?.map(as_ref),
        linked: store::linked_to(&state.db, id)
            .await?
            .into_iter()
            .map(as_ref)
            .collect(),
        followers_count: store::followers(&state.db, id).await?.len() as u64,
    }))
}

/// The original a dispatcher names for a duplicate: its number or its id. Who may not reject
/// hears that first, as for every other action.
pub(super) async fn resolve_original(
    state: &AppState,
    actor: &domain::Actor,
    named: &str,
) -> Result<ComplaintRecord, ApiError> {
    if actor.role != domain::ActionKind::Reject.role() {
        return Err(domain::DomainError::Forbidden {
            role: actor.role,
            operation: domain::ActionKind::Reject.as_str(),
        }
        .into());
    }
    let named = named.trim();
    let found = match Uuid::parse_str(named) {
        Ok(id) => persistence::complaints::find(&state.db, id).await?,
        Err(_) => persistence::complaints::find_by_number(&state.db, named).await?,
    };
    found.ok_or_else(|| ApiError::field("duplicate_of", "no complaint with this number or id"))
}

/// After a duplicate's rejection: the domain checks the link (no cycle, no closed original of
/// another building); the link is recorded and the duplicate's author follows the original, in
/// the rejection's transaction.
pub(super) async fn link(
    state: &AppState,
    uow: &UnitOfWork,
    actor: &domain::Actor,
    duplicate: &ComplaintRecord,
    original: &ComplaintRecord,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let chain = store::chain_from(&state.db, original.complaint.id).await?;
    domain::check_link(
        domain::LinkEnd {
            complaint: &duplicate.complaint,
            building_id: duplicate.building.id,
        },
        domain::LinkEnd {
            complaint: &original.complaint,
            building_id: original.building.id,
        },
        &chain,
    )?;
    uow.link_duplicate(
        duplicate.complaint.id,
        original.complaint.id,
        actor.id(),
        now,
    )
    .await?;
    let author = &duplicate.complaint;
    let follower = match (
        author.author_id,
        &duplicate.applicant_phone,
        &duplicate.consent_version,
    ) {
        (Some(user), _, _) if original.complaint.author_id != Some(user) => Some(FollowerRecord {
            user_id: Some(user),
            phone: None,
            consent_version: None,
        }),
        (None, Some(phone), Some(consent)) => Some(FollowerRecord {
            user_id: None,
            phone: Some(phone.clone()),
            consent_version: Some(consent.clone()),
        }),
        _ => None,
    };
    if let Some(follower) = follower {
        uow.add_follower(&NewFollower {
            complaint_id: original.complaint.id,
            follower,
            via: Some(duplicate.complaint.id),
            created_by: actor.id(),
            at: now,
            is_test: original.is_test,
        })
        .await?;
    }
    Ok(())
}
