//! The history is append-only in the database itself: updating or deleting a complaint event
//! fails, whoever tries.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION complaint_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN RAISE EXCEPTION 'complaint_events is append-only'; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER complaint_events_append_only BEFORE UPDATE OR DELETE ON complaint_events \
                     FOR EACH ROW EXECUTE FUNCTION complaint_events_append_only()",
                )
                .await?;
            }
            _ => {
                for (name, operation) in [("no_update", "UPDATE"), ("no_delete", "DELETE")] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER complaint_events_{name} BEFORE {operation} ON complaint_events \
                         BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "DROP TRIGGER IF EXISTS complaint_events_append_only ON complaint_events",
                )
                .await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS complaint_events_append_only()")
                    .await?;
            }
            _ => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS complaint_events_no_update")
                    .await?;
                db.execute_unprepared("DROP TRIGGER IF EXISTS complaint_events_no_delete")
                    .await?;
            }
        }
        Ok(())
    }
}
