//! X access tokens (`{id_str}-{40 characters}`) and their secrets: self-contained and HMAC-bound
//! to the sandbox's consumer secret, so a token the web app stored survives a sandbox restart.
//! Only revocations (`POST /1.1/oauth/invalidate_token`) are kept in memory.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::util::random_alnum;

/// Hex characters of the MAC appended to a token.
const TAG_LEN: usize = 16;
/// Random characters of a token (after `{id_str}-`).
const RANDOM_LEN: usize = 24;
/// Characters of a token secret (X's are 45).
const SECRET_LEN: usize = 45;

fn mac_hex(key: &str, purpose: &str, data: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(data.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A new access token for the X user `x_id`, and its secret.
pub fn mint(key: &str, x_id: &str) -> (String, String) {
    let body = format!("{x_id}-{}", random_alnum(RANDOM_LEN));
    let token = format!("{body}{}", &mac_hex(key, "x-token", &body)[..TAG_LEN]);
    let secret = secret_of(key, &token);
    (token, secret)
}

/// The X user id a token carries, if the token is one this sandbox minted.
pub fn user_id_of(key: &str, token: &str) -> Option<String> {
    let (x_id, rest) = token.split_once('-')?;
    if x_id.is_empty()
        || !x_id.bytes().all(|b| b.is_ascii_digit())
        || rest.len() != RANDOM_LEN + TAG_LEN
        || !rest.is_ascii()
    {
        return None;
    }
    let (body, tag) = token.split_at(token.len() - TAG_LEN);
    let expected = mac_hex(key, "x-token", body);
    let same: bool =
        subtle::ConstantTimeEq::ct_eq(&expected.as_bytes()[..TAG_LEN], tag.as_bytes()).into();
    same.then(|| x_id.to_owned())
}

/// The secret of an access token (derived, never stored).
pub fn secret_of(key: &str, token: &str) -> String {
    mac_hex(key, "x-token-secret", token)[..SECRET_LEN].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minted_token_names_its_user_and_has_a_stable_secret() {
        let (token, secret) = mint("k", "900");
        assert!(token.starts_with("900-"));
        assert_eq!(user_id_of("k", &token).as_deref(), Some("900"));
        assert_eq!(secret_of("k", &token), secret);
        assert_eq!(secret.len(), SECRET_LEN);
    }

    #[test]
    fn a_token_of_another_key_or_altered_is_unknown() {
        let (token, _) = mint("k", "900");
        assert_eq!(user_id_of("other", &token), None);
        assert_eq!(user_id_of("k", &token.replacen("900", "901", 1)), None);
        assert_eq!(user_id_of("k", "900-short"), None);
        assert_eq!(user_id_of("k", "garbage"), None);
    }
}
