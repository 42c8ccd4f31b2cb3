//! Complaints: filing, loading, listing and transitions. Every write runs in a [`UnitOfWork`]: the
//! complaint row, its event and its outbox message commit together or not at all, and a status
//! change is guarded by the version it was read at.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{
    Cond, Expr, ExprTrait, Func, JoinType, LikeExpr, Order, Query, SelectStatement,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QueryResult, Statement, TransactionTrait, TryGetable,
};
use serde_json::json;
use uuid::Uuid;

use crate::RepoError;
use crate::entities::{complaint, complaint_event, fine, idempotency_key, order, outbox};
use crate::mapping::{deadline_from_columns, parse_enum};

/// A complaint with everything a screen shows about it.
#[derive(Debug, Clone)]
pub struct ComplaintRecord {
    pub complaint: domain::Complaint,
    pub number: String,
    pub description: String,
    pub building: BuildingSummary,
    pub flat: Option<String>,
    pub category_name_ru: String,
    pub category_name_en: String,
    pub company_name: Option<String>,
    /// Name and phone of the person who complained (a resident or the person a clerk filed for).
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub consent_version: Option<String>,
    pub pin_hash: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub is_test: bool,
}

#[derive(Debug, Clone)]
pub struct BuildingSummary {
    pub id: Uuid,
    pub address: String,
    pub district: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// One entry of a complaint's history, as stored.
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub id: Uuid,
    pub event: domain::Event,
    pub round: u32,
}

/// What the caller may see of the complaints.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    All,
    Author(Uuid),
    FiledBy(Uuid),
    Company(Uuid),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Newest first (`registered_at` descending).
    Newest,
    /// Oldest first.
    Oldest,
    /// Nearest deadline first; complaints without a deadline last.
    DueSoon,
}

/// Filters of the control board and the queues. Empty fields do not filter.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub scope: Scope,
    pub statuses: Vec<domain::Status>,
    pub company_id: Option<Uuid>,
    pub category_id: Option<Uuid>,
    pub building_id: Option<Uuid>,
    pub district: Option<String>,
    pub overdue: Option<bool>,
    pub min_round: Option<u32>,
    pub registered_from: Option<DateTime<Utc>>,
    pub registered_to: Option<DateTime<Utc>>,
    pub search: Option<String>,
    pub sort: Sort,
    pub after: Option<Cursor>,
    pub limit: u64,
    pub now: DateTime<Utc>,
}

impl ListQuery {
    /// No filters, newest first, 20 a page.
    pub fn new(scope: Scope, now: DateTime<Utc>) -> Self {
        Self {
            scope,
            statuses: Vec::new(),
            company_id: None,
            category_id: None,
            building_id: None,
            district: None,
            overdue: None,
            min_round: None,
            registered_from: None,
            registered_to: None,
            search: None,
            sort: Sort::Newest,
            after: None,
            limit: 20,
            now,
        }
    }
}

/// A keyset position: the sort key and the id of the last row of the previous page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: DateTime<Utc>,
    pub id: Uuid,
}

pub struct Page {
    pub items: Vec<ComplaintRecord>,
    pub next: Option<Cursor>,
}

/// The far future that stands in for "no deadline" when sorting by deadline.
fn no_deadline() -> DateTime<Utc> {
    DateTime::<Utc>::MAX_UTC.with_timezone(&Utc) - chrono::Duration::days(365 * 1000)
}

