//! Records for teams, memberships and invitations.

use adboard_domain::account::{EmailAddress, UserId, UserName};
use adboard_domain::ads::{AdAccountId, ConversionEvent};
use adboard_domain::team::{TeamId, TeamName, TeamRole};
use chrono::{DateTime, Utc};

use crate::User;

/// A team and its settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: TeamId,
    pub name: TeamName,
    /// The one member whose role is OWNER.
    pub owner: UserId,
    pub settings: TeamSettings,
    pub created_at: DateTime<Utc>,
}

/// What OWNER and ADMIN edit besides the name, as domain types (stored as their canonical text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamSettings {
    /// The team's Facebook ad account (stored as digits, without `act_`).
    pub ad_account_id: Option<AdAccountId>,
    /// A Facebook action type such as `purchase` or `offsite_conversion.fb_pixel_purchase`.
    pub conversion_event: Option<ConversionEvent>,
}

/// One person's role in one team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub team: TeamId,
    pub user: UserId,
    pub role: TeamRole,
    pub joined_at: DateTime<Utc>,
}

/// A member as the team page shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user: User,
    pub role: TeamRole,
    pub joined_at: DateTime<Utc>,
}

/// A team as "my teams" lists it: the team and my role in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyTeam {
    pub team: Team,
    pub role: TeamRole,
}

/// A pending invitation: becomes a membership when the owner of this (verified) email accepts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub team: TeamId,
    pub email: EmailAddress,
    /// ADMIN, EDIT or READ — never OWNER.
    pub role: TeamRole,
    pub invited_by: UserId,
    pub created_at: DateTime<Utc>,
}

impl Invitation {
    /// A new invitation stamped now. OWNER is granted only by transfer, never by invitation
    /// ([`crate::StoreError::OwnerProtected`]).
    pub(crate) fn new(
        team: TeamId,
        email: &EmailAddress,
        role: TeamRole,
        invited_by: UserId,
    ) -> crate::Result<Self> {
        if role == TeamRole::Owner {
            return Err(crate::StoreError::OwnerProtected);
        }
        Ok(Self {
            team,
            email: email.clone(),
            role,
            invited_by,
            created_at: crate::model::now(),
        })
    }
}

/// The volume caps and the re-invite cool-down. The numbers are the web app's team rules; the
/// store only keeps them atomically (a write at the cap fails whole, also when racing another).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Members per team ([`crate::StoreError::TeamFull`]).
    pub team_members: u32,
    /// Pending invitations per team ([`crate::StoreError::TooManyInvitations`]).
    pub team_invitations: u32,
    /// Teams per user, checked when accepting ([`crate::StoreError::TooManyTeams`]).
    pub user_teams: u32,
    /// How long after a decline or a revocation the same team may not invite that email again
    /// ([`crate::StoreError::InvitationCoolingDown`]).
    pub reinvite_after: std::time::Duration,
}

impl Limits {
    /// The moment before which a closed invitation no longer blocks a new one.
    pub(crate) fn reinvite_cutoff(&self) -> chrono::DateTime<chrono::Utc> {
        crate::model::now()
            - chrono::Duration::from_std(self.reinvite_after).unwrap_or(chrono::Duration::MAX)
    }
}

/// A pending invitation as its invitee sees it: with the team's and the inviter's current names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationForMe {
    pub invitation: Invitation,
    pub team_name: TeamName,
    /// `None` if the inviter's account no longer exists.
    pub invited_by_name: Option<UserName>,
}

/// Everything the teams list shows, read together: the user, their teams (sorted by name) and
/// the invitations pending for their email (oldest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamsOverview {
    pub user: User,
    pub teams: Vec<MyTeam>,
    pub invitations: Vec<InvitationForMe>,
}

/// Everything the team page shows, read together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamPage {
    pub team: Team,
    /// Oldest member first.
    pub members: Vec<Member>,
    /// Pending invitations, oldest first.
    pub invitations: Vec<Invitation>,
    /// The team's connectors (at most one per platform), sorted by platform.
    pub connectors: Vec<crate::Connector>,
}

impl TeamPage {
    /// `user`'s membership in this team, if a member.
    pub fn member(&self, user: UserId) -> Option<&Member> {
        self.members.iter().find(|m| m.user.id == user)
    }

    /// The role `user` holds in this team, if a member.
    pub fn role_of(&self, user: UserId) -> Option<TeamRole> {
        self.member(user).map(|m| m.role)
    }

    /// The team's connector for `platform`, if connected.
    pub fn connector(
        &self,
        platform: adboard_domain::connector::Platform,
    ) -> Option<&crate::Connector> {
        self.connectors.iter().find(|c| c.platform == platform)
    }
}

/// Sorts "my teams" the same way in every backend: by name (ASCII case-insensitive), then id.
pub(crate) fn sort_my_teams(teams: &mut [MyTeam]) {
    teams.sort_by(|a, b| {
        let key = |t: &MyTeam| (t.team.name.as_str().to_ascii_lowercase(), t.team.id);
        key(a).cmp(&key(b))
    });
}

/// Sorts invitations the same way in every backend: oldest first, then by team and email.
pub(crate) fn sort_invitations(invitations: &mut [InvitationForMe]) {
    invitations.sort_by(|a, b| {
        let key = |i: &InvitationForMe| {
            (
                i.invitation.created_at,
                i.invitation.team,
                i.invitation.email.as_str().to_owned(),
            )
        };
        key(a).cmp(&key(b))
    });
}
