use sea_orm::entity::prelude::*;

/// One worker pass that erased or deleted something under the retention schedule.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "retention_runs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    pub complaints_erased: i64,
    pub attachments_deleted: i64,
    pub audit_entries_deleted: i64,
    pub idempotency_keys_deleted: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
