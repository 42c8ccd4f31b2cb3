//! The unit of work: filing and transitions, each in one transaction with its event and its
//! outbox message; a transition is guarded by the version it was computed from.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::{ComplaintRecord, base_select, count_column, fetch_one, round_column, search_text};
use crate::entities::{
    complaint, complaint_departure, complaint_event, fine, inspection_act, order,
};
use crate::users::{Audit, write_audit};
use crate::worker::enqueue_in;
use crate::{Db, RepoError};

/// What filing stores besides the domain snapshot.
#[derive(Debug, Clone)]
pub struct Filing {
    pub building_id: Uuid,
    pub building_address: String,
    pub flat: Option<String>,
    pub description: String,
    /// Who complained: written to the complaint's person (`persons`), never to the complaint.
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub consent_version: Option<String>,
    pub pin_hash: Option<String>,
    pub is_test: bool,
}

/// One database transaction. Dropped without [`UnitOfWork::commit`], it rolls back.
pub struct UnitOfWork {
    pub(super) txn: DatabaseTransaction,
    /// Whether its writes of clocks count their changes (see [`Db`]'s counters switch).
    pub(super) counts_clocks: bool,
}

pub async fn begin(db: &Db) -> Result<UnitOfWork, RepoError> {
    Ok(UnitOfWork {
        counts_clocks: db.counts_clocks(),
        txn: crate::begin_write(db.connection()).await?,
    })
}

impl UnitOfWork {
    /// A complaint as this transaction sees it.
    pub async fn find(&self, id: Uuid) -> Result<Option<ComplaintRecord>, RepoError> {
        let mut select = base_select();
        select.and_where(Expr::col(("c", "id")).eq(id));
        fetch_one(&self.txn, &select).await
    }

    /// Stores an attachment in this transaction; one attached through an API key is also written
    /// to the audit log with the key.
    /// The attachments already on `complaint_id` and those `uploader` stored since `since`, with
    /// both locked against parallel uploads until this transaction ends.
    pub async fn attachment_usage(
        &self,
        complaint_id: Uuid,
        uploader: Uuid,
        since: DateTime<Utc>,
    ) -> Result<(domain::AttachmentUsage, domain::AttachmentUsage), RepoError> {
        crate::attachments::lock_quota_in(&self.txn, complaint_id, uploader).await?;
        crate::attachments::usage_in(&self.txn, complaint_id, uploader, since).await
    }

    pub async fn insert_attachment(
        &self,
        new: crate::attachments::NewAttachment,
        actor: domain::Principal,
        now: DateTime<Utc>,
    ) -> Result<crate::attachments::AttachmentMeta, RepoError> {
        let saved = crate::attachments::insert_in(&self.txn, new, now).await?;
        if let domain::Principal::ServiceAccount { account, key } = actor {
            let audit = Audit {
                actor_id: account,
                action: "api_key_action",
                details: serde_json::json!({ "api_key_id": key, "attachment": saved.id }),
            };
            write_audit(&self.txn, account, audit, saved.complaint_id, now).await?;
        }
        Ok(saved)
    }

    /// Queues messages in this transaction (a clerk's receipt SMS): sent only if the filing is.
    pub async fn enqueue_deliveries(
        &self,
        deliveries: &[crate::messaging::deliveries::NewDelivery],
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        crate::messaging::deliveries::enqueue_in(&self.txn, deliveries, now).await
    }

    /// Marks an SMS reply read in the transaction of the answer it records, so that the answer
    /// is recorded once. False when another worker read it first (roll back).
    pub async fn settle_reply(
        &self,
        inbound_id: Uuid,
        complaint_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        crate::messaging::inbound::mark_processed_in(
            &self.txn,
            inbound_id,
            Some(crate::messaging::inbound::ReplyOutcome::Answered),
            Some(complaint_id),
            now,
        )
        .await
    }

    pub async fn commit(self) -> Result<(), RepoError> {
        Ok(self.txn.commit().await?)
    }

