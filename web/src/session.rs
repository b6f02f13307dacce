//! The typed session: who is signed in, the CSRF token, flash messages, and typed slots other
//! modules keep there (a pending sign-in, the selected team).
//!
//! The session lives in an encrypted cookie, so it holds only the user id, the server-side
//! session's id with its issue time and last check (see `sessions.rs`, which decides whether it
//! is still live), and short-lived state. A value that cannot be read back (tampered, old
//! format) counts as absent: signed out, no 500.

use actix_session::Session;
use adboard_domain::account::UserId;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::error::AppError;
use crate::tokens::{ct_eq, random_token};

const USER_ID: &str = "user_id";
const SESSION_ID: &str = "sid";
const ISSUED_AT: &str = "issued_at";
const CHECKED_AT: &str = "checked_at";
const CSRF: &str = "csrf";
const FLASH: &str = "flash";

/// At most this many flash messages wait for the next page (the newest kept): the session lives
/// in a cookie, which must stay well below browsers' 4 KB however many forms are posted unseen.
pub const MAX_FLASHES: usize = 5;
/// A flash message's text is cut to this many characters.
const MAX_FLASH_CHARS: usize = 300;

/// A one-time message shown on the next page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    /// `info` or `error`.
    pub level: String,
    pub text: String,
}

/// Set when a sign-in created the user; the home page takes it to say "Welcome" (not "back").
pub const FIRST_SIGN_IN: &str = "first_sign_in";

/// The value under `key`, if it can be read; an unreadable one is dropped.
pub fn get<T: DeserializeOwned>(session: &Session, key: &str) -> Option<T> {
    match session.get::<T>(key) {
        Ok(value) => value,
        Err(_) => {
            tracing::warn!(session.key = key, "unreadable session value ignored");
            session.remove(key);
            None
        }
    }
}

pub fn insert<T: Serialize>(session: &Session, key: &str, value: &T) -> Result<(), AppError> {
    session.insert(key, value).map_err(AppError::unexpected)
}

/// Removes and returns the value under `key`: whatever happens next, it cannot be used twice.
pub fn take<T: DeserializeOwned>(session: &Session, key: &str) -> Option<T> {
    let value = get(session, key);
    session.remove(key);
    value
}

/// The user id the cookie names. Only `sessions::verify` decides whether that session is still
/// live; use this alone for display, never for access.
pub fn user_id(session: &Session) -> Option<UserId> {
    get(session, USER_ID)
}

/// What the cookie says about its signed-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieSession {
    pub user: UserId,
    /// The server-side session record's id.
    pub id: String,
    /// When the session was started (Unix seconds).
    pub issued_at: i64,
    /// When the server last confirmed the record was live (Unix seconds).
    pub checked_at: i64,
}

/// The signed-in session the cookie carries, if complete and readable.
pub fn cookie_session(session: &Session) -> Option<CookieSession> {
    Some(CookieSession {
        user: get(session, USER_ID)?,
        id: get(session, SESSION_ID)?,
        issued_at: get(session, ISSUED_AT)?,
        checked_at: get(session, CHECKED_AT)?,
    })
}

/// Records that the server confirmed the session at `at` (Unix seconds).
pub fn mark_checked(session: &Session, at: i64) -> Result<(), AppError> {
    insert(session, CHECKED_AT, &at)
}

/// Starts a fresh signed-in session for the server-side session `id`, issued `now` (Unix
/// seconds): everything else is dropped and the cookie session renewed.
pub fn sign_in(session: &Session, user: UserId, id: &str, now: i64) -> Result<(), AppError> {
    let flashes: Vec<Flash> = get(session, FLASH).unwrap_or_default();
    session.clear();
    session.renew();
    insert(session, USER_ID, &user)?;
    insert(session, SESSION_ID, &id)?;
    insert(session, ISSUED_AT, &now)?;
    insert(session, CHECKED_AT, &now)?;
    insert(session, CSRF, &random_token())?;
    if !flashes.is_empty() {
        insert(session, FLASH, &flashes)?;
    }
    Ok(())
}

/// Forgets everything and removes the cookie.
pub fn sign_out(session: &Session) {
    session.purge();
}

/// The session's CSRF token, created on first use.
pub fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = get::<String>(session, CSRF) {
        return Ok(token);
    }
    let token = random_token();
    insert(session, CSRF, &token)?;
    Ok(token)
}

/// Accepts a form only if it carries this session's CSRF token.
pub fn check_csrf(session: &Session, submitted: Option<&str>) -> Result<(), AppError> {
    match (get::<String>(session, CSRF), submitted) {
        (Some(expected), Some(got)) if ct_eq(&expected, got) => Ok(()),
        _ => Err(AppError::CsrfRejected),
    }
}

pub fn add_flash(session: &Session, level: &str, text: &str) -> Result<(), AppError> {
    let mut flashes: Vec<Flash> = get(session, FLASH).unwrap_or_default();
    flashes.push(Flash {
        level: level.to_owned(),
        text: text.chars().take(MAX_FLASH_CHARS).collect(),
    });
    let excess = flashes.len().saturating_sub(MAX_FLASHES);
    flashes.drain(..excess);
    insert(session, FLASH, &flashes)
}

/// The pending flash messages, removed from the session (which is only rewritten if it had any).
pub fn take_flashes(session: &Session) -> Vec<Flash> {
    if !session.contains_key(FLASH) {
        return Vec::new();
    }
    take(session, FLASH).unwrap_or_default()
}

/// Roughly the most session state (JSON, before encryption and base64) a cookie under 4 KB holds.
const MAX_STATE_BYTES: usize = 2500;

/// Keeps the cookie under browsers' 4 KB: flash messages go first, then every short-lived slot
/// (the sign-in itself and the CSRF token stay). Logged, since it means a bug or an attack.
pub fn shrink_if_oversized(session: &Session) {
    let size = |session: &Session| -> usize {
        session
            .entries()
            .iter()
            .map(|(k, v)| k.len() + v.len() + 6)
            .sum()
    };
    let before = size(session);
    if before <= MAX_STATE_BYTES {
        return;
    }
    session.remove(FLASH);
    if size(session) > MAX_STATE_BYTES {
        let keep = [USER_ID, SESSION_ID, ISSUED_AT, CHECKED_AT, CSRF];
        let drop: Vec<String> = session
            .entries()
            .keys()
            .filter(|k| !keep.contains(&k.as_str()))
            .cloned()
            .collect();
        for key in drop {
            session.remove(&key);
        }
    }
    tracing::error!(
        session.bytes = before,
        session.bytes_after = size(session),
        "session state too large for its cookie: shrunk"
    );
}
