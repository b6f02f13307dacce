//! Sign-in sessions on the server: every signed-in cookie names a session record in the store,
//! so logout and "end other sessions" end it for good, and it expires after an absolute lifetime
//! and an idle time whatever the browser keeps. The record is confirmed (and marked seen) at most
//! once per `check_every` on page views, and on every form post; sessions this process ended are
//! refused at once, without waiting for the next check.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_session::Session;
use adboard_domain::account::UserId;
use adboard_store::{SessionId, SessionRecord, Store};
use chrono::Utc;

use crate::error::AppError;
use crate::session;
use crate::tokens::random_token;

/// How long sessions live, and the ids this process ended recently.
#[derive(Debug)]
pub struct SessionPolicy {
    /// Absolute lifetime from sign-in (`SESSION_LIFETIME_SECS`, default 7 days).
    pub lifetime: Duration,
    /// Signed out after this long without a check (`SESSION_IDLE_SECS`, default 24 h).
    pub idle: Duration,
    /// A page view confirms the record with the store at most this often (60 s).
    pub check_every: Duration,
    ended: Mutex<HashMap<String, Instant>>,
}

impl SessionPolicy {
    pub fn new(lifetime: Duration, idle: Duration, check_every: Duration) -> Self {
        Self {
            lifetime,
            idle,
            check_every,
            ended: Mutex::new(HashMap::new()),
        }
    }

    /// Remembers `id` as ended for as long as another page view could skip its check.
    fn remember_ended(&self, id: &str) {
        let mut ended = self.ended.lock().unwrap_or_else(|p| p.into_inner());
        let horizon = self.check_every;
        ended.retain(|_, at| at.elapsed() < horizon);
        ended.insert(id.to_owned(), Instant::now());
    }

    fn was_ended(&self, id: &str) -> bool {
        let ended = self.ended.lock().unwrap_or_else(|p| p.into_inner());
        ended
            .get(id)
            .is_some_and(|at| at.elapsed() < self.check_every)
    }
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Starts a session for `user` (a new id: signing in always rotates it) and records it.
pub async fn start(
    store: &dyn Store,
    session: &Session,
    user: UserId,
    user_agent: &str,
) -> Result<(), AppError> {
    let id = SessionId::parse(&random_token())
        .ok_or_else(|| AppError::unexpected(anyhow::anyhow!("session id")))?;
    let record = SessionRecord::new(id, user, &device_label(user_agent));
    store.create_session(&record).await?;
    session::sign_in(
        session,
        user,
        record.id.as_str(),
        record.created_at.timestamp(),
    )
}

/// The signed-in user, if the cookie names a live session; otherwise the cookie is cleared and
/// `None`. `force` confirms with the store even if it was checked a moment ago (form posts).
pub async fn verify(
    store: &dyn Store,
    policy: &SessionPolicy,
    session: &Session,
    force: bool,
) -> Result<Option<UserId>, AppError> {
    let Some(current) = session::cookie_session(session) else {
        if session::user_id(session).is_some() {
            // A cookie from before server-side sessions: signed out.
            session::sign_out(session);
        }
        return Ok(None);
    };
    let now = Utc::now();
    let expired = now.timestamp() - current.issued_at >= secs(policy.lifetime);
    if expired || policy.was_ended(&current.id) {
        session::sign_out(session);
        return Ok(None);
    }
    let due = now.timestamp() - current.checked_at >= secs(policy.check_every);
    if !(force || due) {
        return Ok(Some(current.user));
    }
    let Some(id) = SessionId::parse(&current.id) else {
        session::sign_out(session);
        return Ok(None);
    };
    let created_after = now - chrono::Duration::seconds(secs(policy.lifetime));
    let seen_after = now - chrono::Duration::seconds(secs(policy.idle));
    match store
        .touch_session(current.user, &id, now, created_after, seen_after)
        .await?
    {
        Some(_) => {
            session::mark_checked(session, now.timestamp())?;
            Ok(Some(current.user))
        }
        None => {
            session::sign_out(session);
            Ok(None)
        }
    }
}

/// Logout: ends the server-side session, then forgets the cookie.
pub async fn end_current(
    store: &dyn Store,
    policy: &SessionPolicy,
    session: &Session,
) -> Result<(), AppError> {
    if let Some(current) = session::cookie_session(session) {
        policy.remember_ended(&current.id);
        if let Some(id) = SessionId::parse(&current.id) {
            store.end_session(current.user, &id).await?;
        }
    }
    session::sign_out(session);
    Ok(())
}

/// Ends one of `user`'s other sessions (named by its id); `false` if there was none.
pub async fn end_one(
    store: &dyn Store,
    policy: &SessionPolicy,
    user: UserId,
    raw_id: &str,
) -> Result<bool, AppError> {
    let Some(id) = SessionId::parse(raw_id) else {
        return Ok(false);
    };
    policy.remember_ended(id.as_str());
    Ok(store.end_session(user, &id).await?)
}

/// Ends every session of the signed-in user but this one; returns how many.
pub async fn end_others(
    store: &dyn Store,
    policy: &SessionPolicy,
    session: &Session,
) -> Result<usize, AppError> {
    let current = session::cookie_session(session).ok_or(AppError::CsrfRejected)?;
    let keep = SessionId::parse(&current.id).ok_or(AppError::CsrfRejected)?;
    let ended = store.end_other_sessions(current.user, &keep).await?;
    for id in &ended {
        policy.remember_ended(id.as_str());
    }
    Ok(ended.len())
}

/// The id of the session this cookie belongs to (to mark "this browser" on the profile).
pub fn current_id(session: &Session) -> Option<String> {
    session::cookie_session(session).map(|c| c.id)
}

/// "Firefox on Linux" from a User-Agent header: a coarse label for the profile's list.
pub fn device_label(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("OPR/") {
        "Opera"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else if ua.starts_with("curl/") {
        "curl"
    } else {
        "Unknown browser"
    };
    let system = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    if system.is_empty() {
        browser.to_owned()
    } else {
        format!("{browser} on {system}")
    }
}

#[cfg(test)]
mod tests {
    use super::device_label;

    #[test]
    fn devices_are_named_from_the_user_agent() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(device_label(firefox), "Firefox on Linux");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0";
        assert_eq!(device_label(edge), "Edge on Windows");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(device_label(iphone), "Safari on iOS");
        assert_eq!(device_label(""), "Unknown browser");
    }
}
