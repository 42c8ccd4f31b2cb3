//! The registries, kept by administrators: organisations, buildings (with the history of their
//! management and a CSV import) and categories. Every route needs the `admin` role and an
//! active account; lists are keyset-paginated by id (UUIDv7 ids are in creation order).

pub mod audit_log;
pub mod buildings;
pub mod calendar;
pub mod categories;
pub mod import;
pub mod management;
pub mod organisations;
pub mod policy;
pub mod retention;
pub mod test_data;

use serde::{Deserialize, Deserializer};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// The default page size of the registry lists.
pub const DEFAULT_PAGE: u64 = 50;

/// For PATCH bodies: an absent field is `None` (leave it), `null` is `Some(None)` (clear it).
/// Use with `#[serde(default, deserialize_with = "nullable")]`.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Cuts a page fetched with `limit + 1` rows down to `limit`; the cursor of the next page is the
/// last id kept, when there was more.
pub(crate) fn paginate<T>(
    mut rows: Vec<T>,
    limit: u64,
    id: impl Fn(&T) -> Uuid,
) -> (Vec<T>, Option<Uuid>) {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more { rows.last().map(id) } else { None };
    (rows, next)
}

/// 422 on `field` unless `id` is a management company.
pub(crate) async fn require_management_company(
    state: &AppState,
    id: Uuid,
    field: &str,
) -> Result<(), ApiError> {
    if persistence::registry::organisation_is(
        &state.db,
        id,
        domain::OrganisationKind::ManagementCompany,
    )
    .await?
    {
        Ok(())
    } else {
        Err(ApiError::field(field, "must be a management company"))
    }
}

/// A required text field, trimmed; 422 when only white space is left.
pub(crate) fn non_blank(field: &str, value: &str) -> Result<String, ApiError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        Err(ApiError::field(field, "must not be blank"))
    } else {
        Ok(trimmed.to_owned())
    }
}

/// `^(\d{10}|\d{12})$`: an ИНН of a legal entity (10 digits) or an individual (12).
pub(crate) fn validate_inn(inn: &str) -> Result<(), validator::ValidationError> {
    if matches!(inn.len(), 10 | 12) && inn.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("inn").with_message("must be 10 or 12 digits".into()))
    }
}

/// A ФИАС/ГАР object id: a UUID in its hyphenated form.
pub(crate) fn validate_fias_id(id: &str) -> Result<(), validator::ValidationError> {
    if id.len() == 36 && Uuid::try_parse(id).is_ok() {
        Ok(())
    } else {
        Err(validator::ValidationError::new("fias_id").with_message(
            "must be a ФИАС/ГАР id: a UUID like 0c5b2444-70a0-4932-980c-b4dc0d3f02b5".into(),
        ))
    }
}

/// A stored ФИАС id: lower case, hyphenated.
pub(crate) fn normalise_fias_id(id: &str) -> String {
    Uuid::try_parse(id).map_or_else(|_| id.to_owned(), |u| u.hyphenated().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inns_have_ten_or_twelve_digits() {
        assert!(validate_inn("8602000001").is_ok());
        assert!(validate_inn("860200000112").is_ok());
        for bad in [
            "",
            "86020000011",
            "860200000a",
            "8602 00000 1",
            "１２３４５６７８９０",
        ] {
            assert!(validate_inn(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fias_ids_are_hyphenated_uuids() {
        assert!(validate_fias_id("0c5b2444-70a0-4932-980c-b4dc0d3f02b5").is_ok());
        assert!(validate_fias_id("0C5B2444-70A0-4932-980C-B4DC0D3F02B5").is_ok());
        assert_eq!(
            normalise_fias_id("0C5B2444-70A0-4932-980C-B4DC0D3F02B5"),
            "0c5b2444-70a0-4932-980c-b4dc0d3f02b5"
        );
        for bad in [
            "",
            "0c5b244470a04932980cb4dc0d3f02b5",
            "not-a-uuid-at-all-not-a-uuid-at-all",
        ] {
            assert!(validate_fias_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pages_are_cut_and_carry_a_cursor_only_when_more_follow() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let (rows, next) = paginate(ids.clone(), 2, |id| *id);
        assert_eq!((rows.len(), next), (2, Some(ids[1])));
        let (rows, next) = paginate(ids, 3, |id| *id);
        assert_eq!((rows.len(), next), (3, None));
    }
}
