//! Reading the command line so that a bad setting is named by its environment variable and its
//! flag, and `jiaoyan config`: the effective configuration, each setting with its value and
//! where the value came from (default, env, flag), secrets masked.
//!
//! A setting is secret when it is declared so, `hide_env_values = true` (which also keeps its
//! value out of `--help`), or when its variable's name says so ([`named_like_a_secret`]: a
//! `SECRET`, `PASSWORD`, `TOKEN`, `KEY` or `CREDENTIALS` word; a unit test makes sure such
//! settings are also declared). A secret value is shown as [`MASKED`], a database URL's password
//! too (in any setting), and of a `username:password` setting only the password
//! ([`USER_AND_PASSWORD`]).

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};
use serde::Serialize;

use super::Cli;

/// What a masked secret is shown as.
pub const MASKED: &str = "********";

/// Secret settings whose value is `username:password`: the username is shown.
const USER_AND_PASSWORD: &[&str] = &["JIAOYAN_BOOTSTRAP_ADMIN"];

/// Options of `jiaoyan config`.
#[derive(Debug, Clone, clap::Args)]
pub struct ConfigArgs {
    /// Print a JSON array instead of text.
    #[arg(long)]
    pub json: bool,
}

/// One setting as `jiaoyan config` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Effective {
    /// The environment variable (`JIAOYAN_ADDR`).
    pub env: String,
    /// The flag (`--addr`).
    pub flag: String,
    /// The value, masked when secret; `None` when unset.
    pub value: Option<String>,
    /// `default`, `env`, `flag` or `unset`.
    pub source: &'static str,
    pub secret: bool,
}

/// Parses the command line and the environment, or exits (status 2) with a message that names
/// the setting: `error: JIAOYAN_ADDR (--addr): "x" is not host:port ...`. `--help` and
/// `--version` exit as clap makes them.
pub fn parse_or_exit() -> (Cli, ArgMatches) {
    let mut command = Cli::command();
    let parsed = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|matches| Ok((Cli::from_arg_matches(&matches)?, matches)));
    match parsed {
        Ok(parsed) => parsed,
        Err(error) => match naming_setting(&command, &error) {
            Some(message) => {
                eprintln!("error: {message}");
                std::process::exit(2);
            }
            None => error.format(&mut command).exit(),
        },
    }
}

/// The message of a bad value, naming the environment variable and the flag of its setting and
/// never repeating a secret; `None` for the errors clap words well itself.
pub fn naming_setting(command: &clap::Command, error: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if !matches!(error.kind(), ErrorKind::ValueValidation | ErrorKind::InvalidValue | ErrorKind::InvalidUtf8) {
        return None;
    }
    let Some(ContextValue::String(invalid)) = error.get(ContextKind::InvalidArg) else { return None };
    let long = invalid.split_whitespace().next()?.strip_prefix("--")?;
    let arg = command.get_arguments().find(|a| a.get_long() == Some(long))?;
    let env = arg.get_env()?.to_string_lossy().into_owned();
    let why = match std::error::Error::source(error) {
        Some(source) => source.to_string(),
        None => match error.get(ContextKind::InvalidValue) {
            Some(ContextValue::String(value)) if !is_secret(arg) => format!("{value:?} is not a valid value"),
            _ => "not a valid value".into(),
        },
    };
    Some(format!("{env} (--{long}): {why}"))
}

/// Whether the setting's value is a secret (see the module comment).
pub fn is_secret(arg: &clap::Arg) -> bool {
    arg.is_hide_env_values_set() || arg.get_env().is_some_and(|env| named_like_a_secret(&env.to_string_lossy()))
}

/// Whether an environment variable's name says that it holds a secret (`JIAOYAN_JWT_SECRET`,
/// `JIAOYAN_DEMO_PASSWORD`, `..._TOKEN`), a lifetime of one aside (`JIAOYAN_ACCESS_TOKEN_TTL`).
pub fn named_like_a_secret(env: &str) -> bool {
    let words: Vec<&str> = env.split('_').collect();
    let secret_word = words.iter().any(|w| matches!(*w, "SECRET" | "PASSWORD" | "TOKEN" | "KEY" | "CREDENTIALS"));
    secret_word && !matches!(words.last(), Some(&("TTL" | "SECONDS" | "MINUTES" | "DAYS")))
}

