//! The policy as data (issue 15): the administrator reads the lifecycle numbers and escalation
//! rules in force and every version of them, and saves a new version, in force now or from a
//! future moment. The domain checks it (`domain::check_policy_set`): a value out of its range or
//! a rule that would loop is refused with 422 naming the field, and nothing is saved. A new
//! version never moves a deadline already given to a complaint.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::categories::DeadlineUnit;
use crate::auth::Admin;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// How far in the past a requested `effective_from` may be (clock skew of the caller).
const SKEW_SECONDS: i64 = 60;

/// A deadline of the policy.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"unit": "working_days", "value": 2}))]
pub struct PolicyDeadline {
    pub unit: DeadlineUnit,
    #[schema(minimum = 1, maximum = 2160)]
    pub value: u32,
}

impl PolicyDeadline {
    fn to_domain(self) -> domain::Deadline {
        match self.unit {
            DeadlineUnit::Hours => domain::Deadline::Hours(self.value),
            DeadlineUnit::WorkingDays => domain::Deadline::WorkingDays(self.value),
            DeadlineUnit::CalendarDays => domain::Deadline::CalendarDays(self.value),
        }
    }

    fn from_domain(d: domain::Deadline) -> Self {
        let (unit, value) = match d {
            // The policy's deadlines are set here in hours or days; a deadline in minutes (a
            // legal clock's) shows as the whole hours it takes, rounded up.
            domain::Deadline::Minutes(v) => (DeadlineUnit::Hours, v.div_ceil(60)),
            domain::Deadline::Hours(v) => (DeadlineUnit::Hours, v),
            domain::Deadline::WorkingDays(v) => (DeadlineUnit::WorkingDays, v),
            domain::Deadline::CalendarDays(v) => (DeadlineUnit::CalendarDays, v),
        };
        PolicyDeadline { unit, value }
    }
}

/// The lifecycle numbers. Ranges (checked by the server): verification up to 720 h / 30
/// working / 45 calendar days; routing 240 h / 10 / 14; inspection 2160 h / 60 / 90; the 59-ФЗ
/// answer 720 h / 20 / 30; reply wait 168 h / 5 / 7.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyDto {
    /// Unanswered verification calls after which the complaint closes unconfirmed.
    #[schema(minimum = 1, maximum = 10)]
    pub max_unanswered_calls: u32,
    /// Repeat rounds get this fraction of the category's deadline.
    #[schema(exclusive_minimum = 0, maximum = 1)]
    pub repeat_round_fraction: f64,
    pub verification: PolicyDeadline,
    pub routing: PolicyDeadline,
    pub inspection: PolicyDeadline,
    /// The city's answer (59-ФЗ ст. 12: at most 30 days).
    pub answer_deadline: PolicyDeadline,
    /// From this round an unsatisfactory result goes to the inspection.
    #[schema(minimum = 2, maximum = 10)]
    pub escalate_at_round: u32,
    /// Complaints a company must have received before its rates are published.
    #[schema(minimum = 1, maximum = 1000)]
    pub scorecard_min_volume: u32,
    /// How long to wait for an SMS reply after the last unanswered call; `null`: close at once.
    pub reply_wait: Option<PolicyDeadline>,
}

impl PolicyDto {
    fn to_domain(&self) -> domain::Policy {
        domain::Policy {
            max_unanswered_calls: self.max_unanswered_calls,
            repeat_round_fraction: self.repeat_round_fraction,
            verification: self.verification.to_domain(),
            routing: self.routing.to_domain(),
            inspection: self.inspection.to_domain(),
            answer_deadline: self.answer_deadline.to_domain(),
            escalate_at_round: self.escalate_at_round,
            scorecard_min_volume: self.scorecard_min_volume,
            reply_wait: self.reply_wait.map(PolicyDeadline::to_domain),
        }
    }

    fn from_domain(p: &domain::Policy) -> Self {
        PolicyDto {
            max_unanswered_calls: p.max_unanswered_calls,
            repeat_round_fraction: p.repeat_round_fraction,
            verification: PolicyDeadline::from_domain(p.verification),
            routing: PolicyDeadline::from_domain(p.routing),
            inspection: PolicyDeadline::from_domain(p.inspection),
            answer_deadline: PolicyDeadline::from_domain(p.answer_deadline),
            escalate_at_round: p.escalate_at_round,
            scorecard_min_volume: p.scorecard_min_volume,
            reply_wait: p.reply_wait.map(PolicyDeadline::from_domain),
        }
    }
}

/// What a rule does.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleEffectDto {
    /// `send_to_inspection`, `notify` or `close_unconfirmed`.
    #[serde(rename = "type")]
    #[schema(example = "notify", max_length = 64)]
    pub kind: String,
    /// For `notify`: `dispatcher`, `inspector` or `admin`.
    #[schema(example = "dispatcher", max_length = 64)]
    pub role: Option<String>,
}

