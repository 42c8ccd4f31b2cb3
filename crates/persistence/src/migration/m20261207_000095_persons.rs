//! One place for personal data (152-ФЗ, issue 14), first step: a `persons` table (name, phone,
//! e-mail, flat, consent, erased state) that a complaint's applicant (`complaints.applicant_id`)
//! and an account (`users.person_id`) refer to.
//!
//! This step adds the table and the references and moves the existing data in: one person per
//! account (not the organisations' service accounts: they are no one), the complaints a
//! resident filed refer to their account's person, and the complaints a clerk filed refer to one
//! person per phone (the latest name and flat given for it). The old columns
//! (`complaints.applicant_name`/`applicant_phone`, `users.name`/`phone`/`email`) stay written
//! and read until the readers move over; the history (`complaint_events`) is untouched.
//!
//! No foreign keys: SQLite cannot add one to an existing table, and the erasure and test-data
//! purge keep the references themselves.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A person about to be written.
struct Person {
    id: Uuid,
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    flat: Option<String>,
    consent_version: Option<String>,
    is_test: bool,
    created_at: DateTime<Utc>,
    erased_at: Option<DateTime<Utc>>,
}

async fn insert(manager: &SchemaManager<'_>, p: Person) -> Result<(), DbErr> {
    let mut insert = Query::insert();
    insert
        .into_table("persons")
        .columns([
            "id",
            "name",
            "phone",
            "email",
            "flat",
            "consent_version",
            "is_test",
            "created_at",
            "updated_at",
            "erased_at",
        ])
        .values([
            p.id.into(),
            p.name.into(),
            p.phone.into(),
            p.email.into(),
            p.flat.into(),
            p.consent_version.into(),
            p.is_test.into(),
            p.created_at.into(),
            p.created_at.into(),
            p.erased_at.into(),
        ])
        .map_err(|e| DbErr::Migration(e.to_string()))?;
    manager.exec_stmt(insert).await
}

async fn point(
    manager: &SchemaManager<'_>,
    table: &str,
    column: &str,
    value: Uuid,
    id: Uuid,
) -> Result<(), DbErr> {
    manager
        .exec_stmt(
            Query::update()
                .table(Alias::new(table))
                .value(Alias::new(column), value)
                .and_where(Expr::col("id").eq(id))
                .to_owned(),
        )
        .await
}

/// Moves the existing accounts and applicants in.
async fn backfill(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = db.get_database_backend();
    let users = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, name, phone, email, is_test, created_at, erased_at FROM users \
             WHERE NOT is_service ORDER BY id",
        ))
        .await?;
    let mut person_of_user: BTreeMap<Uuid, Uuid> = BTreeMap::new();
    for row in users {
        let user: Uuid = row.try_get("", "id")?;
        let erased_at: Option<DateTime<Utc>> = row.try_get("", "erased_at")?;
        let person = Uuid::now_v7();
        insert(
            manager,
            Person {
                id: person,
                name: erased_at
                    .is_none()
                    .then(|| row.try_get("", "name"))
                    .transpose()?,
                phone: row.try_get("", "phone")?,
                email: row.try_get("", "email")?,
                flat: None,
                consent_version: None,
                is_test: row.try_get("", "is_test")?,
                created_at: row.try_get("", "created_at")?,
                erased_at,
            },
        )
        .await?;
        point(manager, "users", "person_id", person, user).await?;
        person_of_user.insert(user, person);
    }
    // Oldest first, so that the latest name and flat given for a phone win.
    let complaints = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, author_id, applicant_name, applicant_phone, flat, consent_version, \
             is_test, registered_at FROM complaints ORDER BY registered_at, id",
        ))
        .await?;
    let mut by_phone: BTreeMap<String, (Uuid, Vec<Uuid>, Person)> = BTreeMap::new();
    for row in complaints {
        let id: Uuid = row.try_get("", "id")?;
        let author: Option<Uuid> = row.try_get("", "author_id")?;
        let phone: Option<String> = row.try_get("", "applicant_phone")?;
        match (author.and_then(|a| person_of_user.get(&a).copied()), phone) {
            (Some(person), _) => point(manager, "complaints", "applicant_id", person, id).await?,
            (None, Some(phone)) => {
                let registered_at: DateTime<Utc> = row.try_get("", "registered_at")?;
                let entry = by_phone.entry(phone.clone()).or_insert_with(|| {
                    let person = Uuid::now_v7();
                    (
                        person,
                        Vec::new(),
                        Person {
                            id: person,
                            name: None,
                            phone: Some(phone),
                            email: None,
                            flat: None,
                            consent_version: None,
                            is_test: true,
                            created_at: registered_at,
                            erased_at: None,
                        },
                    )
                });
                entry.1.push(id);
                let p = &mut entry.2;
                let name: Option<String> = row.try_get("", "applicant_name")?;
                let flat: Option<String> = row.try_get("", "flat")?;
                let consent: Option<String> = row.try_get("", "consent_version")?;
                let is_test: bool = row.try_get("", "is_test")?;
                p.name = name.or(p.name.take());
                p.flat = flat.or(p.flat.take());
                p.consent_version = consent.or(p.consent_version.take());
                // A person is test data only when every complaint of theirs is.
                p.is_test = p.is_test && is_test;
            }
            // Erased (or never given): no one to refer to.
            (None, None) => {}
        }
    }
    for (_, (person, complaints, record)) in by_phone {
        insert(manager, record).await?;
        for complaint in complaints {
            point(manager, "complaints", "applicant_id", person, complaint).await?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("persons")
                    .col(uuid("id").primary_key())
                    .col(string_null("name"))
                    .col(string_null("phone"))
                    .col(string_null("email"))
                    .col(string_null("flat"))
                    .col(string_null("consent_version"))
                    .col(boolean("is_test").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("erased_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_persons_phone")
                    .table("persons")
                    .col("phone")
                    .to_owned(),
            )
            .await?;
        for (table, column) in [("complaints", "applicant_id"), ("users", "person_id")] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(uuid_null(column))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{table}_{column}"))
                        .table(Alias::new(table))
                        .col(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        backfill(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in [("users", "person_id"), ("complaints", "applicant_id")] {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx_{table}_{column}"))
                        .table(Alias::new(table))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table("persons").to_owned())
            .await
    }
}
