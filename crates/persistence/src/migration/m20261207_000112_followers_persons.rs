//! Personal data in one place (152-ФЗ, issue 14), the last copy: a person a clerk joined to a
//! complaint was kept as a phone on the follow (`complaint_followers.phone`). The follow now
//! refers to their person (`person_id`), the one person without an account known by that phone
//! (as a clerk's filing does, `persistence::persons`), and the phone column goes.
//!
//! Existing follows move over: each phone finds its person, or gets a new one (a test person
//! when every complaint it follows is test data). One follow per person and complaint still
//! (`ux_complaint_followers_person`, in place of the phone's).
//!
//! `down` puts the phone back from the persons.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "complaint_followers";

/// The phones followers hold: whether every complaint each follows is test data, and when the
/// first follow was made.
async fn followed_phones(
    manager: &SchemaManager<'_>,
) -> Result<BTreeMap<String, (bool, DateTime<Utc>)>, DbErr> {
    let db = manager.get_connection();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT f.phone AS phone, c.is_test AS is_test, f.created_at AS created_at \
             FROM complaint_followers f JOIN complaints c ON c.id = f.complaint_id \
             WHERE f.phone IS NOT NULL",
        ))
        .await?;
    let mut phones: BTreeMap<String, (bool, DateTime<Utc>)> = BTreeMap::new();
    for row in rows {
        let phone: String = row.try_get("", "phone")?;
        let is_test: bool = row.try_get("", "is_test")?;
        let at: DateTime<Utc> = row.try_get("", "created_at")?;
        let entry = phones.entry(phone).or_insert((true, at));
        entry.0 &= is_test;
        entry.1 = Ord::min(entry.1, at);
    }
    Ok(phones)
}

/// The person without an account known by `phone`, if any.
async fn person_by_phone(manager: &SchemaManager<'_>, phone: &str) -> Result<Option<Uuid>, DbErr> {
    let mut select = Query::select();
    select
        .column("id")
        .from("persons")
        .and_where(Expr::col("phone").eq(phone))
        .and_where(Expr::col("erased_at").is_null())
        .and_where(Expr::col("is_account").eq(false))
        .limit(1);
    let db = manager.get_connection();
    db.query_one_raw(db.get_database_backend().build(&select))
        .await?
        .map(|row| row.try_get("", "id"))
        .transpose()
}

async fn backfill(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    for (phone, (is_test, since)) in followed_phones(manager).await? {
        let person = match person_by_phone(manager, &phone).await? {
            Some(person) => person,
            None => {
                let id = Uuid::now_v7();
                let mut insert = Query::insert();
                insert
                    .into_table("persons")
                    .columns([
                        "id",
                        "phone",
                        "is_test",
                        "is_account",
                        "created_at",
                        "updated_at",
                    ])
                    .values([
                        id.into(),
                        phone.clone().into(),
                        is_test.into(),
                        false.into(),
                        since.into(),
                        since.into(),
                    ])
                    .map_err(|e| DbErr::Migration(e.to_string()))?;
                manager.exec_stmt(insert).await?;
                id
            }
        };
        let mut update = Query::update();
        update
            .table(TABLE)
            .value("person_id", person)
            .and_where(Expr::col("phone").eq(phone));
        manager.exec_stmt(update).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TABLE)
                    .add_column(uuid_null("person_id"))
                    .to_owned(),
            )
            .await?;
        backfill(manager).await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ux_complaint_followers_phone")
                    .table(TABLE)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_complaint_followers_person")
                    .table(TABLE)
                    .col("complaint_id")
                    .col("person_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Erasure and the test-data purge look follows up by person.
        manager
            .create_index(
                Index::create()
                    .name("ix_complaint_followers_person")
                    .table(TABLE)
                    .col("person_id")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TABLE)
                    .drop_column(Alias::new("phone"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TABLE)
                    .add_column(string_len_null("phone", 32))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE complaint_followers SET phone = \
                 (SELECT p.phone FROM persons p WHERE p.id = complaint_followers.person_id)",
            )
            .await?;
        for index in [
            "ix_complaint_followers_person",
            "ux_complaint_followers_person",
        ] {
            manager
                .drop_index(Index::drop().name(index).table(TABLE).to_owned())
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ux_complaint_followers_phone")
                    .table(TABLE)
                    .col("complaint_id")
                    .col("phone")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TABLE)
                    .drop_column(Alias::new("person_id"))
                    .to_owned(),
            )
            .await
    }
}
