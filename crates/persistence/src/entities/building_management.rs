use sea_orm::entity::prelude::*;

/// One period during which a company managed a building; `until` is empty for the current one.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "building_management")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub building_id: Uuid,
    pub company_id: Uuid,
    pub since: DateTimeUtc,
    pub until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
