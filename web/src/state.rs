//! `AppState`: what every handler can reach (the store, the sign-in providers, the templates).

use std::sync::Arc;

use adboard_store::Store;

use crate::auth::Providers;
use crate::templates::Templates;

/// Shared by every worker; built once by `startup`.
#[derive(Debug)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub providers: Providers,
    pub templates: Templates,
}
