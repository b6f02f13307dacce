//! `AppState`: what every handler can reach (the store, the sign-in providers, the Graph client,
//! the token keyring, the templates, the session policy, the dashboard's function client).

use std::sync::Arc;

use adboard_facebook::GraphClient;
use adboard_store::{Store, TokenKeyring};

use crate::api::ApiGuards;
use crate::auth::Providers;
use crate::connectors::checks::HealthChecks;
use crate::dashboard::Dashboard;
use crate::sessions::SessionPolicy;
use crate::templates::Templates;

/// Shared by every worker; built once by `startup`.
#[derive(Debug)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub providers: Providers,
    /// The one Graph client (Facebook Login and the connectors share it).
    pub graph: GraphClient,
    /// Seals connector tokens before they are stored and opens them at the point of use.
    pub keyring: TokenKeyring,
    /// When each team's connector token was last checked with its platform (in this process).
    pub connector_checks: HealthChecks,
    pub templates: Templates,
    /// Session lifetimes and the ids this process ended.
    pub sessions: SessionPolicy,
    /// The dashboard's function client and cache.
    pub dashboard: Dashboard,
    /// e.g. `http://127.0.0.1:8080`, no trailing slash: where providers send people back to.
    pub public_url: String,
    /// The JSON API's failure limiter and used signed_requests.
    pub api: ApiGuards,
    /// In sandbox mode, the names of the sandbox's test users (for the sign-in page); else empty.
    pub sandbox_users: Vec<String>,
}
