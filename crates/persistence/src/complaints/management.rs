//! A building's change of manager inside a unit of work, so that the open complaints the admin
//! chose to move go with it in the same transaction.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Order};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use super::{ComplaintRecord, ComplaintRow, UnitOfWork, base_select, to_record};
use crate::RepoError;
use crate::registry::ManagementRefusal;

impl UnitOfWork {
    /// Hands the building to `company_id` from `since` (see
    /// [`crate::registry::change_management_in`]); returns the previous company.
    pub async fn change_management(
        &self,
        building_id: Uuid,
        company_id: Uuid,
        since: DateTime<Utc>,
        actor_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Result<Option<Uuid>, ManagementRefusal>, RepoError> {
        crate::registry::change_management_in(
            &self.txn,
            building_id,
            company_id,
            since,
            actor_id,
            now,
        )
        .await
    }

    /// The open complaints about a building, as this transaction sees them, oldest first.
    pub async fn open_complaints_of_building(
        &self,
        building_id: Uuid,
    ) -> Result<Vec<ComplaintRecord>, RepoError> {
        let mut select = base_select();
        select
            .and_where(Expr::col(("c", "building_id")).eq(building_id))
            .and_where(
                Expr::col(("c", "status")).is_in(
                    domain::Status::all()
                        .filter(|s| s.is_open())
                        .map(|s| s.as_str()),
                ),
            )
            .order_by(("c", "registered_at"), Order::Asc)
            .order_by(("c", "id"), Order::Asc);
        let rows = self.txn.query_all(&select).await?;
        rows.iter()
            .map(|row| to_record(ComplaintRow::from_query_result(row, "")?))
            .collect()
    }
}
