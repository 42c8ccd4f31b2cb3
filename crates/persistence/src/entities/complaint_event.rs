use sea_orm::entity::prelude::*;

/// One step in a complaint's history. Rows are only ever inserted.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "complaint_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub complaint_id: Uuid,
    pub kind: String,
    pub actor_id: Option<Uuid>,
    /// `user`, `service_account` or `system`.
    pub actor_kind: String,
    pub actor_role: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub round: i32,
    pub at: DateTimeUtc,
    pub comment: Option<String>,
    /// The hashed details: never personal data (`domain::PERSONAL_FIELDS` are not in it).
    pub payload: Json,
    /// The details' personal fields and free text, beside the payload and not hashed, so that
    /// erasure can redact them (NULL then, or for an event with none).
    pub personal: Option<Json>,
    /// Hex SHA-256 of the previous event of the complaint (zeros for the first).
    pub prev_hash: Option<String>,
    /// Hex SHA-256 of `prev_hash` and this event's canonical bytes (`domain::history_chain`).
    pub hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
