//! The Connectors pages, for the selected team's OWNER (404 for everyone else): the cards, connect
//! and reconnect, the platform's callback, the ad-account picker, disconnect.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use adboard_domain::connector::Platform;
use adboard_domain::team::TeamRole;
use adboard_store::{Member, TeamPage};
use serde::{Deserialize, Serialize};

use super::{flash_and_redirect, redirect};
use crate::connectors::{self, CallbackParams, PAGE, facebook};
use crate::error::AppError;
use crate::extract::{Csrf, NoFields, SessionUser};
use crate::session;
use crate::state::AppState;
use crate::teams;
use crate::templates::{Nav, html, page_context};

/// The selected team's page, if I own it: no team selected → `Err(redirect to /teams)`; not a
/// member or not the owner → 404 (connectors are the owner's alone, so others cannot probe them).
async fn owned_team(
    me: &SessionUser,
    session: &Session,
    state: &AppState,
) -> Result<Result<(TeamPage, Member), HttpResponse>, AppError> {
    let Some(team) = teams::selected_team(session) else {
        return Ok(Err(flash_and_redirect(
            session,
            teams::SELECT_A_TEAM,
            "/teams",
        )?));
    };
    let (page, mine) = teams::team_page_for(state.store.as_ref(), &team.to_string(), me.id).await?;
    if mine.role != TeamRole::Owner {
        return Err(AppError::NotFound);
    }
    Ok(Ok((page, mine)))
}

/// Unwraps [`owned_team`]'s redirect.
macro_rules! owned_team_or_redirect {
    ($me:expr, $session:expr, $state:expr) => {
        match owned_team($me, $session, $state).await? {
            Ok(found) => found,
            Err(redirect) => return Ok(redirect),
        }
    };
}

fn platform(raw: &str) -> Result<Platform, AppError> {
    Platform::parse(raw).map_err(|_| AppError::NotFound)
}

/// Any other method on a POST-only connector route: 405 for a platform we know, else 404.
pub async fn post_only(path: web::Path<String>) -> Result<HttpResponse, AppError> {
    platform(&path)?;
    Err(AppError::MethodNotAllowed)
}

