//! Raw SQL that both backends understand: placeholders in each one's style, and row locks where
//! there are any.

use sea_orm::DbBackend;

/// `?` placeholders as the backend wants them (`$1`, `$2`, … for PostgreSQL).
pub(crate) fn placeholders(backend: DbBackend, sql: &str) -> String {
    placeholders_from(backend, sql, 1)
}

/// [`placeholders`] numbered from `first` on PostgreSQL (`$first`, …): for SQL that follows other
/// SQL's placeholders in one statement.
pub(crate) fn placeholders_from(backend: DbBackend, sql: &str, first: usize) -> String {
    match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 8);
            let mut n = first - 1;
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

/// `text` as a literal inside a `LIKE` pattern with `ESCAPE '\\'`: `%`, `_` and the backslash
/// match themselves, not any text.
pub(crate) fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A `LIKE` pattern for text that contains `text` literally.
pub(crate) fn contains(text: &str) -> sea_orm::sea_query::LikeExpr {
    sea_orm::sea_query::LikeExpr::new(format!("%{}%", escape_like(text))).escape('\\')
}
