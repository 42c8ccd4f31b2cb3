//! Findings 1, 2, 7 and 8: throttles that hold under races and across replicas, per account and
//! address, before any hashing, and a table that stays small.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use futures_util::future::join_all;
use serde_json::Value;

use super::{behind_proxy_on_both_databases, login_from};
use crate::helpers::{DEMO_PASSWORD, TestApp, spawn_replica};

on_both_databases!(finding_01_parallel_wrong_logins_across_replicas_give_at_most_five_401);
behind_proxy_on_both_databases!(
    finding_02_a_flood_from_one_address_is_cut_before_hashing_and_others_sign_in,
    finding_07_a_lock_holds_per_address_and_a_softer_one_for_everyone_tells_the_owner,
    finding_08_attempts_stay_bounded_per_address_and_old_ones_are_purged,
);

fn tally(statuses: impl IntoIterator<Item = u16>) -> BTreeMap<u16, usize> {
    let mut counts = BTreeMap::new();
    for status in statuses {
        *counts.entry(status).or_insert(0) += 1;
    }
    counts
}

async fn finding_01_parallel_wrong_logins_across_replicas_give_at_most_five_401(app: TestApp) {
    let replica = spawn_replica(&app).await;
    let attempts = (0..40).map(|n| {
        let target = if n % 2 == 0 { &app } else { &replica };
        async move {
            target
                .login("dispatcher@demo.test", &format!("wrong {n}"))
                .await
                .status()
                .as_u16()
        }
    });
    let counts = tally(join_all(attempts).await);
    let mut wrong = counts.get(&401).copied().unwrap_or(0);
    assert!(wrong <= 5, "{counts:?}");
    assert_eq!(
        wrong + counts.get(&429).copied().unwrap_or(0),
        40,
        "{counts:?}"
    );
    // A burst may be refused whole (every attempt counted the others in flight); one at a
    // time, guesses go on until exactly five were checked, never more.
    for n in 0..10 {
        match app
            .login("dispatcher@demo.test", &format!("later {n}"))
            .await
            .status()
            .as_u16()
        {
            401 => wrong += 1,
            429 => break,
            other => panic!("{other}"),
        }
    }
    assert_eq!(wrong, 5, "{counts:?}");
    // And the account is locked for this address, right password or not.
    assert_eq!(
        replica
            .login("dispatcher@demo.test", DEMO_PASSWORD)
            .await
            .status(),
        429
    );
}

async fn finding_02_a_flood_from_one_address_is_cut_before_hashing_and_others_sign_in(
    app: TestApp,
) {
    let flood = (0..80).map(|n| {
        let app = &app;
        async move {
            login_from(
                app,
                "203.0.113.66",
                &format!("nobody{n}@example.ru"),
                "guess",
            )
            .await
            .status()
            .as_u16()
        }
    });
    let resident = async {
        login_from(&app, "198.51.100.7", "resident@demo.test", DEMO_PASSWORD)
            .await
            .status()
            .as_u16()
    };
    let (flood, resident) = tokio::join!(join_all(flood), resident);
    assert_eq!(resident, 200, "another address signs in during the flood");
    let counts = tally(flood);
    // At most 30 of the flood were hashed (401); the rest were refused before any hashing.
    let mut hashed = counts.get(&401).copied().unwrap_or(0);
    assert!(hashed <= 30, "{counts:?}");
    assert!(counts.get(&429).copied().unwrap_or(0) >= 50, "{counts:?}");
    assert_eq!(counts.get(&503), None, "{counts:?}");
    // One at a time the address gets to 30 failures, and no further.
    for n in 0..40 {
        let response = login_from(&app, "203.0.113.66", &format!("later{n}@example.ru"), "x").await;
        match response.status().as_u16() {
            401 => hashed += 1,
            429 => break,
            other => panic!("{other}"),
        }
    }
    assert_eq!(hashed, 30, "{counts:?}");
    // Then the flooding address is refused even for a real account; another one is not.
    assert_eq!(
        login_from(&app, "203.0.113.66", "clerk@demo.test", DEMO_PASSWORD)
            .await
            .status(),
        429
    );
    assert_eq!(
        login_from(&app, "198.51.100.8", "clerk@demo.test", DEMO_PASSWORD)
            .await
            .status(),
        200
    );
}

