//! Managing a team (OWNER, ADMIN): edit its settings, invite by email, revoke invitations.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use adboard_domain::account::EmailAddress;
use adboard_domain::team::{TeamName, TeamRole};
use serde::Deserialize;

use super::{assignable_roles, flash_and_redirect, team_form_page, team_url};
use crate::error::AppError;
use crate::extract::{Manager, TeamAccess, TeamAction};
use crate::state::AppState;
use crate::teams;

/// Common Facebook action types offered by the edit form (any valid action type may be typed).
pub const COMMON_CONVERSION_EVENTS: [&str; 12] = [
    "purchase",
    "lead",
    "complete_registration",
    "add_to_cart",
    "initiate_checkout",
    "add_payment_info",
    "landing_page_view",
    "link_click",
    "view_content",
    "offsite_conversion.fb_pixel_purchase",
    "offsite_conversion.fb_pixel_lead",
    "omni_purchase",
];

/// `GET /teams/{id}/edit`.
pub async fn edit_form(
    access: TeamAccess<Manager>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    team_form_page(&access, &session, &state, "teams/edit.html", |c| {
        c.insert("events", &COMMON_CONVERSION_EVENTS);
    })
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    ad_account_id: String,
    #[serde(default)]
    conversion_event: String,
}

/// `POST /teams/{id}/edit`: name, ad account id (`act_` stripped), conversion event.
pub async fn update(
    action: TeamAction<Manager, EditForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = &action.form;
    let name = TeamName::parse(&form.name)?;
    let settings = teams::parse_settings(&form.ad_account_id, &form.conversion_event)?;
    let team = state
        .store
        .update_team(action.team.id, name, settings)
        .await?;
    tracing::info!(team.id = %team.id, user.id = %action.user.id, "team updated");
    flash_and_redirect(&session, "Team settings saved.", &team_url(team.id))
}

/// `GET /teams/{id}/invite`.
pub async fn invite_form(
    access: TeamAccess<Manager>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    team_form_page(&access, &session, &state, "teams/invite.html", |c| {
        c.insert("roles", &assignable_roles());
    })
}

#[derive(Debug, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// `POST /teams/{id}/invite`: always a pending invitation, the same answer whoever the address
/// belongs to.
pub async fn invite(
    action: TeamAction<Manager, InviteForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let email = EmailAddress::parse(&action.form.email)?;
    let role = TeamRole::parse_assignable(&action.form.role)?;
    let team = action.team.id;
    teams::invite(state.store.as_ref(), team, &email, role, action.user.id).await?;
    flash_and_redirect(&session, teams::INVITED, &team_url(team))
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    email: String,
}

/// `POST /teams/{id}/invitations/revoke`.
pub async fn revoke(
    action: TeamAction<Manager, RevokeForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    // An invitation is named by its email: a malformed one names no invitation.
    let email = EmailAddress::parse(&action.form.email).map_err(|_| AppError::NotFound)?;
    state
        .store
        .revoke_invitation(action.team.id, &email)
        .await?;
    flash_and_redirect(&session, "Invitation revoked.", &team_url(action.team.id))
}

#[cfg(test)]
mod tests {
    use super::COMMON_CONVERSION_EVENTS;
    use adboard_domain::ads::ConversionEvent;

    #[test]
    fn every_offered_conversion_event_is_a_valid_action_type() {
        for event in COMMON_CONVERSION_EVENTS {
            assert_eq!(ConversionEvent::parse(event).unwrap().as_str(), event);
        }
    }
}
