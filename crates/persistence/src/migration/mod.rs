//! Schema migrations, applied in order at start-up and by `dispatch migrate`.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

/// A migration that writes a set of triggers again as they stand now ([`rewrite_triggers`] with
/// the set's `drop` and `create`): the triggers change how they keep their figures, not what the
/// figures are, so `down` leaves the new form. Its name is its file's, as for every migration.
macro_rules! rewrite_triggers_migration {
    ($drop:path, $create:path) => {
        use sea_orm_migration::prelude::*;

        #[derive(DeriveMigrationName)]
        pub struct Migration;

        #[async_trait::async_trait]
        impl MigrationTrait for Migration {
            async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                super::rewrite_triggers(manager, $drop, $create).await
            }

            async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
                Ok(())
            }
        }
    };
}

mod m20261128_000001_registries;
mod m20261128_000002_complaints;
mod m20261128_000003_api_keys;
mod m20261128_000004_registry_history;
mod m20261128_000010_attachments;
mod m20261128_000011_append_only_history;
mod m20261128_000012_open_queue_indexes;
mod m20261129_000013_service_accounts;
mod m20261129_000014_sync;
mod m20261129_000015_messaging;
mod m20261206_000016_building_coordinates;
mod m20261206_000016_phone_verifications;
mod m20261206_000020_webhooks;
mod m20261206_000021_purge_test_data;
mod m20261206_000022_history_chain;
mod m20261206_000023_personal_out_of_history;
pub(crate) mod m20261206_000024_erasure;
mod m20261206_000025_retention_runs;
mod m20261206_000030_audit_log_reader;
mod m20261206_000035_throttle_attempts;
mod m20261206_000040_category_privacy;
mod m20261206_000041_attachment_quota_index;
mod m20261206_000045_fines_by_article;
mod m20261206_000046_answer_extension;
mod m20261206_000047_deadline_at_filing;
mod m20261207_000050_attachment_blobs;
mod m20261207_000055_policy_versions;
mod m20261207_000056_escalation_firings;
mod m20261207_000060_paperwork;
mod m20261207_000065_organisation_directory;
mod m20261207_000070_call_desk;
mod m20261207_000075_complaint_clocks;
mod m20261207_000080_calendar_years;
mod m20261207_000087_duplicates;
pub(crate) mod m20261207_000091_scorecard_counters;
mod m20261207_000095_persons;
mod m20261207_000100_phone_out_of_history;
mod m20261207_000101_drop_applicant_columns;
mod m20261207_000102_persons_email_index;
pub(crate) mod m20261207_000106_scorecard_clocks;
mod m20261207_000110_accounts_without_copies;
mod m20261207_000111_name_out_of_history;
mod m20261207_000112_followers_persons;
mod m20261207_000113_fold_clock_updates;
mod m20261207_000114_service_account_index;
mod m20261207_000115_event_trigger_skips;
mod m20261207_000116_complaint_trigger_when;
mod m20261207_000117_clock_counts_written;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_registries::Migration),
            Box::new(m20261128_000002_complaints::Migration),
            Box::new(m20261128_000003_api_keys::Migration),
            Box::new(m20261128_000004_registry_history::Migration),
            Box::new(m20261128_000010_attachments::Migration),
            Box::new(m20261128_000011_append_only_history::Migration),
            Box::new(m20261128_000012_open_queue_indexes::Migration),
            Box::new(m20261129_000013_service_accounts::Migration),
            Box::new(m20261129_000014_sync::Migration),
            Box::new(m20261129_000015_messaging::Migration),
            Box::new(m20261206_000016_building_coordinates::Migration),
            Box::new(m20261206_000016_phone_verifications::Migration),
            Box::new(m20261206_000020_webhooks::Migration),
            Box::new(m20261206_000021_purge_test_data::Migration),
            Box::new(m20261206_000022_history_chain::Migration),
            Box::new(m20261206_000023_personal_out_of_history::Migration),
            Box::new(m20261206_000024_erasure::Migration),
            Box::new(m20261206_000025_retention_runs::Migration),
            Box::new(m20261206_000030_audit_log_reader::Migration),
            Box::new(m20261206_000035_throttle_attempts::Migration),
            Box::new(m20261206_000040_category_privacy::Migration),
            Box::new(m20261206_000041_attachment_quota_index::Migration),
            Box::new(m20261206_000045_fines_by_article::Migration),
            Box::new(m20261206_000046_answer_extension::Migration),
            Box::new(m20261206_000047_deadline_at_filing::Migration),
            Box::new(m20261207_000050_attachment_blobs::Migration),
            Box::new(m20261207_000055_policy_versions::Migration),
            Box::new(m20261207_000056_escalation_firings::Migration),
            Box::new(m20261207_000060_paperwork::Migration),
            Box::new(m20261207_000065_organisation_directory::Migration),
            Box::new(m20261207_000070_call_desk::Migration),
            Box::new(m20261207_000075_complaint_clocks::Migration),
            Box::new(m20261207_000080_calendar_years::Migration),
            Box::new(m20261207_000087_duplicates::Migration),
            Box::new(m20261207_000091_scorecard_counters::Migration),
            Box::new(m20261207_000095_persons::Migration),
            Box::new(m20261207_000100_phone_out_of_history::Migration),
            Box::new(m20261207_000101_drop_applicant_columns::Migration),
            Box::new(m20261207_000102_persons_email_index::Migration),
            Box::new(m20261207_000106_scorecard_clocks::Migration),
            Box::new(m20261207_000110_accounts_without_copies::Migration),
            Box::new(m20261207_000111_name_out_of_history::Migration),
            Box::new(m20261207_000112_followers_persons::Migration),
            Box::new(m20261207_000113_fold_clock_updates::Migration),
            Box::new(m20261207_000114_service_account_index::Migration),
            Box::new(m20261207_000115_event_trigger_skips::Migration),
            Box::new(m20261207_000116_complaint_trigger_when::Migration),
            Box::new(m20261207_000117_clock_counts_written::Migration),
        ]
    }
}

/// Drops triggers and creates them again as they stand now: for a migration that changes how a
/// set of triggers works but not what it keeps (`drop` and `create` give the set's SQL).
///
/// In one transaction, on one connection: all or nothing, and each `CREATE` sees the drops
/// before it. SQLite's migrations run outside a transaction, statement by statement on any
/// pooled connection, and under load CI once saw a `CREATE` find the trigger it had just
/// dropped ("trigger … already exists").
async fn rewrite_triggers(
    manager: &SchemaManager<'_>,
    drop: fn(DbBackend) -> Vec<String>,
    create: fn(DbBackend) -> Vec<String>,
) -> Result<(), DbErr> {
    let txn = manager.begin().await?;
    let db = txn.get_connection();
    let backend = db.get_database_backend();
    for sql in drop(backend).into_iter().chain(create(backend)) {
        db.execute_unprepared(&sql).await?;
    }
    txn.commit().await
}
