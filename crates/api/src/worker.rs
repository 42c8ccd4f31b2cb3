//! The background worker: marks complaints past their deadline, evaluates every escalation rule
//! of the policy in force on its own (each at most once per complaint and threshold), and delivers the outbox to notification channels and webhook subscribers. Safe with several replicas on one
//! PostgreSQL: every complaint and every message is claimed by exactly one of them.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::error::ApiError;
use crate::state::AppState;

/// How many items one tick takes at most.
const BATCH: u64 = 100;
/// How many full batches of the outbox one tick reads at most.
const OUTBOX_PASSES: usize = 20;

/// What one tick did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TickReport {
    pub newly_overdue: usize,
    /// Legal clocks marked missed at their due time.
    pub missed_clocks: usize,
    /// Complaints changed by an escalation rule (sent to the inspection, closed unconfirmed).
    pub escalated: usize,
    /// Complaints flagged to a role by an escalation rule.
    pub flagged: usize,
    /// Outbox messages turned into notifications, deliveries and webhook messages.
    pub delivered: usize,
    /// Webhook attempts made by this tick (when no webhook sender runs of its own).
    pub webhook_attempts: usize,
    pub digests: usize,
    pub inbound: crate::messaging::inbound::InboundReport,
    pub sms: crate::messaging::send::SendReport,
    pub email: crate::messaging::send::SendReport,
    /// What the retention schedule erased and deleted.
    pub retention: persistence::retention::RetentionRun,
}

impl TickReport {
    /// Anything worth a log line (the retention pass's time aside).
    pub fn did_something(&self) -> bool {
        let idle = TickReport {
            retention: persistence::retention::RetentionRun {
                at: self.retention.at,
                ..Default::default()
            },
            ..TickReport::default()
        };
        *self != idle
    }
}

/// Runs ticks every `interval` until the process ends. Errors are logged, never fatal.
pub async fn run_forever(state: actix_web::web::Data<AppState>, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let started = std::time::Instant::now();
        let outcome = tick(&state, Utc::now()).await;
        state.metrics.observe_tick(started.elapsed().as_secs_f64());
        match outcome {
            Ok(report) if report.did_something() => tracing::info!(?report, "worker tick"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "worker tick failed"),
        }
    }
}

/// One pass: overdue complaints and escalations first, then the outbox, what the SMS centre sent
/// back, digests, and the messages due (SMS wait out the quiet hours by `now`).
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> Result<TickReport, ApiError> {
    let mut report = TickReport::default();
    let overdue = persistence::worker::claim_newly_overdue(&state.db, now, BATCH).await?;
    report.newly_overdue = overdue.len();
    let missed = persistence::complaints::mark_missed_clocks(&state.db, now, BATCH).await?;
    for (complaint, clock) in &missed {
        tracing::info!(%complaint, %clock, "legal clock missed");
    }
    report.missed_clocks = missed.len();
    let set = state.policy.at(&state.db, now).await?.set;
    for rule in &set.rules {
        let (escalated, flagged) = evaluate(state, rule, &set.policy, now).await?;
        report.escalated += escalated;
        report.flagged += flagged;
    }
    // A backlog (after an outage, or the demo's history) is read in full batches at once rather
    // than a hundred per pass.
    for _ in 0..OUTBOX_PASSES {
        let delivered = read_outbox(state, now).await?;
        report.delivered += delivered;
        if delivered < BATCH as usize {
            break;
        }
    }
    report.inbound = crate::messaging::inbound::process(state, now).await?;
    report.digests = crate::messaging::digests::staff_digests(state, now).await?
        + crate::messaging::digests::morning(state, now).await?;
    report.sms = crate::messaging::send::drain(state, domain::Channel::Sms, now).await?;
    report.email = crate::messaging::send::drain(state, domain::Channel::Email, now).await?;
    if state.config.delivery_interval_ms == 0 {
        report.webhook_attempts = crate::webhooks::send::drain(state, now).await?;
    }
    report.retention =
        persistence::retention::apply(&state.db, &state.config.retention, now, BATCH).await?;
    // Throttle attempts past every window count for nothing; without this they grow for ever.
    persistence::throttle::purge(
        &state.db,
        now - chrono::Duration::seconds(domain::throttle::LONGEST_WINDOW_SECONDS),
    )
    .await?;
    crate::history::checkpoint(state, now).await?;
    Ok(report)
}