/// One row of [`base_select`], its columns in that order.
#[derive(Debug)]
pub(crate) struct ComplaintRow {
    id: Uuid,
    number: String,
    status: String,
    round: i32,
    urgent: bool,
    author_id: Option<Uuid>,
    filed_by: Uuid,
    applicant_name: Option<String>,
    applicant_phone: Option<String>,
    consent_version: Option<String>,
    pin_hash: Option<String>,
    building_id: Uuid,
    flat: Option<String>,
    company_id: Option<Uuid>,
    category_id: Uuid,
    description: String,
    registered_at: DateTime<Utc>,
    due_at: Option<DateTime<Utc>>,
    answer_due_at: DateTime<Utc>,
    paused_since: Option<DateTime<Utc>>,
    unanswered_calls: i32,
    executor: Option<String>,
    closed_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
    version: i64,
    is_test: bool,
    building_address: String,
    building_district: String,
    building_latitude: Option<f64>,
    building_longitude: Option<f64>,
    category_code: String,
    category_name_ru: String,
    category_name_en: String,
    category_emergency: bool,
    category_deadline_unit: String,
    category_deadline_value: i32,
    company_name: Option<String>,
    order_id: Option<Uuid>,
    order_due_at: Option<DateTime<Utc>>,
    order_text: Option<String>,
    order_complied: Option<bool>,
}

/// Decoded by position. Decoded by name (the derive), SeaORM looked every column up by name and
/// built an error string for each NULL column before turning it into `None`: a quarter of the
/// server's CPU on a page of 20 complaints.
impl FromQueryResult for ComplaintRow {
    fn from_query_result(row: &QueryResult, _prefix: &str) -> Result<Self, DbErr> {
        let mut columns = Columns { row, next: 0 };
        // Fields are evaluated in the order written, which is `base_select`'s column order.
        Ok(ComplaintRow {
            id: columns.next()?,
            number: columns.next()?,
            status: columns.next()?,
            round: columns.next()?,
            urgent: columns.next()?,
            author_id: columns.next()?,
            filed_by: columns.next()?,
            applicant_name: columns.next()?,
            applicant_phone: columns.next()?,
            consent_version: columns.next()?,
            pin_hash: columns.next()?,
            building_id: columns.next()?,
            flat: columns.next()?,
            company_id: columns.next()?,
            category_id: columns.next()?,
            description: columns.next()?,
            registered_at: columns.next()?,
            due_at: columns.next()?,
            answer_due_at: columns.next()?,
            paused_since: columns.next()?,
            unanswered_calls: columns.next()?,
            executor: columns.next()?,
            closed_at: columns.next()?,
            updated_at: columns.next()?,
            version: columns.next()?,
            is_test: columns.next()?,
            building_address: columns.next()?,
            building_district: columns.next()?,
            building_latitude: columns.next()?,
            building_longitude: columns.next()?,
            category_code: columns.next()?,
            category_name_ru: columns.next()?,
            category_name_en: columns.next()?,
            category_emergency: columns.next()?,
            category_deadline_unit: columns.next()?,
            category_deadline_value: columns.next()?,
            company_name: columns.next()?,
            order_id: columns.next()?,
            order_due_at: columns.next()?,
            order_text: columns.next()?,
            order_complied: columns.next()?,
        })
    }
}

/// The columns of one result row, read left to right.
struct Columns<'a> {
    row: &'a QueryResult,
    next: usize,
}

impl Columns<'_> {
    fn next<T: TryGetable>(&mut self) -> Result<T, DbErr> {
        let value = self.row.try_get_by_index(self.next);
        self.next += 1;
        value
    }
}

const COMPLAINT_COLUMNS: [&str; 26] = [
    "id",
    "number",
    "status",
    "round",
    "urgent",
    "author_id",
    "filed_by",
    "applicant_name",
    "applicant_phone",
    "consent_version",
    "pin_hash",
    "building_id",
    "flat",
    "company_id",
    "category_id",
    "description",
    "registered_at",
    "due_at",
    "answer_due_at",
    "paused_since",
    "unanswered_calls",
    "executor",
    "closed_at",
    "updated_at",
    "version",
    "is_test",
];

