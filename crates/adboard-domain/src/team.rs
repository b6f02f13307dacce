//! Teams and roles: team ids, team names and the role ladder with what each role may do.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::DomainError;

/// A team's stable id (a random UUID).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TeamId(Uuid);

impl TeamId {
    pub fn new_random() -> Self {
        Self(Uuid::new_v4())
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Uuid::parse_str(raw.trim())
            .map(Self)
            .map_err(|_| DomainError::invalid("team id", "not a UUID"))
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for TeamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A team's display name: the display-name rule of `text.rs` (NFC, trimmed, 1 to
/// [`TeamName::MAX_CHARS`] characters, no control, direction-changing or zero-width characters).
/// HTML in a name is allowed here (it is only text) and escaped by the templates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TeamName(String);

impl TeamName {
    pub const MAX_CHARS: usize = crate::text::MAX_NAME_CHARS;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        crate::text::display_name(raw, "team name").map(Self)
    }

    /// A name read back from storage: one written before today's rule is cleaned, not refused.
    pub fn from_stored(raw: &str) -> Self {
        Self::parse(raw).unwrap_or_else(|_| {
            Self(crate::text::sanitize_name(raw).unwrap_or_else(|| "Unnamed team".to_owned()))
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TeamName {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TeamName> for String {
    fn from(value: TeamName) -> Self {
        value.0
    }
}

impl fmt::Display for TeamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A member's role in a team, from most to least powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TeamRole {
    Owner,
    Admin,
    Edit,
    Read,
}

impl TeamRole {
    pub const ALL: [TeamRole; 4] = [
        TeamRole::Owner,
        TeamRole::Admin,
        TeamRole::Edit,
        TeamRole::Read,
    ];
    /// The roles an invitation or a role change may grant (ownership moves only by transfer).
    pub const ASSIGNABLE: [TeamRole; 3] = [TeamRole::Admin, TeamRole::Edit, TeamRole::Read];

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        match raw.trim() {
            "OWNER" => Ok(Self::Owner),
            "ADMIN" => Ok(Self::Admin),
            "EDIT" => Ok(Self::Edit),
            "READ" => Ok(Self::Read),
            _ => Err(DomainError::invalid(
                "role",
                "must be one of OWNER, ADMIN, EDIT, READ",
            )),
        }
    }

    /// Parses a role that may be granted by invitation or role change: ADMIN, EDIT or READ.
    pub fn parse_assignable(raw: &str) -> Result<Self, DomainError> {
        match Self::parse(raw) {
            Ok(role) if role != Self::Owner => Ok(role),
            _ => Err(DomainError::invalid(
                "role",
                "must be one of ADMIN, EDIT, READ",
            )),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Owner => "OWNER",
            Self::Admin => "ADMIN",
            Self::Edit => "EDIT",
            Self::Read => "READ",
        }
    }

    /// OWNER and ADMIN edit the team's settings, invite, change roles and remove members.
    pub fn can_manage(&self) -> bool {
        matches!(self, Self::Owner | Self::Admin)
    }

    /// Only the OWNER manages connectors, transfers ownership and deletes the team.
    pub fn is_owner(&self) -> bool {
        matches!(self, Self::Owner)
    }
}

impl fmt::Display for TeamRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_names_are_trimmed() {
        assert_eq!(TeamName::parse("  Growth  ").unwrap().as_str(), "Growth");
    }

    #[test]
    fn blank_and_oversized_team_names_are_rejected() {
        assert!(TeamName::parse("   ").is_err());
        assert!(TeamName::parse(&"x".repeat(10 * 1024)).is_err());
        assert!(TeamName::parse(&"é".repeat(TeamName::MAX_CHARS)).is_ok());
        assert!(TeamName::parse("a\u{0}b").is_err());
    }

    #[test]
    fn html_in_a_team_name_is_kept_as_text() {
        assert_eq!(
            TeamName::parse("<script>x</script>").unwrap().as_str(),
            "<script>x</script>"
        );
    }

    #[test]
    fn roles_round_trip_and_owner_is_not_assignable() {
        for role in TeamRole::ALL {
            assert_eq!(TeamRole::parse(role.as_str()).unwrap(), role);
        }
        assert!(TeamRole::parse("SUPERUSER").is_err());
        assert!(TeamRole::parse_assignable("OWNER").is_err());
        assert_eq!(TeamRole::parse_assignable("EDIT").unwrap(), TeamRole::Edit);
    }

    #[test]
    fn team_ids_parse_only_uuids() {
        let id = TeamId::new_random();
        assert_eq!(TeamId::parse(&id.to_string()).unwrap(), id);
        assert!(TeamId::parse("42").is_err());
    }
}
