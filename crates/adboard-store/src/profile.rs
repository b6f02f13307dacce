//! The profile page's record: a user with everything they can see and end from there.

use crate::{ApiTokenRecord, Identity, SessionRecord, User};

/// The user with their identities (oldest first), sessions (most recently seen first) and API
/// tokens (most recently used first), read together by [`crate::Store::get_user_profile`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserProfile {
    pub user: User,
    pub identities: Vec<Identity>,
    pub sessions: Vec<SessionRecord>,
    pub api_tokens: Vec<ApiTokenRecord>,
}
