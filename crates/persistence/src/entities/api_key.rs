use sea_orm::entity::prelude::*;

/// An API key of a service account, bound to one organisation. Only the SHA-256 of the key is kept.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub organisation_id: Uuid,
    /// Space-separated scope names.
    pub scopes: String,
    pub key_hash: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub expires_at: Option<DateTimeUtc>,
    /// After a rotation, the hash of the key before it, accepted until `previous_valid_until`.
    pub previous_key_hash: Option<String>,
    pub previous_valid_until: Option<DateTimeUtc>,
    /// Requests per minute; `None` for the configured default.
    pub rate_limit_per_minute: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id"
    )]
    Organisation,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
