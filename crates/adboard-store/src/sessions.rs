//! Server-side sign-in sessions: one record per signed-in browser, so a session can be ended on
//! the server (logout, "end other sessions") and expire by idle time and absolute lifetime.

use adboard_domain::account::UserId;
use chrono::{DateTime, Utc};

use crate::{Identity, Result, User};

/// A session's id: the random token the cookie carries (URL-safe base64, 16 to 64 characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionId(String);

impl SessionId {
    /// `None` unless `raw` looks like an id this app hands out.
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = (16..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: SessionId,
    pub user: UserId,
    pub created_at: DateTime<Utc>,
    /// Updated when the web app checks the session (at most about once a minute).
    pub last_seen_at: DateTime<Utc>,
    /// What the browser said it was ("Firefox on Linux"), for the profile's list.
    pub device: String,
}

impl SessionRecord {
    /// A new session for `user`, created and seen now; `device` is cut to 100 characters.
    pub fn new(id: SessionId, user: UserId, device: &str) -> Self {
        let now = crate::model::now();
        Self {
            id,
            user,
            created_at: now,
            last_seen_at: now,
            device: device.chars().take(100).collect(),
        }
    }
}

/// Sessions. Every [`crate::Store`] is a `SessionStore`. Records live beside their user (the
/// user's DynamoDB partition; a table with a foreign key on SQLite), so the profile reads the user
/// and their sessions together.
#[async_trait::async_trait]
pub trait SessionStore: Send + Sync {
    /// Records a new session.
    async fn create_session(&self, record: &SessionRecord) -> Result<()>;

    /// The session, marked seen at `now`, if it is still live: created at or after
    /// `created_after` (absolute lifetime) and last seen at or after `seen_after` (idle timeout).
    /// A session that is gone or expired is `None` (and an expired one is removed). One
    /// conditional write.
    async fn touch_session(
        &self,
        user: UserId,
        id: &SessionId,
        now: DateTime<Utc>,
        created_after: DateTime<Utc>,
        seen_after: DateTime<Utc>,
    ) -> Result<Option<SessionRecord>>;

    /// Ends one of `user`'s sessions; `false` if there was none with this id.
    async fn end_session(&self, user: UserId, id: &SessionId) -> Result<bool>;

    /// Ends every session of `user` but `keep`; returns the ids ended.
    async fn end_other_sessions(&self, user: UserId, keep: &SessionId) -> Result<Vec<SessionId>>;

    /// `user`'s sessions, most recently seen first.
    async fn list_sessions(&self, user: UserId) -> Result<Vec<SessionRecord>>;

    /// The profile page's read: the user, their identities (oldest first) and their sessions
    /// (most recently seen first). 2 DynamoDB requests; one read transaction on SQLite.
    async fn get_user_with_identities_and_sessions(
        &self,
        user: UserId,
    ) -> Result<Option<(User, Vec<Identity>, Vec<SessionRecord>)>>;
}

/// Most recently seen first, then by id: the same order in every backend.
pub(crate) fn sort_sessions(sessions: &mut [SessionRecord]) {
    sessions.sort_by(|a, b| (b.last_seen_at, &b.id.0).cmp(&(a.last_seen_at, &a.id.0)));
}
