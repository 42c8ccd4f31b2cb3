//! Throttles on guessing and on expensive work: which keys an attempt counts against, how many
//! attempts each allows in which window, and when a refused caller may try again.
//!
//! An attempt is *reserved* under every key it names before any password is hashed (persistence
//! inserts first, then counts, so parallel requests and replicas cannot overshoot), and released
//! when it succeeds: what stays counted are failures and attempts still running.
//!
//! | bucket | key | limit | window | why |
//! |---|---|---|---|---|
//! | [`Bucket::AccountFromAddress`] | account + client address | 5 | 15 min | guesses at one account from one place (finding 1) |
//! | [`Bucket::Account`] | account | 50 | 15 min | softer: nobody can lock an account from elsewhere for long (finding 7) |
//! | [`Bucket::PinFromAddress`] | complaint number + address | 5 | 15 min | PIN guesses from one place |
//! | [`Bucket::Pin`] | complaint number | 20 | 15 min | softer global limit on one number's PIN |
//! | [`Bucket::Address`] | client address | 30 | 15 min | hashing work one address can cause (finding 2) |
//! | [`Bucket::Registration`] | client address | 10 | 1 hour | registrations started from one address (finding 5) |
//!
//! Every throttled action counts against [`Bucket::Address`] too, which also caps how many rows one
//! address can leave behind (finding 8).

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

/// The longest window of any bucket: older attempts never count and may be purged.
pub const LONGEST_WINDOW_SECONDS: i64 = 60 * 60;

/// The in-app notice kind an owner gets when their account is locked for everyone.
pub const LOCKED_NOTICE_KIND: &str = "account_locked";
/// Its text (Russian first, as the inbox shows it).
pub const LOCKED_NOTICE_TEXT: &str = "Вход в вашу учётную запись временно заблокирован: слишком много \
     неверных паролей за 15 минут. Если это были не вы, смените пароль. / Sign-in to your account is \
     locked for a while after too many wrong passwords; if it was not you, change your password.";

/// What an attempt is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum Bucket {
    Account,
    AccountFromAddress,
    Pin,
    PinFromAddress,
    Address,
    Registration,
}

/// How many attempts a bucket's key allows within its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub attempts: usize,
    pub window_seconds: i64,
}

impl Bucket {
    pub fn limit(self) -> Limit {
        let (attempts, window_seconds) = match self {
            Bucket::AccountFromAddress | Bucket::PinFromAddress => (5, 15 * 60),
            Bucket::Account => (50, 15 * 60),
            Bucket::Pin => (20, 15 * 60),
            Bucket::Address => (30, 15 * 60),
            Bucket::Registration => (10, 60 * 60),
        };
        Limit {
            attempts,
            window_seconds,
        }
    }

    /// The stored name of the bucket.
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Account => "account",
            Bucket::AccountFromAddress => "account_from_address",
            Bucket::Pin => "pin",
            Bucket::PinFromAddress => "pin_from_address",
            Bucket::Address => "address",
            Bucket::Registration => "registration",
        }
    }

    /// The bucket whose refusal the account's owner is told about: a lock that holds wherever
    /// the owner signs in from.
    pub fn locks_out_owner(self) -> bool {
        matches!(self, Bucket::Account)
    }
}

/// One key an attempt is counted under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub bucket: Bucket,
    pub value: String,
}

/// Where a request comes from, as counted: an IPv4 address, or the /64 network of an IPv6 one
/// (one household or machine usually holds a whole /64).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientKey(String);

