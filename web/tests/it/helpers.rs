//! The test harness: the real app on 127.0.0.1:0 with a fresh store (a SQLite file, or a table on
//! the DynamoDB-compatible server the test command starts), and a cookie-keeping client that does
//! not follow redirects, with one helper per endpoint.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use adboard_web::settings::Settings;
use adboard_web::startup::Application;
use reqwest::cookie::{CookieStore as _, Jar};
use reqwest::{Response, StatusCode};

/// A fixed `TOKEN_ENCRYPTION_KEY` for apps with real providers (32 random bytes, base64).
pub const TOKEN_KEY_B64: &str = "q3k1Zp7m0Xc9Vt2bYw8LnR4sHd6JfA5gUe1Ko0Ci3Ms=";

/// 64 random bytes, hex (a repeated pattern would be refused as weak).
pub const SESSION_KEY_HEX: &str = "0fc9c353292d76a93b1691d5ee4bda9d09c000ce916b8ea699ad83a712d2e8a3\
57cf104480a44865c3307c7677eb81ad5a33f0068d445e3608f980081d216f72";

/// A running app and a browser-like client for it.
#[derive(Debug)]
pub struct TestApp {
    pub url: String,
    pub sandbox_url: Option<String>,
    pub client: reqwest::Client,
    /// The app's `STORE_URL`, for tests that arrange data through the store directly.
    pub store_url: String,
    jar: Arc<Jar>,
    _dir: tempfile::TempDir,
}

/// Builds a client with its own cookie jar that never follows redirects.
pub fn browser() -> (reqwest::Client, Arc<Jar>) {
    let jar = Arc::new(Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    (client, jar)
}

/// Where a test app keeps its data.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    /// A fresh SQLite file in a temporary folder.
    Sqlite,
    /// A fresh table on the local DynamoDB-compatible server (`AWS_ENDPOINT_URL_DYNAMODB`).
    DynamoDb,
}

/// Runs each `async fn case(backend: Backend)` as two tests: `sqlite::case` and `dynamodb::case`.
#[macro_export]
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    super::$case($crate::helpers::Backend::Sqlite).await;
                }
            )*
        }
        mod dynamodb {
            $(
                #[tokio::test]
                async fn $case() {
                    super::$case($crate::helpers::Backend::DynamoDb).await;
                }
            )*
        }
    };
}

/// A `STORE_URL` for a fresh table on the local DynamoDB-compatible server, created the way
/// `adboard --init-table` does.
pub async fn fresh_dynamodb_store_url() -> String {
    let endpoint = std::env::var("AWS_ENDPOINT_URL_DYNAMODB").unwrap_or_default();
    assert!(
        endpoint.starts_with("http://127.0.0.1:"),
        "AWS_ENDPOINT_URL_DYNAMODB must name the local DynamoDB-compatible server (scripts/test.sh \
         starts moto and sets it); got {endpoint:?}"
    );
    let url = format!(
        "dynamodb://adboard-web-test-{}",
        uuid::Uuid::new_v4().simple()
    );
    adboard_store::init_storage(&url).await.unwrap();
    url
}

/// The app in sandbox mode (no provider configured).
pub async fn spawn_sandbox_app() -> TestApp {
    spawn_app(&[], None).await
}

/// The app with extra environment `vars` and optionally a shorter sign-in TTL.
pub async fn spawn_app(vars: &[(&str, &str)], ttl: Option<Duration>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    map.entry("BIND_ADDR".into())
        .or_insert_with(|| "127.0.0.1:0".into());
    if map.contains_key("SESSION_KEY") {
        map.entry("TOKEN_ENCRYPTION_KEY".into())
            .or_insert_with(|| TOKEN_KEY_B64.into());
    }
    let store_url = map
        .entry("STORE_URL".into())
        .or_insert_with(|| format!("sqlite://{}", dir.path().join("adboard.db").display()))
        .clone();
    let mut settings = Settings::from_lookup(|k| map.get(k).cloned()).unwrap();
    if let Some(ttl) = ttl {
        settings.login_state_ttl = ttl;
    }
    let app = Application::build(settings).await.unwrap();
    let url = app.public_url().to_owned();
    let sandbox_url = app.sandbox_url().map(str::to_owned);
    tokio::spawn(app.run_until_stopped());
    let (client, jar) = browser();
    TestApp {
        url,
        sandbox_url,
        client,
        store_url,
        jar,
        _dir: dir,
    }
}

