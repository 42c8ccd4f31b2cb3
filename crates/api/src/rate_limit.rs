//! An API key's standing against its rate limit, as the `RateLimit-*` headers tell it: set by
//! the key check, read by the error type and the response middleware.

/// Where a key stands against its rate limit in this minute, for the `RateLimit-*` headers.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset: u64,
}

impl RateLimit {
    /// `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds), lower-cased as
    /// HTTP/2 sends header names.
    pub fn headers(self) -> [(&'static str, String); 3] {
        [
            ("ratelimit-limit", self.limit.to_string()),
            ("ratelimit-remaining", self.remaining.to_string()),
            ("ratelimit-reset", self.reset.to_string()),
        ]
    }
}
