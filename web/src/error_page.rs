//! The error handler that dresses every 4xx/5xx response in the site's error page, using the safe
//! message of an [`AppError`] (or a generic one for actix's own errors).

use actix_session::SessionExt as _;
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, ContentType};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, web};
use tera::Context;

use crate::error::{AppError, SERVER_ERROR_TEXT};
use crate::session;
use crate::state::AppState;
use crate::templates::Nav;

pub fn render_error_page<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let status = res.status();
    // A JSON answer (the dashboard's data endpoint) keeps its own error body.
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let app_error = res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>());
    if is_api_path(res.request().path()) {
        let body = json_error_body(status, app_error);
        return Ok(ErrorHandlerResponse::Response(
            with_body(res, ContentType::json(), body).map_into_right_body(),
        ));
    }
    if let Some(AppError::FormRejected { .. }) = app_error {
        // Already the form's own page, with the messages beside its fields.
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let (title, message) = match app_error {
        Some(err) => (err.title(), err.public_message()),
        None => match status.as_u16() {
            404 => ("Page not found", AppError::NotFound.to_string()),
            405 => (
                "Request refused",
                "This page does not accept that kind of request.".to_owned(),
            ),
            400..=499 => (
                "Request refused",
                "The request could not be processed.".to_owned(),
            ),
            _ => ("Something went wrong", SERVER_ERROR_TEXT.to_owned()),
        },
    };
    let request = res.request().clone();
    let session = request.get_session();
    // Only a member is refused (403) on a team's page; anyone else gets the same 404 as for a
    // team that does not exist, and no link to it.
    let back_to_team = (status.as_u16() == 403)
        .then(|| team_of_path(request.path()))
        .flatten();
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let body = state
        .and_then(|state| {
            let mut context = Context::new();
            context.insert("signed_in", &session::user_id(&session).is_some());
            context.insert("show_connectors", &false);
            context.insert("user_name", &None::<String>);
            context.insert("current_team", &None::<String>);
            context.insert("csrf_token", &session::csrf_token(&session).ok()?);
            context.insert("flashes", &Vec::<session::Flash>::new());
            context.insert("nav", Nav::None.as_str());
            context.insert("status", &status.as_u16());
            context.insert("title", title);
            context.insert("message", &message);
            context.insert("back_to_team", &back_to_team);
            let name = if status.as_u16() == 404 {
                "404.html"
            } else {
                "error.html"
            };
            state.templates.render(name, &context).ok()
        })
        .unwrap_or_else(|| format!("{title}: {message}"));
    let response = with_body(res, ContentType::html(), body).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(response))
}

/// Paths whose callers are programs (smartphone apps, Facebook's servers): errors are JSON.
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path.starts_with("/facebook/")
}

/// `{"error": {"code", "message"}}` for an error answer of the API.
fn json_error_body(status: actix_web::http::StatusCode, app_error: Option<&AppError>) -> String {
    let (code, message) = match app_error {
        Some(err) => (err.code(), err.public_message()),
        None => match status.as_u16() {
            404 => ("not_found", AppError::NotFound.to_string()),
            405 => ("method_not_allowed", AppError::MethodNotAllowed.to_string()),
            413 => ("payload_too_large", AppError::PayloadTooLarge.to_string()),
            400..=499 => (
                "bad_request",
                "The request could not be processed.".to_owned(),
            ),
            _ => ("internal", SERVER_ERROR_TEXT.to_owned()),
        },
    };
    serde_json::json!({"error": {"code": code, "message": message}}).to_string()
}

/// The error answer `res` with a new `body` (never cached), keeping its status and its `Allow`,
/// `Retry-After` and `WWW-Authenticate` headers.
fn with_body<B>(
    res: ServiceResponse<B>,
    content_type: ContentType,
    body: String,
) -> ServiceResponse {
    let mut response = HttpResponse::build(res.status());
    response
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "no-store"));
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(value) = res.headers().get(&name) {
            response.insert_header((name, value.clone()));
        }
    }
    res.into_response(response.body(body))
}

/// The team a `/teams/{id}/…` page belongs to (a well-formed id only), for the "Back to the team"
/// link: a member refused an action there still reaches the team's page.
fn team_of_path(path: &str) -> Option<String> {
    let mut parts = path.strip_prefix("/teams/")?.split('/');
    let id = parts.next()?;
    parts.next()?;
    adboard_domain::team::TeamId::parse(id)
        .ok()
        .map(|id| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::team_of_path;

    #[test]
    fn only_pages_below_a_well_formed_team_id_lead_back_to_the_team() {
        let id = "0b6e1a4e-3f7a-4c7e-9a39-7f6d1c2b3a41";
        assert_eq!(
            team_of_path(&format!("/teams/{id}/edit")).as_deref(),
            Some(id)
        );
        assert_eq!(team_of_path(&format!("/teams/{id}")), None);
        assert_eq!(team_of_path("/teams/not-an-id/edit"), None);
        assert_eq!(team_of_path("/profile"), None);
    }
}
