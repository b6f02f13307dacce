//! The HTTP handler, free of any framework: `HttpInput` in, `HttpOutput` out; and [`answer`], the
//! same exchange with typed values for a caller in the same process. Every expected failure becomes
//! an error envelope with its status; nothing here can produce a bare 500.

use adboard_domain::ads::{AdAccountId, ConversionEvent, DateRange};
use secrecy::SecretString;
use serde::Serialize;
use tracing::instrument;

use crate::output::{ErrorEnvelope, SeriesResponse};
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

/// What [`handle`] answers, for a caller in the same process that already holds the request as
/// domain types (the web app): the series, or the status and error envelope `handle` would send
/// (logged the same way). The contract's own types, without writing JSON and reading it back.
#[instrument(skip_all, fields(http.method = "in-process"))]
pub async fn answer(
    deps: &Deps,
    token: &SecretString,
    account: &AdAccountId,
    range: DateRange,
    event: &ConversionEvent,
) -> Result<SeriesResponse, (u16, ErrorEnvelope)> {
    let result = match FetchRequest::for_range(token, account.clone(), range, event.clone()) {
        Ok(req) => get_series(deps, &req).await,
        Err(e) => Err(e),
    };
    result.map_err(|err| failure(&err))
}

/// The error envelope for `err`, logged once here (the cause's Display never holds a token).
pub fn error_output(err: &FnError) -> HttpOutput {
    let (status, envelope) = failure(err);
    let extra = envelope
        .error
        .retry_after
        .map(|s| ("retry-after", s.to_string()))
        .into_iter()
        .collect();
    json(status, &envelope, extra)
}

/// `err`'s status and envelope, logged.
fn failure(err: &FnError) -> (u16, ErrorEnvelope) {
    let (status, envelope) = err.to_envelope();
    if status >= 500 {
        tracing::error!(error.code = envelope.error.code, error = %err, "request failed upstream");
    } else {
        tracing::info!(error.code = envelope.error.code, error = %err, "request rejected");
    }
    (status, envelope)
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
