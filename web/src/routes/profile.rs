//! The profile: view and rename, linked sign-in methods, linking another provider.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use adboard_domain::account::UserName;
use serde::{Deserialize, Serialize};

use super::{flash_and_redirect, provider_label, redirect};
use crate::auth::Intent;
use crate::error::AppError;
use crate::extract::{Csrf, NoFields, SessionUser, SignedIn};
use crate::state::AppState;
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
    context.insert("name", user.name.as_str());
    context.insert("email", &user.email.as_ref().map(|e| e.as_str()));
    context.insert("linked", &linked);
    context.insert("can_link", &can_link);
    Ok(html(state.templates.render("profile.html", &context)?))
}

#[derive(Debug, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    name: String,
}

pub async fn update(
    SignedIn(user): SignedIn,
    Csrf(form): Csrf<ProfileForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let name = UserName::parse(&form.name)?;
    state.store.update_user_name(user.id, &name).await?;
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
