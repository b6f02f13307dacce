//! One logical Graph call: URL building, the token (as a Bearer header, never in the URL),
//! `appsecret_proof`, retries with backoff inside the time budget, usage headers, and paging.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use reqwest::Method;
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use url::Url;

use crate::GraphClient;
use crate::error::{ErrorKind, FacebookError, GraphError};
use crate::proof::appsecret_proof;
use crate::usage::Usage;
use crate::wire::PageWire;

/// The most pages one listing may take (a daily range of 37 months fits in one page).
const MAX_PAGES: usize = 500;
/// Retry-After suggested when still limited and Facebook gave no hint.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(60);
/// Query keys that carry credentials and are stripped from `paging.next` (we add our own).
const CREDENTIAL_KEYS: [&str; 3] = ["access_token", "appsecret_proof", "appsecret_time"];

/// A request before credentials are attached.
#[derive(Debug, Clone)]
pub(crate) struct Call<'a> {
    pub method: Method,
    /// Either relative to the version (`act_1/insights`) or absolute (`/v26.0/act_1/insights`).
    pub path: String,
    pub query: Vec<(String, String)>,
    pub form: Option<Vec<(String, String)>>,
    pub token: Option<&'a SecretString>,
}

impl<'a> Call<'a> {
    pub fn get(path: impl Into<String>, token: Option<&'a SecretString>) -> Self {
        Self {
            method: Method::GET,
            path: path.into(),
            query: Vec::new(),
            form: None,
            token,
        }
    }

    pub fn query(mut self, pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        self.query.extend(pairs);
        self
    }
}

/// A successful answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub body: Vec<u8>,
}

/// A failed attempt, with whatever usage headers came with it.
struct Failure {
    error: GraphError,
    usage: Usage,
}

impl GraphClient {
    /// Sends `call`, retrying transient errors and rate limits with exponential backoff while the
    /// retry budget lasts. Rate limits still in force at the end become `GraphError::RateLimited`.
    pub(crate) async fn send(&self, call: &Call<'_>) -> Result<Reply, GraphError> {
        let deadline = Instant::now() + self.settings.retry_budget;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let Failure { error, usage } = match self.attempt(call).await {
                Ok(reply) => return Ok(reply),
                Err(failure) => failure,
            };
            let backoff = backoff(attempt);
            let kind = error.kind();
            let wait = match kind {
                ErrorKind::RateLimited => usage
                    .suggested_wait()
                    .unwrap_or(Duration::ZERO)
                    .max(backoff),
                ErrorKind::Transient => backoff,
                _ => return Err(error),
            };
            let out_of_budget = Instant::now() + wait > deadline;
            tracing::warn!(
                graph.path = %path_only(&call.path),
                graph.attempt = attempt,
                graph.error = %error,
                graph.retry_in_ms = wait.as_millis() as u64,
                graph.giving_up = out_of_budget,
                "Graph call failed"
            );
            if out_of_budget {
                return Err(match (kind, error) {
                    (ErrorKind::RateLimited, GraphError::Api(last)) => GraphError::RateLimited {
                        retry_after: usage
                            .suggested_wait()
                            .unwrap_or(DEFAULT_RETRY_AFTER)
                            .max(Duration::from_secs(1)),
                        last: Some(last),
                    },
                    (_, error) => error,
                });
            }
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(&self, call: &Call<'_>) -> Result<Reply, Failure> {
        let no_usage = |error| Failure {
            error,
            usage: Usage::default(),
        };
        let url = self.url_for(&call.path).map_err(no_usage)?;
        let mut query = call.query.clone();
        if let (Some(secret), Some(token)) = (&self.settings.app_secret, call.token) {
            query.push(("appsecret_proof".into(), appsecret_proof(secret, token)));
        }
        let mut request = self
            .http()
            .map_err(no_usage)?
            .request(call.method.clone(), url)
            .query(&query);
        if let Some(token) = call.token {
            use secrecy::ExposeSecret;
            request = request.bearer_auth(token.expose_secret());
        }
        if let Some(form) = &call.form {
            request = request.form(form);
        }
        self.calls.fetch_add(1, Ordering::Relaxed);
        let response = request
            .send()
            .await
            .map_err(|e| no_usage(GraphError::from_reqwest(e)))?;
        let status = response.status();
        let usage = Usage::from_headers(response.headers());
        let body = response.bytes().await.map_err(|e| Failure {
            error: GraphError::from_reqwest(e),
            usage,
        })?;
        if status.is_success() {
            Ok(Reply {
                body: body.to_vec(),
            })
        } else {
            Err(Failure {
                error: GraphError::Api(Box::new(FacebookError::from_body(status.as_u16(), &body))),
                usage,
            })
        }
    }

    fn url_for(&self, path: &str) -> Result<Url, GraphError> {
        let mut url = self.settings.graph_url.clone();
        if path.starts_with('/') {
            url.set_path(path);
        } else {
            url.set_path(&format!("/{}/{}", self.settings.graph_version, path));
        }
        Ok(url)
    }

    /// Sends `first` and follows `paging.next` until it is absent. An empty page that still has
    /// `next` is not the end.
    pub(crate) async fn get_all_pages<T: DeserializeOwned>(
        &self,
        first: Call<'_>,
    ) -> Result<Vec<T>, GraphError> {
        let mut items = Vec::new();
        let mut call = first;
        for _ in 0..MAX_PAGES {
            let reply = self.send(&call).await?;
            let page: PageWire<T> = decode(&reply.body)?;
            items.extend(page.data);
            match page.paging.and_then(|p| p.next) {
                None => return Ok(items),
                Some(next) => call = next_call(&next, call.token)?,
            }
        }
        Err(GraphError::Decode(format!(
            "paging did not end after {MAX_PAGES} pages"
        )))
    }
}

/// Rebuilds a `paging.next` URL as a call against OUR configured Graph origin, without the
/// credentials Facebook embeds in it (ours are attached again on sending).
fn next_call<'a>(next: &str, token: Option<&'a SecretString>) -> Result<Call<'a>, GraphError> {
    let url =
        Url::parse(next).map_err(|_| GraphError::Decode("paging.next is not a URL".into()))?;
    let query = url
        .query_pairs()
        .filter(|(k, _)| !CREDENTIAL_KEYS.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    Ok(Call {
        method: Method::GET,
        path: url.path().to_owned(),
        query,
        form: None,
        token,
    })
}

