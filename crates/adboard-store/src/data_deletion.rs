//! What a provider's data-deletion and deauthorize callbacks need (Meta's): removing one identity,
//! removing the connectors a person granted, and the deletion requests their status page reads.

use adboard_domain::account::{IdentityKey, Provider, UserId};
use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;
use chrono::{DateTime, Utc};

use crate::Result;
use crate::model::{is_url_token, random_url_token};

/// The confirmation code of a data-deletion request, shown to the provider and in the status
/// page's URL (128 random bits, 22 URL-safe characters; 20 to 64 accepted).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeletionCode(String);

impl DeletionCode {
    pub fn new_random() -> Self {
        Self(random_url_token())
    }

    /// `None` unless `raw` looks like a code this store hands out.
    pub fn parse(raw: &str) -> Option<Self> {
        is_url_token(raw, 20, 64).then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A data-deletion request, kept so its status page can answer later. Stores nothing that
/// identifies the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionRequest {
    pub code: DeletionCode,
    pub provider: Provider,
    pub requested_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub identities_deleted: u32,
    pub connectors_deleted: u32,
}

/// Data deletion. Every [`crate::Store`] is a `DataDeletionStore`.
#[async_trait::async_trait]
pub trait DataDeletionStore: Send + Sync {
    /// Removes the identity with exactly this key. Returns the user it belonged to and how many
    /// identities that user still has, or `None` if there was none. The user, their other
    /// identities, teams, sessions and tokens are left alone.
    async fn delete_identity(&self, key: &IdentityKey) -> Result<Option<(UserId, usize)>>;

    /// Deletes every connector of `platform` whose `external_user_id` equals `external_user_id`
    /// (the person who granted the token); returns the teams whose connector was deleted.
    /// On DynamoDB this reads the platform's connectors through `gsi1` (eventually consistent):
    /// a connector stored a moment before the call may be missed.
    async fn delete_connectors_granted_by(
        &self,
        platform: Platform,
        external_user_id: &str,
    ) -> Result<Vec<TeamId>>;

    /// Inserts the request, or overwrites the one with the same code.
    async fn put_deletion_request(&self, request: &DeletionRequest) -> Result<()>;

    /// The request with this code, if any.
    async fn get_deletion_request(&self, code: &DeletionCode) -> Result<Option<DeletionRequest>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_random_code_parses_and_odd_codes_do_not() {
        let code = DeletionCode::new_random();
        assert!(code.as_str().len() >= 20);
        assert_eq!(DeletionCode::parse(code.as_str()), Some(code.clone()));
        assert_ne!(DeletionCode::new_random(), code);
        assert_eq!(DeletionCode::parse("too-short-code"), None);
        assert_eq!(DeletionCode::parse("has spaces in it, twenty+"), None);
    }
}
