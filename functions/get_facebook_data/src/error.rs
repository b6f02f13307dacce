//! The function's one error type and its mapping to HTTP status, error code and safe message.

use adboard_domain::DomainError;
use adboard_facebook::{ErrorKind, GraphError};

use crate::output::{ErrorBody, ErrorEnvelope};

/// Why a request produced no series. Every variant is an expected failure with a status.
#[derive(Debug, thiserror::Error)]
pub enum FnError {
    /// The request itself is malformed (bad field, bad date, unknown field, body too large…).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// No access token was given, or it cannot possibly be one.
    #[error("no usable access token: {0}")]
    TokenMissing(&'static str),
    /// Facebook (or the way to it) failed.
    #[error(transparent)]
    Graph(#[from] GraphError),
}

impl From<DomainError> for FnError {
    fn from(e: DomainError) -> Self {
        FnError::InvalidRequest(e.to_string())
    }
}

/// Seconds suggested when Facebook rate-limits without saying how long.
const DEFAULT_RETRY_AFTER_SECS: u64 = 60;

impl FnError {
    /// HTTP status, error code and a message safe to show anyone.
    pub fn describe(&self) -> (u16, &'static str, String) {
        let graph = match self {
            FnError::InvalidRequest(msg) => return (400, "invalid_request", msg.clone()),
            FnError::TokenMissing(why) => return (401, "token_invalid", (*why).to_owned()),
            FnError::Graph(g) => g,
        };
        let (status, code, message) = match graph.kind() {
            ErrorKind::TokenExpired => (
                401,
                "token_expired",
                "The Facebook access token has expired; connect Facebook again.",
            ),
            ErrorKind::TokenInvalid => {
                (401, "token_invalid", "Facebook rejected the access token.")
            }
            ErrorKind::PermissionDenied => (
                403,
                "permission_denied",
                "The token lacks the permission to read this ad account's insights (ads_read).",
            ),
            ErrorKind::NotFound => (
                404,
                "account_not_found",
                "No such ad account, or this token cannot see it.",
            ),
            ErrorKind::RateLimited => (
                429,
                "rate_limited",
                "Facebook is rate limiting this app or ad account; retry later.",
            ),
            ErrorKind::TooMuchData => (
                502,
                "too_much_data",
                "Facebook could not produce a report this large; choose a shorter range.",
            ),
            ErrorKind::RangeTooOld => {
                (400, "invalid_request", "since is more than 37 months back.")
            }
            ErrorKind::Transient => match graph {
                GraphError::Timeout | GraphError::ReportTimeout => {
                    (504, "upstream_timeout", "Facebook did not answer in time.")
                }
                _ => (
                    503,
                    "upstream_unavailable",
                    "Facebook is temporarily unavailable; retry shortly.",
                ),
            },
            ErrorKind::Other => (
                502,
                "upstream_unavailable",
                "Facebook returned an unexpected answer.",
            ),
        };
        (status, code, message.to_owned())
    }

    /// Seconds to wait before retrying, for `rate_limited` answers.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            FnError::Graph(GraphError::RateLimited { retry_after, .. }) => {
                Some(retry_after.as_secs().max(1))
            }
            FnError::Graph(g) if g.kind() == ErrorKind::RateLimited => {
                Some(DEFAULT_RETRY_AFTER_SECS)
            }
            _ => None,
        }
    }

    /// The JSON error envelope and status for this error.
    pub fn to_envelope(&self) -> (u16, ErrorEnvelope) {
        let (status, code, message) = self.describe();
        let fbtrace_id = match self {
            FnError::Graph(g) => g.fbtrace_id().map(str::to_owned),
            _ => None,
        };
        (
            status,
            ErrorEnvelope {
                error: ErrorBody {
                    code,
                    message,
                    retry_after: self.retry_after_secs(),
                    fbtrace_id,
                },
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use adboard_facebook::FacebookError;

    use super::*;

    fn api(status: u16, body: &str) -> FnError {
        FnError::Graph(GraphError::Api(Box::new(FacebookError::from_body(
            status,
            body.as_bytes(),
        ))))
    }

    #[test]
    fn facebook_errors_map_to_the_contract_codes() {
        let cases = [
            (
                api(
                    400,
                    r#"{"error":{"code":190,"error_subcode":463,"message":"expired"}}"#,
                ),
                401,
                "token_expired",
            ),
            (
                api(
                    400,
                    r#"{"error":{"code":190,"message":"Invalid OAuth access token"}}"#,
                ),
                401,
                "token_invalid",
            ),
            (
                api(
                    403,
                    r#"{"error":{"code":200,"message":"(#200) Requires permission"}}"#,
                ),
                403,
                "permission_denied",
            ),
            (
                api(
                    400,
                    r#"{"error":{"code":100,"error_subcode":33,"message":"x"}}"#,
                ),
                404,
                "account_not_found",
            ),
            (
                api(
                    500,
                    r#"{"error":{"code":1,"message":"Please reduce the amount of data you're asking for"}}"#,
                ),
                502,
                "too_much_data",
            ),
            (
                api(
                    503,
                    r#"{"error":{"code":2,"message":"(#2) Service temporarily unavailable"}}"#,
                ),
                503,
                "upstream_unavailable",
            ),
            (
                api(
                    400,
                    r#"{"error":{"code":3018,"message":"(#3018) beyond 37 months"}}"#,
                ),
                400,
                "invalid_request",
            ),
            (FnError::Graph(GraphError::Timeout), 504, "upstream_timeout"),
            (
                FnError::Graph(GraphError::Decode("spend is not a number".into())),
                502,
                "upstream_unavailable",
            ),
        ];
        for (err, status, code) in cases {
            let (s, c, _) = err.describe();
            assert_eq!((s, c), (status, code), "{err:?}");
        }
    }

    #[test]
    fn rate_limited_carries_retry_after_and_fbtrace_id() {
        let err = FnError::Graph(GraphError::RateLimited {
            retry_after: Duration::from_secs(120),
            last: Some(Box::new(FacebookError::from_body(
                400,
                br#"{"error":{"code":17,"message":"limit","fbtrace_id":"HsDs"}}"#,
            ))),
        });
        let (status, envelope) = err.to_envelope();
        assert_eq!(status, 429);
        assert_eq!(envelope.error.retry_after, Some(120));
        assert_eq!(envelope.error.fbtrace_id.as_deref(), Some("HsDs"));
        assert_eq!(envelope.error.code, "rate_limited");
    }

    #[test]
    fn facebook_text_is_never_copied_into_the_message() {
        let err = api(
            400,
            r#"{"error":{"code":190,"message":"token EAABsecret is bad"}}"#,
        );
        assert!(!err.to_envelope().1.error.message.contains("EAAB"));
    }
}
