use sea_orm::entity::prelude::*;

/// One version of the lifecycle policy and its escalation rules.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "policy_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub version: i32,
    pub effective_from: DateTimeUtc,
    pub policy: Json,
    pub rules: Json,
    pub editor_id: Option<Uuid>,
    pub editor_login: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
