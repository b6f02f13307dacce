//! Sign-in providers: starting an authorization-code flow and verifying what comes back.
//!
//! A started sign-in ([`PendingLogin`]: state, PKCE verifier, nonce) lives in the encrypted
//! session, bound to the provider, expires after a TTL and is taken out on the first callback. In
//! addition every state is remembered server-side once consumed, so replaying an old cookie cannot
//! use it twice.
//!
//! Layering: this module sits above `session` (it keeps its pending sign-in in a session slot)
//! and below the routes; it never reaches the app state.

pub mod facebook;
pub mod oidc;
pub mod x;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_session::Session;
use adboard_domain::account::{EmailAddress, IdentityKey, Provider, UserName};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::error::AppError;
use crate::session;
use crate::tokens::ct_eq;

/// The session slot of the sign-in in progress.
const PENDING: &str = "pending_login";

/// Why the sign-in was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Intent {
    SignIn,
    /// Link another provider to the signed-in user.
    Link,
}

/// A started sign-in, kept in the encrypted session until the provider sends the user back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingLogin {
    pub provider: Provider,
    pub state: String,
    pub pkce_verifier: String,
    pub nonce: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// Already checked by `safe_next`.
    pub next: String,
    pub intent: Intent,
}

/// Where to send the browser, and what to remember meanwhile.
#[derive(Debug)]
pub struct LoginStart {
    pub redirect_to: url::Url,
    pub pending: PendingLogin,
}

/// What a provider vouched for.
#[derive(Debug, Clone)]
pub struct VerifiedIdentity {
    pub key: IdentityKey,
    /// Only a verified email is ever kept.
    pub email: Option<EmailAddress>,
    pub name: UserName,
}

/// The query string a provider sends back to the callback.
#[derive(Debug, Default, Deserialize)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// States already used, remembered until they would have expired anyway.
#[derive(Debug, Default)]
pub struct ConsumedStates {
    seen: Mutex<HashMap<[u8; 32], Instant>>,
}

impl ConsumedStates {
    /// Records `state` as used; `false` if it had been used before.
    pub fn consume(&self, state: &str, ttl: Duration) -> bool {
        let digest: [u8; 32] = Sha256::digest(state.as_bytes()).into();
        let now = Instant::now();
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        seen.retain(|_, expires| *expires > now);
        if seen.contains_key(&digest) {
            return false;
        }
        seen.insert(digest, now + ttl);
        true
    }
}

/// Checks a callback against the pending sign-in: same provider, state present and equal (constant
/// time), not expired, never used before; a provider error becomes a friendly refusal. Returns
/// the authorization code.
pub fn check_callback(
    provider: Provider,
    pending: Option<PendingLogin>,
    params: &CallbackParams,
    ttl: Duration,
    consumed: &ConsumedStates,
) -> Result<(PendingLogin, String), AppError> {
    let pending = pending.ok_or(AppError::SignInFailed(
        "this browser has no sign-in in progress (or it was already used).",
    ))?;
    if pending.provider != provider {
        return Err(AppError::SignInFailed(
            "the sign-in in progress was started with another provider.",
        ));
    }
    let state = params.state.as_deref().ok_or(AppError::SignInFailed(
        "the provider's answer carried no state.",
    ))?;
    if !ct_eq(state, &pending.state) {
        return Err(AppError::SignInFailed(
            "the provider's answer does not belong to this browser's sign-in.",
        ));
    }
    let age = chrono::Utc::now().timestamp() - pending.created_at;
    if age < 0 || age as u64 >= ttl.as_secs() {
        return Err(AppError::SignInFailed(
            "the sign-in took too long and expired.",
        ));
    }
    if !consumed.consume(state, ttl) {
        return Err(AppError::SignInFailed(
            "this sign-in answer was already used.",
        ));
    }
    if let Some(error) = params.error.as_deref() {
        return Err(AppError::ProviderRefused(provider_error_message(error)));
    }
    let code = params
        .code
        .clone()
        .filter(|c| !c.is_empty())
        .ok_or(AppError::SignInFailed(
            "the provider's answer carried no code.",
        ))?;
    Ok((pending, code))
}

fn provider_error_message(code: &str) -> &'static str {
    match code {
        "access_denied" => {
            "You cancelled the sign-in (or did not grant access) at the provider, so you are not signed in."
        }
        "login_required" | "interaction_required" | "consent_required" => {
            "The provider needs you to sign in or consent there first. Please try again."
        }
        "temporarily_unavailable" | "server_error" => {
            "The provider is having trouble right now. Please try again later."
        }
        _ => "The provider refused the sign-in.",
    }
}

