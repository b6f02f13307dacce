//! The typed session: who is signed in, the CSRF token, flash messages and a pending sign-in.
//!
//! The session lives in an encrypted cookie, so it holds only the user id and short-lived state.
//! A value that cannot be read back (tampered, old format) counts as absent: signed out, no 500.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use adboard_domain::account::UserId;
use adboard_store::User;
use base64::Engine as _;
use rand::RngCore as _;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use subtle::ConstantTimeEq as _;

use crate::auth::PendingLogin;
use crate::error::AppError;
use crate::startup::AppState;

const USER_ID: &str = "user_id";
const CSRF: &str = "csrf";
const FLASH: &str = "flash";
const PENDING: &str = "pending_login";

/// A one-time message shown on the next page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    /// `info` or `error`.
    pub level: String,
    pub text: String,
}

fn read<T: DeserializeOwned>(session: &Session, key: &str) -> Option<T> {
    match session.get::<T>(key) {
        Ok(value) => value,
        Err(_) => {
            tracing::warn!(session.key = key, "unreadable session value ignored");
            session.remove(key);
            None
        }
    }
}

fn write<T: Serialize>(session: &Session, key: &str, value: &T) -> Result<(), AppError> {
    session.insert(key, value).map_err(AppError::unexpected)
}

/// A fresh random token (32 bytes, URL-safe base64).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Constant-time string equality.
pub fn ct_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

pub fn user_id(session: &Session) -> Option<UserId> {
    read(session, USER_ID)
}

/// Starts a fresh signed-in session: everything else is dropped and the session renewed.
pub fn sign_in(session: &Session, user: UserId) -> Result<(), AppError> {
    let flashes: Vec<Flash> = read(session, FLASH).unwrap_or_default();
    session.clear();
    session.renew();
    write(session, USER_ID, &user)?;
    write(session, CSRF, &random_token())?;
    if !flashes.is_empty() {
        write(session, FLASH, &flashes)?;
    }
    Ok(())
}

/// Forgets everything and removes the cookie.
pub fn sign_out(session: &Session) {
    session.purge();
}

/// The session's CSRF token, created on first use.
pub fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = read::<String>(session, CSRF) {
        return Ok(token);
    }
    let token = random_token();
    write(session, CSRF, &token)?;
    Ok(token)
}

/// Accepts a form only if it carries this session's CSRF token.
pub fn check_csrf(session: &Session, submitted: Option<&str>) -> Result<(), AppError> {
    match (read::<String>(session, CSRF), submitted) {
        (Some(expected), Some(got)) if ct_eq(&expected, got) => Ok(()),
        _ => Err(AppError::CsrfRejected),
    }
}

pub fn add_flash(session: &Session, level: &str, text: &str) -> Result<(), AppError> {
    let mut flashes: Vec<Flash> = read(session, FLASH).unwrap_or_default();
    flashes.push(Flash {
        level: level.to_owned(),
        text: text.to_owned(),
    });
    write(session, FLASH, &flashes)
}

/// The pending flash messages, removed from the session (which is only rewritten if it had any).
pub fn take_flashes(session: &Session) -> Vec<Flash> {
    if !session.contains_key(FLASH) {
        return Vec::new();
    }
    let flashes = read(session, FLASH).unwrap_or_default();
    session.remove(FLASH);
    flashes
}

pub fn set_pending(session: &Session, pending: &PendingLogin) -> Result<(), AppError> {
    write(session, PENDING, pending)
}

/// Removes and returns the pending sign-in: whatever happens next, it cannot be used twice.
pub fn take_pending(session: &Session) -> Option<PendingLogin> {
    let pending = read(session, PENDING);
    session.remove(PENDING);
    pending
}

/// Where a page behind login sends a signed-out visitor: `/login?next=<this path and query>`.
fn login_required(req: &HttpRequest) -> AppError {
    let next = req
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    AppError::LoginRequired { next }
}

/// Extractor for pages behind login: the signed-in user, or a redirect to `/login?next=…`.
#[derive(Debug)]
pub struct SignedIn(pub User);

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let refused = login_required(req);
        Box::pin(async move {
            let state =
                state.ok_or_else(|| AppError::unexpected(anyhow::anyhow!("AppState missing")))?;
            let Some(id) = user_id(&session) else {
                return Err(refused);
            };
            match state.store.get_user(id).await? {
                Some(user) => Ok(SignedIn(user)),
                None => {
                    sign_out(&session);
                    Err(refused)
                }
            }
        })
    }
}

/// Extractor for pages behind login that read the signed-in user together with the page's own
/// data (one store read fewer): the session's user id, or a redirect to `/login?next=…`. The page
/// must still find the user, and answer [`SessionUser::gone`] if it is not there.
#[derive(Debug)]
pub struct SessionUser {
    pub id: UserId,
    refused: AppError,
}

impl SessionUser {
    /// The session names a user the store no longer has: signed out, back to the login page.
    pub fn gone(self, session: &Session) -> AppError {
        sign_out(session);
        self.refused
    }
}

impl FromRequest for SessionUser {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let refused = login_required(req);
        std::future::ready(match user_id(&req.get_session()) {
            Some(id) => Ok(SessionUser { id, refused }),
            None => Err(refused),
        })
    }
}
