//! The sandbox's configuration: apps, OIDC clients, the X consumer, test users, their ad accounts
//! and knobs.

use std::time::Duration;

/// A Facebook app registered in the sandbox (besides the main one in [`SandboxConfig`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacebookApp {
    /// `client_id` of the app.
    pub app_id: String,
    /// `client_secret` of the app.
    pub app_secret: String,
    /// Redirect URIs accepted by the Login dialog, compared exactly (scheme, host, port, path).
    pub redirect_uris: Vec<String>,
}

/// An OpenID Connect client registered at the sandbox's provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcClient {
    /// `client_id`.
    pub client_id: String,
    /// `client_secret` (accepted by `client_secret_basic` and `client_secret_post`).
    pub client_secret: String,
    /// Redirect URIs accepted by `/oidc/authorize`, compared exactly.
    pub redirect_uris: Vec<String>,
}

/// A sandbox test user: a Facebook user, an OpenID identity and an X account at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestUser {
    /// Short handle used by the admin API and the pick-a-user pages (`alice`).
    pub handle: String,
    /// Facebook user id (digits).
    pub facebook_id: String,
    /// OpenID `sub` (stable, opaque).
    pub oidc_subject: String,
    /// X (Twitter) numeric user id, as X's `id_str` (digits).
    pub x_id: String,
    /// X `screen_name` (the @handle without `@`).
    pub x_screen_name: String,
    /// Display name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Whether the provider vouches for the e-mail (`email_verified`).
    pub email_verified: bool,
    /// The ad accounts this user can read.
    pub ad_accounts: Vec<AdAccount>,
}

/// An ad account as `/act_{id}` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdAccount {
    /// Digits only, without `act_`.
    pub account_id: String,
    /// Account name.
    pub name: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// IANA time zone.
    pub timezone_name: String,
    /// Facebook account status (1 active, 2 disabled, 101 closed, ...).
    pub account_status: u32,
}

impl AdAccount {
    fn new(id: &str, name: &str, currency: &str, tz: &str, status: u32) -> Self {
        Self {
            account_id: id.into(),
            name: name.into(),
            currency: currency.into(),
            timezone_name: tz.into(),
            account_status: status,
        }
    }
}

/// How a sandbox instance behaves. [`SandboxConfig::default`] gives the well-known values that the
/// crate README documents: app `sandbox-app` / `sandbox-secret`, OIDC client `adboard-local` /
/// `adboard-local-secret`, X consumer `sandbox-x-consumer-key` / `sandbox-x-consumer-secret`, users `alice` (3 accounts), `bob` (1 account) and `carol` (unverified
/// e-mail, no accounts).
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Facebook app id clients must present (`sandbox-app`).
    pub app_id: String,
    /// Facebook app secret (`sandbox-secret`). A well-known test value, hence a plain `String`.
    pub app_secret: String,
    /// Display name of the app (`Adboard Sandbox`), shown by the dialog and `debug_token`.
    pub app_name: String,
    /// Redirect URIs the Login dialog accepts for `app_id` (exact match). Empty by default.
    pub redirect_uris: Vec<String>,
    /// When true, Graph calls without a valid `appsecret_proof` are rejected.
    pub require_appsecret_proof: bool,
    /// Further Facebook apps (e.g. to test that a code is bound to its client).
    pub extra_apps: Vec<FacebookApp>,
    /// OpenID Connect clients of the sign-in provider.
    pub oidc_clients: Vec<OidcClient>,
    /// X (OAuth 1.0a) consumer key clients must sign with (`sandbox-x-consumer-key`).
    pub x_consumer_key: String,
    /// X consumer secret (`sandbox-x-consumer-secret`). A well-known test value, hence a `String`.
    pub x_consumer_secret: String,
    /// `oauth_callback` URLs `POST /x/oauth/request_token` accepts (exact match) besides `oob`.
    /// Empty by default, as the Facebook redirect URIs.
    pub x_callback_urls: Vec<String>,
    /// Test users and their ad accounts.
    pub users: Vec<TestUser>,
    /// Artificial latency added to every Graph call (for benchmarks). Zero by default.
    pub graph_latency: Duration,
    /// Insights page size when the request has no `limit` (25, as Facebook).
    pub default_page_size: usize,
    /// Largest `limit` accepted on insights (5000: 37 months of daily rows fit in one page).
    pub max_page_size: usize,
    /// Polls of `GET /{report_run_id}` before an async report says `Job Completed` (4).
    pub async_polls_to_complete: u32,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            app_id: "sandbox-app".into(),
            app_secret: "sandbox-secret".into(),
            app_name: "Adboard Sandbox".into(),
            redirect_uris: Vec::new(),
            require_appsecret_proof: false,
            extra_apps: Vec::new(),
            oidc_clients: vec![OidcClient {
                client_id: "adboard-local".into(),
                client_secret: "adboard-local-secret".into(),
                redirect_uris: Vec::new(),
            }],
            x_consumer_key: "sandbox-x-consumer-key".into(),
            x_consumer_secret: "sandbox-x-consumer-secret".into(),
            x_callback_urls: Vec::new(),
            users: default_users(),
            graph_latency: Duration::ZERO,
            default_page_size: 25,
            max_page_size: 5000,
            async_polls_to_complete: 4,
        }
    }
}

