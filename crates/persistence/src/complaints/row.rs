//! One query for a complaint with everything a screen shows, and its row decoded by position.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, QueryResult, TryGetable};
use uuid::Uuid;

use super::{BuildingSummary, ComplaintRecord, count_from_column};
use crate::RepoError;
use crate::mapping::{deadline_from_columns, parse_enum};

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
    violation_found: bool,
    answer_extended: bool,
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
    category_identifies_occupant: bool,
    /// The applicant's person (none once the complaint is erased).
    applicant_name: Option<String>,
    applicant_phone: Option<String>,
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
            violation_found: columns.next()?,
            answer_extended: columns.next()?,
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
            category_identifies_occupant: columns.next()?,
            applicant_name: columns.next()?,
            applicant_phone: columns.next()?,
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
    "violation_found",
    "answer_extended",
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
        // The deadline as it was at filing; the category's today for complaints from before.
        .expr_as(
            Func::coalesce([
                Expr::col(("c", "deadline_unit")),
                Expr::col(("k", "deadline_unit")),
            ]),
            "category_deadline_unit",
        )
        .expr_as(
            Func::coalesce([
                Expr::col(("c", "deadline_value")),
                Expr::col(("k", "deadline_value")),
            ]),
            "category_deadline_value",
        )
        .expr_as(Expr::col(("o", "name")), "company_name")
        .expr_as(Expr::col(("r", "id")), "order_id")
        .expr_as(Expr::col(("r", "due_at")), "order_due_at")
        .expr_as(Expr::col(("r", "text")), "order_text")
        .expr_as(Expr::col(("r", "complied")), "order_complied")
        .expr_as(
            Expr::col(("k", "identifies_occupant")),
            "category_identifies_occupant",
        )
        .expr_as(Expr::col(("p", "name")), "applicant_name")
        .expr_as(Expr::col(("p", "phone")), "applicant_phone")
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
        )
        // Who complained lives in one place (issue 14); an erased complaint shows no one even
        // while its person is still held for another complaint.
        .join_as(
            JoinType::LeftJoin,
            "persons",
            "p",
            Expr::col(("p", "id"))
                .equals(("c", "applicant_id"))
                .and(Expr::col(("c", "erased_at")).is_null()),
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
        round: count_from_column("round", row.round)?,
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
        unanswered_calls: count_from_column("unanswered_calls", row.unanswered_calls)?,
        executor: row.executor,
        order,
        violation_found: row.violation_found,
        answer_extended: row.answer_extended,
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
        category_identifies_occupant: row.category_identifies_occupant,
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
