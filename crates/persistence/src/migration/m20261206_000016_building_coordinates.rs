//! An index on buildings' coordinates: an Open311 request filed by `lat`/`long` looks for the
//! buildings inside a small box around the point (`registry::buildings_within`), which without it
//! reads the whole registry (20,000 buildings in the benchmark city) on every filing.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_buildings_coordinates")
                    .table("buildings")
                    .col("latitude")
                    .col("longitude")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_buildings_coordinates")
                    .table("buildings")
                    .to_owned(),
            )
            .await
    }
}
