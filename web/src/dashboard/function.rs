//! The call to get_facebook_data: in-process by default (its core through `answer`: same code, no
//! network, the contract's types handed over as values, not written as JSON and read back), or over
//! HTTP(S) to `FUNCTION_URL` (POST JSON), SigV4-signed with `FUNCTION_AUTH=iam`, whose answer is
//! read with the same types ([`super::series`]). Error codes are read once, here, either way.

use std::time::Duration;

use adboard_domain::ads::{AdAccountId, ConversionEvent, DateRange};
use get_facebook_data::Deps;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use super::series::{ErrorEnvelope, Series};
use super::sigv4::Signer;

/// How the web app reaches the function.
#[derive(Debug)]
pub enum FunctionClient {
    /// The function's handler in this process, with its own warm account cache.
    InProcess { deps: Box<Deps>, timeout: Duration },
    /// A deployed function URL.
    Http(HttpFunction),
}

/// A function URL, optionally IAM-protected.
#[derive(Debug)]
pub struct HttpFunction {
    pub client: reqwest::Client,
    pub url: url::Url,
    /// `Some` with `FUNCTION_AUTH=iam`.
    pub signer: Option<Signer>,
}

/// What one series is asked for.
#[derive(Debug, Clone, Copy)]
pub struct SeriesRequest<'a> {
    pub account: &'a AdAccountId,
    pub range: DateRange,
    pub event: &'a ConversionEvent,
}

/// The function's error codes (its `output.rs`), plus the web's own view of the call failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FnCode {
    InvalidRequest,
    TokenInvalid,
    TokenExpired,
    PermissionDenied,
    AccountNotFound,
    RateLimited,
    TooMuchData,
    UpstreamUnavailable,
    UpstreamTimeout,
}

impl FnCode {
    fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "invalid_request" => FnCode::InvalidRequest,
            "token_invalid" => FnCode::TokenInvalid,
            "token_expired" => FnCode::TokenExpired,
            "permission_denied" => FnCode::PermissionDenied,
            "account_not_found" => FnCode::AccountNotFound,
            "rate_limited" => FnCode::RateLimited,
            "too_much_data" => FnCode::TooMuchData,
            "upstream_unavailable" => FnCode::UpstreamUnavailable,
            "upstream_timeout" => FnCode::UpstreamTimeout,
            _ => return None,
        })
    }
}

/// Why no series came back. Displays never hold a token or the function's raw text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The function answered its error envelope.
    #[error("the function answered {code:?}")]
    Function {
        code: FnCode,
        retry_after: Option<u64>,
    },
    /// No answer within `FUNCTION_TIMEOUT_MS`.
    #[error("the function did not answer in time")]
    Timeout,
    /// The function URL could not be reached (connection refused, DNS, TLS).
    #[error("the function could not be reached: {0}")]
    Unreachable(String),
    /// An answer outside the contract (a gateway's bare 502, a body that is not the JSON).
    #[error("the function's answer could not be read: {0}")]
    BadAnswer(String),
    /// The request could not be signed (no AWS credentials).
    #[error("the call could not be signed: {0}")]
    Signing(String),
}

/// The JSON body sent to the function.
#[derive(Serialize)]
struct Body<'a> {
    account_id: &'a str,
    since: String,
    until: String,
    conversion_event: &'a str,
    /// Only when the `Authorization` header carries a SigV4 signature (`FUNCTION_AUTH=iam`).
    #[serde(skip_serializing_if = "Option::is_none")]
    access_token: Option<&'a str>,
}

impl<'a> Body<'a> {
    fn new(req: SeriesRequest<'a>, access_token: Option<&'a str>) -> Self {
        Self {
            account_id: req.account.as_str(),
            since: req.range.since().to_string(),
            until: req.range.until().to_string(),
            conversion_event: req.event.as_str(),
            access_token,
        }
    }
}

impl FunctionClient {
    /// One series for `req`, read with `token`.
    pub async fn fetch(
        &self,
        token: &SecretString,
        req: SeriesRequest<'_>,
    ) -> Result<Series, FetchError> {
        match self {
            FunctionClient::InProcess { deps, timeout } => {
                let answer =
                    get_facebook_data::answer(deps, token, req.account, req.range, req.event);
                match tokio::time::timeout(*timeout, answer)
                    .await
                    .map_err(|_| FetchError::Timeout)?
                {
                    Ok(series) => Ok(series),
                    Err((status, envelope)) => Err(refusal(
                        status,
                        envelope.error.code,
                        envelope.error.retry_after,
                    )),
                }
            }
            FunctionClient::Http(http) => http.fetch(token, req).await,
        }
    }
}

