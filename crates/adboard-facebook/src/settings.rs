//! The Graph client's configuration: base URL, API version, app credentials, timeouts and budgets.

use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use crate::GraphError;

/// How the client reaches Facebook. Loaded once (usually from the environment) and passed down.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `FACEBOOK_GRAPH_URL` — scheme, host and port of the Graph API (default `https://graph.facebook.com`).
    pub graph_url: Url,
    /// `FACEBOOK_GRAPH_VERSION` — e.g. `v26.0` (the default).
    pub graph_version: String,
    /// `FACEBOOK_APP_ID` — needed for `debug_token` and token exchanges.
    pub app_id: Option<String>,
    /// `FACEBOOK_APP_SECRET` — when set, every call carries `appsecret_proof`.
    pub app_secret: Option<SecretString>,
    /// `FACEBOOK_REQUEST_TIMEOUT_MS` — one HTTP attempt (default 30 000).
    pub request_timeout: Duration,
    /// `FACEBOOK_CONNECT_TIMEOUT_MS` — TCP/TLS connect (default 3 000).
    pub connect_timeout: Duration,
    /// `FACEBOOK_RETRY_BUDGET_MS` — how long one logical call may spend retrying transient errors
    /// and rate limits before giving up (default 10 000).
    pub retry_budget: Duration,
    /// `FACEBOOK_REPORT_TIMEOUT_MS` — how long an async report run is polled (default 120 000).
    pub report_timeout: Duration,
    /// `FACEBOOK_PAGE_LIMIT` — the largest `limit` asked for per page (default 1 200, enough for
    /// 37 months of daily rows in one page).
    pub page_limit: u32,
}

impl Settings {
    pub const DEFAULT_GRAPH_URL: &'static str = "https://graph.facebook.com";
    pub const DEFAULT_GRAPH_VERSION: &'static str = "v26.0";

    /// Defaults pointed at `graph_url` (e.g. a local sandbox), without app credentials.
    pub fn new(graph_url: &str) -> Result<Self, GraphError> {
        Ok(Self {
            graph_url: parse_base_url(graph_url)?,
            graph_version: Self::DEFAULT_GRAPH_VERSION.to_owned(),
            app_id: None,
            app_secret: None,
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(3),
            retry_budget: Duration::from_secs(10),
            report_timeout: Duration::from_secs(120),
            page_limit: 1200,
        })
    }

    /// The same settings with app credentials.
    pub fn with_app(mut self, app_id: impl Into<String>, app_secret: SecretString) -> Self {
        self.app_id = Some(app_id.into());
        self.app_secret = Some(app_secret);
        self
    }

    /// Reads the `FACEBOOK_*` environment variables.
    pub fn from_env() -> Result<Self, GraphError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Like [`Settings::from_env`] with any lookup (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, GraphError> {
        let get = |key: &str| {
            lookup(key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut settings = Self::new(
            &get("FACEBOOK_GRAPH_URL").unwrap_or_else(|| Self::DEFAULT_GRAPH_URL.to_owned()),
        )?;
        if let Some(version) = get("FACEBOOK_GRAPH_VERSION") {
            settings.graph_version = parse_version(&version)?;
        }
        settings.app_id = get("FACEBOOK_APP_ID");
        settings.app_secret = get("FACEBOOK_APP_SECRET").map(SecretString::from);
        let millis = |key: &'static str, default: Duration| -> Result<Duration, GraphError> {
            match get(key) {
                None => Ok(default),
                Some(raw) => raw.parse::<u64>().map(Duration::from_millis).map_err(|_| {
                    GraphError::Config(format!("{key} must be a number of milliseconds"))
                }),
            }
        };
        settings.request_timeout = millis("FACEBOOK_REQUEST_TIMEOUT_MS", settings.request_timeout)?;
        settings.connect_timeout = millis("FACEBOOK_CONNECT_TIMEOUT_MS", settings.connect_timeout)?;
        settings.retry_budget = millis("FACEBOOK_RETRY_BUDGET_MS", settings.retry_budget)?;
        settings.report_timeout = millis("FACEBOOK_REPORT_TIMEOUT_MS", settings.report_timeout)?;
        if let Some(raw) = get("FACEBOOK_PAGE_LIMIT") {
            settings.page_limit = raw
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=5000).contains(n))
                .ok_or_else(|| {
                    GraphError::Config("FACEBOOK_PAGE_LIMIT must be between 1 and 5000".into())
                })?;
        }
        Ok(settings)
    }
}

fn parse_base_url(raw: &str) -> Result<Url, GraphError> {
    let url = Url::parse(raw)
        .map_err(|_| GraphError::Config("FACEBOOK_GRAPH_URL is not a URL".into()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(GraphError::Config(
            "FACEBOOK_GRAPH_URL must be an http(s) URL with a host".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() || url.path() != "/" {
        return Err(GraphError::Config(
            "FACEBOOK_GRAPH_URL must have no path, query or fragment".into(),
        ));
    }
    Ok(url)
}

fn parse_version(raw: &str) -> Result<String, GraphError> {
    let ok = raw
        .strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(major, minor)| {
            !major.is_empty()
                && !minor.is_empty()
                && major.bytes().all(|b| b.is_ascii_digit())
                && minor.bytes().all(|b| b.is_ascii_digit())
        });
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(GraphError::Config(
            "FACEBOOK_GRAPH_VERSION must look like v26.0".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use secrecy::ExposeSecret;

    use super::*;

    fn from(pairs: &[(&str, &str)]) -> Result<Settings, GraphError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_point_at_facebook_v26() {
        let s = from(&[]).unwrap();
        assert_eq!(s.graph_url.as_str(), "https://graph.facebook.com/");
        assert_eq!(s.graph_version, "v26.0");
        assert!(s.app_secret.is_none());
    }

    #[test]
    fn environment_overrides_every_setting() {
        let s = from(&[
            ("FACEBOOK_GRAPH_URL", "http://127.0.0.1:9100"),
            ("FACEBOOK_GRAPH_VERSION", "v25.0"),
            ("FACEBOOK_APP_ID", "sandbox-app"),
            ("FACEBOOK_APP_SECRET", "sandbox-secret"),
            ("FACEBOOK_RETRY_BUDGET_MS", "500"),
        ])
        .unwrap();
        assert_eq!(s.graph_url.as_str(), "http://127.0.0.1:9100/");
        assert_eq!(s.graph_version, "v25.0");
        assert_eq!(s.app_id.as_deref(), Some("sandbox-app"));
        assert_eq!(s.app_secret.unwrap().expose_secret(), "sandbox-secret");
        assert_eq!(s.retry_budget, Duration::from_millis(500));
    }

    #[test]
    fn malformed_settings_are_rejected() {
        assert!(from(&[("FACEBOOK_GRAPH_URL", "ftp://x")]).is_err());
        assert!(from(&[("FACEBOOK_GRAPH_URL", "http://x/graph")]).is_err());
        assert!(from(&[("FACEBOOK_GRAPH_VERSION", "26")]).is_err());
        assert!(from(&[("FACEBOOK_RETRY_BUDGET_MS", "soon")]).is_err());
        assert!(from(&[("FACEBOOK_PAGE_LIMIT", "0")]).is_err());
    }
}
