//! Residents register themselves, confirming their phone with a one-time code that arrives by
//! SMS through the local SMS centre (`tests/sinks/smsc.py`).

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

use super::{expect_problem, me, post, refresh, sign_in, text};
use crate::helpers::{Backend, Options, TestApp, spawn_app_with};
use crate::sinks::{Smsc, eventually};

/// Each test on SQLite and PostgreSQL, with an SMS centre of its own.
macro_rules! on_both_databases_with_smsc {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::with_smsc($crate::helpers::Backend::Sqlite, super::$name).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::with_smsc($crate::helpers::Backend::Postgres, super::$name).await;
                }
            }
        )*
    };
}

on_both_databases_with_smsc!(
    registration_is_confirmed_by_the_code_from_the_sms,
    a_registered_phone_gets_the_same_answer_and_no_code,
    five_wrong_codes_burn_it,
    a_code_expires_and_resends_are_limited,
    invalid_registrations_are_refused_per_field,
);

struct Env {
    app: TestApp,
    smsc: Smsc,
}

async fn with_smsc<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(Env) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let smsc = Smsc::start().await;
    let app = spawn_app_with(
        backend,
        Options {
            env: smsc.env(),
            ..Options::default()
        },
    )
    .await;
    eventually(
        StdDuration::from_secs(20),
        "the app binds to the SMSC",
        || smsc.bound(),
    )
    .await;
    test(Env { app, smsc }).await;
}

const PASSWORD: &str = "correct horse battery";

fn registration(phone: &str, email: Option<&str>) -> Value {
    let mut body = json!({
        "name": "Соколова Екатерина Андреевна",
        "phone": phone,
        "password": PASSWORD,
        "consent": { "accepted": true, "version": "2026-01" }
    });
    if let Some(email) = email {
        body["email"] = json!(email);
    }
    body
}

async fn register(app: &TestApp, body: Value) -> Value {
    let response = post(app, "/api/v1/auth/register", body, None).await;
    assert_eq!(response.status(), 202);
    response.json().await.unwrap()
}

async fn confirm(app: &TestApp, started: &Value, code: &str) -> reqwest::Response {
    post(
        app,
        "/api/v1/auth/register/confirm",
        json!({ "registration_id": started["registration_id"], "code": code }),
        None,
    )
    .await
}

async fn resend(app: &TestApp, started: &Value) -> reqwest::Response {
    post(
        app,
        "/api/v1/auth/register/resend",
        json!({ "registration_id": started["registration_id"] }),
        None,
    )
    .await
}

/// Sends what is due and waits until `phone` has received `count` SMS; returns the code of the
/// last one.
async fn code_sent_to(e: &Env, phone: &str, count: usize) -> String {
    eventually(
        StdDuration::from_secs(20),
        "the code arrives by SMS",
        || async {
            api::worker::tick(&e.app.state, Utc::now()).await.unwrap();
            e.smsc.texts_to(phone).len() >= count
        },
    )
    .await;
    let texts = e.smsc.texts_to(phone);
    assert_eq!(texts.len(), count, "{texts:?}");
    let last = texts.last().unwrap();
    let digits: Vec<&str> = last
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 6)
        .collect();
    assert_eq!(digits.len(), 1, "one six-digit code in {last:?}");
    digits[0].to_owned()
}

/// The next 12:00 in Surgut (07:00 UTC), outside the quiet hours and less than a day ahead.
fn surgut_noon() -> DateTime<Utc> {
    let now = Utc::now();
    let today = now.date_naive().and_hms_opt(7, 0, 0).unwrap().and_utc();
    if today > now {
        today
    } else {
        today + Duration::days(1)
    }
}

/// A wrong code that is surely not `right`.
fn wrong(right: &str) -> String {
    let first = (right.as_bytes()[0] - b'0' + 1) % 10;
    format!("{first}{}", &right[1..])
}

/// Sets `column` of every row of `table` for `phone` to `at`, past the API (the clock of these
/// rules is the domain's, tested there with `now` passed in; this moves the stored times).
async fn set_time(app: &TestApp, table: &str, column: &str, phone: &str, at: DateTime<Utc>) {
    let db = app.direct_connection().await;
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => format!("UPDATE {table} SET {column} = $1 WHERE phone = $2"),
        _ => format!("UPDATE {table} SET {column} = ? WHERE phone = ?"),
    };
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        [at.into(), phone.into()],
    ))
    .await
    .unwrap();
}

