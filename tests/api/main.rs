//! Black-box tests of the running service, one module per area. Each test runs twice, on
//! SQLite and on PostgreSQL (see `jiaoyan_tests::on_both_backends!`).

mod activities;
mod activity_policies;
mod attendance;
mod auth;
mod calendar;
mod changes;
mod concurrency;
mod demo;
mod district_access_matrix;
mod district_system;
mod districts_zones;
mod errors;
mod etags;
mod groups;
mod mentorships;
mod migrations;
mod observations;
mod oneroster;
mod openapi;
mod pairing_log;
mod pairings_semesters;
mod quota;
mod quota_checks;
mod quota_counting;
mod quota_reports;
mod quota_rules;
mod records;
mod school_month;
mod schools;
mod scope_matrix;
mod sync;
mod sync_csv;
mod teachers;
mod users;
mod work_scope_matrix;
