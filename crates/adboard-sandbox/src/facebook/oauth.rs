//! `GET|POST /oauth/access_token`: code exchange (B4), long-lived exchange (B5), app tokens.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::auth::{self, Caller};
use super::errors::GraphError;
use super::json_ok;
use super::tokens::{LONG_LIVED_SECS, SHORT_LIVED_SECS, UserToken};
use crate::Shared;
use crate::config::FacebookApp;
use crate::params::Params;

/// The token endpoint; the grant is chosen by `grant_type` / `code`.
pub async fn access_token(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, GraphError> {
    let params = Params::from_request(&req, &body);
    let app = client(&shared, &params)?;
    let (now, now_ms) = super::now();
    let token = match params.non_empty("grant_type") {
        Some("fb_exchange_token") => {
            let short = params
                .non_empty("fb_exchange_token")
                .ok_or_else(|| GraphError::invalid_param("Missing fb_exchange_token parameter"))?;
            let Caller::User(t) = auth::check_token(&shared, short)? else {
                return Err(GraphError::invalid_token());
            };
            if t.app_id != app.app_id {
                return Err(GraphError::invalid_token());
            }
            UserToken {
                long_lived: true,
                issued_ms: now_ms,
                expires_at: now + LONG_LIVED_SECS,
                ..t
            }
        }
        Some("client_credentials") => {
            let body = json!({"access_token": format!("{}|{}", app.app_id, app.app_secret), "token_type": "bearer"});
            return Ok(json_ok(&req, &body));
        }
        Some("authorization_code") | None => exchange_code(&shared, &params, &app, now)?,
        Some(_) => return Err(GraphError::invalid_param("Unsupported grant_type")),
    };
    let expires_in = token.expires_at - now;
    let body = json!({"access_token": token.mint(&shared.token_key), "token_type": "bearer", "expires_in": expires_in});
    Ok(json_ok(&req, &body))
}

fn client(shared: &Shared, params: &Params) -> Result<FacebookApp, GraphError> {
    let app = params
        .non_empty("client_id")
        .and_then(|id| shared.config.app(id))
        .ok_or_else(GraphError::bad_client_id)?;
    let secret = params.non_empty("client_secret").unwrap_or("");
    let same: bool =
        subtle::ConstantTimeEq::ct_eq(secret.as_bytes(), app.app_secret.as_bytes()).into();
    if !same {
        return Err(GraphError::bad_client_secret());
    }
    Ok(app)
}

fn exchange_code(
    shared: &Shared,
    params: &Params,
    app: &FacebookApp,
    now: i64,
) -> Result<UserToken, GraphError> {
    let code = params
        .non_empty("code")
        .ok_or_else(GraphError::code_invalid)?;
    let redirect = params.get("redirect_uri").unwrap_or("");
    let mut codes = shared.facebook.codes.lock().expect("codes lock");
    let issued = codes.get_mut(code).ok_or_else(GraphError::code_invalid)?;
    if issued.used {
        return Err(GraphError::code_used());
    }
    if issued.expires_at <= now {
        return Err(GraphError::code_expired());
    }
    if issued.app_id != app.app_id || issued.redirect_uri != redirect {
        return Err(GraphError::code_mismatch());
    }
    issued.used = true;
    Ok(UserToken {
        user_id: issued.user_id.clone(),
        app_id: issued.app_id.clone(),
        long_lived: false,
        issued_ms: chrono::Utc::now().timestamp_millis(),
        expires_at: now + SHORT_LIVED_SECS,
        scopes: issued.scopes.clone(),
    })
}
