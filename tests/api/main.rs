//! Black-box tests of the running service, one module per area. Each test runs twice, on
//! SQLite and on PostgreSQL (see `jiaoyan_tests::on_both_backends!`).

mod auth;
mod demo;
mod districts_zones;
mod errors;
mod groups;
mod openapi;
mod pairings_semesters;
mod schools;
mod scope_matrix;
mod teachers;
mod users;
