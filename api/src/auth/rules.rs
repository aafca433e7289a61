//! The pure rules of logins: what password is strong enough, and how failed logins lead to a
//! lock and how long it lasts. No database, no HTTP: the handlers and the lockout store call
//! these.

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password accepted, in bytes (argon2 takes any length; this bounds the work).
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// The lowest zxcvbn score accepted: 3 is "safely unguessable", about 10^10 guesses, which
/// argon2id makes far too slow to try offline.
pub const MIN_STRENGTH: u8 = 3;
/// The longest lock, in minutes (a day).
pub const MAX_LOCK_MINUTES: u32 = 24 * 60;

/// Why `password` is refused, or `None` when it is strong enough. `context` is what an attacker
/// would try first: the user's own name, username, school name (empty entries are ignored).
pub fn password_weakness(password: &str, context: &[&str]) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Some(format!("must be at least {MIN_PASSWORD_CHARS} characters"));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Some(format!("must be at most {MAX_PASSWORD_BYTES} bytes"));
    }
    if password.trim().is_empty() {
        return Some("must not be only spaces".into());
    }
    let inputs: Vec<&str> = context.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    let lowered = password.trim().to_lowercase();
    if inputs.iter().any(|c| c.to_lowercase() == lowered) {
        return Some("must not be your name, username or school".into());
    }
    // zxcvbn itself only looks at the first 100 characters, so its time is bounded.
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if u8::from(estimate.score()) >= MIN_STRENGTH {
        return None;
    }
    let feedback = estimate.feedback();
    let warning = feedback.and_then(|f| f.warning()).map(|w| w.to_string());
    let suggestion = feedback.and_then(|f| f.suggestions().first()).map(|s| s.to_string());
    let why = match (warning, suggestion) {
        (Some(w), Some(s)) => format!("{} {}", with_stop(&w), with_stop(&s)),
        (Some(w), None) => with_stop(&w),
        (None, Some(s)) => with_stop(&s),
        (None, None) => "Add another word or two; uncommon words are better.".into(),
    };
    Some(format!("is too easy to guess: {why}"))
}

fn with_stop(sentence: &str) -> String {
    let sentence = sentence.trim();
    if sentence.ends_with('.') {
        sentence.to_string()
    } else {
        format!("{sentence}.")
    }
}

/// An account's consecutive failures and the locks they led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    /// Failures since the last success, lift or lock.
    pub failed: u32,
    /// Locks without a success in between.
    pub locks: u32,
}

/// The failures after one more, and the minutes of the lock it starts, if it does: every
/// `threshold` consecutive failures lock the account, the first lock for `base_minutes`, each
/// further one twice as long as the one before, at most [`MAX_LOCK_MINUTES`]. A threshold of 0
/// never locks.
pub fn after_failure(before: Failures, threshold: u32, base_minutes: u32) -> (Failures, Option<u32>) {
    let failed = before.failed.saturating_add(1);
    if threshold == 0 || failed < threshold {
        return (Failures { failed, locks: before.locks }, None);
    }
    let locks = before.locks.saturating_add(1);
    let factor = 1u32.checked_shl(locks - 1).unwrap_or(u32::MAX);
    let minutes = base_minutes.saturating_mul(factor).min(MAX_LOCK_MINUTES);
    (Failures { failed: 0, locks }, Some(minutes))
}

/// Whole seconds to wait for something `millis` milliseconds away: rounded up, at least 1 (a
/// `Retry-After` of 0 would invite an immediate retry that fails again).
pub fn retry_after_seconds(millis: i64) -> u64 {
    u64::try_from(millis).unwrap_or(0).div_ceil(1000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_common_passwords_are_refused_with_a_reason() {
        for weak in ["password123", "12345678", "aaaaaaaa", "        ", "abc", "123456789"] {
            let why = password_weakness(weak, &[]).unwrap_or_else(|| panic!("{weak:?} accepted"));
            assert!(!why.is_empty());
        }
        assert_eq!(password_weakness("aaaaaaaaa", &[]).unwrap(), "must be at least 10 characters");
        for weak in ["password1234", "qwertyuiop", "aaaaaaaaaaaa", "1234567890", "iloveyou2026", "          "] {
            let why = password_weakness(weak, &[]).unwrap_or_else(|| panic!("{weak:?} accepted"));
            assert!(why.starts_with("is too easy to guess: ") || why == "must not be only spaces", "{why}");
        }
    }

    #[test]
    fn the_users_own_name_username_and_school_count_against_it() {
        let context = ["wangfang-dhs", "王芳", "大河岸中心小学"];
        assert_eq!(password_weakness("wangfang-dhs", &context).unwrap(), "must not be your name, username or school");
        assert!(password_weakness("wangfang-dhs1", &context).is_some());
        assert!(password_weakness("大河岸中心小学2026", &context).is_some());
        // Without the context the same password would pass; with it, it does not.
        assert!(password_weakness("wangfangdhs2026!", &[]).is_none());
        assert!(password_weakness("wangfangdhs2026!", &["wangfangdhs"]).is_some());
    }

    #[test]
    fn strong_passwords_pass() {
        for strong in ["Tq7#mZ2!vR9x", "correct horse battery staple", "青山绿水-Kp7#xq2!", "Jiaoyan-test-Kp7#xq2!"]
        {
            assert_eq!(password_weakness(strong, &["admin", "root"]), None, "{strong}");
        }
        let long = "x".repeat(MAX_PASSWORD_BYTES + 1);
        assert_eq!(password_weakness(&long, &[]).unwrap(), "must be at most 1024 bytes");
    }

    #[test]
    fn every_threshold_failures_lock_and_each_lock_doubles() {
        let mut state = Failures::default();
        for _ in 0..2 {
            let (next, lock) = after_failure(state, 3, 15);
            assert_eq!(lock, None);
            state = next;
        }
        let (state, lock) = after_failure(state, 3, 15);
        assert_eq!((state, lock), (Failures { failed: 0, locks: 1 }, Some(15)));
        let (state, _) = after_failure(state, 3, 15);
        let (state, _) = after_failure(state, 3, 15);
        let (state, lock) = after_failure(state, 3, 15);
        assert_eq!((state.locks, lock), (2, Some(30)));
        let many = Failures { failed: 2, locks: 40 };
        assert_eq!(after_failure(many, 3, 15).1, Some(MAX_LOCK_MINUTES));
        assert_eq!(after_failure(Failures { failed: 500, locks: 0 }, 0, 15).1, None, "0 never locks");
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        assert_eq!(retry_after_seconds(0), 1);
        assert_eq!(retry_after_seconds(-5), 1);
        assert_eq!(retry_after_seconds(1000), 1);
        assert_eq!(retry_after_seconds(1001), 2);
        assert_eq!(retry_after_seconds(900_000), 900);
    }
}
