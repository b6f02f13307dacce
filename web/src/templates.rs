//! Tera, built once before the server starts, and the pieces every page shares (layout context,
//! the error-page renderer).

use actix_session::{Session, SessionExt as _};
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, ContentType};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, web};
use adboard_store::User;
use tera::{Context, Tera};

use crate::error::AppError;
use crate::session;
use crate::startup::AppState;

/// The app's templates (`templates/*.html`, compiled into the binary, autoescaped).
#[derive(Debug)]
pub struct Templates {
    tera: Tera,
}

macro_rules! template {
    ($name:literal) => {
        ($name, include_str!(concat!("../../templates/", $name)))
    };
}

impl Templates {
    /// Parses every template; any error stops startup.
    pub fn build() -> Result<Self, tera::Error> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(vec![
            template!("base.html"),
            template!("index.html"),
            template!("login.html"),
            template!("profile.html"),
            template!("coming_soon.html"),
            template!("error.html"),
            template!("404.html"),
            template!("teams/list.html"),
            template!("teams/new.html"),
            template!("teams/show.html"),
            template!("teams/edit.html"),
            template!("teams/invite.html"),
            template!("teams/delete.html"),
        ])?;
        Ok(Self { tera })
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, AppError> {
        Ok(self.tera.render(name, context)?)
    }
}

/// Tera's escaping (`& < > " ' /`), from a crate that copies runs of plain text whole instead of
/// pushing one character at a time (the hottest function of a page render otherwise).
fn escape_html(input: &str) -> String {
    html_escape::encode_safe(input).into_owned()
}

/// The navbar entry a page belongs to (marked `aria-current="page"`), if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    None,
    Teams,
    Connectors,
    Dashboard,
    Profile,
}

impl Nav {
    fn as_str(self) -> &'static str {
        match self {
            Nav::None => "",
            Nav::Teams => "teams",
            Nav::Connectors => "connectors",
            Nav::Dashboard => "dashboard",
            Nav::Profile => "profile",
        }
    }
}

/// The layout's context: who is signed in, the CSRF token for forms, pending flash messages and
/// the current navbar entry.
pub fn page_context(session: &Session, user: Option<&User>, nav: Nav) -> Result<Context, AppError> {
    let mut context = Context::new();
    context.insert("nav", nav.as_str());
    context.insert("signed_in", &user.is_some());
    context.insert("user_name", &user.map(|u| u.name.as_str()));
    context.insert("csrf_token", &session::csrf_token(session)?);
    context.insert("flashes", &session::take_flashes(session));
    Ok(context)
}

/// An HTML page that is never cached (it may show personal data and carries a CSRF token).
pub fn html(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::html())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

/// Error handler for every 4xx/5xx response: replaces the body with the site's error page, using
/// the safe message of an [`AppError`] (or a generic one for actix's own errors).
pub fn render_error_page<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let status = res.status();
    let (title, message) = match res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>())
    {
        // Every AppError's Display is safe to show; 5xx other than Upstream get the generic text.
        Some(err) if !status.is_server_error() || matches!(err, AppError::Upstream(_)) => {
            (err.title(), err.to_string())
        }
        _ => match status.as_u16() {
            404 => ("Page not found", "This page does not exist.".to_owned()),
            405 => (
                "Request refused",
                "This page does not accept that kind of request.".to_owned(),
            ),
            400..=499 => (
                "Request refused",
                "The request could not be processed.".to_owned(),
            ),
            _ => (
                "Something went wrong",
                "Something went wrong on our side. Please try again.".to_owned(),
            ),
        },
    };
    let request = res.request().clone();
    let session = request.get_session();
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let body = state
        .and_then(|state| {
            let mut context = Context::new();
            context.insert("signed_in", &session::user_id(&session).is_some());
            context.insert("user_name", &None::<String>);
            context.insert("csrf_token", &session::csrf_token(&session).ok()?);
            context.insert("flashes", &Vec::<session::Flash>::new());
            context.insert("nav", Nav::None.as_str());
            context.insert("status", &status.as_u16());
            context.insert("title", title);
            context.insert("message", &message);
            let name = if status.as_u16() == 404 {
                "404.html"
            } else {
                "error.html"
            };
            state.templates.render(name, &context).ok()
        })
        .unwrap_or_else(|| format!("{title}: {message}"));
    let mut response = HttpResponse::build(status);
    response
        .content_type(ContentType::html())
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(allow) = res.headers().get(header::ALLOW) {
        response.insert_header((header::ALLOW, allow.clone()));
    }
    let response = res.into_response(response.body(body)).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(response))
}
