//! # Domain: the complaint lifecycle of the virtual housing dispatch centre
//!
//! Pure rules, no I/O: no clock (`now` is always a parameter), no database, no HTTP. The API loads a
//! [`Complaint`] snapshot, calls [`apply`] (or [`register`]) and persists the returned
//! [`Transition`] — the new snapshot with `version + 1` and exactly one [`Event`] — in one
//! transaction guarded by the old version.
//!
//! ## Roles ([`Role`])
//!
//! Every action belongs to exactly one role ([`ActionKind::role`]):
//!
//! | role | may |
//! |---|---|
//! | `resident` | [`register`] for themself; on **own** complaints (`author_id`): `resident_answer`, `withdraw` |
//! | `clerk` | [`register`] on behalf of a person without an account (name, phone); nothing else |
//! | `company` | on complaints routed to **its** company (`company_id == organisation_id`): `accept`, `assign_executor`, `report_done`, `not_our_building`, `pause_clock`, `resume_clock` |
//! | `dispatcher` | on all: `reroute`, `record_call`, `send_to_inspection`, `reject` |
//! | `inspector` | on all: `record_findings`, `issue_order`, `check_compliance`, `record_fine` |
//! | `admin` | registries only; no lifecycle action |
//!
//! Visibility ([`can_view`]): residents see their own, clerks what they filed, companies what is
//! routed to them; dispatchers, inspectors and admins see everything.
//!
//! [`apply`] refuses, in this order: a role that may never do the action ([`DomainError::Forbidden`]),
//! somebody else's complaint ([`DomainError::NotOwner`]), a status that does not allow it
//! ([`DomainError::InvalidTransition`]), bad input ([`DomainError::Validation`]) and other state
//! ([`DomainError::Precondition`]: clock already paused, no order to check, ...).
//!
//! ## Lifecycle ([`Status`], [`kinds_allowed_in`])
//!
//! ```text
//!  register ──► registered ──accept / assign_executor──► in_progress ──report_done──► awaiting_verification
//!  (no company    │   ▲                                    │   ▲                          │
//!   known: ──►    │   │ reroute (dispatcher,               │   │ second round:            ├─ record_call satisfied ─────► closed
//!   needs_routing)│   │ fresh deadline)                    │   │ round+1, urgent,         ├─ resident_answer yes ───────► closed
//!                 │   │                                    │   │ shorter deadline ◄───────┼─ unsatisfied (call or app)
//!                 ▼   │                                    ▼   │   (at escalate_at_round: ├─ record_call not_done ─┐
//!   not_our_building ─┴──► needs_routing ◄── not_our_building  │    to inspection instead)└─ no_answer × N ──► closed_unconfirmed
//!                                                              │                                                │
//!  send_to_inspection (dispatcher; from registered, in_progress, awaiting_verification) ──► under_inspection ◄──┘
//!
//!  under_inspection ─record_findings(violation=false)──► closed
//!                   ─record_findings(violation=true)───► under_inspection (then an order)
//!                   ─issue_order──► in_progress (round+1, urgent, deadline = the order's)
//!  in_progress / awaiting_verification / under_inspection with an order:
//!                   ─check_compliance(complied)──────► closed
//!                   ─check_compliance(not complied, after the order's deadline)──► under_inspection
//!  under_inspection after a violation found on site, or after non-compliance
//!                   ─record_fine (an article of КоАП РФ, amount within its range)──► under_inspection
//!                   (stays open until fixed: a later check_compliance(complied) closes it, or a
//!                   new issue_order)
//!
//!  An order in force cannot be skipped: a satisfied or unsatisfied call or answer, or the last
//!  unanswered call, sends the complaint to the inspection instead of closing it or opening a
//!  round; reject, withdraw and record_findings are refused. Only check_compliance closes it.
//!
//!  any open status ─withdraw (resident)──► withdrawn
//!                  ─reject (dispatcher, reason)──► rejected
//!  registered / in_progress ─pause_clock / resume_clock (company)──► same status
//! ```
//!
//! `closed`, `closed_unconfirmed`, `withdrawn` and `rejected` are final: nothing leaves them.
//!
//! ## Rounds
//!
//! A round counts passes through execution. It starts at 1 and never goes down. An unsatisfactory
//! result (verification call or the resident's answer in the app) or an order starts the next
//! round: urgent, with the deadline `max(ceil(Policy::repeat_round_fraction × category deadline), 1)`
//! in the category's unit (1 hour for emergencies, 1 working day for ordinary work). An
//! unsatisfactory result in round [`Policy::escalate_at_round`] (3) or later goes to the inspection
//! instead of another round.
//!
//! ## Clocks and deadlines ([`Deadline`], [`Calendar`])
//!
//! - **Execution** (`due_at` in `registered`/`in_progress`): from the category — emergencies in hours
//!   round the clock, ordinary work in working days on the Russian production calendar, repairs under
//!   ПП 170 in calendar days. See [`default_categories`].
//! - **Order** (`due_at` in `in_progress` after `issue_order`): the order's own due date.
//! - **Verification** (`awaiting_verification`), **routing** (`needs_routing`) and **inspection**
//!   (`under_inspection`): from [`Policy`].
//! - **59-ФЗ answer** (`answer_due_at`): 30 calendar days from registration; it never pauses.
//! - **Pause**: a company waiting for the resident (access to the flat) pauses the execution clock;
//!   on resume `due_at` moves by the paused time. An order's deadline cannot be paused.
//!
//! Working days are counted on local dates of Surgut (UTC+5, no DST). The calendar is data
//! (`data/ru-production-calendar.json`, bundled as [`Calendar::russian_default`]); a year can be
//! replaced at runtime with [`Calendar::from_json`], [`Calendar::merge_json`] or
//! [`Calendar::load_year`]. Years without data fall back to a Monday–Friday week.
//!
//! ## Control
//!
//! [`is_overdue`] tells whether the current stage deadline has passed (a paused clock stands still).
//! [`due_escalations`] applies data-driven [`EscalationRule`]s (see [`default_escalation_rules`]):
//! e.g. an overdue complaint in round 3 goes to the inspection. [`scorecard`] computes each
//! company's public figures from complaints and events; rates are withheld below a minimum volume.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod access;
pub mod accounts;
mod action;
mod actor;
mod attachment_quota;
pub mod audit;
mod calendar;
mod calendar_check;
pub mod call_desk;
mod category;
mod clocks;
mod complaint;
mod deadline;
mod document_template;
mod duplicates;
mod error;
mod escalation;
mod event;
mod event_name;
mod filing;
mod fines;
mod firing;
mod geo;
pub mod history_chain;
pub mod history_export;
mod history_scope;
mod lifecycle;
mod messaging;
mod notify;
mod number;
mod paperwork;
mod permissions;
mod phone;
mod policy;
mod policy_check;
pub mod privacy;
mod public_view;
mod role;
mod scorecard;
mod status;
mod test_data;
pub mod text;
pub mod throttle;
pub mod verification;
mod webhooks;
mod wire;