    /// Stores a newly registered complaint, its legal clocks ([`domain::clocks_for_category`]), its
    /// `registered` event and its outbox message. The
    /// complaint's number is provisional (its id) until [`UnitOfWork::assign_number`].
    ///
    /// The number comes last because taking it locks the year's counter until commit, and every
    /// other filing in the city waits for that lock: it is held for two statements, not six.
    pub async fn insert_complaint(
        &self,
        filing: &Filing,
        transition: &domain::Transition,
        clocks: &[domain::Clock],
    ) -> Result<(), RepoError> {
        let c = &transition.complaint;
        let provisional_number = c.id.simple().to_string();
        let applicant = crate::persons::applicant(
            &self.txn,
            c.author_id,
            crate::persons::PersonData {
                name: filing.applicant_name.clone(),
                phone: filing.applicant_phone.clone(),
                email: None,
                flat: filing.flat.clone(),
                consent_version: filing.consent_version.clone(),
                is_test: filing.is_test,
                // A person a clerk files for has no account (an author's person is theirs).
                is_account: false,
            },
            transition.event.at,
        )
        .await?;
        complaint::Entity::insert(complaint::ActiveModel {
            id: Set(c.id),
            applicant_id: Set(applicant),
            number: Set(provisional_number.clone()),
            status: Set(c.status.as_str().to_owned()),
            round: Set(round_column(c.round)),
            urgent: Set(c.urgent),
            author_id: Set(c.author_id),
            filed_by: Set(c.filed_by),
            consent_version: Set(filing.consent_version.clone()),
            pin_hash: Set(filing.pin_hash.clone()),
            building_id: Set(filing.building_id),
            flat: Set(filing.flat.clone()),
            company_id: Set(c.company_id),
            category_id: Set(c.category.id),
            description: Set(filing.description.clone()),
            search_text: Set(search_text(&provisional_number, filing)),
            registered_at: Set(c.registered_at),
            due_at: Set(c.due_at),
            answer_due_at: Set(c.answer_due_at),
            paused_since: Set(c.paused_since),
            unanswered_calls: Set(count_column(c.unanswered_calls)),
            executor: Set(c.executor.clone()),
            order_id: Set(c.order.as_ref().map(|o| o.id)),
            violation_found: Set(c.violation_found),
            answer_extended: Set(c.answer_extended),
            deadline_unit: Set(Some(
                crate::deadline_columns(&c.category.deadline).0.to_owned(),
            )),
            deadline_value: Set(Some(crate::deadline_columns(&c.category.deadline).1)),
            overdue: Set(false),
            closed_at: Set(None),
            updated_at: Set(transition.event.at),
            version: Set(c.version),
            is_test: Set(filing.is_test),
            erased_at: Set(None),
            erasure_requested_at: Set(None),
        })
        .exec_without_returning(&self.txn)
        .await?;
        let counted_for = c.company_id.map(|company_id| super::clocks::CountedFor {
            company_id,
            is_test: filing.is_test,
        });
        self.upsert_clocks(c.id, counted_for, &[], clocks).await?;
        self.insert_event_and_outbox(transition).await
    }

