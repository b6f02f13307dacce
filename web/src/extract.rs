//! Extractors that make authorisation part of a handler's signature: who is signed in
//! ([`SignedIn`], [`SessionUser`]), a CSRF-checked form ([`Csrf`]), and a team route the caller's
//! role allows ([`TeamAccess`] for pages, [`TeamAction`] for CSRF-checked forms). A handler that
//! takes `TeamAction<Manager, F>` cannot forget the CSRF token or the role check.

use std::future::Future;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::pin::Pin;

use actix_session::{Session, SessionExt as _};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use adboard_domain::account::UserId;
use adboard_domain::team::TeamRole;
use adboard_store::{ApiTokenId, Store, Team, User};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::api;
use crate::error::AppError;
use crate::session;
use crate::sessions;
use crate::state::AppState;
use crate::teams::{self, Need};

type Boxed<T> = Pin<Box<dyn Future<Output = Result<T, actix_web::Error>>>>;

/// Where a page behind login sends a signed-out visitor: `/login?next=<this path and query>`.
#[derive(Debug, Clone)]
struct LoginRequired(String);

impl LoginRequired {
    fn of(req: &HttpRequest) -> Self {
        Self(
            req.uri()
                .path_and_query()
                .map(|pq| pq.as_str().to_owned())
                .unwrap_or_else(|| "/".into()),
        )
    }

    fn error(&self) -> AppError {
        AppError::LoginRequired {
            next: self.0.clone(),
        }
    }

    /// The user of the cookie's session if it is still live on the server (confirmed with the
    /// store on form posts and at most once a minute otherwise), or this refusal.
    async fn user_id(
        &self,
        state: &AppState,
        session: &Session,
        force: bool,
    ) -> Result<UserId, AppError> {
        sessions::verify(state.store.as_ref(), &state.sessions, session, force)
            .await?
            .ok_or_else(|| self.error())
    }
}

/// Form posts always confirm the session with the store; page views at most once a minute.
fn is_form_post(req: &HttpRequest) -> bool {
    req.method() == actix_web::http::Method::POST
}

fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::unexpected(anyhow::anyhow!("AppState missing")))
}

/// The signed-in user read from the store; a session naming a user the store no longer has is
/// signed out and sent to the login page.
async fn load_user(
    store: &dyn Store,
    session: &Session,
    id: UserId,
    refused: &LoginRequired,
) -> Result<User, AppError> {
    match store.get_user(id).await? {
        Some(user) => Ok(user),
        None => {
            session::sign_out(session);
            Err(refused.error())
        }
    }
}

/// Extractor for pages behind login: the signed-in user, or a redirect to `/login?next=…`.
#[derive(Debug)]
pub struct SignedIn(pub User);

impl FromRequest for SignedIn {
    type Error = actix_web::Error;
    type Future = Boxed<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = app_state(req);
        let me = SessionUser::from_request(req, payload);
        Box::pin(async move {
            let (state, me) = (state?, me.await?);
            Ok(SignedIn(me.load(state.store.as_ref(), &session).await?))
        })
    }
}

/// Extractor for pages behind login that read the signed-in user together with the page's own
/// data (one store read fewer): the session's user id, or a redirect to `/login?next=…`. The page
/// must still find the user, and answer [`SessionUser::gone`] if it is not there.
#[derive(Debug)]
pub struct SessionUser {
    pub id: UserId,
    refused: LoginRequired,
}

impl SessionUser {
    /// The session names a user the store no longer has: signed out, back to the login page.
    pub fn gone(self, session: &Session) -> AppError {
        session::sign_out(session);
        self.refused.error()
    }

    /// The signed-in user read from the store (signed out if the store no longer has them).
    async fn load(&self, store: &dyn Store, session: &Session) -> Result<User, AppError> {
        load_user(store, session, self.id, &self.refused).await
    }
}

impl FromRequest for SessionUser {
    type Error = actix_web::Error;
    type Future = Boxed<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = app_state(req);
        let refused = LoginRequired::of(req);
        let force = is_form_post(req);
        Box::pin(async move {
            let state = state?;
            let id = refused.user_id(&state, &session, force).await?;
            Ok(SessionUser { id, refused })
        })
    }
}

/// A JSON API caller: an API bearer token (`Authorization: Bearer adb_…`), or a signed-in
/// browser session sending its CSRF token in the `X-CSRF-Token` header. Anything else is
/// [`AppError::ApiUnauthorized`]; an address with too many refused tokens is
/// [`AppError::RateLimited`] before its token is looked at.
#[derive(Debug)]
pub struct ApiCaller {
    pub user: UserId,
    /// The API token used, if the caller sent one (not for a browser session).
    pub token: Option<ApiTokenId>,
}

/// The caller's address, for the failure limiter (see [`api::ApiGuards::client_ip`]).
pub fn client_ip(req: &HttpRequest, guards: &api::ApiGuards) -> IpAddr {
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    guards.client_ip(req.peer_addr().map(|a| a.ip()), forwarded)
}

