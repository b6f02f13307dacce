//! Secrets at rest (e.g. a team's Facebook token): AES-256-GCM in a versioned text format.
//!
//! Format: `v1.` + base64url(no padding) of `nonce (12 bytes) || ciphertext || tag (16 bytes)`.
//! Every value gets a fresh random 96-bit nonce. A `context` string (e.g. the owning team's id) is
//! authenticated as associated data, so a ciphertext copied onto another record fails to decrypt.

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{Aead, Generate, KeyInit, Nonce, Payload};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use secrecy::{ExposeSecret, SecretSlice, SecretString};

const VERSION: &str = "v1.";
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// Why a secret could not be encrypted or decrypted. Never carries the secret or the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CipherError {
    #[error("the encryption key must be exactly 32 bytes")]
    InvalidKey,
    #[error("unsupported ciphertext version")]
    UnsupportedVersion,
    #[error("malformed ciphertext")]
    Malformed,
    /// Wrong key, wrong context, or a tampered value.
    #[error("ciphertext failed authentication")]
    Unauthentic,
    #[error("the system random number generator failed")]
    Random,
    /// A key with fewer than 16 distinct bytes or made of one short pattern repeated (all
    /// zeros, `abab…`): a placeholder, not a secret. See [`crate::TokenKeyring`].
    #[error(
        "the encryption key is too predictable (a placeholder or a repeated pattern); \
         generate one with `openssl rand -base64 32`"
    )]
    WeakKey,
    /// A value sealed under a key the keyring does not hold (the key id is not secret).
    #[error(
        "no key with id {0} in the keyring: add the key it was sealed with to the old keys \
         (TOKEN_ENCRYPTION_OLD_KEYS) until its values are re-encrypted"
    )]
    UnknownKeyId(String),
}

/// Encrypts and decrypts secrets with one 32-byte key.
pub struct SecretCipher {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for SecretCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretCipher { .. }")
    }
}

impl SecretCipher {
    pub const KEY_LEN: usize = 32;

    /// A cipher over a raw 32-byte key.
    pub fn new(key: &[u8]) -> Result<Self, CipherError> {
        if key.len() != Self::KEY_LEN {
            return Err(CipherError::InvalidKey);
        }
        Aes256Gcm::new_from_slice(key)
            .map(|cipher| Self { cipher })
            .map_err(|_| CipherError::InvalidKey)
    }

    /// A cipher over a key given as base64 (standard or URL-safe alphabet), e.g. from an env var.
    pub fn from_base64(key: &SecretString) -> Result<Self, CipherError> {
        Self::new(decode_base64_key(key)?.expose_secret())
    }