fn default_users() -> Vec<TestUser> {
    vec![
        TestUser {
            handle: "alice".into(),
            facebook_id: "100000000000001".into(),
            oidc_subject: "248289761001".into(),
            x_id: "900000000000000001".into(),
            x_screen_name: "alice_sandbox".into(),
            name: "Alice Sandbox".into(),
            email: "alice@sandbox.adboard.test".into(),
            email_verified: true,
            ad_accounts: vec![
                AdAccount::new("1234567890", "Alice Shoes EU", "EUR", "Europe/Berlin", 1),
                AdAccount::new(
                    "2345678901",
                    "Alice Shoes US",
                    "USD",
                    "America/Los_Angeles",
                    1,
                ),
                AdAccount::new("3456789012", "Alice Old Shop", "GBP", "Europe/London", 101),
            ],
        },
        TestUser {
            handle: "bob".into(),
            facebook_id: "100000000000002".into(),
            oidc_subject: "248289761002".into(),
            x_id: "900000000000000002".into(),
            x_screen_name: "bob_sandbox".into(),
            name: "Bob Sandbox".into(),
            email: "bob@sandbox.adboard.test".into(),
            email_verified: true,
            ad_accounts: vec![AdAccount::new(
                "4567890123",
                "Bob Bikes",
                "USD",
                "America/New_York",
                1,
            )],
        },
        TestUser {
            handle: "carol".into(),
            facebook_id: "100000000000003".into(),
            oidc_subject: "248289761003".into(),
            x_id: "900000000000000003".into(),
            x_screen_name: "carol_sandbox".into(),
            name: "Carol Sandbox".into(),
            email: "carol@sandbox.adboard.test".into(),
            email_verified: false,
            ad_accounts: Vec::new(),
        },
    ]
}

impl SandboxConfig {
    /// Registers a Login-dialog redirect URI for the main app (exact match).
    pub fn with_facebook_redirect(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uris.push(uri.into());
        self
    }

    /// Registers a redirect URI for every OIDC client (exact match).
    pub fn with_oidc_redirect(mut self, uri: impl Into<String>) -> Self {
        let uri = uri.into();
        for client in &mut self.oidc_clients {
            client.redirect_uris.push(uri.clone());
        }
        self
    }

    /// Registers an `oauth_callback` URL for the X consumer (exact match).
    pub fn with_x_callback(mut self, uri: impl Into<String>) -> Self {
        self.x_callback_urls.push(uri.into());
        self
    }

    /// The app with this id and its secret and redirect URIs, if registered.
    pub fn app(&self, app_id: &str) -> Option<FacebookApp> {
        if app_id == self.app_id {
            return Some(FacebookApp {
                app_id: self.app_id.clone(),
                app_secret: self.app_secret.clone(),
                redirect_uris: self.redirect_uris.clone(),
            });
        }
        self.extra_apps.iter().find(|a| a.app_id == app_id).cloned()
    }

    /// The user with this handle.
    pub fn user_by_handle(&self, handle: &str) -> Option<&TestUser> {
        self.users.iter().find(|u| u.handle == handle)
    }

    /// The user with this Facebook id.
    pub fn user_by_facebook_id(&self, id: &str) -> Option<&TestUser> {
        self.users.iter().find(|u| u.facebook_id == id)
    }

    /// The user with this X id (`id_str`).
    pub fn user_by_x_id(&self, id: &str) -> Option<&TestUser> {
        self.users.iter().find(|u| u.x_id == id)
    }

    /// The OIDC client with this id.
    pub fn oidc_client(&self, client_id: &str) -> Option<&OidcClient> {
        self.oidc_clients.iter().find(|c| c.client_id == client_id)
    }
}
