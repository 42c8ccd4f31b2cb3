use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "fines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub complaint_id: Uuid,
    pub order_id: Option<Uuid>,
    pub company_id: Uuid,
    pub amount_rub: i64,
    pub legal_basis: String,
    /// The article's code in `fine_articles` (absent for fines recorded before the register).
    pub article: Option<String>,
    /// `legal_entity` or `official`.
    pub offender: Option<String>,
    pub recorded_by: Uuid,
    pub recorded_at: DateTimeUtc,
    pub is_test: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
