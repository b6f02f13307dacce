//! A small X client for the tests: requests signed by the `oauth1-request` crate (independent of
//! the sandbox's own signature code) and one helper per X endpoint.

use std::num::NonZeroU64;

use oauth1_request::{Builder, Credentials, HMAC_SHA1, ParameterList};
use serde_json::{Value, json};

use crate::helpers::*;

pub const CALLBACK: &str = "http://127.0.0.1:3999/auth/x/callback";
pub const KEY: &str = "sandbox-x-consumer-key";
pub const SECRET: &str = "sandbox-x-consumer-secret";

pub async fn start_x() -> TestSandbox {
    start_with(|c| c.x_callback_urls.push(CALLBACK.into())).await
}

/// How a test signs one request; every field can be bent to make it wrong.
#[derive(Default)]
pub struct Sign<'a> {
    pub consumer_secret: Option<&'a str>,
    pub token: Option<(&'a str, &'a str)>,
    pub callback: Option<&'a str>,
    pub verifier: Option<&'a str>,
    pub nonce: Option<&'a str>,
    pub timestamp: Option<u64>,
    pub version: bool,
}

impl Sign<'_> {
    /// The `Authorization` header for `method url` with `params` (query or form body).
    pub fn header(&self, method: &str, url: &str, params: &[(&str, &str)]) -> String {
        let client = Credentials::new(KEY, self.consumer_secret.unwrap_or(SECRET));
        let mut b: Builder<'_, _, &str, &str> = Builder::new(client, HMAC_SHA1);
        b.token(self.token.map(|(t, s)| Credentials::new(t, s)))
            .callback(self.callback)
            .verifier(self.verifier)
            .nonce(self.nonce)
            .timestamp(self.timestamp.and_then(NonZeroU64::new))
            .version(self.version);
        b.authorize(method, url, &ParameterList::new(params.to_vec()))
    }
}

pub fn form(text: &str) -> Value {
    let map: serde_json::Map<String, Value> = url::form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), json!(v)))
        .collect();
    Value::Object(map)
}

impl TestSandbox {
    pub fn x(&self, path: &str) -> String {
        format!("{}/x{path}", self.base)
    }

    /// POST `path` with `header` (if any) and a form body of `params`.
    pub async fn x_post(
        &self,
        path: &str,
        header: Option<String>,
        params: &[(&str, &str)],
    ) -> Reply {
        let mut req = self.client.post(self.x(path));
        if let Some(h) = header {
            req = req.header("Authorization", h);
        }
        if !params.is_empty() {
            req = req.form(params);
        }
        let r = reply(req.send().await.unwrap()).await;
        match &r.json {
            Value::String(text) if r.status == 200 => Reply {
                json: form(text),
                ..r
            },
            _ => r,
        }
    }

    /// `GET /1.1/account/verify_credentials.json?{params}` signed by `sign`.
    pub async fn verify(&self, sign: &Sign<'_>, params: &[(&str, &str)]) -> Reply {
        let url = self.x("/1.1/account/verify_credentials.json");
        let header = sign.header("GET", &url, params);
        self.verify_with(header, params).await
    }

    pub async fn verify_with(&self, header: String, params: &[(&str, &str)]) -> Reply {
        let url = self.x("/1.1/account/verify_credentials.json");
        let req = self
            .client
            .get(url)
            .query(params)
            .header("Authorization", header);
        reply(req.send().await.unwrap()).await
    }

    /// `POST /__sandbox/x/token?user=…` → (token, secret).
    pub async fn x_token(&self, user: &str) -> (String, String) {
        let r = self.post(&format!("/__sandbox/x/token?user={user}")).await;
        assert_eq!(r.status, 200, "{}", r.json);
        let s = |k: &str| r.json[k].as_str().unwrap().to_owned();
        (s("oauth_token"), s("oauth_token_secret"))
    }

    /// Leg 1: a request token for `callback`.
    pub async fn request_token(&self, callback: &str) -> Reply {
        let url = self.x("/oauth/request_token");
        let sign = Sign {
            callback: Some(callback),
            ..Sign::default()
        };
        self.x_post(
            "/oauth/request_token",
            Some(sign.header("POST", &url, &[])),
            &[],
        )
        .await
    }

    /// Leg 2: the authorize page, then its form posted as `user` with `action`; the response.
    pub async fn authorize(&self, token: &str, user: &str, action: &str) -> reqwest::Response {
        let page = self
            .get(&format!("/x/oauth/authorize?oauth_token={token}"))
            .await;
        assert_eq!(page.status, 200);
        let html = page.json.as_str().unwrap();
        assert!(html.contains(&format!("name=\"oauth_token\" value=\"{token}\"")));
        let fields = [("oauth_token", token), ("user", user), ("action", action)];
        let url = self.x("/oauth/authorize");
        self.client.post(url).form(&fields).send().await.unwrap()
    }

    /// Leg 3: exchanges the request token and verifier.
    pub async fn access_token(&self, token: (&str, &str), verifier: &str) -> Reply {
        let url = self.x("/oauth/access_token");
        let sign = Sign {
            token: Some(token),
            verifier: Some(verifier),
            ..Sign::default()
        };
        self.x_post(
            "/oauth/access_token",
            Some(sign.header("POST", &url, &[])),
            &[],
        )
        .await
    }
}

pub fn x_error(r: &Reply) -> (u16, i64) {
    (
        r.status.as_u16(),
        r.json["errors"][0]["code"].as_i64().unwrap_or_default(),
    )
}

pub fn str_of<'a>(r: &'a Reply, key: &str) -> &'a str {
    r.json[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {}", r.json))
}
