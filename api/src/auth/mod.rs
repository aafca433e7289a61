//! Accounts and access: password hashing, tokens, the authenticated [`Actor`] and its scope,
//! first-start bootstrap, the `/auth` and `/me` endpoints, and what guards them: the password
//! policy ([`rules`]), throttling ([`throttle`]) and the lockout after repeated failures
//! ([`lockout`]).

mod actor;
pub mod bootstrap;
mod handlers;
pub mod lockout;
pub mod password;
pub mod rules;
pub mod secret;
pub mod throttle;
pub mod tokens;

pub use actor::{actor_of_token, bearer_token, Actor, Reach};
pub use handlers::routes;