async fn registration_is_confirmed_by_the_code_from_the_sms(e: Env) {
    let app = &e.app;
    let started = register(
        app,
        registration("8 (912) 345-67-89", Some("Sokolova@Example.ru")),
    )
    .await;
    assert_eq!(started["code_length"], 6);
    assert_eq!(started["expires_in"], 600);
    assert_eq!(started["resend_in"], 60);
    // Not an account yet: signing in is refused.
    for login in ["+79123456789", "sokolova@example.ru"] {
        assert_eq!(app.login(login, PASSWORD).await.status(), 401);
    }
    let code = code_sent_to(&e, "+79123456789", 1).await;

    // A wrong code says how many tries are left; the right one signs in.
    let body = expect_problem(
        confirm(app, &started, &wrong(&code)).await,
        422,
        "wrong_code",
    )
    .await;
    assert_eq!(body["remaining_attempts"], 4, "{body}");
    expect_problem(
        confirm(app, &started, "12a456").await,
        422,
        "validation_failed",
    )
    .await;
    let response = confirm(app, &started, &code).await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "resident");
    assert_eq!(body["user"]["login"], "sokolova@example.ru");
    assert!(body["user"]["organisation"].is_null());
    assert_eq!(
        refresh(app, &text(&body, "refresh_token")).await.status(),
        200
    );
    let who: Value = me(app, &text(&body, "access_token"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(who["role"], "resident");
    // Signs in with the phone in another spelling, and with the e-mail.
    sign_in(app, "+7 912 345 67 89", PASSWORD).await;
    sign_in(app, "sokolova@example.ru", PASSWORD).await;
    // The code confirmed once; not again.
    expect_problem(confirm(app, &started, &code).await, 410, "code_expired").await;
    expect_problem(resend(app, &started).await, 404, "not_found").await;

    // No e-mail: the phone is the login.
    let started = register(app, registration("89125550011", None)).await;
    let code = code_sent_to(&e, "+79125550011", 1).await;
    let body: Value = confirm(app, &started, &code).await.json().await.unwrap();
    assert_eq!(body["user"]["login"], "+79125550011");
    sign_in(app, "8 912 555 00 11", PASSWORD).await;

    // An e-mail that got an account while the code travelled is left out of the second
    // account (a refusal would tell that the e-mail is registered); the phone is its login.
    let first = register(app, registration("+79125550044", Some("twice@example.ru"))).await;
    let second = register(app, registration("+79125550055", Some("twice@example.ru"))).await;
    let first_code = code_sent_to(&e, "+79125550044", 1).await;
    let second_code = code_sent_to(&e, "+79125550055", 1).await;
    assert_eq!(confirm(app, &first, &first_code).await.status(), 201);
    let response = confirm(app, &second, &second_code).await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["login"], "+79125550055");
    sign_in(app, "+79125550055", PASSWORD).await;

    // An unknown registration.
    let unknown = json!({ "registration_id": uuid::Uuid::now_v7() });
    expect_problem(confirm(app, &unknown, "123456").await, 404, "not_found").await;
}

async fn a_registered_phone_gets_the_same_answer_and_no_code(e: Env) {
    let app = &e.app;
    // A new number and a demo resident's number: the same status, the same body but the id.
    let fresh = post(
        app,
        "/api/v1/auth/register",
        registration("+79125550066", None),
        None,
    )
    .await;
    let taken = post(
        app,
        "/api/v1/auth/register",
        registration("+79220000001", None),
        None,
    )
    .await;
    assert_eq!(fresh.status(), taken.status());
    let header_names = |r: &reqwest::Response| {
        let mut names: Vec<String> = r
            .headers()
            .keys()
            .map(|k| k.as_str().to_owned())
            .filter(|k| k != "date")
            .collect();
        names.sort();
        names
    };
    assert_eq!(header_names(&fresh), header_names(&taken));
    let mut fresh: Value = fresh.json().await.unwrap();
    let mut taken: Value = taken.json().await.unwrap();
    assert_ne!(fresh["registration_id"], taken["registration_id"]);
    let (fresh_id, taken_id) = (
        fresh["registration_id"].take(),
        taken["registration_id"].take(),
    );
    assert_eq!(fresh, taken);
    let fresh = json!({ "registration_id": fresh_id });
    let taken = json!({ "registration_id": taken_id });

    // Only the new number gets a code; the registered one is told it has an account (after the
    // quiet hours), and no code confirms it.
    let code = code_sent_to(&e, "+79125550066", 1).await;
    eventually(StdDuration::from_secs(20), "the notice arrives", || async {
        api::worker::tick(&e.app.state, surgut_noon())
            .await
            .unwrap();
        !e.smsc.texts_to("+79220000001").is_empty()
    })
    .await;
    let notice = e.smsc.texts_to("+79220000001");
    assert_eq!(notice.len(), 1, "{notice:?}");
    assert!(
        notice[0].contains("уже есть учётная запись"),
        "{}",
        notice[0]
    );
    assert!(
        !notice[0].chars().any(|c| c.is_ascii_digit()),
        "{}",
        notice[0]
    );
    let body = expect_problem(confirm(app, &taken, &code).await, 422, "wrong_code").await;
    assert_eq!(body["remaining_attempts"], 4);
    // Resending is limited alike.
    for started in [&fresh, &taken] {
        let response = resend(app, started).await;
        assert_eq!(response.status(), 429);
        assert!(response.headers().contains_key("retry-after"));
    }
    // The demo resident is untouched.
    sign_in(app, "+79220000001", crate::helpers::DEMO_PASSWORD).await;
}

