//! The web app's one typed configuration, read from the environment and validated once in `main`.

use std::net::SocketAddr;
use std::time::Duration;

use base64::Engine as _;
use secrecy::{SecretSlice, SecretString};

/// Why the configuration was refused. Messages name variables, never their secret values.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{var} is not valid: {reason}")]
    Invalid { var: &'static str, reason: String },
    #[error("{0} must be set together with {1}")]
    Incomplete(&'static str, &'static str),
    #[error(
        "no sign-in provider is configured, so Adboard would run in sandbox mode, which is only \
         allowed on a loopback address; BIND_ADDR is {0}. Configure a provider (OIDC_ISSUER_URL + \
         OIDC_CLIENT_ID + OIDC_CLIENT_SECRET, GOOGLE_CLIENT_ID + GOOGLE_CLIENT_SECRET, or \
         FACEBOOK_APP_ID + FACEBOOK_APP_SECRET) or bind to 127.0.0.1"
    )]
    SandboxNotOnLoopback(SocketAddr),
    #[error(
        "SESSION_KEY is required when a real sign-in provider is configured (64 random bytes, base64 or hex)"
    )]
    MissingSessionKey,
    #[error(
        "TOKEN_ENCRYPTION_KEY is required when a real sign-in provider is configured (32 random \
         bytes, base64: `openssl rand -base64 32`)"
    )]
    MissingTokenKey,
    /// The Graph client's own settings (`FACEBOOK_GRAPH_URL`, `FACEBOOK_GRAPH_VERSION`, timeouts).
    #[error("{0}")]
    Graph(String),
    #[error(
        "no sign-in provider is configured, and this build of Adboard has no sandbox (it was built \
         without the `sandbox` feature). Configure a provider (OIDC_ISSUER_URL + OIDC_CLIENT_ID + \
         OIDC_CLIENT_SECRET, GOOGLE_CLIENT_ID + GOOGLE_CLIENT_SECRET, or FACEBOOK_APP_ID + \
         FACEBOOK_APP_SECRET) and SESSION_KEY"
    )]
    NoSandboxInThisBuild,
}

/// A generic OpenID Connect provider found by discovery.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// `OIDC_ISSUER_URL` (or Google's issuer for the Google preset).
    pub issuer_url: String,
    /// `OIDC_CLIENT_ID` / `GOOGLE_CLIENT_ID`.
    pub client_id: String,
    /// `OIDC_CLIENT_SECRET` / `GOOGLE_CLIENT_SECRET`.
    pub client_secret: SecretString,
    /// `OIDC_API_AUDIENCES` / `GOOGLE_API_AUDIENCES` (comma-separated): the client ids of our own
    /// smartphone apps, whose tokens the JSON API accepts besides `client_id`'s.
    pub api_audiences: Vec<String>,
    /// Google only: `GOOGLE_TOKENINFO_URL` (default [`GOOGLE_TOKENINFO`]), where the JSON API
    /// checks a phone app's access token (the token is POSTed, never put in the URL).
    pub tokeninfo_url: Option<String>,
}

/// X (formerly Twitter), OAuth 1.0a: verifies the tokens smartphone apps send to the JSON API.
#[derive(Debug, Clone)]
pub struct XSettings {
    /// `TWITTER_CONSUMER_KEY`.
    pub consumer_key: String,
    /// `TWITTER_CONSUMER_SECRET`.
    pub consumer_secret: SecretString,
    /// `TWITTER_API_URL` (default `https://api.twitter.com`).
    pub api_url: String,
}

/// Facebook Login and the Facebook Ads connector (one app).
#[derive(Debug, Clone)]
pub struct FacebookSettings {
    /// `FACEBOOK_APP_ID`.
    pub app_id: String,
    /// `FACEBOOK_APP_SECRET`.
    pub app_secret: SecretString,
    /// `FACEBOOK_DIALOG_URL` (default `https://www.facebook.com`).
    pub dialog_url: String,
}

