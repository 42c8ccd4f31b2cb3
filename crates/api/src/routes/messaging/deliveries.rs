//! The delivery log: every SMS and e-mail with its state, the gateway's id and receipt, and the
//! counts per day. Recipients are masked (152-ФЗ) and bodies are as stored for display (a PIN or
//! a code masked). Administrators and the city department may read it (`domain::read_deliveries`).

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use persistence::complaints::Cursor;
use persistence::messaging::deliveries::{self, DeliveryFilter, DeliveryRecord};

use crate::auth::AuthUser;
use crate::dto::{CheckedQuery, Page};
use crate::error::{ApiError, Problem};
use crate::routes::admin::paginate;
use crate::routes::complaints::list::{format_cursor, parse_cursor};
use crate::state::AppState;

/// The longest span of days the daily table covers at once.
pub const MAX_DAYS: i64 = 92;

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    pub channel: Option<domain::Channel>,
    pub state: Option<domain::DeliveryState>,
    pub kind: Option<domain::MessageKind>,
    /// Only deliveries created on this day (in the city's time, UTC+5).
    #[param(example = "2026-03-02")]
    pub day: Option<NaiveDate>,
    /// `next_cursor` of the previous page.
    #[param(max_length = 60, pattern = "^-?[0-9]{1,18}_[0-9a-f]{32}$")]
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be 1 to 200"))]
    #[param(minimum = 1, maximum = 200, example = 50)]
    pub limit: Option<u64>,
}

/// One message by one channel to one address.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5b0-7c1e-7d3a-9f00-0000000000d1",
    "complaint_id": "0193a5b0-7c1e-7d3a-9f00-0000000000a1",
    "kind": "receipt",
    "channel": "sms",
    "language": "ru",
    "recipient": "+7 *** ***-45-67",
    "subject": null,
    "text": "Жалоба СУР-2026-000123 принята. PIN ••••••. Статус: https://dispatch.example/status?number=СУР-2026-000123",
    "state": "delivered",
    "attempts": 1,
    "gateway_id": "5f0c1a",
    "segments": 2,
    "receipt_status": "DELIVRD",
    "error": null,
    "created_at": "2026-03-02T07:00:00Z",
    "not_before": "2026-03-02T07:00:00Z",
    "sent_at": "2026-03-02T07:00:01Z",
    "delivered_at": "2026-03-02T07:00:04Z"
}))]
pub struct DeliveryDto {
    pub id: Uuid,
    pub complaint_id: Option<Uuid>,
    pub kind: domain::MessageKind,
    pub channel: domain::Channel,
    pub language: domain::Language,
    /// Masked: `+7 *** ***-12-34`, `i***@mail.ru`.
    pub recipient: String,
    pub subject: Option<String>,
    /// The text as sent, with a PIN or a code masked.
    pub text: String,
    pub state: domain::DeliveryState,
    /// Attempts made to hand it to the gateway.
    pub attempts: u32,
    /// The gateway's message id (SMPP `message_id`, SMTP queue id).
    pub gateway_id: Option<String>,
    /// SMS segments billed.
    pub segments: Option<u32>,
    /// The operator's delivery receipt status (`DELIVRD`, `UNDELIV`, …).
    pub receipt_status: Option<String>,
    /// The last error or the reason it was not sent.
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Not sent before (quiet hours, the next retry).
    pub not_before: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRecord> for DeliveryDto {
    fn from(d: DeliveryRecord) -> Self {
        Self {
            recipient: domain::mask_recipient(d.channel, &d.address),
            id: d.id,
            complaint_id: d.complaint_id,
            kind: d.kind,
            channel: d.channel,
            language: d.language,
            subject: d.subject,
            text: d.shown_body,
            state: d.state,
            attempts: d.attempts,
            gateway_id: d.gateway_id,
            segments: d.segments,
            receipt_status: d.receipt_status,
            error: d.error,
            created_at: d.created_at,
            not_before: d.not_before,
            sent_at: d.sent_at,
            delivered_at: d.delivered_at,
        }
    }
}

fn city_zone() -> FixedOffset {
    FixedOffset::east_opt(domain::SURGUT_UTC_OFFSET_SECONDS).unwrap_or(Utc.fix())
}

/// The instant a day starts in the city.
fn start_of(day: NaiveDate) -> DateTime<Utc> {
    city_zone()
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .map_or_else(
            || day.and_time(NaiveTime::MIN).and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

/// The delivery log, newest first, a page at a time.
#[utoipa::path(
    operation_id = "list_deliveries",
    tag = "messaging",
    security(("bearer" = [])),
    params(DeliveriesQuery),
    responses(
        (status = 200, body = Page<DeliveryDto>),
        (status = 400, description = "Malformed query (`invalid_query`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an administrator nor the city department (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<DeliveriesQuery>,
) -> Result<HttpResponse, ApiError> {
    domain::read_deliveries(&user.actor())?;
    query.checked()?;
    let limit = query.limit.unwrap_or(50);
    let before = query
        .cursor
        .as_deref()
        .map(parse_cursor)
        .transpose()?
        .map(|c| (c.key, c.id));
    let rows = deliveries::list(
        &state.db,
        &DeliveryFilter {
            state: query.state,
            channel: query.channel,
            kind: query.kind,
            complaint_id: None,
            created_from: query.day.map(start_of),
            created_to: query.day.map(|d| start_of(d + Duration::days(1))),
            before,
            limit,
        },
    )
    .await?;
    let (rows, next) = paginate(rows, limit, |d| d.id);
    let next_cursor = next.and_then(|_| rows.last()).map(|d| {
        format_cursor(&Cursor {
            key: d.created_at,
            id: d.id,
        })
    });
    Ok(HttpResponse::Ok().json(Page::new(
        rows.into_iter().map(DeliveryDto::from).collect(),
        next_cursor,
    )))
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DailyQuery {
    /// The first day (city time); default 13 days before `to`, at most 91 days before it.
    #[param(example = "2026-03-01")]
    pub from: Option<NaiveDate>,
    /// The last day, included; default today.
    #[param(example = "2026-03-14")]
    pub to: Option<NaiveDate>,
}

/// One day of one channel.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "day": "2026-03-02", "channel": "sms",
    "pending": 2, "sent": 5, "delivered": 40, "failed": 1, "suppressed": 3, "segments": 61
}))]
pub struct DailyRow {
    pub day: NaiveDate,
    pub channel: domain::Channel,
    /// Waiting: for the morning, a retry or a sender.
    pub pending: u64,
    /// Taken by the gateway, no receipt yet.
    pub sent: u64,
    /// Delivered to the handset (SMS receipt) — e-mail stays `sent`.
    pub delivered: u64,
    pub failed: u64,
    /// Not sent on purpose: "СТОП" or a limit.
    pub suppressed: u64,
    /// SMS segments billed.
    pub segments: u64,
}

/// The daily table, newest day first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DailyDeliveries {
    /// The first day counted (a range longer than 92 days is cut to its last 92).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: Vec<DailyRow>,
}

