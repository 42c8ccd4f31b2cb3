//! One place for personal data (migration 000095): the person an account belongs to and the
//! person a clerk filed a complaint for. A complaint's applicant is read from here only (the
//! old columns went in migration 000101), and so are an account's name, phone and e-mail (the
//! old columns went in migration 000110); erasure anonymises the one row.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait, sea_query::Expr,
};
use uuid::Uuid;

use crate::RepoError;
use crate::entities::{person, user};

/// What is known of a person when they are written.
#[derive(Debug, Clone, Default)]
pub(crate) struct PersonData {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub flat: Option<String>,
    pub consent_version: Option<String>,
    pub is_test: bool,
    /// An account's owner: their phone must not be another account's.
    pub is_account: bool,
}

/// A new person; returns their id.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    data: PersonData,
    now: DateTime<Utc>,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    person::Entity::insert(person::ActiveModel {
        id: Set(id),
        name: Set(data.name),
        phone: Set(data.phone),
        email: Set(data.email),
        flat: Set(data.flat),
        consent_version: Set(data.consent_version),
        is_test: Set(data.is_test),
        created_at: Set(now),
        updated_at: Set(now),
        erased_at: Set(None),
        is_account: Set(data.is_account),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// The person a new complaint refers to: the author's account's person (their flat noted), or
/// the one person without an account known by the phone a clerk filed with (their latest name,
/// flat and consent noted; a new person for a new phone). `None` when neither is known.
pub(crate) async fn applicant(
    db: &impl ConnectionTrait,
    author: Option<Uuid>,
    data: PersonData,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, RepoError> {
    let existing = match (author, &data.phone) {
        (Some(author), _) => {
            let person = user::Entity::find_by_id(author)
                .one(db)
                .await?
                .and_then(|u| u.person_id);
            if let (Some(person), Some(flat)) = (person, &data.flat) {
                person::Entity::update_many()
                    .col_expr(person::Column::Flat, Expr::value(flat.clone()))
                    .col_expr(person::Column::UpdatedAt, Expr::value(now))
                    .filter(person::Column::Id.eq(person))
                    .exec(db)
                    .await?;
            }
            return Ok(person);
        }
        (None, Some(phone)) => without_account(db, phone).await?,
        (None, None) => return Ok(None),
    };
    match existing {
        Some(found) => {
            let mut update = person::Entity::update_many()
                .col_expr(
                    person::Column::IsTest,
                    Expr::value(found.is_test && data.is_test),
                )
                .col_expr(person::Column::UpdatedAt, Expr::value(now));
            if let Some(name) = data.name {
                update = update.col_expr(person::Column::Name, Expr::value(name));
            }
            if let Some(flat) = data.flat {
                update = update.col_expr(person::Column::Flat, Expr::value(flat));
            }
            if let Some(consent) = data.consent_version {
                update = update.col_expr(person::Column::ConsentVersion, Expr::value(consent));
            }
            update
                .filter(person::Column::Id.eq(found.id))
                .exec(db)
                .await?;
            Ok(Some(found.id))
        }
        None => insert(db, data, now).await.map(Some),
    }
}

/// The one person without an account (never an account's, even an erased one's) known by
/// `phone`, not erased.
pub(crate) async fn without_account(
    db: &impl ConnectionTrait,
    phone: &str,
) -> Result<Option<person::Model>, RepoError> {
    Ok(person::Entity::find()
        .filter(person::Column::Phone.eq(phone))
        .filter(person::Column::ErasedAt.is_null())
        .filter(
            person::Column::Id.not_in_subquery(
                user::Entity::find()
                    .select_only()
                    .column(user::Column::PersonId)
                    .filter(user::Column::PersonId.is_not_null())
                    .into_query(),
            ),
        )
        .one(db)
        .await?)
}

/// The person without an account a clerk joined to a complaint by `phone`: the one known by it,
/// or a new one. A test person stops being one when they follow a real complaint.
pub(crate) async fn follower(
    db: &impl ConnectionTrait,
    phone: &str,
    is_test: bool,
    now: DateTime<Utc>,
) -> Result<Uuid, RepoError> {
    match without_account(db, phone).await? {
        Some(found) => {
            if found.is_test && !is_test {
                person::Entity::update_many()
                    .col_expr(person::Column::IsTest, Expr::value(false))
                    .col_expr(person::Column::UpdatedAt, Expr::value(now))
                    .filter(person::Column::Id.eq(found.id))
                    .exec(db)
                    .await?;
            }
            Ok(found.id)
        }
        None => {
            let data = PersonData {
                phone: Some(phone.to_owned()),
                is_test,
                ..PersonData::default()
            };
            insert(db, data, now).await
        }
    }
}

/// Anonymises a person (152-ФЗ): every personal field gone, the row kept so that what refers
/// to it still does.
pub(crate) async fn anonymise(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    person::Entity::update_many()
        .col_expr(person::Column::Name, Expr::value(None::<String>))
        .col_expr(person::Column::Phone, Expr::value(None::<String>))
        .col_expr(person::Column::Email, Expr::value(None::<String>))
        .col_expr(person::Column::Flat, Expr::value(None::<String>))
        .col_expr(person::Column::ErasedAt, Expr::value(Some(now)))
        .col_expr(person::Column::UpdatedAt, Expr::value(now))
        .filter(person::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks a person as no account's owner any more (their account was erased).
pub(crate) async fn no_longer_an_account(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    person::Entity::update_many()
        .col_expr(person::Column::IsAccount, Expr::value(false))
        .col_expr(person::Column::UpdatedAt, Expr::value(now))
        .filter(person::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Anonymises a person once nothing holds their data: no living account is theirs and no
/// complaint of theirs keeps personal data (one kept for the inspection or an order keeps its
/// applicant until it is erased in turn, when it closes). A follow keeps no one: it is no legal
/// fact, only a wish to be told, and nothing would ever come back to anonymise a person kept for
/// it; their follows then fall silent (a follow's phone is its person's).
pub(crate) async fn forget_if_unused(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    use crate::entities::complaint;
    let account = user::Entity::find()
        .filter(user::Column::PersonId.eq(id))
        .filter(user::Column::ErasedAt.is_null())
        .one(db)
        .await?;
    let still_held = complaint::Entity::find()
        .filter(complaint::Column::ApplicantId.eq(id))
        .filter(complaint::Column::ErasedAt.is_null())
        .one(db)
        .await?;
    if account.is_none() && still_held.is_none() {
        anonymise(db, id, now).await?;
    }
    Ok(())
}

/// The complaints a clerk filed for the person known by `phone` (E.164) that still hold their
/// personal data: an erased complaint no longer names anyone, even while its person is held
/// for another complaint.
pub(crate) fn filed_for_phone(phone: &str) -> sea_orm::Condition {
    use crate::entities::complaint;
    sea_orm::Condition::all()
        .add(complaint::Column::AuthorId.is_null())
        .add(complaint::Column::ErasedAt.is_null())
        .add(
            complaint::Column::ApplicantId.in_subquery(
                person::Entity::find()
                    .select_only()
                    .column(person::Column::Id)
                    .filter(person::Column::Phone.eq(phone))
                    .into_query(),
            ),
        )
}

/// An account's owner as the rest of the service shows them.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountContact {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The persons with these ids, in one query, by id.
pub(crate) async fn by_ids(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashMap<Uuid, person::Model>, RepoError> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

/// The name, phone and e-mail of each of `users`, from their persons (one query): an erased
/// account (or person) shows [`domain::privacy::ERASED_NAME`]; a service account (no one) has no contact and
/// its organisation's name, marked as the API's.
pub(crate) async fn contacts_of(
    db: &impl ConnectionTrait,
    users: &[user::Model],
) -> Result<std::collections::HashMap<Uuid, AccountContact>, RepoError> {
    let persons = by_ids(db, users.iter().filter_map(|u| u.person_id)).await?;
    let services = crate::api_keys::service_account_names(
        db,
        users
            .iter()
            .filter(|u| u.is_service)
            .filter_map(|u| u.organisation_id),
    )
    .await?;
    Ok(users
        .iter()
        .map(|u| {
            let contact = match u.person_id.and_then(|id| persons.get(&id)) {
                // An erased account shows no one, even while a kept case still names its person.
                Some(p) if p.erased_at.is_some() || u.erased_at.is_some() => AccountContact {
                    name: domain::privacy::ERASED_NAME.to_owned(),
                    ..AccountContact::default()
                },
                Some(p) => AccountContact {
                    name: p.name.clone().unwrap_or_default(),
                    phone: p.phone.clone(),
                    email: p.email.clone(),
                },
                None => AccountContact {
                    name: u
                        .organisation_id
                        .and_then(|org| services.get(&org).cloned())
                        .unwrap_or_default(),
                    ..AccountContact::default()
                },
            };
            (u.id, contact)
        })
        .collect())
}
