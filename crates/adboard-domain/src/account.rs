//! People and how they sign in: user ids, email addresses, provider identities.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::DomainError;

/// A user's stable id (a random UUID, never derived from an email or a provider subject).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(Uuid);

impl UserId {
    pub fn new_random() -> Self {
        Self(Uuid::new_v4())
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Uuid::parse_str(raw.trim())
            .map(Self)
            .map_err(|_| DomainError::invalid("user id", "not a UUID"))
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An email address, trimmed, with a lower-cased domain. Deliberately permissive about the local
/// part (providers have already verified deliverability); strict about shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(DomainError::Missing { field: "email" });
        }
        if raw.len() > Self::MAX_LEN {
            return Err(DomainError::invalid("email", "too long"));
        }
        let (local, domain) = raw
            .rsplit_once('@')
            .ok_or_else(|| DomainError::invalid("email", "must contain @"))?;
        let bad_char = |c: char| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '<' | '>' | '"' | '(' | ')' | ',' | ';' | ':' | '\\' | '[' | ']'
                )
        };
        if local.is_empty()
            || local.len() > 64
            || local.chars().any(bad_char)
            || local.contains('@')
        {
            return Err(DomainError::invalid("email", "malformed local part"));
        }
        let domain_ok = !domain.is_empty()
            && domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !domain_ok {
            return Err(DomainError::invalid("email", "malformed domain"));
        }
        if domain.bytes().any(|b| b.is_ascii_uppercase()) {
            Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
        } else {
            Ok(Self(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's display name: the display-name rule of `text.rs` that team names share (NFC,
/// trimmed, 1 to 100 characters, no control, direction-changing or zero-width characters, a
/// visible character). Typed names are [`UserName::parse`]d; names a sign-in provider sends are
/// cleaned with [`UserName::from_provider`], which never fails.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UserName(String);

impl UserName {
    pub const MAX_CHARS: usize = crate::text::MAX_NAME_CHARS;

    /// A name someone typed.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        crate::text::display_name(raw, "name").map(Self)
    }

    /// The name a provider gave (NFC; control, direction-changing and zero-width characters dropped; cut to the limit), else the local
    /// part of the verified email, else "New user".
    pub fn from_provider(name: Option<&str>, email: Option<&EmailAddress>) -> Self {
        name.and_then(crate::text::sanitize_name)
            .or_else(|| {
                email
                    .and_then(|e| e.as_str().split('@').next())
                    .and_then(crate::text::sanitize_name)
            })
            .map(Self)
            .unwrap_or_else(|| Self("New user".to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UserName {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<UserName> for String {
    fn from(value: UserName) -> Self {
        value.0
    }
}

impl fmt::Display for UserName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The sign-in providers Adboard knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Google,
    Oidc,
    Facebook,
    Sandbox,
    /// X (formerly Twitter), OAuth 1.0a: linked and used from the mobile API only.
    X,
}

impl Provider {
    pub const ALL: [Provider; 5] = [
        Provider::Google,
        Provider::Oidc,
        Provider::Facebook,
        Provider::Sandbox,
        Provider::X,
    ];

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == raw)
            .ok_or_else(|| DomainError::invalid("provider", "unknown provider"))
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Provider::Google => "google",
            Provider::Oidc => "oidc",
            Provider::Facebook => "facebook",
            Provider::Sandbox => "sandbox",
            Provider::X => "x",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a provider says someone is: (provider, issuer, subject). This — never the email — is the key
/// that finds a user at sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IdentityKey {
    pub provider: Provider,
    /// The issuer URL for OpenID providers; the app id for Facebook.
    pub issuer: String,
    pub subject: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_domain_is_lowercased_and_whitespace_trimmed() {
        let email = EmailAddress::parse("  Ann.Lee@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "Ann.Lee@example.com");
    }

    #[test]
    fn malformed_emails_are_rejected() {
        for raw in [
            "",
            "no-at",
            "@x.com",
            "a@",
            "a@b",
            "a b@c.com",
            "a@-b.com",
            "<a>@b.com",
            "a@b..com",
        ] {
            assert!(
                EmailAddress::parse(raw).is_err(),
                "{raw:?} should be rejected"
            );
        }
    }

    #[test]
    fn provider_round_trips_through_its_name() {
        for p in Provider::ALL {
            assert_eq!(Provider::parse(p.as_str()).unwrap(), p);
        }
        assert!(Provider::parse("myspace").is_err());
    }

    #[test]
    fn typed_user_names_follow_the_display_name_rule() {
        assert_eq!(UserName::parse("  Ann  ").unwrap().as_str(), "Ann");
        assert!(UserName::parse("   ").is_err());
        assert!(UserName::parse("a\u{7}b").is_err());
        assert!(UserName::parse(&"x".repeat(101)).is_err());
        assert!(UserName::parse(&"é".repeat(100)).is_ok());
    }

    #[test]
    fn provider_names_are_cleaned_never_refused() {
        let email = EmailAddress::parse("ann@example.com").unwrap();
        assert_eq!(
            UserName::from_provider(Some("  "), Some(&email)).as_str(),
            "ann"
        );
        assert_eq!(
            UserName::from_provider(Some("A\u{0}nn"), None).as_str(),
            "Ann"
        );
        assert_eq!(UserName::from_provider(None, None).as_str(), "New user");
        let long = "y".repeat(500);
        assert_eq!(
            UserName::from_provider(Some(&long), None)
                .as_str()
                .chars()
                .count(),
            100
        );
    }
}
