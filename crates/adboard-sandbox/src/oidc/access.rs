//! Access tokens beyond the code flow: RFC 7662 introspection at `/oidc/introspect` (for any
//! authenticated client, about any token, as a real provider answers a confidential client) and
//! the admin mint of an access token for any client, expired or not.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::token::{
    ACCESS_TTL_SECS, AccessGrant, audience_or_default, authenticate, grant_access, live_grant,
    oauth_error, unauthenticated,
};
use crate::Shared;
use crate::params::Params;
use crate::util::now;

/// What `POST /__sandbox/oidc/access_token` (or [`crate::RunningSandbox::access_token`]) mints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessTokenOptions {
    /// The client the token is issued to (introspection's `client_id` and `aud`); `None` = the
    /// first configured OIDC client. Any id works, registered or not.
    pub aud: Option<String>,
    /// Expired an hour ago: introspection says `active: false`, userinfo refuses it.
    pub expired: bool,
}

/// The scope an admin-minted access token carries.
const MINTED_SCOPE: &str = "openid email profile";

/// An access token for `handle` with scope `openid email profile`, as the token endpoint grants
/// one; `None` for an unknown user, an empty `aud`, or no `aud` and no OIDC client configured.
pub fn mint_access_token(
    shared: &Shared,
    handle: &str,
    options: &AccessTokenOptions,
) -> Option<String> {
    let user = shared.config.user_by_handle(handle)?;
    let client_id = audience_or_default(shared, options.aud.as_deref())?;
    let (now, _) = now();
    let issued_at = if options.expired { now - 7200 } else { now };
    Some(grant_access(
        shared,
        AccessGrant {
            handle: user.handle.clone(),
            client_id,
            scope: MINTED_SCOPE.into(),
            issued_at,
            expires_at: issued_at + ACCESS_TTL_SECS,
        },
    ))
}

/// `POST /oidc/introspect` (RFC 7662): client authentication as at the token endpoint, the form's
/// `token`; an unknown or expired token is `{"active": false}`.
pub async fn introspect(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let form = Params::from_request(&req, &body);
    if let Err(why) = authenticate(&shared, &req, &form) {
        return unauthenticated(why);
    }
    let Some(token) = form.non_empty("token") else {
        return oauth_error(400, "invalid_request", "the token parameter is required");
    };
    let answer = live_grant(&shared, token)
        .and_then(|g| Some((shared.config.user_by_handle(&g.handle)?, g)))
        .map_or_else(
            || json!({"active": false}),
            |(user, g)| {
                json!({
                    "active": true,
                    "client_id": g.client_id,
                    "aud": g.client_id,
                    "sub": user.oidc_subject,
                    "username": user.handle,
                    "scope": g.scope,
                    "token_type": "Bearer",
                    "iat": g.issued_at,
                    "exp": g.expires_at,
                    "iss": shared.oidc.issuer,
                })
            },
        );
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(answer)
}
