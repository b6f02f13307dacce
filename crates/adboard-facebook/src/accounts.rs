//! Typed ad accounts and tokens: what `/act_{id}`, `/me/adaccounts`, `debug_token` and the token
//! endpoint mean once parsed.

use std::time::Duration;

use adboard_domain::ads::AdAccountId;
use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::GraphError;
use crate::error::FacebookError;
use crate::wire::{AccessTokenWire, AdAccountWire, DebugTokenDataWire, MeWire};

/// An ad account with what a report needs: its currency and timezone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdAccount {
    pub id: AdAccountId,
    pub name: String,
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
    /// IANA name, e.g. `Europe/Berlin`.
    pub timezone_name: String,
    /// Facebook's `account_status` (1 active, 2 disabled, 101 closed, …), if sent.
    pub status: Option<i64>,
}

impl TryFrom<AdAccountWire> for AdAccount {
    type Error = GraphError;

    fn try_from(wire: AdAccountWire) -> Result<Self, Self::Error> {
        let raw_id = wire
            .account_id
            .or(wire.id)
            .ok_or_else(|| GraphError::Decode("an ad account has no id".into()))?;
        let id = AdAccountId::parse(&raw_id)
            .map_err(|_| GraphError::Decode("an ad account id is not numeric".into()))?;
        Ok(Self {
            id,
            name: wire.name.unwrap_or_default(),
            currency: wire.currency.unwrap_or_default(),
            timezone_name: wire.timezone_name.unwrap_or_default(),
            status: wire.account_status.and_then(|s| s.parse().ok()),
        })
    }
}

/// What `debug_token` says about a user token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub is_valid: bool,
    pub app_id: Option<String>,
    pub user_id: Option<String>,
    /// `None` when Facebook sent 0 (never expires) or nothing.
    pub expires_at: Option<DateTime<Utc>>,
    pub data_access_expires_at: Option<DateTime<Utc>>,
    pub scopes: Vec<String>,
    /// Why the token is invalid (e.g. 190/463 expired), when it is.
    pub error: Option<FacebookError>,
}

impl From<DebugTokenDataWire> for TokenInfo {
    fn from(wire: DebugTokenDataWire) -> Self {
        let time = |t: Option<i64>| {
            t.filter(|t| *t > 0)
                .and_then(|t| DateTime::from_timestamp(t, 0))
        };
        Self {
            is_valid: wire.is_valid,
            app_id: wire.app_id,
            user_id: wire.user_id,
            expires_at: time(wire.expires_at),
            data_access_expires_at: time(wire.data_access_expires_at),
            scopes: wire.scopes,
            error: wire
                .error
                .as_ref()
                .filter(|e| e.is_object())
                .map(|e| FacebookError::from_object(200, e)),
        }
    }
}

/// Who a user token belongs to (`/me`). The email is only there with the `email` permission;
/// Facebook only returns addresses the person has confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
}

impl TryFrom<MeWire> for Profile {
    type Error = GraphError;

    fn try_from(wire: MeWire) -> Result<Self, Self::Error> {
        let id = wire
            .id
            .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| GraphError::Decode("/me has no numeric id".into()))?;
        Ok(Self {
            id,
            name: wire.name,
            email: wire.email.filter(|e| !e.is_empty()),
        })
    }
}

/// A token from the token endpoint. Never `Serialize`, never printed (Debug is redacted).
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub token: SecretString,
    pub expires_in: Option<Duration>,
}

impl From<AccessTokenWire> for AccessToken {
    fn from(wire: AccessTokenWire) -> Self {
        Self {
            token: wire.access_token,
            expires_in: wire
                .expires_in
                .and_then(|s| s.parse::<u64>().ok())
                .map(Duration::from_secs),
        }
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn ad_account_is_read_from_account_id_or_id() {
        let wire: AdAccountWire = serde_json::from_str(
            r#"{"account_id":"123","name":"Acme Main","currency":"EUR","timezone_name":"Europe/Berlin","account_status":1,"id":"act_123"}"#,
        )
        .unwrap();
        let account = AdAccount::try_from(wire).unwrap();
        assert_eq!(
            (
                account.id.as_str(),
                account.currency.as_str(),
                account.status
            ),
            ("123", "EUR", Some(1))
        );
        let only_id: AdAccountWire = serde_json::from_str(r#"{"id":"act_9"}"#).unwrap();
        assert_eq!(AdAccount::try_from(only_id).unwrap().id.as_str(), "9");
    }

    #[test]
    fn expired_debug_token_carries_its_error() {
        let wire: crate::wire::DebugTokenWire = serde_json::from_str(
            r#"{"data":{"app_id":"1","type":"USER","error":{"code":190,"subcode":463,"message":"Session has expired"},"expires_at":1459922400,"is_valid":false,"scopes":["ads_read"],"user_id":"108"}}"#,
        )
        .unwrap();
        let info = TokenInfo::from(wire.data);
        assert!(!info.is_valid);
        assert_eq!(info.error.unwrap().kind(), crate::ErrorKind::TokenExpired);
    }

    #[test]
    fn access_token_debug_output_hides_the_token() {
        let wire: AccessTokenWire = serde_json::from_str(
            r#"{"access_token":"EAABsecret","token_type":"bearer","expires_in":5183944}"#,
        )
        .unwrap();
        let token = AccessToken::from(wire);
        assert!(!format!("{token:?}").contains("EAABsecret"));
        assert_eq!(token.token.expose_secret(), "EAABsecret");
        assert_eq!(token.expires_in, Some(Duration::from_secs(5183944)));
    }
}
