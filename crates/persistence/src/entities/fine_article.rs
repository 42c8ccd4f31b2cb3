use sea_orm::entity::prelude::*;

/// An article of КоАП РФ the inspection fines under, with its ranges in roubles.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "fine_articles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub title_ru: String,
    pub legal_entity_min: i64,
    pub legal_entity_max: i64,
    pub official_min: i64,
    pub official_max: i64,
    pub is_active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
