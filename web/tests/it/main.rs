//! The web app's integration tests: the real app on 127.0.0.1:0 with a fresh SQLite file, driven
//! like a browser (cookies kept, redirects not followed).

mod api;
mod callback_state;
mod connectors;
mod dashboard;
mod facebook;
mod headers;
mod helpers;
mod id_token;
mod logs;
mod mock_oidc;
mod oidc_provider;
mod onboarding;
mod profile;
mod redirects;
mod sandbox;
mod server_sessions;
mod session;
mod teams;
mod template_env;
