//! Sessions: logging in with a password (`/auth/login`), renewing the access token with a
//! single-use refresh token (`/auth/refresh`), logging out (`/auth/logout`) and the caller's own
//! account (`/me`). The accounts, tokens, throttling and lockout they use are [`crate::auth`]'s;
//! this area is their HTTP face, apart from `auth` so that `auth` (which every area imports for
//! the [`crate::auth::Actor`]) imports no area.

mod handlers;

pub use handlers::routes;