/// An escalation rule: all its conditions must hold (at least one is needed).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "code": "answer_deadline_near",
    "statuses": [],
    "answer_due_within_hours": 72,
    "effect": {"type": "notify", "role": "dispatcher"}
}))]
pub struct RuleDto {
    /// Unique in the policy: a-z, 0-9 and `_`.
    #[schema(max_length = 64)]
    pub code: String,
    /// Open statuses the rule watches; empty: every open status (only for `notify`).
    #[serde(default)]
    #[schema(max_items = 16)]
    pub statuses: Vec<String>,
    #[schema(minimum = 1, maximum = 20)]
    pub min_round: Option<u32>,
    /// Hours past the stage deadline (0: overdue at all).
    #[schema(minimum = 0, maximum = 8760)]
    pub overdue_for_hours: Option<u32>,
    /// Hours before the 59-ФЗ answer deadline (or past it).
    #[schema(minimum = 0, maximum = 2160)]
    pub answer_due_within_hours: Option<u32>,
    #[schema(minimum = 1, maximum = 10)]
    pub min_unanswered_calls: Option<u32>,
    pub effect: RuleEffectDto,
}

impl RuleDto {
    fn to_draft(&self) -> domain::RuleDraft {
        domain::RuleDraft {
            code: self.code.clone(),
            statuses: self.statuses.clone(),
            min_round: self.min_round,
            overdue_for_hours: self.overdue_for_hours,
            answer_due_within_hours: self.answer_due_within_hours,
            min_unanswered_calls: self.min_unanswered_calls,
            effect: self.effect.kind.clone(),
            role: self.effect.role.clone(),
        }
    }

    fn from_rule(rule: &domain::EscalationRule) -> Self {
        let d = domain::RuleDraft::from_rule(rule);
        RuleDto {
            code: d.code,
            statuses: d.statuses,
            min_round: d.min_round,
            overdue_for_hours: d.overdue_for_hours,
            answer_due_within_hours: d.answer_due_within_hours,
            min_unanswered_calls: d.min_unanswered_calls,
            effect: RuleEffectDto {
                kind: d.effect,
                role: d.role,
            },
        }
    }
}

/// One stored version.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyVersionDto {
    pub version: i32,
    pub effective_from: DateTime<Utc>,
    /// Who saved it; `null` for version 1, the compiled defaults.
    pub editor_id: Option<Uuid>,
    pub editor_login: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Whether this is the version in force now.
    pub in_force: bool,
    pub policy: PolicyDto,
    pub rules: Vec<RuleDto>,
}

/// The version in force and every version, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyOverview {
    pub current: PolicyVersionDto,
    pub versions: Vec<PolicyVersionDto>,
}

/// A new version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePolicyVersion {
    /// When it takes effect; absent: now. A moment in the past is refused.
    pub effective_from: Option<DateTime<Utc>>,
    pub policy: PolicyDto,
    #[schema(max_items = 50)]
    pub rules: Vec<RuleDto>,
}

fn version_dto(v: &persistence::policy::PolicyVersion, in_force: Option<i32>) -> PolicyVersionDto {
    PolicyVersionDto {
        version: v.version,
        effective_from: v.effective_from,
        editor_id: v.editor_id,
        editor_login: v.editor_login.clone(),
        created_at: v.created_at,
        in_force: in_force == Some(v.version),
        policy: PolicyDto::from_domain(&v.set.policy),
        rules: v.set.rules.iter().map(RuleDto::from_rule).collect(),
    }
}

async fn overview(state: &AppState) -> Result<PolicyOverview, ApiError> {
    let now = Utc::now();
    let versions = state.policy.versions(&state.db).await?;
    let current = persistence::policy::in_force(&versions, now)
        .ok_or_else(|| ApiError::internal("no policy version in force"))?;
    Ok(PolicyOverview {
        current: version_dto(current, Some(current.version)),
        versions: versions
            .iter()
            .rev()
            .map(|v| version_dto(v, Some(current.version)))
            .collect(),
    })
}

/// The policy in force and its history of versions.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The policy in force and every version", body = PolicyOverview),
        (status = 401, description = "Not signed in (`unauthorized`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/policy")]
pub async fn get_policy(
    state: web::Data<AppState>,
    _caller: Admin,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(overview(&state).await?))
}

/// Saves a new version of the policy, in force now or from a future moment; written to the
/// audit log. Complaints keep the deadlines they were given.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreatePolicyVersion,
    responses(
        (status = 201, description = "Saved; the policy in force and every version", body = PolicyOverview),
        (status = 400, description = "A malformed body (`bad_request`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthorized`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another version was saved at the same moment (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A value out of range, a malformed or looping rule, or a moment in the past (`validation_failed`, naming each field, e.g. `rules[2].statuses`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/policy/versions")]
pub async fn create_policy_version(
    state: web::Data<AppState>,
    caller: Admin,
    body: crate::dto::JsonObject<CreatePolicyVersion>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let now = Utc::now();
    let effective_from = match body.effective_from {
        Some(at) if at < now - Duration::seconds(SKEW_SECONDS) => {
            return Err(ApiError::field(
                "effective_from",
                "a version cannot take effect in the past",
            ));
        }
        Some(at) => at.max(now),
        None => now,
    };
    let drafts: Vec<domain::RuleDraft> = body.rules.iter().map(RuleDto::to_draft).collect();
    let set =
        domain::check_policy_set(body.policy.to_domain(), &drafts).map_err(ApiError::validation)?;
    let editor = persistence::users::find_by_id(&state.db, caller.id())
        .await?
        .ok_or_else(ApiError::not_found)?;
    persistence::policy::create(
        &state.db,
        &set,
        effective_from,
        (editor.id, editor.login),
        now,
    )
    .await?;
    Ok(HttpResponse::Created().json(overview(&state).await?))
}
