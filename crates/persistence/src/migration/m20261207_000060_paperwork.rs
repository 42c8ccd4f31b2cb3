//! The inspection's paperwork (issue 15): orders get numbers per year (`П-2026-00001`, gapless,
//! from the `counters` table like complaint numbers; existing orders are numbered here in the
//! order they were issued), inspection acts (`А-2026-00001`) are rows of their own, the document
//! templates the administrator edits are stored, and the inspector's visits are scheduled.

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("orders")
                    .add_column(string_len_null("number", 32))
                    .to_owned(),
            )
            .await?;
        number_existing_orders(manager).await?;
        manager
            .create_index(
                Index::create()
                    .name("orders_number_key")
                    .table("orders")
                    .col("number")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("orders_issued_at_idx")
                    .table("orders")
                    .col("issued_at")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("fines_recorded_at_idx")
                    .table("fines")
                    .col("recorded_at")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("inspection_acts")
                    .col(uuid("id").primary_key())
                    .col(string_len("number", 32).unique_key())
                    .col(uuid("complaint_id"))
                    .col(uuid_null("company_id"))
                    .col(boolean("violation"))
                    .col(text("findings"))
                    .col(uuid("inspector_id"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .col(boolean("is_test").default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("inspection_acts_complaint_idx")
                    .table("inspection_acts")
                    .col("complaint_id")
                    .col("recorded_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("document_templates")
                    .col(string_len("kind", 16).primary_key())
                    .col(text("body"))
                    .col(uuid("updated_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("inspection_visits")
                    .col(uuid("id").primary_key())
                    .col(uuid("complaint_id"))
                    .col(uuid("inspector_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(string_len("note", 500))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("inspection_visits_at_idx")
                    .table("inspection_visits")
                    .col("at")
                    .col("id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["inspection_visits", "document_templates", "inspection_acts"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for (name, table) in [
            ("fines_recorded_at_idx", "fines"),
            ("orders_issued_at_idx", "orders"),
            ("orders_number_key", "orders"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM counters WHERE name LIKE 'order_number_%'")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("orders")
                    .drop_column("number")
                    .to_owned(),
            )
            .await
    }
}

/// Numbers the orders issued before numbers existed, per year in the order they were issued, and
/// leaves each year's counter at the last number given.
async fn number_existing_orders(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, issued_at FROM orders ORDER BY issued_at, id",
        ))
        .await?;
    let mut counters: Vec<(i32, i64)> = Vec::new();
    for row in rows {
        let id: Uuid = row.try_get("", "id")?;
        let issued_at: DateTime<Utc> = row.try_get("", "issued_at")?;
        let year = issued_at.year();
        let sequence = match counters.iter_mut().find(|(y, _)| *y == year) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                counters.push((year, 1));
                1
            }
        };
        let number = domain::DocumentKind::Order.number(year, sequence);
        db.execute(
            &Query::update()
                .table("orders")
                .value("number", number)
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await?;
    }
    for (year, last) in counters {
        db.execute(
            &Query::insert()
                .into_table("counters")
                .columns(["name", "value"])
                .values_panic([
                    domain::DocumentKind::Order.counter(year).into(),
                    last.into(),
                ])
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use chrono::TimeZone;
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    use sea_orm_migration::MigratorTrait;

    use super::*;
    use crate::migration::Migrator;

    #[tokio::test]
    async fn orders_issued_before_numbering_are_numbered_per_year_in_order_of_issue() {
        // One connection, so that switching foreign keys off holds for the inserts below.
        let mut settings = crate::DbSettings::new("sqlite::memory:");
        settings.max_connections = 1;
        let db = crate::connect(&settings).await.unwrap();
        let db = db.connection();
        let mine = Migrator::migrations()
            .iter()
            .position(|m| m.name() == "m20261207_000060_paperwork")
            .unwrap();
        Migrator::up(
            db,
            Some(<u32 as std::convert::TryFrom<usize>>::try_from(mine).unwrap()),
        )
        .await
        .unwrap();
        db.execute_unprepared("PRAGMA foreign_keys = OFF")
            .await
            .unwrap();
        let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).unwrap();
        // Inserted out of order: numbers follow the date of issue within each year.
        let orders = [
            (Uuid::now_v7(), at(2026, 3, 1)),
            (Uuid::now_v7(), at(2025, 12, 30)),
            (Uuid::now_v7(), at(2026, 1, 15)),
        ];
        for (id, issued) in orders {
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "INSERT INTO orders (id, complaint_id, company_id, text, due_at, complied, \
                 issued_by, issued_at, checked_at, is_test) VALUES (?, ?, ?, 'x', ?, NULL, ?, ?, NULL, false)",
                [
                    id.into(),
                    Uuid::now_v7().into(),
                    Uuid::now_v7().into(),
                    issued.into(),
                    Uuid::now_v7().into(),
                    issued.into(),
                ],
            ))
            .await
            .unwrap();
        }
        Migrator::up(db, Some(1)).await.unwrap();
        let number = |id: Uuid| async move {
            db.query_one_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "SELECT number FROM orders WHERE id = ?",
                [id.into()],
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<String>("", "number")
            .unwrap()
        };
        assert_eq!(number(orders[0].0).await, "П-2026-00002");
        assert_eq!(number(orders[1].0).await, "П-2025-00001");
        assert_eq!(number(orders[2].0).await, "П-2026-00001");
        let counter = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT value FROM counters WHERE name = 'order_number_2026'",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "value")
            .unwrap();
        assert_eq!(counter, 2, "the next order of 2026 is the third");
    }
}