/// `GET /connectors`: one card per platform; a stale token check starts in the background.
pub async fn page(
    me: SessionUser,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (page, mine) = owned_team_or_redirect!(&me, &session, &state);
    for connector in &page.connectors {
        connectors::check_in_background(&state, connector);
    }
    let mut context = page_context(&session, Some(&mine.user), Nav::Connectors)?;
    context.insert("team_id", &page.team.id.to_string());
    context.insert("team_name", page.team.name.as_str());
    context.insert("cards", &connectors::cards(&page, &state));
    context.insert("declined", &connectors::take_declined(&session));
    Ok(html(
        state.templates.render("connectors/index.html", &context)?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct ConnectForm {
    /// `1` to ask again for permissions declined before.
    #[serde(default)]
    rerequest: Option<String>,
}

/// `POST /connectors/{platform}`: connect or reconnect — off to the platform's dialog.
pub async fn connect(
    me: SessionUser,
    path: web::Path<String>,
    Csrf(form): Csrf<ConnectForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let platform = platform(&path)?;
    let (page, _) = owned_team_or_redirect!(&me, &session, &state);
    let rerequest = form.rerequest.as_deref() == Some("1");
    let to = match platform {
        Platform::Facebook => facebook::start(&state, &session, page.team.id, rerequest)?,
    };
    Ok(redirect(to.as_str()))
}

/// `GET /connectors/{platform}/callback`: checks the state, finishes the connection, and sends the
/// owner to the account picker. A failed or cancelled connection lands back on the connectors page
/// with the reason, never on a dead end.
pub async fn callback(
    me: SessionUser,
    path: web::Path<String>,
    query: web::Query<CallbackParams>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let platform = platform(&path)?;
    let (page, mine) = owned_team_or_redirect!(&me, &session, &state);
    let outcome = async {
        let (pending, code) = connectors::check_callback(
            &session,
            platform,
            page.team.id,
            &query,
            state.providers.ttl,
            &state.providers.consumed,
        )?;
        match platform {
            Platform::Facebook => facebook::finish(&state, pending, code, mine.user.id).await,
        }
    }
    .await;
    match outcome {
        Ok(facebook::Outcome::Connected(_)) => flash_and_redirect(
            &session,
            "Facebook Ads connected. Now choose the team's ad account.",
            &format!("/connectors/{platform}/accounts"),
        ),
        Ok(facebook::Outcome::Declined(missing)) => {
            connectors::remember_declined(&session, &missing)?;
            session::add_flash(
                &session,
                "error",
                &format!(
                    "Facebook Ads was not connected: the permission {} was not granted, and \
                     Adboard cannot read ad data without it.",
                    missing.join(", ")
                ),
            )?;
            Ok(redirect(PAGE))
        }
        Err(
            err @ (AppError::ConnectFailed(_)
            | AppError::ConnectCancelled(_)
            | AppError::Facebook(_)
            | AppError::NotConfigured(_)),
        ) => {
            tracing::info!(team.id = %page.team.id, error.kind = err.title(), error.cause = ?std::error::Error::source(&err).map(|s| s.to_string()), "connection not completed");
            session::add_flash(&session, "error", &err.public_message())?;
            Ok(redirect(PAGE))
        }
        Err(other) => Err(other),
    }
}

#[derive(Debug, Serialize)]
struct AccountRow {
    id: String,
    name: String,
    currency: String,
    timezone: String,
    status: &'static str,
    chosen: bool,
}

fn account_status(status: Option<i64>) -> &'static str {
    match status {
        Some(1) => "Active",
        Some(2) => "Disabled",
        Some(3) => "Unsettled",
        Some(7) => "Pending risk review",
        Some(9) => "In grace period",
        Some(100) => "Pending closure",
        Some(101) => "Closed",
        _ => "Unknown",
    }
}

/// `GET /connectors/{platform}/accounts`: the ad accounts the connection can read.
pub async fn accounts(
    me: SessionUser,
    path: web::Path<String>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let platform = platform(&path)?;
    let (page, mine) = owned_team_or_redirect!(&me, &session, &state);
    let Some(connector) = page.connector(platform) else {
        return flash_and_redirect(&session, "Connect Facebook Ads first.", PAGE);
    };
    let chosen = page.team.settings.ad_account_id.as_ref();
    let rows: Vec<AccountRow> = facebook::ad_accounts(&state, connector)
        .await?
        .into_iter()
        .map(|a| AccountRow {
            chosen: Some(&a.id) == chosen,
            id: a.id.as_str().to_owned(),
            name: a.name,
            currency: a.currency,
            timezone: a.timezone_name,
            status: account_status(a.status),
        })
        .collect();
    let mut context = page_context(&session, Some(&mine.user), Nav::Connectors)?;
    context.insert("team_id", &page.team.id.to_string());
    context.insert("team_name", page.team.name.as_str());
    context.insert("platform", platform.as_str());
    context.insert("accounts", &rows);
    Ok(html(
        state
            .templates
            .render("connectors/accounts.html", &context)?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    account_id: String,
}

/// `POST /connectors/{platform}/accounts`: the chosen account becomes the team's ad account.
pub async fn choose_account(
    me: SessionUser,
    path: web::Path<String>,
    Csrf(form): Csrf<AccountForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let platform = platform(&path)?;
    let (page, _) = owned_team_or_redirect!(&me, &session, &state);
    let Some(connector) = page.connector(platform) else {
        return flash_and_redirect(&session, "Connect Facebook Ads first.", PAGE);
    };
    let account = facebook::choose_account(&state, &page.team, connector, &form.account_id).await?;
    flash_and_redirect(
        &session,
        &format!(
            "Ad account \"{}\" (act_{}) chosen.",
            account.name, account.id
        ),
        &format!("/teams/{}", page.team.id),
    )
}

/// `POST /connectors/{platform}/disconnect`: revoke at the platform, delete here.
pub async fn disconnect(
    me: SessionUser,
    path: web::Path<String>,
    _: Csrf<NoFields>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let platform = platform(&path)?;
    let (page, _) = owned_team_or_redirect!(&me, &session, &state);
    let message = match platform {
        Platform::Facebook => match facebook::disconnect(&state, page.team.id).await? {
            facebook::Disconnected::NotConnected => {
                "Facebook Ads was not connected; nothing to do."
            }
            facebook::Disconnected::Revoked => {
                "Facebook Ads disconnected: access was revoked at Facebook and the token deleted."
            }
            facebook::Disconnected::KeptForOtherTeams => {
                "Facebook Ads disconnected and the token deleted. Access at Facebook was kept \
                 because the same Facebook user connects another team."
            }
            facebook::Disconnected::FacebookUnreachable => {
                "Facebook Ads disconnected and the token deleted here, but Facebook could not be \
                 reached to revoke access. You can remove Adboard in your Facebook settings."
            }
        },
    };
    flash_and_redirect(&session, message, PAGE)
}
