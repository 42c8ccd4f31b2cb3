//! Erasure (152-ФЗ): the one redaction the append-only history allows.
//!
//! `complaints.erased_at` marks a complaint whose personal data was erased (the name, phone,
//! flat, description and PIN are gone from its row); `erasure_requested_at` marks one whose
//! erasure waits until it closes (under the inspection or an order, see
//! `domain::privacy::erasure_decision`). `users.erased_at` marks an anonymised account.
//!
//! An event of a complaint may be updated only when all of these hold, checked by the database
//! for each row, and every other `UPDATE` (and `DELETE`, but for the test-data purge of
//! migration 000021) fails as before, whoever tries:
//!
//! - the transaction has switched erase mode on;
//! - the event's complaint is marked `erased_at`;
//! - only `comment`, `on_behalf_of` and `personal` change: the hashed columns, the hashes and
//!   the rest stay exactly as they were;
//! - `comment` and `on_behalf_of` become NULL, and `personal` loses the applicant's fields
//!   (`domain::privacy::ERASED_EVENT_FIELDS`: `description`, `applicant_phone`) and nothing
//!   else changes in it (the executor's name stays).
//!
//! Erase mode is switched on as the purge mode of 000021 is, only inside one transaction:
//! `set_config('dispatch.erase', 'on', true)` on PostgreSQL, a row in the one-row table
//! `erase_mode` on SQLite (inserted and deleted again inside the erasing transaction).
//! `persistence::privacy` is the one caller.
//!
//! On SQLite the trigger names each column that must stay; a column added to `complaint_events`
//! later must be added to its list (PostgreSQL compares whole rows).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

pub(crate) const PG_FUNCTION_WITH_ERASE: &str = "CREATE OR REPLACE FUNCTION complaint_events_append_only() \
     RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
       IF TG_OP = 'DELETE' \
          AND current_setting('dispatch.purge', true) = 'on' \
          AND EXISTS (SELECT 1 FROM complaints c WHERE c.id = OLD.complaint_id AND c.is_test) THEN \
         RETURN OLD; \
       END IF; \
       IF TG_OP = 'UPDATE' \
          AND current_setting('dispatch.erase', true) = 'on' \
          AND EXISTS (SELECT 1 FROM complaints c \
                      WHERE c.id = OLD.complaint_id AND c.erased_at IS NOT NULL) \
          AND (to_jsonb(NEW) - 'comment' - 'on_behalf_of' - 'personal') \
              = (to_jsonb(OLD) - 'comment' - 'on_behalf_of' - 'personal') \
          AND NEW.comment IS NULL AND NEW.on_behalf_of IS NULL \
          AND NOT (COALESCE(NEW.personal, '{}'::jsonb) ?| ARRAY['description', 'applicant_phone']) \
          AND (COALESCE(NEW.personal, '{}'::jsonb) - 'description' - 'applicant_phone') \
              = (COALESCE(OLD.personal, '{}'::jsonb) - 'description' - 'applicant_phone') THEN \
         RETURN NEW; \
       END IF; \
       RAISE EXCEPTION 'complaint_events is append-only'; \
     END $$";

const PG_FUNCTION_PURGE_ONLY: &str = "CREATE OR REPLACE FUNCTION complaint_events_append_only() \
     RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
       IF TG_OP = 'DELETE' \
          AND current_setting('dispatch.purge', true) = 'on' \
          AND EXISTS (SELECT 1 FROM complaints c WHERE c.id = OLD.complaint_id AND c.is_test) THEN \
         RETURN OLD; \
       END IF; \
       RAISE EXCEPTION 'complaint_events is append-only'; \
     END $$";

/// The SQLite trigger: the same conditions, column by column.
pub(crate) const SQLITE_NO_UPDATE_BUT_ERASURE: &str = "CREATE TABLE erase_mode (id INTEGER PRIMARY KEY CHECK (id = 1)); \
     DROP TRIGGER IF EXISTS complaint_events_no_update; \
     CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events \
     WHEN NOT (EXISTS (SELECT 1 FROM erase_mode) \
               AND EXISTS (SELECT 1 FROM complaints c \
                           WHERE c.id = OLD.complaint_id AND c.erased_at IS NOT NULL) \
               AND NEW.id IS OLD.id AND NEW.complaint_id IS OLD.complaint_id \
               AND NEW.kind IS OLD.kind AND NEW.actor_id IS OLD.actor_id \
               AND NEW.actor_kind IS OLD.actor_kind AND NEW.actor_role IS OLD.actor_role \
               AND NEW.from_status IS OLD.from_status AND NEW.to_status IS OLD.to_status \
               AND NEW.round IS OLD.round AND NEW.at IS OLD.at AND NEW.payload IS OLD.payload \
               AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash \
               AND NEW.comment IS NULL AND NEW.on_behalf_of IS NULL \
               AND json_type(NEW.personal, '$.description') IS NULL \
               AND json_type(NEW.personal, '$.applicant_phone') IS NULL \
               AND json_remove(COALESCE(NEW.personal, '{}'), '$.description', '$.applicant_phone') \
                   IS json_remove(COALESCE(OLD.personal, '{}'), '$.description', '$.applicant_phone')) \
     BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END;";

const SQLITE_NO_UPDATE: &str = "DROP TRIGGER IF EXISTS complaint_events_no_update; \
     CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events \
     BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END; \
     DROP TABLE IF EXISTS erase_mode;";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["erased_at", "erasure_requested_at"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("complaints")
                        .add_column(timestamp_with_time_zone_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .add_column(timestamp_with_time_zone_null("erased_at"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(PG_FUNCTION_WITH_ERASE).await?;
            }
            // One call: see migration 000021 on why the DROP and the CREATE go together.
            _ => {
                db.execute_unprepared(SQLITE_NO_UPDATE_BUT_ERASURE).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(PG_FUNCTION_PURGE_ONLY).await?;
            }
            _ => {
                db.execute_unprepared(SQLITE_NO_UPDATE).await?;
            }
        }
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .drop_column("erased_at")
                    .to_owned(),
            )
            .await?;
        for column in ["erasure_requested_at", "erased_at"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("complaints")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
