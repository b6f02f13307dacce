//! Whether a connector's token can still be used for data, decided from the stored record alone
//! (the last health check, the expiry dates). Stricter than `connectors::health`, which also
//! warns a week before expiry: the dashboard blocks only a token that no longer works.

use adboard_store::Connector;
use chrono::{DateTime, Utc};

/// Why a connector needs reconnecting, as the page says it; `None` while it looks usable.
pub fn reconnect_reason(connector: &Connector, now: DateTime<Utc>) -> Option<&'static str> {
    if connector.health.invalid_reason.is_some() {
        return Some(
            "Facebook no longer accepts the connected token (it was revoked or is invalid).",
        );
    }
    if connector.expires_at.is_some_and(|at| at <= now) {
        return Some("The Facebook connection has expired.");
    }
    if connector.data_access_expires_at.is_some_and(|at| at <= now) {
        return Some("Facebook's data access for this connection has expired.");
    }
    None
}
