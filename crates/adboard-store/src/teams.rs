//! The team half of the store: teams, memberships (both directions) and invitations.

use adboard_domain::account::{EmailAddress, UserId};
use adboard_domain::team::{TeamId, TeamName, TeamRole};

use crate::{Invitation, Limits, Membership, MyTeam, Result, Team, TeamPage, TeamSettings};

/// Teams, memberships and invitations. Every [`crate::Store`] is a `TeamStore`; bring this trait
/// into scope to call these on an `Arc<dyn Store>`.
///
/// The store itself keeps the team invariants, atomically: exactly one OWNER per team (set at
/// creation, moved only by [`TeamStore::transfer_ownership`]); the owner cannot be removed or
/// demoted ([`crate::StoreError::OwnerProtected`]); one membership per (team, user); one
/// invitation per (team, email); the [`Limits`] it is given. Who may ask for what (roles) and
/// what the limits are is the web app's decision.
#[async_trait::async_trait]
pub trait TeamStore: Send + Sync {
    /// Creates a team with a fresh id and `owner` as its OWNER (team and membership in one
    /// transaction). [`crate::StoreError::NotFound`] if the user does not exist.
    async fn create_team(&self, owner: UserId, name: TeamName) -> Result<Team> {
        self.create_team_with_id(TeamId::new_random(), owner, name)
            .await
    }

    /// Same, with an id chosen beforehand: an idempotency key for a form that may be submitted
    /// twice at once. [`crate::StoreError::TeamExists`] if `id` is taken (nothing is written).
    async fn create_team_with_id(&self, id: TeamId, owner: UserId, name: TeamName) -> Result<Team>;

    async fn get_team(&self, team: TeamId) -> Result<Option<Team>>;

    /// The team and `user`'s role in it; `None` if the team does not exist or `user` is not a
    /// member (the web app answers both with 404). One read.
    async fn team_for_member(&self, team: TeamId, user: UserId) -> Result<Option<MyTeam>>;

    /// The team with its members (with names) and pending invitations. At most 2 DynamoDB requests
    /// for up to 100 members; one SQL query per list.
    async fn team_page(&self, team: TeamId) -> Result<Option<TeamPage>>;

    /// The teams `user` belongs to, with the user's role, sorted by name. At most 2 DynamoDB requests
    /// for up to 100 teams; one SQL query.
    async fn list_teams_for_user(&self, user: UserId) -> Result<Vec<MyTeam>>;

    /// Renames the team and replaces its settings; returns the updated team.
    async fn update_team(
        &self,
        team: TeamId,
        name: TeamName,
        settings: TeamSettings,
    ) -> Result<Team>;

    /// Adds an existing user. `AlreadyMember`, `NotFound` (team or user), `OwnerProtected` if
    /// `role` is OWNER.
    async fn add_member(&self, team: TeamId, user: UserId, role: TeamRole) -> Result<Membership>;

    /// Changes a member's role. `NotFound` if not a member; `OwnerProtected` if the member is the
    /// owner or `role` is OWNER.
    async fn set_member_role(&self, team: TeamId, user: UserId, role: TeamRole) -> Result<()>;

    /// Removes a member (also "leave team"). `NotFound` if not a member; `OwnerProtected` for the owner.
    async fn remove_member(&self, team: TeamId, user: UserId) -> Result<()>;

    /// Makes member `to` the OWNER and the current owner `from` an ADMIN, atomically.
    /// `OwnerProtected` if `from` is not the owner (or `from == to`); `NotFound` if the team does
    /// not exist or `to` is not a member.
    async fn transfer_ownership(&self, team: TeamId, from: UserId, to: UserId) -> Result<()>;

    /// Deletes the team with its memberships, invitations and anything else it owns.
    async fn delete_team(&self, team: TeamId) -> Result<()>;

    /// Records a pending invitation, whether or not anyone has an account with this email (the
    /// answer is the same either way). `InvitationExists` if one is pending for this (team, email)
    /// (emails compare case-insensitively); `InvitationCoolingDown` if one was declined or revoked
    /// less than `limits.reinvite_after` ago; `TooManyInvitations` at `limits.team_invitations`
    /// pending; `NotFound` for an unknown team; `OwnerProtected` if `role` is OWNER.
    async fn invite(
        &self,
        team: TeamId,
        email: &EmailAddress,
        role: TeamRole,
        invited_by: UserId,
        limits: &Limits,
    ) -> Result<Invitation>;

    /// Revokes a pending invitation (it then blocks a new one for `reinvite_after`); `NotFound`
    /// if none is pending.
    async fn revoke_invitation(&self, team: TeamId, email: &EmailAddress) -> Result<()>;

    /// The invitee declines the invitation of `team` to `email` (it then blocks a new one for
    /// `reinvite_after`); `NotFound` if none is pending.
    async fn decline_invitation(&self, team: TeamId, email: &EmailAddress) -> Result<()>;

    /// `user`, the owner of the verified `email`, accepts the invitation of `team` to `email`:
    /// the invitation is consumed and the membership created in one transaction. `NotFound` if
    /// no invitation is pending (or the team or user is gone); `AlreadyMember` if `user` is a
    /// member already (the invitation is consumed); `TeamFull` at `limits.team_members`;
    /// `TooManyTeams` if `user` is in `limits.user_teams` teams.
    async fn accept_invitation(
        &self,
        team: TeamId,
        user: UserId,
        email: &EmailAddress,
        limits: &Limits,
    ) -> Result<Membership>;

    /// At sign-in with a verified `email`: invitations sent to `email` before `user` had an
    /// account are filed under `user` (DynamoDB re-indexes them; SQLite matches by email when
    /// reading, so this does nothing there). Accepts nothing.
    async fn claim_invitations(&self, user: UserId, email: &EmailAddress) -> Result<()>;
}
