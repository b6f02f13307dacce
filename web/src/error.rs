//! `AppError`: the web app's one error type, mapped to HTTP exactly once (and logged there).
//! A leaf: it imports nothing from this crate. `error_page` dresses its responses in the site's page.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, ResponseError};
use adboard_domain::DomainError;

/// What any 5xx other than [`AppError::Upstream`] says: the cause is in the log, never on the page.
pub const SERVER_ERROR_TEXT: &str = "Something went wrong on our side. Please try again.";

/// Everything a handler can fail with. Display texts are safe to show: they never contain
/// tokens, codes, states, secrets or provider error descriptions.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("This page does not exist.")]
    NotFound,
    /// A request we refuse, with a message safe to show (fixed text, never echoed input).
    #[error("{0}")]
    BadRequest(&'static str),
    /// Sign-in could not be completed (state, code or token problems), with a safe message.
    #[error("Sign-in failed: {0} Please start again.")]
    SignInFailed(&'static str),
    #[error(
        "Your account at this provider has no verified email address. Verify your email with the \
         provider, then sign in again."
    )]
    EmailNotVerified,
    /// The provider sent the user back with an error (e.g. `access_denied`).
    #[error("{0}")]
    ProviderRefused(&'static str),
    #[error("This form has expired or did not come from this site. Reload the page and try again.")]
    CsrfRejected,
    #[error("This page only accepts form submissions; use the buttons on the site.")]
    MethodNotAllowed,
    /// A signed-in member whose role does not allow the action, with a safe message.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The action conflicts with the current state (already a member, invitation pending, owner).
    #[error("{0}")]
    Conflict(&'static str),
    #[error(
        "This sign-in is already linked to another Adboard account, so it cannot be linked to yours."
    )]
    IdentityTaken,
    /// Not signed in: redirect to the login page, then back to `next`.
    #[error("Please sign in.")]
    LoginRequired { next: String },
    /// A provider or other upstream service failed or answered nonsense.
    #[error("The sign-in provider could not be reached. Please try again in a moment.")]
    Upstream(#[source] anyhow::Error),
    /// The dashboard's data could not be had (the function failed, or the team cannot show data
    /// yet), with our own message for the person and the status to answer with (never 500).
    #[error("{message}")]
    DataUnavailable {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    #[error("{SERVER_ERROR_TEXT}")]
    Unexpected(#[source] anyhow::Error),
}

impl AppError {
    pub fn unexpected(err: impl Into<anyhow::Error>) -> Self {
        Self::Unexpected(err.into())
    }

    /// The page title for this error.
    pub fn title(&self) -> &'static str {
        match self {
            AppError::NotFound => "Page not found",
            AppError::SignInFailed(_)
            | AppError::EmailNotVerified
            | AppError::ProviderRefused(_) => "Sign-in did not complete",
            AppError::CsrfRejected => "Form expired",
            AppError::IdentityTaken => "Already linked",
            AppError::Forbidden(_) => "Not allowed",
            AppError::Conflict(_) => "Not possible",
            AppError::Upstream(_) => "Provider unavailable",
            AppError::DataUnavailable { .. } => "Data unavailable",
            AppError::Unexpected(_) => "Something went wrong",
            _ => "Request refused",
        }
    }
}

impl From<adboard_store::StoreError> for AppError {
    fn from(err: adboard_store::StoreError) -> Self {
        match err {
            adboard_store::StoreError::IdentityTaken => AppError::IdentityTaken,
            adboard_store::StoreError::NotFound => AppError::NotFound,
            adboard_store::StoreError::AlreadyMember => {
                AppError::Conflict("This person is already a member of the team.")
            }
            adboard_store::StoreError::InvitationExists => {
                AppError::Conflict("An invitation for this email is already pending.")
            }
            adboard_store::StoreError::OwnerProtected => AppError::Conflict(
                "The team's owner cannot be removed, demoted or invited; ownership moves only by transfer.",
            ),
            other => AppError::Unexpected(other.into()),
        }
    }
}

/// A value a person typed that the domain refused: one fixed, safe message per field (never the
/// input echoed back). Malformed ids name nothing that exists, so they are 404s.
impl From<DomainError> for AppError {
    fn from(err: DomainError) -> Self {
        let (DomainError::Missing { field } | DomainError::Invalid { field, .. }) = err;
        AppError::BadRequest(match field {
            "team id" | "user id" => return AppError::NotFound,
            "team name" => "A team name is 1 to 100 characters, without control characters.",
            "name" => "A name is 1 to 100 characters, without control characters.",
            "email" => "That is not a valid email address.",
            "role" => "The role must be one of ADMIN, EDIT or READ.",
            "account_id" => "An ad account id is digits, optionally prefixed with act_.",
            "conversion_event" => {
                "A conversion event is a Facebook action type: lower-case letters, digits, '_' and '.'."
            }
            _ => "A value in this request is not valid.",
        })
    }
}

impl From<tera::Error> for AppError {
    fn from(err: tera::Error) -> Self {
        AppError::Unexpected(err.into())
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_)
            | AppError::SignInFailed(_)
            | AppError::EmailNotVerified
            | AppError::ProviderRefused(_) => StatusCode::BAD_REQUEST,
            AppError::CsrfRejected | AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::IdentityTaken | AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            AppError::Upstream(_) => StatusCode::BAD_GATEWAY,
            AppError::DataUnavailable { status, .. } => {
                StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_GATEWAY)
            }
            AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Logs the cause once and answers with the safe message; the `error_page::render_error_page`
    /// error handler then wraps 4xx/5xx bodies in the site's error page.
    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        match self {
            AppError::LoginRequired { next } => {
                let location = format!("/login?next={}", urlencode(next));
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, location))
                    .finish();
            }
            AppError::Upstream(cause) | AppError::Unexpected(cause) => {
                tracing::error!(error.cause = %format!("{cause:#}"), http.status = status.as_u16(), "request failed");
            }
            other => tracing::info!(
                error.kind = other.title(),
                http.status = status.as_u16(),
                "request refused"
            ),
        }
        let mut response = HttpResponse::build(status);
        if let AppError::DataUnavailable {
            retry_after: Some(secs),
            ..
        } = self
        {
            response.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        response
            .content_type(ContentType::plaintext())
            .body(self.public_message())
    }
}

impl AppError {
    /// What the person is told: the Display text, except for 5xx other than `Upstream`.
    pub fn public_message(&self) -> String {
        if self.status_code().is_server_error()
            && !matches!(
                self,
                AppError::Upstream(_) | AppError::DataUnavailable { .. }
            )
        {
            SERVER_ERROR_TEXT.to_owned()
        } else {
            self.to_string()
        }
    }
}

/// Percent-encodes a query parameter value.
pub fn urlencode(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes()).collect()
}
