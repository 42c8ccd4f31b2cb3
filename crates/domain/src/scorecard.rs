//! Accountability figures per management company, computed purely from complaints and events.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::complaint::is_overdue;
use crate::{CallOutcome, Complaint, Event, EventDetails, Status};

/// The public figures of one management company.
///
/// Counts are always published. Rates (`*_pct`, 0–100, one decimal) are `None` when the company
/// received fewer than `min_volume` complaints (too few to be fair) or when there is nothing to
/// divide by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyScore {
    pub company_id: Uuid,
    /// Whether `received >= min_volume`, i.e. whether rates are published.
    pub published: bool,
    /// Complaints routed to the company (at registration or by reroute).
    pub received: u32,
    /// Open complaints routed to it now.
    pub open: u32,
    /// Complaints routed to it now and closed (confirmed or unconfirmed).
    pub closed: u32,
    /// Open complaints now past their execution deadline while the company holds them.
    pub overdue: u32,
    /// Results reported done.
    pub reports: u32,
    /// Results reported after the execution deadline.
    pub late_reports: u32,
    /// Share of reports made on time.
    pub on_time_pct: Option<f64>,
    /// Complaints that went to a second or later round (or got an order) with this company.
    pub reopened: u32,
    /// `reopened / received`.
    pub reopened_pct: Option<f64>,
    /// Verification outcomes (calls answered and residents' answers in the app).
    pub verified: u32,
    /// Share of verification outcomes that were "satisfied".
    pub satisfied_pct: Option<f64>,
    /// Times a complaint of the company went to the housing inspection.
    pub inspections: u32,
    /// Orders (предписания) issued to the company.
    pub orders: u32,
    /// Fines recorded.
    pub fines: u32,
    pub fines_total_rub: u64,
}

#[derive(Default)]
struct Tally {
    received: u32,
    open: u32,
    closed: u32,
    overdue: u32,
    reports: u32,
    late_reports: u32,
    reopened: BTreeSet<Uuid>,
    verified: u32,
    satisfied: u32,
    inspections: u32,
    orders: u32,
    fines: u32,
    fines_total_rub: u64,
}

fn pct(part: u32, whole: u32, published: bool) -> Option<f64> {
    if !published || whole == 0 {
        return None;
    }
    let value = f64::from(part) * 100.0 / f64::from(whole);
    Some((value * 10.0).round() / 10.0)
}

/// Computes the scorecard of every company that appears in `complaints` or `events`, ordered by
/// company id. Events are attributed by their `company_id`. `now` decides what is overdue.
pub fn scorecard(
    complaints: &[Complaint],
    events: &[Event],
    now: DateTime<Utc>,
    min_volume: u32,
) -> Vec<CompanyScore> {
    let mut builder = ScorecardBuilder::new(now, min_volume);
    complaints.iter().for_each(|c| builder.add_complaint(c));
    events.iter().for_each(|e| builder.add_event(e));
    builder.finish()
}

/// The scorecard fed one complaint and one event at a time, so that a city's whole history can be
/// streamed through it in pages with bounded memory. Each complaint and each event must be added
/// exactly once, in any order; [`scorecard`] is this over two slices.
pub struct ScorecardBuilder {
    tallies: BTreeMap<Uuid, Tally>,
    now: DateTime<Utc>,
    min_volume: u32,
}

impl ScorecardBuilder {
    pub fn new(now: DateTime<Utc>, min_volume: u32) -> Self {
        ScorecardBuilder {
            tallies: BTreeMap::new(),
            now,
            min_volume,
        }
    }

    pub fn add_complaint(&mut self, c: &Complaint) {
        let now = self.now;
        let Some(company) = c.company_id else {
            return;
        };
        let t = self.tallies.entry(company).or_default();
        match c.status {
            Status::Registered | Status::InProgress => {
                t.open += 1;
                if is_overdue(c, now) {
                    t.overdue += 1;
                }
            }
            Status::AwaitingVerification | Status::NeedsRouting | Status::UnderInspection => {
                t.open += 1;
            }
            Status::Closed | Status::ClosedUnconfirmed => t.closed += 1,
            Status::Withdrawn | Status::Rejected => {}
        }
    }