    /// Writes a transition guarded by the version it was computed from; a stale version writes
    /// nothing and returns [`RepoError::Stale`].
    pub async fn save_transition(
        &self,
        before: &domain::Complaint,
        transition: &domain::Transition,
        is_test: bool,
    ) -> Result<(), RepoError> {
        let c = &transition.complaint;
        let closed_at = (!c.status.is_open()).then_some(transition.event.at);
        let result = complaint::Entity::update_many()
            .col_expr(complaint::Column::Status, Expr::value(c.status.as_str()))
            .col_expr(complaint::Column::Round, Expr::value(round_column(c.round)))
            .col_expr(complaint::Column::Urgent, Expr::value(c.urgent))
            .col_expr(complaint::Column::CompanyId, Expr::value(c.company_id))
            // A recategorisation changes the category and the clock the complaint runs on.
            .col_expr(complaint::Column::CategoryId, Expr::value(c.category.id))
            .col_expr(
                complaint::Column::DeadlineUnit,
                Expr::value(Some(
                    crate::deadline_columns(&c.category.deadline).0.to_owned(),
                )),
            )
            .col_expr(
                complaint::Column::DeadlineValue,
                Expr::value(Some(crate::deadline_columns(&c.category.deadline).1)),
            )
            .col_expr(complaint::Column::DueAt, Expr::value(c.due_at))
            .col_expr(complaint::Column::PausedSince, Expr::value(c.paused_since))
            .col_expr(
                complaint::Column::UnansweredCalls,
                Expr::value(count_column(c.unanswered_calls)),
            )
            .col_expr(complaint::Column::Executor, Expr::value(c.executor.clone()))
            .col_expr(
                complaint::Column::OrderId,
                Expr::value(c.order.as_ref().map(|o| o.id)),
            )
            .col_expr(
                complaint::Column::ViolationFound,
                Expr::value(c.violation_found),
            )
            .col_expr(complaint::Column::AnswerDueAt, Expr::value(c.answer_due_at))
            .col_expr(
                complaint::Column::AnswerExtended,
                Expr::value(c.answer_extended),
            )
            .col_expr(complaint::Column::ClosedAt, Expr::value(closed_at))
            // A new stage has a new deadline: the overdue worker looks at it afresh.
            .col_expr(complaint::Column::Overdue, Expr::value(false))
            .col_expr(
                complaint::Column::UpdatedAt,
                Expr::value(transition.event.at),
            )
            .col_expr(complaint::Column::Version, Expr::value(c.version))
            .filter(complaint::Column::Id.eq(before.id))
            .filter(complaint::Column::Version.eq(before.version))
            .exec(&self.txn)
            .await?;
        if result.rows_affected == 0 {
            return Err(RepoError::Stale);
        }
        if let Some(left) = before
            .company_id
            .filter(|_| before.company_id != c.company_id)
        {
            complaint_departure::Entity::insert(complaint_departure::ActiveModel {
                id: Set(Uuid::now_v7()),
                complaint_id: Set(c.id),
                company_id: Set(left),
                at: Set(transition.event.at),
            })
            .exec_without_returning(&self.txn)
            .await?;
        }
        self.record_order_and_fine(before, transition, is_test)
            .await?;
        self.insert_event_and_outbox(transition).await?;
        // The clocks come last: the scorecard's clock counters (a few rows per company, updated
        // by their trigger) stay locked until commit, and every other transition of the company
        // that meets the same clock waits for them meanwhile.
        self.advance_clocks(before, transition, is_test).await
    }