/// Turns up to [`BATCH`] outbox messages into notifications, deliveries and webhook messages;
/// returns how many were taken.
async fn read_outbox(state: &AppState, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let mut delivered = 0;
    let claimed =
        persistence::worker::claim_outbox(&state.db, now, chrono::Duration::seconds(60), BATCH)
            .await?;
    let subscribers = if claimed.is_empty() {
        Vec::new()
    } else {
        persistence::webhooks::subscribers(&state.db).await?
    };
    for claimed in claimed {
        let message = match claimed.message {
            Ok(message) => message,
            Err(e) => {
                // Left undelivered, and said so at every attempt: never guessed at.
                tracing::error!(message = %claimed.id, error = %e, "an outbox message does not decode");
                continue;
            }
        };
        let complaint_id = message.complaint_id();
        let fanout = match persistence::complaints::find(&state.db, complaint_id).await? {
            Some(record) => {
                let mut fanout = crate::messaging::compose::fanout(
                    state,
                    &message,
                    &record,
                    claimed.created_at,
                    now,
                )
                .await?;
                fanout.webhooks = crate::webhooks::compose::messages(
                    claimed.id,
                    &message,
                    claimed.created_at,
                    &record,
                    &subscribers,
                    now,
                );
                fanout
            }
            None => persistence::worker::Fanout::default(),
        };
        if persistence::worker::deliver(&state.db, claimed.id, complaint_id, &fanout, now).await? {
            delivered += 1;
        }
    }
    Ok(delivered)
}

/// Evaluates one rule for every open complaint it could match (up to [`BATCH`] per pass, the
/// longest waiting first); each fires at most once per threshold. Returns (escalated, flagged).
async fn evaluate(
    state: &AppState,
    rule: &domain::EscalationRule,
    policy: &domain::Policy,
    now: DateTime<Utc>,
) -> Result<(usize, usize), ApiError> {
    let candidates =
        persistence::complaints::escalation_candidates(&state.db, rule, now, BATCH).await?;
    let snapshots: Vec<domain::Complaint> =
        candidates.iter().map(|r| r.complaint.clone()).collect();
    let (mut escalated, mut flagged) = (0, 0);
    let pending =
        domain::pending_escalations(&snapshots, now, std::slice::from_ref(rule), |_| false);
    for (key, escalation) in pending {
        let Some(record) = candidates
            .iter()
            .find(|r| r.complaint.id == escalation.complaint_id)
        else {
            continue;
        };
        if fire(
            state,
            record,
            &key,
            &escalation,
            rule.flag_reason(),
            policy,
            now,
        )
        .await?
        {
            match escalation.action {
                Some(_) => escalated += 1,
                None => flagged += 1,
            }
        }
    }
    Ok((escalated, flagged))
}

/// Records the firing and applies its effect in one transaction: an automatic action as the
/// system, or a flag to a role. False when the rule had already fired at this threshold (another
/// pass or replica) or the complaint changed meanwhile. An action the lifecycle refuses is
/// recorded as fired without effect, so that it is not tried again at the same threshold.
async fn fire(
    state: &AppState,
    record: &persistence::complaints::ComplaintRecord,
    key: &domain::FiringKey,
    escalation: &domain::Escalation,
    reason: domain::FlagReason,
    policy: &domain::Policy,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let transition = match &escalation.action {
        Some(action) => match domain::apply(
            &record.complaint,
            action,
            &domain::Actor::system(),
            now,
            policy,
            &*state.calendar.current(&state.db).await?,
        ) {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::warn!(complaint = %record.complaint.id, rule = %key.rule, error = %e, "escalation refused by the lifecycle");
                let uow = persistence::complaints::begin(&state.db).await?;
                if uow.record_firing(key, now).await? {
                    uow.commit().await?;
                }
                return Ok(false);
            }
        },
        None => None,
    };
    let uow = persistence::complaints::begin(&state.db).await?;
    if !uow.record_firing(key, now).await? {
        return Ok(false);
    }
    match (transition, &escalation.effect) {
        (Some(transition), _) => {
            match uow
                .save_transition(&record.complaint, &transition, record.is_test)
                .await
            {
                Ok(()) => {}
                Err(persistence::RepoError::Stale) => return Ok(false),
                Err(e) => return Err(e.into()),
            }
        }
        (None, domain::EscalationEffect::Notify { role }) => {
            let flagged = domain::OutboxMessage::Flagged(domain::Flagged {
                complaint_id: record.complaint.id,
                rule: escalation.rule.clone(),
                notify_role: *role,
                reason,
            });
            uow.enqueue(&flagged, now).await?;
        }
        (None, domain::EscalationEffect::SendToInspection)
        | (None, domain::EscalationEffect::CloseUnconfirmed) => return Ok(false),
    }
    uow.commit().await?;
    Ok(true)
}
