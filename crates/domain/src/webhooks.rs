//! Events out to other systems by signed webhooks (the Standard Webhooks specification): which
//! events there are and which of them a change makes, who may keep an organisation's
//! subscriptions, where an endpoint may point, how a failed delivery is retried, and when an
//! endpoint that keeps failing is switched off.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::wire::wire_enum;
use crate::{
    Actor, DomainError, EventKind, OrganisationKind, OutboxMessage, Principal, Role, Scope, Status,
};

/// What a webhook tells: one step of a complaint, or a state it reached.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventType {
    /// A complaint was filed (by a resident, a clerk or a partner system).
    #[serde(rename = "complaint.filed")]
    #[strum(serialize = "complaint.filed")]
    Filed,
    /// A complaint reached a management company: filed for a building with a known company, or
    /// rerouted by the city's dispatcher.
    #[serde(rename = "complaint.routed")]
    #[strum(serialize = "complaint.routed")]
    Routed,
    #[serde(rename = "complaint.accepted")]
    #[strum(serialize = "complaint.accepted")]
    Accepted,
    #[serde(rename = "complaint.executor_assigned")]
    #[strum(serialize = "complaint.executor_assigned")]
    ExecutorAssigned,
    /// The company reported the work done.
    #[serde(rename = "complaint.done")]
    #[strum(serialize = "complaint.done")]
    Done,
    /// The company said the building is not theirs.
    #[serde(rename = "complaint.not_our_building")]
    #[strum(serialize = "complaint.not_our_building")]
    NotOurBuilding,
    /// The city's dispatcher recorded a verification call (any outcome).
    #[serde(rename = "complaint.call_recorded")]
    #[strum(serialize = "complaint.call_recorded")]
    CallRecorded,
    /// The resident answered the verification in the app or by SMS.
    #[serde(rename = "complaint.resident_answered")]
    #[strum(serialize = "complaint.resident_answered")]
    ResidentAnswered,
    /// A new, urgent round of work opened (an unsatisfied resident or an inspection's order).
    #[serde(rename = "complaint.round_opened")]
    #[strum(serialize = "complaint.round_opened")]
    RoundOpened,
    #[serde(rename = "complaint.sent_to_inspection")]
    #[strum(serialize = "complaint.sent_to_inspection")]
    SentToInspection,
    #[serde(rename = "complaint.findings_recorded")]
    #[strum(serialize = "complaint.findings_recorded")]
    FindingsRecorded,
    #[serde(rename = "complaint.order_issued")]
    #[strum(serialize = "complaint.order_issued")]
    OrderIssued,
    #[serde(rename = "complaint.compliance_checked")]
    #[strum(serialize = "complaint.compliance_checked")]
    ComplianceChecked,
    #[serde(rename = "complaint.fine_recorded")]
    #[strum(serialize = "complaint.fine_recorded")]
    FineRecorded,
    #[serde(rename = "complaint.clock_paused")]
    #[strum(serialize = "complaint.clock_paused")]
    ClockPaused,
    #[serde(rename = "complaint.clock_resumed")]
    #[strum(serialize = "complaint.clock_resumed")]
    ClockResumed,
    /// The city extended its 59-ФЗ answer deadline (once, by up to 30 days).
    #[serde(rename = "complaint.answer_extended")]
    #[strum(serialize = "complaint.answer_extended")]
    AnswerExtended,
    /// The city's dispatcher corrected the complaint's category (and with it the deadline).
    #[serde(rename = "complaint.recategorised")]
    #[strum(serialize = "complaint.recategorised")]
    Recategorised,
    /// The complaint was closed: confirmed, or after the resident could not be reached.
    #[serde(rename = "complaint.closed")]
    #[strum(serialize = "complaint.closed")]
    Closed,
    #[serde(rename = "complaint.rejected")]
    #[strum(serialize = "complaint.rejected")]
    Rejected,
    #[serde(rename = "complaint.withdrawn")]
    #[strum(serialize = "complaint.withdrawn")]
    Withdrawn,
    /// A deadline passed and an escalation rule flagged the complaint.
    #[serde(rename = "complaint.overdue")]
    #[strum(serialize = "complaint.overdue")]
    Overdue,
}

