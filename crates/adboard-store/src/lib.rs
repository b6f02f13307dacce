//! Adboard's persistence: one small, domain-shaped async [`Store`] trait and its backends.
//!
//! The embedded default is SQLite (a single file, migrations applied at open); production uses a
//! single DynamoDB table. [`open`] picks the backend from a `STORE_URL` (`sqlite://PATH` or
//! `dynamodb://TABLE`). Both backends pass the same contract suite. This crate knows nothing about
//! HTTP, sessions or Facebook.

mod error;
mod model;

pub use error::StoreError;
pub use model::{Identity, NewUser, User};

use adboard_domain::account::{IdentityKey, UserId};

/// Result alias for store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything Adboard persists, as domain operations (not tables).
#[async_trait::async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// The user a provider identity belongs to, if any.
    async fn find_user_by_identity(&self, key: &IdentityKey) -> Result<Option<User>>;

    /// Creates a user and its first identity together. Fails with
    /// [`StoreError::IdentityTaken`] if the identity already belongs to someone (first login
    /// racing itself), leaving nothing behind.
    async fn create_user_with_identity(&self, user: NewUser, identity: Identity) -> Result<User>;

    async fn get_user(&self, id: UserId) -> Result<Option<User>>;

    /// Changes the user's display name. [`StoreError::NotFound`] if the user does not exist.
    async fn update_user_name(&self, id: UserId, name: &str) -> Result<()>;

    /// Links another identity to an existing user; [`StoreError::IdentityTaken`] if it belongs to
    /// anyone already (including this user).
    async fn link_identity(&self, user: UserId, identity: Identity) -> Result<()>;

    /// The identities linked to a user, oldest first.
    async fn list_identities(&self, user: UserId) -> Result<Vec<Identity>>;
}
