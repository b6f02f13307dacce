//! Every route, wired in one place, and the small helpers the handlers share (redirects, flash
//! then redirect). Handlers import from here and from the layers below; nothing
//! below imports a handler.

mod api;
mod connectors;
mod dashboard;
mod login;
mod pages;
mod profile;
mod teams;

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::error::AppError;
use crate::session;

/// `303 See Other` to `location`.
fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// An info flash for the next page, then `303` to `location`.
fn flash_and_redirect(
    session: &Session,
    text: &str,
    location: &str,
) -> Result<HttpResponse, AppError> {
    session::add_flash(session, "info", text)?;
    Ok(redirect(location))
}

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
    .route("/ready", web::get().to(pages::ready))
    .route("/static/adboard.css", web::get().to(pages::stylesheet))
    .route("/static/adboard.js", web::get().to(pages::script))
    .route("/static/favicon.svg", web::get().to(pages::icon))
    .route("/favicon.ico", web::get().to(pages::icon))
    .route(
        "/static/facebook-ads.svg",
        web::get().to(pages::facebook_logo),
    )
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
    .service(post_only("/profile/sessions/end", profile::end_session))
    .service(post_only(
        "/profile/sessions/end-others",
        profile::end_other_sessions,
    ))
    .service(post_only(
        "/profile/api-tokens/revoke",
        profile::revoke_api_token,
    ))
    .configure(api_routes)
    .configure(teams_routes)
    .configure(connector_routes)
    .route("/dashboard", web::get().to(dashboard::page))
    .route("/dashboard/data.json", web::get().to(dashboard::data_json))
    .route("/dashboard.csv", web::get().to(dashboard::csv_download))
    .route(
        "/static/dashboard.js",
        web::get().to(pages::dashboard_script),
    )
    .route(
        "/static/vendor/chart.umd.min.js",
        web::get().to(pages::chart_js),
    )
    .default_service(web::to(not_found));
}

/// The Teams routes; every POST carries a CSRF token, every team-scoped route authorises first.
fn teams_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/teams", web::get().to(teams::list))
        .service(
            web::resource("/teams/new")
                .route(web::get().to(teams::new_form))
                .route(web::post().to(teams::create)),
        )
        .route("/teams/{id}", web::get().to(teams::show))
        .service(
            web::resource("/teams/{id}/edit")
                .route(web::get().to(teams::edit_form))
                .route(web::post().to(teams::update)),
        )
        .service(
            web::resource("/teams/{id}/invite")
                .route(web::get().to(teams::invite_form))
                .route(web::post().to(teams::invite)),
        )
        .service(
            web::resource("/teams/{id}/delete")
                .route(web::get().to(teams::delete_form))
                .route(web::post().to(teams::delete)),
        )
        .service(post_only("/teams/{id}/invitations/revoke", teams::revoke))
        .service(post_only(
            "/teams/{id}/members/{member}/role",
            teams::set_role,
        ))
        .service(post_only(
            "/teams/{id}/members/{member}/remove",
            teams::remove,
        ))
        .service(post_only("/teams/{id}/transfer", teams::transfer))
        .service(post_only("/teams/{id}/leave", teams::leave))
        .service(post_only(
            "/invitations/{id}/accept",
            teams::accept_invitation,
        ))
        .service(post_only(
            "/invitations/{id}/decline",
            teams::decline_invitation,
        ));
}

/// The Connectors routes (the selected team's OWNER only); every POST carries a CSRF token.
fn connector_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/connectors", web::get().to(connectors::page))
        .service(
            web::resource("/connectors/{platform}")
                .route(web::post().to(connectors::connect))
                .default_service(web::to(connectors::post_only)),
        )
        .route(
            "/connectors/{platform}/callback",
            web::get().to(connectors::callback),
        )
        .service(
            web::resource("/connectors/{platform}/accounts")
                .route(web::get().to(connectors::accounts))
                .route(web::post().to(connectors::choose_account)),
        )
        .service(
            web::resource("/connectors/{platform}/disconnect")
                .route(web::post().to(connectors::disconnect))
                .default_service(web::to(connectors::post_only)),
        );
}

/// The JSON API (`/api/…`, JSON errors, no CORS headers: other sites' pages cannot call it) and
/// Facebook's platform callbacks.
fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api")
            .app_data(api::json_config())
            .service(post_only("/auth/{provider}", api::auth))
            .service(post_only("/associate/{provider}", api::associate))
            .service(post_only("/logout", api::logout))
            .service(
                web::resource("/me")
                    .route(web::get().to(api::me))
                    .default_service(web::to(refuse)),
            )
            .route("/openapi.json", web::get().to(api::openapi))
            .default_service(web::to(not_found)),
    )
    .service(post_only("/facebook/deauthorize", api::deauthorize))
    .service(post_only("/facebook/data-deletion", api::data_deletion))
    .route("/data-deletion/{code}", web::get().to(api::deletion_status));
}

/// A resource that answers POST and refuses every other method.
fn post_only<F, Args>(path: &str, handler: F) -> actix_web::Resource
where
    F: actix_web::Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    web::resource(path)
        .route(web::post().to(handler))
        .default_service(web::to(refuse))
}

async fn refuse() -> Result<HttpResponse, AppError> {
    Err(AppError::MethodNotAllowed)
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
