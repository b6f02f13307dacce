//! The profile: view and rename, linked sign-in methods, linking another provider.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::login::{CsrfForm, provider_label, redirect};
use crate::auth::Intent;
use crate::error::AppError;
use crate::session::{self, SessionUser, SignedIn};
use crate::startup::AppState;
use crate::templates::{Nav, html, page_context};

#[derive(Debug, Serialize)]
struct LinkedRow {
    provider: &'static str,
    email: Option<String>,
    linked_at: String,
}

#[derive(Debug, Serialize)]
struct LinkButton {
    id: &'static str,
    label: &'static str,
}

/// `GET /profile`: the user and their identities are one read.
pub async fn show(
    me: SessionUser,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Some((user, identities)) = state.store.get_user_with_identities(me.id).await? else {
        return Err(me.gone(&session));
    };
    let linked: Vec<LinkedRow> = identities
        .iter()
        .map(|i| LinkedRow {
            provider: provider_label(i.key.provider),
            email: i.email.as_ref().map(|e| e.as_str().to_owned()),
            linked_at: i.linked_at.format("%Y-%m-%d").to_string(),
        })
        .collect();
    let can_link: Vec<LinkButton> = state
        .providers
        .configured()
        .into_iter()
        .map(|p| LinkButton {
            id: p.as_str(),
            label: provider_label(p),
        })
        .collect();
    let mut context = page_context(&session, Some(&user), Nav::Profile)?;
    context.insert("name", &user.name);
    context.insert("email", &user.email.as_ref().map(|e| e.as_str()));
    context.insert("linked", &linked);
    context.insert("can_link", &can_link);
    Ok(html(state.templates.render("profile.html", &context)?))
}

#[derive(Debug, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    csrf_token: Option<String>,
    #[serde(default)]
    name: String,
}

pub async fn update(
    SignedIn(user): SignedIn,
    form: web::Form<ProfileForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    session::check_csrf(&session, form.csrf_token.as_deref())?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(AppError::BadRequest(
            "A name is 1 to 100 characters, without control characters.",
        ));
    }
    state.store.update_user_name(user.id, name).await?;
    session::add_flash(&session, "info", "Profile saved.")?;
    Ok(redirect("/profile"))
}

/// `POST /profile/link/{provider}`: starts a sign-in whose result is linked to this user.
pub async fn link(
    SignedIn(_user): SignedIn,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    session::check_csrf(&session, form.csrf_token.as_deref())?;
    let provider = state.providers.parse(&path)?;
    let started = state
        .providers
        .start(provider, "/profile".into(), Intent::Link)
        .await?;
    session::set_pending(&session, &started.pending)?;
    Ok(redirect(started.redirect_to.as_str()))
}
