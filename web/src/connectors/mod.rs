//! Connectors: a team's link to an ad platform, owned by the team's OWNER. This module holds what
//! every platform shares — the connect flow's pending state (single use, expiring like a sign-in
//! after 10 minutes, bound to the session, the team, the platform and the purpose "connect"),
//! token health ("Reconnect needed")
//! with its background re-check, and what a connector card shows. Each platform is one submodule
//! (`facebook`); `routes/connectors.rs` dispatches on [`Platform`].
//!
//! Layering: above `state` (a background check holds the app state), below the routes.

pub mod checks;
pub mod facebook;

use std::time::Duration;

use actix_session::Session;
use actix_web::web;
use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;
use adboard_store::{Connector, Member, TeamPage};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::session;
use crate::state::AppState;
use crate::tokens::ct_eq;

use checks::CHECK_EVERY;

/// A token that expires within this is "Reconnect needed" already.
const EXPIRY_WARNING: chrono::Duration = chrono::Duration::days(7);

const PENDING: &str = "pending_connect";
const DECLINED: &str = "connect_declined";

/// Why a connection was started; only `Connect` states are accepted by a connector callback (a
/// sign-in keeps its state in another slot with another shape, so neither is taken for the other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Purpose {
    Connect,
}

/// A started connection, kept in the encrypted session until the platform sends the owner back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingConnect {
    pub purpose: Purpose,
    pub platform: Platform,
    pub team: TeamId,
    pub state: String,
    pub pkce_verifier: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// What the platform sent back to the callback.
#[derive(Debug, Default, Deserialize)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_reason: Option<String>,
}

/// Remembers a started connection (replacing any earlier one in this browser).
pub fn remember(session: &Session, pending: &PendingConnect) -> Result<(), AppError> {
    session::insert(session, PENDING, pending)
}

/// Checks a callback against the pending connection: same purpose and platform, state present
/// and equal (constant time), started for the team selected now, not expired, never used before,
/// no error from the platform. Returns the pending connection and the code.
pub fn check_callback(
    session: &Session,
    platform: Platform,
    selected: TeamId,
    params: &CallbackParams,
    ttl: Duration,
    consumed: &crate::auth::ConsumedStates,
) -> Result<(PendingConnect, String), AppError> {
    let refuse = AppError::ConnectFailed;
    let pending: PendingConnect = session::take(session, PENDING).ok_or(refuse(
        "this browser has no connection in progress (or it was already used).",
    ))?;
    if pending.purpose != Purpose::Connect || pending.platform != platform {
        return Err(refuse("the answer belongs to another kind of request."));
    }
    let state = params
        .state
        .as_deref()
        .ok_or(refuse("the answer carried no state."))?;
    if !ct_eq(state, &pending.state) {
        return Err(refuse(
            "the answer does not belong to this browser's connection.",
        ));
    }
    if pending.team != selected {
        return Err(refuse(
            "the connection was started for another team than the one selected now.",
        ));
    }
    let age = chrono::Utc::now().timestamp() - pending.created_at;
    if age < 0 || age as u64 >= ttl.as_secs() {
        return Err(refuse("it took too long and expired."));
    }
    if !consumed.consume(state, ttl) {
        return Err(refuse("this answer was already used."));
    }
    if let Some(error) = params.error.as_deref() {
        return Err(AppError::ConnectCancelled(cancel_reason(
            error,
            params.error_reason.as_deref(),
        )));
    }
    let code = params
        .code
        .clone()
        .filter(|c| !c.is_empty())
        .ok_or(refuse("the answer carried no code."))?;
    Ok((pending, code))
}

/// Facebook's reason for sending the person back without a code, in our words.
fn cancel_reason(error: &str, reason: Option<&str>) -> &'static str {
    match (error, reason) {
        ("access_denied", Some("user_denied")) | ("access_denied", None) => {
            "You cancelled at Facebook (or did not allow access), so nothing was connected."
        }
        ("access_denied", _) => "Facebook denied access, so nothing was connected.",
        ("temporarily_unavailable" | "server_error", _) => {
            "Facebook is having trouble right now, so nothing was connected. Please try again later."
        }
        _ => "Facebook did not complete the connection, so nothing was connected.",
    }
}

/// Remembers which permissions the owner declined, so the page offers to ask again for them.
pub fn remember_declined(session: &Session, scopes: &[String]) -> Result<(), AppError> {
    session::insert(session, DECLINED, &scopes)
}

/// The declined permissions of the last attempt, if any (shown once).
pub fn take_declined(session: &Session) -> Vec<String> {
    session::take(session, DECLINED).unwrap_or_default()
}

/// A connector's health as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    Healthy,
    /// Why the owner must reconnect.
    ReconnectNeeded(String),
}

/// Whether `connector` still works, from what we know without asking the platform: the last
/// background check, the expiry dates, and whether this server can still read the token.
pub fn health(connector: &Connector, state: &AppState, now: DateTime<Utc>) -> Health {
    let date = |at: DateTime<Utc>| at.format("%Y-%m-%d").to_string();
    if !state
        .keyring
        .key_ids()
        .any(|id| id == connector.token.key_id)
    {
        return Health::ReconnectNeeded(
            "This server can no longer read the stored token (its encryption key changed).".into(),
        );
    }
    if let Some(reason) = &connector.health.invalid_reason {
        return Health::ReconnectNeeded(reason.clone());
    }
    if let Some(at) = connector.expires_at {
        if at <= now {
            return Health::ReconnectNeeded(format!("The token expired on {}.", date(at)));
        }
        if at - now <= EXPIRY_WARNING {
            return Health::ReconnectNeeded(format!("The token expires on {}.", date(at)));
        }
    }
    if let Some(at) = connector.data_access_expires_at
        && at <= now
    {
        return Health::ReconnectNeeded(format!(
            "Facebook's data access for this connection ended on {}.",
            date(at)
        ));
    }
    Health::Healthy
}