/// How the dashboard reaches get_facebook_data, and how long it keeps answers.
#[derive(Debug, Clone)]
pub struct FunctionSettings {
    /// `FUNCTION_URL`: the deployed function's URL; unset = call the function in-process.
    pub url: Option<url::Url>,
    /// `FUNCTION_AUTH`: `none` (default) or `iam` (SigV4-sign calls, credentials from the
    /// standard AWS chain; requires `FUNCTION_URL`).
    pub auth: FunctionAuth,
    /// `FUNCTION_TIMEOUT_MS` (default 160000): how long one call may take, in-process or over
    /// HTTP; longer than the function's own async-report budget (120 s + retries).
    pub timeout: Duration,
    /// `DASHBOARD_CACHE_SECONDS` (default 300; 0 turns the cache off).
    pub cache_ttl: Duration,
}

/// `FUNCTION_AUTH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionAuth {
    None,
    Iam,
}

impl FunctionSettings {
    fn from_get(get: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let url = get("FUNCTION_URL")
            .map(|raw| {
                let url =
                    url::Url::parse(&raw).map_err(|e| invalid("FUNCTION_URL", &e.to_string()))?;
                if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                    return Err(invalid("FUNCTION_URL", "expected an http(s) URL"));
                }
                if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
                    return Err(invalid(
                        "FUNCTION_URL",
                        "must not carry credentials, a query or a fragment",
                    ));
                }
                Ok(url)
            })
            .transpose()?;
        let auth = match get("FUNCTION_AUTH").as_deref() {
            None | Some("none") => FunctionAuth::None,
            Some("iam") if url.is_some() => FunctionAuth::Iam,
            Some("iam") => {
                return Err(SettingsError::Incomplete(
                    "FUNCTION_AUTH=iam",
                    "FUNCTION_URL",
                ));
            }
            Some(_) => return Err(invalid("FUNCTION_AUTH", "expected none or iam")),
        };
        let number = |var: &'static str, default: u64| -> Result<u64, SettingsError> {
            get(var).map_or(Ok(default), |raw| {
                raw.parse()
                    .map_err(|_| invalid(var, "expected a whole number"))
            })
        };
        let timeout = Duration::from_millis(number("FUNCTION_TIMEOUT_MS", 160_000)?.max(1));
        let cache_ttl = Duration::from_secs(number("DASHBOARD_CACHE_SECONDS", 300)?);
        Ok(Self {
            url,
            auth,
            timeout,
            cache_ttl,
        })
    }
}

/// Everything the `adboard` binary is configured with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `BIND_ADDR` (default `127.0.0.1:8080`).
    pub bind_addr: SocketAddr,
    /// `PUBLIC_URL`; when unset, `http://<the bound address>`.
    pub public_url: Option<String>,
    /// `STORE_URL` (default `sqlite://data/adboard.db`).
    pub store_url: String,
    /// `SESSION_KEY`: at least 64 bytes, base64 or hex. Generated (with a warning) in sandbox mode.
    pub session_key: Option<SecretSlice<u8>>,
    /// `OIDC_ISSUER_URL`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`.
    pub oidc: Option<OidcSettings>,
    /// `GOOGLE_CLIENT_ID`, `GOOGLE_CLIENT_SECRET` (issuer `https://accounts.google.com`).
    pub google: Option<OidcSettings>,
    /// `FACEBOOK_APP_ID`, `FACEBOOK_APP_SECRET`, `FACEBOOK_DIALOG_URL`.
    pub facebook: Option<FacebookSettings>,
    /// X for the JSON API (`TWITTER_CONSUMER_KEY` + `TWITTER_CONSUMER_SECRET`); not a sign-in
    /// button, so it does not end sandbox mode.
    pub x: Option<XSettings>,
    /// The Graph client, read by `adboard_facebook::Settings` itself (`FACEBOOK_GRAPH_URL`,
    /// `FACEBOOK_GRAPH_VERSION`, `FACEBOOK_APP_ID`/`SECRET`, timeouts); in sandbox mode its base
    /// URL and app are the sandbox's.
    pub graph: adboard_facebook::Settings,
    /// `TOKEN_ENCRYPTION_KEY`: 32 bytes, base64; encrypts connector tokens at rest. Generated per
    /// run (with a log line) in sandbox mode.
    pub token_key: Option<SecretString>,
    /// `TOKEN_ENCRYPTION_OLD_KEYS`: comma-separated earlier keys, still read until
    /// `adboard --rotate-token-key` has re-encrypted every token with the current one.
    pub old_token_keys: Vec<SecretString>,
    /// How long a started sign-in stays valid (10 minutes; tests shorten it).
    pub login_state_ttl: Duration,
    /// `SESSION_LIFETIME_SECS`: a session's absolute lifetime from sign-in (default 7 days).
    pub session_lifetime: Duration,
    /// `SESSION_IDLE_SECS`: a session unused this long is ended (default 24 hours).
    pub session_idle: Duration,
    /// `SESSION_CHECK_SECS`: page views confirm the session with the store at most this often
    /// (default 60 s; form posts always do).
    pub session_check_every: Duration,
    /// `AWS_ENDPOINT_URL_DYNAMODB` (else the AWS environment's), for a `dynamodb://` store.
    pub dynamodb_endpoint: Option<String>,
    /// `TRUST_X_FORWARDED_FOR` (`true`/`false`, default false): the app runs behind a proxy that
    /// appends the client's address to `X-Forwarded-For` (a Lambda function URL behind the Lambda
    /// Web Adapter), so the JSON API's failure limiter counts the last address there instead of
    /// the TCP peer (which is then the proxy, for everyone).
    pub trust_x_forwarded_for: bool,
    /// `FUNCTION_URL`, `FUNCTION_AUTH`, `FUNCTION_TIMEOUT_MS`, `DASHBOARD_CACHE_SECONDS`.
    pub function: FunctionSettings,
}

