//! Facebook Ads: connect (the Login dialog asking for `ads_read`), the callback's checks (code →
//! short-lived → long-lived token; `debug_token`: issued to our app, valid, `ads_read` granted),
//! the ad-account picker, disconnect (revoke at Facebook) and the background token check. The token
//! is sealed with the keyring before it is stored and opened only at the point of use.

use actix_session::Session;
use adboard_domain::account::UserId;
use adboard_domain::ads::AdAccountId;
use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;
use adboard_facebook::{AdAccount, ErrorKind, GraphClient, GraphError, TokenInfo};
use adboard_store::{
    ConnectedAccount, Connector, ConnectorHealth, Team, TeamSettings, connector_context,
};
use chrono::Utc;
use secrecy::SecretString;

use super::{PendingConnect, PlatformInfo, Purpose, callback_url, missing_scopes, remember};
use crate::auth::facebook::{FacebookProvider, debug_token_refusal};
use crate::error::AppError;
use crate::state::AppState;

pub const INFO: PlatformInfo = PlatformInfo {
    logo: "/static/facebook-ads.svg",
};

/// What a connection must be granted.
pub const REQUIRED_SCOPES: [&str; 1] = ["ads_read"];

const PLATFORM: Platform = Platform::Facebook;

fn app(state: &AppState) -> Result<&FacebookProvider, AppError> {
    state
        .providers
        .facebook
        .as_ref()
        .ok_or(AppError::NotConfigured(
            "Facebook is not configured on this server (FACEBOOK_APP_ID and FACEBOOK_APP_SECRET).",
        ))
}

/// A Graph failure while connecting: Facebook refusing what we sent is the connection failing
/// (with `refused` as the reason); anything else is Facebook being unavailable.
fn connect_error(refused: &'static str) -> impl Fn(GraphError) -> AppError {
    move |err| match err {
        GraphError::Api(ref e) if (400..500).contains(&e.http_status) => {
            tracing::info!(graph.error = %err, "Facebook refused a connect call");
            AppError::ConnectFailed(refused)
        }
        other => AppError::Facebook(other.into()),
    }
}

/// Starts a connection for `team`: remembers it in the session and returns the dialog URL.
pub fn start(
    state: &AppState,
    session: &Session,
    team: TeamId,
    rerequest: bool,
) -> Result<url::Url, AppError> {
    let dialog = app(state)?.dialog(
        &callback_url(&state.public_url, PLATFORM),
        &REQUIRED_SCOPES,
        rerequest,
    )?;
    remember(
        session,
        &PendingConnect {
            purpose: Purpose::Connect,
            platform: PLATFORM,
            team,
            state: dialog.state,
            pkce_verifier: dialog.pkce_verifier,
            created_at: Utc::now().timestamp(),
        },
    )?;
    Ok(dialog.url)
}

/// What the callback achieved.
#[derive(Debug)]
pub enum Outcome {
    Connected(Box<Connector>),
    /// The owner declined these required permissions: nothing was stored.
    Declined(Vec<String>),
}

/// `debug_token` on a user token: issued to OUR app (`app_id`) and valid, else refused with a
/// clear reason. Public so the "token of another app" case is testable against the sandbox, which
/// can mint such a token but never hands one out through a code exchange.
pub async fn check_token(
    graph: &GraphClient,
    token: &SecretString,
    app_id: &str,
) -> Result<TokenInfo, AppError> {
    let info = graph
        .debug_token(token)
        .await
        .map_err(|e| match debug_token_refusal(&e) {
            Some(reason) => AppError::ConnectFailed(reason),
            None => AppError::Facebook(e.into()),
        })?;
    if info.app_id.as_deref() != Some(app_id) {
        return Err(AppError::ConnectFailed(
            "Facebook says the token was issued to another application.",
        ));
    }
    if !info.is_valid {
        return Err(AppError::ConnectFailed(
            "Facebook says the token is not valid.",
        ));
    }
    Ok(info)
}

