//! Accounts: what a verified provider identity means for our users (find or create; link), and
//! how a provider is named on the pages.

use adboard_domain::account::{Provider, UserId};
use adboard_store::{Identity, NewUser, Store, StoreError, User};

use crate::auth::VerifiedIdentity;
use crate::error::AppError;

/// How a provider is named on the pages.
pub fn provider_label(provider: Provider) -> &'static str {
    match provider {
        Provider::Google => "Google",
        Provider::Oidc => "OpenID Connect",
        Provider::Facebook => "Facebook",
        Provider::Sandbox => "Sandbox",
        Provider::X => "X",
    }
}

/// Who signed in: the user, and whether this sign-in created them (their first).
#[derive(Debug)]
pub struct SignedInUser {
    pub user: User,
    pub first_sign_in: bool,
}

/// The user this identity belongs to, created on first sign-in. Never matched by email: a
/// verified email that already belongs to an account is [`AppError::AccountExists`], naming the
/// provider to sign in with and link this one from the profile (no silent merge, no silent
/// second account).
pub async fn sign_in(
    store: &dyn Store,
    verified: VerifiedIdentity,
) -> Result<SignedInUser, AppError> {
    if let Some(user) = store.find_user_by_identity(&verified.key).await? {
        return Ok(SignedInUser {
            user,
            first_sign_in: false,
        });
    }
    if let Some(email) = &verified.email
        && let Some(owner) = store.find_user_by_email(email).await?
    {
        let identities = store.list_identities(owner.id).await?;
        let existing = identities
            .first()
            .map_or("the provider you used before", |i| {
                provider_label(i.key.provider)
            });
        return Err(AppError::AccountExists {
            existing,
            new: provider_label(verified.key.provider),
        });
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
        Ok(user) => Ok(SignedInUser {
            user,
            first_sign_in: true,
        }),
        // The same first sign-in raced itself: the other one created the user.
        Err(StoreError::IdentityTaken) => store
            .find_user_by_identity(&verified.key)
            .await?
            .map(|user| SignedInUser {
                user,
                first_sign_in: false,
            })
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
