//! A complaint keeps the execution deadline of its category as it was when it was filed (issue 15):
//! an administrator who changes a category's deadline changes it for new complaints only, never the
//! next rounds of one already filed. Existing complaints take their category's deadline of today.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            string_len_null("deadline_unit", 16),
            integer_null("deadline_value"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("complaints")
                        .add_column(column.to_owned())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE complaints SET \
                 deadline_unit = (SELECT k.deadline_unit FROM categories k WHERE k.id = complaints.category_id), \
                 deadline_value = (SELECT k.deadline_value FROM categories k WHERE k.id = complaints.category_id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["deadline_unit", "deadline_value"] {
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
