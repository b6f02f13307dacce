//! Bearer tokens for the mobile JSON API: the store keeps each token's SHA-256 with a public id,
//! never the token itself.

use adboard_domain::account::UserId;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::Result;
use crate::model::{is_url_token, now, random_url_token};

/// SHA-256 of a bearer token (the token is 256 random bits, so a fast hash is right; the store
/// never sees the token). Debug prints only a short prefix.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApiTokenHash([u8; 32]);

impl ApiTokenHash {
    /// The hash of `token`, as the web app computes it for each API request.
    pub fn of(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).into())
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// From stored bytes; `None` unless exactly 32.
    pub(crate) fn from_slice(raw: &[u8]) -> Option<Self> {
        raw.try_into().ok().map(Self)
    }
}

impl std::fmt::Debug for ApiTokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiTokenHash({}…)", hex::encode(&self.0[..4]))
    }
}

/// A token's public handle, for listing and revoking from the profile (random, URL-safe, 16-64
/// characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApiTokenId(String);

impl ApiTokenId {
    /// 128 random bits as 22 URL-safe characters.
    pub fn new_random() -> Self {
        Self(random_url_token())
    }

    /// `None` unless `raw` looks like an id this store hands out (16 to 64 URL-safe characters).
    pub fn parse(raw: &str) -> Option<Self> {
        is_url_token(raw, 16, 64).then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One API token of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRecord {
    pub id: ApiTokenId,
    pub user: UserId,
    pub hash: ApiTokenHash,
    /// What created it, e.g. "facebook · MyApp/1.0 iOS" (cut to 100 characters by `new`).
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
}

impl ApiTokenRecord {
    /// A new token record for `user` with a fresh random id, created and used now; `label` is
    /// cut to 100 characters.
    pub fn new(user: UserId, hash: ApiTokenHash, label: &str) -> Self {
        let now = now();
        Self {
            id: ApiTokenId::new_random(),
            user,
            hash,
            label: label.chars().take(100).collect(),
            created_at: now,
            last_used_at: now,
        }
    }
}

/// API tokens. Every [`crate::Store`] is an `ApiTokenStore`. Records live beside their user (the
/// user's DynamoDB partition, plus a lookup item keyed by the hash; a table with a foreign key on
/// SQLite), so the profile reads them with the user. Revoking deletes the record.
#[async_trait::async_trait]
pub trait ApiTokenStore: Send + Sync {
    /// Records a new token. [`crate::StoreError::NotFound`] if the user does not exist (nothing
    /// is written); a token whose id or hash is already stored is refused
    /// ([`crate::StoreError::Backend`]).
    async fn create_api_token(&self, record: &ApiTokenRecord) -> Result<()>;

    /// The token with this hash, if not revoked. One strongly consistent read (DynamoDB: GetItem
    /// on a lookup item keyed by the hash, written in the same transaction as the item in the
    /// user's partition).
    async fn find_api_token(&self, hash: &ApiTokenHash) -> Result<Option<ApiTokenRecord>>;

    /// Marks it used at `now`; `false` if it is gone.
    async fn touch_api_token(
        &self,
        user: UserId,
        id: &ApiTokenId,
        now: DateTime<Utc>,
    ) -> Result<bool>;

    /// Revokes one of `user`'s tokens (both items, atomically); `false` if none with this id.
    async fn revoke_api_token(&self, user: UserId, id: &ApiTokenId) -> Result<bool>;

    /// Revokes every token of `user`; returns how many.
    async fn revoke_all_api_tokens(&self, user: UserId) -> Result<usize>;

    /// `user`'s tokens, most recently used first (ties by id, ascending).
    async fn list_api_tokens(&self, user: UserId) -> Result<Vec<ApiTokenRecord>>;
}

/// Most recently used first, then by id: the same order in every backend.
pub(crate) fn sort_api_tokens(tokens: &mut [ApiTokenRecord]) {
    tokens.sort_by(|a, b| {
        b.last_used_at
            .cmp(&a.last_used_at)
            .then_with(|| a.id.0.cmp(&b.id.0))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_the_sha256_of_the_token_and_debug_shows_a_prefix_only() {
        let hash = ApiTokenHash::of("abc");
        assert_eq!(
            hex::encode(hash.as_bytes()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(format!("{hash:?}"), "ApiTokenHash(ba7816bf…)");
    }

    #[test]
    fn a_random_id_parses_and_odd_ids_do_not() {
        let id = ApiTokenId::new_random();
        assert_eq!(id.as_str().len(), 22);
        assert_eq!(ApiTokenId::parse(id.as_str()), Some(id.clone()));
        assert_ne!(ApiTokenId::new_random(), id);
        assert_eq!(ApiTokenId::parse("short"), None);
        assert_eq!(ApiTokenId::parse("has/a/slash/in/it/abc"), None);
        assert_eq!(ApiTokenId::parse(&"a".repeat(65)), None);
    }

    #[test]
    fn a_new_record_cuts_its_label_to_100_characters() {
        let record = ApiTokenRecord::new(
            UserId::new_random(),
            ApiTokenHash::of("t"),
            &"é".repeat(150),
        );
        assert_eq!(record.label.chars().count(), 100);
        assert_eq!(record.created_at, record.last_used_at);
    }
}
