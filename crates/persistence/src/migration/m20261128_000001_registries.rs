//! Registries: organisations, users, buildings (with management history) and categories.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("organisations")
                    .col(pk_uuid("id"))
                    .col(string_len("kind", 32))
                    .col(string_len("name", 300))
                    .col(string_len_null("inn", 12))
                    .col(string_len_null("phone", 32))
                    .col(string_len_null("email", 254))
                    .col(boolean("is_test").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(pk_uuid("id"))
                    .col(string_len_uniq("login", 254))
                    .col(string_len("name", 200))
                    .col(string_len_null("phone", 16))
                    .col(string_len_null("email", 254))
                    .col(string_len("role", 16))
                    .col(uuid_null("organisation_id"))
                    .col(string_len("password_hash", 200))
                    .col(boolean("is_active").default(true))
                    .col(boolean("is_test").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("users", "organisation_id")
                            .to("organisations", "id"),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("buildings")
                    .col(pk_uuid("id"))
                    .col(string_len("address", 300))
                    .col(string_len("district", 100))
                    .col(string_len_null("fias_id", 36))
                    .col(double_null("latitude"))
                    .col(double_null("longitude"))
                    .col(uuid_null("company_id"))
                    .col(boolean("is_test").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("buildings", "company_id")
                            .to("organisations", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_buildings_company")
                    .table("buildings")
                    .col("company_id")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("building_management")
                    .col(pk_uuid("id"))
                    .col(uuid("building_id"))
                    .col(uuid("company_id"))
                    .col(timestamp_with_time_zone("since"))
                    .col(timestamp_with_time_zone_null("until"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("building_management", "building_id")
                            .to("buildings", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("building_management", "company_id")
                            .to("organisations", "id"),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("categories")
                    .col(pk_uuid("id"))
                    .col(string_len_uniq("code", 64))
                    .col(string_len("name_ru", 200))
                    .col(string_len("name_en", 200))
                    .col(boolean("emergency"))
                    .col(string_len("deadline_unit", 16))
                    .col(integer("deadline_value"))
                    .col(string_len_null("legal_basis", 200))
                    .col(boolean("is_active").default(true))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "categories",
            "building_management",
            "buildings",
            "users",
            "organisations",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
