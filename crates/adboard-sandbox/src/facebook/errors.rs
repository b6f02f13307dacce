//! Graph API error envelopes (`{"error": {...}}`) with the HTTP statuses and headers Facebook uses.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::{Map, Value, json};

/// One Graph error response, rendered exactly as Facebook's envelope (boxed: errors stay small).
#[derive(Debug, Clone)]
pub struct GraphError {
    inner: Box<Inner>,
}

#[derive(Debug, Clone)]
struct Inner {
    status: StatusCode,
    code: i64,
    subcode: Option<i64>,
    kind: Option<&'static str>,
    message: String,
    is_transient: Option<bool>,
    user_title: Option<&'static str>,
    user_msg: Option<&'static str>,
    www_authenticate: Option<String>,
    headers: Vec<(String, String)>,
    trace: bool,
}

impl std::fmt::Display for GraphError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "graph error {} ({:?})",
            self.inner.code, self.inner.subcode
        )
    }
}

impl GraphError {
    fn new(status: u16, code: i64, message: impl Into<String>) -> Self {
        let inner = Inner {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            code,
            subcode: None,
            kind: Some("OAuthException"),
            message: message.into(),
            is_transient: None,
            user_title: None,
            user_msg: None,
            www_authenticate: None,
            headers: Vec::new(),
            trace: true,
        };
        Self {
            inner: Box::new(inner),
        }
    }
    fn subcode(mut self, subcode: i64) -> Self {
        self.inner.subcode = Some(subcode);
        self
    }
    fn kind(mut self, kind: Option<&'static str>) -> Self {
        self.inner.kind = kind;
        self
    }
    fn with_transient(mut self, transient: bool) -> Self {
        self.inner.is_transient = Some(transient);
        self
    }
    fn user(mut self, title: &'static str, msg: Option<&'static str>) -> Self {
        self.inner.user_title = Some(title);
        self.inner.user_msg = msg;
        self
    }
    fn no_trace(mut self) -> Self {
        self.inner.trace = false;
        self
    }
    fn www(mut self, kind: &str) -> Self {
        self.inner.www_authenticate = Some(format!(
            "OAuth \"Facebook Platform\" \"{kind}\" \"{}\"",
            self.inner.message
        ));
        self
    }
    /// Adds response headers (rate-limit usage on insights errors); existing names are kept.
    pub fn with_headers(mut self, headers: Vec<(String, String)>) -> Self {
        for (k, v) in headers {
            if !self
                .inner
                .headers
                .iter()
                .any(|(have, _)| have.eq_ignore_ascii_case(&k))
            {
                self.inner.headers.push((k, v));
            }
        }
        self
    }
    /// The Graph error code (for tests and logs).
    pub fn code(&self) -> i64 {
        self.inner.code
    }

