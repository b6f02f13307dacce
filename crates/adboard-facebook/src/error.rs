//! The client's one error type, Facebook's error envelope, and what each error code means.

use std::time::Duration;

use serde_json::Value;

/// Facebook's `{"error": {...}}` envelope, read tolerantly: every field but the HTTP status may
/// be missing or oddly typed. Its `message` is Facebook's text and is never shown to end users.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacebookError {
    pub http_status: u16,
    pub code: Option<i64>,
    pub subcode: Option<i64>,
    pub message: String,
    pub error_type: Option<String>,
    pub is_transient: Option<bool>,
    pub user_title: Option<String>,
    pub fbtrace_id: Option<String>,
}

/// What an error means for the caller, independent of Facebook's numeric codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 190/463 and other expiry.
    TokenExpired,
    /// 190 (any other subcode), 102.
    TokenInvalid,
    /// 10, 200–299, "(#100) Missing permissions".
    PermissionDenied,
    /// 100/33, 803: no such object (or not visible to this token).
    NotFound,
    /// 4, 17, 32, 613, 800xx and the insights throttles.
    RateLimited,
    /// "Please reduce the amount of data", report too large, request timed out (1504018).
    TooMuchData,
    /// 3018: the range starts more than 37 months back.
    RangeTooOld,
    /// 2, `is_transient`, unknown error 1, HTTP 5xx: try again shortly.
    Transient,
    /// Anything else (invalid parameter and the like).
    Other,
}

impl FacebookError {
    /// Parses an error body; a body that is not an envelope still yields an error with the status.
    pub fn from_body(http_status: u16, body: &[u8]) -> Self {
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        let Some(err) = parsed
            .as_ref()
            .and_then(|v| v.get("error"))
            .filter(|e| e.is_object())
        else {
            return Self {
                http_status,
                message: format!("HTTP {http_status} without an error envelope"),
                ..Self::default()
            };
        };
        Self::from_object(http_status, err)
    }

