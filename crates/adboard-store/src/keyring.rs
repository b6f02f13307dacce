//! Provider tokens at rest: a keyring of [`SecretCipher`]s (one current key, older ones kept for
//! reading) and the [`SealedToken`] it produces, tagged with the id of the key that sealed it.
//!
//! A key's id is the first 8 hex characters of the SHA-256 of its raw 32 bytes, so keys need no
//! configured names: `TOKEN_ENCRYPTION_KEY` is the current key, `TOKEN_ENCRYPTION_OLD_KEYS` (comma
//! separated) the ones still needed to read older values, and each stored value says which one
//! sealed it. Rotating = make the new key current, list the old one, run
//! [`crate::reencrypt_connector_tokens`], then drop the old key. The id reveals 32 bits of a hash
//! of the key, which says nothing usable about the key itself.

use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::cipher::{CipherError, SecretCipher, decode_base64_key};

/// The fewest distinct byte values a key may have: a random 32-byte key has about 30, a
/// placeholder (`0000…`, `abab…`) a handful.
const MIN_DISTINCT_BYTES: usize = 16;

/// A token as stored: the ciphertext ([`SecretCipher`]'s `v1.…` text) and the id of the key that
/// sealed it. Holds nothing secret without the key, so it may be printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedToken {
    /// Which key sealed it: the first 8 hex characters of the SHA-256 of that key.
    pub key_id: String,
    /// `v1.` + base64url(nonce ‖ ciphertext ‖ tag), bound to a context (see [`connector_context`]).
    pub ciphertext: String,
}

/// The current token key plus the older keys still needed to read values sealed before a
/// rotation. [`TokenKeyring::seal`] always uses the current key; [`TokenKeyring::open`] picks the
/// key by the value's id. Debug prints key ids only.
pub struct TokenKeyring {
    /// `keys[0]` is the current key.
    keys: Vec<(String, SecretCipher)>,
}

