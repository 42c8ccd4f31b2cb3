//! The policy in force, read from the database (issue 15). Every replica keeps the stored versions
//! in memory and checks the highest version number on each read (one small indexed query), so a
//! version saved on any replica applies everywhere at once, without a restart; a version dated in
//! the future applies from its moment on.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use persistence::policy::{PolicyVersion, all, in_force, latest_version};

use crate::error::ApiError;

/// The versions this replica last read.
#[derive(Default)]
pub struct PolicyStore {
    versions: RwLock<Arc<Vec<PolicyVersion>>>,
}

impl PolicyStore {
    /// Every version, oldest first, as stored now.
    pub async fn versions(
        &self,
        db: &persistence::Db,
    ) -> Result<Arc<Vec<PolicyVersion>>, ApiError> {
        let latest = latest_version(db).await?;
        let cached = self.versions.read().map(|v| v.clone()).unwrap_or_default();
        if cached.last().map(|v| v.version) == Some(latest) {
            return Ok(cached);
        }
        let fresh = Arc::new(all(db).await?);
        if let Ok(mut slot) = self.versions.write() {
            *slot = fresh.clone();
        }
        Ok(fresh)
    }

    /// The version in force at `now`.
    pub async fn at(
        &self,
        db: &persistence::Db,
        now: DateTime<Utc>,
    ) -> Result<PolicyVersion, ApiError> {
        let versions = self.versions(db).await?;
        in_force(&versions, now)
            .cloned()
            .ok_or_else(|| ApiError::internal("no policy version in force"))
    }

    /// The lifecycle numbers in force at `now`.
    pub async fn policy(
        &self,
        db: &persistence::Db,
        now: DateTime<Utc>,
    ) -> Result<domain::Policy, ApiError> {
        Ok(self.at(db, now).await?.set.policy)
    }
}
