//! Delta sync for offline clients: what changed after a position `(updated_at, id)`, in order,
//! per scope of visibility; and the complaints that left a company's view (rerouted, declined),
//! so that a phone can drop them from its copy.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn index(name: &str, table: &str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table.to_owned());
    for column in columns {
        index.col(*column);
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("complaint_departures")
                    .col(pk_uuid("id"))
                    .col(uuid("complaint_id"))
                    .col(uuid("company_id"))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("complaint_departures", "complaint_id")
                            .to("complaints", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        for statement in [
            index(
                "ix_departures_company",
                "complaint_departures",
                &["company_id", "at"],
            ),
            index("ix_complaints_changes", "complaints", &["updated_at", "id"]),
            index(
                "ix_complaints_company_changes",
                "complaints",
                &["company_id", "updated_at", "id"],
            ),
            index(
                "ix_complaints_author_changes",
                "complaints",
                &["author_id", "updated_at", "id"],
            ),
            index(
                "ix_complaints_filer_changes",
                "complaints",
                &["filed_by", "updated_at", "id"],
            ),
        ] {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ix_complaints_filer_changes", "complaints"),
            ("ix_complaints_author_changes", "complaints"),
            ("ix_complaints_company_changes", "complaints"),
            ("ix_complaints_changes", "complaints"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table.to_owned()).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table("complaint_departures").to_owned())
            .await
    }
}
