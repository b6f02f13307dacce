//! `/oidc/token` (code exchange with client auth and PKCE, RS256 id_token), the access-token
//! grants it records, `/oidc/userinfo`, and the admin mint of an id_token for any audience.

use actix_web::http::header::AUTHORIZATION;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, Header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{KEY_ID, authorize};
use crate::params::Params;
use crate::util::{now, random_alnum};
use crate::{Shared, TestUser};

pub(super) const ACCESS_TTL_SECS: i64 = 3600;

/// What an OIDC access token was granted: to whom, for which client and scope, until when.
#[derive(Debug, Clone)]
pub struct AccessGrant {
    pub(super) handle: String,
    pub(super) client_id: String,
    pub(super) scope: String,
    pub(super) issued_at: i64,
    pub(super) expires_at: i64,
}

/// Records a new access token for `grant` (forgetting expired ones) and returns it.
pub(super) fn grant_access(shared: &Shared, grant: AccessGrant) -> String {
    let access_token = random_alnum(43);
    let mut grants = shared.oidc.access_tokens.lock().expect("tokens lock");
    let (now, _) = now();
    grants.retain(|_, g| g.expires_at > now);
    grants.insert(access_token.clone(), grant);
    access_token
}

/// The grant of `token` if it is known and not expired.
pub(super) fn live_grant(shared: &Shared, token: &str) -> Option<AccessGrant> {
    let grants = shared.oidc.access_tokens.lock().expect("tokens lock");
    grants
        .get(token)
        .filter(|g| g.expires_at > now().0)
        .cloned()
}

pub(super) fn oauth_error(status: u16, error: &str, description: &str) -> HttpResponse {
    let mut resp = HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    );
    resp.insert_header(("Cache-Control", "no-store"));
    if status == 401 {
        resp.insert_header(("WWW-Authenticate", "Basic realm=\"adboard-sandbox\""));
    }
    resp.json(json!({"error": error, "error_description": description}))
}

/// Client credentials from `Authorization: Basic` (form-urlencoded parts) or the form body.
fn client_credentials(req: &HttpRequest, form: &Params) -> Option<(String, String)> {
    if let Some(basic) = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Basic "))
    {
        let decoded = String::from_utf8(STANDARD.decode(basic.trim()).ok()?).ok()?;
        let (id, secret) = decoded.split_once(':')?;
        let unescape = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
        };
        return Some((unescape(id)?, unescape(secret)?));
    }
    Some((
        form.non_empty("client_id")?.to_owned(),
        form.non_empty("client_secret")?.to_owned(),
    ))
}

pub(super) fn claims(user: &TestUser, scope: &str) -> serde_json::Map<String, Value> {
    let mut c = serde_json::Map::new();
    c.insert("sub".into(), json!(user.oidc_subject));
    if scope.split(' ').any(|s| s == "email") {
        c.insert("email".into(), json!(user.email));
        c.insert("email_verified".into(), json!(user.email_verified));
    }
    if scope.split(' ').any(|s| s == "profile") {
        c.insert("name".into(), json!(user.name));
        c.insert("preferred_username".into(), json!(user.handle));
    }
    c
}

/// The id of the registered client the request authenticates as (secret compared in constant
/// time), or why not (the description of an `invalid_client` answer, see [`unauthenticated`]).
pub(super) fn authenticate(
    shared: &Shared,
    req: &HttpRequest,
    form: &Params,
) -> Result<String, &'static str> {
    let (client_id, secret) =
        client_credentials(req, form).ok_or("client authentication is required")?;
    let client = shared.config.oidc_client(&client_id);
    let authenticated = client.is_some_and(|c| {
        bool::from(subtle::ConstantTimeEq::ct_eq(
            c.client_secret.as_bytes(),
            secret.as_bytes(),
        ))
    });
    if !authenticated {
        return Err("client authentication failed");
    }
    Ok(client_id)
}

/// The 401 `invalid_client` answer to a request [`authenticate`] refused.
pub(super) fn unauthenticated(why: &str) -> HttpResponse {
    oauth_error(401, "invalid_client", why)
}

