//! The organisation directory for staff (issue 16): found by name, ordered by name, a page at a
//! time.

use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::{OrganisationRecord, fold_name};
use crate::entities::organisation;
use crate::{Db, RepoError};

/// What the directory is asked for.
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    /// Words that must all occur in the name (any case); blank for every organisation.
    pub text: String,
    pub kind: Option<domain::OrganisationKind>,
    pub active: Option<bool>,
    /// The last organisation of the previous page.
    pub after: Option<Uuid>,
    pub limit: u64,
}

/// Organisations whose name holds every word of the query, ordered by folded name then id,
/// strictly after `after` in that order. An `after` that names no organisation is
/// [`RepoError::NotFound`].
pub async fn organisation_directory(
    db: &Db,
    query: &DirectoryQuery,
) -> Result<Vec<OrganisationRecord>, RepoError> {
    let db = db.connection();
    let mut select = organisation::Entity::find();
    for word in fold_name(&query.text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(6)
    {
        select = select.filter(organisation::Column::NameFolded.like(crate::sql::contains(word)));
    }
    if let Some(kind) = query.kind {
        select = select.filter(organisation::Column::Kind.eq(kind.as_str()));
    }
    if let Some(active) = query.active {
        select = select.filter(organisation::Column::Active.eq(active));
    }
    if let Some(after) = query.after {
        let last = organisation::Entity::find_by_id(after)
            .one(db)
            .await?
            .ok_or(RepoError::NotFound)?;
        select = select.filter(
            Condition::any()
                .add(organisation::Column::NameFolded.gt(last.name_folded.clone()))
                .add(
                    Condition::all()
                        .add(organisation::Column::NameFolded.eq(last.name_folded))
                        .add(organisation::Column::Id.gt(after)),
                ),
        );
    }
    select
        .order_by_asc(organisation::Column::NameFolded)
        .order_by_asc(organisation::Column::Id)
        .limit(query.limit)
        .all(db)
        .await?
        .into_iter()
        .map(super::organisations::organisation_record)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_yo_and_spaces() {
        assert_eq!(fold_name("  ООО «УК  Ёлка» "), "ооо «ук елка»");
        assert_eq!(fold_name("UK North"), "uk north");
    }
}
