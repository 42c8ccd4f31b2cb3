use sea_orm::entity::prelude::*;

/// An inspection act (акт проверки): what the inspection found on site, numbered per year.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_acts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: String,
    pub complaint_id: Uuid,
    pub company_id: Option<Uuid>,
    pub violation: bool,
    pub findings: String,
    pub inspector_id: Uuid,
    pub recorded_at: DateTimeUtc,
    pub is_test: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
