//! Connector platforms: the ad platforms a team can connect an account of (Facebook Ads today).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// An ad platform a team connects. Its [`Platform::as_str`] spelling is what URLs
/// (`/connectors/facebook`), stored keys and the token's encryption context use, so it never
/// changes once released. A second platform is one more variant here plus its arms below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// Facebook (Meta) Ads, reached through the Graph API.
    Facebook,
}

impl Platform {
    /// Every platform, in the order the connectors page shows them.
    pub const ALL: [Platform; 1] = [Platform::Facebook];

    /// Parses the lowercase spelling (`facebook`); anything else is rejected.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == raw.trim())
            .ok_or_else(|| DomainError::invalid("platform", "not a supported platform"))
    }

    /// The stable lowercase spelling, e.g. `facebook`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Facebook => "facebook",
        }
    }

    /// The name people read, e.g. `Facebook Ads`.
    pub fn display_name(&self) -> &'static str {
        match self {
            Self::Facebook => "Facebook Ads",
        }
    }
}

impl FromStr for Platform {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_platform_round_trips_through_its_spelling() {
        for platform in Platform::ALL {
            assert_eq!(Platform::parse(platform.as_str()).unwrap(), platform);
            assert_eq!(platform.to_string(), platform.as_str());
        }
        assert_eq!(Platform::Facebook.as_str(), "facebook");
    }

    #[test]
    fn unknown_and_differently_cased_platforms_are_rejected() {
        for raw in ["", "unknown", "Facebook", "FACEBOOK", "facebook/../x"] {
            assert!(Platform::parse(raw).is_err(), "{raw:?}");
        }
    }
}
