//! argon2id password (and clerk PIN) hashes, computed off the async workers and bounded.
//!
//! Each computation fills 19 MiB of argon2 memory. Left to the allocator, every sign-in would
//! allocate and free such a buffer, and glibc keeps freed buffers of that size in its arenas (it
//! raises its mmap threshold after the first one), so the process grew by hundreds of MB after a
//! few dozen sign-ins. Here the buffers are reused instead: at most [`CONCURRENT_HASHES`] exist,
//! whatever the number of sign-ins, and a burst beyond that waits for a turn or gets 503.

use std::sync::{Mutex, PoisonError};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::error::ApiError;

/// At most this many argon2 computations run at once, each with its own 19 MiB and a core's worth
/// of time. More would not finish sooner on the cores there are, only take more memory.
const CONCURRENT_HASHES: usize = 2;
/// How long a request waits for a turn before the server answers 503 (`server_busy`).
const HASH_QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
/// Salt length of new hashes, in bytes (the PHC recommendation).
const SALT_LENGTH: usize = 16;

static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_HASHES);

/// Work for callers nobody knows yet (an unknown login, a registration) may hold all but one of
/// the slots: the last is kept for known accounts, so that a flood of made-up logins cannot stop
/// residents and staff from signing in.
static ANONYMOUS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_HASHES - 1);

/// Whose work a hash is, for the slot kept for known accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// A signed-in user, or a sign-in to an existing account.
    Known,
    /// A login that names no account, a registration.
    Anonymous,
}

/// argon2's working memory, reused across computations (one buffer per running computation).
static MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// Runs an argon2 job on the blocking pool, at most [`CONCURRENT_HASHES`] at a time.
async fn bounded<T: Send + 'static>(
    caller: Caller,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let permits = async {
        let anonymous = match caller {
            Caller::Known => None,
            Caller::Anonymous => Some(ANONYMOUS.acquire().await),
        };
        (anonymous, HASHING.acquire().await)
    };
    let (anonymous, permit) = tokio::time::timeout(HASH_QUEUE_WAIT, permits)
        .await
        .map_err(|_| ApiError::busy())?;
    let _anonymous = anonymous.transpose().map_err(|_| ApiError::busy())?;
    let _permit = permit.map_err(|_| ApiError::busy())?;
    actix_web::web::block(job)
        .await
        .map_err(|e| ApiError::internal(e.to_string()))
}

/// [`verify`] off the async workers, bounded.
pub async fn verify_bounded(
    caller: Caller,
    password: String,
    phc: String,
) -> Result<bool, ApiError> {
    bounded(caller, move || verify(&password, &phc)).await
}

/// [`hash`] off the async workers, bounded.
pub async fn hash_bounded(caller: Caller, password: String) -> Result<String, ApiError> {
    bounded(caller, move || hash(&password)).await?
}

/// Hashes a password with argon2id (default parameters) and a random salt, as a PHC string.
pub fn hash(password: &str) -> Result<String, ApiError> {
    let failed = |e: &dyn std::fmt::Display| ApiError::internal(format!("password hashing: {e}"));
    let mut salt = [0u8; SALT_LENGTH];
    getrandom::fill(&mut salt).map_err(|e| failed(&e))?;
    let params = Params::default();
    let mut output = [0u8; Params::DEFAULT_OUTPUT_LEN];
    compute(
        Algorithm::Argon2id,
        Version::V0x13,
        &params,
        password,
        &salt,
        &mut output,
    )
    .map_err(|e| failed(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| failed(&e))?),
        hash: Some(Output::new(&output).map_err(|e| failed(&e))?),
    };
    Ok(phc.to_string())
}

/// Checks a password against a stored PHC string in constant time. A malformed hash never
/// matches.
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(stored) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&stored.salt, &stored.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(stored.algorithm.as_str()) else {
        return false;
    };
    let version = match stored.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&stored) else {
        return false;
    };
    let mut output = vec![0u8; expected.len()];
    compute(algorithm, version, &params, password, salt, &mut output).is_ok()
        // `Output`'s equality is constant-time.
        && Output::new(&output).is_ok_and(|computed| computed == *expected)
}

/// Fills `output` with argon2 of `password`, using a reused memory buffer.
fn compute(
    algorithm: Algorithm,
    version: Version,
    params: &Params,
    password: &str,
    salt: &[u8],
    output: &mut [u8],
) -> argon2::Result<()> {
    let mut memory = MEMORY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .pop()
        .unwrap_or_default();
    // Stored hashes may use other parameters than today's defaults.
    memory.resize(params.block_count(), Block::default());
    let result = Argon2::new(algorithm, version, params.clone()).hash_password_into_with_memory(
        password.as_bytes(),
        salt,
        output,
        &mut memory,
    );
    MEMORY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(memory);
    result
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::PasswordVerifier;

    use super::*;

    #[test]
    fn round_trip() {
        let phc = hash("correct horse").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("correct horse", &phc));
        assert!(!verify("wrong horse", &phc));
        assert!(!verify("correct horse", "not a hash"));
        assert!(!verify("correct horse", &phc.replace("argon2id", "scrypt")));
    }

    #[test]
    fn agrees_with_the_argon2_crate_both_ways() {
        // Hashes stored by the crate's own hasher (as earlier releases did) still verify, and ours
        // verify with the crate.
        let theirs = argon2::PasswordHasher::hash_password(&Argon2::default(), b"s3cret")
            .unwrap()
            .to_string();
        assert!(verify("s3cret", &theirs));
        assert!(!verify("s3cret!", &theirs));
        let ours = hash("s3cret").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"s3cret", &parsed)
                .is_ok()
        );
    }

    #[test]
    fn other_parameters_verify_with_a_resized_buffer() {
        let small = Params::new(1024, 1, 1, None).unwrap();
        let phc = argon2::PasswordHasher::hash_password(
            &Argon2::new(Algorithm::Argon2id, Version::V0x13, small),
            b"pin 1234",
        )
        .unwrap()
        .to_string();
        assert!(verify("pin 1234", &phc));
        assert!(!verify("pin 1235", &phc));
    }
}
