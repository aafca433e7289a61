//! The `jiaoyan` binary: serve (default), migrate, print the OpenAPI document, seed the demo,
//! prune the change log, export and import the whole database.

use api::app::{prepare_database, Application};
use api::config::{Cli, Command};
use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = cli.settings;
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&settings.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    match cli.command.unwrap_or(Command::Serve) {
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
            tracing::info!("listening on http://{addr} (Swagger UI at /swagger-ui/)");
            app.run_until_stopped().await?;
            // SQLite: closing the last connections checkpoints the WAL into the database file.
            api::db::close(db).await?;
        }
    }
    Ok(())
}