    pub fn add_event(&mut self, e: &Event) {
        let Some(company) = e.company_id else {
            return;
        };
        let t = self.tallies.entry(company).or_default();
        let new_round = e.to == Status::InProgress && e.from != Some(Status::InProgress);
        match &e.details {
            EventDetails::Registered { .. } | EventDetails::Reroute { .. } => t.received += 1,
            EventDetails::ReportDone { on_time, .. } => {
                t.reports += 1;
                if !on_time {
                    t.late_reports += 1;
                }
            }
            EventDetails::RecordCall { outcome, .. } => {
                match outcome {
                    CallOutcome::Satisfied => {
                        t.verified += 1;
                        t.satisfied += 1;
                    }
                    CallOutcome::Unsatisfied | CallOutcome::NotDone => t.verified += 1,
                    CallOutcome::NoAnswer => {}
                }
                if new_round {
                    t.reopened.insert(e.complaint_id);
                }
            }
            EventDetails::ResidentAnswer { satisfied, .. } => {
                t.verified += 1;
                if *satisfied {
                    t.satisfied += 1;
                }
                if new_round {
                    t.reopened.insert(e.complaint_id);
                }
            }
            EventDetails::IssueOrder { .. } => {
                t.orders += 1;
                t.reopened.insert(e.complaint_id);
            }
            EventDetails::RecordFine { amount_rub, .. } => {
                t.fines += 1;
                t.fines_total_rub = t.fines_total_rub.saturating_add(*amount_rub);
            }
            EventDetails::Accept {}
            | EventDetails::AssignExecutor { .. }
            | EventDetails::NotOurBuilding { .. }
            | EventDetails::SendToInspection {}
            | EventDetails::Reject { .. }
            | EventDetails::Withdraw {}
            | EventDetails::RecordFindings { .. }
            | EventDetails::CheckCompliance { .. }
            | EventDetails::PauseClock {}
            | EventDetails::ResumeClock { .. }
            | EventDetails::ExtendAnswer { .. }
            | EventDetails::Recategorise { .. } => {}
        }
        if e.to == Status::UnderInspection && e.from != Some(Status::UnderInspection) {
            t.inspections += 1;
        }
    }

    pub fn finish(self) -> Vec<CompanyScore> {
        let min_volume = self.min_volume;
        self.tallies
            .into_iter()
            .map(|(company_id, t)| {
                let counts = CompanyCounts {
                    received: t.received,
                    open: t.open,
                    closed: t.closed,
                    overdue: t.overdue,
                    reports: t.reports,
                    late_reports: t.late_reports,
                    reopened: u32::try_from(t.reopened.len()).unwrap_or(u32::MAX),
                    verified: t.verified,
                    satisfied: t.satisfied,
                    inspections: t.inspections,
                    orders: t.orders,
                    fines: t.fines,
                    fines_total_rub: t.fines_total_rub,
                };
                score(company_id, &counts, min_volume)
            })
            .collect()
    }
}

/// The raw figures of one company, as [`ScorecardBuilder`] tallies them or as counters kept by
/// the database give them; [`score`] turns them into the published record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyCounts {
    pub received: u32,
    pub open: u32,
    pub closed: u32,
    pub overdue: u32,
    pub reports: u32,
    pub late_reports: u32,
    /// Distinct complaints reopened with the company.
    pub reopened: u32,
    pub verified: u32,
    pub satisfied: u32,
    pub inspections: u32,
    pub orders: u32,
    pub fines: u32,
    pub fines_total_rub: u64,
}

/// The published record of one company from its raw figures: rates only from `min_volume`
/// complaints received.
pub fn score(company_id: Uuid, t: &CompanyCounts, min_volume: u32) -> CompanyScore {
    let published = t.received >= min_volume;
    CompanyScore {
        company_id,
        published,
        received: t.received,
        open: t.open,
        closed: t.closed,
        overdue: t.overdue,
        reports: t.reports,
        late_reports: t.late_reports,
        on_time_pct: pct(
            t.reports.saturating_sub(t.late_reports),
            t.reports,
            published,
        ),
        reopened: t.reopened,
        reopened_pct: pct(t.reopened, t.received, published),
        verified: t.verified,
        satisfied_pct: pct(t.satisfied, t.verified, published),
        inspections: t.inspections,
        orders: t.orders,
        fines: t.fines,
        fines_total_rub: t.fines_total_rub,
    }
}
