//! Indexes for the administrator's reader of the audit log: newest first, by actor, action or
//! complaint, and by period.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str); 4] = [
    ("ix_audit_log_actor", "actor_id, id"),
    ("ix_audit_log_action", "action, id"),
    ("ix_audit_log_complaint", "complaint_id, id"),
    ("ix_audit_log_at", "at"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, columns) in INDEXES {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON audit_log ({columns})"))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, _) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
        }
        Ok(())
    }
}
