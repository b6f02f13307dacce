//! Records for teams, memberships and invitations.

use adboard_domain::account::{EmailAddress, UserId};
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

/// A pending invitation: becomes a membership when someone signs in with this email verified.
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

/// Everything the team page shows, read together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamPage {
    pub team: Team,
    /// Oldest member first.
    pub members: Vec<Member>,
    /// Oldest invitation first.
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