/// Every setting (each argument with an environment variable) with its effective value.
pub fn effective(command: &clap::Command, matches: &ArgMatches) -> Vec<Effective> {
    command
        .get_arguments()
        .filter_map(|arg| {
            let env = arg.get_env()?.to_string_lossy().into_owned();
            let id = arg.get_id().as_str();
            let raw = matches
                .get_raw(id)
                .map(|values| values.map(|v| v.to_string_lossy().into_owned()).collect::<Vec<_>>().join(","));
            let source = match matches.value_source(id) {
                Some(ValueSource::DefaultValue) => "default",
                Some(ValueSource::EnvVariable) => "env",
                Some(ValueSource::CommandLine) => "flag",
                _ => "unset",
            };
            let secret = is_secret(arg);
            let value = if source == "unset" { None } else { raw.map(|v| masked(&env, &v, secret)) };
            let flag = arg.get_long().map(|l| format!("--{l}")).unwrap_or_default();
            Some(Effective { env, flag, value, source, secret })
        })
        .collect()
}

/// `value` as it may be shown: a URL's password masked whatever the setting, and a secret
/// setting's value masked (a database URL's password, a `username:password`'s password, or all).
pub fn masked(env: &str, value: &str, secret: bool) -> String {
    let value = mask_url_password(value);
    if !secret || value.is_empty() {
        return value;
    }
    if ["postgres://", "postgresql://", "sqlite:"].iter().any(|p| value.starts_with(p)) {
        return value;
    }
    if USER_AND_PASSWORD.contains(&env) {
        if let Some((user, _)) = value.split_once(':') {
            return format!("{user}:{MASKED}");
        }
    }
    MASKED.to_string()
}

/// `scheme://user:password@host...` with the password masked; other values unchanged.
fn mask_url_password(value: &str) -> String {
    let Some((scheme, rest)) = value.split_once("://") else { return value.to_string() };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else { return value.to_string() };
    match rest[..at].split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:{MASKED}{}", &rest[at..]),
        None => value.to_string(),
    }
}

/// The text `jiaoyan config` prints: one `NAME=value` line per setting, with where the value
/// came from and the flag.
pub fn render_text(settings: &[Effective]) -> String {
    let width = settings.iter().map(|s| s.env.len() + 1 + s.value.as_deref().unwrap_or("").len()).max().unwrap_or(0);
    let mut text = String::new();
    for s in settings {
        let assignment = format!("{}={}", s.env, s.value.as_deref().unwrap_or(""));
        let secret = if s.secret { ", secret" } else { "" };
        text.push_str(&format!("{assignment:<width$}  # {}{secret} ({})\n", s.source, s.flag));
    }
    text
}

