//! Fines under КоАП РФ as data (issue 15): the register of articles with their ranges, seeded
//! with [`domain::default_fine_articles`]; each fine names its article and offender; and a
//! complaint remembers that the current inspection found a violation (it may be fined at once).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("fine_articles")
                    .col(string_len("code", 32).primary_key())
                    .col(string_len("title_ru", 300))
                    .col(big_integer("legal_entity_min"))
                    .col(big_integer("legal_entity_max"))
                    .col(big_integer("official_min"))
                    .col(big_integer("official_max"))
                    .col(boolean("is_active").default(true))
                    .to_owned(),
            )
            .await?;
        let mut seed = Query::insert();
        seed.into_table("fine_articles").columns([
            "code",
            "title_ru",
            "legal_entity_min",
            "legal_entity_max",
            "official_min",
            "official_max",
            "is_active",
        ]);
        for article in domain::default_fine_articles() {
            let rub = |n: u64| <i64 as TryFrom<u64>>::try_from(n).unwrap_or(i64::MAX);
            seed.values_panic([
                article.code.into(),
                article.title_ru.into(),
                rub(article.legal_entity.min).into(),
                rub(article.legal_entity.max).into(),
                rub(article.official.min).into(),
                rub(article.official.max).into(),
                true.into(),
            ]);
        }
        manager.exec_stmt(seed).await?;

        // SQLite adds one column per statement.
        for column in [
            string_len_null("article", 32),
            string_len_null("offender", 16),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("fines")
                        .add_column(column.to_owned())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("complaints")
                    .add_column(boolean("violation_found").default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("complaints")
                    .drop_column("violation_found")
                    .to_owned(),
            )
            .await?;
        for column in ["article", "offender"] {
            manager
                .alter_table(Table::alter().table("fines").drop_column(column).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table("fine_articles").to_owned())
            .await
    }
}
