//! Managing a team (OWNER, ADMIN): edit its settings, invite by email, revoke invitations.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use adboard_domain::account::EmailAddress;
use adboard_domain::team::{TeamName, TeamRole};
use adboard_store::TeamSettings;
use serde::{Deserialize, Serialize};

use super::{assignable_roles, flash_and_redirect, team_form_page, team_form_rejected, team_url};
use crate::error::AppError;
use crate::extract::{Manager, TeamAccess, TeamAction};
use crate::forms::FormErrors;
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
    let team = &access.team;
    let values = EditForm {
        name: team.name.as_str().to_owned(),
        ad_account_id: (team.settings.ad_account_id.as_ref())
            .map_or(String::new(), |a| a.as_str().to_owned()),
        conversion_event: (team.settings.conversion_event.as_ref())
            .map_or(String::new(), |e| e.as_str().to_owned()),
    };
    team_form_page(&access, &session, &state, EDIT, &values, insert_events)
}

const EDIT: &str = "teams/edit.html";
const INVITE: &str = "teams/invite.html";

fn insert_events(context: &mut tera::Context) {
    context.insert("events", &COMMON_CONVERSION_EVENTS);
}

fn insert_roles(context: &mut tera::Context) {
    context.insert("roles", &assignable_roles());
}

#[derive(Debug, Deserialize, Serialize)]
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
    let mut errors = FormErrors::default();
    let name = errors.check("name", TeamName::parse(&form.name));
    let account = errors.check(
        "ad_account_id",
        teams::parse_ad_account(&form.ad_account_id),
    );
    let event = errors.check(
        "conversion_event",
        teams::parse_event(&form.conversion_event),
    );
    let (Some(name), Some(ad_account_id), Some(conversion_event)) = (name, account, event) else {
        return Err(team_form_rejected(
            &action,
            &session,
            &state,
            EDIT,
            errors,
            insert_events,
        ));
    };
    let settings = TeamSettings {
        ad_account_id,
        conversion_event,
    };
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
    let values = InviteForm {
        email: String::new(),
        role: TeamRole::Read.as_str().to_owned(),
    };
    team_form_page(&access, &session, &state, INVITE, &values, insert_roles)
}

#[derive(Debug, Deserialize, Serialize)]
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
    let rejected =
        |errors| team_form_rejected(&action, &session, &state, INVITE, errors, insert_roles);
    let mut errors = FormErrors::default();
    let email = errors.check("email", EmailAddress::parse(&action.form.email));
    let role = errors.check("role", TeamRole::parse_assignable(&action.form.role));
    let (Some(email), Some(role)) = (email, role) else {
        return Err(rejected(errors));
    };
    let team = action.team.id;
    match teams::invite(state.store.as_ref(), team, &email, role, action.user.id).await {
        Ok(()) => flash_and_redirect(&session, teams::INVITED, &team_url(team)),
        // Already a member, invitation pending, cool-down, caps: said beside the email, as typed.
        Err(AppError::Conflict(message)) => Err(rejected(FormErrors::conflict("email", message))),
        Err(other) => Err(other),
    }
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
