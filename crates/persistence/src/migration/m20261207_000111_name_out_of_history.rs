//! The applicant's name out of the history (152-ФЗ, issue 14): `complaint_events.on_behalf_of`,
//! the name of the person a clerk filed for, copied into the registration event, goes. The
//! history names them at read time from the complaint's person (migration 000095), as it shows
//! their masked phone since migration 000100; an erased complaint names no one.
//!
//! The column was outside the hash chain, so no hash and no checkpoint changes. The erasure rule
//! of migration 000024 named it (and `personal.applicant_phone`, gone since 000100), so the rule
//! is written again first, the same in every other respect: an event of an erased complaint may
//! lose its `comment` and `personal.description` and nothing else. On SQLite the `UPDATE`
//! trigger is dropped and created again in the same batch as the column's drop (SQLite refuses
//! to drop a column a trigger names).
//!
//! `down` puts the column back, empty (the names stay with the persons), and 000024's rule.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

use super::m20261206_000024_erasure::{PG_FUNCTION_WITH_ERASE, SQLITE_NO_UPDATE_BUT_ERASURE};

#[derive(DeriveMigrationName)]
pub struct Migration;

const PG_FUNCTION: &str = "CREATE OR REPLACE FUNCTION complaint_events_append_only() \
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
          AND (to_jsonb(NEW) - 'comment' - 'personal') = (to_jsonb(OLD) - 'comment' - 'personal') \
          AND NEW.comment IS NULL \
          AND NOT (COALESCE(NEW.personal, '{}'::jsonb) ? 'description') \
          AND (COALESCE(NEW.personal, '{}'::jsonb) - 'description') \
              = (COALESCE(OLD.personal, '{}'::jsonb) - 'description') THEN \
         RETURN NEW; \
       END IF; \
       RAISE EXCEPTION 'complaint_events is append-only'; \
     END $$; \
     ALTER TABLE complaint_events DROP COLUMN on_behalf_of;";

const SQLITE_TRIGGER_AND_DROP: &str = "DROP TRIGGER complaint_events_no_update; \
     ALTER TABLE complaint_events DROP COLUMN on_behalf_of; \
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
               AND NEW.comment IS NULL \
               AND json_type(NEW.personal, '$.description') IS NULL \
               AND json_remove(COALESCE(NEW.personal, '{}'), '$.description') \
                   IS json_remove(COALESCE(OLD.personal, '{}'), '$.description')) \
     BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END;";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => db.execute_unprepared(PG_FUNCTION).await?,
            _ => db.execute_unprepared(SQLITE_TRIGGER_AND_DROP).await?,
        };
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Sqlite {
            db.execute_unprepared("DROP TRIGGER complaint_events_no_update")
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("complaint_events")
                    .add_column(string_len_null("on_behalf_of", 200))
                    .to_owned(),
            )
            .await?;
        match db.get_database_backend() {
            DbBackend::Postgres => db.execute_unprepared(PG_FUNCTION_WITH_ERASE).await?,
            // 000024's text without its first statement, which made the (still present)
            // `erase_mode` table.
            _ => {
                let (_, trigger) = SQLITE_NO_UPDATE_BUT_ERASURE
                    .split_once("DROP TRIGGER IF EXISTS")
                    .ok_or_else(|| DbErr::Migration("000024's trigger text changed".into()))?;
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS{trigger}"))
                    .await?
            }
        };
        Ok(())
    }
}