wire_enum!(EventType, "webhook event type");

impl EventType {
    /// The events one outbox message makes: the step itself, then the states it reached
    /// (a call that closes a complaint is both `call_recorded` and `closed`).
    pub fn of(message: &OutboxMessage) -> Vec<EventType> {
        let changed = match message {
            OutboxMessage::Changed(changed) => changed,
            OutboxMessage::Flagged(_) => return vec![EventType::Overdue],
        };
        let step = match changed.kind {
            EventKind::Registered => EventType::Filed,
            EventKind::Accept => EventType::Accepted,
            EventKind::AssignExecutor => EventType::ExecutorAssigned,
            EventKind::ReportDone => EventType::Done,
            EventKind::NotOurBuilding => EventType::NotOurBuilding,
            EventKind::Reroute => EventType::Routed,
            EventKind::RecordCall => EventType::CallRecorded,
            EventKind::ResidentAnswer => EventType::ResidentAnswered,
            EventKind::SendToInspection => EventType::SentToInspection,
            EventKind::Reject => EventType::Rejected,
            EventKind::Withdraw => EventType::Withdrawn,
            EventKind::RecordFindings => EventType::FindingsRecorded,
            EventKind::IssueOrder => EventType::OrderIssued,
            EventKind::CheckCompliance => EventType::ComplianceChecked,
            EventKind::RecordFine => EventType::FineRecorded,
            EventKind::PauseClock => EventType::ClockPaused,
            EventKind::ResumeClock => EventType::ClockResumed,
            EventKind::ExtendAnswer => EventType::AnswerExtended,
            EventKind::Recategorise => EventType::Recategorised,
        };
        let mut events = vec![step];
        let reached = |status: Status| changed.to == status && changed.from != Some(status);
        if changed.kind == EventKind::Registered && changed.to == Status::Registered {
            events.push(EventType::Routed);
        }
        let new_round = changed.to == Status::InProgress
            && matches!(
                changed.from,
                Some(Status::AwaitingVerification | Status::UnderInspection)
            );
        if new_round {
            events.push(EventType::RoundOpened);
        }
        if reached(Status::Closed) || reached(Status::ClosedUnconfirmed) {
            events.push(EventType::Closed);
        }
        events
    }

    /// The part after `complaint.`, for message ids.
    pub fn short_name(self) -> &'static str {
        let name = self.as_str();
        name.strip_prefix("complaint.").unwrap_or(name)
    }
}

/// The `webhook-id` of one event of one outbox message: the same on every attempt and every
/// endpoint, so that receivers drop what they have already seen.
pub fn message_id(outbox_id: Uuid, event: EventType) -> String {
    format!("msg_{}_{}", outbox_id.simple(), event.short_name())
}

/// Who may keep `owner`'s webhook subscriptions: an administrator in person (for any
/// organisation), or that organisation's system through a key with [`Scope::Webhooks`].
pub fn manage_webhooks(actor: &Actor, owner: Uuid) -> Result<(), DomainError> {
    const OPERATION: &str = "manage_webhooks";
    match actor.principal {
        Principal::User { .. } if actor.role == Role::Admin => Ok(()),
        Principal::ServiceAccount { .. } => {
            actor.require_scope(Scope::Webhooks)?;
            if actor.organisation_id == Some(owner) {
                Ok(())
            } else {
                Err(DomainError::NotOwner {
                    role: actor.role,
                    operation: OPERATION,
                })
            }
        }
        Principal::User { .. } | Principal::System | Principal::Applicant { .. } => {
            Err(DomainError::Forbidden {
                role: actor.role,
                operation: OPERATION,
            })
        }
    }
}

