//! The store's one error type.

/// Why a store operation failed. Never carries secrets.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("this sign-in is already linked to an account")]
    IdentityTaken,
    #[error("invalid store URL: {0}")]
    InvalidUrl(String),
    #[error("storage backend failed")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}