/// The callback's work after the state checked out: code → long-lived token → checks → stored
/// (replacing any earlier connection of the team, atomically). The chosen ad account carries over.
pub async fn finish(
    state: &AppState,
    pending: PendingConnect,
    code: String,
    owner: UserId,
) -> Result<Outcome, AppError> {
    let app = app(state)?;
    let graph = app.graph();
    let short = graph
        .exchange_code(
            &SecretString::from(code),
            &callback_url(&state.public_url, PLATFORM),
            Some(&SecretString::from(pending.pkce_verifier)),
        )
        .await
        .map_err(connect_error(
            "Facebook did not accept the code (it may have been used already).",
        ))?;
    let long = graph
        .exchange_long_lived(&short.token)
        .await
        .map_err(connect_error("Facebook would not extend the token."))?;
    let info = check_token(graph, &long.token, app.app_id()).await?;
    let missing = missing_scopes(&info.scopes, &REQUIRED_SCOPES);
    if !missing.is_empty() {
        return Ok(Outcome::Declined(missing));
    }
    let me = graph.me(&long.token).await.map_err(connect_error(
        "Facebook refused to say whose token this is.",
    ))?;
    if info.user_id.as_deref() != Some(me.id.as_str()) {
        return Err(AppError::ConnectFailed(
            "Facebook's answers about the user do not agree.",
        ));
    }
    let team = pending.team;
    let token = state
        .keyring
        .seal(&long.token, &connector_context(team, PLATFORM))
        .map_err(AppError::unexpected)?;
    let previous = state.store.get_connector(team, PLATFORM).await?;
    let now = Utc::now();
    let connector = Connector {
        team,
        platform: PLATFORM,
        token,
        external_user_id: me.id,
        external_user_name: me.name.unwrap_or_else(|| "Facebook user".to_owned()),
        scopes: info.scopes,
        expires_at: info.expires_at.or_else(|| {
            long.expires_in
                .and_then(|d| chrono::Duration::from_std(d).ok())
                .map(|d| now + d)
        }),
        data_access_expires_at: info.data_access_expires_at,
        connected_by: owner,
        connected_at: now,
        account: previous.and_then(|p| p.account),
        health: ConnectorHealth {
            checked_at: Some(now),
            invalid_reason: None,
        },
    };
    let stored = state.store.put_connector(connector).await?;
    tracing::info!(team.id = %team, user.id = %owner, "Facebook Ads connected");
    Ok(Outcome::Connected(Box::new(stored)))
}

/// A Graph failure while using a stored token: an expired or invalid token is recorded (the page
/// then says "Reconnect needed") and reported as such; anything else is Facebook unavailable.
async fn token_failure(state: &AppState, connector: &Connector, err: GraphError) -> AppError {
    if matches!(
        err.kind(),
        ErrorKind::TokenExpired | ErrorKind::TokenInvalid
    ) {
        let _ = state
            .store
            .record_connector_check(
                connector.team,
                PLATFORM,
                connector.connected_at,
                Utc::now(),
                Some("Facebook says the token is no longer valid (revoked or expired).".into()),
            )
            .await;
        return AppError::ReconnectNeeded;
    }
    AppError::Facebook(err.into())
}

fn open_token(state: &AppState, connector: &Connector) -> Result<SecretString, AppError> {
    connector
        .open_token(&state.keyring)
        .map_err(|_| AppError::ReconnectNeeded)
}

/// The ad accounts the stored token can read (every page), for the picker.
pub async fn ad_accounts(
    state: &AppState,
    connector: &Connector,
) -> Result<Vec<AdAccount>, AppError> {
    let token = open_token(state, connector)?;
    match state.graph.my_ad_accounts(&token).await {
        Ok(accounts) => Ok(accounts),
        Err(err) => Err(token_failure(state, connector, err).await),
    }
}

