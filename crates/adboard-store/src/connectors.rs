//! The connector half of the store: a team's sealed platform tokens, and re-encrypting them
//! under a new key.

use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;
use chrono::{DateTime, Utc};

use crate::{CipherError, ConnectedAccount, Connector, Result, SealedToken, TokenKeyring};

/// Connectors: at most one per (team, platform), each in its team (deleted with it). Every
/// [`crate::Store`] is a `ConnectorStore`; its methods are callable on an `Arc<dyn Store>`.
///
/// The store never sees a plaintext token: callers seal with [`TokenKeyring::seal`] and
/// [`crate::connector_context`], and open with [`Connector::open_token`]. Who may connect
/// (the OWNER) is the web app's decision.
#[async_trait::async_trait]
pub trait ConnectorStore: Send + Sync {
    /// Connects or reconnects: stores `connector`, atomically replacing any connector of the same
    /// (team, platform) — however many reconnects race, exactly one remains, and it is one of
    /// them whole. Returns it as stored (timestamps truncated to the microsecond).
    /// [`crate::StoreError::NotFound`] if the team does not exist (nothing is written).
    async fn put_connector(&self, connector: Connector) -> Result<Connector>;

    /// The team's connector for `platform`, if connected. One read (a strongly consistent GetItem).
    async fn get_connector(&self, team: TeamId, platform: Platform) -> Result<Option<Connector>>;

    /// Disconnects. `false` if there was nothing to delete (never connected, or already gone).
    async fn delete_connector(&self, team: TeamId, platform: Platform) -> Result<bool>;

    /// Records the ad account picked for the connector. [`crate::StoreError::NotFound`] if the
    /// team has no connector for `platform`.
    async fn set_connector_account(
        &self,
        team: TeamId,
        platform: Platform,
        account: ConnectedAccount,
    ) -> Result<()>;

    /// Records a health check of the token connected at `connected_at`: when it ran and why the
    /// platform called the token invalid (`None` = valid). Only if that connection is still the
    /// stored one — a check that started before a reconnect never marks the fresh token — so
    /// `false` means the connector was replaced or deleted meanwhile and nothing was written.
    async fn record_connector_check(
        &self,
        team: TeamId,
        platform: Platform,
        connected_at: DateTime<Utc>,
        checked_at: DateTime<Utc>,
        invalid_reason: Option<String>,
    ) -> Result<bool>;

    /// Every connector of every team, in no particular order: for key rotation, not for pages
    /// (DynamoDB: a Query of `gsi1` per platform, eventually consistent).
    async fn list_connectors(&self) -> Result<Vec<Connector>>;

    /// Replaces the sealed token with `new` only if the stored one is still `old` (same
    /// ciphertext): `false` if the connector changed or disappeared meanwhile. For re-encryption,
    /// which must never overwrite a token a reconnect just stored.
    async fn replace_connector_token(
        &self,
        team: TeamId,
        platform: Platform,
        old: &SealedToken,
        new: SealedToken,
    ) -> Result<bool>;
}

/// What [`reencrypt_connector_tokens`] did, connector by connector.
#[derive(Debug, Default)]
pub struct RotationReport {
    /// Re-sealed with the current key.
    pub rotated: usize,
    /// Already sealed with the current key; untouched.
    pub already_current: usize,
    /// Replaced or deleted (a reconnect, a disconnect) between the read and the write: left as
    /// that change wrote it, which used the then-current key.
    pub changed_meanwhile: usize,
    /// Could not be opened (a key missing from the keyring, or a damaged value); untouched.
    pub failed: Vec<RotationFailure>,
}

/// A connector whose token [`reencrypt_connector_tokens`] could not open.
#[derive(Debug)]
pub struct RotationFailure {
    pub team: TeamId,
    pub platform: Platform,
    pub error: CipherError,
}

/// Re-seals every connector token not sealed with the keyring's current key (`adboard
/// --rotate-token-key`): opens it with the key its id names and writes the new value with
/// [`ConnectorStore::replace_connector_token`], so a token a reconnect stores meanwhile is never
/// overwritten. Idempotent: run it again and everything is `already_current`. Once `failed` is
/// empty, the old keys may be dropped from the keyring.
pub async fn reencrypt_connector_tokens(
    store: &dyn crate::Store,
    keyring: &TokenKeyring,
) -> Result<RotationReport> {
    let mut report = RotationReport::default();
    for connector in store.list_connectors().await? {
        if keyring.is_current(&connector.token) {
            report.already_current += 1;
            continue;
        }
        let context = crate::connector_context(connector.team, connector.platform);
        let resealed = connector
            .open_token(keyring)
            .and_then(|token| keyring.seal(&token, &context));
        let new = match resealed {
            Ok(new) => new,
            Err(error) => {
                tracing::warn!(
                    team.id = %connector.team,
                    connector.platform = %connector.platform,
                    token.key_id = %connector.token.key_id,
                    %error,
                    "could not re-encrypt a connector token"
                );
                report.failed.push(RotationFailure {
                    team: connector.team,
                    platform: connector.platform,
                    error,
                });
                continue;
            }
        };
        let replaced = store
            .replace_connector_token(connector.team, connector.platform, &connector.token, new)
            .await?;
        if replaced {
            report.rotated += 1;
        } else {
            report.changed_meanwhile += 1;
        }
    }
    Ok(report)
}
