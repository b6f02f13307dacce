//! The JSON API for smartphone apps and Facebook's platform callbacks, against real servers: the
//! sandbox plays Facebook (Graph API, `debug_token`), the OpenID provider (id_tokens, JWKS, access
//! token introspection and userinfo) and X (OAuth 1.0a `verify_credentials`, checking our
//! HMAC-SHA1 signature itself).

mod access_token;
mod auth;
mod callbacks;
mod mobile_client;
mod openapi;
mod tokens;

use std::sync::Arc;

use adboard_domain::account::{EmailAddress, IdentityKey, Provider, UserId, UserName};
use adboard_domain::connector::Platform;
use adboard_domain::team::{TeamId, TeamName};
use adboard_sandbox::{AccessTokenOptions, IdTokenOptions, RunningSandbox, SandboxConfig};
use adboard_store::{
    Connector, ConnectorHealth, Identity, NewUser, Store, TokenKeyring, connector_context,
};
use base64::Engine as _;
use chrono::{Duration, Utc};
use hmac::{Hmac, Mac as _};
use reqwest::Response;
use secrecy::SecretString;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{
    Backend, SESSION_KEY_HEX, TOKEN_KEY_B64, TestApp, fresh_dynamodb_store_url, spawn_app,
};

/// The sandbox's default Facebook app, which the app under test is configured as.
pub const APP_ID: &str = "sandbox-app";
pub const APP_SECRET: &str = "sandbox-secret";
/// The client id of "our iPhone app", allowed as an id_token audience besides the web client's.
pub const IOS_CLIENT_ID: &str = "adboard-ios";

/// Alice's and Bob's Facebook ids in the sandbox.
pub const ALICE_FB: &str = "100000000000001";
pub const BOB_FB: &str = "100000000000002";

/// An app configured with real providers that all point at one sandbox, and its store.
pub struct ApiWorld {
    pub sandbox: RunningSandbox,
    pub app: TestApp,
    pub store: Arc<dyn Store>,
    pub keyring: TokenKeyring,
    pub http: reqwest::Client,
}

impl ApiWorld {
    pub async fn new(backend: Backend) -> Self {
        Self::with(backend, &[]).await
    }

    pub async fn with(backend: Backend, extra: &[(&str, &str)]) -> Self {
        // The app's address is chosen first, so the sandbox can know its sign-in callbacks.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let bind = format!("127.0.0.1:{port}");
        let config = SandboxConfig::default()
            .with_facebook_redirect(format!("http://{bind}/login/facebook/callback"))
            .with_oidc_redirect(format!("http://{bind}/login/oidc/callback"));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let sandbox = adboard_sandbox::spawn(listener, config).await.unwrap();
        let (x_key, x_secret) = sandbox.x_consumer();
        let x_url = sandbox.x_url();
        let store_url = match backend {
            Backend::Sqlite => None,
            Backend::DynamoDb => Some(fresh_dynamodb_store_url().await),
        };
        let mut vars: Vec<(&str, &str)> = vec![
            ("BIND_ADDR", &bind),
            ("FACEBOOK_APP_ID", APP_ID),
            ("FACEBOOK_APP_SECRET", APP_SECRET),
            ("FACEBOOK_DIALOG_URL", &sandbox.base_url),
            ("FACEBOOK_GRAPH_URL", &sandbox.base_url),
            ("OIDC_ISSUER_URL", &sandbox.oidc_issuer),
            ("OIDC_CLIENT_ID", "adboard-local"),
            ("OIDC_CLIENT_SECRET", "adboard-local-secret"),
            ("OIDC_API_AUDIENCES", IOS_CLIENT_ID),
            ("TWITTER_CONSUMER_KEY", x_key),
            ("TWITTER_CONSUMER_SECRET", x_secret),
            ("TWITTER_API_URL", &x_url),
            ("SESSION_KEY", SESSION_KEY_HEX),
            ("TOKEN_ENCRYPTION_KEY", TOKEN_KEY_B64),
        ];
        if let Some(url) = &store_url {
            vars.push(("STORE_URL", url));
        }
        vars.extend_from_slice(extra);
        let app = spawn_app(&vars, None).await;
        let store = adboard_store::open(&app.store_url).await.unwrap();
        let keyring = TokenKeyring::from_base64(&SecretString::from(TOKEN_KEY_B64), &[]).unwrap();
        Self {
            sandbox,
            app,
            store,
            keyring,
            http: reqwest::Client::new(),
        }
    }

    /// A user who once signed in on the web with Facebook as the sandbox user with `facebook_id`.
    pub async fn seed_facebook_user(&self, name: &str, facebook_id: &str) -> UserId {
        let email = EmailAddress::parse(&format!("{}@example.test", name.to_lowercase())).unwrap();
        self.store
            .create_user_with_identity(
                NewUser {
                    name: UserName::parse(name).unwrap(),
                    email: Some(email.clone()),
                },
                Identity {
                    key: facebook_key(facebook_id),
                    email: Some(email),
                    linked_at: Utc::now(),
                },
            )
            .await
            .unwrap()
            .id
    }

