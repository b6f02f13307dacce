//! The Adboard web app (actix-web + tera): settings, startup, sessions and CSRF, sign-in with
//! OpenID Connect (generic, Google, the sandbox) and Facebook Login, the profile page, teams, the
//! Connectors shell and the team dashboard (`dashboard`, fed by get_facebook_data). Users and
//! identities live behind `adboard_store::Store`; in sandbox mode (no provider configured) the
//! local Facebook + OpenID provider from `adboard-sandbox` runs in-process on its own loopback
//! listener (the default `sandbox` feature; a build without it refuses to start unconfigured).
//!
//! Imports run one way (checked by `scripts/check-module-cycles.py`), from the leaves up:
//! `error`, `tokens`, `settings`, `safe_next`, `telemetry` → `session` → `auth`, `accounts`,
//! `sessions`, `teams`, `templates`, `dashboard` → `api`, `forms`, `onboarding`, `state` →
//! `connectors`, `extract`, `error_page` → `routes` → `startup`.

pub mod accounts;
pub mod api;
pub mod auth;
pub mod connectors;
pub mod dashboard;
pub mod error;
pub mod error_page;
pub mod extract;
pub mod forms;
pub mod onboarding;
pub mod routes;
pub mod safe_next;
pub mod session;
pub mod sessions;
pub mod settings;
pub mod startup;
pub mod state;
pub mod teams;
pub mod telemetry;
pub mod templates;
pub mod tokens;
