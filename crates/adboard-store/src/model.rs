//! Records the store hands out and takes in.

use adboard_domain::account::{EmailAddress, IdentityKey, UserId, UserName};
use chrono::{DateTime, Utc};

/// A person with an Adboard account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub name: UserName,
    /// The verified email the user first signed in with (used to match invitations; never to find
    /// the user at sign-in).
    pub email: Option<EmailAddress>,
    pub created_at: DateTime<Utc>,
}

/// What a first sign-in knows about a new user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub name: UserName,
    pub email: Option<EmailAddress>,
}

/// One provider identity linked to a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub key: IdentityKey,
    /// The verified email the provider gave at link time, for display.
    pub email: Option<EmailAddress>,
    pub linked_at: DateTime<Utc>,
}

/// Timestamps are kept to the microsecond in every backend, so a record reads back equal.
pub(crate) fn to_micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

pub(crate) fn from_micros(micros: i64) -> crate::Result<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| crate::StoreError::corrupt("timestamp"))
}

/// A stored name that no longer passes today's rule (an older record) is cleaned, not refused.
pub(crate) fn stored_name(raw: &str) -> UserName {
    UserName::parse(raw).unwrap_or_else(|_| UserName::from_provider(Some(raw), None))
}

/// Now, truncated to the microsecond.
pub(crate) fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap_or_else(Utc::now)
}

/// `at`, truncated to the microsecond (what every backend keeps).
pub(crate) fn truncate_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at)
}

/// 128 random bits from the operating system, as 22 URL-safe characters (base64url, no padding):
/// the public handles and codes the store hands out. Panics only if the OS generator fails (as
/// `UserId::new_random` does).
pub(crate) fn random_url_token() -> String {
    use aes_gcm::aead::Generate;
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(<[u8; 16]>::generate())
}

/// True if `raw` is `min..=max` characters of the URL-safe base64 alphabet.
pub(crate) fn is_url_token(raw: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