impl FromRequest for ApiCaller {
    type Error = actix_web::Error;
    type Future = Boxed<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = app_state(req);
        let ip = state.as_ref().ok().map(|s| client_ip(req, &s.api));
        let authorization = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .map(|v| v.to_str().map(str::to_owned));
        let csrf = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Box::pin(async move {
            let state = state?;
            let ip = ip.unwrap_or(IpAddr::from([0, 0, 0, 0]));
            match authorization {
                Some(header) => {
                    let bearer = header.ok().and_then(|h| {
                        h.strip_prefix("Bearer ")
                            .or_else(|| h.strip_prefix("bearer "))
                            .map(|t| t.trim().to_owned())
                    });
                    let record = state
                        .api
                        .failures
                        .guard(ip, async {
                            let bearer = bearer.ok_or(AppError::ApiUnauthorized)?;
                            api::tokens::authenticate(state.store.as_ref(), &bearer).await
                        })
                        .await?;
                    Ok(ApiCaller {
                        user: record.user,
                        token: Some(record.id),
                    })
                }
                None => {
                    let user =
                        sessions::verify(state.store.as_ref(), &state.sessions, &session, true)
                            .await?
                            .ok_or(AppError::ApiUnauthorized)?;
                    session::check_csrf(&session, csrf.as_deref())?;
                    Ok(ApiCaller { user, token: None })
                }
            }
        })
    }
}

/// A form body with the session's CSRF token beside its own fields.
#[derive(Debug, Deserialize)]
struct WithCsrf<F> {
    #[serde(default)]
    csrf_token: Option<String>,
    #[serde(flatten)]
    fields: F,
}

/// A form whose CSRF token matched this session's (403 otherwise); the fields are `F`.
#[derive(Debug)]
pub struct Csrf<F>(pub F);

impl<F: DeserializeOwned + 'static> FromRequest for Csrf<F> {
    type Error = actix_web::Error;
    type Future = Boxed<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<WithCsrf<F>>::from_request(req, payload);
        let session = req.get_session();
        Box::pin(async move {
            let form = form.await?.into_inner();
            session::check_csrf(&session, form.csrf_token.as_deref())?;
            Ok(Csrf(form.fields))
        })
    }
}

/// A form with no fields of its own (only the CSRF token).
#[derive(Debug, Deserialize)]
pub struct NoFields {}

/// What a team route asks of the caller's role, as a type.
pub trait Requirement {
    const NEED: Need;
}

/// Any member of the team.
#[derive(Debug)]
pub struct AnyMember;
/// OWNER or ADMIN.
#[derive(Debug)]
pub struct Manager;
/// OWNER only.
#[derive(Debug)]
pub struct Owner;

impl Requirement for AnyMember {
    const NEED: Need = Need::Member;
}
impl Requirement for Manager {
    const NEED: Need = Need::Manager;
}
impl Requirement for Owner {
    const NEED: Need = Need::Owner;
}

/// The team named by the route's `{id}`, for a signed-in member whose role meets `R`: 404 for an
/// unknown team or a non-member, 403 for a member without the role.
#[derive(Debug)]
pub struct TeamAccess<R> {
    pub user: User,
    pub team: Team,
    pub role: TeamRole,
    _requirement: PhantomData<R>,
}

impl<R: Requirement> TeamAccess<R> {
    async fn load(
        state: web::Data<AppState>,
        session: Session,
        me: SessionUser,
        raw_team: String,
    ) -> Result<Self, AppError> {
        let store = state.store.as_ref();
        let user = me.load(store, &session).await?;
        let mine = teams::authorize(store, &raw_team, user.id, R::NEED).await?;
        Ok(Self {
            user,
            team: mine.team,
            role: mine.role,
            _requirement: PhantomData,
        })
    }
}

fn team_param(req: &HttpRequest) -> String {
    req.match_info().get("id").unwrap_or_default().to_owned()
}

impl<R: Requirement + 'static> FromRequest for TeamAccess<R> {
    type Error = actix_web::Error;
    type Future = Boxed<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = app_state(req);
        let raw_team = team_param(req);
        let me = SessionUser::from_request(req, payload);
        Box::pin(async move {
            let (state, me) = (state?, me.await?);
            Ok(Self::load(state, session, me, raw_team).await?)
        })
    }
}

/// A CSRF-checked form `F` posted to a team route the caller's role meets `R` for. Checked in the
/// order: signed in, form readable, CSRF token, then membership and role.
#[derive(Debug)]
pub struct TeamAction<R, F> {
    pub user: User,
    pub team: Team,
    pub role: TeamRole,
    pub form: F,
    _requirement: PhantomData<R>,
}

impl<R: Requirement + 'static, F: DeserializeOwned + 'static> FromRequest for TeamAction<R, F> {
    type Error = actix_web::Error;
    type Future = Boxed<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // Signed in first (a signed-out post goes to the login page, not a CSRF error).
        let signed_in =
            session::user_id(&req.get_session()).ok_or_else(|| LoginRequired::of(req).error());
        let form = Csrf::<F>::from_request(req, payload);
        let access = TeamAccess::<R>::from_request(req, &mut Payload::None);
        Box::pin(async move {
            signed_in?;
            let Csrf(form) = form.await?;
            let access = access.await?;
            Ok(Self {
                user: access.user,
                team: access.team,
                role: access.role,
                form,
                _requirement: PhantomData,
            })
        })
    }
}
