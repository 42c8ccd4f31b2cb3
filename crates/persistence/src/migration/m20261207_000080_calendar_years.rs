//! The production calendar as data (issue 15): every year an administrator uploaded, as a
//! version with its editor and time. The numbers run across all years, so one small query for
//! the highest tells a replica whether its calendar is still current; the latest upload of a year
//! replaces the compiled one.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("calendar_years")
                    .col(pk_uuid("id"))
                    .col(integer("version").unique_key())
                    .col(integer("year"))
                    .col(json("data"))
                    .col(uuid("editor_id"))
                    .col(string_len("editor_login", 254))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("calendar_years_by_year")
                    .table("calendar_years")
                    .col("year")
                    .col("version")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("calendar_years").to_owned())
            .await
    }
}
