//! The rules a setting's value must follow, checked before anything listens.
//!
//! A rule about one value is a clap `value_parser` (clap then knows which setting failed, and
//! [`super::show::parse_or_exit`] names its environment variable and flag); its message says
//! what is wrong with the value and never repeats a secret. Rules about several settings, and
//! about secrets (whose values clap would echo), are in [`problems`], which
//! [`super::Settings::check`] runs.

use std::net::SocketAddr;
use std::str::FromStr;

use super::Settings;

/// `JIAOYAN_ADDR`: `host:port`, the host an IP address (IPv6 in brackets) or a DNS name.
pub fn addr(value: &str) -> Result<String, String> {
    let invalid = || format!("{value:?} is not host:port (e.g. 127.0.0.1:8080, 0.0.0.0:8080 or localhost:8080)");
    if value.parse::<SocketAddr>().is_ok() {
        return Ok(value.to_string());
    }
    let (host, port) = value.rsplit_once(':').ok_or_else(invalid)?;
    let dns_name = !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty() && !label.starts_with('-') && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !dns_name || port.parse::<u16>().is_err() {
        return Err(invalid());
    }
    Ok(value.to_string())
}

/// `DATABASE_URL`: SQLite or PostgreSQL. The value is not repeated: it may hold a password.
pub fn database_url(value: &str) -> Result<String, String> {
    let engines = ["sqlite:", "postgres://", "postgresql://"];
    if !engines.iter().any(|prefix| value.starts_with(prefix)) {
        return Err("must start with sqlite:// or postgres:// (e.g. sqlite://jiaoyan.db?mode=rwc)".into());
    }
    Ok(value.to_string())
}

/// `JIAOYAN_PUBLIC_URL`: an absolute `http(s)://host[:port][/prefix]`, without credentials,
/// query or fragment (every absolute URL in an answer starts with it); empty counts as unset.
pub fn public_url(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        return Ok(String::new());
    }
    let invalid = || {
        format!("{value:?} is not an absolute http(s) URL (https://host[:port][/prefix], no credentials, query or fragment)")
    };
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://")).ok_or_else(invalid)?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || value.contains(['?', '#', '@']) || value.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(invalid());
    }
    Ok(value.to_string())
}

/// One of `JIAOYAN_CORS_ORIGINS`: `*`, or an origin as browsers send it (`https://host[:port]`,
/// no path, not even a trailing `/`, which would never match). Empty ones (`a,,b`) are ignored.
pub fn cors_origin(value: &str) -> Result<String, String> {
    let origin = value.trim();
    if origin.is_empty() || origin == "*" {
        return Ok(origin.to_string());
    }
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    let valid = rest.is_some_and(|host| {
        !host.is_empty() && !host.contains(['/', '?', '#', '@']) && !host.chars().any(char::is_whitespace)
    });
    if !valid {
        return Err(format!("{origin:?} is not an origin (https://host[:port], without a path or trailing /) or *"));
    }
    Ok(origin.to_string())
}

/// `JIAOYAN_LOG`: a `tracing` filter (`info`, `info,sqlx=warn`); a typo no longer falls back to
/// `info` silently.
pub fn log_filter(value: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::try_new(value)
        .map_err(|e| format!("{value:?} is not a log filter ({e}); e.g. info or info,sqlx=warn"))?;
    Ok(value.to_string())
}

/// A whole number greater than 0 (body limits, token lifetimes).
pub fn positive<T: FromStr + PartialOrd + Default>(value: &str) -> Result<T, String> {
    let number: T = value.trim().parse().map_err(|_| format!("{value:?} is not a whole number"))?;
    if number <= T::default() {
        return Err(format!("{value:?} must be greater than 0"));
    }
    Ok(number)
}

/// Most HTTP worker threads worth asking for.
const MAX_WORKERS: usize = 1024;

/// `JIAOYAN_WORKERS`: 1 to [`MAX_WORKERS`].
pub fn workers(value: &str) -> Result<usize, String> {
    let workers = positive::<usize>(value)?;
    if workers > MAX_WORKERS {
        return Err(format!("{value:?} is more than {MAX_WORKERS} worker threads"));
    }
    Ok(workers)
}

/// Shortest accepted `JIAOYAN_JWT_SECRET`, in bytes (HS256 wants a key as long as its hash).
pub const MIN_JWT_SECRET_BYTES: usize = 32;

