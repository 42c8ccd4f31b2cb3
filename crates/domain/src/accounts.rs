//! Who may use an account, and for how long a session lasts.
//!
//! - The demo accounts (`…@demo.test`, published with one shared password) work only while the
//!   service runs in demo mode: a service restarted without it refuses them (finding 4).
//! - A deactivated account stops working on its next request, not when its token expires
//!   (finding 9): [`may_act`] is checked against the stored account.
//! - A session (a refresh-token family) lives at most [`SESSION_LIFETIME_SECONDS`] from its
//!   sign-in, however often it is refreshed (finding 10).

use chrono::{DateTime, Duration, Utc};

/// The domain of every demo account (`.test` is reserved: no real address has it).
pub const DEMO_LOGIN_SUFFIX: &str = "@demo.test";
/// How long one refresh token is valid.
pub const REFRESH_TOKEN_TTL_SECONDS: i64 = 30 * 24 * 60 * 60;
/// How long a session lasts from its sign-in at most; then sign in again.
pub const SESSION_LIFETIME_SECONDS: i64 = 90 * 24 * 60 * 60;

/// Whether `login` is one of the demo accounts.
pub fn is_demo_login(login: &str) -> bool {
    login.to_lowercase().ends_with(DEMO_LOGIN_SUFFIX)
}

/// Whether an account may sign in and act: it is active, and a demo account only in demo mode.
pub fn may_act(is_active: bool, login: &str, demo_mode: bool) -> bool {
    is_active && (demo_mode || !is_demo_login(login))
}

/// When a refresh token issued `now` in a session that began at `session_started_at` expires: 30
/// days on, but never past the session's end. `None` when the session is over.
pub fn refresh_expiry(
    session_started_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let session_ends = session_started_at + Duration::seconds(SESSION_LIFETIME_SECONDS);
    let expiry = (now + Duration::seconds(REFRESH_TOKEN_TTL_SECONDS)).min(session_ends);
    (expiry > now).then_some(expiry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn demo_accounts_work_only_in_demo_mode_and_inactive_ones_never() {
        assert!(may_act(true, "admin@demo.test", true));
        assert!(!may_act(true, "admin@demo.test", false));
        assert!(!may_act(true, "Admin@Demo.Test", false));
        assert!(may_act(true, "ivanova@example.ru", false));
        assert!(!may_act(false, "ivanova@example.ru", true));
    }

    #[test]
    fn refreshing_never_extends_a_session_past_its_lifetime() {
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(
            refresh_expiry(start, start),
            Some(start + Duration::days(30))
        );
        let late = start + Duration::days(80);
        assert_eq!(
            refresh_expiry(start, late),
            Some(start + Duration::days(90))
        );
        assert_eq!(refresh_expiry(start, start + Duration::days(90)), None);
    }
}
