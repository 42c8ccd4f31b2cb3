//! The one way past the append-only history: purging the events of complaints marked as test.
//!
//! A complaint event may be deleted only when both hold, checked by the database for each row:
//!
//! - the transaction has switched purge mode on, and
//! - the event's complaint is marked `is_test` (events carry no flag of their own: the
//!   complaint's is the one the purge deletes by, and it still exists while its events go).
//!
//! Every other `DELETE`, and every `UPDATE`, fails as before, whoever tries.
//!
//! How a transaction switches purge mode on differs by backend, to the same effect: only inside
//! that one transaction, never visible to another, gone when it ends.
//!
//! - PostgreSQL: `SELECT set_config('dispatch.purge', 'on', true)`, a transaction-local setting
//!   (`SET LOCAL`) that the trigger function reads with `current_setting('dispatch.purge', true)`.
//!   It reverts at `COMMIT` or `ROLLBACK`; another session never sees it.
//! - SQLite has no session settings, so the trigger's `WHEN` clause consults a one-row table,
//!   `purge_mode`. The purge inserts its row inside the transaction and deletes it again before
//!   committing. SQLite has one writer at a time and other connections never read uncommitted
//!   rows, so no one else ever sees the row; a rollback removes it too.
//!
//! `persistence::test_data::purge` is the one caller.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const PG_FUNCTION_WITH_PURGE: &str = "CREATE OR REPLACE FUNCTION complaint_events_append_only() \
     RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
       IF TG_OP = 'DELETE' \
          AND current_setting('dispatch.purge', true) = 'on' \
          AND EXISTS (SELECT 1 FROM complaints c WHERE c.id = OLD.complaint_id AND c.is_test) THEN \
         RETURN OLD; \
       END IF; \
       RAISE EXCEPTION 'complaint_events is append-only'; \
     END $$";

const PG_FUNCTION_ORIGINAL: &str = "CREATE OR REPLACE FUNCTION complaint_events_append_only() \
     RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN RAISE EXCEPTION 'complaint_events is append-only'; END $$";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(PG_FUNCTION_WITH_PURGE).await?;
            }
            _ => {
                // One call: the pool might otherwise run the `DROP` and the `CREATE` on two
                // connections, and the second, its schema not yet reloaded, still sees the old
                // trigger.
                db.execute_unprepared(
                    "CREATE TABLE purge_mode (id INTEGER PRIMARY KEY CHECK (id = 1)); \
                     DROP TRIGGER IF EXISTS complaint_events_no_delete; \
                     CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events \
                     WHEN NOT (EXISTS (SELECT 1 FROM purge_mode) \
                               AND EXISTS (SELECT 1 FROM complaints c \
                                           WHERE c.id = OLD.complaint_id AND c.is_test)) \
                     BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END;",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(PG_FUNCTION_ORIGINAL).await?;
            }
            _ => {
                db.execute_unprepared(
                    "DROP TRIGGER IF EXISTS complaint_events_no_delete; \
                     CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events \
                     BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END; \
                     DROP TABLE IF EXISTS purge_mode;",
                )
                .await?;
            }
        }
        Ok(())
    }
}