/// What is wrong with the settings taken together, and with the secrets, one message each,
/// naming the environment variable and the flag. Empty when all is well.
pub fn problems(settings: &Settings) -> Vec<String> {
    let mut problems = Vec::new();
    if settings.read_database_url.is_some() && !settings.database_url.starts_with("postgres") {
        problems.push(
            "JIAOYAN_READ_DATABASE_URL (--read-database-url): set, but DATABASE_URL is not PostgreSQL: only a PostgreSQL primary has read replicas".into(),
        );
    }
    if settings.jwt_secret.as_deref().is_some_and(|s| !s.is_empty() && s.len() < MIN_JWT_SECRET_BYTES) {
        problems.push(format!(
            "JIAOYAN_JWT_SECRET (--jwt-secret): at least {MIN_JWT_SECRET_BYTES} bytes (e.g. `openssl rand -base64 48`), or unset to have one generated"
        ));
    }
    if let Some(admin) = settings.bootstrap_admin.as_deref() {
        let well_formed =
            admin.split_once(':').is_some_and(|(user, password)| !user.trim().is_empty() && !password.is_empty());
        if !well_formed {
            problems.push("JIAOYAN_BOOTSTRAP_ADMIN (--bootstrap-admin): must be username:password".into());
        }
    }
    if settings.demo_password.as_deref() == Some("") {
        problems.push("JIAOYAN_DEMO_PASSWORD (--demo-password): empty; unset it to have one generated".into());
    }
    if settings.refresh_token_ttl < settings.access_token_ttl {
        problems.push(format!(
            "JIAOYAN_REFRESH_TOKEN_TTL (--refresh-token-ttl): {} s is shorter than JIAOYAN_ACCESS_TOKEN_TTL ({} s): a refresh token must outlive the access token it renews",
            settings.refresh_token_ttl, settings.access_token_ttl
        ));
    }
    if settings.access_token_ttl <= 0 || settings.refresh_token_ttl <= 0 {
        problems.push("JIAOYAN_ACCESS_TOKEN_TTL, JIAOYAN_REFRESH_TOKEN_TTL: must be greater than 0".into());
    }
    if settings.max_body_bytes == 0 || settings.max_sync_body_bytes == 0 {
        problems.push("JIAOYAN_MAX_BODY_BYTES, JIAOYAN_MAX_SYNC_BODY_BYTES: must be greater than 0".into());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings::for_database("sqlite://j.db?mode=rwc")
    }

    #[test]
    fn an_address_is_host_and_port() {
        for good in ["127.0.0.1:8080", "0.0.0.0:0", "[::1]:8080", "localhost:8080", "jy-1.example.edu.cn:443"] {
            assert_eq!(addr(good).as_deref(), Ok(good), "{good}");
        }
        for bad in ["x", "not-an-address", "127.0.0.1", "127.0.0.1:http", ":8080", "host:99999", "a b:80", "-x:80"] {
            let message = addr(bad).unwrap_err();
            assert!(message.contains(&format!("{bad:?} is not host:port")), "{bad}: {message}");
        }
    }

    #[test]
    fn a_database_url_is_sqlite_or_postgresql_and_is_not_repeated() {
        for good in ["sqlite://jiaoyan.db?mode=rwc", "sqlite::memory:", "postgres://u@h/db", "postgresql://u:p@h/db"] {
            assert!(database_url(good).is_ok(), "{good}");
        }
        let message = database_url("mysql://root:hunter2@h/db").unwrap_err();
        assert!(message.starts_with("must start with sqlite:// or postgres://"), "{message}");
        assert!(!message.contains("hunter2"));
    }

    #[test]
    fn a_public_url_is_absolute_http_without_credentials_query_or_fragment() {
        for good in ["https://jy.example.edu.cn", "http://127.0.0.1:8080/jy/", ""] {
            assert!(public_url(good).is_ok(), "{good}");
        }
        for bad in [
            "jy.example.edu.cn",
            "ftp://x",
            "https://",
            "https://x/?a=1",
            "https://u:p@x",
            "https://x y",
            "https://x#f",
        ] {
            assert!(public_url(bad).unwrap_err().contains("not an absolute http(s) URL"), "{bad}");
        }
    }

    #[test]
    fn a_cors_origin_is_an_origin_or_any() {
        for good in ["*", "https://app.example.edu.cn", "http://localhost:3000", ""] {
            assert!(cors_origin(good).is_ok(), "{good}");
        }
        for bad in ["app.example.edu.cn", "https://app.example.edu.cn/", "https://x/path", "https://", "null"] {
            assert!(cors_origin(bad).unwrap_err().contains("is not an origin"), "{bad}");
        }
    }

    #[test]
    fn a_log_filter_must_parse() {
        for good in ["info", "warn", "info,sqlx=warn", "api=debug"] {
            assert!(log_filter(good).is_ok(), "{good}");
        }
        for bad in ["info,sqlx=loud", "=info[", "api=debug=trace"] {
            assert!(log_filter(bad).unwrap_err().contains("is not a log filter"), "{bad}");
        }
    }

    #[test]
    fn sizes_and_lifetimes_are_positive_whole_numbers() {
        assert_eq!(positive::<usize>("1048576"), Ok(1_048_576));
        assert_eq!(positive::<i64>("900"), Ok(900));
        assert!(positive::<usize>("0").unwrap_err().contains("must be greater than 0"));
        assert!(positive::<i64>("-5").unwrap_err().contains("must be greater than 0"));
        assert!(positive::<usize>("1MB").unwrap_err().contains("is not a whole number"));
    }

    #[test]
    fn workers_are_between_one_and_a_sane_maximum() {
        assert_eq!(workers("4"), Ok(4));
        assert!(workers("0").is_err());
        assert!(workers("100000").unwrap_err().contains("more than 1024"));
    }

    #[test]
    fn the_defaults_have_no_problem() {
        assert_eq!(problems(&settings()), Vec::<String>::new());
    }

    #[test]
    fn a_short_jwt_secret_is_refused_without_being_repeated() {
        let mut settings = settings();
        settings.jwt_secret = Some("short-secret-value".into());
        let problems = problems(&settings);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("JIAOYAN_JWT_SECRET (--jwt-secret): at least 32 bytes"));
        assert!(!problems[0].contains("short-secret-value"));
        settings.jwt_secret = Some("a-test-secret-of-at-least-32-bytes!!".into());
        assert!(super::problems(&settings).is_empty());
    }

    #[test]
    fn the_bootstrap_admin_is_username_and_password() {
        let mut settings = settings();
        for bad in ["admin", ":Admin-Vb5kJ9", "admin:", " :x"] {
            settings.bootstrap_admin = Some(bad.into());
            let problems = problems(&settings);
            assert!(problems.iter().any(|p| p.contains("JIAOYAN_BOOTSTRAP_ADMIN (--bootstrap-admin)")), "{bad}");
        }
        settings.bootstrap_admin = Some("admin:Admin-Vb5kJ9-tests".into());
        assert!(problems(&settings).is_empty());
    }

    #[test]
    fn an_empty_demo_password_is_refused() {
        let mut settings = settings();
        settings.demo_password = Some(String::new());
        assert!(problems(&settings)[0].starts_with("JIAOYAN_DEMO_PASSWORD"));
    }

    #[test]
    fn a_refresh_token_outlives_the_access_token() {
        let mut settings = settings();
        settings.access_token_ttl = 3600;
        settings.refresh_token_ttl = 600;
        let problems = problems(&settings);
        assert!(
            problems[0].starts_with("JIAOYAN_REFRESH_TOKEN_TTL (--refresh-token-ttl): 600 s is shorter"),
            "{problems:?}"
        );
        settings.refresh_token_ttl = 3600;
        assert!(super::problems(&settings).is_empty());
    }

    #[test]
    fn zero_lifetimes_and_limits_set_in_code_are_refused_too() {
        let mut settings = settings();
        settings.access_token_ttl = 0;
        settings.max_body_bytes = 0;
        let problems = problems(&settings);
        assert!(problems.iter().any(|p| p.starts_with("JIAOYAN_ACCESS_TOKEN_TTL")), "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("JIAOYAN_MAX_BODY_BYTES")), "{problems:?}");
    }

    #[test]
    fn a_read_replica_needs_a_postgresql_primary() {
        let mut settings = settings();
        settings.read_database_url = Some("postgres://u@replica/j".into());
        assert!(problems(&settings)[0].starts_with("JIAOYAN_READ_DATABASE_URL (--read-database-url)"));
        settings.database_url = "postgres://u@primary/j".into();
        assert!(problems(&settings).is_empty());
    }
}
