//! One place for personal data (migration 000095): each complaint refers to its applicant's
//! person (the account's owner, or one person per phone a clerk filed with), and erasure
//! anonymises that one row.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use super::history_layout::clerk_filed_story;
use crate::helpers::{TestApp, User, fixtures};

on_both_databases!(
    complaints_refer_to_one_person_and_erasure_anonymises_it,
    the_migration_moves_existing_applicants_and_accounts_in,
    the_database_keeps_account_phones_unique,
);

/// The person a complaint refers to: (id, name, phone, flat, erased).
type Person = (
    uuid::Uuid,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
);

async fn person_of(app: &TestApp, complaint: &Value) -> Person {
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    let id: uuid::Uuid = complaint["id"].as_str().unwrap().parse().unwrap();
    let placeholder = match backend {
        sea_orm::DbBackend::Postgres => "$1",
        _ => "?",
    };
    let sql = format!(
        "SELECT p.id, p.name, p.phone, p.flat, p.erased_at FROM persons p \
         JOIN complaints c ON c.applicant_id = p.id WHERE c.id = {placeholder}"
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("complaint {id} refers to no person"));
    let erased: Option<chrono::DateTime<chrono::Utc>> = row.try_get("", "erased_at").unwrap();
    (
        row.try_get("", "id").unwrap(),
        row.try_get("", "name").unwrap(),
        row.try_get("", "phone").unwrap(),
        row.try_get("", "flat").unwrap(),
        erased.is_some(),
    )
}

async fn complaints_refer_to_one_person_and_erasure_anonymises_it(app: TestApp) {
    let first = clerk_filed_story(&app, "+7 922 123-45-67").await;
    let second = clerk_filed_story(&app, "8 922 123 45 67").await;
    let stranger = clerk_filed_story(&app, "+7 922 765-43-21").await;
    let (building, category, _) = fixtures(&app).await;
    let (resident, clerk) = (
        User::new(&app, "resident").await,
        User::new(&app, "clerk").await,
    );
    let own = resident.file(&building, &category, "Течёт кран").await["complaint"].clone();

    // One person for one phone, another for another; the resident's is their account's.
    let person = person_of(&app, &first).await;
    assert_eq!(person_of(&app, &second).await.0, person.0);
    assert_eq!(person.1.as_deref(), Some("Петров Иван Сергеевич"));
    assert_eq!(person.2.as_deref(), Some("+79221234567"));
    assert_eq!(person.3.as_deref(), Some("7"));
    assert!(!person.4);
    let other = person_of(&app, &stranger).await;
    assert_ne!(other.0, person.0);
    let mine = person_of(&app, &own).await;
    assert_eq!(mine.1.as_deref(), Some("Иванова Мария Петровна"));
    assert_eq!(mine.2.as_deref(), Some("+79220000001"));
    assert_eq!(mine.3.as_deref(), Some("12"), "the flat they gave");

    // The API answers as before.
    let id = first["id"].as_str().unwrap();
    let seen = clerk.get_json(&format!("/api/v1/complaints/{id}")).await;
    assert_eq!(seen["applicant"]["name"], "Петров Иван Сергеевич", "{seen}");

    // Erasure by phone: the one person row is anonymised, the other person is untouched.
    let request = json!({ "phone": "+79221234567", "ground": "erasure_request",
                          "reason": "Заявление вх. № 21" });
    let response = clerk.post("/api/v1/persons/erasure", &request).await;
    assert_eq!(response.status(), 200);
    let erased = person_of(&app, &first).await;
    assert_eq!(
        erased.0, person.0,
        "the complaints still refer to the person"
    );
    assert_eq!(
        (erased.1, erased.2, erased.3, erased.4),
        (None, None, None, true)
    );
    let untouched = person_of(&app, &stranger).await;
    assert_eq!(untouched.2.as_deref(), Some("+79227654321"));
    assert!(!untouched.4);

    // A resident's own erasure anonymises their account's person.
    let right = json!({ "ground": "erasure_request", "confirm": "УДАЛИТЬ МОИ ДАННЫЕ" });
    assert_eq!(
        resident.post("/api/v1/me/erasure", &right).await.status(),
        200
    );
    let gone = person_of(&app, &own).await;
    assert_eq!(gone.0, mine.0);
    assert_eq!((gone.1, gone.2, gone.3, gone.4), (None, None, None, true));
}

async fn the_migration_moves_existing_applicants_and_accounts_in(app: TestApp) {
    let first = clerk_filed_story(&app, "+7 922 123-45-67").await;
    let second = clerk_filed_story(&app, "+7 922 123-45-67").await;
    let stranger = clerk_filed_story(&app, "+7 922 765-43-21").await;
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let own = resident.file(&building, &category, "Течёт кран").await["complaint"].clone();

    // Back to before the table (this migration and any later one), and up again: the rows
    // written before it are moved in.
    let undone = persistence::migrate_down_to(&app.state.db, "m20261207_000094")
        .await
        .unwrap();
    assert!(undone >= 1);
    persistence::migrate(&app.state.db).await.unwrap();

    let person = person_of(&app, &first).await;
    assert_eq!(
        person_of(&app, &second).await.0,
        person.0,
        "one person per phone"
    );
    assert_eq!(person.1.as_deref(), Some("Петров Иван Сергеевич"));
    assert_eq!(person.2.as_deref(), Some("+79221234567"));
    assert_eq!(person.3.as_deref(), Some("7"));
    assert!(!person.4);
    assert_ne!(person_of(&app, &stranger).await.0, person.0);
    let mine = person_of(&app, &own).await;
    assert_eq!(mine.1.as_deref(), Some("Иванова Мария Петровна"));
    assert_eq!(mine.2.as_deref(), Some("+79220000001"));

    // Every account of a person has one; the organisations' service accounts have none.
    let db = app.direct_connection().await;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM users WHERE person_id IS NULL AND NOT is_service",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), 0);

    // And erasure works on the moved rows.
    let clerk = User::new(&app, "clerk").await;
    let request = json!({ "phone": "+79221234567", "ground": "erasure_request",
                          "reason": "Заявление вх. № 22" });
    assert_eq!(
        clerk
            .post("/api/v1/persons/erasure", &request)
            .await
            .status(),
        200
    );
    let erased = person_of(&app, &first).await;
    assert_eq!((erased.1, erased.2, erased.4), (None, None, true));
}

/// The guard behind "one account per phone" is the database's (`ux_persons_account_phone`,
/// migration 000110), so two registrations racing for one number cannot both land; a person
/// without an account may share the number.
async fn the_database_keeps_account_phones_unique(app: TestApp) {
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    let insert = |is_account: bool| {
        let (placeholders, flag) = match backend {
            sea_orm::DbBackend::Postgres => ("$1, $2, $3", is_account.to_string()),
            _ => ("?, ?, ?", u8::from(is_account).to_string()),
        };
        Statement::from_sql_and_values(
            backend,
            format!(
                "INSERT INTO persons (id, name, phone, is_test, is_account, created_at, updated_at) \
                 VALUES ({placeholders}, false, {flag}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            [
                uuid::Uuid::now_v7().into(),
                "Иванов Иван".into(),
                "+79220000001".into(),
            ],
        )
    };
    // The demo resident's account holds +79220000001 already.
    assert!(db.execute_raw(insert(true)).await.is_err());
    db.execute_raw(insert(false)).await.unwrap();
    db.execute_raw(insert(false)).await.unwrap();
}
