//! Facebook user access tokens: self-contained, HMAC-signed, alphanumeric strings (`EAAS…`).
//!
//! Stateless so that tokens stored by the web app survive a sandbox restart; only revocations
//! (`DELETE /me/permissions`) are kept in memory.

use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "EAAS";

/// What a user token says about itself once its signature checks out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserToken {
    /// Facebook user id.
    pub user_id: String,
    /// App the token was issued to.
    pub app_id: String,
    /// Long-lived (≈ 60 days) rather than short-lived (≈ 2 hours).
    pub long_lived: bool,
    /// Issue time, unix milliseconds.
    pub issued_ms: i64,
    /// Expiry, unix seconds.
    pub expires_at: i64,
    /// Granted permissions.
    pub scopes: Vec<String>,
}

/// Seconds a short-lived token lives.
pub const SHORT_LIVED_SECS: i64 = 2 * 3600;
/// Seconds a long-lived token lives (what Facebook reports: ≈ 60 days).
pub const LONG_LIVED_SECS: i64 = 5_183_944;

impl UserToken {
    /// Encodes and signs the token with `key`.
    pub fn mint(&self, key: &str) -> String {
        let nonce: u64 = rand::random();
        let payload = format!(
            "{}|{}|{}|{}|{}|{}|{:x}",
            self.user_id,
            self.app_id,
            if self.long_lived { "L" } else { "S" },
            self.issued_ms,
            self.expires_at,
            self.scopes.join(","),
            nonce
        );
        let payload_hex = hex::encode(payload.as_bytes());
        let mac = hex::encode(&sign(key, &payload_hex)[..16]);
        format!("{PREFIX}{payload_hex}{mac}")
    }

    /// Decodes `token` if it is a sandbox token with a valid signature.
    pub fn parse(token: &str, key: &str) -> Option<Self> {
        let body = token.strip_prefix(PREFIX)?;
        if body.len() < 34 || !body.is_ascii() {
            return None;
        }
        let (payload_hex, mac_hex) = body.split_at(body.len() - 32);
        let mac = hex::decode(mac_hex).ok()?;
        let expected = sign(key, payload_hex);
        if !bool::from(subtle::ConstantTimeEq::ct_eq(
            &expected[..16],
            mac.as_slice(),
        )) {
            return None;
        }
        let payload = String::from_utf8(hex::decode(payload_hex).ok()?).ok()?;
        let parts: Vec<&str> = payload.split('|').collect();
        let [user_id, app_id, kind, issued, expires, scopes, _nonce] = parts.as_slice() else {
            return None;
        };
        Some(Self {
            user_id: (*user_id).to_owned(),
            app_id: (*app_id).to_owned(),
            long_lived: *kind == "L",
            issued_ms: issued.parse().ok()?,
            expires_at: expires.parse().ok()?,
            scopes: scopes
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }
}

fn sign(key: &str, payload: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(payload.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// `hex(HMAC_SHA256(app_secret, message))`, the appsecret_proof formula.
pub fn hmac_hex(secret: &str, message: &str) -> String {
    hex::encode(sign(secret, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> UserToken {
        UserToken {
            user_id: "1".into(),
            app_id: "app".into(),
            long_lived: true,
            issued_ms: 5,
            expires_at: 9,
            scopes: vec!["ads_read".into(), "email".into()],
        }
    }

    #[test]
    fn a_minted_token_parses_back_and_is_alphanumeric() {
        let minted = token().mint("k");
        assert!(minted.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(UserToken::parse(&minted, "k"), Some(token()));
    }

    #[test]
    fn a_token_signed_with_another_key_is_rejected() {
        let minted = token().mint("k");
        assert_eq!(UserToken::parse(&minted, "other"), None);
        assert_eq!(UserToken::parse("EAASdeadbeef", "k"), None);
    }
}