    /// Orders, inspection acts and fines get rows of their own (orders and acts with their
    /// numbers), for the inspection's registers, its documents and the scorecard.
    async fn record_order_and_fine(
        &self,
        before: &domain::Complaint,
        transition: &domain::Transition,
        is_test: bool,
    ) -> Result<(), RepoError> {
        let event = &transition.event;
        let company_id = || {
            transition
                .complaint
                .company_id
                .or(before.company_id)
                .ok_or_else(|| RepoError::Fault("an order or a fine without a company".to_owned()))
        };
        match &event.details {
            domain::EventDetails::IssueOrder { .. } => {
                if let Some(issued) = &transition.complaint.order {
                    let number = self
                        .document_number(domain::DocumentKind::Order, event.at)
                        .await?;
                    order::ActiveModel {
                        id: Set(issued.id),
                        number: Set(Some(number)),
                        complaint_id: Set(transition.complaint.id),
                        company_id: Set(company_id()?),
                        text: Set(issued.text.clone()),
                        due_at: Set(issued.due_at),
                        complied: Set(None),
                        issued_by: Set(event.actor.id()),
                        issued_at: Set(event.at),
                        checked_at: Set(None),
                        is_test: Set(is_test),
                    }
                    .insert(&self.txn)
                    .await?;
                }
            }
            domain::EventDetails::CheckCompliance { order_id, complied } => {
                order::Entity::update_many()
                    .col_expr(order::Column::Complied, Expr::value(Some(*complied)))
                    .col_expr(order::Column::CheckedAt, Expr::value(Some(event.at)))
                    .filter(order::Column::Id.eq(*order_id))
                    .exec(&self.txn)
                    .await?;
            }
            domain::EventDetails::RecordFine {
                order_id,
                amount_rub,
                legal_basis,
                article,
                offender,
            } => {
                let amount = i64::try_from(*amount_rub)
                    .map_err(|_| RepoError::Fault(format!("a fine of {amount_rub} ₽")))?;
                fine::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    complaint_id: Set(transition.complaint.id),
                    order_id: Set(*order_id),
                    company_id: Set(company_id()?),
                    amount_rub: Set(amount),
                    legal_basis: Set(legal_basis.clone()),
                    article: Set(article.clone()),
                    offender: Set(offender.map(|o| o.as_str().to_owned())),
                    recorded_by: Set(event.actor.id()),
                    recorded_at: Set(event.at),
                    is_test: Set(is_test),
                }
                .insert(&self.txn)
                .await?;
            }
            domain::EventDetails::RecordFindings { violation } => {
                let number = self
                    .document_number(domain::DocumentKind::Act, event.at)
                    .await?;
                inspection_act::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    number: Set(number),
                    complaint_id: Set(transition.complaint.id),
                    company_id: Set(transition.complaint.company_id.or(before.company_id)),
                    violation: Set(*violation),
                    findings: Set(event.comment.clone().unwrap_or_default()),
                    inspector_id: Set(event.actor.id()),
                    recorded_at: Set(event.at),
                    is_test: Set(is_test),
                }
                .insert(&self.txn)
                .await?;
            }
            domain::EventDetails::Registered { .. }
            | domain::EventDetails::Accept {}
            | domain::EventDetails::AssignExecutor { .. }
            | domain::EventDetails::ReportDone { .. }
            | domain::EventDetails::NotOurBuilding { .. }
            | domain::EventDetails::Reroute { .. }
            | domain::EventDetails::RecordCall { .. }
            | domain::EventDetails::ResidentAnswer { .. }
            | domain::EventDetails::SendToInspection {}
            | domain::EventDetails::Reject { .. }
            | domain::EventDetails::Withdraw {}
            | domain::EventDetails::PauseClock {}
            | domain::EventDetails::ResumeClock { .. }
            | domain::EventDetails::ExtendAnswer { .. }
            | domain::EventDetails::Recategorise { .. } => {}
        }
        Ok(())
    }

    async fn insert_event_and_outbox(
        &self,
        transition: &domain::Transition,
    ) -> Result<(), RepoError> {
        let event = &transition.event;
        let row = complaint_event::Model {
            id: Uuid::now_v7(),
            complaint_id: event.complaint_id,
            kind: event.kind().as_str().to_owned(),
            actor_id: actor_column(event.actor),
            actor_kind: actor_kind(event.actor).to_owned(),
            actor_role: event.actor_role.as_str().to_owned(),
            from_status: event.from.map(|s| s.as_str().to_owned()),
            to_status: event.to.as_str().to_owned(),
            round: round_column(event.round),
            at: event.at,
            comment: event.comment.clone(),
            payload: event.payload(),
            personal: event.personal(),
            prev_hash: None,
            hash: None,
        };
        // The chain: this event links to the last one of its complaint, read in this transaction.
        let row = crate::history::linked(&self.txn, row).await?;
        complaint_event::Entity::insert(complaint_event::ActiveModel::from(row).reset_all())
            .exec_without_returning(&self.txn)
            .await?;
        if let domain::Principal::ServiceAccount { account, key } = event.actor {
            let audit = Audit {
                actor_id: account,
                action: "api_key_action",
                details: serde_json::json!({ "api_key_id": key, "event": event.kind().as_str() }),
            };
            write_audit(&self.txn, account, audit, event.complaint_id, event.at).await?;
        }
        enqueue_in(&self.txn, &domain::OutboxMessage::of_event(event), event.at).await
    }
}

/// The `actor_id` column of an event: the person's or the service account's account; NULL for
/// the system.
fn actor_column(actor: domain::Principal) -> Option<Uuid> {
    match actor {
        domain::Principal::User { id } | domain::Principal::ServiceAccount { account: id, .. } => {
            Some(id)
        }
        domain::Principal::System | domain::Principal::Applicant { .. } => None,
    }
}

/// The `actor_kind` column of an event.
pub(crate) fn actor_kind(actor: domain::Principal) -> &'static str {
    match actor {
        domain::Principal::User { .. } => "user",
        domain::Principal::ServiceAccount { .. } => "service_account",
        domain::Principal::System => "system",
        domain::Principal::Applicant { .. } => "applicant",
    }
}