/// Whose eyes a subscription of an organisation sees through: its system's, reading. It gets
/// events only of complaints that system may read, with personal data masked as for its staff.
pub fn subscriber(service_account: Uuid, owner: Uuid, kind: OrganisationKind) -> Actor {
    Actor::service_account(
        service_account,
        Uuid::nil(),
        owner,
        kind,
        [Scope::ComplaintsRead],
    )
}

/// The longest endpoint URL taken.
pub const MAX_URL_LENGTH: usize = 2000;

/// Where an endpoint may point. Outside demo and test mode: `https` to a public address only,
/// so that nobody makes the service call into its own network (SSRF). In demo and test mode,
/// `http` and private addresses are allowed too, for receivers on the same machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointRules {
    pub allow_private: bool,
}

impl EndpointRules {
    /// Checks an endpoint URL; the error names the field `url`.
    pub fn check(&self, raw: &str) -> Result<url::Url, DomainError> {
        let refuse = |message: &str| DomainError::validation("url", message);
        if raw.len() > MAX_URL_LENGTH {
            return Err(refuse("must be at most 2000 characters"));
        }
        let url = url::Url::parse(raw).map_err(|_| refuse("must be an absolute http(s) URL"))?;
        match url.scheme() {
            "https" => {}
            "http" if self.allow_private => {}
            "http" => return Err(refuse("must use https")),
            _ => return Err(refuse("must be an absolute http(s) URL")),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse("must not carry a user name or password"));
        }
        if url.fragment().is_some() {
            return Err(refuse("must not have a #fragment"));
        }
        let forbidden_host = match url.host() {
            None => return Err(refuse("must name a host")),
            Some(url::Host::Ipv4(ip)) => self.forbids(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => self.forbids(IpAddr::V6(ip)),
            Some(url::Host::Domain(name)) => {
                !self.allow_private && is_local_name(&name.to_ascii_lowercase())
            }
        };
        if forbidden_host {
            return Err(refuse(
                "must point to a public address, not a private, loopback or link-local one",
            ));
        }
        Ok(url)
    }

    /// Whether a request may not go to `ip` (checked again on every address a name resolves to).
    pub fn forbids(&self, ip: IpAddr) -> bool {
        !self.allow_private && !is_public(ip)
    }
}

fn is_local_name(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
        || !host.contains('.')
}

/// Reachable on the public internet: not private, loopback, link-local, shared (CGNAT),
/// documentation, benchmarking, multicast, broadcast or unspecified.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_multicast()
                    || v6.is_unique_local()
                    || v6.is_unicast_link_local()
                    || first == 0x2001 && v6.segments()[1] == 0x0db8
                    || first == 0x0064 && v6.segments()[1] == 0xff9b)
            }
        },
    }
}

/// How a delivery an endpoint did not take is retried: the Standard Webhooks schedule (5 s, 5 min,
/// 30 min, 2 h, 5 h, 10 h, 10 h, about 28 hours in all), each wait stretched or shrunk by up to a
/// fifth so that many failed deliveries do not come back at the same instant.
pub const RETRY_WAITS_SECONDS: [i64; 7] = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];

/// When to try again after the `attempts`-th failed attempt, or `None` when it is given up.
/// `jitter` is a number in `-1.0..=1.0` the caller draws.
pub fn next_attempt(attempts: u32, jitter: f64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let index = usize::try_from(attempts).ok()?.checked_sub(1)?;
    let wait = *RETRY_WAITS_SECONDS.get(index)?;
    let spread = jitter.clamp(-1.0, 1.0) * 0.2;
    // The waits are small whole seconds; the product stays far inside i64.
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    let millis = (wait as f64 * 1000.0 * (1.0 + spread)).round() as i64;
    Some(now + Duration::milliseconds(millis.max(1000)))
}

/// An endpoint that has failed for this long without one success is switched off.
pub const DISABLE_AFTER: Duration = Duration::hours(24);

/// An endpoint's health after one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Health {
    /// Since when it fails without a success in between; `None` while it works.
    pub failing_since: Option<DateTime<Utc>>,
    /// Switch it off now (and tell its owner).
    pub disable: bool,
}

