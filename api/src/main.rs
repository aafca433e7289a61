//! The `jiaoyan` binary: serve (default), migrate, print the OpenAPI document, seed the demo,
//! prune the change log, export and import the whole database.

use api::app::{prepare_database, Application};
use api::config::{Command, LogFormat};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Large blocks go back to the system when freed (docs/PERFORMANCE.md, "Memory").
    api::allocator::fix_thresholds();
    // Every setting is checked before anything else happens; a bad one exits with status 2 and
    // a message naming it (docs/DEPLOYMENT.md, "Configuration").
    let (cli, matches) = api::config::show::parse_or_exit();
    if let Some(Command::Config(args)) = &cli.command {
        api::config::show::print(&matches, args);
    }
    if !matches!(cli.command, Some(Command::Openapi)) {
        check_or_exit(&cli.settings);
    }
    let settings = cli.settings;
    // Colours on a terminal only: a file or a journal gets plain text.
    let log = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&settings.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match settings.log_format {
        LogFormat::Text => log.init(),
        // One object a line: the event's fields at the top, the request's (method, route, request
        // id ...) under `span` (docs/OPERATIONS.md, "Logs").
        LogFormat::Json => log.json().flatten_event(true).with_current_span(true).with_span_list(false).init(),
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::Config(_) => {}
        Command::Openapi => {
            print!("{}", api::openapi::spec_json());
        }
        Command::Migrate => {
            let db = api::db::connect(&settings.database_url).await?;
            // Under the start lock, like a starting service (which may be starting meanwhile).
            let lock = api::db::start_lock(&settings.database_url).await?;
            api::db::migrate(&db).await?;
            api::db::release_start_lock(lock).await?;
            api::db::close(db).await?;
            tracing::info!("migrations applied");
        }
        Command::SeedDemo => {
            let db = prepare_database(&settings).await?;
            let seeded =
                api::clock::scope(settings.clock(), api::demo::seed(&db, settings.demo_password.as_deref())).await?;
            println!("{seeded}");
            api::db::close(db).await?;
        }
        Command::PruneChanges => {
            let db = api::db::connect(&settings.database_url).await?;
            api::db::migrate(&db).await?;
            let days = settings.change_retention_days;
            let purged = api::feed::retention::purge(&db, days, api::feed::retention::now_unix()).await?;
            println!(
                "removed {} tombstones older than {days} days; the feed serves since={} and above",
                purged.removed, purged.purged_through
            );
            api::db::close(db).await?;
        }
        Command::PruneAudit => {
            let db = api::db::connect(&settings.database_url).await?;
            api::db::migrate(&db).await?;
            let days = settings.audit_retention_days;
            let removed = api::audit::retention::purge(&db, days, api::feed::retention::now_unix()).await?;
            println!("removed {removed} audit entries older than {days} days");
            api::db::close(db).await?;
        }
        Command::Export { out } => api::transfer::export_command(&settings, &out).await?,
        Command::Import { input } => api::transfer::import_command(&settings, &input).await?,
        Command::Serve => {
            let db = prepare_database(&settings).await?;
            if cli.demo {
                // Under the start lock: of replicas started at once, one seeds, the others see it.
                let lock = api::db::start_lock(&settings.database_url).await?;
                let seeding = api::demo::seed_if_empty(&db, settings.demo_password.as_deref());
                match api::clock::scope(settings.clock(), seeding).await? {
                    Some(seeded) => println!("{seeded}"),
                    None => tracing::info!("--demo: the database already has a district; not seeding"),
                }
                api::db::release_start_lock(lock).await?;
            }
            let addr = settings.addr.clone();
            let app = Application::build(settings, db.clone()).await?;
            let signals = api::shutdown::StopSignals::install()?;
            tracing::info!("listening on http://{addr} (Swagger UI at /swagger-ui/)");
            app.run_until_signalled(signals).await?;
            // SQLite: closing the last connections checkpoints the WAL into the database file.
            api::db::close(db).await?;
            tracing::info!("shutdown complete: database closed");
        }
    }
    Ok(())
}

/// Exits with status 2 and one `error:` line per problem when the settings do not hold together
/// or a configured password is weak: no backtrace, nothing started.
fn check_or_exit(settings: &api::config::Settings) {
    let checked = settings
        .check()
        .and_then(|()| api::auth::bootstrap::check_configured(settings.bootstrap_admin.as_deref()).map(drop));
    if let Err(problems) = checked {
        for problem in problems.to_string().lines() {
            eprintln!("error: {problem}");
        }
        std::process::exit(2);
    }
}
