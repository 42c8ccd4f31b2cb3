//! Complaint numbers: gapless per year, taken last in a filing's transaction; the numbers of
//! orders and inspection acts likewise, in the transaction that records them.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
use uuid::Uuid;

use super::{Filing, UnitOfWork, placeholders, search_text};
use crate::RepoError;
use crate::entities::complaint;

impl UnitOfWork {
    /// Gives a complaint inserted by [`UnitOfWork::insert_complaint`] the next number of `year`
    /// and returns it. The year's counter stays locked until the transaction ends.
    pub async fn assign_number(
        &self,
        id: Uuid,
        year: i32,
        filing: &Filing,
    ) -> Result<String, RepoError> {
        let sequence = self
            .next_in_sequence(&format!("complaint_number_{year}"))
            .await?;
        let number = domain::ComplaintNumber::surgut(
            u16::try_from(year).unwrap_or(u16::MAX),
            u32::try_from(sequence).unwrap_or(u32::MAX),
        )
        .map_err(|e| RepoError::Fault(e.to_string()))?
        .to_string();
        complaint::Entity::update_many()
            .col_expr(complaint::Column::Number, Expr::value(number.as_str()))
            .col_expr(
                complaint::Column::SearchText,
                Expr::value(search_text(&number, filing)),
            )
            .filter(complaint::Column::Id.eq(id))
            .exec(&self.txn)
            .await?;
        Ok(number)
    }

    /// The next number of an order or an inspection act issued at `at`: gapless per year, as a
    /// complaint's, since the counter row stays locked until the transaction ends.
    pub(super) async fn document_number(
        &self,
        kind: domain::DocumentKind,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<String, RepoError> {
        use chrono::Datelike;
        let sequence = self.next_in_sequence(&kind.counter(at.year())).await?;
        Ok(kind.number(at.year(), sequence))
    }

    /// Next value of a named counter, e.g. the yearly complaint sequence.
    async fn next_in_sequence(&self, name: &str) -> Result<i64, RepoError> {
        let backend = self.txn.get_database_backend();
        let sql = "INSERT INTO counters (name, value) VALUES (?, 1) \
                   ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value";
        let statement =
            Statement::from_sql_and_values(backend, placeholders(backend, sql), [name.into()]);
        let row = self
            .txn
            .query_one_raw(statement)
            .await?
            .ok_or(RepoError::NotFound)?;
        Ok(row.try_get::<i64>("", "value")?)
    }
}
