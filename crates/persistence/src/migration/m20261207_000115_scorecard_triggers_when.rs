//! The scorecard's counter functions (migration 000091) are called only when a figure changes
//! (issue 18): on PostgreSQL the triggers on `complaints` and `complaint_events` now carry a `WHEN`
//! that the executor checks itself. Before, every transition called both PL/pgSQL functions,
//! which mostly returned at once (an accept changes no figure): about 45 µs a call, the most of
//! what the counters cost an accept.
//!
//! The triggers are written again from `m20261207_000091_scorecard_counters::triggers`, which
//! gives them as they stand; the figures do not change (the random-history test holds them equal
//! to a full count). SQLite's triggers already carry their conditions and are left as they are.
//! `down` leaves the new form for that reason.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use super::m20261207_000091_scorecard_counters::{drop_triggers, triggers};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        if backend != DbBackend::Postgres {
            return Ok(());
        }
        for sql in drop_triggers(backend).into_iter().chain(triggers(backend)) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
