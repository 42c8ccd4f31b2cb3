use sea_orm::entity::prelude::*;

/// One part of an attachment's bytes (finding 6: the bytes live outside `attachments`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attachment_blobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub attachment_id: Uuid,
    /// 0, 1, 2, …: the part's place in the file.
    #[sea_orm(primary_key, auto_increment = false)]
    pub part: i32,
    pub data: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