/// Prints the effective configuration of `matches` (text, or JSON with `--json`).
pub fn print(matches: &ArgMatches, args: &ConfigArgs) {
    let settings = effective(&Cli::command(), matches);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&settings).unwrap_or_default());
    } else {
        print!("{}", render_text(&settings));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(args: &[&str]) -> ArgMatches {
        Cli::command().try_get_matches_from(args).expect("the arguments parse")
    }

    fn setting<'a>(all: &'a [Effective], env: &str) -> &'a Effective {
        all.iter().find(|s| s.env == env).unwrap_or_else(|| panic!("{env} is listed"))
    }

    #[test]
    fn every_setting_is_listed_with_its_source() {
        let all = effective(&Cli::command(), &matches(&["jiaoyan", "--workers", "3", "config"]));
        let workers = setting(&all, "JIAOYAN_WORKERS");
        assert_eq!((workers.value.as_deref(), workers.source, workers.flag.as_str()), (Some("3"), "flag", "--workers"));
        let addr = setting(&all, "JIAOYAN_ADDR");
        assert_eq!((addr.value.as_deref(), addr.source), (Some("127.0.0.1:8080"), "default"));
        let public = setting(&all, "JIAOYAN_PUBLIC_URL");
        assert_eq!((public.value.as_deref(), public.source), (None, "unset"));
        for env in ["DATABASE_URL", "JIAOYAN_LOG", "JIAOYAN_LOCKOUT_MINUTES", "JIAOYAN_SHUTDOWN_GRACE_SECONDS"] {
            setting(&all, env);
        }
        assert!(render_text(&all).contains("JIAOYAN_WORKERS=3"));
    }

    #[test]
    fn secrets_are_masked_and_the_rest_shown() {
        let all = effective(
            &Cli::command(),
            &matches(&[
                "jiaoyan",
                "--jwt-secret=a-test-secret-of-at-least-32-bytes!!",
                "--bootstrap-admin=root:Root-Pw-9xq",
                "--demo-password=Demo-Pw-7vk",
                "--database-url=postgres://jy:Db-Pw-3mz@db.example/jiaoyan",
                "--read-database-url=postgres://jy:Db-Pw-3mz@replica/jiaoyan",
            ]),
        );
        let text = render_text(&all);
        for secret in ["a-test-secret-of-at-least-32-bytes!!", "Root-Pw-9xq", "Demo-Pw-7vk", "Db-Pw-3mz"] {
            assert!(!text.contains(secret), "{secret} shown:\n{text}");
        }
        assert_eq!(setting(&all, "JIAOYAN_JWT_SECRET").value.as_deref(), Some(MASKED));
        assert_eq!(setting(&all, "JIAOYAN_BOOTSTRAP_ADMIN").value.as_deref(), Some("root:********"));
        assert_eq!(setting(&all, "JIAOYAN_DEMO_PASSWORD").value.as_deref(), Some(MASKED));
        assert_eq!(setting(&all, "DATABASE_URL").value.as_deref(), Some("postgres://jy:********@db.example/jiaoyan"));
        assert_eq!(
            setting(&all, "JIAOYAN_READ_DATABASE_URL").value.as_deref(),
            Some("postgres://jy:********@replica/jiaoyan")
        );
        assert!(setting(&all, "JIAOYAN_JWT_SECRET").secret && !setting(&all, "DATABASE_URL").secret);
    }

    #[test]
    fn a_url_password_is_masked_anywhere_and_nothing_else() {
        assert_eq!(mask_url_password("postgres://u:p@h:5432/db?x=1"), "postgres://u:********@h:5432/db?x=1");
        assert_eq!(mask_url_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(mask_url_password("https://h/a@b:c"), "https://h/a@b:c");
        assert_eq!(mask_url_password("sqlite://jiaoyan.db?mode=rwc"), "sqlite://jiaoyan.db?mode=rwc");
        assert_eq!(masked("JIAOYAN_X_WEBHOOK_TOKEN", "https://hook/send?key=abc", true), MASKED);
    }

    /// A new setting named like a secret must be declared secret, so that `--help` hides its
    /// value from the environment too (and `jiaoyan config` masks it either way).
    #[test]
    fn settings_named_like_secrets_are_declared_secret() {
        assert!(named_like_a_secret("JIAOYAN_JWT_SECRET") && named_like_a_secret("JIAOYAN_METRICS_TOKEN"));
        assert!(!named_like_a_secret("JIAOYAN_ACCESS_TOKEN_TTL") && !named_like_a_secret("JIAOYAN_ADDR"));
        let command = Cli::command();
        let undeclared: Vec<_> = command
            .get_arguments()
            .filter_map(|a| a.get_env().map(|env| (a, env.to_string_lossy().into_owned())))
            .filter(|(a, env)| named_like_a_secret(env) && !a.is_hide_env_values_set())
            .map(|(_, env)| env)
            .collect();
        assert!(undeclared.is_empty(), "declare these hide_env_values = true: {undeclared:?}");
    }

    #[test]
    fn a_bad_value_is_named_by_its_variable_and_flag() {
        let command = Cli::command();
        let message = |args: &[&str]| {
            let error = Cli::command().try_get_matches_from(args).expect_err("refused");
            naming_setting(&command, &error).expect("named")
        };
        assert_eq!(
            message(&["jiaoyan", "--addr", "x"]),
            r#"JIAOYAN_ADDR (--addr): "x" is not host:port (e.g. 127.0.0.1:8080, 0.0.0.0:8080 or localhost:8080)"#
        );
        assert!(message(&["jiaoyan", "--log", "info,x=loud"]).starts_with("JIAOYAN_LOG (--log): "));
        assert!(message(&["jiaoyan", "--access-token-ttl", "0"])
            .starts_with("JIAOYAN_ACCESS_TOKEN_TTL (--access-token-ttl): "));
        assert!(message(&["jiaoyan", "--shutdown-grace-seconds", "9999"])
            .starts_with("JIAOYAN_SHUTDOWN_GRACE_SECONDS (--shutdown-grace-seconds): "));
        let error = Cli::command().try_get_matches_from(["jiaoyan", "--no-such-flag"]).unwrap_err();
        assert_eq!(naming_setting(&command, &error), None, "clap words the other errors");
    }
}
