//! Who is calling the Graph API: access token lookup, `appsecret_proof`, faults and account access.

use actix_web::HttpRequest;
use actix_web::http::header::AUTHORIZATION;

use super::errors::GraphError;
use super::tokens::{UserToken, hmac_hex};
use crate::config::AdAccount;
use crate::params::Params;
use crate::{Shared, TestUser};

/// Magic token: always answers 190/463 (expired).
pub const MAGIC_EXPIRED_TOKEN: &str = "sandbox-expired-token";
/// Magic token: always answers 190/460 (session invalidated).
pub const MAGIC_INVALIDATED_TOKEN: &str = "sandbox-invalidated-token";

/// The authenticated caller of a Graph request.
#[derive(Debug, Clone)]
pub enum Caller {
    /// A user access token.
    User(UserToken),
    /// An app access token `app_id|app_secret`.
    App(String),
}

/// The access token of the request: `access_token` parameter or `Authorization: Bearer|OAuth`.
pub fn token_of(req: &HttpRequest, params: &Params) -> Option<String> {
    if let Some(t) = params.non_empty("access_token") {
        return Some(t.to_owned());
    }
    let header = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, value) = header.split_once(' ')?;
    let ok = scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth");
    (ok && !value.trim().is_empty()).then(|| value.trim().to_owned())
}

/// Checks a token string on its own (signature, expiry, revocation).
pub fn check_token(shared: &Shared, token: &str) -> Result<Caller, GraphError> {
    let (now, _) = super::now();
    match token {
        MAGIC_EXPIRED_TOKEN => {
            return Err(GraphError::expired_token(now - 3600, now));
        }
        MAGIC_INVALIDATED_TOKEN => return Err(GraphError::session_invalidated()),
        _ => {}
    }
    if let Some((app_id, secret)) = token.split_once('|') {
        return match shared.config.app(app_id) {
            Some(app) if app.app_secret == secret => Ok(Caller::App(app.app_id)),
            _ => Err(GraphError::invalid_token()),
        };
    }
    let user = UserToken::parse(token, &shared.token_key).ok_or_else(GraphError::invalid_token)?;
    if user.expires_at <= now {
        return Err(GraphError::expired_token(user.expires_at, now));
    }
    let revoked = shared.facebook.revoked.lock().expect("revoked lock");
    if let Some(at) = revoked.get(&(user.user_id.clone(), user.app_id.clone()))
        && user.issued_ms <= *at
    {
        return Err(GraphError::app_not_authorized(&user.app_id));
    }
    Ok(Caller::User(user))
}

/// The claims of a sandbox user token whether or not it is still valid (for `debug_token`).
pub fn token_claims(shared: &Shared, token: &str) -> Option<UserToken> {
    UserToken::parse(token, &shared.token_key)
}

/// Authenticates a Graph call: latency, token, `appsecret_proof`, then token faults.
pub async fn authenticate(
    shared: &Shared,
    req: &HttpRequest,
    params: &Params,
) -> Result<Caller, GraphError> {
    if !shared.config.graph_latency.is_zero() {
        tokio::time::sleep(shared.config.graph_latency).await;
    }
    let token = token_of(req, params).ok_or_else(GraphError::missing_token)?;
    let caller = check_token(shared, &token)?;
    if let Caller::User(user) = &caller {
        check_proof(shared, &user.app_id, &token, params)?;
    }
    Ok(caller)
}

fn check_proof(
    shared: &Shared,
    app_id: &str,
    token: &str,
    params: &Params,
) -> Result<(), GraphError> {
    let Some(app) = shared.config.app(app_id) else {
        return Err(GraphError::invalid_token());
    };
    let Some(proof) = params.non_empty("appsecret_proof") else {
        return if shared.config.require_appsecret_proof && app_id == shared.config.app_id {
            Err(GraphError::proof_missing())
        } else {
            Ok(())
        };
    };
    let expected = match params.non_empty("appsecret_time") {
        Some(time) => {
            let t: i64 = time.parse().map_err(|_| GraphError::proof_invalid())?;
            if (super::now().0 - t).abs() > 300 {
                return Err(GraphError::proof_invalid());
            }
            hmac_hex(&app.app_secret, &format!("{token}|{time}"))
        }
        None => hmac_hex(&app.app_secret, token),
    };
    let same: bool =
        subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), proof.to_ascii_lowercase().as_bytes())
            .into();
    if same {
        Ok(())
    } else {
        Err(GraphError::proof_invalid())
    }
}

/// The user behind a caller, if it is a user token of a known user.
pub fn user_of<'a>(shared: &'a Shared, caller: &Caller) -> Option<&'a TestUser> {
    match caller {
        Caller::User(t) => shared.config.user_by_facebook_id(&t.user_id),
        Caller::App(_) => None,
    }
}

/// Resolves `act_{id}` for the caller: ownership, magic accounts, `ads_read` permission.
pub fn account_for(shared: &Shared, caller: &Caller, node: &str) -> Result<AdAccount, GraphError> {
    let id = node
        .strip_prefix("act_")
        .ok_or_else(|| GraphError::unknown_object(node))?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(GraphError::unknown_object(node));
    }
    let Caller::User(token) = caller else {
        return Err(GraphError::unknown_object(node));
    };
    let owned = user_of(shared, caller)
        .and_then(|u| u.ad_accounts.iter().find(|a| a.account_id == id).cloned());
    let account = owned
        .or_else(|| super::faults::magic_account(id))
        .ok_or_else(|| GraphError::unknown_object(node))?;
    if !token
        .scopes
        .iter()
        .any(|s| s == "ads_read" || s == "ads_management")
    {
        return Err(GraphError::missing_user_permission());
    }
    Ok(account)
}
