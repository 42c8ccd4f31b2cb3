//! Issue 16: staff find an organisation by name among hundreds. `name_folded` holds the name in
//! lower case (Cyrillic included, which SQLite's `LIKE` does not fold), written by the repository
//! with every name; `active` lets an administrator retire a company from the pickers. The index
//! serves the directory's order (folded name, then id) and its keyset pages.

use sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use sea_orm_migration::prelude::*;
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(FromQueryResult)]
struct NameRow {
    id: Uuid,
    name: String,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("organisations")
                    .add_column(
                        ColumnDef::new("name_folded")
                            .string()
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("organisations")
                    .add_column(ColumnDef::new("active").boolean().not_null().default(true))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, name FROM organisations",
            ))
            .await?;
        for row in rows {
            let row = NameRow::from_query_result(&row, "")?;
            manager
                .exec_stmt(
                    Query::update()
                        .table("organisations")
                        .value("name_folded", crate::registry::fold_name(&row.name))
                        .and_where(Expr::col("id").eq(row.id))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_organisations_name_folded")
                    .table("organisations")
                    .col("name_folded")
                    .col("id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_organisations_name_folded")
                    .table("organisations")
                    .to_owned(),
            )
            .await?;
        for column in ["active", "name_folded"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("organisations")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