impl HttpFunction {
    async fn fetch(
        &self,
        token: &SecretString,
        req: SeriesRequest<'_>,
    ) -> Result<Series, FetchError> {
        let mut request = self
            .client
            .post(self.url.clone())
            .header("content-type", "application/json");
        let payload = match &self.signer {
            // IAM auth: `Authorization` carries the signature, so the token travels in the
            // (signed, TLS-protected) body — never in the URL.
            Some(signer) => {
                let payload = serde_json::to_vec(&Body::new(req, Some(token.expose_secret())))
                    .map_err(|e| FetchError::BadAnswer(e.to_string()))?;
                let host = self.url.host_str().unwrap_or_default();
                let headers = signer
                    .sign(
                        "POST",
                        self.url.as_str(),
                        &[("host", host), ("content-type", "application/json")],
                        &payload,
                    )
                    .await
                    .map_err(|e| FetchError::Signing(e.to_string()))?;
                for (name, value) in headers {
                    request = request.header(name, value);
                }
                payload
            }
            None => {
                request = request.bearer_auth(token.expose_secret());
                serde_json::to_vec(&Body::new(req, None))
                    .map_err(|e| FetchError::BadAnswer(e.to_string()))?
            }
        };
        let response = request.body(payload).send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(classify)?;
        read_answer(status, &bytes)
    }
}

/// A reqwest failure, without its URL (which names the function, not a secret, but stays out).
fn classify(err: reqwest::Error) -> FetchError {
    let err = err.without_url();
    if err.is_timeout() {
        FetchError::Timeout
    } else if err.is_connect() || err.is_request() {
        FetchError::Unreachable(err.to_string())
    } else {
        FetchError::BadAnswer(err.to_string())
    }
}

/// The function's answer: a series on 200, its error envelope otherwise.
pub fn read_answer(status: u16, body: &[u8]) -> Result<Series, FetchError> {
    if status == 200 {
        return serde_json::from_slice(body)
            .map_err(|e| FetchError::BadAnswer(format!("HTTP 200: {e}")));
    }
    match serde_json::from_slice::<ErrorEnvelope>(body) {
        Ok(envelope) => Err(refusal(
            status,
            &envelope.error.code,
            envelope.error.retry_after,
        )),
        Err(_) => Err(FetchError::BadAnswer(format!(
            "HTTP {status} without the error envelope"
        ))),
    }
}

/// The function's error envelope (`code`, `retry_after`) as a failure; an unknown code is an
/// answer outside the contract.
fn refusal(status: u16, code: &str, retry_after: Option<u64>) -> FetchError {
    match FnCode::parse(code) {
        Some(code) => FetchError::Function { code, retry_after },
        None => FetchError::BadAnswer(format!("HTTP {status}: unknown error code")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_of_the_contract_is_read() {
        for (raw, code) in [
            ("invalid_request", FnCode::InvalidRequest),
            ("token_invalid", FnCode::TokenInvalid),
            ("token_expired", FnCode::TokenExpired),
            ("permission_denied", FnCode::PermissionDenied),
            ("account_not_found", FnCode::AccountNotFound),
            ("rate_limited", FnCode::RateLimited),
            ("too_much_data", FnCode::TooMuchData),
            ("upstream_unavailable", FnCode::UpstreamUnavailable),
            ("upstream_timeout", FnCode::UpstreamTimeout),
        ] {
            let body = format!(r#"{{"error":{{"code":"{raw}","message":"m","retry_after":7}}}}"#);
            assert_eq!(
                read_answer(400, body.as_bytes()),
                Err(FetchError::Function {
                    code,
                    retry_after: Some(7)
                })
            );
        }
    }

    #[test]
    fn answers_outside_the_contract_are_bad_answers() {
        assert!(matches!(
            read_answer(502, b"Internal Server Error"),
            Err(FetchError::BadAnswer(_))
        ));
        assert!(matches!(
            read_answer(200, b"{}"),
            Err(FetchError::BadAnswer(_))
        ));
        assert!(matches!(
            read_answer(400, br#"{"error":{"code":"new_code","message":"m"}}"#),
            Err(FetchError::BadAnswer(_))
        ));
    }
}