/// One query for a complaint with its building, category, company and current order.
pub(crate) fn base_select() -> SelectStatement {
    let mut select = Query::select();
    for column in COMPLAINT_COLUMNS {
        select.column(("c", column));
    }
    select
        .expr_as(Expr::col(("b", "address")), "building_address")
        .expr_as(Expr::col(("b", "district")), "building_district")
        .expr_as(Expr::col(("b", "latitude")), "building_latitude")
        .expr_as(Expr::col(("b", "longitude")), "building_longitude")
        .expr_as(Expr::col(("k", "code")), "category_code")
        .expr_as(Expr::col(("k", "name_ru")), "category_name_ru")
        .expr_as(Expr::col(("k", "name_en")), "category_name_en")
        .expr_as(Expr::col(("k", "emergency")), "category_emergency")
        .expr_as(Expr::col(("k", "deadline_unit")), "category_deadline_unit")
        .expr_as(
            Expr::col(("k", "deadline_value")),
            "category_deadline_value",
        )
        .expr_as(Expr::col(("o", "name")), "company_name")
        .expr_as(Expr::col(("r", "id")), "order_id")
        .expr_as(Expr::col(("r", "due_at")), "order_due_at")
        .expr_as(Expr::col(("r", "text")), "order_text")
        .expr_as(Expr::col(("r", "complied")), "order_complied")
        .from_as("complaints", "c")
        .join_as(
            JoinType::InnerJoin,
            "buildings",
            "b",
            Expr::col(("b", "id")).equals(("c", "building_id")),
        )
        .join_as(
            JoinType::InnerJoin,
            "categories",
            "k",
            Expr::col(("k", "id")).equals(("c", "category_id")),
        )
        .join_as(
            JoinType::LeftJoin,
            "organisations",
            "o",
            Expr::col(("o", "id")).equals(("c", "company_id")),
        )
        .join_as(
            JoinType::LeftJoin,
            "orders",
            "r",
            Expr::col(("r", "id")).equals(("c", "order_id")),
        );
    select
}

pub(crate) fn to_record(row: ComplaintRow) -> Result<ComplaintRecord, RepoError> {
    let order = match (row.order_id, row.order_due_at, row.order_text) {
        (Some(id), Some(due_at), Some(text)) => Some(domain::Order {
            id,
            due_at,
            text,
            complied: row.order_complied,
        }),
        _ => None,
    };
    let complaint = domain::Complaint {
        id: row.id,
        status: parse_enum(&row.status)?,
        round: u32::try_from(row.round).unwrap_or(1),
        urgent: row.urgent,
        author_id: row.author_id,
        filed_by: row.filed_by,
        company_id: row.company_id,
        category: domain::Category {
            id: row.category_id,
            code: row.category_code,
            emergency: row.category_emergency,
            deadline: deadline_from_columns(
                &row.category_deadline_unit,
                row.category_deadline_value,
            )?,
        },
        registered_at: row.registered_at,
        due_at: row.due_at,
        answer_due_at: row.answer_due_at,
        paused_since: row.paused_since,
        unanswered_calls: u32::try_from(row.unanswered_calls).unwrap_or(0),
        executor: row.executor,
        order,
        version: row.version,
    };
    Ok(ComplaintRecord {
        complaint,
        number: row.number,
        description: row.description,
        building: BuildingSummary {
            id: row.building_id,
            address: row.building_address,
            district: row.building_district,
            latitude: row.building_latitude,
            longitude: row.building_longitude,
        },
        flat: row.flat,
        category_name_ru: row.category_name_ru,
        category_name_en: row.category_name_en,
        company_name: row.company_name,
        applicant_name: row.applicant_name,
        applicant_phone: row.applicant_phone,
        consent_version: row.consent_version,
        pin_hash: row.pin_hash,
        closed_at: row.closed_at,
        updated_at: row.updated_at,
        is_test: row.is_test,
    })
}

pub(crate) async fn fetch_one<C: ConnectionTrait>(
    db: &C,
    select: &SelectStatement,
) -> Result<Option<ComplaintRecord>, RepoError> {
    let row = db.query_one(select).await?;
    row.map(|r| {
        ComplaintRow::from_query_result(&r, "")
            .map_err(RepoError::from)
            .and_then(to_record)
    })
    .transpose()
}

pub async fn find(db: &DatabaseConnection, id: Uuid) -> Result<Option<ComplaintRecord>, RepoError> {
    let mut select = base_select();
    select.and_where(Expr::col(("c", "id")).eq(id));
    fetch_one(db, &select).await
}

