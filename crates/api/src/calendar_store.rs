//! The production calendar in force (issue 15): the compiled years (with `APP_CALENDAR_FILE`
//! laid over them) and, over those, the latest upload of each year stored in the database. Like
//! the policy, every replica checks the highest upload number on each read (one small indexed
//! query) and rebuilds its calendar when it moved, so an upload on any replica applies everywhere
//! at once, without a restart.

use std::sync::{Arc, RwLock};

use persistence::calendar::{CalendarUpload, all, latest_version};

use crate::error::ApiError;

/// The calendar this replica last built, with the upload number it was built from.
struct Built {
    version: i32,
    calendar: Arc<domain::Calendar>,
    /// Every upload, oldest first (the last of a year is in force).
    uploads: Arc<Vec<CalendarUpload>>,
}

/// The compiled calendar and the uploads laid over it.
pub struct CalendarStore {
    base: domain::Calendar,
    built: RwLock<Arc<Built>>,
}

impl CalendarStore {
    /// A store over the compiled calendar; nothing uploaded is known until the first read.
    pub fn new(base: domain::Calendar) -> Self {
        let built = Built {
            version: 0,
            calendar: Arc::new(base.clone()),
            uploads: Arc::default(),
        };
        CalendarStore {
            base,
            built: RwLock::new(Arc::new(built)),
        }
    }

    /// The compiled calendar, without uploads.
    pub fn compiled(&self) -> &domain::Calendar {
        &self.base
    }

    async fn built(&self, db: &persistence::Db) -> Result<Arc<Built>, ApiError> {
        let latest = latest_version(db).await?;
        let cached = self.built.read().map(|b| b.clone()).ok();
        if let Some(cached) = cached.filter(|b| b.version == latest) {
            return Ok(cached);
        }
        let stored = all(db).await?;
        let version = stored.last().map_or(0, |u| u.version);
        let mut calendar = self.base.clone();
        let mut by_year = std::collections::BTreeMap::new();
        for upload in &stored {
            by_year.insert(upload.year, upload);
        }
        for upload in by_year.into_values() {
            if let Err(e) = calendar.load_year(upload.year, upload.data.clone()) {
                // Checked before it was stored; a row that no longer loads keeps the compiled year.
                tracing::error!(year = upload.year, version = upload.version, error = %e,
                    "a stored calendar year does not load");
            }
        }
        let fresh = Arc::new(Built {
            version,
            calendar: Arc::new(calendar),
            uploads: Arc::new(stored),
        });
        if let Ok(mut slot) = self.built.write() {
            *slot = fresh.clone();
        }
        Ok(fresh)
    }

    /// The calendar in force now.
    pub async fn current(&self, db: &persistence::Db) -> Result<Arc<domain::Calendar>, ApiError> {
        Ok(self.built(db).await?.calendar.clone())
    }

    /// The calendar in force and every upload, oldest first.
    pub async fn with_uploads(
        &self,
        db: &persistence::Db,
    ) -> Result<(Arc<domain::Calendar>, Arc<Vec<CalendarUpload>>), ApiError> {
        let built = self.built(db).await?;
        Ok((built.calendar.clone(), built.uploads.clone()))
    }
}
