//! Accounts: what a verified provider identity means for our users (find or create; link).

use adboard_domain::account::UserId;
use adboard_store::{Identity, NewUser, Store, StoreError, User};

use crate::auth::VerifiedIdentity;
use crate::error::AppError;

/// The user this identity belongs to, created on first sign-in. Never matched by email.
pub async fn sign_in(store: &dyn Store, verified: VerifiedIdentity) -> Result<User, AppError> {
    if let Some(user) = store.find_user_by_identity(&verified.key).await? {
        return Ok(user);
    }
    let new_user = NewUser {
        name: verified.name.clone(),
        email: verified.email.clone(),
    };
    let identity = Identity {
        key: verified.key.clone(),
        email: verified.email,
        linked_at: chrono::Utc::now(),
    };
    match store.create_user_with_identity(new_user, identity).await {
        Ok(user) => Ok(user),
        // The same first sign-in raced itself: the other one created the user.
        Err(StoreError::IdentityTaken) => store
            .find_user_by_identity(&verified.key)
            .await?
            .ok_or_else(|| AppError::unexpected(anyhow::anyhow!("identity taken but not found"))),
        Err(other) => Err(other.into()),
    }
}

/// What linking did.
#[derive(Debug, PartialEq, Eq)]
pub enum Linked {
    Added,
    AlreadyYours,
}

/// Links an identity to `user`; [`AppError::IdentityTaken`] if it belongs to someone else.
pub async fn link(
    store: &dyn Store,
    user: UserId,
    verified: VerifiedIdentity,
) -> Result<Linked, AppError> {
    let identity = Identity {
        key: verified.key.clone(),
        email: verified.email,
        linked_at: chrono::Utc::now(),
    };
    match store.link_identity(user, identity).await {
        Ok(()) => Ok(Linked::Added),
        Err(StoreError::IdentityTaken) => match store.find_user_by_identity(&verified.key).await? {
            Some(owner) if owner.id == user => Ok(Linked::AlreadyYours),
            _ => Err(AppError::IdentityTaken),
        },
        Err(other) => Err(other.into()),
    }
}