/// The value of `name="csrf_token" value="…"` or `<meta name="csrf-token" content="…">`.
pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf-token\" content=\"";
    let start = html.find(marker).expect("page carries a CSRF token") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .unwrap()
        .to_owned()
}

/// A query parameter of an absolute URL.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

impl TestApp {
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .unwrap()
    }

    pub async fn get_login(&self, next: Option<&str>) -> Response {
        let mut request = self.client.get(format!("{}/login", self.url));
        if let Some(next) = next {
            request = request.query(&[("next", next)]);
        }
        request.send().await.unwrap()
    }

    /// This session's CSRF token (read from the home page).
    pub async fn csrf(&self) -> String {
        csrf_from(&self.get("/").await.text().await.unwrap())
    }

    pub async fn post_login(
        &self,
        provider: &str,
        csrf: Option<&str>,
        next: Option<&str>,
    ) -> Response {
        let mut form = vec![];
        if let Some(csrf) = csrf {
            form.push(("csrf_token", csrf));
        }
        if let Some(next) = next {
            form.push(("next", next));
        }
        self.client
            .post(format!("{}/login/{provider}", self.url))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Starts a sign-in the way the login page does; returns the provider URL it redirects to.
    pub async fn start_login(&self, provider: &str, next: Option<&str>) -> String {
        let csrf = self.csrf().await;
        let response = self.post_login(provider, Some(&csrf), next).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "starting a sign-in redirects"
        );
        location(&response)
    }

    pub async fn get_callback(&self, provider: &str, query: &[(&str, &str)]) -> Response {
        self.client
            .get(format!("{}/login/{provider}/callback", self.url))
            .query(query)
            .send()
            .await
            .unwrap()
    }

    /// Follows an absolute callback URL the provider redirected to.
    pub async fn follow(&self, url: &str) -> Response {
        self.client.get(url).send().await.unwrap()
    }

    pub async fn post_logout(&self, csrf: Option<&str>) -> Response {
        let form: Vec<(&str, &str)> = csrf.map(|c| vec![("csrf_token", c)]).unwrap_or_default();
        self.client
            .post(format!("{}/logout", self.url))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_profile(&self) -> Response {
        self.get("/profile").await
    }

    pub async fn post_profile(&self, csrf: Option<&str>, name: &str) -> Response {
        let mut form = vec![("name", name)];
        if let Some(csrf) = csrf {
            form.push(("csrf_token", csrf));
        }
        self.client
            .post(format!("{}/profile", self.url))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_link(&self, provider: &str, csrf: &str) -> Response {
        self.client
            .post(format!("{}/profile/link/{provider}", self.url))
            .form(&[("csrf_token", csrf)])
            .send()
            .await
            .unwrap()
    }

    /// True if `/profile` answers 200 (signed in), false if it redirects to the login page.
    pub async fn is_signed_in(&self) -> bool {
        let response = self.get_profile().await;
        match response.status() {
            StatusCode::OK => true,
            StatusCode::SEE_OTHER => {
                assert!(location(&response).starts_with("/login?next="));
                false
            }
            other => panic!("unexpected /profile status {other}"),
        }
    }

    /// The raw `Cookie` header this client would send (to snapshot and replay a session).
    pub fn cookies(&self) -> String {
        self.jar
            .cookies(&self.url.parse().unwrap())
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    /// Overwrites the session cookie with `raw` (`name=value`).
    pub fn set_cookie(&self, raw: &str) {
        self.jar
            .add_cookie_str(&format!("{raw}; Path=/"), &self.url.parse().unwrap());
    }

    /// A second browser against the same app (its own cookies).
    pub fn other_browser(&self) -> TestApp {
        let (client, jar) = browser();
        TestApp {
            url: self.url.clone(),
            sandbox_url: self.sandbox_url.clone(),
            client,
            store_url: self.store_url.clone(),
            jar,
            _dir: tempfile::tempdir().unwrap(),
        }
    }
}
