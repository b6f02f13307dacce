//! Every route, wired in one place.

mod login;
mod pages;
mod profile;

use actix_web::{HttpResponse, web};

use crate::error::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::QueryConfig::default()
            .error_handler(|_, _| AppError::BadRequest("Malformed query string.").into()),
    )
    .app_data(
        web::FormConfig::default()
            .limit(16 * 1024)
            .error_handler(|_, _| AppError::BadRequest("Malformed form.").into()),
    )
    .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
    .route("/", web::get().to(pages::home))
    .route(
        "/health",
        web::get().to(|| async { HttpResponse::Ok().body("ok") }),
    )
    .route("/static/adboard.css", web::get().to(pages::stylesheet))
    .route("/login", web::get().to(login::login_page))
    .service(
        web::resource("/login/{provider}")
            .route(web::post().to(login::start))
            .default_service(web::to(refuse)),
    )
    .route("/login/{provider}/callback", web::get().to(login::callback))
    .service(
        web::resource("/logout")
            .route(web::post().to(login::logout))
            .default_service(web::to(refuse)),
    )
    .service(
        web::resource("/profile")
            .route(web::get().to(profile::show))
            .route(web::post().to(profile::update)),
    )
    .service(
        web::resource("/profile/link/{provider}")
            .route(web::post().to(profile::link))
            .default_service(web::to(refuse)),
    )
    .route("/teams", web::get().to(pages::teams))
    .route("/connectors", web::get().to(pages::connectors))
    .route("/dashboard", web::get().to(pages::dashboard))
    .default_service(web::to(not_found));
}

async fn refuse() -> Result<HttpResponse, AppError> {
    Err(AppError::MethodNotAllowed)
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
