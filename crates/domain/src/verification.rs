//! One-time codes that confirm a phone number at self-registration: 6 digits, valid
//! [`CODE_TTL_SECONDS`], burnt after [`MAX_ATTEMPTS`] wrong tries; sent again no sooner than
//! [`RESEND_AFTER_SECONDS`] after the last one and at most [`SENDS_PER_HOUR`] times an hour to one
//! number. Pure: the caller hands in `now`, the randomness and what it stored.
//!
//! A code is stored only as `SHA-256(salt ‖ code)` with a random per-row salt and compared in
//! constant time. (Argon2 is too slow for a code checked on every try; a six-digit code's hash
//! would fall to brute force from a database dump anyway, so what protects it is its ten-minute
//! life and the five tries.)

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

/// Digits in a code.
pub const CODE_DIGITS: usize = 6;
/// How long a code is valid after it was sent.
pub const CODE_TTL_SECONDS: i64 = 10 * 60;
/// Wrong tries that burn a code.
pub const MAX_ATTEMPTS: u32 = 5;
/// The least wait between two codes to one number.
pub const RESEND_AFTER_SECONDS: i64 = 60;
/// Codes one number may be sent in an hour.
pub const SENDS_PER_HOUR: usize = 5;

const CODE_SPACE: u32 = 1_000_000;

/// A fresh code: six decimal digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code(String);

