//! A complaint's legal clocks as its screen shows them (issue 15), and the per-clock figures of
//! the public scorecard.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// One legal clock of a complaint: which, on what basis, when due, and how it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockDto {
    pub code: domain::ClockKind,
    #[schema(example = "Локализация аварии")]
    pub name_ru: String,
    #[schema(example = "Emergency localised")]
    pub name_en: String,
    #[schema(example = "ПП РФ № 416, п. 13: локализация аварии — не более 30 минут")]
    pub basis: String,
    /// The round it belongs to (a repeat round starts a fix clock of its own).
    #[schema(example = 1)]
    pub round: u32,
    pub started_at: DateTime<Utc>,
    /// Computed when the clock started; moved only by a pause, by the time paused.
    pub due_at: DateTime<Utc>,
    pub state: domain::ClockState,
    pub paused_at: Option<DateTime<Utc>>,
    pub met_at: Option<DateTime<Utc>>,
    pub missed_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
}

impl From<&domain::Clock> for ClockDto {
    fn from(c: &domain::Clock) -> Self {
        ClockDto {
            code: c.kind,
            name_ru: c.kind.name_ru().to_owned(),
            name_en: c.kind.name_en().to_owned(),
            basis: c.basis.clone(),
            round: c.round,
            started_at: c.started_at,
            due_at: c.due_at,
            state: c.state(),
            paused_at: c.paused_at,
            met_at: c.met_at,
            missed_at: c.missed_at,
            stopped_at: c.stopped_at,
        }
    }
}

/// The stored clocks, then the city's 59-ФЗ answer clock (the complaint's own answer deadline).
pub fn clocks_view(
    stored: &[domain::Clock],
    complaint: &domain::Complaint,
    closed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<ClockDto> {
    stored
        .iter()
        .chain(std::iter::once(&domain::city_answer_clock(
            complaint, closed_at, now,
        )))
        .map(ClockDto::from)
        .collect()
}

/// Per company and clock: how many were met on time and how many missed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompanyClockScore {
    pub company_id: Uuid,
    pub clock: domain::ClockKind,
    pub name_ru: String,
    pub name_en: String,
    #[schema(example = 12)]
    pub met_on_time: u64,
    #[schema(example = 3)]
    pub missed: u64,
}

impl CompanyClockScore {
    /// Rows of an unknown clock code are left out (none are stored by this version).
    pub fn from_counts(counts: Vec<persistence::complaints::ClockCount>) -> Vec<Self> {
        counts
            .into_iter()
            .filter_map(|c| {
                let clock = c.code.parse::<domain::ClockKind>().ok()?;
                Some(CompanyClockScore {
                    company_id: c.company_id,
                    clock,
                    name_ru: clock.name_ru().to_owned(),
                    name_en: clock.name_en().to_owned(),
                    met_on_time: u64::try_from(c.met_on_time).unwrap_or(0),
                    missed: u64::try_from(c.missed).unwrap_or(0),
                })
            })
            .collect()
    }
}