    /// E10: unparsable token.
    pub fn invalid_token() -> Self {
        Self::new(
            400,
            190,
            "Invalid OAuth access token - Cannot parse access token",
        )
        .www("invalid_token")
    }
    /// E8: expired token; `expired`/`now` are pre-formatted Facebook-style timestamps.
    pub fn expired_token(expired_at: i64, now: i64) -> Self {
        Self::new(
            400,
            190,
            format!(
                "Error validating access token: Session has expired on {}. The current time is {}.",
                fb_time(expired_at),
                fb_time(now)
            ),
        )
        .subcode(463)
        .www("invalid_token")
    }
    /// E9 (458): the user removed the app (after `DELETE /me/permissions`).
    pub fn app_not_authorized(app_id: &str) -> Self {
        Self::new(
            400,
            190,
            format!(
                "Error validating access token: The user has not authorized application {app_id}."
            ),
        )
        .subcode(458)
        .www("invalid_token")
    }
    /// E9 (460): session invalidated.
    pub fn session_invalidated() -> Self {
        Self::new(400, 190, "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.")
            .subcode(460)
            .www("invalid_token")
    }
    /// No token at all (code 104).
    pub fn missing_token() -> Self {
        Self::new(
            400,
            104,
            "An access token is required to request this resource.",
        )
        .www("invalid_request")
    }
    /// E11: unknown or inaccessible object.
    pub fn unknown_object(id: &str) -> Self {
        Self::new(400, 100, format!("Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api"))
            .subcode(33)
            .kind(Some("GraphMethodException"))
    }
    /// Unknown path (Graph answers 400 code 2500).
    pub fn unknown_path(path: &str) -> Self {
        Self::new(400, 2500, format!("Unknown path components: {path}"))
    }
    /// E14: a user permission is missing (HTTP 403).
    pub fn missing_user_permission() -> Self {
        Self::new(
            403,
            200,
            "(#200) Ad account owner has NOT grant ads_management or ads_read permission",
        )
        .kind(None)
        .no_trace()
    }
    /// E15: the app lacks a permission.
    pub fn app_permission() -> Self {
        Self::new(
            400,
            10,
            "(#10) Application does not have permission for this action",
        )
    }
    /// E7: insights throttle of the app (code 4, subcode 1504039).
    pub fn insights_throttle() -> Self {
        Self::new(
            400,
            4,
            "There have been too many calls from this app. Wait a bit and try again.",
        )
        .subcode(1504039)
        .user("Too Many API Requests", None)
    }
    /// E6: calls to this API have exceeded the rate limit (613).
    pub fn api_rate_limit() -> Self {
        Self::new(
            400,
            613,
            "(#613) Calls to this api have exceeded the rate limit.",
        )
    }
    /// E23: the request timed out (100/1504018).
    pub fn request_timed_out() -> Self {
        Self::new(400, 100, "Your request timed out")
            .subcode(1504018)
            .user("Request Timed Out", Some("Your request timed out. Try a smaller date range, fetch less data, or use async jobs."))
    }
    /// E1: application request limit.
    pub fn app_rate_limit() -> Self {
        Self::new(400, 4, "(#4) Application request limit reached")
    }
    /// E2: user request limit.
    pub fn user_rate_limit() -> Self {
        Self::new(400, 17, "(#17) User request limit reached").with_transient(true)
    }
    /// Code 32: page request limit.
    pub fn page_rate_limit() -> Self {
        Self::new(400, 32, "(#32) Page request limit reached")
    }
    /// E5: too many calls to the ad account.
    pub fn account_rate_limit() -> Self {
        Self::new(400, 80004, "(#80004) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.")
            .subcode(2446079)
    }
    /// E18: transient service error (HTTP 503).
    pub fn transient() -> Self {
        Self::new(503, 2, "(#2) Service temporarily unavailable").with_transient(true)
    }
    /// E16: reduce the amount of data (HTTP 500).
    pub fn reduce_data() -> Self {
        Self::new(
            500,
            1,
            "Please reduce the amount of data you're asking for, then retry your request",
        )
        .kind(None)
        .no_trace()
    }
    /// E17: unknown error (HTTP 500).
    pub fn unknown_error() -> Self {
        Self::new(500, 1, "An unknown error occurred")
            .subcode(99)
            .kind(None)
            .no_trace()
    }
    /// E19: proof required but missing.
    pub fn proof_missing() -> Self {
        Self::new(
            400,
            100,
            "API calls from the server require an appsecret_proof argument",
        )
        .kind(Some("GraphMethodException"))
    }
    /// E20: proof wrong.
    pub fn proof_invalid() -> Self {
        Self::new(
            400,
            100,
            "Invalid appsecret_proof provided in the API argument",
        )
        .kind(Some("GraphMethodException"))
    }
    /// E21: start date beyond 37 months.
    pub fn too_old() -> Self {
        Self::new(
            400,
            3018,
            "(#3018) The start date of the time range cannot be beyond 37 months from the current date",
        )
    }
    /// E24: unknown field.
    pub fn unknown_field(field: &str, node: &str) -> Self {
        Self::new(
            400,
            100,
            format!("(#100) Tried accessing nonexisting field ({field}) on node type ({node})"),
        )
    }
    /// E25: garbled cursor.
    pub fn invalid_cursor() -> Self {
        Self::new(400, 2642, "(#2642) Invalid cursors values")
    }
    /// E12: async results read before the job completed.
    pub fn report_not_ready() -> Self {
        Self::new(400, 2601, "Error accessing adreport job.")
            .subcode(1815107)
            .with_transient(true)
            .user("Loading Async Ads Report Failed", Some("Sorry, the report cannot be loaded successfully. Please check if your job status is completed instead of failed or running before fetching the data."))
    }
    /// A generic invalid parameter (code 100) with Facebook's `(#100)` prefix.
    pub fn invalid_param(message: &str) -> Self {
        Self::new(400, 100, format!("(#100) {message}"))
    }
    /// E26: the code was already used.
    pub fn code_used() -> Self {
        Self::new(400, 100, "This authorization code has been used.")
            .subcode(36009)
            .www("invalid_code")
    }
    /// E27: the code expired.
    pub fn code_expired() -> Self {
        Self::new(400, 100, "This authorization code has expired.").subcode(36007)
    }
    /// Code unknown or issued to another client / redirect_uri (36008).
    pub fn code_mismatch() -> Self {
        Self::new(400, 100, "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request")
            .subcode(36008)
    }
    /// Unparsable code.
    pub fn code_invalid() -> Self {
        Self::new(400, 100, "Invalid verification code format.")
    }
    /// E28: wrong client secret.
    pub fn bad_client_secret() -> Self {
        Self::new(400, 1, "Error validating client secret.")
    }
    /// Unknown client id (code 101).
    pub fn bad_client_id() -> Self {
        Self::new(
            400,
            101,
            "Error validating application. Invalid application ID.",
        )
    }

    /// The `error` object (also used inside `debug_token`'s data).
    pub fn body(&self) -> Value {
        let mut e = Map::new();
        e.insert("message".into(), json!(self.inner.message));
        if let Some(kind) = self.inner.kind {
            e.insert("type".into(), json!(kind));
        }
        if let Some(t) = self.inner.is_transient {
            e.insert("is_transient".into(), json!(t));
        }
        e.insert("code".into(), json!(self.inner.code));
        if let Some(sub) = self.inner.subcode {
            e.insert("error_subcode".into(), json!(sub));
        }
        if let Some(t) = self.inner.user_title {
            e.insert("error_user_title".into(), json!(t));
        }
        if let Some(m) = self.inner.user_msg {
            e.insert("error_user_msg".into(), json!(m));
        }
        if self.inner.trace {
            e.insert("fbtrace_id".into(), json!(super::trace_id()));
        }
        json!({ "error": e })
    }
}

/// Facebook-style timestamp for expiry messages, e.g. `Friday, 18-Aug-26 10:00:00 UTC`.
fn fb_time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .format("%A, %d-%b-%y %H:%M:%S UTC")
        .to_string()
}

impl ResponseError for GraphError {
    fn status_code(&self) -> StatusCode {
        self.inner.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut resp = HttpResponse::build(self.inner.status);
        resp.content_type("application/json; charset=UTF-8");
        if let Some(www) = &self.inner.www_authenticate {
            resp.insert_header(("WWW-Authenticate", www.as_str()));
        }
        for (k, v) in &self.inner.headers {
            resp.insert_header((k.as_str(), v.as_str()));
        }
        resp.body(self.body().to_string())
    }
}
