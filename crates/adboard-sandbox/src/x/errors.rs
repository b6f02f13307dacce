//! X API errors in X's shape: `{"errors":[{"code":32,"message":"Could not authenticate you."}]}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

/// One failure of an X endpoint, answered with X's status, code and message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum XError {
    /// 400 / 215: no `Authorization: OAuth` header, or one that cannot be read.
    #[error("bad authentication data")]
    BadAuthenticationData,
    /// 401 / 32: unknown consumer, bad signature, unsupported method or version, reused nonce.
    #[error("could not authenticate")]
    CouldNotAuthenticate,
    /// 401 / 89: unknown, used or revoked token.
    #[error("invalid or expired token")]
    InvalidToken,
    /// 401 / 135: `oauth_timestamp` more than 5 minutes from the server's clock.
    #[error("timestamp out of bounds")]
    TimestampOutOfBounds,
    /// 403 / 415: `oauth_callback` is not registered for the consumer.
    #[error("callback not approved")]
    CallbackNotApproved,
    /// 401, plain text: `oauth_verifier` does not match the authorised request token.
    #[error("invalid oauth_verifier")]
    InvalidVerifier,
    /// 429 / 88: the nonce memory is full (bounded); try again later.
    #[error("rate limit exceeded")]
    RateLimitExceeded,
    /// 404 / 34: no such X path.
    #[error("no such page")]
    NoSuchPage,
}

impl XError {
    fn parts(self) -> (u16, i64, &'static str) {
        match self {
            Self::BadAuthenticationData => (400, 215, "Bad Authentication data."),
            Self::CouldNotAuthenticate => (401, 32, "Could not authenticate you."),
            Self::InvalidToken => (401, 89, "Invalid or expired token."),
            Self::TimestampOutOfBounds => (401, 135, "Timestamp out of bounds."),
            Self::CallbackNotApproved => (
                403,
                415,
                "Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings",
            ),
            Self::InvalidVerifier => (
                401,
                0,
                "Error processing your OAuth request: Invalid oauth_verifier parameter",
            ),
            Self::RateLimitExceeded => (429, 88, "Rate limit exceeded"),
            Self::NoSuchPage => (404, 34, "Sorry, that page does not exist"),
        }
    }
}

impl ResponseError for XError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.parts().0).unwrap_or(StatusCode::BAD_REQUEST)
    }

    fn error_response(&self) -> HttpResponse {
        let (_, code, message) = self.parts();
        let mut resp = HttpResponse::build(self.status_code());
        resp.insert_header(("Cache-Control", "no-store"));
        if *self == Self::InvalidVerifier {
            return resp.content_type("text/plain; charset=utf-8").body(message);
        }
        resp.json(json!({"errors": [{"code": code, "message": message}]}))
    }
}
