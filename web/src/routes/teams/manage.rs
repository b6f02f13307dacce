//! Managing a team (OWNER, ADMIN): edit its settings, invite by email, revoke invitations.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{TeamView, assignable_roles, invite_message, redirect};
use crate::error::AppError;
use crate::session::{self, SignedIn};
use crate::startup::AppState;
use crate::teams::{self, COMMON_CONVERSION_EVENTS, Need};
use crate::templates::{Nav, html, page_context};

/// `GET /teams/{id}/edit`.
pub async fn edit_form(
    SignedIn(user): SignedIn,
    path: web::Path<String>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let mine = teams::authorize(state.store.as_ref(), &path, user.id, Need::Manager).await?;
    let mut context = page_context(&session, Some(&user), Nav::Teams)?;
    context.insert("team", &TeamView::from(&mine.team));
    context.insert("events", &COMMON_CONVERSION_EVENTS);
    Ok(html(state.templates.render("teams/edit.html", &context)?))
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    csrf_token: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    ad_account_id: String,
    #[serde(default)]
    conversion_event: String,
}

/// `POST /teams/{id}/edit`: name, ad account id (`act_` stripped), conversion event.
pub async fn update(
    SignedIn(user): SignedIn,
    path: web::Path<String>,
    form: web::Form<EditForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    session::check_csrf(&session, form.csrf_token.as_deref())?;
    let mine = teams::authorize(state.store.as_ref(), &path, user.id, Need::Manager).await?;
    let name = teams::parse_team_name(&form.name)?;
    let settings = teams::parse_settings(&form.ad_account_id, &form.conversion_event)?;
    let team = state
        .store
        .update_team(mine.team.id, name, settings)
        .await?;
    tracing::info!(team.id = %team.id, user.id = %user.id, "team updated");
    session::add_flash(&session, "info", "Team settings saved.")?;
    Ok(redirect(&format!("/teams/{}", team.id)))
}

/// `GET /teams/{id}/invite`.
pub async fn invite_form(
    SignedIn(user): SignedIn,
    path: web::Path<String>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let mine = teams::authorize(state.store.as_ref(), &path, user.id, Need::Manager).await?;
    let mut context = page_context(&session, Some(&user), Nav::Teams)?;
    context.insert("team", &TeamView::from(&mine.team));
    context.insert("roles", &assignable_roles());
    Ok(html(state.templates.render("teams/invite.html", &context)?))
}

#[derive(Debug, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    csrf_token: Option<String>,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// `POST /teams/{id}/invite`: an existing user is added at once, anyone else is invited.
pub async fn invite(
    SignedIn(user): SignedIn,
    path: web::Path<String>,
    form: web::Form<InviteForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    session::check_csrf(&session, form.csrf_token.as_deref())?;
    let mine = teams::authorize(state.store.as_ref(), &path, user.id, Need::Manager).await?;
    let email = teams::parse_email(&form.email)?;
    let role = teams::parse_assignable_role(&form.role)?;
    let outcome =
        adboard_store::invite_or_add(state.store.as_ref(), mine.team.id, &email, role, user.id)
            .await?;
    tracing::info!(team.id = %mine.team.id, user.id = %user.id, "member invited");
    session::add_flash(&session, "info", invite_message(&outcome))?;
    Ok(redirect(&format!("/teams/{}", mine.team.id)))
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf_token: Option<String>,
    #[serde(default)]
    email: String,
}

/// `POST /teams/{id}/invitations/revoke`.
pub async fn revoke(
    SignedIn(user): SignedIn,
    path: web::Path<String>,
    form: web::Form<RevokeForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    session::check_csrf(&session, form.csrf_token.as_deref())?;
    let mine = teams::authorize(state.store.as_ref(), &path, user.id, Need::Manager).await?;
    // An invitation is named by its email: a malformed one names no invitation.
    let email = teams::parse_email(&form.email).map_err(|_| AppError::NotFound)?;
    state.store.revoke_invitation(mine.team.id, &email).await?;
    session::add_flash(&session, "info", "Invitation revoked.")?;
    Ok(redirect(&format!("/teams/{}", mine.team.id)))
}
