use sea_orm::entity::prelude::*;

/// A daily city-wide checkpoint: the Merkle root of every complaint's chain head before `cutoff`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "history_checkpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    pub cutoff: DateTimeUtc,
    pub root: String,
    pub complaints: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
