//! The OpenID Connect provider: discovery, pick-a-user, code + PKCE, RS256 id_token, userinfo,
//! introspection of the access token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::helpers::*;

const CLIENT: &str = "adboard-local";
const SECRET: &str = "adboard-local-secret";
const VERIFIER: &str = "a-long-enough-pkce-verifier-0123456789-abcdefghijklmnop";

fn challenge() -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()))
}

fn authorize_query(client: &str, redirect: &str) -> String {
    format!(
        "/oidc/authorize?response_type=code&client_id={client}&redirect_uri={}&scope=openid%20email%20profile&state=s1&nonce=n0nce&code_challenge={}&code_challenge_method=S256",
        urlencode(redirect),
        challenge()
    )
}

/// Runs the authorize page for `user`/`action`; returns the redirect Location.
async fn authorize(t: &TestSandbox, user: &str, action: &str) -> String {
    let page = t
        .client
        .get(t.url(&authorize_query(CLIENT, OIDC_REDIRECT)))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let form = [
        ("request", request_id(&html)),
        ("user", user.into()),
        ("action", action.into()),
    ];
    let resp = t
        .client
        .post(t.url("/oidc/authorize"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302);
    resp.headers()["location"].to_str().unwrap().to_owned()
}

async fn exchange_basic(t: &TestSandbox, code: &str, verifier: &str, secret: &str) -> Reply {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", OIDC_REDIRECT),
        ("code_verifier", verifier),
    ];
    reply(
        t.client
            .post(t.url("/oidc/token"))
            .basic_auth(CLIENT, Some(secret))
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn verify(t: &TestSandbox, id_token: &str) -> Value {
    let jwks: JwkSet = t
        .client
        .get(t.url("/oidc/jwks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let header = jsonwebtoken::decode_header(id_token).unwrap();
    assert_eq!(header.alg, Algorithm::RS256);
    let jwk = jwks
        .find(header.kid.as_deref().expect("kid"))
        .expect("kid in JWKS");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[CLIENT]);
    validation.set_issuer(&[format!("{}/oidc", t.base)]);
    jsonwebtoken::decode::<Value>(id_token, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
        .unwrap()
        .claims
}

#[tokio::test]
async fn discovery_names_the_issuer_and_every_endpoint() {
    let t = start().await;
    let d: Value = t
        .client
        .get(t.url("/oidc/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let iss = format!("{}/oidc", t.base);
    assert_eq!(d["issuer"], iss.as_str());
    assert_eq!(d["token_endpoint"], format!("{iss}/token"));
    assert_eq!(d["jwks_uri"], format!("{iss}/jwks"));
    assert_eq!(d["userinfo_endpoint"], format!("{iss}/userinfo"));
    assert_eq!(d["introspection_endpoint"], format!("{iss}/introspect"));
    assert_eq!(d["code_challenge_methods_supported"][0], "S256");
    assert_eq!(d["id_token_signing_alg_values_supported"][0], "RS256");
}

#[tokio::test]
async fn the_code_flow_with_pkce_yields_a_signed_id_token_with_the_nonce_and_userinfo() {
    let t = start().await;
    let location = authorize(&t, "alice", "continue").await;
    assert!(location.starts_with(OIDC_REDIRECT));
    assert_eq!(query_value(&location, "state").as_deref(), Some("s1"));
    assert_eq!(
        query_value(&location, "iss"),
        Some(format!("{}/oidc", t.base))
    );
    let code = query_value(&location, "code").unwrap();
    let r = exchange_basic(&t, &code, VERIFIER, SECRET).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["token_type"], "Bearer");
    let claims = verify(&t, r.json["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["nonce"], "n0nce");
    assert_eq!(claims["email"], "alice@sandbox.adboard.test");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["sub"], "248289761001");
    let access = r.json["access_token"].as_str().unwrap();
    let info: Value = t
        .client
        .get(t.url("/oidc/userinfo"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["sub"], "248289761001");
    assert_eq!(info["name"], "Alice Sandbox");
}

#[tokio::test]
async fn the_code_flows_access_token_introspects_as_active_for_its_client_user_and_scope() {
    let t = start().await;
    let location = authorize(&t, "alice", "continue").await;
    let code = query_value(&location, "code").unwrap();
    let r = exchange_basic(&t, &code, VERIFIER, SECRET).await;
    let access = r.json["access_token"].as_str().unwrap();

    let answer = introspect(&t, access, CLIENT, SECRET).await;
    assert_eq!(answer.status, 200, "{}", answer.json);
    assert_eq!(answer.header("cache-control").as_deref(), Some("no-store"));
    let j = &answer.json;
    assert_eq!(j["active"], true);
    assert_eq!(j["client_id"], CLIENT);
    assert_eq!(j["sub"], "248289761001");
    assert_eq!(j["scope"], "openid email profile");
    assert_eq!(j["iss"], format!("{}/oidc", t.base));
    assert_eq!(j["token_type"], "Bearer");
    let now = chrono::Utc::now().timestamp();
    assert!(j["exp"].as_i64().unwrap() > now && j["iat"].as_i64().unwrap() <= now);

    // Only a registered client with its secret may ask, and it must name a token.
    let wrong = introspect(&t, access, CLIENT, "wrong-secret").await;
    assert_eq!(
        (wrong.status.as_u16(), &wrong.json["error"]),
        (401, &Value::from("invalid_client"))
    );
    let anonymous = reply(
        t.client
            .post(t.url("/oidc/introspect"))
            .form(&[("token", access)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(anonymous.status, 401);
    let no_token = introspect(&t, "", CLIENT, SECRET).await;
    assert_eq!(
        (no_token.status.as_u16(), &no_token.json["error"]),
        (400, &Value::from("invalid_request"))
    );
}

#[tokio::test]
async fn client_secret_post_is_accepted() {
    let t = start().await;
    let code = query_value(&authorize(&t, "bob", "continue").await, "code").unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", OIDC_REDIRECT),
        ("code_verifier", VERIFIER),
        ("client_id", CLIENT),
        ("client_secret", SECRET),
    ];
    let r = reply(
        t.client
            .post(t.url("/oidc/token"))
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(
        verify(&t, r.json["id_token"].as_str().unwrap()).await["email"],
        "bob@sandbox.adboard.test"
    );
}

#[tokio::test]
async fn carols_email_is_not_verified() {
    let t = start().await;
    let code = query_value(&authorize(&t, "carol", "continue").await, "code").unwrap();
    let r = exchange_basic(&t, &code, VERIFIER, SECRET).await;
    assert_eq!(
        verify(&t, r.json["id_token"].as_str().unwrap()).await["email_verified"],
        false
    );
}

#[tokio::test]
async fn a_wrong_pkce_verifier_is_rejected_with_invalid_grant() {
    let t = start().await;
    let code = query_value(&authorize(&t, "alice", "continue").await, "code").unwrap();
    let r = exchange_basic(
        &t,
        &code,
        "another-verifier-another-verifier-another-verifier",
        SECRET,
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json["error"], "invalid_grant");
}

#[tokio::test]
async fn a_wrong_client_secret_is_rejected_with_invalid_client() {
    let t = start().await;
    let code = query_value(&authorize(&t, "alice", "continue").await, "code").unwrap();
    let r = exchange_basic(&t, &code, VERIFIER, "wrong").await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json["error"], "invalid_client");
}

#[tokio::test]
async fn a_replayed_oidc_code_is_rejected() {
    let t = start().await;
    let code = query_value(&authorize(&t, "alice", "continue").await, "code").unwrap();
    assert_eq!(
        exchange_basic(&t, &code, VERIFIER, SECRET).await.status,
        200
    );
    let again = exchange_basic(&t, &code, VERIFIER, SECRET).await;
    assert_eq!(again.json["error"], "invalid_grant");
}

#[tokio::test]
async fn cancel_redirects_with_access_denied() {
    let t = start().await;
    let location = authorize(&t, "alice", "cancel").await;
    assert_eq!(
        query_value(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_value(&location, "state").as_deref(), Some("s1"));
}

#[tokio::test]
async fn an_unregistered_client_or_redirect_uri_gets_an_error_page_not_a_redirect() {
    let t = start().await;
    for path in [
        authorize_query("stranger", OIDC_REDIRECT),
        authorize_query(CLIENT, &format!("{OIDC_REDIRECT}/")),
    ] {
        let resp = t.client.get(t.url(&path)).send().await.unwrap();
        assert_eq!(resp.status(), 400);
        assert!(resp.headers().get("location").is_none());
    }
}

#[tokio::test]
async fn a_plain_pkce_method_is_refused() {
    let t = start().await;
    let path = authorize_query(CLIENT, OIDC_REDIRECT).replace("S256", "plain");
    let resp = t.client.get(t.url(&path)).send().await.unwrap();
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        query_value(&location, "error").as_deref(),
        Some("invalid_request")
    );
}

#[tokio::test]
async fn userinfo_without_a_valid_token_is_unauthorized() {
    let t = start().await;
    let resp = t
        .client
        .get(t.url("/oidc/userinfo"))
        .bearer_auth("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
}
