use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "complaints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub number: String,
    pub status: String,
    pub round: i32,
    pub urgent: bool,
    pub author_id: Option<Uuid>,
    pub filed_by: Uuid,
    pub consent_version: Option<String>,
    pub pin_hash: Option<String>,
    pub building_id: Uuid,
    pub flat: Option<String>,
    pub company_id: Option<Uuid>,
    pub category_id: Uuid,
    pub description: String,
    pub search_text: String,
    pub registered_at: DateTimeUtc,
    pub due_at: Option<DateTimeUtc>,
    pub answer_due_at: DateTimeUtc,
    pub paused_since: Option<DateTimeUtc>,
    pub unanswered_calls: i32,
    pub executor: Option<String>,
    pub order_id: Option<Uuid>,
    pub violation_found: bool,
    pub answer_extended: bool,
    /// The category's execution deadline when the complaint was filed (`None`: the category's).
    pub deadline_unit: Option<String>,
    pub deadline_value: Option<i32>,
    pub overdue: bool,
    pub closed_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub is_test: bool,
    /// When the applicant's personal data was erased (152-ФЗ); the facts stay.
    pub erased_at: Option<DateTimeUtc>,
    /// An erasure asked for while the complaint is under the inspection or an order: done once
    /// it closes.
    pub erasure_requested_at: Option<DateTimeUtc>,
    /// The applicant's person (migration 000095): the account's owner or the person a clerk
    /// filed for.
    pub applicant_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
