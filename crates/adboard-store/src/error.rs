//! The store's one error type.

/// Why a store operation failed. Never carries secrets.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("this sign-in is already linked to an account")]
    IdentityTaken,
    #[error("this person is already a member of the team")]
    AlreadyMember,
    #[error("an invitation for this email is already pending")]
    InvitationExists,
    /// An invitation for this (team, email) was declined or revoked within
    /// [`crate::Limits::reinvite_after`]; it cannot be sent again yet.
    #[error("an invitation for this email was declined or revoked recently")]
    InvitationCoolingDown,
    /// The team has [`crate::Limits::team_invitations`] pending invitations already.
    #[error("the team has too many pending invitations")]
    TooManyInvitations,
    /// The team has [`crate::Limits::team_members`] members already.
    #[error("the team is full")]
    TeamFull,
    /// The user is in [`crate::Limits::user_teams`] teams already.
    #[error("the user is in too many teams")]
    TooManyTeams,
    /// The owner cannot be removed, demoted or invited, and OWNER is granted only by transfer.
    #[error("the team owner cannot be changed this way")]
    OwnerProtected,
    /// [`crate::TeamStore::create_team_with_id`] with an id that is already taken.
    #[error("a team with this id already exists")]
    TeamExists,
    /// The storage did not answer within its timeouts (connect, read or the whole operation), or
    /// could not be reached; trying again later may work. A write that failed this way either
    /// happened whole or not at all (every write is one request, transaction or SQL transaction).
    #[error("storage did not answer in time")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("invalid store URL: {0}")]
    InvalidUrl(String),
    #[error("storage backend failed")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    pub(crate) fn backend(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Backend(Box::new(err))
    }

    /// A stored value that no longer parses (a corrupted or hand-edited record).
    pub(crate) fn corrupt(what: &str) -> Self {
        Self::Backend(format!("stored record is malformed: {what}").into())
    }
}