/// Makes `raw_id` the team's ad account, if the connection can read it.
pub async fn choose_account(
    state: &AppState,
    team: &Team,
    connector: &Connector,
    raw_id: &str,
) -> Result<AdAccount, AppError> {
    let id = AdAccountId::parse(raw_id)?;
    let account = ad_accounts(state, connector)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::BadRequest(
            "That ad account is not one this Facebook connection can read.",
        ))?;
    let settings = TeamSettings {
        ad_account_id: Some(account.id.clone()),
        conversion_event: team.settings.conversion_event.clone(),
    };
    state
        .store
        .update_team(team.id, team.name.clone(), settings)
        .await?;
    state
        .store
        .set_connector_account(
            team.id,
            PLATFORM,
            ConnectedAccount {
                id: account.id.clone(),
                name: account.name.clone(),
                currency: account.currency.clone(),
                timezone: account.timezone_name.clone(),
            },
        )
        .await?;
    Ok(account)
}

/// What disconnecting did.
#[derive(Debug, PartialEq, Eq)]
pub enum Disconnected {
    /// There was no connection.
    NotConnected,
    /// Access revoked at Facebook and the token deleted here.
    Revoked,
    /// Deleted here; the same Facebook user still connects another team, so access was kept.
    KeptForOtherTeams,
    /// Deleted here; Facebook could not be reached to revoke access.
    FacebookUnreachable,
}

/// Revokes the app's access at Facebook (unless the same Facebook user connects another team,
/// whose connection a revocation would break) and deletes the token here whatever Facebook says.
pub async fn disconnect(state: &AppState, team: TeamId) -> Result<Disconnected, AppError> {
    let Some(connector) = state.store.get_connector(team, PLATFORM).await? else {
        return Ok(Disconnected::NotConnected);
    };
    let shared = state.store.list_connectors().await?.iter().any(|c| {
        c.platform == PLATFORM && c.team != team && c.external_user_id == connector.external_user_id
    });
    let outcome = if shared {
        Disconnected::KeptForOtherTeams
    } else {
        match connector.open_token(&state.keyring) {
            Ok(token) => match state.graph.revoke_permissions(&token).await {
                Ok(_) => Disconnected::Revoked,
                Err(err)
                    if matches!(
                        err.kind(),
                        ErrorKind::TokenExpired | ErrorKind::TokenInvalid
                    ) =>
                {
                    Disconnected::Revoked // already without access at Facebook
                }
                Err(err) => {
                    tracing::warn!(team.id = %team, error.cause = %err, "revoking at Facebook failed");
                    Disconnected::FacebookUnreachable
                }
            },
            Err(_) => Disconnected::FacebookUnreachable,
        }
    };
    state.store.delete_connector(team, PLATFORM).await?;
    tracing::info!(team.id = %team, outcome = ?outcome, "Facebook Ads disconnected");
    Ok(outcome)
}

/// The background check: `Ok(None)` if Facebook vouches for the token, `Ok(Some(reason))` if the
/// owner must reconnect, `Err(())` if Facebook could not be asked.
pub async fn check_stored_token(
    state: &AppState,
    connector: &Connector,
) -> Result<Option<String>, ()> {
    let Ok(app) = app(state) else {
        return Err(());
    };
    let Ok(token) = connector.open_token(&state.keyring) else {
        return Ok(Some(
            "This server can no longer read the stored token (its encryption key changed).".into(),
        ));
    };
    match check_token(app.graph(), &token, app.app_id()).await {
        Ok(info) if missing_scopes(&info.scopes, &REQUIRED_SCOPES).is_empty() => Ok(None),
        Ok(_) => Ok(Some(
            "The ads_read permission was withdrawn at Facebook.".into(),
        )),
        Err(AppError::ConnectFailed(reason)) => Ok(Some(reason.to_owned())),
        Err(err) => {
            tracing::info!(team.id = %connector.team, error.cause = %err, "token check skipped: Facebook unavailable");
            Err(())
        }
    }
}
