//! The token legs: `POST /oauth/request_token`, `POST /oauth/access_token` (form-encoded answers,
//! as X gives them) and `POST /1.1/oauth/invalidate_token`.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::auth::{access_secret, authenticate};
use super::errors::XError;
use super::{authorize, mint_access};
use crate::Shared;
use crate::params::Params;

fn form_ok(pairs: &[(&str, &str)]) -> HttpResponse {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    HttpResponse::Ok()
        .content_type("application/x-www-form-urlencoded")
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

/// A parameter from the OAuth header, else from the query or form body.
fn param(
    signed: &super::auth::Signed,
    req: &HttpRequest,
    body: &[u8],
    name: &str,
) -> Option<String> {
    signed
        .request
        .oauth(name)
        .map(str::to_owned)
        .or_else(|| Params::from_request(req, body).get(name).map(str::to_owned))
}

/// `POST /oauth/request_token`, signed with the consumer credentials alone; `oauth_callback` is
/// `oob` or a registered URL.
pub async fn request_token(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, XError> {
    let signed = authenticate(&shared, &req, &body, |token| match token {
        None => Ok(String::new()),
        Some(_) => Err(XError::CouldNotAuthenticate),
    })?;
    let callback =
        param(&signed, &req, &body, "oauth_callback").ok_or(XError::BadAuthenticationData)?;
    if callback != "oob" && !shared.config.x_callback_urls.contains(&callback) {
        return Err(XError::CallbackNotApproved);
    }
    let (token, secret) = authorize::issue(&shared, &callback);
    Ok(form_ok(&[
        ("oauth_token", &token),
        ("oauth_token_secret", &secret),
        ("oauth_callback_confirmed", "true"),
    ]))
}

/// `POST /oauth/access_token`, signed with the consumer and the authorised request token, with
/// `oauth_verifier`. The request token is spent by the first correctly signed attempt.
pub async fn access_token(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, XError> {
    let signed = authenticate(&shared, &req, &body, |token| {
        token
            .and_then(|t| authorize::authorised_secret(&shared, t))
            .ok_or(XError::InvalidToken)
    })?;
    let token = signed.token.clone().unwrap_or_default();
    let (_, verifier, handle) =
        authorize::take_authorised(&shared, &token).ok_or(XError::InvalidToken)?;
    let given = param(&signed, &req, &body, "oauth_verifier").unwrap_or_default();
    let same: bool = subtle::ConstantTimeEq::ct_eq(given.as_bytes(), verifier.as_bytes()).into();
    if !same {
        return Err(XError::InvalidVerifier);
    }
    let grant = mint_access(&shared, &handle).ok_or(XError::InvalidToken)?;
    Ok(form_ok(&[
        ("oauth_token", &grant.oauth_token),
        ("oauth_token_secret", &grant.oauth_token_secret),
        ("user_id", &grant.user_id),
        ("screen_name", &grant.screen_name),
    ]))
}

/// `POST /1.1/oauth/invalidate_token`, signed with the access token to revoke.
pub async fn invalidate_token(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, XError> {
    let signed = authenticate(&shared, &req, &body, |t| access_secret(&shared, t))?;
    let token = signed.token.unwrap_or_default();
    shared
        .x
        .revoked
        .lock()
        .expect("revoked lock")
        .insert(token.clone());
    Ok(HttpResponse::Ok().json(json!({ "access_token": token })))
}