pub use access::{
    AttachmentKind, ComplaintScope, administer, attach, can_view, complaint_scope, edit_templates,
    read_deliveries, read_organisation_directory, read_registries, reveal_phone,
    sees_applicant_contact,
};
pub use action::{Action, ActionKind, CallOutcome, CategoryChoice, RejectReason};
pub use actor::{Actor, Principal, Scope};
pub use attachment_quota::{
    AttachmentLimits, AttachmentUsage, attachment_window_start, check_attachment_quota,
};
pub use audit::{AuditReason, ReadAudit, read_audit, read_audit_log};
pub use calendar::{
    Calendar, CalendarError, RUSSIAN_CALENDAR_JSON, SURGUT_UTC_OFFSET_SECONDS, YearCalendar,
    city_date_text,
};
pub use calendar_check::{
    CalendarErrors, MAX_CALENDAR_SOURCE, MAX_CALENDAR_YEAR, MIN_CALENDAR_YEAR,
    calendar_year_in_range, check_calendar_upload,
};
pub use call_desk::{CallDesk, CallDeskError, CallState, CallingHours};
pub use category::{Category, CategorySeed, default_categories};
pub use clocks::{
    Clock, ClockEffect, ClockKind, ClockSpec, ClockState, ClockTally, after_transition,
    city_answer_clock, clock_specs, clocks_for_category, default_clock_specs, recategorised,
};
pub use complaint::{Applicant, Complaint, NewComplaint, Order, is_overdue, overdue_by};
pub use deadline::{Deadline, category_due};
pub use document_template::{
    DOCUMENT_LEGAL_BASIS, DocumentFields, MAX_TEMPLATE_CHARS, PLACEHOLDERS, default_template,
    render_template, validate_template,
};
pub use duplicates::{
    Candidate, Follower, FollowerPerson, LinkEnd, LinkRefusal, MAX_SUGGESTIONS, Suggestion,
    check_link, follow, follower_text, may_suggest, rank_similar, word_stems,
};
pub use error::{DomainError, ParseEnumError};
pub use escalation::{
    Escalation, EscalationEffect, EscalationRule, default_escalation_rules, due_escalations,
};
pub use event::{
    Event, EventDecodeError, EventDetails, EventKind, PERSONAL_FIELDS, Transition, split_personal,
};
pub use filing::{CONSENT_VERSION, Consent, DailyQuota, FilingLimits};
pub use fines::{FineArticle, MAX_FINE_RUB, Offender, RubRange, default_fine_articles};
pub use firing::{FiringKey, pending_escalations};
pub use geo::{GeoBox, GeoPoint, nearest_within};
pub use history_scope::{EntryView, history_entry_view, internal_to};
pub use lifecycle::{
    MANAGEMENT_CHANGE_REASON, MAX_ANSWER_EXTENSION_DAYS, allowed_actions, allowed_in, apply,
    change_management, kinds_allowed_in, register,
};
pub use messaging::{
    Channel, Choice, Contact, DIGEST_MINUTES, DeliveryState, Language, MessageKind, Preferences,
    QuietHours, Rendered, Reply, ReplyOutcome, Retry, SmsLimits, Template, TemplateError,
    TemplateLimits, Vars, author_message, channels_for, company_message, default_templates,
    mask_recipient, parse_reply, reply_outcome, resumes_sms, too_late_to_send,
};
pub use notify::{
    Changed, FlagReason, Flagged, Notice, OutboxDecodeError, OutboxMessage, Recipient, notice,
};
pub use number::{CITY_PREFIX, ComplaintNumber};
pub use paperwork::{
    DocumentKind, OrderStatus, PaperScope, check_paper, check_visit_time, read_documents,
    read_registers, schedule_visits,
};
pub use permissions::{Permissions, permissions};
pub use phone::PhoneNumber;
pub use policy::Policy;
pub use policy_check::{
    MAX_RULE_CODE, MAX_RULES, PolicyErrors, PolicySet, RuleDraft, check_policy, check_policy_set,
};
pub use public_view::{category_is_public, public_time};
pub use role::{Membership, OrganisationKind, Role};
pub use scorecard::{CompanyCounts, CompanyScore, ScorecardBuilder, score, scorecard};
pub use status::Status;
pub use test_data::{
    PURGE_CONFIRMATION, confirms_purge, public_includes_test_data, publicly_visible,
};
pub use webhooks::{
    EndpointRules, EventType, Health, RETRY_WAITS_SECONDS, accepted, health_after, is_public,
    manage_webhooks, message_id, next_attempt, subscriber,
};