impl Code {
    /// The code made of 32 random bits, or `None` for the few values that would make some codes
    /// likelier than others (draw again). Uniform over `000000..=999999`.
    pub fn from_random(bits: u32) -> Option<Code> {
        let fair_limit = u32::MAX - u32::MAX % CODE_SPACE;
        (bits < fair_limit).then(|| Code(format!("{:06}", bits % CODE_SPACE)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What is stored of the code: `SHA-256(salt ‖ code)`.
    pub fn digest(&self, salt: &[u8]) -> [u8; 32] {
        digest(salt, self.0.as_bytes())
    }
}

fn digest(salt: &[u8], code: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(code);
    hasher.finalize().into()
}

/// Equal in time whatever the bytes: no early exit on the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// When a code sent at `sent_at` stops being valid.
pub fn expires_at(sent_at: DateTime<Utc>) -> DateTime<Utc> {
    sent_at + Duration::seconds(CODE_TTL_SECONDS)
}

/// What is stored of one code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeState {
    /// `SHA-256(salt ‖ code)`, or `None` when no code was sent (a registration of a number that
    /// already has an account: it answers like any other and can never be confirmed).
    pub digest: Option<[u8; 32]>,
    pub salt: Vec<u8>,
    pub expires_at: DateTime<Utc>,
    /// Wrong tries so far.
    pub attempts: u32,
    /// Already used to confirm.
    pub used: bool,
}

/// What entering a code leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The right code, in time: confirm.
    Correct,
    /// A wrong code; `remaining` tries are left (0: this one burnt it). Count it.
    Wrong { remaining: u32 },
    /// Too late: ask for a new code.
    Expired,
    /// Burnt by earlier wrong tries: ask for a new code.
    Burnt,
    /// This code already confirmed the number.
    Used,
}

impl CodeState {
    /// The wrong tries after `outcome`, to store.
    pub fn attempts_after(&self, outcome: Outcome) -> u32 {
        match outcome {
            Outcome::Wrong { .. } => self.attempts.saturating_add(1),
            Outcome::Correct | Outcome::Expired | Outcome::Burnt | Outcome::Used => self.attempts,
        }
    }
}

/// Decides what `entered` does to the code in `state` at `now`. A code checked at its expiry
/// instant is expired; a burnt or expired code is refused whatever is entered, so that nothing is
/// learnt from it.
pub fn check(state: &CodeState, entered: &str, now: DateTime<Utc>) -> Outcome {
    if state.used {
        return Outcome::Used;
    }
    if now >= state.expires_at {
        return Outcome::Expired;
    }
    if state.attempts >= MAX_ATTEMPTS {
        return Outcome::Burnt;
    }
    let entered = entered.trim();
    // Compared even when nothing was sent, against a digest no code has: the same work either way.
    let presented = digest(&state.salt, entered.as_bytes());
    let matches = match &state.digest {
        Some(stored) => constant_time_eq(&presented, stored),
        None => {
            constant_time_eq(&presented, &[0u8; 32]);
            false
        }
    };
    let well_formed = entered.len() == CODE_DIGITS && entered.bytes().all(|b| b.is_ascii_digit());
    if matches && well_formed {
        Outcome::Correct
    } else {
        Outcome::Wrong {
            remaining: MAX_ATTEMPTS.saturating_sub(state.attempts.saturating_add(1)),
        }
    }
}

/// Whether one more code may go to a number that was sent codes at `sent` (any order, older
/// ones may be included) at `now`: `Err(seconds)` to wait before the next one.
pub fn may_send(sent: &[DateTime<Utc>], now: DateTime<Utc>) -> Result<(), u64> {
    let hour_ago = now - Duration::hours(1);
    let mut recent: Vec<DateTime<Utc>> = sent.iter().copied().filter(|t| *t > hour_ago).collect();
    recent.sort();
    let mut wait = Duration::zero();
    if let Some(last) = recent.last() {
        wait = wait.max(*last + Duration::seconds(RESEND_AFTER_SECONDS) - now);
    }
    if recent.len() >= SENDS_PER_HOUR {
        // The send that must leave the hour for one more to fit.
        let oldest_counted = recent[recent.len() - SENDS_PER_HOUR];
        wait = wait.max(oldest_counted + Duration::hours(1) - now);
    }
    if wait <= Duration::zero() {
        return Ok(());
    }
    let seconds = wait.num_seconds() + i64::from(wait.subsec_nanos() > 0);
    Err(u64::try_from(seconds.max(1)).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap()
    }

    fn state(code: &str, sent_at: DateTime<Utc>) -> CodeState {
        let salt = b"0123456789abcdef".to_vec();
        CodeState {
            digest: Some(digest(&salt, code.as_bytes())),
            salt,
            expires_at: expires_at(sent_at),
            attempts: 0,
            used: false,
        }
    }

    #[test]
    fn codes_are_six_digits_and_fair() {
        assert_eq!(Code::from_random(0).unwrap().as_str(), "000000");
        assert_eq!(Code::from_random(123).unwrap().as_str(), "000123");
        assert_eq!(Code::from_random(1_999_999).unwrap().as_str(), "999999");
        // The top of the range, where the remainder would be short of a whole million, is drawn again.
        assert!(Code::from_random(u32::MAX).is_none());
        assert!(Code::from_random(4_294_000_000).is_none());
        assert!(Code::from_random(4_293_999_999).is_some());
        for bits in [0, 7, 999_999, 1_000_000, 4_000_000_123] {
            let code = Code::from_random(bits).unwrap();
            assert_eq!(code.as_str().len(), CODE_DIGITS);
            assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn only_a_digest_is_kept_and_it_depends_on_the_salt() {
        let code = Code::from_random(424_242).unwrap();
        assert_ne!(code.digest(b"a"), code.digest(b"b"));
        assert_eq!(code.digest(b"a"), code.digest(b"a"));
    }

    #[test]
    fn the_right_code_in_time_is_correct() {
        let s = state("424242", t0());
        assert_eq!(check(&s, "424242", t0()), Outcome::Correct);
        assert_eq!(check(&s, " 424242 ", t0()), Outcome::Correct);
        let last_second = t0() + Duration::seconds(CODE_TTL_SECONDS - 1);
        assert_eq!(check(&s, "424242", last_second), Outcome::Correct);
    }

    #[test]
    fn a_code_expires_after_ten_minutes() {
        let s = state("424242", t0());
        let at_expiry = t0() + Duration::minutes(10);
        assert_eq!(check(&s, "424242", at_expiry), Outcome::Expired);
        assert_eq!(check(&s, "000000", at_expiry), Outcome::Expired);
        assert_eq!(s.attempts_after(Outcome::Expired), 0);
    }

    #[test]
    fn wrong_codes_count_down_and_the_fifth_burns_it() {
        let mut s = state("424242", t0());
        for remaining in (0..MAX_ATTEMPTS).rev() {
            let outcome = check(&s, "111111", t0());
            assert_eq!(outcome, Outcome::Wrong { remaining });
            s.attempts = s.attempts_after(outcome);
        }
        assert_eq!(s.attempts, MAX_ATTEMPTS);
        // Burnt: even the right code is refused now.
        assert_eq!(check(&s, "424242", t0()), Outcome::Burnt);
        assert_eq!(s.attempts_after(Outcome::Burnt), MAX_ATTEMPTS);
    }

    #[test]
    fn malformed_input_is_a_wrong_try() {
        let s = state("424242", t0());
        for entered in ["", "42424", "4242420", "abcdef", "42424२"] {
            assert_eq!(
                check(&s, entered, t0()),
                Outcome::Wrong { remaining: 4 },
                "{entered}"
            );
        }
    }

    #[test]
    fn a_used_code_confirms_nothing_more() {
        let mut s = state("424242", t0());
        s.used = true;
        assert_eq!(check(&s, "424242", t0()), Outcome::Used);
    }

    #[test]
    fn without_a_sent_code_nothing_is_correct() {
        let mut s = state("424242", t0());
        s.digest = None;
        assert_eq!(check(&s, "424242", t0()), Outcome::Wrong { remaining: 4 });
    }

    #[test]
    fn the_first_code_may_always_go() {
        assert_eq!(may_send(&[], t0()), Ok(()));
        // Sends older than an hour do not count.
        let old: Vec<_> = (0..10).map(|i| t0() - Duration::minutes(61 + i)).collect();
        assert_eq!(may_send(&old, t0()), Ok(()));
    }

    #[test]
    fn a_resend_waits_sixty_seconds() {
        let sent = [t0()];
        assert_eq!(may_send(&sent, t0()), Err(60));
        assert_eq!(may_send(&sent, t0() + Duration::seconds(59)), Err(1));
        assert_eq!(
            may_send(&sent, t0() + Duration::milliseconds(59_500)),
            Err(1)
        );
        assert_eq!(may_send(&sent, t0() + Duration::seconds(60)), Ok(()));
    }

    #[test]
    fn at_most_five_codes_an_hour() {
        // Five sends, two minutes apart.
        let sent: Vec<_> = (0..5).map(|i| t0() + Duration::minutes(2 * i)).collect();
        let now = t0() + Duration::minutes(10);
        // The oldest leaves the hour at t0 + 60 min.
        assert_eq!(may_send(&sent, now), Err(50 * 60));
        assert_eq!(may_send(&sent, t0() + Duration::minutes(60)), Ok(()));
        // Four in the hour: one more may go (after the sixty seconds).
        assert_eq!(may_send(&sent[1..], now), Ok(()));
        // Order does not matter.
        let mut shuffled = sent.clone();
        shuffled.reverse();
        assert_eq!(may_send(&shuffled, now), Err(50 * 60));
    }
}
