use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub login: String,
    pub role: String,
    pub organisation_id: Option<Uuid>,
    pub password_hash: String,
    pub is_active: bool,
    pub is_test: bool,
    /// An organisation's service account: acts through API keys, never signs in.
    pub is_service: bool,
    pub created_at: DateTimeUtc,
    /// When the account was anonymised on its owner's request (152-ФЗ).
    pub erased_at: Option<DateTimeUtc>,
    /// The account owner's person (migration 000095), where their name, phone and e-mail are
    /// (migration 000110); none for a service account.
    pub person_id: Option<Uuid>,
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
