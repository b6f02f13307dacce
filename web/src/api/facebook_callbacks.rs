//! Facebook's platform callbacks (deauthorize, data deletion): checking the `signed_request`
//! Facebook posts (HMAC-SHA256 with our app secret, constant-time, algorithm `HMAC-SHA256`,
//! `issued_at` fresh, never used twice) and forgetting that Facebook user: their Facebook
//! identity, any connector tokens they granted, and — when that identity was the account's only
//! way in — the account's sessions and API tokens.

use std::time::Duration;

use adboard_domain::account::{IdentityKey, Provider};
use adboard_domain::connector::Platform;
use adboard_store::{DeletionCode, DeletionRequest, Store};
use base64::Engine as _;
use hmac::{Hmac, Mac as _};
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;
use sha2::Sha256;

use crate::auth::ConsumedStates;
use crate::error::AppError;

/// How old a signed_request may be (and how far in the future, for clock skew).
pub const MAX_AGE_SECS: i64 = 600;
const MAX_SKEW_SECS: i64 = 60;
/// The longest signed_request we look at (Facebook's are a few hundred bytes).
const MAX_LEN: usize = 8 * 1024;

/// What a checked signed_request says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// The app-scoped id of the Facebook user.
    pub user_id: String,
    pub issued_at: i64,
}

#[derive(Debug, Deserialize)]
struct Payload {
    algorithm: Option<String>,
    issued_at: Option<i64>,
    user_id: Option<serde_json::Value>,
}

fn refused(reason: &'static str) -> AppError {
    tracing::info!(reason, "signed_request refused");
    AppError::BadRequest(reason)
}

/// Base64url as Facebook writes it (padding optional).
fn decode(part: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()
}

/// Checks a `signed_request` (`<signature>.<payload>`, both base64url) against our app secret at
/// `now` (Unix seconds): the signature is HMAC-SHA256 of the payload text, compared in constant
/// time; the payload's `algorithm` must be `HMAC-SHA256`; `issued_at` within
/// [`MAX_AGE_SECS`]; `user_id` present. `seen` refuses one that was used before.
pub fn check(
    raw: &str,
    app_secret: &SecretString,
    now: i64,
    seen: &ConsumedStates,
) -> Result<SignedRequest, AppError> {
    if raw.is_empty() || raw.len() > MAX_LEN {
        return Err(refused("The signed_request is missing or too long."));
    }
    let (signature, payload_text) = raw
        .split_once('.')
        .ok_or_else(|| refused("The signed_request is not signed."))?;
    let signature = decode(signature)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| refused("The signed_request is not signed."))?;
    let payload_bytes =
        decode(payload_text).ok_or_else(|| refused("The signed_request is not well-formed."))?;
    let payload: Payload = serde_json::from_slice(&payload_bytes)
        .map_err(|_| refused("The signed_request is not well-formed."))?;
    if payload.algorithm.as_deref() != Some("HMAC-SHA256") {
        return Err(refused("The signed_request must use HMAC-SHA256."));
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.expose_secret().as_bytes())
        .map_err(AppError::unexpected)?;
    mac.update(payload_text.as_bytes());
    mac.verify_slice(&signature)
        .map_err(|_| refused("The signed_request's signature is not valid."))?;
    let issued_at = payload
        .issued_at
        .ok_or_else(|| refused("The signed_request has no issued_at."))?;
    if issued_at > now + MAX_SKEW_SECS || now - issued_at > MAX_AGE_SECS {
        return Err(refused(
            "The signed_request is too old (or from the future).",
        ));
    }
    let user_id = match payload.user_id {
        Some(serde_json::Value::String(id)) => id,
        Some(serde_json::Value::Number(id)) => id.to_string(),
        _ => return Err(refused("The signed_request names no user.")),
    };
    if user_id.is_empty() || user_id.len() > 64 || !user_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused("The signed_request names no user."));
    }
    let window = Duration::from_secs((MAX_AGE_SECS + MAX_SKEW_SECS) as u64);
    if !seen.consume(raw, window) {
        return Err(refused("This signed_request was already used."));
    }
    Ok(SignedRequest { user_id, issued_at })
}

/// What forgetting a Facebook user deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forgotten {
    pub identities: u32,
    pub connectors: u32,
}

