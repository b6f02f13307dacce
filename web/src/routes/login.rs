//! Sign-in and sign-out: the login page, starting a sign-in, the provider callback, logout.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{flash_and_redirect, redirect};
use crate::accounts::{self, Linked, provider_label};
use crate::auth::{CallbackParams, Intent, Providers, check_callback};
use crate::error::AppError;
use crate::extract::{Csrf, NoFields};
use crate::safe_next::safe_next;
use crate::session;
use crate::sessions;
use crate::state::AppState;
use crate::teams;
use crate::templates::{Nav, html, page_context};

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in form's one field besides the CSRF token: where to go afterwards.
#[derive(Debug, Deserialize)]
pub struct NextForm {
    #[serde(default)]
    next: Option<String>,
}

#[derive(Debug, Serialize)]
struct ProviderButton {
    id: &'static str,
    label: &'static str,
}

pub async fn login_page(
    query: web::Query<NextQuery>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let next = safe_next(query.next.as_deref());
    let store = state.store.as_ref();
    if sessions::verify(store, &state.sessions, &session, false)
        .await?
        .is_some()
    {
        return Ok(redirect(&next));
    }
    let providers: Vec<ProviderButton> = state
        .providers
        .configured()
        .into_iter()
        .map(|p| ProviderButton {
            id: p.as_str(),
            label: provider_label(p),
        })
        .collect();
    let mut context = page_context(&session, None, Nav::None)?;
    context.insert("providers", &providers);
    // Sent here from a page behind sign-in: say so.
    context.insert("asked_to_sign_in", &(next != "/"));
    context.insert("next", &next);
    context.insert("sandbox_users", &state.sandbox_users);
    Ok(html(state.templates.render("login.html", &context)?))
}

/// `POST /login/{provider}`: remembers the pending sign-in and sends the browser off.
pub async fn start(
    path: web::Path<String>,
    Csrf(form): Csrf<NextForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let next = safe_next(form.next.as_deref());
    let to = state
        .providers
        .begin(&session, &path, next, Intent::SignIn)
        .await?;
    Ok(redirect(to.as_str()))
}

/// `GET /login/{provider}/callback`: checks the state, verifies the provider's answer, then signs
/// in (a new server-side session; invitations wait on `/teams` for the person to accept) or
/// links, if the sign-in was started from the profile page.
pub async fn callback(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<CallbackParams>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let provider = state.providers.parse(&path)?;
    let (pending, code) = check_callback(
        provider,
        Providers::take_pending(&session),
        &query,
        state.providers.ttl,
        &state.providers.consumed,
    )?;
    let (intent, next) = (pending.intent, pending.next.clone());
    let verified = state.providers.finish(code, pending).await?;
    let store = state.store.as_ref();
    match intent {
        Intent::SignIn => {
            let email = verified.email.clone();
            let accounts::SignedInUser {
                user,
                first_sign_in,
            } = accounts::sign_in(store, verified).await?;
            let user_agent = req
                .headers()
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            sessions::start(store, &session, user.id, user_agent).await?;
            if first_sign_in {
                session::insert(&session, session::FIRST_SIGN_IN, &true)?;
            }
            teams::claim_invitations_at_sign_in(store, user.id, email.as_ref()).await;
            tracing::info!(user.id = %user.id, %provider, "signed in");
            Ok(redirect(&safe_next(Some(&next))))
        }
        Intent::Link => {
            let user = sessions::verify(store, &state.sessions, &session, true)
                .await?
                .ok_or(AppError::SignInFailed("you were signed out meanwhile."))?;
            let message = match accounts::link(store, user, verified).await? {
                Linked::Added => "Sign-in method linked.",
                Linked::AlreadyYours => "That sign-in was already linked to your account.",
            };
            flash_and_redirect(&session, message, "/profile")
        }
    }
}

/// `POST /logout` (CSRF-checked): ends the session on the server (a copy of the cookie no longer
/// signs anyone in), forgets it and removes the cookie; the home page then says "signed out".
pub async fn logout(
    _: Csrf<NoFields>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    sessions::end_current(state.store.as_ref(), &state.sessions, &session).await?;
    // The session is gone, so no flash can carry the message: the home page reads this query.
    Ok(redirect("/?signed_out=1"))
}
