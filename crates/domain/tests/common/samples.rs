//! One sample of every action and a complaint that each may be tried on: the rows of the
//! lifecycle table in transitions_table.rs.

use chrono::{DateTime, Duration, Utc};
use domain::{
    Action, ActionKind, CallOutcome, CategoryChoice, Complaint, Order, RejectReason, Status,
};
use uuid::Uuid;

use super::{World, category, ordinary};

use ActionKind as K;
use Status as S;

/// One sample action per outcome; the label names it in the table.
pub fn samples(world: &World, now: DateTime<Utc>) -> Vec<(&'static str, Action)> {
    let call = |outcome| Action::RecordCall {
        outcome,
        comment: None,
    };
    vec![
        ("accept", Action::Accept),
        (
            "assign_executor",
            Action::AssignExecutor {
                executor: "Бригада № 3".into(),
            },
        ),
        (
            "report_done",
            Action::ReportDone {
                note: "Заменили вентиль".into(),
            },
        ),
        (
            "not_our_building",
            Action::NotOurBuilding {
                reason: "Дом обслуживает другая УК".into(),
            },
        ),
        (
            "reroute",
            Action::Reroute {
                company_id: world.other_company_id(),
            },
        ),
        ("call_satisfied", call(CallOutcome::Satisfied)),
        ("call_unsatisfied", call(CallOutcome::Unsatisfied)),
        ("call_not_done", call(CallOutcome::NotDone)),
        ("call_no_answer", call(CallOutcome::NoAnswer)),
        (
            "answer_yes",
            Action::ResidentAnswer {
                satisfied: true,
                comment: None,
            },
        ),
        (
            "answer_no",
            Action::ResidentAnswer {
                satisfied: false,
                comment: Some("Опять течёт".into()),
            },
        ),
        (
            "send_to_inspection",
            Action::SendToInspection {
                reason: "Просрочено".into(),
            },
        ),
        (
            "reject",
            Action::Reject {
                reason: RejectReason::Duplicate,
                comment: "См. СУР-2026-000001".into(),
                duplicate_of: Some(uuid::Uuid::from_u128(1)),
            },
        ),
        ("withdraw", Action::Withdraw),
        (
            "findings_violation",
            Action::RecordFindings {
                violation: true,
                findings: "Течь подтверждена".into(),
            },
        ),
        (
            "findings_none",
            Action::RecordFindings {
                violation: false,
                findings: "Нарушений нет".into(),
            },
        ),
        (
            "issue_order",
            Action::IssueOrder {
                order_id: Uuid::new_v4(),
                due_at: now + Duration::days(10),
                text: "Устранить течь".into(),
            },
        ),
        ("compliance_yes", Action::CheckCompliance { complied: true }),
        ("compliance_no", Action::CheckCompliance { complied: false }),
        (
            "record_fine",
            Action::RecordFine {
                article: domain::default_fine_articles()
                    .into_iter()
                    .find(|a| a.code == "19.5 ч.1")
                    .expect("19.5 ч.1 is a default article"),
                offender: domain::Offender::LegalEntity,
                amount_rub: 15_000,
            },
        ),
        (
            "pause",
            Action::PauseClock {
                reason: "Нет доступа в квартиру".into(),
            },
        ),
        ("resume", Action::ResumeClock),
        (
            "extend_answer",
            Action::ExtendAnswer {
                days: 30,
                reason: "Нужен запрос в ресурсоснабжающую организацию".into(),
            },
        ),
        (
            "recategorise",
            Action::Recategorise {
                category: CategoryChoice::Active(category("roof_leak")),
                reason: "Течёт кровля, а не кран".into(),
            },
        ),
    ]
}

/// A complaint in `status` whose other state satisfies the preconditions of `kind`, so that the
/// table tests role and status alone (preconditions have their own tests).
pub fn fixture(world: &World, status: Status, kind: ActionKind, now: DateTime<Utc>) -> Complaint {
    let registered_at = now - Duration::days(3);
    let order = |complied| Order {
        id: Uuid::new_v4(),
        due_at: now - Duration::hours(1),
        text: "Устранить течь".into(),
        complied,
    };
    let order = match (kind, status) {
        (K::CheckCompliance, S::UnderInspection) | (K::RecordFine, _) => Some(order(Some(false))),
        (K::CheckCompliance, _) => Some(order(None)),
        (
            K::Accept
            | K::AssignExecutor
            | K::ReportDone
            | K::NotOurBuilding
            | K::Reroute
            | K::RecordCall
            | K::ResidentAnswer
            | K::SendToInspection
            | K::Reject
            | K::Withdraw
            | K::RecordFindings
            | K::IssueOrder
            | K::PauseClock
            | K::ResumeClock
            | K::ExtendAnswer
            | K::Recategorise,
            _,
        ) => None,
    };
    Complaint {
        id: Uuid::new_v4(),
        status,
        round: 1,
        urgent: false,
        author_id: world.resident.user_id(),
        filed_by: world.resident.id(),
        company_id: (status != S::NeedsRouting).then(|| world.company_id()),
        category: ordinary(),
        registered_at,
        due_at: Some(now + Duration::days(5)),
        answer_due_at: registered_at + Duration::days(30),
        paused_since: (kind == K::ResumeClock).then(|| now - Duration::hours(2)),
        unanswered_calls: 0,
        executor: None,
        order,
        violation_found: false,
        answer_extended: false,
        version: 7,
    }
}

/// The prefix of the table labels of `kind`.
pub fn kind_prefix(kind: ActionKind) -> &'static str {
    match kind {
        K::Accept => "accept",
        K::AssignExecutor => "assign_executor",
        K::ReportDone => "report_done",
        K::NotOurBuilding => "not_our_building",
        K::Reroute => "reroute",
        K::RecordCall => "call_",
        K::ResidentAnswer => "answer_",
        K::SendToInspection => "send_to_inspection",
        K::Reject => "reject",
        K::Withdraw => "withdraw",
        K::RecordFindings => "findings_",
        K::IssueOrder => "issue_order",
        K::CheckCompliance => "compliance_",
        K::RecordFine => "record_fine",
        K::PauseClock => "pause",
        K::ResumeClock => "resume",
        K::ExtendAnswer => "extend_answer",
        K::Recategorise => "recategorise",
    }
}