/// Deletes what we hold about the Facebook user `user_id` of our app `app_id`: their Facebook
/// identity; every connector token they granted (any team); and, if that identity was their
/// account's only sign-in, the account's sessions and API tokens (nobody can use them any more).
/// The account itself, its name and its teams stay: other members rely on them, and the person
/// can still link another sign-in to it.
pub async fn forget_facebook_user(
    store: &dyn Store,
    app_id: &str,
    user_id: &str,
) -> Result<Forgotten, AppError> {
    let key = IdentityKey {
        provider: Provider::Facebook,
        issuer: app_id.to_owned(),
        subject: user_id.to_owned(),
    };
    let mut forgotten = Forgotten::default();
    if let Some((user, remaining)) = store.delete_identity(&key).await? {
        forgotten.identities = 1;
        if remaining == 0 {
            store.revoke_all_api_tokens(user).await?;
            for session in store.list_sessions(user).await? {
                store.end_session(user, &session.id).await?;
            }
        }
    }
    let teams = store
        .delete_connectors_granted_by(Platform::Facebook, user_id)
        .await?;
    forgotten.connectors = u32::try_from(teams.len()).unwrap_or(u32::MAX);
    tracing::info!(
        identities = forgotten.identities,
        connectors = forgotten.connectors,
        "forgot a Facebook user at Facebook's request"
    );
    Ok(forgotten)
}

/// Records a completed data-deletion request (nothing in it identifies the person) and returns
/// its confirmation code for the status page.
pub async fn record_deletion(
    store: &dyn Store,
    forgotten: Forgotten,
) -> Result<DeletionCode, AppError> {
    let now = chrono::Utc::now();
    let request = DeletionRequest {
        code: DeletionCode::new_random(),
        provider: Provider::Facebook,
        requested_at: now,
        completed_at: Some(now),
        identities_deleted: forgotten.identities,
        connectors_deleted: forgotten.connectors,
    };
    store.put_deletion_request(&request).await?;
    Ok(request.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "app-secret";

    fn sign(payload: &serde_json::Value, secret: &str) -> String {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = b64.encode(payload.to_string());
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(payload.as_bytes());
        format!("{}.{payload}", b64.encode(mac.finalize().into_bytes()))
    }

    fn payload(issued_at: i64) -> serde_json::Value {
        serde_json::json!({"algorithm": "HMAC-SHA256", "issued_at": issued_at, "user_id": "10215241773831025"})
    }

    fn run(raw: &str) -> Result<SignedRequest, AppError> {
        check(
            raw,
            &SecretString::from(SECRET),
            1_000_000,
            &ConsumedStates::default(),
        )
    }

    #[test]
    fn a_fresh_request_signed_with_our_secret_names_its_user_once() {
        let raw = sign(&payload(1_000_000 - 5), SECRET);
        let seen = ConsumedStates::default();
        let ok = check(&raw, &SecretString::from(SECRET), 1_000_000, &seen).unwrap();
        assert_eq!(ok.user_id, "10215241773831025");
        let again = check(&raw, &SecretString::from(SECRET), 1_000_000, &seen);
        assert!(matches!(again, Err(AppError::BadRequest(m)) if m.contains("already used")));
    }

    #[test]
    fn tampered_unsigned_foreign_stale_and_alg_none_requests_are_refused() {
        let good = sign(&payload(1_000_000), SECRET);
        let (sig, body) = good.split_once('.').unwrap();
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let other_user = b64.encode(
            serde_json::json!({"algorithm": "HMAC-SHA256", "issued_at": 1_000_000, "user_id": "42"})
                .to_string(),
        );
        let none =
            serde_json::json!({"algorithm": "none", "issued_at": 1_000_000, "user_id": "42"});
        let cases = [
            ("tampered payload", format!("{sig}.{other_user}")),
            ("no signature", format!(".{body}")),
            ("no dot", body.to_owned()),
            ("another app's secret", sign(&payload(1_000_000), "other")),
            (
                "stale",
                sign(&payload(1_000_000 - MAX_AGE_SECS - 1), SECRET),
            ),
            ("future", sign(&payload(1_000_000 + 3600), SECRET)),
            ("alg none", sign(&none, SECRET)),
            (
                "alg none unsigned",
                format!(".{}", b64.encode(none.to_string())),
            ),
            ("not base64", "!!!.???".to_owned()),
            ("empty", String::new()),
            ("huge", "a".repeat(MAX_LEN + 1)),
        ];
        for (what, raw) in cases {
            assert!(
                matches!(run(&raw), Err(AppError::BadRequest(_))),
                "{what} must be refused"
            );
        }
    }
}
