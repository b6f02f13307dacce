//! Team rules, in one place above the store and below the handlers: who may do what on a team
//! (the role matrix), inviting (an existing user is added, anyone else invited), invitations
//! accepted at sign-in, parsing the settings form, and the team a session works on (the selected
//! team, the id proposed by the create form). The store only keeps these atomic.

use actix_session::Session;
use adboard_domain::DomainError;
use adboard_domain::account::{EmailAddress, UserId};
use adboard_domain::ads::{AdAccountId, ConversionEvent};
use adboard_domain::team::{TeamId, TeamRole};
use adboard_store::{
    Invitation, Member, Membership, MyTeam, Store, StoreError, TeamPage, TeamSettings,
};

use crate::error::AppError;
use crate::session;
use crate::tokens::ct_eq;

const SELECTED_TEAM: &str = "selected_team";
const NEW_TEAM_ID: &str = "new_team_id";

/// What an action on a team requires of the acting member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any member: view the team, leave it.
    Member,
    /// OWNER or ADMIN: edit settings, invite, revoke, change roles, remove members.
    Manager,
    /// OWNER only: transfer ownership, delete the team, connectors.
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
    let id = TeamId::parse(raw_id)?;
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
    let id = TeamId::parse(raw_id)?;
    let page = store.team_page(id).await?.ok_or(AppError::NotFound)?;
    let mine = page.member(me).cloned().ok_or(AppError::NotFound)?;
    Ok((page, mine))
}

/// What [`invite`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InviteOutcome {
    /// Someone already has an account with this email: they are a member now.
    Added(Membership),
    /// Nobody has an account with this email yet: it becomes a membership at their first sign-in.
    Invited(Invitation),
}

impl InviteOutcome {
    /// The flash message the inviter sees.
    pub fn message(&self) -> &'static str {
        match self {
            InviteOutcome::Added(_) => "They already have an account and were added to the team.",
            InviteOutcome::Invited(_) => {
                "Invitation recorded: they join when they sign in with this email."
            }
        }
    }
}

/// The invite form's action: adds an existing user (matched by sign-in email) at once, otherwise
/// records an invitation. `AlreadyMember` if that person is a member (the owner included),
/// `InvitationExists` if an invitation is pending, `OwnerProtected` if `role` is OWNER.
pub async fn invite(
    store: &dyn Store,
    team: TeamId,
    email: &EmailAddress,
    role: TeamRole,
    invited_by: UserId,
) -> Result<InviteOutcome, AppError> {
    if role == TeamRole::Owner {
        return Err(StoreError::OwnerProtected.into());
    }
    let outcome = match store.find_user_by_email(email).await? {
        Some(user) => InviteOutcome::Added(store.add_member(team, user.id, role).await?),
        None => InviteOutcome::Invited(store.invite(team, email, role, invited_by).await?),
    };
    tracing::info!(team.id = %team, user.id = %invited_by, "member invited");
    Ok(outcome)
}

/// At sign-in with a verified email: pending invitations become memberships. Returns the teams
/// joined. A failure here is logged and does not stop the sign-in (the invitations stay pending
/// for the next one).
pub async fn accept_invitations_at_sign_in(
    store: &dyn Store,
    user: UserId,
    email: Option<&EmailAddress>,
) -> Vec<TeamId> {
    let Some(email) = email else {
        return Vec::new();
    };
    match store.accept_invitations(user, email).await {
        Ok(joined) => {
            if !joined.is_empty() {
                tracing::info!(user.id = %user, teams.joined = joined.len(), "invitations accepted");
            }
            joined
        }
        Err(err) => {
            tracing::error!(user.id = %user, error.cause = %err, "accepting invitations failed");
            Vec::new()
        }
    }
}

/// The edit form's settings. Blank fields clear the setting.
pub fn parse_settings(
    ad_account_id: &str,
    conversion_event: &str,
) -> Result<TeamSettings, AppError> {
    Ok(TeamSettings {
        ad_account_id: parse_ad_account(ad_account_id)?,
        conversion_event: parse_event(conversion_event)?,
    })
}

/// The edit form's ad account id (`act_` stripped); blank clears it.
pub fn parse_ad_account(raw: &str) -> Result<Option<AdAccountId>, DomainError> {
    blank_is_none(raw).map(AdAccountId::parse).transpose()
}

/// The edit form's conversion event; blank clears it.
pub fn parse_event(raw: &str) -> Result<Option<ConversionEvent>, DomainError> {
    blank_is_none(raw).map(ConversionEvent::parse).transpose()
}

fn blank_is_none(raw: &str) -> Option<&str> {
    Some(raw.trim()).filter(|r| !r.is_empty())
}

/// The team the connectors page and the dashboard work on, and whether I owned it when I chose
/// it (only to decide whether the navbar offers Connectors; every route authorises afresh).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct SelectedTeam {
    id: TeamId,
    owner: bool,
    /// Its name when selected, for the navbar's "current team" (display only).
    #[serde(default)]
    name: String,
}

/// The selected team as the navbar shows it (no store read: as remembered when selected).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CurrentTeam {
    pub id: String,
    pub name: String,
}

/// Remembers the team the connectors page and the dashboard work on.
pub fn select_team(
    session: &Session,
    team: TeamId,
    name: &str,
    my_role: TeamRole,
) -> Result<(), AppError> {
    let selected = SelectedTeam {
        id: team,
        owner: my_role.is_owner(),
        name: name.to_owned(),
    };
    session::insert(session, SELECTED_TEAM, &selected)
}

/// The selected team for the navbar, if one is selected.
pub fn current_team(session: &Session) -> Option<CurrentTeam> {
    session::get::<SelectedTeam>(session, SELECTED_TEAM).map(|s| CurrentTeam {
        id: s.id.to_string(),
        name: s.name,
    })
}

/// The selected team, if any (the caller still authorises it: membership may have ended).
pub fn selected_team(session: &Session) -> Option<TeamId> {
    session::get::<SelectedTeam>(session, SELECTED_TEAM).map(|s| s.id)
}

/// Whether I was the owner of the selected team when I selected it (navbar only).
pub fn selected_team_is_mine_to_connect(session: &Session) -> bool {
    session::get::<SelectedTeam>(session, SELECTED_TEAM).is_some_and(|s| s.owner)
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
    session::insert(session, NEW_TEAM_ID, &id.to_string())?;
    Ok(id)
}

/// Whether `submitted` is the id this session's create form was given.
pub fn is_proposed_team_id(session: &Session, submitted: TeamId) -> bool {
    let proposed: Option<String> = session::get(session, NEW_TEAM_ID);
    proposed.is_some_and(|p| ct_eq(&p, &submitted.to_string()))
}

/// Forgets the proposed id once its team exists.
pub fn forget_proposed_team_id(session: &Session) {
    session.remove(NEW_TEAM_ID);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ad_account_ids_accept_digits_and_strip_the_act_prefix() {
        let settings = |raw| parse_settings(raw, "").map(|s| s.ad_account_id);
        assert_eq!(settings("act_123").unwrap().unwrap().as_str(), "123");
        assert_eq!(settings("456").unwrap().unwrap().as_str(), "456");
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
        for good in ["purchase", "offsite_conversion.fb_pixel_purchase", "lead"] {
            assert_eq!(settings(good).unwrap().unwrap().as_str(), good, "{good}");
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
