//! What day and time it is for the schools: the service's [`Clock`].
//!
//! Every school this service runs for keeps China Standard Time (UTC+8, no daylight saving), so
//! "today" (for ages, live memberships, default `as_of` dates) is the date in UTC+8 whatever the
//! server's own time zone. Timestamps stay in UTC.
//!
//! The clock is a setting ([`crate::config::Settings::clock`]): the system's by default, or a
//! fixed school date (`JIAOYAN_TODAY=2026-03-16`, `--today`) so that a demo or a test runs on a
//! chosen day; tests may also drive a [`Clock::manual`] one. The request middleware [`scope`]s
//! every request in the service's clock, and [`today`] and [`now`] read the clock of the task
//! they run in (the system's outside a request). See docs/API-DESIGN.md, "The clock".

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};

/// Where the service reads the time.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system clock (the default, and production's).
    #[default]
    System,
    /// Always the given school date, at the system's time of day (UTC+8): the date never
    /// changes, so nothing races midnight, while timestamps still advance within the day.
    Fixed(NaiveDate),
    /// An instant that moves only when told ([`Clock::set`], [`Clock::advance`]); clones share it.
    Manual(Arc<AtomicI64>),
}

fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

impl Clock {
    /// A clock stopped at `at`, moved by hand.
    pub fn manual(at: DateTime<Utc>) -> Clock {
        Clock::Manual(Arc::new(AtomicI64::new(at.timestamp_micros())))
    }

    /// Moves a manual clock to `at` (other clocks ignore it).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Clock::Manual(micros) = self {
            micros.store(at.timestamp_micros(), Ordering::SeqCst);
        }
    }

    /// Moves a manual clock on by `by` (other clocks ignore it).
    pub fn advance(&self, by: Duration) {
        if let Clock::Manual(micros) = self {
            micros.fetch_add(by.num_microseconds().unwrap_or(i64::MAX), Ordering::SeqCst);
        }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(date) => {
                let time_of_day = Utc::now().with_timezone(&china()).time();
                let local = date.and_time(time_of_day).and_local_timezone(china());
                local.single().map(|at| at.with_timezone(&Utc)).unwrap_or_else(Utc::now)
            }
            Clock::Manual(micros) => {
                DateTime::from_timestamp_micros(micros.load(Ordering::SeqCst)).unwrap_or_else(Utc::now)
            }
        }
    }

    /// The schools' date (UTC+8).
    pub fn today(&self) -> NaiveDate {
        match self {
            Clock::Fixed(date) => *date,
            _ => self.now().with_timezone(&china()).date_naive(),
        }
    }

    /// `JIAOYAN_TODAY`: a school date, `YYYY-MM-DD`.
    pub fn parse_today(text: &str) -> Result<Clock, String> {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map(Clock::Fixed)
            .map_err(|_| format!("'{text}' is not a date such as 2026-03-16"))
    }
}

tokio::task_local! {
    /// The clock of the request (or task) running here.
    static CURRENT: Clock;
}

fn current() -> Clock {
    CURRENT.try_with(Clock::clone).unwrap_or_default()
}

/// The schools' date, by the current task's clock.
pub fn today() -> NaiveDate {
    current().today()
}

/// The current instant, by the current task's clock.
pub fn now() -> DateTime<Utc> {
    current().now()
}

/// Runs `f` on `clock` (the demo's seeding, tests).
pub async fn scope<F: std::future::Future>(clock: Clock, f: F) -> F::Output {
    CURRENT.scope(clock, f).await
}

/// The middleware: runs the request on the service's clock (its `web::Data<Clock>`).
pub async fn on_service_clock(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let clock = req.app_data::<web::Data<Clock>>().map(|c| Clock::clone(c)).unwrap_or_default();
    CURRENT.scope(clock, next.call(req)).await
}

/// Seconds since the epoch, on the real clock: retention purges and token expiry never follow a
/// fixed or manual test clock.
pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The instant `retention_days` days before `now_unix`: what is older goes (the change feed's
/// tombstones, the audit trail's entries).
pub fn retention_cutoff(now_unix: i64, retention_days: u32) -> i64 {
    now_unix - i64::from(retention_days) * 86_400
}

/// Runs `task` once an hour (the first time right away) for as long as the application runs: the
/// retention purges. An hour missed (the process was busy or asleep) is not made up.
pub fn hourly<F, Fut>(mut task: F) -> tokio::task::JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            task().await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Timelike};

    #[test]
    fn a_fixed_clock_keeps_its_date_and_the_time_of_day() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 16).unwrap();
        let clock = Clock::parse_today("2026-03-16").unwrap();
        assert_eq!(clock.today(), day);
        assert_eq!(clock.now().with_timezone(&china()).date_naive(), day);
        assert!(Clock::parse_today("2026-02-30").is_err());
        assert!(Clock::parse_today("tomorrow").is_err());
    }

    #[test]
    fn a_manual_clock_moves_only_when_told_and_its_clones_with_it() {
        let at = Utc.with_ymd_and_hms(2026, 3, 16, 15, 59, 0).unwrap();
        let clock = Clock::manual(at);
        let held = clock.clone();
        assert_eq!(clock.now(), at);
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 3, 16).unwrap(), "23:59 in UTC+8");
        held.advance(Duration::minutes(1));
        assert_eq!(clock.now().minute(), 0);
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 3, 17).unwrap(), "midnight in UTC+8");
        held.set(at);
        assert_eq!(clock.now(), at);
    }

    #[tokio::test]
    async fn today_reads_the_clock_of_its_task() {
        let at = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap();
        let inside = scope(Clock::manual(at), async { (today(), now()) }).await;
        assert_eq!(inside, (NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(), at));
    }
}
