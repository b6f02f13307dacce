//! The HTTP handler, free of any framework: `HttpInput` in, `HttpOutput` out. Every expected
//! failure becomes a JSON error envelope with its status; nothing here can produce a bare 500.

use serde::Serialize;
use tracing::instrument;

use crate::service::{Deps, get_series};
use crate::{FetchRequest, FnError, HttpInput};

/// A response ready to hand to any HTTP layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOutput {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

/// Parses the request, fetches and normalises the series, answers JSON.
#[instrument(skip_all, fields(http.method = %input.method))]
pub async fn handle(deps: &Deps, input: HttpInput<'_>) -> HttpOutput {
    let result = match FetchRequest::parse(&input) {
        Ok(req) => get_series(deps, &req).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(series) => json(200, &series, Vec::new()),
        Err(err) => error_output(&err),
    }
}

/// The error envelope for `err`, logged once here (the cause's Display never holds a token).
pub fn error_output(err: &FnError) -> HttpOutput {
    let (status, envelope) = err.to_envelope();
    if status >= 500 {
        tracing::error!(error.code = envelope.error.code, error = %err, "request failed upstream");
    } else {
        tracing::info!(error.code = envelope.error.code, error = %err, "request rejected");
    }
    let extra = envelope
        .error
        .retry_after
        .map(|s| ("retry-after", s.to_string()))
        .into_iter()
        .collect();
    json(status, &envelope, extra)
}

fn json<T: Serialize>(
    status: u16,
    value: &T,
    mut headers: Vec<(&'static str, String)>,
) -> HttpOutput {
    headers.push(("content-type", "application/json".to_owned()));
    headers.push(("cache-control", "no-store".to_owned()));
    match serde_json::to_string(value) {
        Ok(body) => HttpOutput { status, headers, body },
        Err(_) => HttpOutput {
            status: 502,
            headers,
            body: r#"{"error":{"code":"upstream_unavailable","message":"Facebook returned an unexpected answer."}}"#.to_owned(),
        },
    }
}
