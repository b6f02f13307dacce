//! The JSON API for smartphone apps, between `routes/api.rs` and the providers/store: what a body
//! with a provider's token must look like, asking that provider who the token belongs to (and
//! that it was issued to OUR app), finding the user it is linked to (linking is
//! `accounts::link`, as for the web). API bearer tokens live
//! in `tokens`; Facebook's deauthorize / data-deletion callbacks in `facebook_callbacks`.

pub mod facebook_callbacks;
pub mod tokens;

use std::net::IpAddr;

use adboard_domain::account::Provider;
use adboard_store::{Store, User};
use secrecy::SecretString;
use serde::Deserialize;

use crate::auth::{ConsumedStates, Providers, VerifiedIdentity};
use crate::error::AppError;

/// What the API keeps in memory: refused attempts per address, used signed_requests; and how
/// to tell a caller's address.
#[derive(Debug, Default)]
pub struct ApiGuards {
    pub failures: tokens::FailureLimiter,
    pub signed_requests: ConsumedStates,
    /// Count the last `X-Forwarded-For` address (behind a trusted proxy) instead of the peer.
    pub trust_x_forwarded_for: bool,
}

impl ApiGuards {
    /// The caller's address for the failure limiter: the TCP peer, or — behind a trusted proxy
    /// that appends it — the last `X-Forwarded-For` entry (earlier entries are the client's own
    /// claims and can be forged).
    pub fn client_ip(&self, peer: Option<IpAddr>, forwarded_for: Option<&str>) -> IpAddr {
        let forwarded = self
            .trust_x_forwarded_for
            .then_some(forwarded_for)
            .flatten()
            .and_then(|list| list.rsplit(',').next())
            .and_then(|last| last.trim().parse().ok());
        forwarded.or(peer).unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }
}

/// The longest provider token (or secret) we pass on: real ones are well under 2 KB.
pub const MAX_TOKEN_LEN: usize = 4096;

/// The body of `/api/auth/{provider}` and `/api/associate/{provider}`: `access_token` (Facebook;
/// with `access_token_secret` for X's OAuth 1.0a), or `id_token` or `access_token` (Google, OpenID
/// Connect, the sandbox's OpenID provider; the id_token wins if both are sent). Unknown fields
/// are ignored.
#[derive(Debug, Default, Deserialize)]
pub struct ProviderTokenBody {
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub access_token_secret: Option<String>,
    #[serde(default)]
    pub id_token: Option<String>,
}

/// A field of the body, checked: present, not blank, at most [`MAX_TOKEN_LEN`] bytes, and
/// printable ASCII without spaces (every provider's tokens are).
fn token_field(value: Option<&str>, missing: &'static str) -> Result<SecretString, AppError> {
    let value = value.ok_or(AppError::InvalidProviderToken(missing))?;
    if value.is_empty() {
        return Err(AppError::InvalidProviderToken(missing));
    }
    if value.len() > MAX_TOKEN_LEN {
        return Err(AppError::InvalidProviderToken(
            "the token is longer than any provider issues (4096 bytes at most).",
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::InvalidProviderToken(
            "the token contains characters no provider uses.",
        ));
    }
    Ok(SecretString::from(value.to_owned()))
}

/// Asks `provider` who the body's token belongs to. Facebook: `debug_token` (valid, issued to our
/// app id, not expired) then `/me`; Google/OIDC/sandbox: the id_token's signature, issuer,
/// expiry and audience (our allow-list), or else the access token's introspection (Google: its
/// tokeninfo) and userinfo; X: `verify_credentials` signed with our consumer key.
/// An unknown or unconfigured provider is [`AppError::NotFound`].
pub async fn verify(
    providers: &Providers,
    raw_provider: &str,
    body: &ProviderTokenBody,
) -> Result<VerifiedIdentity, AppError> {
    let provider = Provider::parse(raw_provider).map_err(|_| AppError::NotFound)?;
    match provider {
        Provider::Facebook => {
            let facebook = providers.facebook.as_ref().ok_or(AppError::NotFound)?;
            let token = token_field(
                body.access_token.as_deref(),
                "send the Facebook user access token as `access_token`.",
            )?;
            facebook.verify_user_token(&token).await
        }
        Provider::X => {
            let x = providers.x.as_ref().ok_or(AppError::NotFound)?;
            let token = token_field(
                body.access_token.as_deref(),
                "send the X access token as `access_token`.",
            )?;
            let secret = token_field(
                body.access_token_secret.as_deref(),
                "send the X access token secret as `access_token_secret`.",
            )?;
            x.verify(&token, &secret).await
        }
        Provider::Google | Provider::Oidc | Provider::Sandbox => {
            let oidc = providers
                .oidc_provider(provider)
                .ok_or(AppError::NotFound)?;
            if body.id_token.is_none()
                && let Some(access_token) = body.access_token.as_deref()
            {
                let access_token = token_field(
                    Some(access_token),
                    "send the provider's access token as `access_token`.",
                )?;
                return oidc.verify_api_access_token(&access_token).await;
            }
            let id_token = token_field(
                body.id_token.as_deref(),
                "send the provider's id_token as `id_token` (or its access token as \
                 `access_token`).",
            )?;
            oidc.verify_api_id_token(secrecy::ExposeSecret::expose_secret(&id_token))
                .await
        }
    }
}

/// The user linked to the verified identity; [`AppError::UserNotFound`] if there is none (the API
/// never creates accounts: people sign up on the web).
pub async fn user_for(store: &dyn Store, verified: &VerifiedIdentity) -> Result<User, AppError> {
    store
        .find_user_by_identity(&verified.key)
        .await?
        .ok_or(AppError::UserNotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy_and_only_the_last_one() {
        let peer = Some(IpAddr::from([127, 0, 0, 1]));
        let header = Some("6.6.6.6, 203.0.113.9");
        let direct = ApiGuards::default();
        assert_eq!(direct.client_ip(peer, header), IpAddr::from([127, 0, 0, 1]));
        let proxied = ApiGuards {
            trust_x_forwarded_for: true,
            ..ApiGuards::default()
        };
        assert_eq!(
            proxied.client_ip(peer, header),
            IpAddr::from([203, 0, 113, 9])
        );
        assert_eq!(
            proxied.client_ip(peer, Some("nonsense")),
            IpAddr::from([127, 0, 0, 1])
        );
        assert_eq!(proxied.client_ip(peer, None), IpAddr::from([127, 0, 0, 1]));
    }

    #[test]
    fn token_fields_must_be_present_short_and_printable() {
        assert!(token_field(None, "m").is_err());
        assert!(token_field(Some(""), "m").is_err());
        assert!(token_field(Some(&"a".repeat(MAX_TOKEN_LEN + 1)), "m").is_err());
        assert!(token_field(Some("with space"), "m").is_err());
        assert!(token_field(Some("tab\there"), "m").is_err());
        assert!(token_field(Some("é"), "m").is_err());
        assert!(token_field(Some(&"a".repeat(MAX_TOKEN_LEN)), "m").is_ok());
        assert!(token_field(Some("EAAB.x-y_z|1"), "m").is_ok());
    }
}
