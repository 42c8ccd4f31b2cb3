use sea_orm::entity::prelude::*;

/// One legal clock of a complaint (see `domain::Clock`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "complaint_clocks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub complaint_id: Uuid,
    pub code: String,
    pub round: i32,
    pub basis: String,
    pub started_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub paused_at: Option<DateTimeUtc>,
    pub paused_seconds: i64,
    pub met_at: Option<DateTimeUtc>,
    pub missed_at: Option<DateTimeUtc>,
    pub stopped_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