/// Decodes a JSON body; the error says where, never what (bodies may hold tokens in `next`).
/// The body is checked as UTF-8 once, as a whole: serde_json's byte-slice reader checks every
/// string on its own, which cost more than the rest of reading the strings (thousands per page).
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, GraphError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        GraphError::Decode(format!(
            "Graph JSON is not UTF-8 (at byte {})",
            e.valid_up_to()
        ))
    })?;
    serde_json::from_str(text).map_err(|e| {
        GraphError::Decode(format!(
            "{:?} error in Graph JSON at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ))
    })
}

/// 200 ms, 400 ms, 800 ms, … capped at 2 s.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(200u64.saturating_mul(1 << attempt.saturating_sub(1).min(4)))
        .min(Duration::from_secs(2))
}

/// A path for logs: never a query string.
fn path_only(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn next_url_loses_its_credentials_and_keeps_its_cursor() {
        let token = SecretString::from("tok");
        let call = next_call(
            "https://graph.facebook.com/v25.0/act_123/insights?access_token=EAAB&fields=spend&limit=2&after=MQZDZD&appsecret_proof=ff",
            Some(&token),
        )
        .unwrap();
        assert_eq!(call.path, "/v25.0/act_123/insights");
        assert_eq!(
            call.query,
            [
                ("fields".to_owned(), "spend".to_owned()),
                ("limit".into(), "2".into()),
                ("after".into(), "MQZDZD".into())
            ]
        );
        assert_eq!(call.token.unwrap().expose_secret(), "tok");
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_millis(200));
        assert_eq!(backoff(2), Duration::from_millis(400));
        assert_eq!(backoff(9), Duration::from_secs(2));
    }

    #[test]
    fn decode_errors_do_not_echo_the_body() {
        let err = decode::<PageWire<u32>>(br#"{"data":["secret-token"]}"#).unwrap_err();
        assert!(!err.to_string().contains("secret-token"), "{err}");
        let err = decode::<PageWire<String>>(b"{\"data\":[\"secret-token\xff\"]}").unwrap_err();
        assert!(
            matches!(err, GraphError::Decode(_)) && !err.to_string().contains("secret-token"),
            "{err}"
        );
    }

    #[test]
    fn decode_reads_escapes_and_text_beyond_ascii() {
        let page: PageWire<String> =
            decode(r#"{"data":["Caf\u00e9 \"Zürich\" €"]}"#.as_bytes()).unwrap();
        assert_eq!(page.data, ["Café \"Zürich\" €"]);
    }
}