/// The providers this app is configured with.
#[derive(Debug)]
pub struct Providers {
    pub oidc: Vec<oidc::OidcProvider>,
    pub facebook: Option<facebook::FacebookProvider>,
    /// X, for the JSON API only (no sign-in button).
    pub x: Option<x::XProvider>,
    pub consumed: ConsumedStates,
    /// How long a started sign-in stays valid.
    pub ttl: Duration,
}

impl Providers {
    /// Configured providers, in the order the login page lists them.
    pub fn configured(&self) -> Vec<Provider> {
        let mut list: Vec<Provider> = self.oidc.iter().map(oidc::OidcProvider::provider).collect();
        if self.facebook.is_some() {
            list.push(Provider::Facebook);
        }
        list
    }

    /// The OpenID provider configured as `provider` (Google, OIDC or the sandbox's), if any.
    pub fn oidc_provider(&self, provider: Provider) -> Option<&oidc::OidcProvider> {
        self.oidc.iter().find(|p| p.provider() == provider)
    }

    /// Parses a provider name from a URL; unknown or unconfigured → 404.
    pub fn parse(&self, raw: &str) -> Result<Provider, AppError> {
        Provider::parse(raw)
            .ok()
            .filter(|p| self.configured().contains(p))
            .ok_or(AppError::NotFound)
    }

    /// Starts a sign-in (or a link) with the provider named `raw_provider`: remembers it in the
    /// session and returns the provider URL to send the browser to. The caller checked CSRF.
    pub async fn begin(
        &self,
        session: &Session,
        raw_provider: &str,
        next: String,
        intent: Intent,
    ) -> Result<url::Url, AppError> {
        let provider = self.parse(raw_provider)?;
        let started = self.start(provider, next, intent).await?;
        session::insert(session, PENDING, &started.pending)?;
        Ok(started.redirect_to)
    }

    /// The sign-in in progress, taken out of the session (single use).
    pub fn take_pending(session: &Session) -> Option<PendingLogin> {
        session::take(session, PENDING)
    }

    async fn start(
        &self,
        provider: Provider,
        next: String,
        intent: Intent,
    ) -> Result<LoginStart, AppError> {
        match (provider, &self.facebook) {
            (Provider::Facebook, Some(facebook)) => facebook.start(next, intent),
            _ => {
                self.oidc_provider(provider)
                    .ok_or(AppError::NotFound)?
                    .start(next, intent)
                    .await
            }
        }
    }

    pub async fn finish(
        &self,
        code: String,
        pending: PendingLogin,
    ) -> Result<VerifiedIdentity, AppError> {
        match (pending.provider, &self.facebook) {
            (Provider::Facebook, Some(facebook)) => facebook.finish(code, pending).await,
            (provider, _) => {
                self.oidc_provider(provider)
                    .ok_or(AppError::NotFound)?
                    .finish(code, pending)
                    .await
            }
        }
    }
}

pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(state: &str) -> PendingLogin {
        PendingLogin {
            provider: Provider::Sandbox,
            state: state.into(),
            pkce_verifier: "v".into(),
            nonce: None,
            created_at: now_unix(),
            next: "/".into(),
            intent: Intent::SignIn,
        }
    }

    fn params(state: Option<&str>, code: Option<&str>, error: Option<&str>) -> CallbackParams {
        CallbackParams {
            state: state.map(Into::into),
            code: code.map(Into::into),
            error: error.map(Into::into),
        }
    }

    const TTL: Duration = Duration::from_secs(600);

    #[test]
    fn a_matching_state_yields_the_code_once() {
        let consumed = ConsumedStates::default();
        let ok = check_callback(
            Provider::Sandbox,
            Some(pending("s1")),
            &params(Some("s1"), Some("c"), None),
            TTL,
            &consumed,
        );
        assert_eq!(ok.unwrap().1, "c");
        let again = check_callback(
            Provider::Sandbox,
            Some(pending("s1")),
            &params(Some("s1"), Some("c"), None),
            TTL,
            &consumed,
        );
        assert!(matches!(again, Err(AppError::SignInFailed(_))));
    }

    #[test]
    fn a_state_for_another_provider_is_refused() {
        let consumed = ConsumedStates::default();
        let res = check_callback(
            Provider::Facebook,
            Some(pending("s")),
            &params(Some("s"), Some("c"), None),
            TTL,
            &consumed,
        );
        assert!(matches!(res, Err(AppError::SignInFailed(_))));
    }

    #[test]
    fn an_old_pending_sign_in_is_expired() {
        let mut old = pending("s");
        old.created_at -= 601;
        let res = check_callback(
            Provider::Sandbox,
            Some(old),
            &params(Some("s"), Some("c"), None),
            TTL,
            &ConsumedStates::default(),
        );
        assert!(matches!(res, Err(AppError::SignInFailed(_))));
    }
}
