//! Sign-in and sign-out: the login page, starting a sign-in, the provider callback, logout.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::accounts::{self, Linked};
use crate::auth::{CallbackParams, Intent, check_callback};
use crate::error::AppError;
use crate::safe_next::safe_next;
use crate::session;
use crate::startup::AppState;
use crate::templates::{Nav, html, page_context};

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// A form that only carries the CSRF token (and, for sign-in, where to go next).
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf_token: Option<String>,
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Debug, Serialize)]
struct ProviderButton {
    id: &'static str,
    label: &'static str,
}

pub fn provider_label(provider: adboard_domain::account::Provider) -> &'static str {
    use adboard_domain::account::Provider;
    match provider {
        Provider::Google => "Google",
        Provider::Oidc => "OpenID Connect",
        Provider::Facebook => "Facebook",
        Provider::Sandbox => "Sandbox",
    }
}

pub fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

pub async fn login_page(
    query: web::Query<NextQuery>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let next = safe_next(query.next.as_deref());
    if session::user_id(&session).is_some() {
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
    context.insert("next", &next);
    Ok(html(state.templates.render("login.html", &context)?))
}

/// `POST /login/{provider}`: CSRF-checked; remembers the pending sign-in and sends the browser off.
pub async fn start(
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    session::check_csrf(&session, form.csrf_token.as_deref())?;
    let provider = state.providers.parse(&path)?;
    let started = state
        .providers
        .start(provider, safe_next(form.next.as_deref()), Intent::SignIn)
        .await?;
    session::set_pending(&session, &started.pending)?;
    Ok(redirect(started.redirect_to.as_str()))
}

/// `GET /login/{provider}/callback`: checks the state, verifies the provider's answer, then signs
/// in (or links, if the sign-in was started from the profile page).
pub async fn callback(
    path: web::Path<String>,
    query: web::Query<CallbackParams>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let provider = state.providers.parse(&path)?;
    let pending = session::take_pending(&session);
    let (pending, code) = check_callback(
        provider,
        pending,
        &query,
        state.providers.ttl,
        &state.providers.consumed,
    )?;
    let (intent, next) = (pending.intent, pending.next.clone());
    let verified = state.providers.finish(code, pending).await?;
    match intent {
        Intent::SignIn => {
            let email = verified.email.clone();
            let user = accounts::sign_in(state.store.as_ref(), verified).await?;
            session::sign_in(&session, user.id)?;
            crate::teams::accept_invitations_at_sign_in(
                state.store.as_ref(),
                &session,
                user.id,
                email.as_ref(),
            )
            .await?;
            tracing::info!(user.id = %user.id, %provider, "signed in");
            Ok(redirect(&safe_next(Some(&next))))
        }
        Intent::Link => {
            let user = session::user_id(&session)
                .ok_or(AppError::SignInFailed("you were signed out meanwhile."))?;
            let message = match accounts::link(state.store.as_ref(), user, verified).await? {
                Linked::Added => "Sign-in method linked.",
                Linked::AlreadyYours => "That sign-in was already linked to your account.",
            };
            session::add_flash(&session, "info", message)?;
            Ok(redirect("/profile"))
        }
    }
}

/// `POST /logout` (CSRF-checked): forgets the session and removes the cookie.
pub async fn logout(form: web::Form<CsrfForm>, session: Session) -> Result<HttpResponse, AppError> {
    session::check_csrf(&session, form.csrf_token.as_deref())?;
    session::sign_out(&session);
    Ok(redirect("/"))
}
