//! Throttling of the credential endpoints (`/auth/login`, `/auth/refresh`, `/oauth/token`): a
//! GCRA rate limiter (`governor`) per client address and one per account, kept in memory per
//! process. Every attempt counts, successful or not; the persisted lockout after repeated
//! failures is [`super::lockout`].

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::rules::retry_after_seconds;
use crate::config::LoginSettings;
use crate::domain::DomainError;
use crate::telemetry::LoginRefusal;

/// Keys kept before the limiters forget the ones whose buckets have refilled.
const PRUNE_ABOVE: usize = 10_000;

/// Too many attempts: wait this many whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after: u64,
    /// Whether the address (rather than the account) ran out of attempts.
    pub by_address: bool,
}

impl From<Throttled> for DomainError {
    fn from(t: Throttled) -> Self {
        let what = if t.by_address { "from this address" } else { "for this account" };
        DomainError::TooManyAttempts {
            detail: format!("too many attempts {what}; try again in {} seconds", t.retry_after),
            retry_after: t.retry_after,
        }
    }
}

/// The limiters and the lockout settings, shared by every worker.
pub struct LoginGuard {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
    pub settings: LoginSettings,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl LoginGuard {
    pub fn new(settings: &LoginSettings) -> LoginGuard {
        LoginGuard {
            per_address: RateLimiter::dashmap(per_minute(settings.per_address_per_minute)),
            per_account: RateLimiter::dashmap(per_minute(settings.per_account_per_minute)),
            clock: DefaultClock::default(),
            settings: settings.clone(),
        }
    }

    /// Counts an attempt from `address` (none when the peer address is unknown, as in some
    /// tests: then only the account is counted).
    pub fn address(&self, address: Option<IpAddr>) -> Result<(), Throttled> {
        let Some(address) = address else { return Ok(()) };
        if self.per_address.len() > PRUNE_ABOVE {
            self.per_address.retain_recent();
        }
        self.per_address.check_key(&address).map_err(|not_until| {
            crate::telemetry::login_refused(LoginRefusal::AddressThrottle);
            Throttled {
                retry_after: retry_after_seconds(not_until.wait_time_from(self.clock.now()).as_millis() as i64),
                by_address: true,
            }
        })
    }

    /// Counts an attempt for `account` (`user:<username>`, `client:<client_id>`), in any case.
    pub fn account(&self, account: &str) -> Result<(), Throttled> {
        if self.per_account.len() > PRUNE_ABOVE {
            self.per_account.retain_recent();
        }
        self.per_account.check_key(&account.to_lowercase()).map_err(|not_until| {
            crate::telemetry::login_refused(LoginRefusal::AccountThrottle);
            Throttled {
                retry_after: retry_after_seconds(not_until.wait_time_from(self.clock.now()).as_millis() as i64),
                by_address: false,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(address: u32, account: u32) -> LoginGuard {
        LoginGuard::new(&LoginSettings {
            per_address_per_minute: address,
            per_account_per_minute: account,
            ..LoginSettings::default()
        })
    }

    #[test]
    fn an_address_gets_its_burst_then_waits() {
        let g = guard(3, 100);
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for _ in 0..3 {
            assert!(g.address(Some(ip)).is_ok());
        }
        let refused = g.address(Some(ip)).unwrap_err();
        assert!(refused.by_address && (1..=20).contains(&refused.retry_after), "{refused:?}");
        assert!(g.address(Some("192.0.2.8".parse().unwrap())).is_ok(), "another address is not affected");
        assert!(g.address(None).is_ok());
    }

    #[test]
    fn accounts_are_counted_apart_and_without_case() {
        let g = guard(100, 2);
        assert!(g.account("user:Root").is_ok());
        assert!(g.account("user:root").is_ok());
        let refused = g.account("user:ROOT").unwrap_err();
        assert!(!refused.by_address && refused.retry_after >= 1);
        assert!(g.account("user:other").is_ok());
        let error = DomainError::from(refused);
        assert!(
            matches!(error, DomainError::TooManyAttempts { retry_after, .. } if retry_after == refused.retry_after)
        );
    }
}
