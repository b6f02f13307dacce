//! Sandbox-only admin paths under `/__sandbox/`: mint tokens, set faults, expire codes, list users.

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
        .service(
            web::resource("/faults")
                .route(web::get().to(list_faults))
                .route(web::post().to(add_fault))
                .route(web::delete().to(clear_faults)),
        )
        .route("/codes/expire", web::post().to(expire_code))
        .route("/users", web::get().to(users));
}

/// Mints a long-lived token for the user `handle` (expired one hour ago when `expired`).
pub fn mint_for(
    shared: &Shared,
    handle: &str,
    expired: bool,
    scope: Option<&str>,
) -> Option<String> {
    let user = shared.config.user_by_handle(handle)?;
    let (now, now_ms) = crate::facebook::now();
    let token = UserToken {
        user_id: user.facebook_id.clone(),
        app_id: shared.config.app_id.clone(),
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
        scopes: scope
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
}

async fn token(shared: web::Data<Shared>, q: web::Query<TokenQuery>) -> HttpResponse {
    let expired = matches!(q.expired.as_deref(), Some("1" | "true"));
    match mint_for(&shared, &q.user, expired, q.scope.as_deref()) {
        Some(t) => {
            let expires_in = if expired { 0 } else { LONG_LIVED_SECS };
            let user_id = shared
                .config
                .user_by_handle(&q.user)
                .map(|u| u.facebook_id.clone());
            HttpResponse::Ok().json(json!({"access_token": t, "token_type": "bearer", "expires_in": expires_in, "user_id": user_id}))
        }
        None => {
            HttpResponse::NotFound().json(json!({"error": format!("no test user {:?}", q.user)}))
        }
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
                   "name": u.name, "email": u.email, "email_verified": u.email_verified, "ad_accounts": accounts})
        })
        .collect();
    HttpResponse::Ok().json(json!({ "users": users }))
}
