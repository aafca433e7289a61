//! The container files agree with the code: the image listens where it says (`EXPOSE`, the
//! address, the health check's URL), its settings pass the service's own checks, and compose
//! gives a stop more time than the service's grace period. (The images cannot be built here:
//! these machines cannot pull them.)

use api::config::{checks, Cli};
use clap::CommandFactory;

fn file(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../{name}", env!("CARGO_MANIFEST_DIR"))).expect("the file exists")
}

/// The value of `NAME=value` in the Dockerfile's `ENV`.
fn dockerfile_env(dockerfile: &str, name: &str) -> String {
    let start = dockerfile.find(&format!("{name}=")).unwrap_or_else(|| panic!("ENV {name} is set")) + name.len() + 1;
    dockerfile[start..].split_whitespace().next().unwrap().to_string()
}

#[test]
fn the_image_listens_where_it_says_and_checks_its_health_there() {
    let dockerfile = file("Dockerfile");
    let exposed: Vec<&str> =
        dockerfile.lines().filter_map(|l| l.strip_prefix("EXPOSE ")).flat_map(str::split_whitespace).collect();
    assert_eq!(exposed, ["8080"]);
    let addr = dockerfile_env(&dockerfile, "JIAOYAN_ADDR");
    assert_eq!(checks::addr(&addr), Ok("0.0.0.0:8080".to_string()), "listens on every interface, on the exposed port");
    let url = dockerfile_env(&dockerfile, "DATABASE_URL");
    assert!(
        checks::database_url(&url).is_ok() && url.contains("/var/lib/jiaoyan/"),
        "the SQLite file is in the volume"
    );
    assert!(dockerfile.contains(r#"VOLUME ["/var/lib/jiaoyan"]"#));
    let health = dockerfile.split("HEALTHCHECK").nth(1).expect("a HEALTHCHECK").lines().take(2).collect::<String>();
    assert!(health.contains("http://127.0.0.1:8080/healthz"), "{health}");
    assert!(dockerfile.lines().any(|l| l.starts_with("USER ") && !l.contains("root")), "runs as a user, not root");
    assert!(dockerfile.contains("STOPSIGNAL SIGTERM"));
}

#[test]
fn compose_waits_for_postgresql_and_gives_a_stop_more_than_the_grace_period() {
    let compose = file("docker-compose.yml");
    let url = compose.lines().find_map(|l| l.trim().strip_prefix("DATABASE_URL: ")).expect("DATABASE_URL is set");
    assert!(checks::database_url(url).is_ok() && url.contains("@postgres:5432/"), "{url}");
    assert!(compose.contains("condition: service_healthy") && compose.contains("pg_isready"));
    assert!(compose.contains(r#""8080:8080""#));
    let stop_seconds: u64 = compose
        .lines()
        .find_map(|l| l.trim().strip_prefix("stop_grace_period: "))
        .and_then(|s| s.strip_suffix('s'))
        .and_then(|s| s.parse().ok())
        .expect("stop_grace_period: Ns");
    let command = Cli::command();
    let grace = command.get_arguments().find(|a| a.get_id() == "shutdown_grace_seconds").expect("the grace setting");
    let default_grace: u64 = grace.get_default_values()[0].to_str().unwrap().parse().unwrap();
    let composed_grace: u64 = compose
        .lines()
        .find_map(|l| l.trim().strip_prefix("JIAOYAN_SHUTDOWN_GRACE_SECONDS: "))
        .map_or(default_grace, |v| v.trim_matches('"').parse().unwrap());
    assert!(stop_seconds > composed_grace.max(default_grace), "compose kills the service before its grace period ends");
}

#[test]
fn the_image_builds_sqlite_with_the_build_settings_of_the_repository() {
    let dockerfile = file("Dockerfile");
    let copied = dockerfile.find("COPY .cargo .cargo").expect("the Dockerfile copies .cargo/ (SQLite's compile flags)");
    let cooked = dockerfile.find("cargo chef cook").expect("the dependencies are built in a layer of their own");
    assert!(copied < cooked, "the flags must be there when SQLite is compiled, with the dependencies");
    assert!(file(".cargo/config.toml").contains("LIBSQLITE3_FLAGS"));
}
