//! `AppError`: the web app's one error type, mapped to HTTP exactly once (and logged there).
//! A leaf: it imports nothing from this crate. `error_page` dresses its responses in the site's page.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, ResponseError};
use adboard_domain::DomainError;

/// What any 5xx other than [`AppError::Upstream`] and [`AppError::Unavailable`] says: the cause is in the log, never on the page.
pub const SERVER_ERROR_TEXT: &str = "Something went wrong on our side. Please try again.";

/// Everything a handler can fail with. Display texts are safe to show: they never contain
/// tokens, codes, states, secrets or provider error descriptions.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("This page does not exist.")]
    NotFound,
    /// A data-deletion status page for a confirmation code we never issued (or mistyped).
    #[error(
        "No data-deletion request has this confirmation code. Check that the address is complete: \
         the code is its last part, as Facebook showed it to you."
    )]
    UnknownDeletionCode,
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
    /// A connection (connector OAuth) could not be completed, with a safe message.
    #[error("The connection did not complete: {0} Please start again.")]
    ConnectFailed(&'static str),
    /// The platform sent the owner back without access (cancelled, denied).
    #[error("{0}")]
    ConnectCancelled(&'static str),
    /// A feature this server is not configured for, with a safe message naming what is missing.
    #[error("{0}")]
    NotConfigured(&'static str),
    /// The stored connector token no longer works (expired, revoked, unreadable).
    #[error(
        "Facebook no longer accepts this team's connection. The team's owner can reconnect it on \
         the Connectors page."
    )]
    ReconnectNeeded,
    /// Facebook (as the data platform, not sign-in) failed or answered nonsense.
    #[error(
        "Facebook could not be reached or answered unexpectedly. Nothing was changed; please try again in a moment."
    )]
    Facebook(#[source] anyhow::Error),
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
    /// The store (or another dependency) did not answer in time: "try again", 503.
    #[error("Adboard is busy or cannot reach its storage right now. Please try again in a moment.")]
    Unavailable(#[source] anyhow::Error),
    /// A form to correct: its page, already rendered with each field's message beside the field
    /// and the typed values kept (`forms::FormErrors::reject`). 409 if the values conflict with
    /// the current state, else 422.
    #[error("Please correct the form.")]
    FormRejected { conflict: bool, page: String },
    /// A verified email that already belongs to an account signed in with another provider: no
    /// silent merge, no silent second account.
    #[error("An account with this email exists: sign in with {existing} to link {new} to it.")]
    AccountExists {
        existing: &'static str,
        new: &'static str,
    },
    /// The dashboard's data could not be had (the function failed, or the team cannot show data
    /// yet), with our own message for the person and the status to answer with (never 500).
    #[error("{message}")]
    DataUnavailable {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// A provider token sent to the JSON API that the provider did not vouch for us (invalid,
    /// expired, issued to another app or audience), with a safe reason.
    #[error("The provider token was refused: {0}")]
    InvalidProviderToken(&'static str),
    /// The JSON API found no user linked to a verified external account (it never creates one).
    #[error(
        "No Adboard account is linked to this account. Sign in on the web first, then link it \
         from your profile."
    )]
    UserNotFound,
    /// A JSON API call without a valid API token (or browser session with its CSRF header).
    #[error("This call needs a valid API token: send `Authorization: Bearer <token>`.")]
    ApiUnauthorized,
    /// Too many refused attempts from this address; try again after `retry_after` seconds.
    #[error("Too many failed attempts. Try again in {retry_after} seconds.")]
    RateLimited { retry_after: u64 },
    /// The JSON API takes `application/json` only.
    #[error("Send the request body as JSON with `Content-Type: application/json`.")]
    UnsupportedMediaType,
    #[error("The request body is too large.")]
    PayloadTooLarge,
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
            AppError::UnknownDeletionCode => "Deletion request not found",
            AppError::SignInFailed(_)
            | AppError::EmailNotVerified
            | AppError::ProviderRefused(_) => "Sign-in did not complete",
            AppError::CsrfRejected => "Form expired",
            AppError::ConnectFailed(_) | AppError::ConnectCancelled(_) => "Not connected",
            AppError::NotConfigured(_) => "Not available",
            AppError::ReconnectNeeded => "Reconnect needed",
            AppError::Facebook(_) => "Facebook unavailable",
            AppError::IdentityTaken => "Already linked",
            AppError::AccountExists { .. } => "Account exists",
            AppError::FormRejected { .. } => "Please correct the form",
            AppError::Forbidden(_) => "Not allowed",
            AppError::Conflict(_) => "Not possible",
            AppError::Upstream(_) => "Provider unavailable",
            AppError::Unavailable(_) => "Try again",
            AppError::DataUnavailable { .. } => "Data unavailable",
            AppError::InvalidProviderToken(_) => "Token refused",
            AppError::UserNotFound => "No linked account",
            AppError::ApiUnauthorized => "Not signed in",
            AppError::RateLimited { .. } => "Too many attempts",
            AppError::UnsupportedMediaType => "Unsupported content type",
            AppError::PayloadTooLarge => "Too large",
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
            adboard_store::StoreError::InvitationCoolingDown => AppError::Conflict(
                "An invitation to this address was declined or revoked less than 24 hours ago; \
                 it can be sent again after that.",
            ),
            adboard_store::StoreError::TooManyInvitations => AppError::Conflict(
                "This team has 200 pending invitations, the most it can have. Revoke some before \
                 inviting more.",
            ),
            adboard_store::StoreError::TeamFull => AppError::Conflict(
                "This team has 200 members, the most a team can have. Nobody else can join it.",
            ),
            adboard_store::StoreError::TooManyTeams => AppError::Conflict(
                "You are in 100 teams, the most one person can be in. Leave a team before joining \
                 or creating another.",
            ),
            adboard_store::StoreError::Unavailable(cause) => {
                AppError::Unavailable(anyhow::anyhow!(cause))
            }
            adboard_store::StoreError::OwnerProtected => AppError::Conflict(
                "The team's owner cannot be removed, demoted or invited; ownership moves only by transfer.",
            ),
            other => AppError::Unexpected(other.into()),
        }
    }
}

