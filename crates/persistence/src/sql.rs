//! Raw SQL that both backends understand: placeholders in each one's style, and row locks where
//! there are any.

use sea_orm::DbBackend;

/// `?` placeholders as the backend wants them (`$1`, `$2`, … for PostgreSQL).
pub(crate) fn placeholders(backend: DbBackend, sql: &str) -> String {
    match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(ch);
                }
            }
            out
        }
        _ => sql.to_owned(),
    }
}

/// Claims rows that no other transaction holds (PostgreSQL); SQLite has a single writer anyway.
pub(crate) fn skip_locked(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => " FOR UPDATE SKIP LOCKED",
        _ => "",
    }
}
