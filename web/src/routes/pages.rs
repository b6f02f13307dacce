//! Plain pages: home, the "coming soon" shell behind login, and the static files.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpResponse, web};

use serde::Deserialize;

use crate::error::AppError;
use crate::onboarding;
use crate::session;
use crate::sessions;
use crate::state::AppState;
use crate::templates::{Nav, html, page_context};

#[derive(Debug, Deserialize)]
pub struct HomeQuery {
    /// Set by `POST /logout`'s redirect: say "You are signed out."
    signed_out: Option<String>,
}

/// `GET /`: the onboarding checklist for a signed-in user ("Welcome" after a first sign-in),
/// else the front page.
pub async fn home(
    query: web::Query<HomeQuery>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let store = state.store.as_ref();
    let home = match sessions::verify(store, &state.sessions, &session, false).await? {
        Some(id) => onboarding::home(store, &session, id).await?,
        None => None,
    };
    let mut context = page_context(&session, home.as_ref().map(|h| &h.user), Nav::None)?;
    if let Some(home) = &home {
        let first = session::take::<bool>(&session, session::FIRST_SIGN_IN).unwrap_or(false);
        context.insert("first_sign_in", &first);
        context.insert("steps", &home.steps);
    }
    context.insert(
        "signed_out",
        &(home.is_none() && query.signed_out.is_some()),
    );
    Ok(html(state.templates.render("index.html", &context)?))
}

/// `GET /ready`: whether the store answers, within 1 s (200 `ready`, else 503). `GET /health`
/// stays a cheap liveness answer that touches nothing.
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let ping = tokio::time::timeout(std::time::Duration::from_secs(1), state.store.ping()).await;
    match ping {
        Ok(Ok(())) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body("ready"),
        outcome => {
            let cause = match outcome {
                Ok(Err(err)) => err.to_string(),
                _ => "no answer within 1 s".to_owned(),
            };
            tracing::warn!(error.cause = %cause, "not ready: the store did not answer");
            HttpResponse::ServiceUnavailable()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body("not ready")
        }
    }
}

/// The site icon, also answered at `/favicon.ico` where browsers look for it unasked.
pub async fn icon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(include_str!("../../static/favicon.svg"))
}

/// The Facebook Ads logo on the connector card (vendored, never from a CDN).
pub async fn facebook_logo() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(include_str!("../../static/facebook-ads.svg"))
}

pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/adboard.js"))
}

/// The dashboard's chart code (reads the page's JSON block; no inline script anywhere).
pub async fn dashboard_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/dashboard.js"))
}

/// Chart.js 4.6.1 from npm (`dist/chart.umd.min.js`, MIT), vendored and served by us: no CDN.
pub async fn chart_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(include_str!("../../static/vendor/chart.umd.min.js"))
}

pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/adboard.css"))
}
