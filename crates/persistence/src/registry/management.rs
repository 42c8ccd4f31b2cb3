//! Who manages a building, and since when: the periods of management and the change of manager.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::organisations::organisation_names;
use crate::entities::{building, building_management};
use crate::users::{Audit, write_audit};
use crate::{Db, RepoError};

/// One period during which a company managed a building; `until` is `None` for the current one.
#[derive(Debug, Clone)]
pub struct ManagementPeriod {
    pub company_id: Uuid,
    pub company_name: String,
    pub since: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

/// Why a change of manager was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManagementRefusal {
    /// The company already manages the building.
    SameCompany,
    /// The new period would start before (or when) the current one started.
    StartsTooEarly { current_since: DateTime<Utc> },
}

/// Hands a building to another management company from `since`, in the caller's transaction: the
/// current period ends at `since`, a new one starts there, and `buildings.company_id` follows.
/// What happens to the open complaints is the caller's (see
/// [`crate::complaints::UnitOfWork::change_management`]). Returns the previous company.
pub(crate) async fn change_management_in<C: ConnectionTrait>(
    txn: &C,
    building_id: Uuid,
    company_id: Uuid,
    since: DateTime<Utc>,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Result<Option<Uuid>, ManagementRefusal>, RepoError> {
    let current_building = building::Entity::find_by_id(building_id)
        .one(txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let open = building_management::Entity::find()
        .filter(building_management::Column::BuildingId.eq(building_id))
        .filter(building_management::Column::Until.is_null())
        .one(txn)
        .await?;
    let previous = open
        .as_ref()
        .map(|p| p.company_id)
        .or(current_building.company_id);
    if previous == Some(company_id) {
        return Ok(Err(ManagementRefusal::SameCompany));
    }
    if let Some(open) = &open {
        if since <= open.since {
            return Ok(Err(ManagementRefusal::StartsTooEarly {
                current_since: open.since,
            }));
        }
        // Guarded on `until IS NULL`: a concurrent change that closed it first makes this one a
        // conflict rather than a second open period.
        let closed = building_management::Entity::update_many()
            .col_expr(building_management::Column::Until, Expr::value(since))
            .filter(building_management::Column::Id.eq(open.id))
            .filter(building_management::Column::Until.is_null())
            .exec(txn)
            .await?;
        if closed.rows_affected != 1 {
            return Err(RepoError::Conflict(
                "The building's management changed meanwhile; reload and try again.".to_owned(),
            ));
        }
    }
    open_period(txn, building_id, company_id, since).await?;
    building::Entity::update_many()
        .col_expr(building::Column::CompanyId, Expr::value(company_id))
        .filter(building::Column::Id.eq(building_id))
        .exec(txn)
        .await?;
    write_audit(
        txn,
        actor_id,
        Audit {
            actor_id,
            action: "building_management_changed",
            details: serde_json::json!({
                "from_company": previous,
                "to_company": company_id,
                "since": since,
            }),
        },
        building_id,
        now,
    )
    .await?;
    Ok(Ok(previous))
}

/// The management periods of a building, oldest first.
pub async fn management_history(
    db: &Db,
    building_id: Uuid,
) -> Result<Vec<ManagementPeriod>, RepoError> {
    let db = db.connection();
    let periods = building_management::Entity::find()
        .filter(building_management::Column::BuildingId.eq(building_id))
        .order_by_asc(building_management::Column::Since)
        .order_by_asc(building_management::Column::Id)
        .all(db)
        .await?;
    let names = organisation_names(db, periods.iter().map(|p| p.company_id)).await?;
    Ok(periods
        .into_iter()
        .map(|p| ManagementPeriod {
            company_name: names.get(&p.company_id).cloned().unwrap_or_default(),
            company_id: p.company_id,
            since: p.since,
            until: p.until,
        })
        .collect())
}

pub(super) async fn open_period<C: ConnectionTrait>(
    conn: &C,
    building_id: Uuid,
    company_id: Uuid,
    since: DateTime<Utc>,
) -> Result<(), RepoError> {
    building_management::Entity::insert(building_management::ActiveModel {
        id: Set(Uuid::now_v7()),
        building_id: Set(building_id),
        company_id: Set(company_id),
        since: Set(since),
        until: Set(None),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}
