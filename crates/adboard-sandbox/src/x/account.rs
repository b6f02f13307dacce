//! `GET /1.1/account/verify_credentials.json`: who the signed access token belongs to.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::auth::{access_secret, authenticate};
use super::errors::XError;
use crate::Shared;
use crate::params::Params;

/// X's boolean parameters accept `true`, `t` and `1`.
fn flag(p: &Params, name: &str) -> bool {
    matches!(p.get(name), Some("true" | "t" | "1"))
}

/// Answers `id` (a JSON number: beyond 2^53 for real X ids, hence `id_str`), `id_str`, `name`,
/// `screen_name`, and `email` only with `include_email=true`. `skip_status` is accepted; no
/// status is ever included.
pub async fn verify_credentials(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, XError> {
    let signed = authenticate(&shared, &req, &body, |t| access_secret(&shared, t))?;
    let user = signed
        .token
        .as_deref()
        .and_then(|t| super::tokens::user_id_of(&shared.x.key, t))
        .and_then(|id| shared.config.user_by_x_id(&id))
        .ok_or(XError::InvalidToken)?;
    let id: u64 = user.x_id.parse().map_err(|_| XError::InvalidToken)?;
    let mut out = json!({
        "id": id,
        "id_str": user.x_id,
        "name": user.name,
        "screen_name": user.x_screen_name,
    });
    if flag(&Params::from_request(&req, &[]), "include_email") {
        out["email"] = json!(user.email);
    }
    Ok(HttpResponse::Ok().json(out))
}
