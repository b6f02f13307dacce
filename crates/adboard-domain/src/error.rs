//! The one error type of the domain crate: why a value could not be parsed.

/// Why a raw value was rejected. Messages are safe to show to users: they never echo secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("{field} is required")]
    Missing { field: &'static str },
    #[error("{field} is not valid: {reason}")]
    Invalid { field: &'static str, reason: String },
}

impl DomainError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            reason: reason.into(),
        }
    }
}
