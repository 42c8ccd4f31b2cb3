use sea_orm::entity::prelude::*;

/// One message by one channel to one address, on its way through a gateway.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub complaint_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub kind: String,
    pub channel: String,
    pub language: String,
    pub address: String,
    pub subject: Option<String>,
    pub body: String,
    pub shown_body: String,
    pub state: String,
    pub not_before: DateTimeUtc,
    pub claimed_until: Option<DateTimeUtc>,
    pub attempts: i32,
    pub gateway_id: Option<String>,
    pub segments: Option<i32>,
    pub receipt_status: Option<String>,
    pub error: Option<String>,
    pub is_test: bool,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
