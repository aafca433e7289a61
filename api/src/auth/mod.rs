//! Accounts and access: password hashing, tokens, the authenticated [`Actor`] and its scope,
//! first-start bootstrap, and what guards the credential endpoints: the password policy
//! ([`rules`]), throttling ([`throttle`]) and the lockout after repeated failures ([`lockout`]).
//! The endpoints themselves are [`crate::sessions`]'s, the `Actor` extractor
//! [`crate::caller`]'s: this module speaks no HTTP and imports no area.

mod actor;
pub mod bootstrap;
pub mod lockout;
pub mod password;
pub mod rules;
pub mod secret;
pub mod throttle;
pub mod tokens;

pub use actor::{actor_of_token, Actor, Reach};
