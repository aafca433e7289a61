//! Accounts and access: password hashing, tokens, the authenticated [`Actor`] and its scope,
//! first-start bootstrap, and the `/auth` and `/me` endpoints.

mod actor;
pub mod bootstrap;
mod handlers;
pub mod password;
pub mod secret;
pub mod tokens;

pub use actor::{actor_of_token, bearer_token, Actor, Reach};
pub use handlers::routes;
