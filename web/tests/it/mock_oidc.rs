//! A local mock OpenID provider (wiremock + `jsonwebtoken` with test RSA keys) that hands out
//! id_tokens with whatever claims a test wants, including wrong ones.

use std::sync::{Arc, Mutex};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::helpers::{
    Backend, SESSION_KEY_HEX, TestApp, fresh_dynamodb_store_url, query_param, spawn_app,
};

pub const CLIENT_ID: &str = "adboard-client";
pub const CLIENT_SECRET: &str = "mock-client-secret";
const KEY_A: &str = include_str!("keys/test_rsa_a.pem");
const KEY_B: &str = include_str!("keys/test_rsa_b.pem");
const N_A: &str = include_str!("keys/test_rsa_a.n");
const N_B: &str = include_str!("keys/test_rsa_b.n");

/// Which key signs the next id_token, and under which `kid`.
#[derive(Debug, Clone, Copy)]
pub enum Signer {
    /// Key A, kid `a` (published from the start).
    KeyA,
    /// Key B, kid `b` (published only after `rotate_keys`).
    KeyB,
    /// Key B but claiming kid `a`: a bad signature.
    KeyBAsA,
}

#[derive(Debug)]
struct TokenResponder {
    claims: Arc<Mutex<Value>>,
    signer: Arc<Mutex<Signer>>,
}

impl Respond for TokenResponder {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let claims = self.claims.lock().unwrap().clone();
        let (pem, kid) = match *self.signer.lock().unwrap() {
            Signer::KeyA => (KEY_A, "a"),
            Signer::KeyB => (KEY_B, "b"),
            Signer::KeyBAsA => (KEY_B, "a"),
        };
        let header = Header {
            kid: Some(kid.into()),
            ..Header::new(Algorithm::RS256)
        };
        let id_token = jsonwebtoken::encode(
            &header,
            &claims,
            &EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap(),
        )
        .unwrap();
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "mock-access-token",
            "token_type": "Bearer",
            "expires_in": 3600,
            "id_token": id_token,
        }))
    }
}

fn jwk(kid: &str, n: &str) -> Value {
    json!({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": n.trim(), "e": "AQAB"})
}

/// The mock's discovery document; with `introspection`, also its userinfo and introspection
/// endpoints.
fn discovery(issuer: &str, introspection: bool) -> Value {
    let mut document = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    });
    if introspection {
        document["userinfo_endpoint"] = json!(format!("{issuer}/userinfo"));
        document["introspection_endpoint"] = json!(format!("{issuer}/introspect"));
    }
    document
}

/// The mock provider.
#[derive(Debug)]
pub struct MockOidc {
    pub server: MockServer,
    claims: Arc<Mutex<Value>>,
    signer: Arc<Mutex<Signer>>,
}

impl MockOidc {
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/.well-known/openid-configuration"))
            .respond_with(ResponseTemplate::new(200).set_body_json(discovery(&server.uri(), false)))
            .mount(&server)
            .await;
        // Only key A at first; `rotate_keys` adds key B.
        Mock::given(method("GET"))
            .and(path("/jwks"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"keys": [jwk("a", N_A)]})),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
        let claims = Arc::new(Mutex::new(json!({})));
        let signer = Arc::new(Mutex::new(Signer::KeyA));
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(TokenResponder {
                claims: claims.clone(),
                signer: signer.clone(),
            })
            .mount(&server)
            .await;
        Self {
            server,
            claims,
            signer,
        }
    }

    pub fn issuer(&self) -> String {
        self.server.uri()
    }

    /// From now on the JWKS publishes keys A and B.
    pub async fn rotate_keys(&self) {
        Mock::given(method("GET"))
            .and(path("/jwks"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"keys": [jwk("a", N_A), jwk("b", N_B)]})),
            )
            .mount(&self.server)
            .await;
    }

    pub fn sign_with(&self, signer: Signer) {
        *self.signer.lock().unwrap() = signer;
    }

    /// Valid claims for `subject` answering the sign-in whose authorize URL is `authorize_url`.
    pub fn good_claims(&self, authorize_url: &str, subject: &str) -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({
            "iss": self.issuer(),
            "aud": CLIENT_ID,
            "sub": subject,
            "iat": now,
            "exp": now + 300,
            "nonce": query_param(authorize_url, "nonce").expect("authorize URL has a nonce"),
            "email": format!("{subject}@example.test"),
            "email_verified": true,
            "name": format!("Test {subject}"),
        })
    }

    /// From now on discovery names an introspection and a userinfo endpoint, which answer
    /// `introspection` once and `userinfo` exactly `userinfo_calls` times (checked when the mock
    /// drops).
    pub async fn offer_introspection(
        &self,
        introspection: Value,
        userinfo: Value,
        userinfo_calls: u64,
    ) {
        Mock::given(method("GET"))
            .and(path("/.well-known/openid-configuration"))
            .respond_with(ResponseTemplate::new(200).set_body_json(discovery(&self.issuer(), true)))
            .with_priority(1)
            .mount(&self.server)
            .await;
        Mock::given(method("POST"))
            .and(path("/introspect"))
            .respond_with(ResponseTemplate::new(200).set_body_json(introspection))
            .expect(1)
            .mount(&self.server)
            .await;
        Mock::given(method("GET"))
            .and(path("/userinfo"))
            .respond_with(ResponseTemplate::new(200).set_body_json(userinfo))
            .expect(userinfo_calls)
            .mount(&self.server)
            .await;
    }

    /// The next token answer carries these claims.
    pub fn answer_with(&self, claims: Value) {
        *self.claims.lock().unwrap() = claims;
    }
}

/// The app configured with the mock as its only (generic OIDC) provider.
pub async fn spawn_app_with_mock(ttl: Option<std::time::Duration>) -> (TestApp, MockOidc) {
    spawn_app_with_mock_on(Backend::Sqlite, ttl).await
}

/// Same, keeping the app's data in `backend`.
pub async fn spawn_app_with_mock_on(
    backend: Backend,
    ttl: Option<std::time::Duration>,
) -> (TestApp, MockOidc) {
    spawn_app_with_mock_and(backend, ttl, &[]).await
}

/// Same, with `extra` environment variables (e.g. session lifetimes, another `STORE_URL`).
pub async fn spawn_app_with_mock_and(
    backend: Backend,
    ttl: Option<std::time::Duration>,
    extra: &[(&str, &str)],
) -> (TestApp, MockOidc) {
    let mock = MockOidc::start().await;
    let issuer = mock.issuer();
    let mut vars = vec![
        ("OIDC_ISSUER_URL", issuer),
        ("OIDC_CLIENT_ID", CLIENT_ID.to_owned()),
        ("OIDC_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
        ("SESSION_KEY", SESSION_KEY_HEX.to_owned()),
    ];
    if let Backend::DynamoDb = backend
        && !extra.iter().any(|(k, _)| *k == "STORE_URL")
    {
        vars.push(("STORE_URL", fresh_dynamodb_store_url().await));
    }
    vars.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = spawn_app(&vars, ttl).await;
    (app, mock)
}

/// Signs `app`'s browser in at the mock as `subject`; returns the callback response.
pub async fn sign_in_as(
    app: &TestApp,
    mock: &MockOidc,
    subject: &str,
    next: Option<&str>,
) -> reqwest::Response {
    let authorize = app.start_login("oidc", next).await;
    mock.answer_with(mock.good_claims(&authorize, subject));
    let state = query_param(&authorize, "state").unwrap();
    app.get_callback("oidc", &[("code", "mock-code"), ("state", &state)])
        .await
}
