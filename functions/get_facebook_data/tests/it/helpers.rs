//! Test helpers: an in-process sandbox, `Deps` pointed at it, and one helper per request shape.

use std::sync::Arc;
use std::time::Duration;

use adboard_facebook::{GraphClient, Settings};
use adboard_sandbox::{RunningSandbox, SandboxConfig};
use chrono::{DateTime, Days, NaiveDate, Utc};
use get_facebook_data::{Deps, HttpInput, handle};
use secrecy::SecretString;
use serde_json::Value;

pub const ALICE_EUR: &str = "1234567890";
pub const ALICE_USD_LA: &str = "2345678901";

pub async fn sandbox() -> RunningSandbox {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    adboard_sandbox::spawn(listener, SandboxConfig::default())
        .await
        .unwrap()
}

/// Deps against `graph_url` with a short retry budget.
pub fn deps_for(graph_url: &str) -> Deps {
    let mut settings = Settings::new(graph_url)
        .unwrap()
        .with_app("sandbox-app", SecretString::from("sandbox-secret"));
    settings.retry_budget = Duration::from_secs(3);
    Deps::new(GraphClient::new(settings).unwrap())
}

/// Deps whose Graph URL has nothing listening: any Graph call would fail.
pub fn offline_deps() -> Deps {
    deps_for("http://127.0.0.1:9")
}

pub fn with_clock(mut deps: Deps, now: DateTime<Utc>) -> Deps {
    deps.clock = Arc::new(move || now);
    deps
}

pub fn token(sb: &RunningSandbox) -> String {
    sb.user_token("alice").unwrap()
}

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub fn days_ago(n: u64) -> String {
    today().checked_sub_days(Days::new(n)).unwrap().to_string()
}

/// A parsed answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub json: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn error_code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or("<none>")
    }
}

pub async fn call(
    deps: &Deps,
    method: &str,
    query: &[(&str, &str)],
    auth: Option<&str>,
    body: &[u8],
) -> Answer {
    let query: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let authorization = auth.map(|t| format!("Bearer {t}"));
    let input = HttpInput {
        method,
        query: &query,
        authorization: authorization.as_deref(),
        body,
    };
    let out = handle(deps, input).await;
    let json = serde_json::from_str(&out.body).expect("every answer is JSON");
    Answer {
        status: out.status,
        headers: out.headers,
        body: out.body,
        json,
    }
}

pub async fn get(deps: &Deps, query: &[(&str, &str)], auth: Option<&str>) -> Answer {
    call(deps, "GET", query, auth, b"").await
}

pub async fn post(deps: &Deps, body: &str, auth: Option<&str>) -> Answer {
    call(deps, "POST", &[], auth, body.as_bytes()).await
}

/// A JSON number's exact text as a decimal.
pub fn dec(v: &Value) -> rust_decimal::Decimal {
    assert!(v.is_number(), "{v} is not a JSON number");
    v.to_string().parse().unwrap()
}
