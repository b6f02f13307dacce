//! Teams and roles (the role ladder is filled in by the teams issue).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

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
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        match raw.trim() {
            "OWNER" => Ok(Self::Owner),
            "ADMIN" => Ok(Self::Admin),
            "EDIT" => Ok(Self::Edit),
            "READ" => Ok(Self::Read),
            _ => Err(DomainError::invalid("role", "must be one of OWNER, ADMIN, EDIT, READ")),
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
}

impl fmt::Display for TeamRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