/// What went out per day and channel: pending, sent, delivered, failed, suppressed and SMS
/// segments, for days in the city's time. At most the 92 days up to `to` at once (the answer's
/// `from` says where it starts); `to` before `from` is an empty table.
#[utoipa::path(
    operation_id = "daily_deliveries",
    tag = "messaging",
    security(("bearer" = [])),
    params(DailyQuery),
    responses(
        (status = 200, body = DailyDeliveries),
        (status = 400, description = "Malformed query (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an administrator nor the city department (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/deliveries/daily")]
pub async fn daily_deliveries(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<DailyQuery>,
) -> Result<HttpResponse, ApiError> {
    domain::read_deliveries(&user.actor())?;
    let today = Utc::now().with_timezone(&city_zone()).date_naive();
    let to = query.to.unwrap_or(today);
    // At most `MAX_DAYS` days, the latest ones: the answer's `from` says where it starts.
    let from = query
        .from
        .unwrap_or(to - Duration::days(13))
        .max(to - Duration::days(MAX_DAYS - 1));
    let counts = if from <= to {
        deliveries::daily_counts(
            &state.db,
            start_of(from),
            start_of(to + Duration::days(1)),
            domain::SURGUT_UTC_OFFSET_SECONDS,
        )
        .await?
    } else {
        Vec::new()
    };
    let days = counts
        .into_iter()
        .map(|c| {
            Ok(DailyRow {
                day: c.day,
                channel: c
                    .channel
                    .parse()
                    .map_err(|_| ApiError::internal(format!("channel {:?}", c.channel)))?,
                pending: c.queued,
                sent: c.sent,
                delivered: c.delivered,
                failed: c.failed,
                suppressed: c.suppressed,
                segments: c.segments,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(HttpResponse::Ok().json(DailyDeliveries { from, to, days }))
}
