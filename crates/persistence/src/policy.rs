//! The policy as data (issue 15): versions of the lifecycle numbers and the escalation rules,
//! each with the moment it takes effect and its editor; a new version is written to the audit
//! log in its transaction.

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::policy_version;
use crate::users::{Audit, write_audit};
use crate::{Db, RepoError};

/// One stored version.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyVersion {
    pub version: i32,
    pub effective_from: DateTime<Utc>,
    pub set: domain::PolicySet,
    pub editor_id: Option<Uuid>,
    pub editor_login: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The moment version 1 (the compiled defaults) takes effect: before any complaint.
pub fn since_always() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn to_version(m: policy_version::Model) -> Result<PolicyVersion, RepoError> {
    let policy = serde_json::from_value(m.policy)
        .map_err(|e| RepoError::Fault(format!("policy version {}: {e}", m.version)))?;
    let rules = serde_json::from_value(m.rules)
        .map_err(|e| RepoError::Fault(format!("policy version {} rules: {e}", m.version)))?;
    Ok(PolicyVersion {
        version: m.version,
        effective_from: m.effective_from,
        set: domain::PolicySet { policy, rules },
        editor_id: m.editor_id,
        editor_login: m.editor_login,
        created_at: m.created_at,
    })
}

fn row(
    version: i32,
    effective_from: DateTime<Utc>,
    set: &domain::PolicySet,
    editor: Option<(Uuid, String)>,
    now: DateTime<Utc>,
) -> Result<policy_version::ActiveModel, RepoError> {
    let json =
        |v: serde_json::Result<serde_json::Value>| v.map_err(|e| RepoError::Fault(e.to_string()));
    let (editor_id, editor_login) = editor.unzip();
    Ok(policy_version::ActiveModel {
        id: Set(Uuid::now_v7()),
        version: Set(version),
        effective_from: Set(effective_from),
        policy: Set(json(serde_json::to_value(&set.policy))?),
        rules: Set(json(serde_json::to_value(&set.rules))?),
        editor_id: Set(editor_id),
        editor_login: Set(editor_login),
        created_at: Set(now),
    })
}

/// Stores the compiled defaults as version 1 when there is no version yet (replicas starting
/// together insert it once).
pub async fn ensure_defaults(db: &Db, now: DateTime<Utc>) -> Result<(), RepoError> {
    let conn = db.connection();
    policy_version::Entity::insert(row(
        1,
        since_always(),
        &domain::PolicySet::defaults(),
        None,
        now,
    )?)
    .on_conflict(
        OnConflict::column(policy_version::Column::Version)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// The highest version number stored: a cheap check whether a cached list is still current.
pub async fn latest_version(db: &Db) -> Result<i32, RepoError> {
    let found: Option<i32> = policy_version::Entity::find()
        .select_only()
        .column(policy_version::Column::Version)
        .order_by_desc(policy_version::Column::Version)
        .into_tuple()
        .one(db.connection())
        .await?;
    Ok(found.unwrap_or(0))
}

/// Every version, oldest first.
pub async fn all(db: &Db) -> Result<Vec<PolicyVersion>, RepoError> {
    policy_version::Entity::find()
        .order_by_asc(policy_version::Column::Version)
        .all(db.connection())
        .await?
        .into_iter()
        .map(to_version)
        .collect()
}

/// Stores a checked set as the next version, effective from `effective_from`, with the audit
/// entry in the same transaction. Two editors saving at once: one gets [`RepoError::Conflict`].
pub async fn create(
    db: &Db,
    set: &domain::PolicySet,
    effective_from: DateTime<Utc>,
    editor: (Uuid, String),
    now: DateTime<Utc>,
) -> Result<PolicyVersion, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let latest = policy_version::Entity::find()
        .order_by_desc(policy_version::Column::Version)
        .one(&txn)
        .await?
        .map_or(0, |m| m.version);
    let version = latest + 1;
    let editor_id = editor.0;
    let id = Uuid::now_v7();
    let model = policy_version::ActiveModel {
        id: Set(id),
        ..row(version, effective_from, set, Some(editor), now)?
    };
    policy_version::Entity::insert(model)
        .exec_without_returning(&txn)
        .await?;
    write_audit(
        &txn,
        editor_id,
        Audit {
            actor_id: editor_id,
            action: "policy_version_created",
            details: serde_json::json!({
                "version": version,
                "effective_from": effective_from,
            }),
        },
        id,
        now,
    )
    .await?;
    let stored = policy_version::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    txn.commit().await?;
    to_version(stored)
}

/// The version in force at `at` among `versions` (oldest first): the latest to have taken effect.
pub fn in_force(versions: &[PolicyVersion], at: DateTime<Utc>) -> Option<&PolicyVersion> {
    versions
        .iter()
        .filter(|v| v.effective_from <= at)
        .max_by_key(|v| (v.effective_from, v.version))
}