async fn five_wrong_codes_burn_it(e: Env) {
    let app = &e.app;
    let phone = "+79125550077";
    let started = register(app, registration(phone, None)).await;
    let code = code_sent_to(&e, phone, 1).await;
    for remaining in [4, 3, 2, 1] {
        let body = expect_problem(
            confirm(app, &started, &wrong(&code)).await,
            422,
            "wrong_code",
        )
        .await;
        assert_eq!(body["remaining_attempts"], remaining, "{body}");
    }
    expect_problem(
        confirm(app, &started, &wrong(&code)).await,
        410,
        "code_burnt",
    )
    .await;
    // Burnt: the right code is refused too, and there is no account.
    expect_problem(confirm(app, &started, &code).await, 410, "code_burnt").await;
    assert_eq!(app.login(phone, PASSWORD).await.status(), 401);

    // A new code (after the minute) has tries of its own.
    set_time(
        app,
        "phone_verification_sends",
        "sent_at",
        phone,
        Utc::now() - Duration::seconds(61),
    )
    .await;
    assert_eq!(resend(app, &started).await.status(), 202);
    let new_code = code_sent_to(&e, phone, 2).await;
    if new_code != code {
        expect_problem(confirm(app, &started, &code).await, 422, "wrong_code").await;
    }
    assert_eq!(confirm(app, &started, &new_code).await.status(), 201);
    sign_in(app, phone, PASSWORD).await;
}

async fn a_code_expires_and_resends_are_limited(e: Env) {
    let app = &e.app;
    let phone = "+79125550088";
    let started = register(app, registration(phone, None)).await;
    let code = code_sent_to(&e, phone, 1).await;
    // Ten minutes later.
    set_time(
        app,
        "phone_verifications",
        "expires_at",
        phone,
        Utc::now() - Duration::seconds(1),
    )
    .await;
    expect_problem(confirm(app, &started, &code).await, 410, "code_expired").await;
    assert_eq!(app.login(phone, PASSWORD).await.status(), 401);

    // A minute between codes: 429 with Retry-After, also for registering again.
    let response = resend(app, &started).await;
    assert_eq!(response.headers()["retry-after"], "60");
    expect_problem(response, 429, "resend_too_soon").await;
    expect_problem(
        post(
            app,
            "/api/v1/auth/register",
            registration(phone, None),
            None,
        )
        .await,
        429,
        "resend_too_soon",
    )
    .await;
    // Five codes an hour: four more after their minutes, then the hour must pass.
    for count in 2..=5 {
        set_time(
            app,
            "phone_verification_sends",
            "sent_at",
            phone,
            Utc::now() - Duration::seconds(61),
        )
        .await;
        assert_eq!(resend(app, &started).await.status(), 202, "code {count}");
        code_sent_to(&e, phone, count).await;
    }
    set_time(
        app,
        "phone_verification_sends",
        "sent_at",
        phone,
        Utc::now() - Duration::seconds(61),
    )
    .await;
    let response = resend(app, &started).await;
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3400..=3540).contains(&wait), "{wait}");
    expect_problem(response, 429, "resend_too_soon").await;
    // The last code still confirms.
    let code = e.smsc.texts_to(phone).last().cloned().unwrap();
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(confirm(app, &started, &code).await.status(), 201);
}

async fn invalid_registrations_are_refused_per_field(e: Env) {
    let app = &e.app;
    for bad_phone in ["12345", "+1 212 555 0100", "8-912-ABC-67-89"] {
        let body = expect_problem(
            post(
                app,
                "/api/v1/auth/register",
                registration(bad_phone, None),
                None,
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert!(body["errors"]["phone"].is_array(), "{body}");
    }
    let mut no_consent = registration("+79125550022", Some("not-an-email"));
    no_consent["consent"] = json!({ "accepted": false, "version": "2025-01" });
    no_consent["password"] = json!("short");
    let body = expect_problem(
        post(app, "/api/v1/auth/register", no_consent, None).await,
        422,
        "validation_failed",
    )
    .await;
    for field in ["consent.accepted", "consent.version", "email", "password"] {
        assert!(body["errors"][field].is_array(), "{field}: {body}");
    }
    // Staff cannot be created here.
    let mut as_admin = registration("+79125550033", None);
    as_admin["role"] = json!("admin");
    expect_problem(
        post(app, "/api/v1/auth/register", as_admin, None).await,
        400,
        "malformed_json",
    )
    .await;
    // Nothing was sent.
    api::worker::tick(&app.state, Utc::now()).await.unwrap();
    assert!(e.smsc.messages().is_empty());
}
