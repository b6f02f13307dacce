//! Adboard's persistence: one small, domain-shaped async [`Store`] trait and its backends.
//!
//! The embedded default is SQLite (a single file, migrations applied at open, feature `sqlite`);
//! production uses a single DynamoDB table (feature `dynamodb`, key design in `DESIGN.md`). [`open`]
//! picks the backend from a `STORE_URL` (`sqlite://PATH`, default `sqlite://data/adboard.db`, or
//! `dynamodb://TABLE`). Both backends pass the same contract suite (`tests/it`). The SQLite backend
//! runs its blocking calls on `tokio::task::spawn_blocking` over one mutex-guarded writer
//! connection plus a few reader connections: WAL lets readers proceed while a write commits, and
//! the single writer means uniqueness races resolve in SQLite's constraints instead of in
//! `SQLITE_BUSY` retries; a pool crate would add a dependency for the same four lines. Provider
//! tokens are stored only sealed: [`TokenKeyring`] (AES-256-GCM, a key id beside each value for
//! rotation, [`connector_context`] as associated data) seals them before [`ConnectorStore`] sees
//! them. API bearer tokens are stored only as their SHA-256 ([`ApiTokenHash`]). This crate knows
//! nothing about HTTP, sessions or Facebook.

mod api_tokens;
mod cipher;
mod connector_model;
mod connectors;
mod data_deletion;
mod error;
mod keyring;
mod model;
mod profile;
mod sessions;
mod team_model;
mod teams;
mod url;

#[cfg(feature = "dynamodb")]
pub mod dynamodb;
#[cfg(feature = "sqlite")]
pub mod sqlite;

pub use api_tokens::{ApiTokenHash, ApiTokenId, ApiTokenRecord, ApiTokenStore};
pub use cipher::{CipherError, SecretCipher};
pub use connector_model::{ConnectedAccount, Connector, ConnectorHealth};
pub use connectors::{ConnectorStore, RotationFailure, RotationReport, reencrypt_connector_tokens};
pub use data_deletion::{DataDeletionStore, DeletionCode, DeletionRequest};
pub use error::StoreError;
pub use keyring::{SealedToken, TokenKeyring, connector_context, is_weak_key};
pub use model::{Identity, NewUser, User};
pub use profile::UserProfile;
pub use sessions::{SessionId, SessionRecord, SessionStore};
pub use team_model::{
    Invitation, InvitationForMe, Limits, Member, Membership, MyTeam, Team, TeamPage, TeamSettings,
    TeamsOverview,
};
pub use teams::TeamStore;
pub use url::StoreUrl;

use std::sync::Arc;

use adboard_domain::account::{EmailAddress, IdentityKey, UserId, UserName};

/// Result alias for store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The store URL used when `STORE_URL` is not set.
pub const DEFAULT_STORE_URL: &str = "sqlite://data/adboard.db";

/// Everything Adboard persists, as domain operations (not tables): users and identities here,
/// teams in the [`TeamStore`] supertrait, connectors in [`ConnectorStore`], sign-in sessions in
/// [`SessionStore`], API tokens in [`ApiTokenStore`], provider data deletion in
/// [`DataDeletionStore`].
#[async_trait::async_trait]
pub trait Store:
    TeamStore
    + ConnectorStore
    + SessionStore
    + ApiTokenStore
    + DataDeletionStore
    + Send
    + Sync
    + std::fmt::Debug
{
    /// The user a provider identity belongs to, if any.
    async fn find_user_by_identity(&self, key: &IdentityKey) -> Result<Option<User>>;

    /// Creates a user and its first identity together. Fails with
    /// [`StoreError::IdentityTaken`] if the identity already belongs to someone (first login
    /// racing itself), leaving nothing behind.
    async fn create_user_with_identity(&self, user: NewUser, identity: Identity) -> Result<User>;

    async fn get_user(&self, id: UserId) -> Result<Option<User>>;

    /// The user and the identities linked to them (oldest first), read together for the profile
    /// page: one query on SQLite, 2 DynamoDB requests. `None` if the user does not exist.
    async fn get_user_with_identities(&self, id: UserId) -> Result<Option<(User, Vec<Identity>)>> {
        let Some(user) = self.get_user(id).await? else {
            return Ok(None);
        };
        Ok(Some((user, self.list_identities(id).await?)))
    }

    /// The profile page's read: the user, their identities (oldest first), sessions (most
    /// recently seen first) and API tokens (most recently used first). 2 DynamoDB requests (the
    /// user's partition holds the user, sessions and tokens; identities are one `gsi1` Query), one
    /// read transaction on SQLite. `None` if the user does not exist.
    async fn get_user_profile(&self, user: UserId) -> Result<Option<UserProfile>>;

    /// The user and the teams they are in with their role (sorted by name), read together — at
    /// most 2 DynamoDB requests. `None` if the user does not exist.
    async fn get_user_with_teams(&self, id: UserId) -> Result<Option<(User, Vec<MyTeam>)>> {
        Ok(self.teams_overview(id).await?.map(|o| (o.user, o.teams)))
    }

    /// The teams list's page: the user, their teams and the invitations pending for their email
    /// (with team and inviter names), read together — 2 DynamoDB requests, one SQLite read
    /// transaction. `None` if the user does not exist.
    async fn teams_overview(&self, id: UserId) -> Result<Option<TeamsOverview>>;

    /// Changes the user's display name. [`StoreError::NotFound`] if the user does not exist.
    async fn update_user_name(&self, id: UserId, name: &UserName) -> Result<()>;

    /// Links another identity to an existing user; [`StoreError::IdentityTaken`] if it belongs to
    /// anyone already (including this user). [`StoreError::NotFound`] if the user does not exist.
    async fn link_identity(&self, user: UserId, identity: Identity) -> Result<()>;

    /// The identities linked to a user, oldest first.
    async fn list_identities(&self, user: UserId) -> Result<Vec<Identity>>;

    /// The oldest user whose sign-in email matches (case-insensitively), if any. Never for
    /// finding someone at sign-in, and never to tell an inviter whether an address has an account.
    async fn find_user_by_email(&self, email: &EmailAddress) -> Result<Option<User>>;

    /// Whether the store answers at all (one cheap read), for `GET /ready`.
    async fn ping(&self) -> Result<()>;
}

