//! Sandbox-only admin paths under `/__sandbox/`: mint tokens (Facebook, X, OIDC id_tokens and
//! access tokens), set faults, expire codes, list users.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use crate::Shared;
use crate::facebook::faults::FaultRule;
use crate::facebook::tokens::{LONG_LIVED_SECS, UserToken};

/// Scopes of an admin-minted token unless `scope` says otherwise.
pub const DEFAULT_SCOPES: &str = "ads_read,email,public_profile";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/token", web::post().to(token))
        .route("/x/token", web::post().to(x_token))
        .route("/oidc/id_token", web::post().to(id_token))
        .route("/oidc/access_token", web::post().to(access_token))
        .service(
            web::resource("/faults")
                .route(web::get().to(list_faults))
                .route(web::post().to(add_fault))
                .route(web::delete().to(clear_faults)),
        )
        .route("/codes/expire", web::post().to(expire_code))
        .route("/users", web::get().to(users));
}

/// What `POST /__sandbox/token` (or [`crate::RunningSandbox::user_token_with`]) mints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenOptions {
    /// Expired one hour ago (`expired=1`).
    pub expired: bool,
    /// Comma-separated permissions (`scope=`; empty = none at all). `None` = [`DEFAULT_SCOPES`].
    pub scope: Option<String>,
    /// The app the token is issued to (`app_id=`; letters, digits, `_`, `-`, `.`). `None` = the
    /// sandbox's app. Any id works, registered or not: tokens of another app are what a client
    /// must refuse.
    pub app_id: Option<String>,
}