pub const GOOGLE_ISSUER: &str = "https://accounts.google.com";
/// Google's tokeninfo endpoint (it has no RFC 7662 introspection).
pub const GOOGLE_TOKENINFO: &str = "https://oauth2.googleapis.com/tokeninfo";

impl Settings {
    /// Reads the process environment (empty variables count as unset).
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads settings through `lookup` (a variable name → its value), validating everything.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let get = |key: &str| {
            lookup(key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let bind_addr = match get("BIND_ADDR") {
            Some(raw) => raw
                .parse()
                .map_err(|_| invalid("BIND_ADDR", "expected HOST:PORT, e.g. 127.0.0.1:8080"))?,
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
        };
        let public_url = get("PUBLIC_URL")
            .map(|raw| parse_base_url("PUBLIC_URL", &raw))
            .transpose()?;
        let store_url = get("STORE_URL").unwrap_or_else(|| "sqlite://data/adboard.db".to_owned());
        let seconds = |var: &'static str, default: u64| -> Result<Duration, SettingsError> {
            match get(var) {
                None => Ok(Duration::from_secs(default)),
                Some(raw) => raw
                    .parse::<u64>()
                    .ok()
                    .filter(|s| *s > 0)
                    .map(Duration::from_secs)
                    .ok_or_else(|| invalid(var, "expected a positive number of seconds")),
            }
        };
        let session_lifetime = seconds("SESSION_LIFETIME_SECS", 7 * 24 * 3600)?;
        let session_idle = seconds("SESSION_IDLE_SECS", 24 * 3600)?;
        let session_check_every = seconds("SESSION_CHECK_SECS", 60)?;
        let session_key = get("SESSION_KEY")
            .map(|raw| parse_session_key(&raw))
            .transpose()?;
        let graph = adboard_facebook::Settings::from_lookup(&lookup)
            .map_err(|e| SettingsError::Graph(e.to_string()))?;
        let token_key = get("TOKEN_ENCRYPTION_KEY").map(SecretString::from);
        if let Some(key) = &token_key {
            // Refused here, at start, with the keyring's own reason (weak keys: how to make one).
            adboard_store::TokenKeyring::from_base64(key, &[])
                .map_err(|e| invalid("TOKEN_ENCRYPTION_KEY", &e.to_string()))?;
        }
        let old_token_keys = list(get("TOKEN_ENCRYPTION_OLD_KEYS"))
            .into_iter()
            .map(SecretString::from)
            .collect();

        let oidc = match (
            get("OIDC_ISSUER_URL"),
            get("OIDC_CLIENT_ID"),
            get("OIDC_CLIENT_SECRET"),
        ) {
            (None, None, None) => None,
            (Some(issuer), Some(id), Some(secret)) => Some(OidcSettings {
                issuer_url: parse_base_url("OIDC_ISSUER_URL", &issuer)?,
                client_id: id,
                client_secret: SecretString::from(secret),
                api_audiences: list(get("OIDC_API_AUDIENCES")),
                tokeninfo_url: None,
            }),
            _ => {
                return Err(SettingsError::Incomplete(
                    "OIDC_ISSUER_URL",
                    "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET",
                ));
            }
        };
        let google = match (get("GOOGLE_CLIENT_ID"), get("GOOGLE_CLIENT_SECRET")) {
            (None, None) => None,
            (Some(id), Some(secret)) => Some(OidcSettings {
                issuer_url: GOOGLE_ISSUER.to_owned(),
                client_id: id,
                client_secret: SecretString::from(secret),
                api_audiences: list(get("GOOGLE_API_AUDIENCES")),
                tokeninfo_url: Some(parse_base_url(
                    "GOOGLE_TOKENINFO_URL",
                    &get("GOOGLE_TOKENINFO_URL").unwrap_or_else(|| GOOGLE_TOKENINFO.into()),
                )?),
            }),
            _ => {
                return Err(SettingsError::Incomplete(
                    "GOOGLE_CLIENT_ID",
                    "GOOGLE_CLIENT_SECRET",
                ));
            }
        };
        let facebook = match (get("FACEBOOK_APP_ID"), get("FACEBOOK_APP_SECRET")) {
            (None, None) => None,
            (Some(app_id), Some(secret)) => Some(FacebookSettings {
                app_id,
                app_secret: SecretString::from(secret),
                dialog_url: parse_base_url(
                    "FACEBOOK_DIALOG_URL",
                    &get("FACEBOOK_DIALOG_URL")
                        .unwrap_or_else(|| "https://www.facebook.com".into()),
                )?,
            }),
            _ => {
                return Err(SettingsError::Incomplete(
                    "FACEBOOK_APP_ID",
                    "FACEBOOK_APP_SECRET",
                ));
            }
        };
        let x = match (get("TWITTER_CONSUMER_KEY"), get("TWITTER_CONSUMER_SECRET")) {
            (None, None) => None,
            (Some(consumer_key), Some(secret)) => Some(XSettings {
                consumer_key,
                consumer_secret: SecretString::from(secret),
                api_url: parse_base_url(
                    "TWITTER_API_URL",
                    &get("TWITTER_API_URL").unwrap_or_else(|| "https://api.twitter.com".into()),
                )?,
            }),
            _ => {
                return Err(SettingsError::Incomplete(
                    "TWITTER_CONSUMER_KEY",
                    "TWITTER_CONSUMER_SECRET",
                ));
            }
        };

        let settings = Self {
            bind_addr,
            public_url,
            store_url,
            session_key,
            oidc,
            google,
            facebook,
            x,
            graph,
            token_key,
            old_token_keys,
            login_state_ttl: Duration::from_secs(600),
            session_lifetime,
            session_idle,
            session_check_every,
            dynamodb_endpoint: get("AWS_ENDPOINT_URL_DYNAMODB"),
            trust_x_forwarded_for: match get("TRUST_X_FORWARDED_FOR").as_deref() {
                None | Some("false") => false,
                Some("true") => true,
                Some(_) => return Err(invalid("TRUST_X_FORWARDED_FOR", "expected true or false")),
            },
            function: FunctionSettings::from_get(get)?,
        };
        settings.validate()?;
        Ok(settings)
    }