impl ClientKey {
    pub fn new(address: IpAddr) -> Self {
        match address {
            IpAddr::V4(v4) => Self(v4.to_string()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self(v4.to_string()),
                None => {
                    let s = v6.segments();
                    Self(format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3]))
                }
            },
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn key(bucket: Bucket, value: String) -> Key {
    Key { bucket, value }
}

/// A sign-in or a password change on `account` (its canonical login, or the normalised input
/// when no account has it) from `client`.
pub fn sign_in_keys(account: &str, client: &ClientKey) -> Vec<Key> {
    vec![
        key(
            Bucket::AccountFromAddress,
            format!("{account}|{}", client.as_str()),
        ),
        key(Bucket::Account, account.to_owned()),
        key(Bucket::Address, client.as_str().to_owned()),
    ]
}

/// A PIN check on complaint `number` from `client`.
pub fn pin_keys(number: &str, client: &ClientKey) -> Vec<Key> {
    vec![
        key(
            Bucket::PinFromAddress,
            format!("{number}|{}", client.as_str()),
        ),
        key(Bucket::Pin, number.to_owned()),
        key(Bucket::Address, client.as_str().to_owned()),
    ]
}

/// A registration started from `client` (it hashes a password and sends an SMS).
pub fn registration_keys(client: &ClientKey) -> Vec<Key> {
    vec![
        key(Bucket::Registration, client.as_str().to_owned()),
        key(Bucket::Address, client.as_str().to_owned()),
    ]
}

/// A refusal: the key that is full, and the seconds until one more attempt would be allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub bucket: Bucket,
    pub retry_after_seconds: u64,
}

/// Decides one key: `others` are the times of the other attempts counted under it (oldest first,
/// within the window ending at `now`). The attempt is allowed when fewer than the limit are there.
pub fn decide(bucket: Bucket, others: &[DateTime<Utc>], now: DateTime<Utc>) -> Result<(), Refused> {
    let limit = bucket.limit();
    if others.len() < limit.attempts {
        return Ok(());
    }
    // One more is allowed once all but `attempts - 1` of them have left the window.
    let oldest_counted = others
        .get(others.len() - limit.attempts)
        .copied()
        .unwrap_or(now);
    let remaining = oldest_counted + Duration::seconds(limit.window_seconds) - now;
    let seconds = remaining.num_seconds() + i64::from(remaining.subsec_nanos() > 0);
    Err(Refused {
        bucket,
        retry_after_seconds: u64::try_from(seconds.max(1)).unwrap_or(1),
    })
}

/// The start of `bucket`'s window ending at `now`.
pub fn window_start(bucket: Bucket, now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::seconds(bucket.limit().window_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use strum::IntoEnumIterator;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap() + Duration::minutes(minute)
    }

    #[test]
    fn allows_up_to_the_limit_then_refuses_until_the_oldest_counted_leaves() {
        let now = at(10);
        let four: Vec<_> = (0..4).map(at).collect();
        assert!(decide(Bucket::AccountFromAddress, &four, now).is_ok());
        let five: Vec<_> = (0..5).map(at).collect();
        let refused = decide(Bucket::AccountFromAddress, &five, now).unwrap_err();
        // The first failure (minute 0) leaves the 15-minute window at minute 15.
        assert_eq!(refused.retry_after_seconds, 5 * 60);
        let seven: Vec<_> = (0..7).map(at).collect();
        let refused = decide(Bucket::AccountFromAddress, &seven, now).unwrap_err();
        assert_eq!(refused.retry_after_seconds, 7 * 60);
    }

    #[test]
    fn the_per_address_bucket_is_stricter_than_the_global_one() {
        assert!(Bucket::AccountFromAddress.limit().attempts < Bucket::Account.limit().attempts);
        assert!(Bucket::PinFromAddress.limit().attempts < Bucket::Pin.limit().attempts);
        for bucket in Bucket::iter() {
            assert!(bucket.limit().window_seconds <= LONGEST_WINDOW_SECONDS);
        }
    }

    #[test]
    fn ipv6_counts_by_network_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(ClientKey::new(a), ClientKey::new(b));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(ClientKey::new(mapped).as_str(), "10.0.0.1");
    }

    #[test]
    fn every_action_counts_against_its_address() {
        let client = ClientKey::new("10.0.0.1".parse().unwrap());
        for keys in [
            sign_in_keys("a@b.c", &client),
            pin_keys("СУР-2026-000001", &client),
            registration_keys(&client),
        ] {
            assert!(keys.iter().any(|k| k.bucket == Bucket::Address));
        }
    }
}