    /// Encrypts `secret`, binding it to `context`.
    pub fn encrypt(&self, secret: &SecretString, context: &str) -> Result<String, CipherError> {
        let nonce = Nonce::<Aes256Gcm>::try_generate().map_err(|_| CipherError::Random)?;
        let payload = Payload {
            msg: secret.expose_secret().as_bytes(),
            aad: context.as_bytes(),
        };
        let sealed = self
            .cipher
            .encrypt(&nonce, payload)
            .map_err(|_| CipherError::Malformed)?;
        let mut bytes = Vec::with_capacity(NONCE_LEN + sealed.len());
        bytes.extend_from_slice(nonce.as_slice());
        bytes.extend_from_slice(&sealed);
        Ok(format!("{VERSION}{}", URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Decrypts a value made by [`SecretCipher::encrypt`] with the same key and context.
    pub fn decrypt(&self, ciphertext: &str, context: &str) -> Result<SecretString, CipherError> {
        let Some(body) = ciphertext.strip_prefix(VERSION) else {
            return Err(if ciphertext.starts_with('v') {
                CipherError::UnsupportedVersion
            } else {
                CipherError::Malformed
            });
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| CipherError::Malformed)?;
        if bytes.len() < NONCE_LEN + TAG_LEN {
            return Err(CipherError::Malformed);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::<Aes256Gcm>::try_from(nonce).map_err(|_| CipherError::Malformed)?;
        let plain = self
            .cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: sealed,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| CipherError::Unauthentic)?;
        String::from_utf8(plain)
            .map(SecretString::from)
            .map_err(|_| CipherError::Malformed)
    }
}

/// A key's bytes from base64 (standard or URL-safe alphabet, padding optional), wiped on drop.
pub(crate) fn decode_base64_key(key: &SecretString) -> Result<SecretSlice<u8>, CipherError> {
    let raw = key.expose_secret().trim();
    STANDARD
        .decode(raw)
        .or_else(|_| URL_SAFE_NO_PAD.decode(raw.trim_end_matches('=')))
        .map(SecretSlice::from)
        .map_err(|_| CipherError::InvalidKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher(byte: u8) -> SecretCipher {
        SecretCipher::new(&[byte; 32]).unwrap()
    }

    fn secret(raw: &str) -> SecretString {
        SecretString::from(raw.to_owned())
    }

    #[test]
    fn a_secret_round_trips_and_never_appears_in_the_ciphertext() {
        let sealed = cipher(1)
            .encrypt(&secret("EAAB-token-123"), "team:1")
            .unwrap();
        assert!(sealed.starts_with("v1."));
        assert!(!sealed.contains("EAAB"));
        assert_eq!(
            cipher(1)
                .decrypt(&sealed, "team:1")
                .unwrap()
                .expose_secret(),
            "EAAB-token-123"
        );
    }

    #[test]
    fn each_encryption_uses_a_fresh_nonce() {
        let c = cipher(1);
        let a = c.encrypt(&secret("same"), "ctx").unwrap();
        let b = c.encrypt(&secret("same"), "ctx").unwrap();
        assert_ne!(a, b);
        assert_ne!(a[3..19], b[3..19], "nonces differ");
    }

    #[test]
    fn a_wrong_key_or_context_fails_authentication() {
        let sealed = cipher(1).encrypt(&secret("token"), "team:1").unwrap();
        assert_eq!(
            cipher(2).decrypt(&sealed, "team:1").unwrap_err(),
            CipherError::Unauthentic
        );
        assert_eq!(
            cipher(1).decrypt(&sealed, "team:2").unwrap_err(),
            CipherError::Unauthentic
        );
    }

    #[test]
    fn a_tampered_ciphertext_fails_authentication() {
        let sealed = cipher(1).encrypt(&secret("token"), "ctx").unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(&sealed[3..]).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let tampered = format!("v1.{}", URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(
            cipher(1).decrypt(&tampered, "ctx").unwrap_err(),
            CipherError::Unauthentic
        );
    }

    #[test]
    fn unknown_versions_and_garbage_are_rejected() {
        let c = cipher(1);
        assert_eq!(
            c.decrypt("v2.AAAA", "ctx").unwrap_err(),
            CipherError::UnsupportedVersion
        );
        assert_eq!(
            c.decrypt("plaintext-token", "ctx").unwrap_err(),
            CipherError::Malformed
        );
        assert_eq!(
            c.decrypt("v1.!!!", "ctx").unwrap_err(),
            CipherError::Malformed
        );
        assert_eq!(
            c.decrypt("v1.AAAA", "ctx").unwrap_err(),
            CipherError::Malformed
        );
    }

    #[test]
    fn keys_must_be_32_bytes() {
        assert_eq!(
            SecretCipher::new(&[0; 16]).unwrap_err(),
            CipherError::InvalidKey
        );
        assert_eq!(
            SecretCipher::from_base64(&secret("not base64!")).unwrap_err(),
            CipherError::InvalidKey
        );
        let key = STANDARD.encode([7u8; 32]);
        assert!(SecretCipher::from_base64(&secret(&key)).is_ok());
        assert!(format!("{:?}", cipher(1)).contains(".."));
    }
}
