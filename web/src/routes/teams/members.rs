//! Membership actions: change a role, remove a member, leave, transfer ownership, delete the team.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{TeamView, TokenForm, redirect};
use crate::error::AppError;
use crate::session::{self, SignedIn};
use crate::startup::AppState;
use crate::teams::{self, Need};
use crate::templates::{Nav, html, page_context};

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    csrf_token: Option<String>,
    #[serde(default)]
    role: String,
}

/// `POST /teams/{id}/members/{user}/role` (OWNER, ADMIN): never to or from OWNER.
pub async fn set_role(
    SignedIn(user): SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<RoleForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    session::check_csrf(&session, form.csrf_token.as_deref())?;
    let (team_id, member) = path.into_inner();
    let mine = teams::authorize(state.store.as_ref(), &team_id, user.id, Need::Manager).await?;
    let member = teams::parse_member(&member)?;
    let role = teams::parse_assignable_role(&form.role)?;
    state
        .store
        .set_member_role(mine.team.id, member, role)
        .await?;
    tracing::info!(team.id = %mine.team.id, member.id = %member, "member role changed");
    session::add_flash(&session, "info", "Role changed.")?;
    Ok(redirect(&format!("/teams/{}", mine.team.id)))
}

/// `POST /teams/{id}/members/{user}/remove` (OWNER, ADMIN): never the owner.
pub async fn remove(
    SignedIn(user): SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<TokenForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    session::check_csrf(&session, form.csrf_token.as_deref())?;
    let (team_id, member) = path.into_inner();
    let mine = teams::authorize(state.store.as_ref(), &team_id, user.id, Need::Manager).await?;
    let member = teams::parse_member(&member)?;
    state.store.remove_member(mine.team.id, member).await?;
    tracing::info!(team.id = %mine.team.id, member.id = %member, "member removed");
    session::add_flash(&session, "info", "Member removed.")?;
    if member == user.id {
        teams::unselect_team(&session, mine.team.id);
        return Ok(redirect("/teams"));
    }
    Ok(redirect(&format!("/teams/{}", mine.team.id)))
}

/// `POST /teams/{id}/leave` (any member but the owner).
pub async fn leave(
    SignedIn(user): SignedIn,
    path: web::Path<String>,
    form: web::Form<TokenForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    session::check_csrf(&session, form.csrf_token.as_deref())?;
    let mine = teams::authorize(state.store.as_ref(), &path, user.id, Need::Member).await?;
    state.store.remove_member(mine.team.id, user.id).await?;
    teams::unselect_team(&session, mine.team.id);
    tracing::info!(team.id = %mine.team.id, user.id = %user.id, "member left");
    session::add_flash(&session, "info", "You left the team.")?;
    Ok(redirect("/teams"))
}

#[derive(Debug, Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    csrf_token: Option<String>,
    #[serde(default)]
    member: String,
}

/// `POST /teams/{id}/transfer` (OWNER): the member becomes OWNER, the owner an ADMIN.
pub async fn transfer(
    SignedIn(user): SignedIn,
    path: web::Path<String>,
    form: web::Form<TransferForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    session::check_csrf(&session, form.csrf_token.as_deref())?;
    let mine = teams::authorize(state.store.as_ref(), &path, user.id, Need::Owner).await?;
    let to = teams::parse_member(&form.member)?;
    state
        .store
        .transfer_ownership(mine.team.id, user.id, to)
        .await?;
    tracing::info!(team.id = %mine.team.id, member.id = %to, "ownership transferred");
    session::add_flash(
        &session,
        "info",
        "Ownership transferred. You are now an admin.",
    )?;
    Ok(redirect(&format!("/teams/{}", mine.team.id)))
}

/// `GET /teams/{id}/delete` (OWNER): the confirmation page.
pub async fn delete_form(
    SignedIn(user): SignedIn,
    path: web::Path<String>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let mine = teams::authorize(state.store.as_ref(), &path, user.id, Need::Owner).await?;
    let mut context = page_context(&session, Some(&user), Nav::Teams)?;
    context.insert("team", &TeamView::from(&mine.team));
    Ok(html(state.templates.render("teams/delete.html", &context)?))
}

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    csrf_token: Option<String>,
    /// Must be `yes` (the confirmation checkbox).
    #[serde(default)]
    confirm: String,
}

/// `POST /teams/{id}/delete` (OWNER, confirmed): the team, its members, invitations, connectors.
pub async fn delete(
    SignedIn(user): SignedIn,
    path: web::Path<String>,
    form: web::Form<DeleteForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    session::check_csrf(&session, form.csrf_token.as_deref())?;
    let mine = teams::authorize(state.store.as_ref(), &path, user.id, Need::Owner).await?;
    if form.confirm != "yes" {
        return Err(AppError::BadRequest(
            "Tick the confirmation box to delete the team.",
        ));
    }
    state.store.delete_team(mine.team.id).await?;
    teams::unselect_team(&session, mine.team.id);
    tracing::info!(team.id = %mine.team.id, user.id = %user.id, "team deleted");
    session::add_flash(&session, "info", "Team deleted.")?;
    Ok(redirect("/teams"))
}
