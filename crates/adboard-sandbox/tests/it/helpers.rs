//! Test helpers: spawn a sandbox on 127.0.0.1:0 and drive it with a non-redirecting client.

use std::net::TcpListener;

use adboard_sandbox::{RunningSandbox, SandboxConfig, spawn};
use chrono::{Days, NaiveDate, Utc};
use reqwest::header::HeaderMap;
use reqwest::{Client, StatusCode};
use serde_json::Value;

pub const APP_ID: &str = "sandbox-app";
pub const APP_SECRET: &str = "sandbox-secret";
pub const REDIRECT: &str = "http://127.0.0.1:3999/auth/facebook/callback";
pub const OIDC_REDIRECT: &str = "http://127.0.0.1:3999/auth/oidc/callback";
pub const ALICE_EUR: &str = "1234567890";

pub struct TestSandbox {
    pub sandbox: RunningSandbox,
    pub base: String,
    pub client: Client,
}

/// A response reduced to what tests look at.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
}

impl Reply {
    pub fn error_code(&self) -> i64 {
        self.json["error"]["code"].as_i64().unwrap_or_default()
    }
    pub fn error_subcode(&self) -> Option<i64> {
        self.json["error"]["error_subcode"].as_i64()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }
}

pub async fn start() -> TestSandbox {
    start_with(|_| {}).await
}

pub async fn start_with(tweak: impl FnOnce(&mut SandboxConfig)) -> TestSandbox {
    let mut config = SandboxConfig::default()
        .with_facebook_redirect(REDIRECT)
        .with_oidc_redirect(OIDC_REDIRECT);
    tweak(&mut config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let sandbox = spawn(listener, config).await.unwrap();
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap();
    TestSandbox {
        base: sandbox.base_url.clone(),
        sandbox,
        client,
    }
}

pub async fn reply(resp: reqwest::Response) -> Reply {
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply {
        status,
        headers,
        json,
    }
}

/// Reads the hidden `request` field of a consent / sign-in page.
pub fn request_id(html: &str) -> String {
    let marker = "name=\"request\" value=\"";
    let start = html.find(marker).expect("request field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The value of `key` in the query of a `Location` URL.
pub fn query_value(location: &str, key: &str) -> Option<String> {
    let url = url::Url::parse(location).unwrap();
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

impl TestSandbox {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// `POST /__sandbox/token?user=…` (extra query appended verbatim).
    pub async fn token(&self, user: &str) -> String {
        self.token_with(user, "").await
    }

    pub async fn token_with(&self, user: &str, extra: &str) -> String {
        let resp = self
            .client
            .post(self.url(&format!("/__sandbox/token?user={user}{extra}")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let v: Value = resp.json().await.unwrap();
        v["access_token"].as_str().unwrap().to_owned()
    }

    /// GET a Graph path (with query) using `token` as `access_token` parameter.
    pub async fn graph(&self, path: &str, token: &str) -> Reply {
        let sep = if path.contains('?') { '&' } else { '?' };
        self.get(&format!("/v26.0{path}{sep}access_token={token}"))
            .await
    }

    pub async fn get(&self, path_and_query: &str) -> Reply {
        reply(
            self.client
                .get(self.url(path_and_query))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path_and_query: &str) -> Reply {
        reply(
            self.client
                .post(self.url(path_and_query))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// `DELETE /me/permissions` with `token`.
    pub async fn revoke(&self, token: &str) -> Reply {
        let url = self.url(&format!("/v26.0/me/permissions?access_token={token}"));
        reply(self.client.delete(url).send().await.unwrap()).await
    }

    pub async fn get_url(&self, url: &str) -> Reply {
        reply(self.client.get(url).send().await.unwrap()).await
    }

    /// Opens the Login dialog, then submits the consent form with `action` as `user`.
    /// Returns the redirect `Location`.
    pub async fn dialog(&self, query: &str, user: &str, action: &str) -> String {
        let html = self.dialog_page(query).await;
        self.consent(&html, &[("user", user), ("action", action)])
            .await
    }

    /// The Login dialog's consent page for `query`.
    pub async fn dialog_page(&self, query: &str) -> String {
        let page = self
            .client
            .get(self.url(&format!("/v26.0/dialog/oauth?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200, "consent page");
        page.text().await.unwrap()
    }

    /// Posts the consent form of `html` with `fields` besides its `request`; the `Location`.
    pub async fn consent(&self, html: &str, fields: &[(&str, &str)]) -> String {
        let mut form = vec![("request", request_id(html))];
        form.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let resp = self
            .client
            .post(self.url("/v26.0/dialog/oauth"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 302);
        resp.headers()["location"].to_str().unwrap().to_owned()
    }

    /// A fresh Login-dialog code for `user` bound to the default app and redirect URI.
    pub async fn code(&self, user: &str) -> String {
        let q = format!(
            "client_id={APP_ID}&redirect_uri={}&state=st4te&scope=ads_read,email",
            urlencode(REDIRECT)
        );
        let location = self.dialog(&q, user, "continue").await;
        query_value(&location, "code").expect("code in redirect")
    }

    /// Exchanges a code at `/oauth/access_token` with explicit parameters.
    pub async fn exchange(
        &self,
        client_id: &str,
        secret: &str,
        redirect: &str,
        code: &str,
    ) -> Reply {
        let q = format!(
            "/v26.0/oauth/access_token?client_id={client_id}&client_secret={secret}&redirect_uri={}&code={code}",
            urlencode(redirect)
        );
        self.get(&q).await
    }
}

/// `POST /oidc/introspect` for `token`, authenticated as `client` / `secret` (Basic).
pub async fn introspect(t: &TestSandbox, token: &str, client: &str, secret: &str) -> Reply {
    reply(
        t.client
            .post(t.url("/oidc/introspect"))
            .basic_auth(client, Some(secret))
            .form(&[("token", token)])
            .send()
            .await
            .unwrap(),
    )
    .await
}

pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub fn day(n_ago: u64) -> NaiveDate {
    Utc::now().date_naive() - Days::new(n_ago)
}

pub fn range(since: NaiveDate, until: NaiveDate) -> String {
    urlencode(&format!("{{\"since\":\"{since}\",\"until\":\"{until}\"}}"))
}

pub const FIELDS: &str = "spend,impressions,inline_link_clicks,actions,action_values";

pub fn daily(since: NaiveDate, until: NaiveDate, extra: &str) -> String {
    format!(
        "/act_{ALICE_EUR}/insights?fields={FIELDS}&level=account&time_increment=1&time_range={}{extra}",
        range(since, until)
    )
}