impl std::fmt::Debug for TokenKeyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeyring")
            .field("current", &self.current_key_id())
            .field(
                "old",
                &self.keys[1..].iter().map(|k| &k.0).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl TokenKeyring {
    /// A keyring over raw 32-byte keys: `current` seals, `old` only open. Each key is refused if
    /// it is empty or not 32 bytes ([`CipherError::InvalidKey`]) or too predictable
    /// ([`CipherError::WeakKey`]: fewer than 16 distinct bytes, or one pattern of at most half
    /// the key's length repeated).
    pub fn new(current: &[u8], old: &[&[u8]]) -> Result<Self, CipherError> {
        let keys = std::iter::once(current)
            .chain(old.iter().copied())
            .map(|key| {
                if !key.is_empty() && is_weak_key(key) {
                    return Err(CipherError::WeakKey);
                }
                Ok((key_id(key), SecretCipher::new(key)?))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { keys })
    }

    /// The same from base64 text (standard or URL-safe alphabet), as `TOKEN_ENCRYPTION_KEY` and
    /// each entry of `TOKEN_ENCRYPTION_OLD_KEYS` hold them. Splitting the list is the caller's.
    pub fn from_base64(current: &SecretString, old: &[SecretString]) -> Result<Self, CipherError> {
        let current = decode_base64_key(current)?;
        let old = old
            .iter()
            .map(decode_base64_key)
            .collect::<Result<Vec<_>, _>>()?;
        let old: Vec<&[u8]> = old.iter().map(|k| k.expose_secret()).collect();
        Self::new(current.expose_secret(), &old)
    }

    /// The id of the key new values are sealed with.
    pub fn current_key_id(&self) -> &str {
        &self.keys[0].0
    }

    /// Every key id, the current one first.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.0.as_str())
    }

    /// Encrypts `token` with the current key, bound to `context`.
    pub fn seal(&self, token: &SecretString, context: &str) -> Result<SealedToken, CipherError> {
        let (key_id, cipher) = &self.keys[0];
        Ok(SealedToken {
            key_id: key_id.clone(),
            ciphertext: cipher.encrypt(token, context)?,
        })
    }

    /// Decrypts a sealed token with the key its id names and the same `context` it was sealed
    /// with. [`CipherError::UnknownKeyId`] if no key here has that id;
    /// [`CipherError::Unauthentic`] for another context or a tampered value.
    pub fn open(&self, sealed: &SealedToken, context: &str) -> Result<SecretString, CipherError> {
        // Two different keys share an id with probability 2^-32; trying each match costs nothing.
        let mut last = CipherError::UnknownKeyId(sealed.key_id.clone());
        for (_, cipher) in self.keys.iter().filter(|k| k.0 == sealed.key_id) {
            match cipher.decrypt(&sealed.ciphertext, context) {
                Ok(token) => return Ok(token),
                Err(err) => last = err,
            }
        }
        Err(last)
    }

    /// True if `sealed` was sealed with the current key (nothing to re-encrypt).
    pub fn is_current(&self, sealed: &SealedToken) -> bool {
        sealed.key_id == self.current_key_id()
    }
}

/// The associated data a connector's token is sealed with: binds the ciphertext to one team and
/// one platform, so a value copied onto another team's (or platform's) record does not decrypt.
pub fn connector_context(team: TeamId, platform: Platform) -> String {
    format!("connector:{team}:{platform}")
}

/// First 8 hex characters of the SHA-256 of the raw key.
fn key_id(key: &[u8]) -> String {
    hex::encode(&Sha256::digest(key)[..4])
}

/// Fewer than [`MIN_DISTINCT_BYTES`] distinct bytes, or one pattern of at most half the key's
/// length repeated (`abab…`, a 16-byte block twice). The one weak-key rule: the web app checks
/// `SESSION_KEY` with it too.
pub fn is_weak_key(key: &[u8]) -> bool {
    let mut seen = [false; 256];
    for &b in key {
        seen[usize::from(b)] = true;
    }
    let distinct = seen.iter().filter(|s| **s).count();
    let repeated = (1..=key.len() / 2).any(|p| key[p..] == key[..key.len() - p]);
    distinct < MIN_DISTINCT_BYTES || repeated
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    use super::*;

    /// A strong, deterministic test key: the SHA-256 of `seed`.
    fn key(seed: &str) -> [u8; 32] {
        Sha256::digest(seed.as_bytes()).into()
    }

    fn b64(bytes: &[u8]) -> SecretString {
        SecretString::from(STANDARD.encode(bytes))
    }

    fn secret(raw: &str) -> SecretString {
        SecretString::from(raw.to_owned())
    }

    #[test]
    fn a_token_round_trips_under_the_current_key_with_its_id() {
        let ring = TokenKeyring::new(&key("a"), &[]).unwrap();

        let sealed = ring.seal(&secret("EAAB-token"), "ctx").unwrap();

        assert_eq!(sealed.key_id, hex::encode(&Sha256::digest(key("a"))[..4]));
        assert_eq!(sealed.key_id.len(), 8);
        assert!(ring.is_current(&sealed));
        assert!(!sealed.ciphertext.contains("EAAB"));
        assert_eq!(
            ring.open(&sealed, "ctx").unwrap().expose_secret(),
            "EAAB-token"
        );
    }

    #[test]
    fn an_old_key_still_opens_what_it_sealed_and_is_not_current() {
        let before = TokenKeyring::new(&key("old"), &[]).unwrap();
        let sealed = before.seal(&secret("token"), "ctx").unwrap();

        let after = TokenKeyring::from_base64(&b64(&key("new")), &[b64(&key("old"))]).unwrap();

        assert!(!after.is_current(&sealed));
        assert_eq!(after.open(&sealed, "ctx").unwrap().expose_secret(), "token");
        assert!(after.is_current(&after.seal(&secret("token"), "ctx").unwrap()));
        assert_eq!(
            after.key_ids().collect::<Vec<_>>(),
            [after.current_key_id(), sealed.key_id.as_str()]
        );
    }

    #[test]
    fn a_value_sealed_under_a_key_the_keyring_lacks_is_an_unknown_key_id() {
        let sealed = TokenKeyring::new(&key("gone"), &[])
            .unwrap()
            .seal(&secret("token"), "ctx")
            .unwrap();
        let ring = TokenKeyring::new(&key("new"), &[]).unwrap();

        let err = ring.open(&sealed, "ctx").unwrap_err();

        assert_eq!(err, CipherError::UnknownKeyId(sealed.key_id.clone()));
        assert!(err.to_string().contains(&sealed.key_id));
        assert!(err.to_string().contains("TOKEN_ENCRYPTION_OLD_KEYS"));
    }

    #[test]
    fn weak_keys_are_refused_with_how_to_make_a_good_one() {
        let ab: Vec<u8> = b"ab".repeat(16);
        let block: Vec<u8> = key("x")[..16].repeat(2);
        for weak in [&[0u8; 64][..], &[0u8; 32], &ab, &block, &[7u8; 32]] {
            assert_eq!(
                TokenKeyring::new(weak, &[]).unwrap_err(),
                CipherError::WeakKey,
                "{weak:?}"
            );
            assert_eq!(
                TokenKeyring::new(&key("ok"), &[weak]).unwrap_err(),
                CipherError::WeakKey,
                "an old key is checked too"
            );
        }
        // The text a placeholder env var would hold: 64 '0' characters, and 44 'A's (32 zero bytes).
        for text in ["0".repeat(64), "A".repeat(44)] {
            assert_eq!(
                TokenKeyring::from_base64(&secret(&text), &[]).unwrap_err(),
                CipherError::WeakKey
            );
        }
        assert!(
            CipherError::WeakKey
                .to_string()
                .contains("openssl rand -base64 32")
        );
    }

    #[test]
    fn keys_of_the_wrong_length_or_not_base64_are_invalid() {
        assert_eq!(
            TokenKeyring::new(&key("x")[..16], &[]).unwrap_err(),
            CipherError::InvalidKey
        );
        assert_eq!(
            TokenKeyring::from_base64(&secret("not base64!"), &[]).unwrap_err(),
            CipherError::InvalidKey
        );
        for bad_old in ["%%%", ""] {
            assert_eq!(
                TokenKeyring::from_base64(&b64(&key("ok")), &[secret(bad_old)]).unwrap_err(),
                CipherError::InvalidKey,
                "{bad_old:?}"
            );
        }
    }

    #[test]
    fn debug_shows_key_ids_and_never_the_keys() {
        let (current, old) = (key("current"), key("old"));
        let ring = TokenKeyring::new(&current, &[&old]).unwrap();

        let printed = format!("{ring:?}");

        assert!(printed.contains(ring.current_key_id()), "{printed}");
        for k in [current, old] {
            assert!(!printed.contains(&STANDARD.encode(k)), "{printed}");
            assert!(!printed.contains(&hex::encode(k)), "{printed}");
            assert!(!printed.contains(&format!("{:?}", &k[..4])), "{printed}");
        }
    }

    #[test]
    fn a_token_sealed_for_one_team_or_platform_does_not_open_for_another() {
        let ring = TokenKeyring::new(&key("a"), &[]).unwrap();
        let (team_a, team_b) = (TeamId::new_random(), TeamId::new_random());
        let sealed = ring
            .seal(
                &secret("token"),
                &connector_context(team_a, Platform::Facebook),
            )
            .unwrap();

        let moved = ring.open(&sealed, &connector_context(team_b, Platform::Facebook));

        assert_eq!(moved.unwrap_err(), CipherError::Unauthentic);
        assert_ne!(
            connector_context(team_a, Platform::Facebook),
            connector_context(team_b, Platform::Facebook)
        );
    }
}
