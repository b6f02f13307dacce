//! Records for connectors: a team's connection to an ad platform, with its sealed token.

use adboard_domain::account::UserId;
use adboard_domain::ads::AdAccountId;
use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;
use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::{CipherError, SealedToken, TokenKeyring, connector_context};

/// A team's connection to one platform: at most one per (team, platform). The token is sealed
/// (see [`TokenKeyring`]) with [`connector_context`]`(team, platform)` as associated data; open it
/// with [`Connector::open_token`]. Debug shows the ciphertext, never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connector {
    pub team: TeamId,
    pub platform: Platform,
    pub token: SealedToken,
    /// The platform's id of the person who connected (Facebook: the app-scoped user id).
    pub external_user_id: String,
    /// Their name on the platform, for display.
    pub external_user_name: String,
    /// The permissions granted, as the platform spells them (`ads_read`).
    pub scopes: Vec<String>,
    /// When the token stops working (`None`: the platform gave no expiry).
    pub expires_at: Option<DateTime<Utc>>,
    /// When the platform stops giving data with it, even if the token is still valid (Facebook's
    /// `data_access_expires_at`).
    pub data_access_expires_at: Option<DateTime<Utc>>,
    /// The Adboard user who connected it.
    pub connected_by: UserId,
    /// When it was connected (or last reconnected); identifies this connection for
    /// [`crate::ConnectorStore::record_connector_check`].
    pub connected_at: DateTime<Utc>,
    /// The ad account chosen after connecting, if one has been.
    pub account: Option<ConnectedAccount>,
    pub health: ConnectorHealth,
}

impl Connector {
    /// The plaintext token, opened with the key its id names and this connector's own context —
    /// so a ciphertext copied from another team's record fails with [`CipherError::Unauthentic`].
    pub fn open_token(&self, keyring: &TokenKeyring) -> Result<SecretString, CipherError> {
        keyring.open(&self.token, &connector_context(self.team, self.platform))
    }
}

/// The ad account a connector reads, as the platform described it when it was picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectedAccount {
    pub id: AdAccountId,
    pub name: String,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    /// IANA name, e.g. `Europe/Paris`.
    pub timezone: String,
}

/// The outcome of the last check of the token with the platform.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectorHealth {
    /// When the token was last checked (`None`: never since it was connected).
    pub checked_at: Option<DateTime<Utc>>,
    /// Why the platform called the token invalid at that check (`None`: valid, or never checked).
    pub invalid_reason: Option<String>,
}

impl Connector {
    /// The same connector with every timestamp truncated to the microsecond, as both backends
    /// store it, so what `put_connector` returns equals what reads give back.
    pub(crate) fn at_micros(mut self) -> Self {
        let trunc = crate::model::truncate_micros;
        self.expires_at = self.expires_at.map(trunc);
        self.data_access_expires_at = self.data_access_expires_at.map(trunc);
        self.connected_at = trunc(self.connected_at);
        self.health.checked_at = self.health.checked_at.map(trunc);
        self
    }
}
