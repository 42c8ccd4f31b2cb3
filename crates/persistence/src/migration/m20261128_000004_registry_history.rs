//! What the administrators' registries rely on: at most one open management period per building
//! (a concurrent second change of manager fails instead of leaving two current companies), the
//! history of a building found by its id, and an ИНН that names one organisation (the CSV import
//! finds companies by it).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // A partial index, written the same way for PostgreSQL and SQLite.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_building_management_open \
             ON building_management (building_id) WHERE until IS NULL",
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_building_management_building")
                    .table("building_management")
                    .col("building_id")
                    .col("since")
                    .to_owned(),
            )
            .await?;
        // NULLs are distinct in both databases: organisations without an ИНН are unaffected.
        manager
            .create_index(
                Index::create()
                    .name("ux_organisations_inn")
                    .table("organisations")
                    .col("inn")
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ux_organisations_inn", "organisations"),
            ("ix_building_management_building", "building_management"),
            ("ux_building_management_open", "building_management"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
