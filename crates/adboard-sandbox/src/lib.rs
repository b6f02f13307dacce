//! A faithful local stand-in for Facebook (Login dialog, token endpoint, Graph API), a minimal
//! OpenID Connect provider and X's OAuth 1.0a API (three-legged flow and `verify_credentials`,
//! every call checked against its HMAC-SHA1 signature), so Adboard runs and is tested with no
//! network. [`spawn`] serves it on a listener you bound (loopback only) inside the current tokio
//! runtime; the `adboard-sandbox` binary runs it standalone. Admin paths under `/__sandbox/` mint
//! tokens (Facebook, X, id_tokens and access tokens for any audience) and inject faults.
//!
//! It shares no code or types with the Graph client (`adboard-facebook`) or the domain crate: it
//! is written from each provider's documented wire format on its own, so a misunderstanding in
//! one cannot hide in both. Its three halves (`facebook/`, `oidc/`, `x/`) share only `params.rs`,
//! `util.rs` and `html.rs`.

mod admin;
mod config;
pub mod facebook;
mod html;
pub mod oidc;
pub mod params;
mod util;
pub mod x;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

pub use admin::TokenOptions;
pub use config::{AdAccount, FacebookApp, OidcClient, SandboxConfig, TestUser};
pub use facebook::faults::{FaultKind, FaultRule};
pub use oidc::{AccessTokenOptions, IdTokenOptions};
pub use x::AccessGrant as XAccessGrant;

/// Everything the handlers share: the configuration, the base URL and mutable state.
#[derive(Debug)]
pub struct Shared {
    /// The configuration the sandbox was started with.
    pub config: SandboxConfig,
    /// e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub base_url: String,
    /// Key signing Facebook user tokens.
    pub token_key: String,
    /// Facebook-side state.
    pub facebook: facebook::FacebookState,
    /// OpenID provider state.
    pub oidc: oidc::OidcState,
    /// X (OAuth 1.0a) state.
    pub x: x::XState,
}

/// A running sandbox; stops when [`RunningSandbox::stop`] is called.
#[derive(Debug)]
pub struct RunningSandbox {
    /// e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub base_url: String,
    /// The OpenID issuer: `{base_url}/oidc`.
    pub oidc_issuer: String,
    handle: ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    shared: Arc<Shared>,
}

impl RunningSandbox {
    /// Graph base URL including a version, e.g. `http://127.0.0.1:41234/v26.0`.
    pub fn graph_url(&self) -> String {
        format!("{}/{}", self.base_url, facebook::DEFAULT_VERSION)
    }

    /// Mints a valid long-lived user token for `handle` (as `POST /__sandbox/token` does).
    pub fn user_token(&self, handle: &str) -> Option<String> {
        self.user_token_with(handle, &TokenOptions::default())
    }

    /// Mints a user token for `handle` as `POST /__sandbox/token?expired&scope&app_id` does:
    /// expired, with other permissions, or issued to another app id. `None` for an unknown
    /// user or an app id with characters other than letters, digits, `_`, `-`, `.`.
    pub fn user_token_with(&self, handle: &str, options: &TokenOptions) -> Option<String> {
        admin::mint_for(&self.shared, handle, options)
    }

    /// X's API base URL, e.g. `http://127.0.0.1:41234/x`: the sandbox's stand-in for
    /// `https://api.twitter.com` (`{x_url}/oauth/request_token`,
    /// `{x_url}/1.1/account/verify_credentials.json`, …).
    pub fn x_url(&self) -> String {
        format!("{}/x", self.base_url)
    }

    /// The X consumer key and secret requests must be signed with.
    pub fn x_consumer(&self) -> (&str, &str) {
        (
            &self.shared.config.x_consumer_key,
            &self.shared.config.x_consumer_secret,
        )
    }

    /// Mints an X access token and its secret for `handle` (as `POST /__sandbox/x/token` does);
    /// `None` for an unknown user.
    pub fn x_token(&self, handle: &str) -> Option<(String, String)> {
        x::mint_access(&self.shared, handle).map(|g| (g.oauth_token, g.oauth_token_secret))
    }

    /// Mints an id_token for `handle` signed with the provider's key (as `POST
    /// /__sandbox/oidc/id_token` does): for another audience, expired, with a nonce. `None` for an
    /// unknown user, or when no audience is given and no OIDC client is configured.
    pub fn id_token(&self, handle: &str, options: &IdTokenOptions) -> Option<String> {
        oidc::mint_id_token(&self.shared, handle, options)
    }

    /// Mints an access token for `handle` that the provider's introspection and userinfo answer
    /// for (as `POST /__sandbox/oidc/access_token` does): issued to another client, or expired.
    /// `None` for an unknown user, or when no client is given and no OIDC client is configured.
    pub fn access_token(&self, handle: &str, options: &AccessTokenOptions) -> Option<String> {
        oidc::mint_access_token(&self.shared, handle, options)
    }

    /// Adds a fault rule (as `POST /__sandbox/faults` does).
    pub fn add_fault(&self, rule: FaultRule) {
        self.shared
            .facebook
            .faults
            .lock()
            .expect("faults lock")
            .add(rule);
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        let _ = self.task.await;
    }
}

/// Serves the sandbox on an already bound listener (loopback only) in the current tokio runtime.
pub async fn spawn(
    listener: TcpListener,
    config: SandboxConfig,
) -> std::io::Result<RunningSandbox> {
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the sandbox only serves on a loopback address",
        ));
    }
    let base_url = format!("http://{addr}");
    let shared = Arc::new(Shared {
        token_key: format!("adboard-sandbox-tokens:{}", config.app_secret),
        oidc: oidc::OidcState::new(&format!("{base_url}/oidc"))
            .map_err(|e| std::io::Error::other(e.to_string()))?,
        x: x::XState::new(&config.x_consumer_secret),
        config,
        base_url: base_url.clone(),
        facebook: facebook::FacebookState::default(),
    });
    let data = web::Data::from(shared.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .wrap(actix_web::middleware::from_fn(log_path))
            .service(web::scope("/__sandbox").configure(admin::configure))
            // Browsers ask for it on the consent pages: nothing, rather than a Graph error.
            .route("/favicon.ico", web::get().to(HttpResponse::NoContent))
            .service(web::scope("/oidc").configure(oidc::configure))
            .service(
                web::scope("/x")
                    .configure(x::configure)
                    .default_service(web::to(x::not_found)),
            )
            .configure(facebook::configure)
            .default_service(web::to(unknown_path))
    })
    .workers(2)
    .disable_signals()
    .listen(listener)?
    .run();
    let handle = server.handle();
    let task = tokio::spawn(server);
    Ok(RunningSandbox {
        oidc_issuer: format!("{base_url}/oidc"),
        base_url,
        handle,
        task,
        shared,
    })
}

async fn unknown_path(req: HttpRequest) -> HttpResponse {
    actix_web::ResponseError::error_response(&facebook::GraphError::unknown_path(req.path()))
}

/// Logs method, path and status; never the query string (it carries tokens and codes).
async fn log_path(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let method = req.method().clone();
    let path = req.path().to_owned();
    let resp = next.call(req).await?;
    tracing::info!(http.method = %method, http.path = %path, http.status = resp.status().as_u16(), "sandbox request");
    Ok(resp)
}