/// Whether `app_id` can be carried by a token (the token format separates fields with `|`).
fn valid_app_id(app_id: &str) -> bool {
    !app_id.is_empty()
        && app_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Mints a long-lived token for the user `handle`; `None` for an unknown user or a bad app id.
pub fn mint_for(shared: &Shared, handle: &str, options: &TokenOptions) -> Option<String> {
    let user = shared.config.user_by_handle(handle)?;
    let app_id = options.app_id.as_deref().unwrap_or(&shared.config.app_id);
    if !valid_app_id(app_id) {
        return None;
    }
    let expired = options.expired;
    let (now, now_ms) = crate::facebook::now();
    let token = UserToken {
        user_id: user.facebook_id.clone(),
        app_id: app_id.to_owned(),
        long_lived: true,
        issued_ms: if expired {
            now_ms - 2 * LONG_LIVED_SECS * 1000
        } else {
            now_ms
        },
        expires_at: if expired {
            now - 3600
        } else {
            now + LONG_LIVED_SECS
        },
        scopes: options
            .scope
            .as_deref()
            .unwrap_or(DEFAULT_SCOPES)
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    Some(token.mint(&shared.token_key))
}

#[derive(Debug, Deserialize)]
struct TokenQuery {
    user: String,
    #[serde(default)]
    expired: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    app_id: Option<String>,
}

async fn token(shared: web::Data<Shared>, q: web::Query<TokenQuery>) -> HttpResponse {
    let q = q.into_inner();
    let Some(user) = shared.config.user_by_handle(&q.user) else {
        return no_user(&q.user);
    };
    let options = TokenOptions {
        expired: matches!(q.expired.as_deref(), Some("1" | "true")),
        scope: q.scope,
        app_id: q.app_id,
    };
    let Some(t) = mint_for(&shared, &q.user, &options) else {
        return HttpResponse::BadRequest()
            .json(json!({"error": "app_id: letters, digits, `_`, `-` and `.` only"}));
    };
    let expires_in = if options.expired { 0 } else { LONG_LIVED_SECS };
    let app_id = options.app_id.as_deref().unwrap_or(&shared.config.app_id);
    HttpResponse::Ok().json(
        json!({"access_token": t, "token_type": "bearer", "expires_in": expires_in,
        "user_id": user.facebook_id, "app_id": app_id}),
    )
}

fn no_user(handle: &str) -> HttpResponse {
    HttpResponse::NotFound().json(json!({"error": format!("no test user {handle:?}")}))
}

#[derive(Debug, Deserialize)]
struct UserQuery {
    user: String,
}

/// `POST /__sandbox/x/token?user=alice` → `{oauth_token, oauth_token_secret, user_id, screen_name}`.
async fn x_token(shared: web::Data<Shared>, q: web::Query<UserQuery>) -> HttpResponse {
    match crate::x::mint_access(&shared, &q.user) {
        Some(grant) => HttpResponse::Ok().json(grant),
        None => no_user(&q.user),
    }
}

#[derive(Debug, Deserialize)]
struct IdTokenQuery {
    user: String,
    #[serde(default)]
    aud: Option<String>,
    #[serde(default)]
    expired: Option<String>,
    #[serde(default)]
    nonce: Option<String>,
}

/// `POST /__sandbox/oidc/id_token?user=alice[&aud=…][&expired=1][&nonce=…]` → `{"id_token": …}`.
async fn id_token(shared: web::Data<Shared>, q: web::Query<IdTokenQuery>) -> HttpResponse {
    let q = q.into_inner();
    if shared.config.user_by_handle(&q.user).is_none() {
        return no_user(&q.user);
    }
    let options = crate::oidc::IdTokenOptions {
        aud: q.aud,
        expired: matches!(q.expired.as_deref(), Some("1" | "true")),
        nonce: q.nonce,
    };
    match crate::oidc::mint_id_token(&shared, &q.user, &options) {
        Some(t) => HttpResponse::Ok().json(json!({ "id_token": t })),
        None => HttpResponse::BadRequest().json(
            json!({"error": "aud: give a non-empty audience (no OIDC client is configured)"}),
        ),
    }
}

#[derive(Debug, Deserialize)]
struct AccessTokenQuery {
    user: String,
    #[serde(default)]
    aud: Option<String>,
    #[serde(default)]
    expired: Option<String>,
}

/// `POST /__sandbox/oidc/access_token?user=alice[&aud=…][&expired=1]` → `{"access_token", …}`.
async fn access_token(shared: web::Data<Shared>, q: web::Query<AccessTokenQuery>) -> HttpResponse {
    let q = q.into_inner();
    if shared.config.user_by_handle(&q.user).is_none() {
        return no_user(&q.user);
    }
    let options = crate::oidc::AccessTokenOptions {
        aud: q.aud,
        expired: matches!(q.expired.as_deref(), Some("1" | "true")),
    };
    match crate::oidc::mint_access_token(&shared, &q.user, &options) {
        Some(t) => HttpResponse::Ok().json(json!({
            "access_token": t,
            "token_type": "Bearer",
            "expires_in": if options.expired { 0 } else { 3600 },
        })),
        None => HttpResponse::BadRequest().json(
            json!({"error": "aud: give a non-empty client id (no OIDC client is configured)"}),
        ),
    }
}

async fn list_faults(shared: web::Data<Shared>) -> HttpResponse {
    let faults = shared.facebook.faults.lock().expect("faults lock");
    HttpResponse::Ok().json(json!({ "faults": faults.rules() }))
}

async fn add_fault(shared: web::Data<Shared>, rule: web::Json<FaultRule>) -> HttpResponse {
    shared
        .facebook
        .faults
        .lock()
        .expect("faults lock")
        .add(rule.into_inner());
    list_faults(shared).await
}

async fn clear_faults(shared: web::Data<Shared>) -> HttpResponse {
    shared.facebook.faults.lock().expect("faults lock").clear();
    HttpResponse::NoContent().finish()
}

#[derive(Debug, Deserialize)]
struct CodeQuery {
    code: String,
}

async fn expire_code(shared: web::Data<Shared>, q: web::Query<CodeQuery>) -> HttpResponse {
    let found = crate::facebook::dialog::expire_code(&shared, &q.code)
        || crate::oidc::expire_code(&shared, &q.code);
    if found {
        HttpResponse::NoContent().finish()
    } else {
        HttpResponse::NotFound().finish()
    }
}

async fn users(shared: web::Data<Shared>) -> HttpResponse {
    let users: Vec<_> = shared
        .config
        .users
        .iter()
        .map(|u| {
            let accounts: Vec<_> = u
                .ad_accounts
                .iter()
                .map(|a| json!({"id": format!("act_{}", a.account_id), "name": a.name, "currency": a.currency, "timezone_name": a.timezone_name}))
                .collect();
            json!({"handle": u.handle, "facebook_id": u.facebook_id, "oidc_subject": u.oidc_subject,
                   "x_id": u.x_id, "x_screen_name": u.x_screen_name,
                   "name": u.name, "email": u.email, "email_verified": u.email_verified, "ad_accounts": accounts})
        })
        .collect();
    HttpResponse::Ok().json(json!({ "users": users }))
}
