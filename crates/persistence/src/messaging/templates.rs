//! Message templates as data: the administrator's texts over the defaults the domain ships.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::message_template;
use crate::mapping::parse_enum;
use crate::{Db, RepoError};

/// The key of one template.
pub type TemplateKey = (domain::MessageKind, domain::Channel, domain::Language);

/// One template in force, and whether the administrator changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRecord {
    pub template: domain::Template,
    /// `None` for a default the administrator never changed.
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<Uuid>,
}

/// Every template in force: the defaults, with the administrator's changes over them.
pub async fn all(db: &Db) -> Result<BTreeMap<TemplateKey, TemplateRecord>, RepoError> {
    let mut templates: BTreeMap<TemplateKey, TemplateRecord> = domain::default_templates()
        .into_iter()
        .map(|(key, template)| {
            (
                key,
                TemplateRecord {
                    template,
                    updated_at: None,
                    updated_by: None,
                },
            )
        })
        .collect();
    for row in message_template::Entity::find()
        .all(db.connection())
        .await?
    {
        let key = (
            parse_enum(&row.kind)?,
            parse_enum(&row.channel)?,
            parse_enum(&row.language)?,
        );
        templates.insert(
            key,
            TemplateRecord {
                template: domain::Template {
                    subject: row.subject,
                    body: row.body,
                },
                updated_at: Some(row.updated_at),
                updated_by: Some(row.updated_by),
            },
        );
    }
    Ok(templates)
}

/// The template in force for one key, if there is one.
pub async fn find(db: &Db, key: TemplateKey) -> Result<Option<domain::Template>, RepoError> {
    let (kind, channel, language) = key;
    let row = message_template::Entity::find_by_id((
        kind.as_str().to_owned(),
        channel.as_str().to_owned(),
        language.as_str().to_owned(),
    ))
    .one(db.connection())
    .await?;
    Ok(match row {
        Some(row) => Some(domain::Template {
            subject: row.subject,
            body: row.body,
        }),
        None => domain::default_templates().remove(&key),
    })
}

/// Saves the administrator's text for one key.
pub async fn save(
    db: &Db,
    key: TemplateKey,
    template: &domain::Template,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    let (kind, channel, language) = key;
    let txn = crate::begin_write(db.connection()).await?;
    reset_in(&txn, key).await?;
    message_template::Entity::insert(message_template::ActiveModel {
        kind: Set(kind.as_str().to_owned()),
        channel: Set(channel.as_str().to_owned()),
        language: Set(language.as_str().to_owned()),
        subject: Set(template.subject.clone()),
        body: Set(template.body.clone()),
        updated_by: Set(by),
        updated_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Back to the default text for one key.
pub async fn reset(db: &Db, key: TemplateKey) -> Result<(), RepoError> {
    reset_in(db.connection(), key).await
}

async fn reset_in<C: sea_orm::ConnectionTrait>(
    conn: &C,
    key: TemplateKey,
) -> Result<(), RepoError> {
    let (kind, channel, language) = key;
    message_template::Entity::delete_many()
        .filter(message_template::Column::Kind.eq(kind.as_str()))
        .filter(message_template::Column::Channel.eq(channel.as_str()))
        .filter(message_template::Column::Language.eq(language.as_str()))
        .exec(conn)
        .await?;
    Ok(())
}