/// The message for a value a person typed into `field` that the domain refused: fixed and safe
/// (never the input echoed back).
pub fn field_message(field: &str) -> &'static str {
    match field {
        "team name" => {
            "A team name is 1 to 100 characters with at least one visible character, without \
             control, direction-changing or zero-width characters."
        }
        "name" => {
            "A name is 1 to 100 characters with at least one visible character, without control, \
             direction-changing or zero-width characters."
        }
        "email" => "That is not a valid email address.",
        "role" => "The role must be one of ADMIN, EDIT or READ.",
        "account_id" => "An ad account id is digits, optionally prefixed with act_.",
        "conversion_event" => {
            "A conversion event is a Facebook action type: lower-case letters, digits, '_' and '.'."
        }
        _ => "A value in this request is not valid.",
    }
}

/// A value the domain refused outside a form the person can correct: a fixed, safe message.
/// Malformed ids name nothing that exists, so they are 404s.
impl From<DomainError> for AppError {
    fn from(err: DomainError) -> Self {
        let (DomainError::Missing { field } | DomainError::Invalid { field, .. }) = err;
        match field {
            "team id" | "user id" => AppError::NotFound,
            field => AppError::BadRequest(field_message(field)),
        }
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
            AppError::NotFound | AppError::UnknownDeletionCode => StatusCode::NOT_FOUND,
            AppError::BadRequest(_)
            | AppError::SignInFailed(_)
            | AppError::EmailNotVerified
            | AppError::ProviderRefused(_)
            | AppError::ConnectFailed(_)
            | AppError::ConnectCancelled(_)
            | AppError::InvalidProviderToken(_) => StatusCode::BAD_REQUEST,
            AppError::UserNotFound => StatusCode::NOT_FOUND,
            AppError::ApiUnauthorized => StatusCode::UNAUTHORIZED,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::CsrfRejected | AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::IdentityTaken
            | AppError::AccountExists { .. }
            | AppError::Conflict(_)
            | AppError::FormRejected { conflict: true, .. }
            | AppError::ReconnectNeeded => StatusCode::CONFLICT,
            AppError::FormRejected {
                conflict: false, ..
            } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotConfigured(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Facebook(_) => StatusCode::BAD_GATEWAY,
            AppError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            AppError::Upstream(_) => StatusCode::BAD_GATEWAY,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
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
            AppError::FormRejected { page, .. } => {
                tracing::info!(http.status = status.as_u16(), "form rejected");
                return HttpResponse::build(status)
                    .content_type(ContentType::html())
                    .insert_header((header::CACHE_CONTROL, "no-store"))
                    .body(page.clone());
            }
            AppError::Upstream(cause)
            | AppError::Facebook(cause)
            | AppError::Unavailable(cause)
            | AppError::Unexpected(cause) => {
                tracing::error!(error.cause = %format!("{cause:#}"), http.status = status.as_u16(), "request failed");
            }
            other => tracing::info!(
                error.kind = other.title(),
                http.status = status.as_u16(),
                "request refused"
            ),
        }
        let mut response = HttpResponse::build(status);
        match self {
            AppError::DataUnavailable {
                retry_after: Some(secs),
                ..
            }
            | AppError::RateLimited { retry_after: secs } => {
                response.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
            AppError::ApiUnauthorized => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"adboard\""));
            }
            _ => {}
        }
        response
            .content_type(ContentType::plaintext())
            .body(self.public_message())
    }
}

impl AppError {
    /// The JSON API's machine-readable `error.code` for this error (documented in the OpenAPI
    /// document; the same answer for every path).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound | AppError::UnknownDeletionCode => "not_found",
            AppError::UserNotFound => "user_not_found",
            AppError::InvalidProviderToken(_) => "invalid_token",
            AppError::EmailNotVerified => "email_not_verified",
            AppError::ApiUnauthorized => "unauthorized",
            AppError::CsrfRejected => "csrf_rejected",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::IdentityTaken => "identity_taken",
            AppError::AccountExists { .. } => "account_exists",
            AppError::Conflict(_) => "conflict",
            AppError::Forbidden(_) => "forbidden",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::NotConfigured(_) => "not_configured",
            AppError::Upstream(_) | AppError::Facebook(_) => "upstream_unavailable",
            AppError::Unavailable(_) => "unavailable",
            AppError::Unexpected(_) => "internal",
            _ => "bad_request",
        }
    }

    /// What the person is told: the Display text, except for 5xx other than `Upstream`.
    pub fn public_message(&self) -> String {
        let own_text = matches!(
            self,
            AppError::Upstream(_)
                | AppError::Facebook(_)
                | AppError::NotConfigured(_)
                | AppError::Unavailable(_)
                | AppError::DataUnavailable { .. }
        );
        if self.status_code().is_server_error() && !own_text {
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
