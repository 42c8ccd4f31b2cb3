//! Finding 6 of the security review: attachments' bytes move out of `attachments` into
//! `attachment_blobs`, in parts of 256 KiB (`blobs::PART_BYTES`), on PostgreSQL and SQLite alike.
//! The parts go with their attachment (`ON DELETE CASCADE`). Existing bytes are copied in SQL,
//! then the old column is dropped.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `blobs::PART_BYTES` when this migration was written; kept here so that the migration never
/// changes.
const PART: i64 = 256 * 1024;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("attachment_blobs")
                    .col(uuid("attachment_id"))
                    .col(integer("part"))
                    .col(blob("data"))
                    .primary_key(Index::create().col("attachment_id").col("part"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("attachment_blobs", "attachment_id")
                            .to("attachments", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let copy = match manager.get_database_backend() {
            DbBackend::Postgres => format!(
                "INSERT INTO attachment_blobs (attachment_id, part, data) \
                 SELECT a.id, p.part, substring(a.data FROM p.part * {PART} + 1 FOR {PART}) \
                 FROM attachments a CROSS JOIN LATERAL \
                 generate_series(0, greatest((length(a.data) - 1) / {PART}, 0)) AS p(part)"
            ),
            _ => format!(
                "WITH RECURSIVE parts(id, part) AS ( \
                   SELECT id, 0 FROM attachments \
                   UNION ALL \
                   SELECT parts.id, parts.part + 1 FROM parts JOIN attachments a ON a.id = parts.id \
                   WHERE (parts.part + 1) * {PART} < length(a.data)) \
                 INSERT INTO attachment_blobs (attachment_id, part, data) \
                 SELECT parts.id, parts.part, substr(a.data, parts.part * {PART} + 1, {PART}) \
                 FROM parts JOIN attachments a ON a.id = parts.id"
            ),
        };
        db.execute_unprepared(&copy).await?;
        db.execute_unprepared("ALTER TABLE attachments DROP COLUMN data")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let column = if backend == DbBackend::Postgres {
            "ALTER TABLE attachments ADD COLUMN data BYTEA"
        } else {
            "ALTER TABLE attachments ADD COLUMN data BLOB"
        };
        db.execute_unprepared(column).await?;
        let ids = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT DISTINCT attachment_id FROM attachment_blobs",
            ))
            .await?;
        for row in ids {
            let id: uuid::Uuid = row.try_get("", "attachment_id")?;
            let parts = db
                .query_all_raw(Statement::from_sql_and_values(
                    backend,
                    param_sql(
                        backend,
                        "SELECT data FROM attachment_blobs WHERE attachment_id = ? ORDER BY part",
                    ),
                    [id.into()],
                ))
                .await?;
            let mut bytes = Vec::new();
            for part in parts {
                bytes.extend(part.try_get::<Vec<u8>>("", "data")?);
            }
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                param_sql(backend, "UPDATE attachments SET data = ? WHERE id = ?"),
                [bytes.into(), id.into()],
            ))
            .await?;
        }
        manager
            .drop_table(Table::drop().table("attachment_blobs").to_owned())
            .await
    }
}

/// `?` placeholders as the backend writes them.
fn param_sql(backend: DbBackend, sql: &str) -> String {
    if backend != DbBackend::Postgres {
        return sql.to_owned();
    }
    let mut out = String::new();
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}
