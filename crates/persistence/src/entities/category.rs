use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "categories")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name_ru: String,
    pub name_en: String,
    pub emergency: bool,
    /// `hours`, `working_days` or `calendar_days`.
    pub deadline_unit: String,
    pub deadline_value: i32,
    pub legal_basis: Option<String>,
    pub is_active: bool,
    /// About one flat: its complaints stay out of every public view (finding 19).
    pub identifies_occupant: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