/// How long the store waits before answering [`StoreError::Unavailable`]: for DynamoDB the SDK's
/// connect, read (and per attempt) and whole-operation timeouts; for SQLite, `read` bounds the
/// wait for a connection and `operation` SQLite's busy timeout. No call hangs past `operation`
/// (plus the wait for a connection), and a call that times out wrote nothing or everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: std::time::Duration,
    pub read: std::time::Duration,
    pub operation: std::time::Duration,
}

impl Default for Timeouts {
    /// 1 s to connect, 1.5 s to read, 3 s per operation: a page fails within 5 s.
    fn default() -> Self {
        Self {
            connect: std::time::Duration::from_millis(1000),
            read: std::time::Duration::from_millis(1500),
            operation: std::time::Duration::from_millis(3000),
        }
    }
}

/// Options for [`open_with`].
#[derive(Debug, Clone, Default)]
pub struct StoreOptions {
    /// The DynamoDB endpoint; `None`: the standard AWS environment's (`AWS_ENDPOINT_URL_DYNAMODB`).
    pub dynamodb_endpoint: Option<String>,
    pub timeouts: Timeouts,
}

/// Opens the store a `STORE_URL` names: `sqlite://PATH` (parent folders created, migrations
/// applied) or `dynamodb://TABLE` (configured by the standard AWS environment), with the default
/// [`Timeouts`].
pub async fn open(store_url: &str) -> Result<Arc<dyn Store>> {
    open_with(store_url, &StoreOptions::default()).await
}

/// [`open`] with explicit options.
pub async fn open_with(store_url: &str, options: &StoreOptions) -> Result<Arc<dyn Store>> {
    #[cfg(not(feature = "dynamodb"))]
    let _ = &options.dynamodb_endpoint;
    match StoreUrl::parse(store_url)? {
        #[cfg(feature = "sqlite")]
        StoreUrl::Sqlite(path) => Ok(Arc::new(
            sqlite::SqliteStore::open_with(&path, options.timeouts).await?,
        )),
        #[cfg(feature = "dynamodb")]
        StoreUrl::DynamoDb(table) => Ok(Arc::new(
            dynamodb::DynamoStore::from_env_with(
                &table,
                options.dynamodb_endpoint.as_deref(),
                &options.timeouts,
            )
            .await,
        )),
        #[allow(unreachable_patterns)]
        other => Err(StoreError::InvalidUrl(format!(
            "backend of {other:?} is not compiled in"
        ))),
    }
}

/// Prepares the storage a `STORE_URL` names without serving from it: for `dynamodb://TABLE`, creates
/// the table (idempotent; for `adboard --init-table` or a local endpoint at start); for SQLite,
/// creates the file and applies migrations.
pub async fn init_storage(store_url: &str) -> Result<()> {
    match StoreUrl::parse(store_url)? {
        #[cfg(feature = "sqlite")]
        StoreUrl::Sqlite(path) => sqlite::SqliteStore::open(&path).await.map(drop),
        #[cfg(feature = "dynamodb")]
        StoreUrl::DynamoDb(table) => {
            let store = dynamodb::DynamoStore::from_env(&table).await;
            dynamodb::create_table(store.client(), &table).await
        }
        #[allow(unreachable_patterns)]
        other => Err(StoreError::InvalidUrl(format!(
            "backend of {other:?} is not compiled in"
        ))),
    }
}
