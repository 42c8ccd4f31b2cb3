//! Each person's choices of channels per kind of message, their language, and where they can be
//! reached: what the worker needs to address a message.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::{message_preference, message_setting, sms_opt_out, user};
use crate::mapping::parse_enum;
use crate::{Db, RepoError};

/// A person a message can be addressed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub user_id: Uuid,
    pub role: domain::Role,
    pub contact: domain::Contact,
    pub preferences: domain::Preferences,
    pub language: domain::Language,
}

/// A person's saved choices and settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub preferences: domain::Preferences,
    pub language: domain::Language,
}

/// The choices and settings of `user_id` (the defaults when they never chose).
pub async fn load(db: &Db, user_id: Uuid) -> Result<Saved, RepoError> {
    let mut people = load_many(db, &[user_id]).await?;
    Ok(people.remove(&user_id).unwrap_or(Saved {
        preferences: domain::Preferences::default(),
        language: domain::Language::Ru,
    }))
}

async fn load_many(db: &Db, users: &[Uuid]) -> Result<HashMap<Uuid, Saved>, RepoError> {
    let db = db.connection();
    let choices = message_preference::Entity::find()
        .filter(message_preference::Column::UserId.is_in(users.iter().copied()))
        .all(db)
        .await?;
    let settings = message_setting::Entity::find()
        .filter(message_setting::Column::UserId.is_in(users.iter().copied()))
        .all(db)
        .await?;
    let mut by_user: HashMap<Uuid, Vec<domain::Choice>> = HashMap::new();
    for row in choices {
        by_user
            .entry(row.user_id)
            .or_default()
            .push(domain::Choice {
                kind: parse_enum(&row.kind)?,
                channel: parse_enum(&row.channel)?,
                enabled: row.enabled,
            });
    }
    let settings: HashMap<Uuid, message_setting::Model> =
        settings.into_iter().map(|s| (s.user_id, s)).collect();
    let mut out = HashMap::new();
    for user_id in users {
        let setting = settings.get(user_id);
        let language = match setting {
            Some(s) => parse_enum(&s.language)?,
            None => domain::Language::Ru,
        };
        let digest = setting
            .and_then(|s| s.digest_minutes)
            .and_then(|m| u32::try_from(m).ok());
        out.insert(
            *user_id,
            Saved {
                preferences: domain::Preferences::new(
                    by_user.remove(user_id).unwrap_or_default(),
                    digest,
                ),
                language,
            },
        );
    }
    Ok(out)
}

/// Replaces the choices of `user_id` that `choices` name, and their settings.
pub async fn save(
    db: &Db,
    user_id: Uuid,
    choices: &[domain::Choice],
    language: domain::Language,
    digest_minutes: Option<u32>,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    for choice in choices {
        message_preference::Entity::delete_many()
            .filter(message_preference::Column::UserId.eq(user_id))
            .filter(message_preference::Column::Kind.eq(choice.kind.as_str()))
            .filter(message_preference::Column::Channel.eq(choice.channel.as_str()))
            .exec(&txn)
            .await?;
    }
    if !choices.is_empty() {
        message_preference::Entity::insert_many(choices.iter().map(|c| {
            message_preference::ActiveModel {
                user_id: Set(user_id),
                kind: Set(c.kind.as_str().to_owned()),
                channel: Set(c.channel.as_str().to_owned()),
                enabled: Set(c.enabled),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    message_setting::Entity::delete_by_id(user_id)
        .exec(&txn)
        .await?;
    message_setting::Entity::insert(message_setting::ActiveModel {
        user_id: Set(user_id),
        language: Set(language.as_str().to_owned()),
        digest_minutes: Set(digest_minutes.and_then(|m| i32::try_from(m).ok())),
        updated_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The people to address among active, non-service accounts: by id, the staff of a company, or
/// everyone of a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whom {
    User(Uuid),
    StaffOf(Uuid),
    Everyone(domain::Role),
}

/// The people `whom` names, with their contacts, choices and language.
pub async fn people(db: &Db, whom: Whom) -> Result<Vec<Person>, RepoError> {
    let condition = match whom {
        Whom::User(id) => Condition::all().add(user::Column::Id.eq(id)),
        Whom::StaffOf(company) => Condition::all()
            .add(user::Column::Role.eq(domain::Role::Company.as_str()))
            .add(user::Column::OrganisationId.eq(company)),
        Whom::Everyone(role) => Condition::all().add(user::Column::Role.eq(role.as_str())),
    };
    let users = user::Entity::find()
        .filter(user::Column::IsActive.eq(true))
        .filter(user::Column::IsService.eq(false))
        .filter(condition)
        .all(db.connection())
        .await?;
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    let mut saved = load_many(db, &ids).await?;
    let mut contacts = crate::persons::contacts_of(db.connection(), &users).await?;
    let phones: Vec<String> = contacts.values().filter_map(|c| c.phone.clone()).collect();
    let stopped: std::collections::HashSet<String> = if phones.is_empty() {
        Default::default()
    } else {
        sms_opt_out::Entity::find()
            .filter(sms_opt_out::Column::Phone.is_in(phones))
            .all(db.connection())
            .await?
            .into_iter()
            .map(|o| o.phone)
            .collect()
    };
    users
        .into_iter()
        .map(|u| {
            let contact = contacts.remove(&u.id).unwrap_or_default();
            let Saved {
                preferences,
                language,
            } = saved.remove(&u.id).unwrap_or(Saved {
                preferences: domain::Preferences::default(),
                language: domain::Language::Ru,
            });
            Ok(Person {
                user_id: u.id,
                role: parse_enum(&u.role)?,
                contact: domain::Contact {
                    sms_stopped: contact.phone.as_ref().is_some_and(|p| stopped.contains(p)),
                    phone: contact.phone,
                    email: contact.email,
                },
                preferences,
                language,
            })
        })
        .collect()
}
