//! Issue 17, the outside security review: one test per finding, named after it, each on SQLite
//! and PostgreSQL.

mod accounts;
mod filing_limits;
mod headers;
mod input;
mod limits;
mod secrets;
mod throttles;

use crate::helpers::{Backend, Options, TestApp, spawn_app_with};
use serde_json::json;

/// The app behind a reverse proxy on 127.0.0.1 (`APP_TRUSTED_PROXIES`), so that tests can speak
/// from several client addresses through `X-Forwarded-For`.
pub async fn behind_proxy(backend: Backend) -> TestApp {
    spawn_app_with(
        backend,
        Options {
            env: vec![("APP_TRUSTED_PROXIES", "127.0.0.1".to_owned())],
            ..Options::default()
        },
    )
    .await
}

/// Runs each named `async fn(TestApp)` on both databases, behind the proxy.
macro_rules! behind_proxy_on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::security::behind_proxy($crate::helpers::Backend::Sqlite).await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::security::behind_proxy($crate::helpers::Backend::Postgres).await).await;
                }
            }
        )*
    };
}
pub(crate) use behind_proxy_on_both_databases;

/// A sign-in from `client` (an address the proxy forwards).
pub async fn login_from(
    app: &TestApp,
    client: &str,
    login: &str,
    password: &str,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", client)
        .json(&json!({ "login": login, "password": password }))
        .send()
        .await
        .unwrap()
}
