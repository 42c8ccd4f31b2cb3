//! Finding 19 of the security review: a category can identify a flat's occupant, and complaints of
//! such a category stay out of the public list, the map and Open311. The default category about one
//! flat (`bathroom_leak`) is marked; administrators mark others.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("categories")
                    .add_column(
                        ColumnDef::new("identifies_occupant")
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table("categories")
                    .value("identifies_occupant", true)
                    .and_where(Expr::col("code").eq("bathroom_leak"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("categories")
                    .drop_column("identifies_occupant")
                    .to_owned(),
            )
            .await
    }
}
