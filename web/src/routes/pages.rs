//! Plain pages: home, the "coming soon" shell behind login, and the static files.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::error::AppError;
use crate::extract::SignedIn;
use crate::session;
use crate::state::AppState;
use crate::templates::{Nav, html, page_context};

pub async fn home(session: Session, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let user = match session::user_id(&session) {
        Some(id) => state.store.get_user(id).await?,
        None => None,
    };
    let context = page_context(&session, user.as_ref(), Nav::None)?;
    Ok(html(state.templates.render("index.html", &context)?))
}

async fn coming_soon(
    title: &str,
    nav: Nav,
    user: SignedIn,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(&session, Some(&user.0), nav)?;
    context.insert("title", title);
    Ok(html(state.templates.render("coming_soon.html", &context)?))
}

pub async fn connectors(
    user: SignedIn,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    coming_soon("Connectors", Nav::Connectors, user, session, state).await
}

/// The site icon, also answered at `/favicon.ico` where browsers look for it unasked.
pub async fn icon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(include_str!("../../static/favicon.svg"))
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
