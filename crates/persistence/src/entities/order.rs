use sea_orm::entity::prelude::*;

/// An order (предписание) of the housing inspection.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `П-2026-00001`; given in the transaction that issues the order.
    pub number: Option<String>,
    pub complaint_id: Uuid,
    pub company_id: Uuid,
    pub text: String,
    pub due_at: DateTimeUtc,
    pub complied: Option<bool>,
    pub issued_by: Uuid,
    pub issued_at: DateTimeUtc,
    pub checked_at: Option<DateTimeUtc>,
    pub is_test: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