pub async fn find_by_number(
    db: &DatabaseConnection,
    number: &str,
) -> Result<Option<ComplaintRecord>, RepoError> {
    let mut select = base_select();
    select.and_where(Expr::col(("c", "number")).eq(number));
    fetch_one(db, &select).await
}

/// How many complaints a resident filed since `since` (the daily limit).
pub async fn count_by_author_since(
    db: &DatabaseConnection,
    author: Uuid,
    since: DateTime<Utc>,
) -> Result<u64, RepoError> {
    use sea_orm::PaginatorTrait;
    Ok(complaint::Entity::find()
        .filter(complaint::Column::AuthorId.eq(author))
        .filter(complaint::Column::RegisteredAt.gte(since))
        .count(db)
        .await?)
}

/// `c.status IN ('…', …)` with the statuses written into the SQL rather than bound.
///
/// PostgreSQL can then prove that a query implies the partial indexes on open complaints and
/// keep one generic plan per statement. Bound, every request planned a five-table join again
/// (most of the database's time in the company queue at 1 M complaints), because a generic plan
/// over `status IN ($2, $3)` cannot use those indexes. The values are the domain's own status
/// names, never user text.
fn status_in(statuses: impl IntoIterator<Item = domain::Status>) -> Expr {
    Expr::col(("c", "status")).is_in(
        statuses
            .into_iter()
            .map(|status| Expr::cust(format!("'{}'", status.as_str()))),
    )
}

/// The condition "open, not paused, past its deadline".
fn overdue_condition(now: DateTime<Utc>) -> Cond {
    Cond::all()
        .add(status_in(
            domain::Status::ALL.into_iter().filter(|s| s.is_open()),
        ))
        .add(Expr::col(("c", "paused_since")).is_null())
        .add(Expr::col(("c", "due_at")).lt(now))
}

