//! Test mode and the way out of it: what the public sees of test data, and the typed
//! confirmation that purging it takes.

/// The words an administrator types to purge the test data, exactly.
pub const PURGE_CONFIRMATION: &str = "УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ";

/// Whether the public pages (scorecard, list, map) include data marked as test: only while the
/// pilot runs, and then labelled as such. Once pilot mode is off, test data never reaches the
/// public.
pub fn public_includes_test_data(pilot_mode: bool) -> bool {
    pilot_mode
}

/// Whether a row reaches the public: a real one always, a test one only while the pilot runs.
pub fn publicly_visible(row_is_test: bool, pilot_mode: bool) -> bool {
    !row_is_test || public_includes_test_data(pilot_mode)
}

/// Whether `typed` is the purge confirmation. White space around it is forgiven; case,
/// spelling and the words are not (a purge deletes for good).
pub fn confirms_purge(typed: &str) -> bool {
    typed.trim() == PURGE_CONFIRMATION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_words_confirm() {
        assert!(confirms_purge("УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ"));
        assert!(confirms_purge("  УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ\n"));
        for wrong in [
            "",
            "удалить тестовые данные",
            "УДАЛИТЬ",
            "DELETE TEST DATA",
            "УДАЛИТЬ  ТЕСТОВЫЕ ДАННЫЕ",
            "УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ!",
        ] {
            assert!(!confirms_purge(wrong), "{wrong:?}");
        }
    }

    #[test]
    fn real_rows_are_always_public_and_test_rows_only_in_the_pilot() {
        for pilot in [false, true] {
            assert!(publicly_visible(false, pilot));
            assert_eq!(publicly_visible(true, pilot), pilot);
        }
    }
}
