//! Personal data in one place (152-ФЗ, issue 14), the contract step for complaints: a
//! complaint's applicant is read from its person (`complaints.applicant_id`, migration 000095)
//! only, and the old copies, `complaints.applicant_name` and `applicant_phone`, go. No index or
//! trigger names them, so SQLite drops them in place as PostgreSQL does.
//!
//! `down` puts the columns back and fills them from the persons of complaints not erased.

use sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [(&str, u32); 2] = [("applicant_name", 200), ("applicant_phone", 16)];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (column, _) in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("complaints")
                        .drop_column(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (column, length) in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("complaints")
                        .add_column(string_len_null(column, length))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE complaints SET \
                 applicant_name = (SELECT p.name FROM persons p WHERE p.id = complaints.applicant_id), \
                 applicant_phone = (SELECT p.phone FROM persons p WHERE p.id = complaints.applicant_id) \
                 WHERE erased_at IS NULL",
            )
            .await?;
        Ok(())
    }
}
