//! Jiaoyan (教研): the HTTP API of school-based teaching research.
//!
//! Layout: [`routes`] registers every domain module; each module keeps its wire types, thin
//! handlers and scope checks together. Shared plumbing: [`error`] (problem+json), [`extract`]
//! (body/query extractors naming bad fields), [`pagination`], [`auth`] (tokens, the [`auth::Actor`]
//! and its scope), [`openapi`].

pub mod activities;
pub mod alerts;
pub mod allocator;
pub mod app;
pub mod appraisals;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod caller;
pub mod changes;
pub mod clients;
pub mod clock;
pub mod conditional;
pub mod config;
pub mod db;
pub mod demo;
pub mod district_teams;
pub mod domain;
pub mod error;
pub mod extract;
pub mod feed;
pub mod groups;
pub mod health;
pub mod inspections;
pub mod links;
pub mod logging;
pub mod mentorships;
pub mod notices;
pub mod observations;
pub mod observe;
pub mod oneroster;
pub mod openapi;
pub mod org;
pub mod pagination;
pub mod people;
pub mod preparations;
pub mod quota;
pub mod records;
pub mod resource;
pub mod roster_error;
pub mod routes;
pub mod sessions;
pub mod shutdown;
pub mod spreadsheet;
pub mod state;
pub mod statement_count;
pub mod sync;
pub mod telemetry;
pub mod text;
pub mod transfer;
pub mod validate;
pub mod write_queue;
