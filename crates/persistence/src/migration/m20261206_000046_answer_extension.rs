//! The 59-ФЗ extension (issue 15): a complaint remembers that its answer deadline was extended,
//! which the law allows once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("complaints")
                    .add_column(boolean("answer_extended").default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("complaints")
                    .drop_column("answer_extended")
                    .to_owned(),
            )
            .await
    }
}
