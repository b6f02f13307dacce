//! The Adboard web app (actix-web + tera): settings, startup, sessions and CSRF, sign-in with
//! OpenID Connect (generic, Google, the sandbox) and Facebook Login, the profile page, and the
//! shells of the Teams, Connectors and Dashboard pages. Users and identities live behind
//! `adboard_store::Store`; in sandbox mode (no provider configured) the local Facebook + OpenID
//! provider from `adboard-sandbox` runs in-process on its own loopback listener.

pub mod accounts;
pub mod auth;
pub mod bench_hello;
pub mod error;
pub mod routes;
pub mod safe_next;
pub mod session;
pub mod settings;
pub mod startup;
pub mod teams;
pub mod telemetry;
pub mod templates;
