//! Password hashing with argon2id (the `argon2` crate's defaults: m=19 MiB, t=2, p=1, the
//! OWASP-recommended minimum), in PHC string format so parameters can be raised later.
//! The black-box tests set `JIAOYAN_TEST_CHEAP_HASHING=1` in their own process, which makes new
//! hashes use argon2's minimum parameters (hashing a password hundreds of times is most of a test
//! run otherwise); nothing else reads it, and a stored hash is verified with its own parameters.
//!
//! Request handlers use the `*_off_thread` versions: each hash runs on a thread of its own at a
//! lower scheduling priority (nice +10), and at most one fewer than the CPU cores at a time (a
//! semaphore; at least one), so that a flood of logins or guesses queues behind itself: it never
//! takes the async workers, and the cores it shares with them go to the other requests first
//! (docs/LOGINS.md, "Logins under load").

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

pub use super::rules::{password_weakness, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS};

/// At most one argon2 computation per core but one (at least one) at once, across the process:
/// one core always stays for the requests.
fn hashing_permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Semaphore::new(cores.saturating_sub(1).max(1))
    })
}

/// How much less the hashing threads weigh (added to the nice value they inherit) than the request workers in the kernel's scheduler
/// (a nice value: each step is about 25% less CPU when both want it).
const HASHING_NICENESS: i32 = 10;

/// Runs `work` on a thread of its own, at [`HASHING_NICENESS`], once a hashing permit is free.
/// (A thread per hash costs tens of microseconds against argon2's tens of milliseconds.)
async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let _permit = hashing_permits().acquire().await?;
    let (done, answer) = tokio::sync::oneshot::channel();
    std::thread::Builder::new().name("jiaoyan-argon2".into()).spawn(move || {
        lower_priority();
        let _ = done.send(work());
    })?;
    answer.await.map_err(|e| anyhow::anyhow!("password hashing did not finish: {e}"))
}

/// Lowers the calling thread's priority (Linux: `setpriority` on a thread id sets that thread's
/// nice value alone). Best effort: where it fails, hashing runs at normal priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: `gettid` and `setpriority` take and return plain integers, touch no memory of ours.
    unsafe {
        let tid = libc::gettid() as libc::id_t;
        // Relative to the nice value the thread inherited (the service may itself run niced).
        let inherited = libc::getpriority(libc::PRIO_PROCESS, tid);
        libc::setpriority(libc::PRIO_PROCESS, tid, (inherited + HASHING_NICENESS).min(19));
    }
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

    #[cfg(target_os = "linux")]
    #[actix_web::test]
    async fn hashing_runs_below_the_request_workers_priority() {
        // SAFETY: plain integer calls about the calling thread.
        let nice = off_thread(|| unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) })
            .await
            .unwrap();
        // SAFETY: as above, on this thread.
        let ours = unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) };
        assert_eq!(nice, (ours + HASHING_NICENESS).min(19));
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
    }
}