/// What one attempt means for its endpoint: a success clears the failure; a failure starts or
/// continues it, and a failure a day after the first one without a success switches it off.
pub fn health_after(
    failing_since: Option<DateTime<Utc>>,
    succeeded: bool,
    now: DateTime<Utc>,
) -> Health {
    if succeeded {
        return Health {
            failing_since: None,
            disable: false,
        };
    }
    let since = failing_since.unwrap_or(now);
    Health {
        failing_since: Some(since),
        disable: now - since >= DISABLE_AFTER,
    }
}

/// Whether an answer counts as taken: any 2xx.
pub fn accepted(status: u16) -> bool {
    (200..300).contains(&status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Changed, Flagged};

    fn changed(kind: EventKind, from: Option<Status>, to: Status) -> OutboxMessage {
        OutboxMessage::Changed(Changed {
            complaint_id: Uuid::nil(),
            kind,
            from,
            to,
            actor: Principal::System,
            reply_requested: false,
            left_company: None,
        })
    }

    #[test]
    fn a_step_makes_its_event_and_the_states_it_reached() {
        use EventType as E;
        use Status as S;
        let cases = [
            (
                changed(EventKind::Registered, None, S::Registered),
                vec![E::Filed, E::Routed],
            ),
            (
                changed(EventKind::Registered, None, S::NeedsRouting),
                vec![E::Filed],
            ),
            (
                changed(
                    EventKind::RecordCall,
                    Some(S::AwaitingVerification),
                    S::Closed,
                ),
                vec![E::CallRecorded, E::Closed],
            ),
            (
                changed(
                    EventKind::RecordCall,
                    Some(S::AwaitingVerification),
                    S::InProgress,
                ),
                vec![E::CallRecorded, E::RoundOpened],
            ),
            (
                changed(
                    EventKind::RecordCall,
                    Some(S::AwaitingVerification),
                    S::AwaitingVerification,
                ),
                vec![E::CallRecorded],
            ),
            (
                changed(
                    EventKind::IssueOrder,
                    Some(S::UnderInspection),
                    S::InProgress,
                ),
                vec![E::OrderIssued, E::RoundOpened],
            ),
            (
                changed(
                    EventKind::RecordCall,
                    Some(S::AwaitingVerification),
                    S::ClosedUnconfirmed,
                ),
                vec![E::CallRecorded, E::Closed],
            ),
            (
                changed(EventKind::Withdraw, Some(S::InProgress), S::Withdrawn),
                vec![E::Withdrawn],
            ),
            (
                OutboxMessage::Flagged(Flagged {
                    complaint_id: Uuid::nil(),
                    rule: "overdue".into(),
                    notify_role: Role::Dispatcher,
                    reason: crate::FlagReason::Overdue,
                }),
                vec![E::Overdue],
            ),
        ];
        for (message, expected) in cases {
            assert_eq!(EventType::of(&message), expected, "{message:?}");
        }
    }

    #[test]
    fn every_step_kind_has_an_event_and_names_are_stable() {
        for kind in EventKind::all() {
            let events = EventType::of(&changed(kind, None, Status::InProgress));
            assert!(!events.is_empty(), "{kind}");
        }
        for event in EventType::all() {
            assert!(event.as_str().starts_with("complaint."));
            assert_eq!(event.as_str().parse::<EventType>(), Ok(event));
        }
        let id = message_id(Uuid::nil(), EventType::Closed);
        assert_eq!(id, "msg_00000000000000000000000000000000_closed");
    }

    #[test]
    fn an_admin_keeps_anyones_subscriptions_a_key_only_its_own() {
        let org = Uuid::from_u128(1);
        let other = Uuid::from_u128(2);
        let admin = Actor::person(Uuid::from_u128(9), Role::Admin, None);
        assert_eq!(manage_webhooks(&admin, other), Ok(()));
        let key = |scopes: Vec<Scope>| {
            Actor::service_account(
                Uuid::from_u128(7),
                Uuid::from_u128(8),
                org,
                OrganisationKind::ManagementCompany,
                scopes,
            )
        };
        assert_eq!(manage_webhooks(&key(vec![Scope::Webhooks]), org), Ok(()));
        assert!(matches!(
            manage_webhooks(&key(vec![Scope::Webhooks]), other),
            Err(DomainError::NotOwner { .. })
        ));
        assert!(matches!(
            manage_webhooks(&key(vec![Scope::ComplaintsRead]), org),
            Err(DomainError::MissingScope { .. })
        ));
        let staff = Actor::person(Uuid::from_u128(3), Role::Company, Some(org));
        assert!(matches!(
            manage_webhooks(&staff, org),
            Err(DomainError::Forbidden { .. })
        ));
    }

    #[test]
    fn production_endpoints_are_public_https() {
        let rules = EndpointRules {
            allow_private: false,
        };
        assert!(
            rules
                .check("https://crm.uk-sever.ru/hooks/dispatch")
                .is_ok()
        );
        assert!(rules.check("https://203.0.114.5/hook").is_ok());
        for bad in [
            "not a url",
            "ftp://example.org/",
            "http://example.org/hook",
            "https://user:pw@example.org/",
            "https://localhost/hook",
            "https://intranet/hook",
            "https://127.0.0.1/",
            "https://10.1.2.3/",
            "https://192.168.0.10/",
            "https://172.16.5.5/",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/",
            "https://[::1]/",
            "https://[fe80::1]/",
            "https://[fd00::1]/",
            "https://[::ffff:10.0.0.1]/",
            "https://0.0.0.0/",
            "https://example.org/#x",
        ] {
            let error = rules.check(bad).expect_err(bad);
            assert!(
                matches!(&error, DomainError::Validation { field, .. } if field == "url"),
                "{bad}: {error:?}"
            );
        }
        assert!(
            rules
                .check(&format!("https://e.org/{}", "a".repeat(2000)))
                .is_err()
        );
    }

    #[test]
    fn demo_endpoints_may_be_local_http() {
        let rules = EndpointRules {
            allow_private: true,
        };
        assert!(rules.check("http://127.0.0.1:9000/hook").is_ok());
        assert!(rules.check("http://localhost:9000/hook").is_ok());
        assert!(!rules.forbids("10.0.0.1".parse().unwrap()));
        assert!(rules.check("ftp://127.0.0.1/").is_err());
    }

    #[test]
    fn retries_follow_the_schedule_with_bounded_jitter_then_stop() {
        let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(next_attempt(1, 0.0, now), Some(now + Duration::seconds(5)));
        assert_eq!(next_attempt(2, 0.0, now), Some(now + Duration::minutes(5)));
        assert_eq!(next_attempt(2, 1.0, now), Some(now + Duration::minutes(6)));
        assert_eq!(next_attempt(2, -1.0, now), Some(now + Duration::minutes(4)));
        assert_eq!(next_attempt(7, 0.0, now), Some(now + Duration::hours(10)));
        assert_eq!(next_attempt(8, 0.0, now), None);
        assert_eq!(next_attempt(0, 0.0, now), None);
        let total: i64 = RETRY_WAITS_SECONDS.iter().sum();
        assert!((Duration::hours(24)..Duration::hours(30)).contains(&Duration::seconds(total)));
    }

    #[test]
    fn an_endpoint_failing_for_a_day_is_switched_off_and_a_success_heals_it() {
        let start = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        let first = health_after(None, false, start);
        assert_eq!(first.failing_since, Some(start));
        assert!(!first.disable);
        let later = health_after(first.failing_since, false, start + Duration::hours(23));
        assert!(!later.disable);
        let day = health_after(first.failing_since, false, start + Duration::hours(24));
        assert!(day.disable);
        let healed = health_after(first.failing_since, true, start + Duration::hours(23));
        assert_eq!(healed.failing_since, None);
        assert!(accepted(204) && !accepted(301) && !accepted(500));
    }
}
