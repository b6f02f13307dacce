//! The X (Twitter) half of the sandbox, mounted under `/x`: OAuth 1.0a's three legs
//! (`/oauth/request_token`, `/oauth/authorize`, `/oauth/access_token`), `GET
//! /1.1/account/verify_credentials.json` and `POST /1.1/oauth/invalidate_token`, every call
//! checked against its RFC 5849 HMAC-SHA1 signature. Written from X's documented wire format.

mod account;
mod auth;
mod authorize;
mod errors;
mod oauth;
mod signature;
mod tokens;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use actix_web::web;
use serde::Serialize;

use crate::Shared;
pub use errors::XError;

/// Mutable X-side state: request tokens waiting for the user, nonces seen, revoked tokens.
pub struct XState {
    key: String,
    request_tokens: Mutex<HashMap<String, authorize::RequestToken>>,
    nonces: Mutex<auth::Nonces>,
    revoked: Mutex<HashSet<String>>,
}

impl std::fmt::Debug for XState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XState").finish_non_exhaustive()
    }
}

impl XState {
    /// State whose access tokens are bound to `consumer_secret`.
    pub fn new(consumer_secret: &str) -> Self {
        Self {
            key: format!("adboard-sandbox-x-tokens:{consumer_secret}"),
            request_tokens: Mutex::default(),
            nonces: Mutex::default(),
            revoked: Mutex::default(),
        }
    }
}

/// An access token as `POST /oauth/access_token` (or the admin path) hands it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessGrant {
    /// `oauth_token`.
    pub oauth_token: String,
    /// `oauth_token_secret`.
    pub oauth_token_secret: String,
    /// The user's X id (`id_str`).
    pub user_id: String,
    /// The user's `screen_name`.
    pub screen_name: String,
}

/// Mints an access token for the test user `handle`; `None` for an unknown user.
pub fn mint_access(shared: &Shared, handle: &str) -> Option<AccessGrant> {
    let user = shared.config.user_by_handle(handle)?;
    let (oauth_token, oauth_token_secret) = tokens::mint(&shared.x.key, &user.x_id);
    Some(AccessGrant {
        oauth_token,
        oauth_token_secret,
        user_id: user.x_id.clone(),
        screen_name: user.x_screen_name.clone(),
    })
}

/// Mounts the X routes (under `/x`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/oauth/request_token", web::post().to(oauth::request_token))
        .service(
            web::resource(["/oauth/authorize", "/oauth/authenticate"])
                .route(web::get().to(authorize::show))
                .route(web::post().to(authorize::submit)),
        )
        .route("/oauth/access_token", web::post().to(oauth::access_token))
        .route(
            "/1.1/account/verify_credentials.json",
            web::get().to(account::verify_credentials),
        )
        .route(
            "/1.1/oauth/invalidate_token",
            web::post().to(oauth::invalidate_token),
        );
}

/// Any other path under `/x`: X's 404 (code 34).
pub async fn not_found() -> actix_web::HttpResponse {
    actix_web::ResponseError::error_response(&XError::NoSuchPage)
}