/// Asks the platform about the stored token in the background when the last check is older than
/// an hour; the page view never waits for it. The result is recorded only if the connector was
/// not replaced meanwhile.
pub fn check_in_background(state: &web::Data<AppState>, connector: &Connector) {
    let fresh = connector.health.checked_at.is_some_and(|at| {
        (Utc::now() - at)
            .to_std()
            .is_ok_and(|age| age < CHECK_EVERY)
    });
    if fresh
        || !state
            .connector_checks
            .claim((connector.team, connector.platform))
    {
        return;
    }
    let state = state.clone();
    let connector = connector.clone();
    tokio::spawn(async move {
        let verdict = match connector.platform {
            Platform::Facebook => facebook::check_stored_token(&state, &connector).await,
        };
        let Ok(invalid_reason) = verdict else {
            return; // the platform could not be asked: try again after the next hour
        };
        let recorded = state
            .store
            .record_connector_check(
                connector.team,
                connector.platform,
                connector.connected_at,
                Utc::now(),
                invalid_reason,
            )
            .await;
        if let Err(err) = recorded {
            tracing::warn!(team.id = %connector.team, error.cause = %err, "recording a token check failed");
        }
    });
}

/// A connector card as the templates see it (never the token).
#[derive(Debug, Serialize)]
pub struct ConnectorCard {
    pub platform: &'static str,
    pub name: &'static str,
    pub logo: &'static str,
    pub connected: bool,
    pub connected_by: Option<String>,
    pub connected_at: Option<String>,
    pub external_user_name: Option<String>,
    pub scopes: Vec<String>,
    pub expires_at: Option<String>,
    pub data_access_expires_at: Option<String>,
    pub account: Option<AccountView>,
    /// "Reconnect needed" and why.
    pub reconnect_reason: Option<String>,
}

/// The chosen ad account as shown.
#[derive(Debug, Serialize)]
pub struct AccountView {
    pub id: String,
    pub name: String,
    pub currency: String,
    pub timezone: String,
}

/// The card of each platform for a team page (connected or not), in `Platform::ALL` order.
pub fn cards(page: &TeamPage, state: &AppState) -> Vec<ConnectorCard> {
    let when = crate::templates::timestamp;
    let now = Utc::now();
    Platform::ALL
        .iter()
        .map(|&platform| {
            let info = platform_info(platform);
            let Some(connector) = page.connector(platform) else {
                return ConnectorCard {
                    platform: platform.as_str(),
                    name: platform.display_name(),
                    logo: info.logo,
                    connected: false,
                    connected_by: None,
                    connected_at: None,
                    external_user_name: None,
                    scopes: Vec::new(),
                    expires_at: None,
                    data_access_expires_at: None,
                    account: None,
                    reconnect_reason: None,
                };
            };
            let by: Option<&Member> = page.member(connector.connected_by);
            ConnectorCard {
                platform: platform.as_str(),
                name: platform.display_name(),
                logo: info.logo,
                connected: true,
                connected_by: Some(
                    by.map(|m| m.user.name.as_str().to_owned())
                        .unwrap_or_else(|| "a former member".to_owned()),
                ),
                connected_at: Some(when(connector.connected_at)),
                external_user_name: Some(connector.external_user_name.clone()),
                scopes: connector.scopes.clone(),
                expires_at: Some(
                    connector
                        .expires_at
                        .map(when)
                        .unwrap_or_else(|| "never".to_owned()),
                ),
                data_access_expires_at: connector.data_access_expires_at.map(when),
                account: connector.account.as_ref().map(|a| AccountView {
                    id: a.id.as_str().to_owned(),
                    name: a.name.clone(),
                    currency: a.currency.clone(),
                    timezone: a.timezone.clone(),
                }),
                reconnect_reason: match health(connector, state, now) {
                    Health::Healthy => None,
                    Health::ReconnectNeeded(why) => Some(why),
                },
            }
        })
        .collect()
}

/// What a platform module declares about itself.
#[derive(Debug)]
pub struct PlatformInfo {
    /// Path of the vendored logo under `/static/`.
    pub logo: &'static str,
}

fn platform_info(platform: Platform) -> PlatformInfo {
    match platform {
        Platform::Facebook => facebook::INFO,
    }
}

/// Where the platform sends the owner back after connecting (registered with the platform's app).
pub fn callback_url(public_url: &str, platform: Platform) -> String {
    format!("{public_url}/connectors/{platform}/callback")
}

/// The connectors page's own URL (where every connector action lands).
pub const PAGE: &str = "/connectors";

/// Whether `scopes` lack any of `required`; the missing ones.
pub fn missing_scopes(scopes: &[String], required: &[&str]) -> Vec<String> {
    required
        .iter()
        .filter(|r| !scopes.iter().any(|s| s == *r))
        .map(|r| (*r).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declined_permission_is_missing() {
        let granted = vec!["public_profile".to_owned(), "email".to_owned()];
        assert_eq!(missing_scopes(&granted, &["ads_read"]), vec!["ads_read"]);
        assert!(missing_scopes(&["ads_read".to_owned()], &["ads_read"]).is_empty());
    }

    #[test]
    fn cancel_reasons_never_echo_the_platform_text() {
        let reason = cancel_reason("access_denied", Some("<script>"));
        assert!(!reason.contains('<'));
        assert!(cancel_reason("access_denied", Some("user_denied")).contains("cancelled"));
    }
}