    /// Reads the fields of an `error` object (also used for `debug_token`'s nested error).
    pub fn from_object(http_status: u16, err: &Value) -> Self {
        let text = |key: &str| err.get(key).and_then(Value::as_str).map(str::to_owned);
        let int = |key: &str| match err.get(key) {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        Self {
            http_status,
            code: int("code"),
            subcode: int("error_subcode").or_else(|| int("subcode")),
            message: text("message").unwrap_or_default(),
            error_type: text("type"),
            is_transient: err.get("is_transient").and_then(Value::as_bool),
            user_title: text("error_user_title"),
            fbtrace_id: text("fbtrace_id"),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        let msg = self.message.to_ascii_lowercase();
        match (self.code, self.subcode) {
            (Some(190), Some(463)) => ErrorKind::TokenExpired,
            (Some(190), _) if msg.contains("expired") => ErrorKind::TokenExpired,
            (Some(190 | 102), _) => ErrorKind::TokenInvalid,
            (_, Some(1504022 | 1504039 | 2446079 | 1487742)) => ErrorKind::RateLimited,
            (Some(4 | 17 | 32 | 613 | 80000..=80014), _) => ErrorKind::RateLimited,
            (Some(100), _) if msg.contains("rate limit") => ErrorKind::RateLimited,
            (Some(10 | 200..=299), _) => ErrorKind::PermissionDenied,
            (Some(100), Some(33)) | (Some(803), _) => ErrorKind::NotFound,
            (Some(100), _) if msg.starts_with("(#100) missing permission") => {
                ErrorKind::PermissionDenied
            }
            (_, Some(1487534 | 1504018 | 1504045)) => ErrorKind::TooMuchData,
            (Some(1), _) if msg.contains("reduce the amount of data") => ErrorKind::TooMuchData,
            (Some(3018), _) => ErrorKind::RangeTooOld,
            (Some(1 | 2 | 2601), _) => ErrorKind::Transient,
            _ if self.is_transient == Some(true) || self.http_status >= 500 => ErrorKind::Transient,
            _ => ErrorKind::Other,
        }
    }
}

impl std::fmt::Display for FacebookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.http_status)?;
        if let Some(code) = self.code {
            write!(f, ", code {code}")?;
        }
        if let Some(subcode) = self.subcode {
            write!(f, "/{subcode}")?;
        }
        if let Some(trace) = &self.fbtrace_id {
            write!(f, ", fbtrace_id {trace}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a Graph call failed. Display texts never contain tokens, secrets or URLs with queries.
#[derive(Debug, Clone, thiserror::Error)]
pub enum GraphError {
    /// Facebook answered with an error envelope (not retried, or retries exhausted).
    #[error("Facebook error: {0}")]
    Api(Box<FacebookError>),
    /// Still rate limited when the retry budget ran out; try again after `retry_after`.
    #[error("rate limited by Facebook; retry after {}s", retry_after.as_secs())]
    RateLimited {
        retry_after: Duration,
        last: Option<Box<FacebookError>>,
    },
    /// No answer within the request timeout (after retries).
    #[error("Facebook did not answer in time")]
    Timeout,
    /// Facebook could not be reached (connection refused, reset, TLS).
    #[error("could not reach Facebook: {0}")]
    Transport(String),
    /// Facebook answered something we cannot read (not JSON, a non-number where a number belongs).
    #[error("unexpected response from Facebook: {0}")]
    Decode(String),
    /// An async report run ended in `Job Failed` / `Job Skipped`.
    #[error("async report run ended with status {status:?}")]
    ReportFailed {
        status: String,
        error: Option<Box<FacebookError>>,
    },
    /// An async report run did not complete within the report timeout.
    #[error("async report run did not complete in time")]
    ReportTimeout,
    /// The client is misconfigured (e.g. `debug_token` without app credentials).
    #[error("invalid Graph client configuration: {0}")]
    Config(String),
}

impl GraphError {
    /// What the error means, for mapping to a status code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            GraphError::Api(e) => e.kind(),
            GraphError::RateLimited { .. } => ErrorKind::RateLimited,
            GraphError::ReportFailed { error: Some(e), .. } if e.kind() != ErrorKind::Other => {
                e.kind()
            }
            GraphError::ReportFailed { .. } => ErrorKind::TooMuchData,
            GraphError::Timeout | GraphError::ReportTimeout => ErrorKind::Transient,
            GraphError::Transport(_) => ErrorKind::Transient,
            GraphError::Decode(_) | GraphError::Config(_) => ErrorKind::Other,
        }
    }

    /// The Facebook error behind this one, if any (for `fbtrace_id`).
    pub fn facebook(&self) -> Option<&FacebookError> {
        match self {
            GraphError::Api(e) => Some(e),
            GraphError::RateLimited { last, .. } => last.as_deref(),
            GraphError::ReportFailed { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    /// Facebook's trace id for support requests, when it sent one.
    pub fn fbtrace_id(&self) -> Option<&str> {
        self.facebook().and_then(|e| e.fbtrace_id.as_deref())
    }

    pub(crate) fn from_reqwest(err: reqwest::Error) -> Self {
        // `without_url` drops the URL: its query may carry a token or appsecret_proof.
        let err = err.without_url();
        if err.is_timeout() {
            GraphError::Timeout
        } else {
            GraphError::Transport(err.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(status: u16, body: &str) -> FacebookError {
        FacebookError::from_body(status, body.as_bytes())
    }

    #[test]
    fn full_envelope_is_read_field_by_field() {
        let e = parse(
            400,
            r#"{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"A1b2"}}"#,
        );
        assert_eq!(
            (e.code, e.subcode, e.fbtrace_id.as_deref()),
            (Some(190), Some(463), Some("A1b2"))
        );
        assert_eq!(e.kind(), ErrorKind::TokenExpired);
    }

    #[test]
    fn envelope_with_only_code_and_message_is_accepted() {
        let e = parse(
            403,
            r#"{"error":{"code":200,"message":"(#200) Requires business_management permission"}}"#,
        );
        assert_eq!(e.kind(), ErrorKind::PermissionDenied);
        assert!(e.fbtrace_id.is_none());
    }

    #[test]
    fn body_that_is_not_an_envelope_keeps_the_status() {
        let e = parse(502, "<html>Bad gateway</html>");
        assert_eq!((e.http_status, e.code), (502, None));
        assert_eq!(e.kind(), ErrorKind::Transient);
        assert_eq!(parse(400, r#"{"error":"nope"}"#).kind(), ErrorKind::Other);
    }

    #[test]
    fn codes_map_to_kinds() {
        let cases = [
            (
                r#"{"error":{"code":190,"message":"Invalid OAuth access token - Cannot parse access token"}}"#,
                ErrorKind::TokenInvalid,
            ),
            (
                r#"{"error":{"code":100,"error_subcode":33,"message":"Unsupported get request."}}"#,
                ErrorKind::NotFound,
            ),
            (
                r#"{"error":{"code":17,"message":"(#17) User request limit reached","is_transient":true}}"#,
                ErrorKind::RateLimited,
            ),
            (
                r#"{"error":{"code":4,"message":"(#4) Application request limit reached"}}"#,
                ErrorKind::RateLimited,
            ),
            (
                r#"{"error":{"code":80004,"error_subcode":2446079,"message":"too many calls"}}"#,
                ErrorKind::RateLimited,
            ),
            (
                r#"{"error":{"code":1,"message":"Please reduce the amount of data you're asking for, then retry your request"}}"#,
                ErrorKind::TooMuchData,
            ),
            (
                r#"{"error":{"code":1,"message":"An unknown error occurred","error_subcode":99}}"#,
                ErrorKind::Transient,
            ),
            (
                r#"{"error":{"code":2,"message":"(#2) Service temporarily unavailable","is_transient":true}}"#,
                ErrorKind::Transient,
            ),
            (
                r#"{"error":{"code":10,"message":"(#10) Application does not have permission for this action"}}"#,
                ErrorKind::PermissionDenied,
            ),
            (
                r#"{"error":{"code":100,"message":"(#100) Missing permissions"}}"#,
                ErrorKind::PermissionDenied,
            ),
            (
                r#"{"error":{"code":3018,"message":"(#3018) The start date of the time range cannot be beyond 37 months"}}"#,
                ErrorKind::RangeTooOld,
            ),
            (
                r#"{"error":{"code":100,"message":"(#100) Tried accessing nonexisting field (foo)"}}"#,
                ErrorKind::Other,
            ),
        ];
        for (body, kind) in cases {
            assert_eq!(parse(400, body).kind(), kind, "{body}");
        }
    }

    #[test]
    fn codes_given_as_strings_are_still_read() {
        let e = parse(400, r#"{"error":{"code":"190","error_subcode":"463"}}"#);
        assert_eq!(e.kind(), ErrorKind::TokenExpired);
        assert_eq!(e.message, "");
    }
}