/// `POST /oidc/token` with `grant_type=authorization_code`.
pub async fn token(shared: web::Data<Shared>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let form = Params::from_request(&req, &body);
    let client_id = match authenticate(&shared, &req, &form) {
        Ok(id) => id,
        Err(why) => return unauthenticated(why),
    };
    if form.get("grant_type") != Some("authorization_code") {
        return oauth_error(
            400,
            "unsupported_grant_type",
            "only authorization_code is supported",
        );
    }
    let code = form.non_empty("code").unwrap_or("");
    let redirect_uri = form.get("redirect_uri").unwrap_or("");
    let issued = match authorize::take_code(&shared, code, &client_id, redirect_uri) {
        Ok(c) => c,
        Err(why) => return oauth_error(400, "invalid_grant", why),
    };
    if let Some(challenge) = &issued.code_challenge {
        let verifier = form.non_empty("code_verifier").unwrap_or("");
        let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        if verifier.is_empty() || computed != *challenge {
            return oauth_error(400, "invalid_grant", "PKCE verification failed");
        }
    }
    let Some(user) = shared.config.user_by_handle(&issued.handle) else {
        return oauth_error(400, "invalid_grant", "unknown user");
    };
    let (now, _) = now();
    let mut c = claims(user, &issued.scope);
    c.insert("iss".into(), json!(shared.oidc.issuer));
    c.insert("aud".into(), json!(client_id));
    c.insert("azp".into(), json!(client_id));
    c.insert("iat".into(), json!(now));
    c.insert("exp".into(), json!(now + ACCESS_TTL_SECS));
    c.insert("auth_time".into(), json!(issued.auth_time));
    if let Some(nonce) = &issued.nonce {
        c.insert("nonce".into(), json!(nonce));
    }
    let id_token = match sign(&shared, &c) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "signing the id_token failed");
            return oauth_error(500, "server_error", "could not sign the id_token");
        }
    };
    let access_token = grant_access(
        &shared,
        AccessGrant {
            handle: user.handle.clone(),
            client_id: client_id.clone(),
            scope: issued.scope.clone(),
            issued_at: now,
            expires_at: now + ACCESS_TTL_SECS,
        },
    );
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": ACCESS_TTL_SECS,
            "id_token": id_token,
            "scope": issued.scope,
        }))
}

/// Signs id_token claims with the provider's key (RS256, `kid` [`KEY_ID`]).
fn sign(
    shared: &Shared,
    claims: &serde_json::Map<String, Value>,
) -> Result<String, jsonwebtoken::errors::Error> {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(KEY_ID.into());
    jsonwebtoken::encode(&header, claims, &shared.oidc.key)
}

/// The client an admin-minted token is for: `aud`, or the first configured OIDC client's id;
/// `None` for an empty `aud` or none at all.
pub(super) fn audience_or_default(shared: &Shared, aud: Option<&str>) -> Option<String> {
    match aud {
        Some("") => None,
        Some(aud) => Some(aud.to_owned()),
        None => Some(shared.config.oidc_clients.first()?.client_id.clone()),
    }
}

/// What `POST /__sandbox/oidc/id_token` (or [`crate::RunningSandbox::id_token`]) mints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdTokenOptions {
    /// `aud` (and `azp`); `None` = the first configured OIDC client's id.
    pub aud: Option<String>,
    /// `exp` an hour in the past (`iat` and `auth_time` two hours back).
    pub expired: bool,
    /// `nonce` claim, if any.
    pub nonce: Option<String>,
}

/// An id_token for `handle` as the token endpoint would sign it for scope `openid email profile`,
/// for any audience; `None` for an unknown user or no audience at all.
pub fn mint_id_token(shared: &Shared, handle: &str, options: &IdTokenOptions) -> Option<String> {
    let user = shared.config.user_by_handle(handle)?;
    let aud = audience_or_default(shared, options.aud.as_deref())?;
    let (now, _) = now();
    let iat = if options.expired { now - 7200 } else { now };
    let mut c = claims(user, "openid email profile");
    c.insert("iss".into(), json!(shared.oidc.issuer));
    c.insert("aud".into(), json!(aud));
    c.insert("azp".into(), json!(aud));
    c.insert("iat".into(), json!(iat));
    c.insert("exp".into(), json!(iat + ACCESS_TTL_SECS));
    c.insert("auth_time".into(), json!(iat));
    if let Some(nonce) = &options.nonce {
        c.insert("nonce".into(), json!(nonce));
    }
    match sign(shared, &c) {
        Ok(t) => Some(t),
        Err(e) => {
            tracing::error!(error = %e, "signing the id_token failed");
            None
        }
    }
}

/// `GET|POST /oidc/userinfo` with `Authorization: Bearer`.
pub async fn userinfo(shared: web::Data<Shared>, req: HttpRequest) -> HttpResponse {
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim);
    let grant = token.and_then(|t| live_grant(&shared, t));
    let found = grant.and_then(|g| Some((shared.config.user_by_handle(&g.handle)?, g.scope)));
    match found {
        Some((user, scope)) => HttpResponse::Ok().json(Value::Object(claims(user, &scope))),
        None => HttpResponse::Unauthorized()
            .insert_header(("WWW-Authenticate", "Bearer error=\"invalid_token\""))
            .json(json!({"error": "invalid_token"})),
    }
}
