//! The profile: view and rename, linked sign-in methods, linking another provider, sessions and
//! the API tokens of apps signed in to the account.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use adboard_domain::account::UserName;
use adboard_store::ApiTokenId;
use serde::{Deserialize, Serialize};

use super::{flash_and_redirect, redirect};
use crate::accounts::provider_label;
use crate::auth::Intent;
use crate::error::AppError;
use crate::extract::{Csrf, NoFields, SessionUser, SignedIn};
use crate::forms::{FormErrors, render_form};
use crate::sessions;
use crate::state::AppState;
use crate::templates::{Nav, html, page_context, timestamp};

#[derive(Debug, Serialize)]
struct LinkedRow {
    provider: &'static str,
    email: Option<String>,
    linked_at: String,
}

#[derive(Debug, Serialize)]
struct SessionRow {
    id: String,
    device: String,
    started: String,
    last_seen: String,
    current: bool,
}

#[derive(Debug, Serialize)]
struct ApiTokenRow {
    id: String,
    label: String,
    created: String,
    last_used: String,
}

#[derive(Debug, Serialize)]
struct LinkButton {
    id: &'static str,
    label: &'static str,
}

/// `GET /profile`: the user, their identities, sessions and API tokens are one read.
pub async fn show(
    me: SessionUser,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let page = profile_page(me, &session, &state, None, FormErrors::default()).await?;
    Ok(html(page))
}

/// The profile page, its name field showing `typed` (else the stored name) and `errors`.
async fn profile_page(
    me: SessionUser,
    session: &Session,
    state: &AppState,
    typed: Option<ProfileForm>,
    errors: FormErrors,
) -> Result<String, AppError> {
    let Some(profile) = state.store.get_user_profile(me.id).await? else {
        return Err(me.gone(session));
    };
    let (user, identities, open_sessions) = (profile.user, profile.identities, profile.sessions);
    let api_tokens: Vec<ApiTokenRow> = profile
        .api_tokens
        .iter()
        .map(|t| ApiTokenRow {
            id: t.id.as_str().to_owned(),
            label: t.label.clone(),
            created: timestamp(t.created_at),
            last_used: timestamp(t.last_used_at),
        })
        .collect();
    let current = sessions::current_id(session);
    let session_rows: Vec<SessionRow> = open_sessions
        .iter()
        .map(|s| SessionRow {
            id: s.id.as_str().to_owned(),
            device: s.device.clone(),
            started: timestamp(s.created_at),
            last_seen: timestamp(s.last_seen_at),
            current: current.as_deref() == Some(s.id.as_str()),
        })
        .collect();
    let linked: Vec<LinkedRow> = identities
        .iter()
        .map(|i| LinkedRow {
            provider: provider_label(i.key.provider),
            email: i.email.as_ref().map(|e| e.as_str().to_owned()),
            linked_at: i.linked_at.format("%Y-%m-%d").to_string(),
        })
        .collect();
    // Only the providers not linked yet: linking one twice would do nothing.
    let can_link: Vec<LinkButton> = state
        .providers
        .configured()
        .into_iter()
        .filter(|p| !identities.iter().any(|i| i.key.provider == *p))
        .map(|p| LinkButton {
            id: p.as_str(),
            label: provider_label(p),
        })
        .collect();
    let mut context = page_context(session, Some(&user), Nav::Profile)?;
    context.insert("email", &user.email.as_ref().map(|e| e.as_str()));
    context.insert("linked", &linked);
    context.insert("can_link", &can_link);
    context.insert("sessions", &session_rows);
    context.insert("api_tokens", &api_tokens);
    let values = typed.unwrap_or_else(|| ProfileForm {
        name: user.name.as_str().to_owned(),
    });
    render_form(&state.templates, "profile.html", context, &values, &errors)
}

#[derive(Debug, Deserialize, Serialize)]
pub struct ProfileForm {
    #[serde(default)]
    name: String,
}

/// `POST /profile`: renames me; a refused name comes back beside the field, as typed (422).
pub async fn update(
    me: SessionUser,
    Csrf(form): Csrf<ProfileForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    let Some(name) = errors.check("name", UserName::parse(&form.name)) else {
        let page = profile_page(me, &session, &state, Some(form), errors).await?;
        return Err(AppError::FormRejected {
            conflict: false,
            page,
        });
    };
    state.store.update_user_name(me.id, &name).await?;
    flash_and_redirect(&session, "Profile saved.", "/profile")
}

/// `POST /profile/link/{provider}`: starts a sign-in whose result is linked to this user.
pub async fn link(
    _: SignedIn,
    path: web::Path<String>,
    _: Csrf<NoFields>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let to = state
        .providers
        .begin(&session, &path, "/profile".into(), Intent::Link)
        .await?;
    Ok(redirect(to.as_str()))
}

#[derive(Debug, Deserialize)]
pub struct EndSessionForm {
    #[serde(default)]
    session: String,
}

/// `POST /profile/sessions/end`: ends one of my sessions (signed out there at its next request).
pub async fn end_session(
    SignedIn(user): SignedIn,
    Csrf(form): Csrf<EndSessionForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if sessions::current_id(&session).as_deref() == Some(form.session.as_str()) {
        return Err(AppError::BadRequest(
            "To end this browser's session, sign out.",
        ));
    }
    let ended = sessions::end_one(
        state.store.as_ref(),
        &state.sessions,
        user.id,
        &form.session,
    )
    .await?;
    if !ended {
        return Err(AppError::NotFound);
    }
    tracing::info!(user.id = %user.id, "session ended from the profile");
    flash_and_redirect(&session, "Session ended.", "/profile")
}

/// `POST /profile/sessions/end-others`: ends every session of mine but this one.
pub async fn end_other_sessions(
    SignedIn(user): SignedIn,
    _: Csrf<NoFields>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let n = sessions::end_others(state.store.as_ref(), &state.sessions, &session).await?;
    tracing::info!(user.id = %user.id, sessions.ended = n, "other sessions ended");
    let message = match n {
        0 => "There were no other sessions.".to_owned(),
        1 => "1 other session ended.".to_owned(),
        n => format!("{n} other sessions ended."),
    };
    flash_and_redirect(&session, &message, "/profile")
}

#[derive(Debug, Deserialize)]
pub struct RevokeTokenForm {
    #[serde(default)]
    token: String,
}

/// `POST /profile/api-tokens/revoke`: revokes one of my API tokens (that app is signed out).
pub async fn revoke_api_token(
    SignedIn(user): SignedIn,
    Csrf(form): Csrf<RevokeTokenForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = ApiTokenId::parse(&form.token).ok_or(AppError::NotFound)?;
    if !crate::api::tokens::revoke(state.store.as_ref(), user.id, &id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(user.id = %user.id, "API token revoked from the profile");
    flash_and_redirect(
        &session,
        "API token revoked: that app is signed out.",
        "/profile",
    )
}
