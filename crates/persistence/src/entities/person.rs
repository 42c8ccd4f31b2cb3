use sea_orm::entity::prelude::*;

/// A person the service holds personal data about (migration 000095): an account's owner or
/// the applicant a clerk filed for. Erasure anonymises this one row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "persons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub flat: Option<String>,
    pub consent_version: Option<String>,
    pub is_test: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub erased_at: Option<DateTimeUtc>,
    /// An account's owner (migration 000110): their phone is unique among accounts.
    pub is_account: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