    /// A team owned by `owner` whose Facebook connector was granted by the Facebook user
    /// `granted_by`.
    pub async fn seed_connected_team(&self, owner: UserId, granted_by: &str) -> TeamId {
        let team = self
            .store
            .create_team(owner, TeamName::parse("Acme Shoes").unwrap())
            .await
            .unwrap()
            .id;
        let token = self
            .keyring
            .seal(
                &SecretString::from(format!("token-of-{granted_by}")),
                &connector_context(team, Platform::Facebook),
            )
            .unwrap();
        let now = Utc::now();
        self.store
            .put_connector(Connector {
                team,
                platform: Platform::Facebook,
                token,
                external_user_id: granted_by.into(),
                external_user_name: "Someone".into(),
                scopes: vec!["ads_read".into()],
                expires_at: Some(now + Duration::days(60)),
                data_access_expires_at: None,
                connected_by: owner,
                connected_at: now,
                account: None,
                health: ConnectorHealth::default(),
            })
            .await
            .unwrap();
        team
    }

    /// A Facebook user token minted by the sandbox for our app.
    pub fn facebook_token(&self, handle: &str) -> String {
        self.sandbox.user_token(handle).unwrap()
    }

    /// An X access token and secret for `handle`, issued to our consumer.
    pub fn x_token(&self, handle: &str) -> (String, String) {
        self.sandbox.x_token(handle).unwrap()
    }

    /// An id_token from the sandbox's OpenID provider for `handle`, for `audience` (default: the
    /// web client id), expired one hour ago if `expired`.
    pub fn id_token(&self, handle: &str, audience: Option<&str>, expired: bool) -> String {
        let options = IdTokenOptions {
            aud: audience.map(str::to_owned),
            expired,
            ..IdTokenOptions::default()
        };
        self.sandbox.id_token(handle, &options).unwrap()
    }

    /// An access token from the sandbox's OpenID provider for `handle`, issued to `client`
    /// (default: the web client), expired one hour ago if `expired`.
    pub fn access_token(&self, handle: &str, client: Option<&str>, expired: bool) -> String {
        let options = AccessTokenOptions {
            aud: client.map(str::to_owned),
            expired,
        };
        self.sandbox.access_token(handle, &options).unwrap()
    }

    pub async fn post(&self, path: &str, bearer: Option<&str>, body: &Value) -> Response {
        let mut request = self.http.post(format!("{}{path}", self.app.url)).json(body);
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    pub async fn get(&self, path: &str, bearer: Option<&str>) -> Response {
        let mut request = self.http.get(format!("{}{path}", self.app.url));
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// Signs in at `/api/auth/facebook` with a fresh token for `handle`; returns our API token.
    pub async fn api_token(&self, handle: &str) -> String {
        let response = self
            .post(
                "/api/auth/facebook",
                None,
                &json!({"access_token": self.facebook_token(handle)}),
            )
            .await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// Signs the world's browser in on the web with `provider` (`facebook` or `oidc`) as the
    /// sandbox user `handle`; returns the callback's response.
    pub async fn sign_in_browser(&self, provider: &str, handle: &str) -> Response {
        let provider_url = self.app.start_login(provider, None).await;
        assert!(
            provider_url.starts_with(&self.sandbox.base_url),
            "{provider_url}"
        );
        let callback = crate::sandbox::pick_at_sandbox(&provider_url, handle, "continue").await;
        self.app.follow(&callback).await
    }

    /// Posts a `signed_request` form to one of Facebook's callbacks.
    pub async fn callback(&self, path: &str, signed_request: &str) -> Response {
        self.http
            .post(format!("{}{path}", self.app.url))
            .form(&[("signed_request", signed_request)])
            .send()
            .await
            .unwrap()
    }
}

pub fn facebook_key(facebook_id: &str) -> IdentityKey {
    IdentityKey {
        provider: Provider::Facebook,
        issuer: APP_ID.into(),
        subject: facebook_id.into(),
    }
}

/// A `signed_request` as Facebook makes one: base64url(HMAC-SHA256(secret, payload)).payload.
pub fn signed_request(payload: &Value, secret: &str) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = b64.encode(payload.to_string());
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(payload.as_bytes());
    format!("{}.{payload}", b64.encode(mac.finalize().into_bytes()))
}

/// Facebook's payload for `user_id`, issued now.
pub fn fresh_payload(user_id: &str) -> Value {
    json!({"algorithm": "HMAC-SHA256", "issued_at": Utc::now().timestamp(), "user_id": user_id})
}

/// The `{"error": {"code"}}` of an API answer, after checking it is JSON.
pub async fn error_code(response: Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "JSON error, got {content_type}"
    );
    let text = response.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    let code = body["error"]["code"].as_str().unwrap().to_owned();
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    (status, code, text)
}