/// One page of complaints in one query, whatever the page size.
pub async fn list(db: &DatabaseConnection, query: &ListQuery) -> Result<Page, RepoError> {
    let mut select = base_select();
    match query.scope {
        Scope::All => {}
        Scope::Author(id) => {
            select.and_where(Expr::col(("c", "author_id")).eq(id));
        }
        Scope::FiledBy(id) => {
            select.and_where(Expr::col(("c", "filed_by")).eq(id));
        }
        Scope::Company(id) => {
            select.and_where(Expr::col(("c", "company_id")).eq(id));
        }
    }
    if !query.statuses.is_empty() {
        select.and_where(status_in(query.statuses.iter().copied()));
    }
    if let Some(id) = query.company_id {
        select.and_where(Expr::col(("c", "company_id")).eq(id));
    }
    if let Some(id) = query.category_id {
        select.and_where(Expr::col(("c", "category_id")).eq(id));
    }
    if let Some(id) = query.building_id {
        select.and_where(Expr::col(("c", "building_id")).eq(id));
    }
    if let Some(district) = &query.district {
        select.and_where(Expr::col(("b", "district")).eq(district.as_str()));
    }
    match query.overdue {
        Some(true) => {
            select.cond_where(overdue_condition(query.now));
        }
        Some(false) => {
            select.cond_where(overdue_condition(query.now).not());
        }
        None => {}
    }
    if let Some(round) = query.min_round {
        select.and_where(Expr::col(("c", "round")).gte(i64::from(round)));
    }
    if let Some(from) = query.registered_from {
        select.and_where(Expr::col(("c", "registered_at")).gte(from));
    }
    if let Some(to) = query.registered_to {
        select.and_where(Expr::col(("c", "registered_at")).lt(to));
    }
    if let Some(text) = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
        select.and_where(Expr::col(("c", "search_text")).like(LikeExpr::new(pattern).escape('\\')));
    }
    let due_key: Expr =
        Func::coalesce([Expr::col(("c", "due_at")), Expr::value(no_deadline())]).into();
    let (key, descending): (Expr, bool) = match query.sort {
        Sort::Newest => (Expr::col(("c", "registered_at")), true),
        Sort::Oldest => (Expr::col(("c", "registered_at")), false),
        Sort::DueSoon => (due_key, false),
    };
    if let Some(cursor) = &query.after {
        let (key_after, id_after) = if descending {
            (
                key.clone().lt(cursor.key),
                Expr::col(("c", "id")).lt(cursor.id),
            )
        } else {
            (
                key.clone().gt(cursor.key),
                Expr::col(("c", "id")).gt(cursor.id),
            )
        };
        select.cond_where(
            Cond::any()
                .add(key_after)
                .add(Cond::all().add(key.clone().eq(cursor.key)).add(id_after)),
        );
    }
    let order = if descending { Order::Desc } else { Order::Asc };
    select
        .order_by_expr(key, order.clone())
        .order_by(("c", "id"), order)
        .limit(query.limit + 1);
    let rows = db.query_all(&select).await?;
    let mut items = rows
        .iter()
        .map(|r| {
            ComplaintRow::from_query_result(r, "")
                .map_err(RepoError::from)
                .and_then(to_record)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let has_more = items.len() as u64 > query.limit;
    items.truncate(usize::try_from(query.limit).unwrap_or(usize::MAX));
    let next = if has_more {
        items.last().map(|last| Cursor {
            key: match query.sort {
                Sort::Newest | Sort::Oldest => last.complaint.registered_at,
                Sort::DueSoon => last.complaint.due_at.unwrap_or_else(no_deadline),
            },
            id: last.complaint.id,
        })
    } else {
        None
    };
    Ok(Page { items, next })
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The history of one complaint, oldest first.
pub async fn events(
    db: &DatabaseConnection,
    complaint_id: Uuid,
) -> Result<Vec<EventRecord>, RepoError> {
    let rows = complaint_event::Entity::find()
        .filter(complaint_event::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(complaint_event::Column::At)
        .order_by_asc(complaint_event::Column::Id)
        .all(db)
        .await?;
    rows.into_iter().map(event_from_row).collect()
}

pub(crate) fn event_from_row(row: complaint_event::Model) -> Result<EventRecord, RepoError> {
    Ok(EventRecord {
        id: row.id,
        round: u32::try_from(row.round).unwrap_or(1),
        event: domain::Event {
            complaint_id: row.complaint_id,
            kind: parse_enum(&row.kind)?,
            actor_id: row.actor_id.unwrap_or_default(),
            actor_role: parse_enum(&row.actor_role)?,
            on_behalf_of: row.on_behalf_of,
            from: row.from_status.as_deref().map(parse_enum).transpose()?,
            to: parse_enum(&row.to_status)?,
            at: row.at,
            comment: row.comment,
            payload: row.payload,
        },
    })
}

/// What filing stores besides the domain snapshot.
#[derive(Debug, Clone)]
pub struct Filing {
    pub building_id: Uuid,
    pub building_address: String,
    pub flat: Option<String>,
    pub description: String,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub consent_version: Option<String>,
    pub pin_hash: Option<String>,
    pub is_test: bool,
}

/// The stored outcome of an earlier request with the same idempotency key.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

/// Whether this request owns its idempotency key.
#[derive(Debug)]
pub enum Claim {
    /// First use: go ahead, then [`UnitOfWork::complete_idempotency`].
    Claimed,
    /// Used before: replay (same request) or refuse (different request).
    Existing(StoredResponse),
}

/// One database transaction. Dropped without [`UnitOfWork::commit`], it rolls back.
pub struct UnitOfWork {
    txn: DatabaseTransaction,
}

pub async fn begin(db: &DatabaseConnection) -> Result<UnitOfWork, RepoError> {
    Ok(UnitOfWork {
        txn: db.begin().await?,
    })
}

impl UnitOfWork {
    /// A complaint as this transaction sees it.
    pub async fn find(&self, id: Uuid) -> Result<Option<ComplaintRecord>, RepoError> {
        let mut select = base_select();
        select.and_where(Expr::col(("c", "id")).eq(id));
        fetch_one(&self.txn, &select).await
    }

    pub async fn commit(self) -> Result<(), RepoError> {
        Ok(self.txn.commit().await?)
    }

    /// Takes `key` for `user`. A concurrent request with the same key waits for this
    /// transaction and then sees [`Claim::Existing`].
    pub async fn claim_idempotency(
        &self,
        user: Uuid,
        key: &str,
        request_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Claim, RepoError> {
        let backend = self.txn.get_database_backend();
        let sql = "INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES (?, ?, ?, ?) \
                   ON CONFLICT (user_id, key) DO NOTHING";
        let statement = Statement::from_sql_and_values(
            backend,
            placeholders(backend, sql),
            [user.into(), key.into(), request_hash.into(), now.into()],
        );
        if self.txn.execute_raw(statement).await?.rows_affected() == 1 {
            return Ok(Claim::Claimed);
        }
        let row = idempotency_key::Entity::find_by_id((user, key.to_owned()))
            .one(&self.txn)
            .await?
            .ok_or(RepoError::NotFound)?;
        Ok(Claim::Existing(StoredResponse {
            request_hash: row.request_hash,
            status: row
                .status
                .and_then(|s| u16::try_from(s).ok())
                .unwrap_or(500),
            body: row.response.unwrap_or_default(),
        }))
    }

    pub async fn complete_idempotency(
        &self,
        user: Uuid,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), RepoError> {
        idempotency_key::Entity::update_many()
            .col_expr(
                idempotency_key::Column::Status,
                Expr::value(i32::from(status)),
            )
            .col_expr(idempotency_key::Column::Response, Expr::value(body))
            .filter(idempotency_key::Column::UserId.eq(user))
            .filter(idempotency_key::Column::Key.eq(key))
            .exec(&self.txn)
            .await?;
        Ok(())
    }

    /// Gives a complaint inserted by [`UnitOfWork::insert_complaint`] the next number of `year`
    /// and returns it. The year's counter stays locked until the transaction ends.
    pub async fn assign_number(
        &self,
        id: Uuid,
        year: i32,
        filing: &Filing,
    ) -> Result<String, RepoError> {
        let sequence = self
            .next_in_sequence(&format!("complaint_number_{year}"))
            .await?;
        let number = domain::ComplaintNumber::surgut(
            u16::try_from(year).unwrap_or(u16::MAX),
            u32::try_from(sequence).unwrap_or(u32::MAX),
        )
        .map_err(|e| RepoError::Db(sea_orm::DbErr::Custom(e.to_string())))?
        .to_string();
        complaint::Entity::update_many()
            .col_expr(complaint::Column::Number, Expr::value(number.as_str()))
            .col_expr(
                complaint::Column::SearchText,
                Expr::value(search_text(&number, filing)),
            )
            .filter(complaint::Column::Id.eq(id))
            .exec(&self.txn)
            .await?;
        Ok(number)
    }

    /// Next value of a named counter, e.g. the yearly complaint sequence.
    async fn next_in_sequence(&self, name: &str) -> Result<i64, RepoError> {
        let backend = self.txn.get_database_backend();
        let sql = "INSERT INTO counters (name, value) VALUES (?, 1) \
                   ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value";
        let statement =
            Statement::from_sql_and_values(backend, placeholders(backend, sql), [name.into()]);
        let row = self
            .txn
            .query_one_raw(statement)
            .await?
            .ok_or(RepoError::NotFound)?;
        Ok(row.try_get::<i64>("", "value")?)
    }

    /// Stores a newly registered complaint, its `registered` event and its outbox message. The
    /// complaint's number is provisional (its id) until [`UnitOfWork::assign_number`].
    ///
    /// The number comes last because taking it locks the year's counter until commit, and every
    /// other filing in the city waits for that lock: it is held for two statements, not six.
    pub async fn insert_complaint(
        &self,
        filing: &Filing,
        transition: &domain::Transition,
    ) -> Result<(), RepoError> {
        let c = &transition.complaint;
        let provisional_number = c.id.simple().to_string();
        complaint::Entity::insert(complaint::ActiveModel {
            id: Set(c.id),
            number: Set(provisional_number.clone()),
            status: Set(c.status.as_str().to_owned()),
            round: Set(round_column(c.round)),
            urgent: Set(c.urgent),
            author_id: Set(c.author_id),
            filed_by: Set(c.filed_by),
            applicant_name: Set(filing.applicant_name.clone()),
            applicant_phone: Set(filing.applicant_phone.clone()),
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
            overdue: Set(false),
            closed_at: Set(None),
            updated_at: Set(transition.event.at),
            version: Set(c.version),
            is_test: Set(filing.is_test),
        })
        .exec_without_returning(&self.txn)
        .await?;
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
        self.record_order_and_fine(before, transition, is_test)
            .await?;
        self.insert_event_and_outbox(transition).await
    }

    /// Orders and fines get rows of their own, for the inspection's registers and the scorecard.
    async fn record_order_and_fine(
        &self,
        before: &domain::Complaint,
        transition: &domain::Transition,
        is_test: bool,
    ) -> Result<(), RepoError> {
        let event = &transition.event;
        let company_id = transition
            .complaint
            .company_id
            .or(before.company_id)
            .unwrap_or_default();
        match event.kind {
            domain::EventKind::IssueOrder => {
                if let Some(issued) = &transition.complaint.order {
                    order::ActiveModel {
                        id: Set(issued.id),
                        complaint_id: Set(transition.complaint.id),
                        company_id: Set(company_id),
                        text: Set(issued.text.clone()),
                        due_at: Set(issued.due_at),
                        complied: Set(None),
                        issued_by: Set(event.actor_id),
                        issued_at: Set(event.at),
                        checked_at: Set(None),
                        is_test: Set(is_test),
                    }
                    .insert(&self.txn)
                    .await?;
                }
            }
            domain::EventKind::CheckCompliance => {
                if let Some(checked) = &transition.complaint.order {
                    order::Entity::update_many()
                        .col_expr(order::Column::Complied, Expr::value(checked.complied))
                        .col_expr(order::Column::CheckedAt, Expr::value(Some(event.at)))
                        .filter(order::Column::Id.eq(checked.id))
                        .exec(&self.txn)
                        .await?;
                }
            }
            domain::EventKind::RecordFine => {
                let amount = event
                    .payload
                    .get("amount_rub")
                    .and_then(serde_json::Value::as_i64)
                    .unwrap_or(0);
                let basis = event
                    .payload
                    .get("legal_basis")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default();
                fine::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    complaint_id: Set(transition.complaint.id),
                    order_id: Set(transition.complaint.order.as_ref().map(|o| o.id)),
                    company_id: Set(company_id),
                    amount_rub: Set(amount),
                    legal_basis: Set(basis.to_owned()),
                    recorded_by: Set(event.actor_id),
                    recorded_at: Set(event.at),
                    is_test: Set(is_test),
                }
                .insert(&self.txn)
                .await?;
            }
            domain::EventKind::Registered
            | domain::EventKind::Accept
            | domain::EventKind::AssignExecutor
            | domain::EventKind::ReportDone
            | domain::EventKind::NotOurBuilding
            | domain::EventKind::Reroute
            | domain::EventKind::RecordCall
            | domain::EventKind::ResidentAnswer
            | domain::EventKind::SendToInspection
            | domain::EventKind::Reject
            | domain::EventKind::Withdraw
            | domain::EventKind::RecordFindings
            | domain::EventKind::PauseClock
            | domain::EventKind::ResumeClock => {}
        }
        Ok(())
    }

    async fn insert_event_and_outbox(
        &self,
        transition: &domain::Transition,
    ) -> Result<(), RepoError> {
        let event = &transition.event;
        let c = &transition.complaint;
        complaint_event::Entity::insert(complaint_event::ActiveModel {
            id: Set(Uuid::now_v7()),
            complaint_id: Set(c.id),
            kind: Set(event.kind.as_str().to_owned()),
            actor_id: Set((!event.actor_id.is_nil()).then_some(event.actor_id)),
            actor_role: Set(event.actor_role.as_str().to_owned()),
            on_behalf_of: Set(event.on_behalf_of.clone()),
            from_status: Set(event.from.map(|s| s.as_str().to_owned())),
            to_status: Set(event.to.as_str().to_owned()),
            round: Set(round_column(c.round)),
            at: Set(event.at),
            comment: Set(event.comment.clone()),
            payload: Set(event.payload.clone()),
        })
        .exec_without_returning(&self.txn)
        .await?;
        outbox::Entity::insert(outbox::ActiveModel {
            id: Set(Uuid::now_v7()),
            topic: Set(format!("complaint.{}", event.kind.as_str())),
            complaint_id: Set(Some(c.id)),
            payload: Set(json!({
                "complaint_id": c.id,
                "kind": event.kind.as_str(),
                "from": event.from.map(domain::Status::as_str),
                "to": event.to.as_str(),
                "company_id": c.company_id,
                "author_id": c.author_id,
                "filed_by": c.filed_by,
                "round": c.round,
                "urgent": c.urgent,
                "actor_id": event.actor_id,
            })),
            created_at: Set(event.at),
            delivered_at: Set(None),
            claimed_until: Set(None),
            attempts: Set(0),
        })
        .exec_without_returning(&self.txn)
        .await?;
        Ok(())
    }
}

/// What the list's free-text search matches: the number, the description and the address.
fn search_text(number: &str, filing: &Filing) -> String {
    format!(
        "{number} {} {}",
        filing.description, filing.building_address
    )
    .to_lowercase()
}

fn round_column(round: u32) -> i32 {
    i32::try_from(round).unwrap_or(i32::MAX)
}

fn count_column(count: u32) -> i32 {
    i32::try_from(count).unwrap_or(i32::MAX)
}

/// `?` placeholders as the backend wants them (`$1`, `$2`, … for PostgreSQL).
pub(crate) fn placeholders(backend: DbBackend, sql: &str) -> String {
    match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(ch);
                }
            }
            out
        }
        _ => sql.to_owned(),
    }
}

