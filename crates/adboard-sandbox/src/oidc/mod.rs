//! The OpenID Connect half of the sandbox: discovery, JWKS and the shared provider state.
//!
//! Signs id_tokens with a fixed RSA test key checked into the crate (`keys/oidc-test-key.pem`):
//! this is a sandbox, never a real identity provider.

mod access;
mod authorize;
mod token;

use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::{HttpResponse, web};
use jsonwebtoken::jwk::{Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

use crate::Shared;

pub use access::{AccessTokenOptions, mint_access_token};
pub use authorize::expire_code;
pub use token::{IdTokenOptions, mint_id_token};

/// The fixed sandbox signing key (PKCS#1 PEM). Public knowledge: do not trust it anywhere else.
pub const TEST_KEY_PEM: &str = include_str!("../../keys/oidc-test-key.pem");
/// `kid` of the test key.
pub const KEY_ID: &str = "adboard-sandbox-rs256-1";

/// Provider state: keys, pending sign-ins, codes and access tokens (with what they grant).
pub struct OidcState {
    issuer: String,
    key: EncodingKey,
    jwks: Value,
    pending: Mutex<HashMap<String, authorize::PendingAuth>>,
    codes: Mutex<HashMap<String, authorize::OidcCode>>,
    access_tokens: Mutex<HashMap<String, token::AccessGrant>>,
}

impl std::fmt::Debug for OidcState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcState")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl OidcState {
    /// Loads the test key and prepares the JWKS for `issuer`.
    pub fn new(issuer: &str) -> Result<Self, jsonwebtoken::errors::Error> {
        let key = EncodingKey::from_rsa_pem(TEST_KEY_PEM.as_bytes())?;
        let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256)?;
        jwk.common.key_id = Some(KEY_ID.into());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        let jwks = json!({ "keys": [jwk] });
        Ok(Self {
            issuer: issuer.to_owned(),
            key,
            jwks,
            pending: Mutex::default(),
            codes: Mutex::default(),
            access_tokens: Mutex::default(),
        })
    }
}

/// Mounts the provider under `/oidc`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/.well-known/openid-configuration",
        web::get().to(discovery),
    )
    .route("/jwks", web::get().to(jwks))
    .service(
        web::resource("/authorize")
            .route(web::get().to(authorize::show))
            .route(web::post().to(authorize::submit)),
    )
    .route("/token", web::post().to(token::token))
    .route("/introspect", web::post().to(access::introspect))
    .service(
        web::resource("/userinfo")
            .route(web::get().to(token::userinfo))
            .route(web::post().to(token::userinfo)),
    );
}

async fn discovery(shared: web::Data<Shared>) -> HttpResponse {
    let iss = &shared.oidc.issuer;
    HttpResponse::Ok().json(json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/authorize"),
        "token_endpoint": format!("{iss}/token"),
        "userinfo_endpoint": format!("{iss}/userinfo"),
        "introspection_endpoint": format!("{iss}/introspect"),
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "jwks_uri": format!("{iss}/jwks"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "email",
                             "email_verified", "name", "preferred_username"],
    }))
}

async fn jwks(shared: web::Data<Shared>) -> HttpResponse {
    HttpResponse::Ok().json(&shared.oidc.jwks)
}
