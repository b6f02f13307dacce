//! Team rules, in one place above the store and below the handlers: who may do what on a team
//! (the role matrix), the caps and the re-invite cool-down ([`LIMITS`]), inviting (always a
//! pending invitation, the same answer whoever the address belongs to), accepting and declining
//! (only by the owner of the invited verified email), parsing the settings form, and the team a
//! session works on (the selected team, the id proposed by the create form). The store only keeps
//! these atomic.

use actix_session::Session;
use adboard_domain::DomainError;
use adboard_domain::account::{EmailAddress, UserId};
use adboard_domain::ads::{AdAccountId, ConversionEvent};
use adboard_domain::team::{TeamId, TeamRole};
use adboard_store::{
    Limits, Member, Membership, MyTeam, Store, StoreError, TeamPage, TeamSettings, User,
};

use crate::error::AppError;
use crate::session;
use crate::tokens::ct_eq;

/// At most 200 members and 200 pending invitations per team, 100 teams per person; a declined or
/// revoked invitation may not be sent again by the same team for 24 hours. (The messages in
/// `error.rs` name these numbers; a unit test below keeps them in step.)
pub const LIMITS: Limits = Limits {
    team_members: 200,
    team_invitations: 200,
    user_teams: 100,
    reinvite_after: std::time::Duration::from_secs(24 * 60 * 60),
};

/// What the inviter is told, whoever the address belongs to (an account or not): an inviter must
/// not learn whether an address has an account.
pub const INVITED: &str =
    "Invitation sent. It is listed below until the person accepts or declines it.";

/// The flash of a page that works on the selected team (connectors, dashboard) when none is.
pub const SELECT_A_TEAM: &str = "Please select a team.";

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

/// The invite form's action: always a pending invitation, answered with [`INVITED`] whether or
/// not someone has an account with this email. Refused (409): an address a member of this team
/// signed in with (the inviter sees the members and their emails anyway), an invitation already
/// pending, one declined or revoked less than 24 h ago, 200 pending, OWNER as the role.
pub async fn invite(
    store: &dyn Store,
    team: TeamId,
    email: &EmailAddress,
    role: TeamRole,
    invited_by: UserId,
) -> Result<(), AppError> {
    if role == TeamRole::Owner {
        return Err(StoreError::OwnerProtected.into());
    }
    let page = store.team_page(team).await?.ok_or(AppError::NotFound)?;
    let member_has_it = page.members.iter().any(|m| {
        m.user
            .email
            .as_ref()
            .is_some_and(|e| e.as_str().eq_ignore_ascii_case(email.as_str()))
    });
    if member_has_it {
        return Err(StoreError::AlreadyMember.into());
    }
    store.invite(team, email, role, invited_by, &LIMITS).await?;
    tracing::info!(team.id = %team, user.id = %invited_by, "invitation sent");
    Ok(())
}

/// The invited email of `me` (their verified sign-in email); someone without one has no
/// invitations (404, like an invitation that does not exist).
fn invited_email(me: &User) -> Result<&EmailAddress, AppError> {
    me.email.as_ref().ok_or(AppError::NotFound)
}

/// `me` accepts the invitation of team `raw_id` to their verified email: the membership exists
/// afterwards. 404 if there is none for this email (someone else's invitation included); 409 at
/// the caps.
pub async fn accept_invitation(
    store: &dyn Store,
    raw_id: &str,
    me: &User,
) -> Result<Membership, AppError> {
    let team = TeamId::parse(raw_id)?;
    let email = invited_email(me)?;
    match store.accept_invitation(team, me.id, email, &LIMITS).await {
        Ok(membership) => {
            tracing::info!(team.id = %team, user.id = %me.id, "invitation accepted");
            Ok(membership)
        }
        Err(StoreError::AlreadyMember) => {
            Err(AppError::Conflict("You are already a member of this team."))
        }
        Err(other) => Err(other.into()),
    }
}

/// `me` declines the invitation of team `raw_id` to their verified email; 404 if there is none.
pub async fn decline_invitation(
    store: &dyn Store,
    raw_id: &str,
    me: &User,
) -> Result<(), AppError> {
    let team = TeamId::parse(raw_id)?;
    store.decline_invitation(team, invited_email(me)?).await?;
    tracing::info!(team.id = %team, user.id = %me.id, "invitation declined");
    Ok(())
}

/// At sign-in with a verified email: invitations sent before the account existed are filed under
/// it, to be answered on `/teams` (nothing is accepted). A failure is logged and does not stop
/// the sign-in (the next sign-in files them).
pub async fn claim_invitations_at_sign_in(
    store: &dyn Store,
    user: UserId,
    email: Option<&EmailAddress>,
) {
    let Some(email) = email else { return };
    if let Err(err) = store.claim_invitations(user, email).await {
        tracing::error!(user.id = %user, error.cause = %err, "filing invitations failed");
    }
}

/// Refuses a new team to someone already in [`Limits::user_teams`] teams.
pub async fn ensure_room_for_a_team(store: &dyn Store, me: UserId) -> Result<(), AppError> {
    let teams = store.list_teams_for_user(me).await?.len();
    if teams >= LIMITS.user_teams as usize {
        return Err(StoreError::TooManyTeams.into());
    }
    Ok(())
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
    fn the_cap_messages_name_the_limits() {
        let message = |err| AppError::from(err).to_string();
        assert!(message(StoreError::TeamFull).contains(&LIMITS.team_members.to_string()));
        assert!(
            message(StoreError::TooManyInvitations).contains(&LIMITS.team_invitations.to_string())
        );
        assert!(message(StoreError::TooManyTeams).contains(&LIMITS.user_teams.to_string()));
        let hours = LIMITS.reinvite_after.as_secs() / 3600;
        assert!(message(StoreError::InvitationCoolingDown).contains(&format!("{hours} hours")));
    }

    #[test]
    fn only_managers_manage_and_only_the_owner_owns() {
        assert!(Need::Manager.allows(TeamRole::Admin));
        assert!(!Need::Manager.allows(TeamRole::Edit));
        assert!(!Need::Owner.allows(TeamRole::Admin));
        assert!(Need::Member.allows(TeamRole::Read));
    }
}