async fn finding_07_a_lock_holds_per_address_and_a_softer_one_for_everyone_tells_the_owner(
    app: TestApp,
) {
    for n in 0..5 {
        let response = login_from(&app, "203.0.113.1", "admin@demo.test", &format!("x{n}")).await;
        assert_eq!(response.status(), 401);
    }
    // The guessing address is locked out of this account...
    assert_eq!(
        login_from(&app, "203.0.113.1", "admin@demo.test", DEMO_PASSWORD)
            .await
            .status(),
        429
    );
    // ...the owner, elsewhere, is not.
    let owner = login_from(&app, "198.51.100.1", "admin@demo.test", DEMO_PASSWORD).await;
    assert_eq!(owner.status(), 200);
    let owner: Value = owner.json().await.unwrap();
    let token = owner["access_token"].as_str().unwrap().to_owned();

    // Guesses from many addresses reach the softer limit for everyone (50 in 15 minutes).
    for n in 5..50 {
        let client = format!("203.0.{}.{}", 113 + n / 5, n % 5 + 1);
        let response = login_from(&app, &client, "admin@demo.test", "nope").await;
        assert_eq!(response.status(), 401, "{client}");
    }
    let locked = login_from(&app, "198.51.100.1", "admin@demo.test", DEMO_PASSWORD).await;
    assert_eq!(locked.status(), 429);
    // The owner is told, once.
    login_from(&app, "198.51.100.2", "admin@demo.test", DEMO_PASSWORD).await;
    let inbox: Value = app
        .get("/api/v1/notifications", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let notices: Vec<&Value> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "account_locked")
        .collect();
    assert_eq!(notices.len(), 1, "{inbox}");
    assert!(
        notices[0]["text"]
            .as_str()
            .unwrap()
            .contains("заблокирован")
    );
}

async fn finding_08_attempts_stay_bounded_per_address_and_old_ones_are_purged(app: TestApp) {
    // A hundred made-up logins from one address leave at most the address's limit behind (three
    // rows each: account and address, account, address).
    for n in 0..100 {
        login_from(&app, "203.0.113.9", &format!("u{n}@example.ru"), "x").await;
    }
    let stored = persistence::throttle::count(&app.state.db).await.unwrap();
    assert!(stored <= 30 * 3, "{stored} rows");
    assert!(stored >= 3, "{stored} rows");
    // The worker forgets what is past every window.
    let later = Utc::now() + Duration::hours(2);
    api::worker::tick(&app.state, later).await.unwrap();
    assert_eq!(
        persistence::throttle::count(&app.state.db).await.unwrap(),
        0
    );
}

behind_proxy_on_both_databases!(finding_05_registrations_are_throttled_per_address);

async fn finding_05_registrations_are_throttled_per_address(app: TestApp) {
    let register = |client: &'static str, n: u32| {
        app.client
            .post(app.url("/api/v1/auth/register"))
            .header("x-forwarded-for", client)
            .json(&serde_json::json!({
                "name": "Соколова Екатерина",
                "phone": format!("+7912555{n:04}"),
                "password": "correct horse battery",
                "consent": {"accepted": true, "version": domain::CONSENT_VERSION},
            }))
            .send()
    };
    for n in 0..10 {
        assert_eq!(register("203.0.113.5", n).await.unwrap().status(), 202);
    }
    let refused = register("203.0.113.5", 10).await.unwrap();
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "too_many_requests");
    // Another address still registers.
    assert_eq!(register("198.51.100.5", 11).await.unwrap().status(), 202);
}
