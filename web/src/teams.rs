//! Teams, the web side: who may do what on a team (the role matrix), parsing the team forms,
//! the selected team in the session, the id proposed by the create form, and invitations accepted at
//! sign-in.

use actix_session::Session;
use adboard_domain::account::{EmailAddress, UserId};
use adboard_domain::ads::{AdAccountId, ConversionEvent};
use adboard_domain::team::{TeamId, TeamName, TeamRole};
use adboard_store::{Member, MyTeam, Store, TeamPage, TeamSettings};

use crate::error::AppError;
use crate::session;

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

const SELECTED_TEAM: &str = "team_id";
const NEW_TEAM_ID: &str = "new_team_id";

/// What an action on a team requires of the acting member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any member: view the team, leave it.
    Member,
    /// OWNER or ADMIN: edit settings, invite, revoke, change roles, remove members.
    Manager,
    /// OWNER only: transfer ownership, delete the team.
    Owner,
}

impl Need {
    fn allows(self, role: TeamRole) -> bool {
        match self {
            Need::Member => true,
            Need::Manager => role.can_manage(),
            Need::Owner => role.is_owner(),
        }
    }
}

/// The team `raw_id` as seen by `me`, if `me` may do what `need` asks. An unknown or malformed id
/// and a team `me` is not a member of are the same 404, so team ids cannot be probed; a member
/// without the role gets 403.
pub async fn authorize(
    store: &dyn Store,
    raw_id: &str,
    me: UserId,
    need: Need,
) -> Result<MyTeam, AppError> {
    let id = TeamId::parse(raw_id).map_err(|_| AppError::NotFound)?;
    let mine = store
        .team_for_member(id, me)
        .await?
        .ok_or(AppError::NotFound)?;
    if need.allows(mine.role) {
        Ok(mine)
    } else {
        tracing::info!(team.id = %id, team.role = mine.role.as_str(), "team action refused for role");
        Err(AppError::Forbidden(match need {
            Need::Owner => "Only the team's owner can do this.",
            _ => "Only the team's owner and admins can do this.",
        }))
    }
}

/// The team page `raw_id` and `me`'s membership, for any member; 404 like [`authorize`]. `me` is
/// found among the page's members, so the page view needs no other read (at most 2 DynamoDB
/// requests in all).
pub async fn team_page_for(
    store: &dyn Store,
    raw_id: &str,
    me: UserId,
) -> Result<(TeamPage, Member), AppError> {
    let id = TeamId::parse(raw_id).map_err(|_| AppError::NotFound)?;
    let page = store.team_page(id).await?.ok_or(AppError::NotFound)?;
    let mine = page.member(me).cloned().ok_or(AppError::NotFound)?;
    Ok((page, mine))
}

/// A member id from a form or path; anything malformed is a member that does not exist (404).
pub fn parse_member(raw: &str) -> Result<UserId, AppError> {
    UserId::parse(raw).map_err(|_| AppError::NotFound)
}

pub fn parse_team_name(raw: &str) -> Result<TeamName, AppError> {
    TeamName::parse(raw).map_err(|_| {
        AppError::BadRequest("A team name is 1 to 100 characters, without control characters.")
    })
}

/// A role an invitation or role change may grant: ADMIN, EDIT or READ.
pub fn parse_assignable_role(raw: &str) -> Result<TeamRole, AppError> {
    TeamRole::parse_assignable(raw)
        .map_err(|_| AppError::BadRequest("The role must be one of ADMIN, EDIT or READ."))
}

pub fn parse_email(raw: &str) -> Result<EmailAddress, AppError> {
    EmailAddress::parse(raw).map_err(|_| AppError::BadRequest("That is not a valid email address."))
}

/// The edit form's settings. Blank fields clear the setting.
pub fn parse_settings(
    ad_account_id: &str,
    conversion_event: &str,
) -> Result<TeamSettings, AppError> {
    let ad_account_id = match ad_account_id.trim() {
        "" => None,
        raw => Some(
            AdAccountId::parse(raw)
                .map_err(|_| {
                    AppError::BadRequest(
                        "An ad account id is digits, optionally prefixed with act_.",
                    )
                })?
                .as_str()
                .to_owned(),
        ),
    };
    let conversion_event = match conversion_event.trim() {
        "" => None,
        raw => Some(
            ConversionEvent::parse(raw)
                .map_err(|_| {
                    AppError::BadRequest(
                        "A conversion event is a Facebook action type: lower-case letters, digits, '_' and '.'.",
                    )
                })?
                .as_str()
                .to_owned(),
        ),
    };
    Ok(TeamSettings {
        ad_account_id,
        conversion_event,
    })
}

