//! Schema migrations, applied in order. A shipped migration is never edited or renamed: change
//! the schema with a new one, each with a real `down`.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_organisation;
mod m20261123_000002_research_work;
mod m20261124_000003_quota_rules;
mod m20261201_000004_district_sync;
mod m20261201_000005_change_sequence;
mod m20261201_000006_change_left_school;
mod m20261205_000007_work_between_semesters;
mod m20261205_000008_pair_days;
mod m20261205_000009_login_lockout;
mod m20261205_000010_audit_trail;
mod m20261205_000011_write_horizon;
mod m20261205_000012_service_secrets;
mod m20261205_000013_preparations;
mod m20261205_000014_inspections;
mod m20261205_000015_appraisals;
mod m20261205_000016_team_attendance;
mod m20261205_000017_alerts;
mod table_parts;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_organisation::Migration),
            Box::new(m20261123_000002_research_work::Migration),
            Box::new(m20261124_000003_quota_rules::Migration),
            Box::new(m20261201_000004_district_sync::Migration),
            Box::new(m20261201_000005_change_sequence::Migration),
            Box::new(m20261201_000006_change_left_school::Migration),
            Box::new(m20261205_000007_work_between_semesters::Migration),
            Box::new(m20261205_000008_pair_days::Migration),
            Box::new(m20261205_000009_login_lockout::Migration),
            Box::new(m20261205_000010_audit_trail::Migration),
            Box::new(m20261205_000011_write_horizon::Migration),
            Box::new(m20261205_000012_service_secrets::Migration),
            Box::new(m20261205_000013_preparations::Migration),
            Box::new(m20261205_000014_inspections::Migration),
            Box::new(m20261205_000015_appraisals::Migration),
            Box::new(m20261205_000016_team_attendance::Migration),
            Box::new(m20261205_000017_alerts::Migration),
        ]
    }
}
