//! Tera, built once before the server starts, and the pieces every page shares: the layout
//! context (who is signed in, CSRF token, flashes, navbar entry) and the HTML response.

use actix_session::Session;
use actix_web::HttpResponse;
use actix_web::http::header::{self, ContentType};
use adboard_store::User;
use tera::{Context, Tera};

use crate::error::AppError;
use crate::session;
use crate::teams;

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
            template!("forms.html"),
            template!("way_back.html"),
            template!("index.html"),
            template!("login.html"),
            template!("profile.html"),
            template!("dashboard.html"),
            template!("error.html"),
            template!("404.html"),
            template!("teams/list.html"),
            template!("teams/new.html"),
            template!("teams/show.html"),
            template!("teams/edit.html"),
            template!("teams/invite.html"),
            template!("teams/roles.html"),
            template!("teams/delete.html"),
            template!("connectors/index.html"),
            template!("connectors/accounts.html"),
            template!("data_deletion.html"),
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
    pub fn as_str(self) -> &'static str {
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
    context.insert(
        "show_connectors",
        &(user.is_some() && teams::selected_team_is_mine_to_connect(session)),
    );
    context.insert("user_name", &user.map(|u| u.name.as_str()));
    context.insert(
        "current_team",
        &user.and_then(|_| teams::current_team(session)),
    );
    context.insert("csrf_token", &session::csrf_token(session)?);
    context.insert("flashes", &session::take_flashes(session));
    Ok(context)
}

/// How pages show a moment: `2026-12-01 20:52 UTC`.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// An HTML page that is never cached (it may show personal data and carries a CSRF token).
pub fn html(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::html())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}
