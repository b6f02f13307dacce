//! Membership actions: change a role, remove a member, leave, transfer ownership, delete the team.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use adboard_domain::account::UserId;
use adboard_domain::team::TeamRole;
use serde::Deserialize;

use super::{flash_and_redirect, team_form_page, team_url};
use crate::error::AppError;
use crate::extract::{AnyMember, Manager, NoFields, Owner, TeamAccess, TeamAction};
use crate::state::AppState;
use crate::teams;

/// The `{member}` segment of a member route.
#[derive(Debug, Deserialize)]
pub struct MemberPath {
    member: String,
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// `POST /teams/{id}/members/{member}/role` (OWNER, ADMIN): never to or from OWNER.
pub async fn set_role(
    action: TeamAction<Manager, RoleForm>,
    path: web::Path<MemberPath>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let member = UserId::parse(&path.member)?;
    let role = TeamRole::parse_assignable(&action.form.role)?;
    let team = action.team.id;
    state.store.set_member_role(team, member, role).await?;
    tracing::info!(team.id = %team, member.id = %member, "member role changed");
    flash_and_redirect(&session, "Role changed.", &team_url(team))
}

/// `POST /teams/{id}/members/{member}/remove` (OWNER, ADMIN): never the owner.
pub async fn remove(
    action: TeamAction<Manager, NoFields>,
    path: web::Path<MemberPath>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let member = UserId::parse(&path.member)?;
    let team = action.team.id;
    state.store.remove_member(team, member).await?;
    tracing::info!(team.id = %team, member.id = %member, "member removed");
    if member == action.user.id {
        teams::unselect_team(&session, team);
        return flash_and_redirect(&session, "Member removed.", "/teams");
    }
    flash_and_redirect(&session, "Member removed.", &team_url(team))
}

/// `POST /teams/{id}/leave` (any member but the owner).
pub async fn leave(
    action: TeamAction<AnyMember, NoFields>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let team = action.team.id;
    state.store.remove_member(team, action.user.id).await?;
    teams::unselect_team(&session, team);
    tracing::info!(team.id = %team, user.id = %action.user.id, "member left");
    flash_and_redirect(&session, "You left the team.", "/teams")
}

#[derive(Debug, Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    member: String,
}

/// `POST /teams/{id}/transfer` (OWNER): the member becomes OWNER, the owner an ADMIN.
pub async fn transfer(
    action: TeamAction<Owner, TransferForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let to = UserId::parse(&action.form.member)?;
    let team = action.team.id;
    state
        .store
        .transfer_ownership(team, action.user.id, to)
        .await?;
    tracing::info!(team.id = %team, member.id = %to, "ownership transferred");
    flash_and_redirect(
        &session,
        "Ownership transferred. You are now an admin.",
        &team_url(team),
    )
}

/// `GET /teams/{id}/delete` (OWNER): the confirmation page.
pub async fn delete_form(
    access: TeamAccess<Owner>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    team_form_page(&access, &session, &state, "teams/delete.html", &(), |_| {})
}

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    /// Must be `yes` (the confirmation checkbox).
    #[serde(default)]
    confirm: String,
}

/// `POST /teams/{id}/delete` (OWNER, confirmed): the team, its members, invitations, connectors.
pub async fn delete(
    action: TeamAction<Owner, DeleteForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if action.form.confirm != "yes" {
        return Err(AppError::BadRequest(
            "Tick the confirmation box to delete the team.",
        ));
    }
    let team = action.team.id;
    state.store.delete_team(team).await?;
    teams::unselect_team(&session, team);
    tracing::info!(team.id = %team, user.id = %action.user.id, "team deleted");
    flash_and_redirect(&session, "Team deleted.", "/teams")
}
