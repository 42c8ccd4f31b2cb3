use sea_orm::entity::prelude::*;

/// A self-registration waiting for its SMS code.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "phone_verifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub phone: String,
    pub name: String,
    pub email: Option<String>,
    pub password_hash: String,
    pub consent_version: String,
    pub is_test: bool,
    pub code_hash: Option<String>,
    pub salt: String,
    pub attempts: i32,
    pub expires_at: DateTimeUtc,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