    /// No real provider configured: sign-in and Facebook come from the in-process sandbox.
    pub fn sandbox_mode(&self) -> bool {
        self.oidc.is_none() && self.google.is_none() && self.facebook.is_none()
    }

    /// Cross-field rules, also run by `startup` for settings built in code (tests).
    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.sandbox_mode() {
            if !cfg!(feature = "sandbox") {
                return Err(SettingsError::NoSandboxInThisBuild);
            }
            if !self.bind_addr.ip().is_loopback() {
                return Err(SettingsError::SandboxNotOnLoopback(self.bind_addr));
            }
        } else if self.session_key.is_none() {
            return Err(SettingsError::MissingSessionKey);
        } else if self.token_key.is_none() {
            return Err(SettingsError::MissingTokenKey);
        }
        Ok(())
    }
}

/// A comma-separated list, blanks dropped.
fn list(raw: Option<String>) -> Vec<String> {
    raw.map(|raw| {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

fn invalid(var: &'static str, reason: &str) -> SettingsError {
    SettingsError::Invalid {
        var,
        reason: reason.to_owned(),
    }
}

/// An absolute http(s) URL without query or fragment, kept as text (issuers compare exactly) with
/// any trailing slash removed.
fn parse_base_url(var: &'static str, raw: &str) -> Result<String, SettingsError> {
    let url = url::Url::parse(raw).map_err(|e| invalid(var, &e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(invalid(var, "expected an http(s) URL"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(invalid(
            var,
            "must not carry credentials, a query or a fragment",
        ));
    }
    Ok(raw.trim_end_matches('/').to_owned())
}

/// `SESSION_KEY`: base64 (standard or URL-safe) or hex, decoding to at least 64 bytes.
fn parse_session_key(raw: &str) -> Result<SecretSlice<u8>, SettingsError> {
    let decoded = hex::decode(raw)
        .ok()
        .or_else(|| base64::engine::general_purpose::STANDARD.decode(raw).ok())
        .or_else(|| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(raw.trim_end_matches('='))
                .ok()
        })
        .ok_or_else(|| invalid("SESSION_KEY", "expected base64 or hex"))?;
    if decoded.len() < 64 {
        return Err(invalid("SESSION_KEY", "must decode to at least 64 bytes"));
    }
    if adboard_store::is_weak_key(&decoded) {
        return Err(invalid(
            "SESSION_KEY",
            "is too weak (fewer than 16 distinct bytes, or one pattern repeated); generate one \
             with `openssl rand -base64 64`",
        ));
    }
    Ok(SecretSlice::from(decoded))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn no_configuration_gives_sandbox_mode_on_loopback() {
        let settings = load(&[]).unwrap();
        assert!(settings.sandbox_mode());
        assert_eq!(settings.bind_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.store_url, "sqlite://data/adboard.db");
    }

    #[test]
    fn sandbox_mode_on_a_public_address_is_refused_with_a_clear_message() {
        let err = load(&[("BIND_ADDR", "0.0.0.0:8080")]).unwrap_err();
        assert!(err.to_string().contains("sandbox mode"), "{err}");
    }

    #[test]
    fn a_real_provider_requires_a_session_key() {
        let err = load(&[("GOOGLE_CLIENT_ID", "id"), ("GOOGLE_CLIENT_SECRET", "s")]).unwrap_err();
        assert!(matches!(err, SettingsError::MissingSessionKey));
        let key = "0fc9c353292d76a93b1691d5ee4bda9d09c000ce916b8ea699ad83a712d2e8a357cf104480a44865c3307c7677eb81ad5a33f0068d445e3608f980081d216f72";
        let no_token_key = load(&[
            ("GOOGLE_CLIENT_ID", "id"),
            ("GOOGLE_CLIENT_SECRET", "s"),
            ("SESSION_KEY", key),
        ])
        .unwrap_err();
        assert!(matches!(no_token_key, SettingsError::MissingTokenKey));
        let ok = load(&[
            ("GOOGLE_CLIENT_ID", "id"),
            ("GOOGLE_CLIENT_SECRET", "s"),
            ("SESSION_KEY", key),
            (
                "TOKEN_ENCRYPTION_KEY",
                "q3k1Zp7m0Xc9Vt2bYw8LnR4sHd6JfA5gUe1Ko0Ci3Ms=",
            ),
        ])
        .unwrap();
        assert!(!ok.sandbox_mode());
        let google = ok.google.unwrap();
        assert_eq!(google.issuer_url, "https://accounts.google.com");
        assert_eq!(
            google.tokeninfo_url.as_deref(),
            Some("https://oauth2.googleapis.com/tokeninfo")
        );
    }

    #[test]
    fn googles_tokeninfo_url_is_configurable_but_never_with_a_query() {
        let google = |url: &str| {
            load(&[
                ("GOOGLE_CLIENT_ID", "id"),
                ("GOOGLE_CLIENT_SECRET", "s"),
                ("GOOGLE_TOKENINFO_URL", url),
                (
                    "SESSION_KEY",
                    "0fc9c353292d76a93b1691d5ee4bda9d09c000ce916b8ea699ad83a712d2e8a357cf104480a44865c3307c7677eb81ad5a33f0068d445e3608f980081d216f72",
                ),
                (
                    "TOKEN_ENCRYPTION_KEY",
                    "q3k1Zp7m0Xc9Vt2bYw8LnR4sHd6JfA5gUe1Ko0Ci3Ms=",
                ),
            ])
        };
        let ok = google("http://127.0.0.1:9/tokeninfo").unwrap();
        assert_eq!(
            ok.google.unwrap().tokeninfo_url.as_deref(),
            Some("http://127.0.0.1:9/tokeninfo")
        );
        assert!(google("http://127.0.0.1:9/tokeninfo?access_token=x").is_err());
        assert!(ok.oidc.is_none());
    }

    #[test]
    fn a_short_session_key_is_refused_without_echoing_it() {
        let err = load(&[("SESSION_KEY", "c2VjcmV0")]).unwrap_err();
        assert!(!err.to_string().contains("c2VjcmV0"));
    }

    #[test]
    fn weak_session_and_token_keys_are_refused_with_how_to_generate_one() {
        let zeros = "00".repeat(64);
        let ab = "ab".repeat(64);
        for weak in [zeros.as_str(), ab.as_str()] {
            let err = load(&[("SESSION_KEY", weak)]).unwrap_err().to_string();
            assert!(err.contains("openssl rand"), "{err}");
        }
        let weak_token = base64::engine::general_purpose::STANDARD.encode([0u8; 32]);
        let err = load(&[("TOKEN_ENCRYPTION_KEY", &weak_token)])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("TOKEN_ENCRYPTION_KEY") && err.contains("openssl rand"),
            "{err}"
        );
    }

    #[test]
    fn the_function_is_in_process_unless_function_url_is_set_and_iam_needs_a_url() {
        let local = load(&[]).unwrap().function;
        assert!(local.url.is_none() && local.auth == FunctionAuth::None);
        assert_eq!(local.cache_ttl, Duration::from_secs(300));
        let remote = load(&[
            ("FUNCTION_URL", "https://abc.lambda-url.eu-west-1.on.aws/"),
            ("FUNCTION_AUTH", "iam"),
            ("FUNCTION_TIMEOUT_MS", "5000"),
            ("DASHBOARD_CACHE_SECONDS", "0"),
        ])
        .unwrap()
        .function;
        assert_eq!(remote.auth, FunctionAuth::Iam);
        assert_eq!(remote.timeout, Duration::from_millis(5000));
        assert!(remote.cache_ttl.is_zero());
        for bad in [
            vec![("FUNCTION_AUTH", "iam")],
            vec![
                ("FUNCTION_AUTH", "basic"),
                ("FUNCTION_URL", "https://f.example"),
            ],
            vec![("FUNCTION_URL", "ftp://f.example")],
            vec![("FUNCTION_URL", "https://f.example/?access_token=x")],
            vec![("FUNCTION_TIMEOUT_MS", "soon")],
            vec![("DASHBOARD_CACHE_SECONDS", "-1")],
        ] {
            let err = load(&bad).unwrap_err().to_string();
            assert!(
                err.contains("FUNCTION") || err.contains("DASHBOARD"),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn half_configured_providers_are_refused() {
        assert!(load(&[("OIDC_ISSUER_URL", "http://127.0.0.1:1")]).is_err());
        assert!(load(&[("FACEBOOK_APP_ID", "1")]).is_err());
    }

    #[test]
    fn base_urls_lose_their_trailing_slash_and_reject_queries() {
        let s = load(&[("PUBLIC_URL", "http://127.0.0.1:9000/")]).unwrap();
        assert_eq!(s.public_url.unwrap(), "http://127.0.0.1:9000");
        assert!(load(&[("PUBLIC_URL", "http://127.0.0.1:9000/?a=b")]).is_err());
        assert!(load(&[("PUBLIC_URL", "ftp://x")]).is_err());
    }
}