/// The scorecard of every company and the city's counts, streamed through the domain's
/// [`domain::ScorecardBuilder`] a page at a time: memory stays bounded however long the history.
pub async fn scorecard(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    min_volume: u32,
) -> Result<CityScorecard, RepoError> {
    const COMPLAINT_PAGE: u64 = 2_000;
    const EVENT_PAGE: u64 = 10_000;
    let mut builder = domain::ScorecardBuilder::new(now, min_volume);
    let mut city = CityScorecard::default();
    let mut after: Option<Uuid> = None;
    loop {
        let mut select = base_select();
        if let Some(last) = after {
            select.and_where(Expr::col(("c", "id")).gt(last));
        }
        select
            .order_by(("c", "id"), Order::Asc)
            .limit(COMPLAINT_PAGE);
        let rows = db.query_all(&select).await?;
        for row in &rows {
            let record = to_record(ComplaintRow::from_query_result(row, "")?)?;
            let c = &record.complaint;
            city.received += 1;
            if c.is_open() {
                city.open += 1;
            } else {
                city.closed += 1;
            }
            if domain::is_overdue(c, now) {
                city.overdue += 1;
            }
            builder.add_complaint(c);
            after = Some(c.id);
        }
        if (rows.len() as u64) < COMPLAINT_PAGE {
            break;
        }
    }
    let mut after: Option<Uuid> = None;
    loop {
        let mut select = complaint_event::Entity::find().order_by_asc(complaint_event::Column::Id);
        if let Some(last) = after {
            select = select.filter(complaint_event::Column::Id.gt(last));
        }
        let rows = sea_orm::QuerySelect::limit(select, EVENT_PAGE)
            .all(db)
            .await?;
        let full = rows.len() as u64 == EVENT_PAGE;
        for row in rows {
            after = Some(row.id);
            builder.add_event(&event_from_row(row)?.event);
        }
        if !full {
            break;
        }
    }
    city.scores = builder.finish();
    Ok(city)
}

/// What [`scorecard`] computes.
#[derive(Debug, Clone, Default)]
pub struct CityScorecard {
    pub scores: Vec<domain::CompanyScore>,
    pub received: u32,
    pub open: u32,
    pub closed: u32,
    pub overdue: u32,
}
