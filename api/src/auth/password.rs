//! Password hashing with argon2id (the `argon2` crate's defaults: m=19 MiB, t=2, p=1, the
//! OWASP-recommended minimum), in PHC string format so parameters can be raised later.
//! The black-box tests set `JIAOYAN_TEST_CHEAP_HASHING=1` in their own process, which makes new
//! hashes use argon2's minimum parameters (hashing a password hundreds of times is most of a test
//! run otherwise); nothing else reads it, and a stored hash is verified with its own parameters.
//!
//! Request handlers use the `*_off_thread` versions: each hash runs on the blocking pool, and at
//! most one per CPU core at a time (a semaphore), so that a flood of guesses queues behind
//! itself instead of taking the async workers every other request needs.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

pub use super::rules::{password_weakness, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS};

/// At most one argon2 computation per core at once, across the process.
fn hashing_permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())))
}

/// Runs `work` on the blocking pool once a hashing permit is free.
async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let _permit = hashing_permits().acquire().await?;
    actix_web::web::block(work).await.map_err(|e| anyhow::anyhow!("password hashing did not finish: {e}"))
}

/// [`hash`], off the async workers.
pub async fn hash_off_thread(password: &str) -> anyhow::Result<String> {
    let password = password.to_owned();
    off_thread(move || hash(&password)).await?
}

/// [`verify`], off the async workers.
pub async fn verify_off_thread(stored_hash: &str, password: &str) -> anyhow::Result<bool> {
    let (stored_hash, password) = (stored_hash.to_owned(), password.to_owned());
    off_thread(move || verify(&stored_hash, &password)).await
}

/// [`verify_dummy`], off the async workers.
pub async fn verify_dummy_off_thread(password: &str) -> anyhow::Result<()> {
    let password = password.to_owned();
    off_thread(move || verify_dummy(&password)).await
}

/// The hasher of new passwords: argon2's defaults, or its minimum parameters in the tests.
fn hasher() -> Argon2<'static> {
    static CHEAP: OnceLock<bool> = OnceLock::new();
    if *CHEAP.get_or_init(|| std::env::var("JIAOYAN_TEST_CHEAP_HASHING").is_ok_and(|v| v == "1")) {
        let minimum = Params::new(Params::MIN_M_COST, Params::MIN_T_COST, Params::MIN_P_COST, None);
        Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, minimum.unwrap_or_default())
    } else {
        Argon2::default()
    }
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

pub fn verify(stored_hash: &str, password: &str) -> bool {
    PasswordHash::new(stored_hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Spends the same time as a real verification, so that a login for an unknown username cannot
/// be told apart from a wrong password by its response time.
pub fn verify_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not-a-real-password").expect("argon2 with default parameters"));
    let _ = verify(dummy, password);
}

/// A random password for generated accounts: 20 characters from an unambiguous alphabet.
pub fn generate() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_their_password() {
        let h = hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(&h, "correct horse"));
        assert!(!verify(&h, "wrong horse"));
        assert!(!verify("garbage", "correct horse"));
    }

    #[actix_web::test]
    async fn hashing_off_thread_gives_the_same_answers() {
        let h = hash_off_thread("correct horse").await.unwrap();
        assert!(verify_off_thread(&h, "correct horse").await.unwrap());
        assert!(!verify_off_thread(&h, "wrong horse").await.unwrap());
        verify_dummy_off_thread("anything").await.unwrap();
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
    }
}