/// Remembers the team the connectors page and the dashboard work on.
pub fn select_team(session: &Session, team: TeamId) -> Result<(), AppError> {
    session
        .insert(SELECTED_TEAM, team)
        .map_err(AppError::unexpected)
}

/// The selected team, if any (the caller still authorises it: membership may have ended).
pub fn selected_team(session: &Session) -> Option<TeamId> {
    session.get(SELECTED_TEAM).ok().flatten()
}

/// Forgets the selected team if it is `team` (after leaving or deleting it).
pub fn unselect_team(session: &Session, team: TeamId) {
    if selected_team(session) == Some(team) {
        session.remove(SELECTED_TEAM);
    }
}

/// A fresh id for the team the "Create a team" form will create, remembered in the session. The
/// form carries it back, and the store creates at most one team per id, so a form submitted twice
/// (even at the same moment) creates one team.
pub fn propose_team_id(session: &Session) -> Result<TeamId, AppError> {
    let id = TeamId::new_random();
    session
        .insert(NEW_TEAM_ID, id.to_string())
        .map_err(AppError::unexpected)?;
    Ok(id)
}

/// Whether `submitted` is the id this session's create form was given.
pub fn is_proposed_team_id(session: &Session, submitted: TeamId) -> bool {
    let proposed: Option<String> = session.get(NEW_TEAM_ID).ok().flatten();
    proposed.is_some_and(|p| session::ct_eq(&p, &submitted.to_string()))
}

/// Forgets the proposed id once its team exists.
pub fn forget_proposed_team_id(session: &Session) {
    session.remove(NEW_TEAM_ID);
}

/// At sign-in with a verified email: pending invitations become memberships. A failure here is
/// logged and does not stop the sign-in (the invitations stay pending for the next one).
pub async fn accept_invitations_at_sign_in(
    store: &dyn Store,
    session: &Session,
    user: UserId,
    email: Option<&EmailAddress>,
) -> Result<(), AppError> {
    let Some(email) = email else {
        return Ok(());
    };
    match store.accept_invitations(user, email).await {
        Ok(joined) if joined.is_empty() => Ok(()),
        Ok(joined) => {
            tracing::info!(user.id = %user, teams.joined = joined.len(), "invitations accepted");
            let text = match joined.len() {
                1 => "You joined a team you were invited to.".to_owned(),
                n => format!("You joined {n} teams you were invited to."),
            };
            session::add_flash(session, "info", &text)
        }
        Err(err) => {
            tracing::error!(user.id = %user, error.cause = %err, "accepting invitations failed");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ad_account_ids_accept_digits_and_strip_the_act_prefix() {
        let settings = |raw| parse_settings(raw, "").map(|s| s.ad_account_id);
        assert_eq!(settings("act_123").unwrap().as_deref(), Some("123"));
        assert_eq!(settings("456").unwrap().as_deref(), Some("456"));
        for bad in [
            "act_",
            "act_12/../me",
            "12?x=1",
            "-1",
            "1 2",
            &"9".repeat(21),
        ] {
            assert!(settings(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn conversion_events_are_action_types() {
        let settings = |raw| parse_settings("", raw).map(|s| s.conversion_event);
        for good in COMMON_CONVERSION_EVENTS {
            assert_eq!(settings(good).unwrap().as_deref(), Some(good), "{good}");
        }
        for bad in ["Purchase", "<b>", ".purchase", "purchase.", "a b"] {
            assert!(settings(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn blank_settings_clear_them() {
        assert_eq!(parse_settings(" ", "").unwrap(), TeamSettings::default());
    }

    #[test]
    fn only_managers_manage_and_only_the_owner_owns() {
        assert!(Need::Manager.allows(TeamRole::Admin));
        assert!(!Need::Manager.allows(TeamRole::Edit));
        assert!(!Need::Owner.allows(TeamRole::Admin));
        assert!(Need::Member.allows(TeamRole::Read));
    }
}
