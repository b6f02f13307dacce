//! id_tokens minted through the admin path: signed with the provider's key, for any audience,
//! optionally expired; checked against the JWKS the provider publishes. Access tokens minted
//! there: introspection and userinfo answer for them like for the code flow's.

use adboard_sandbox::{AccessTokenOptions, IdTokenOptions};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use crate::helpers::*;

const MOBILE: &str = "adboard-mobile-ios";

/// Decodes `id_token` against the sandbox's JWKS, requiring issuer and `aud`.
async fn decode(t: &TestSandbox, id_token: &str, aud: &str) -> jsonwebtoken::errors::Result<Value> {
    let jwks: JwkSet = serde_json::from_value(t.get("/oidc/jwks").await.json).unwrap();
    let header = jsonwebtoken::decode_header(id_token)?;
    assert_eq!(header.alg, Algorithm::RS256);
    let jwk = jwks
        .find(header.kid.as_deref().expect("kid"))
        .expect("kid in JWKS");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[aud]);
    validation.set_issuer(&[format!("{}/oidc", t.base)]);
    validation.leeway = 0;
    jsonwebtoken::decode::<Value>(id_token, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
        .map(|d| d.claims)
}

async fn mint(t: &TestSandbox, query: &str) -> Reply {
    t.post(&format!("/__sandbox/oidc/id_token?{query}")).await
}

#[tokio::test]
async fn an_id_token_for_another_audience_verifies_against_the_jwks_with_that_audience() {
    let t = start().await;
    let r = mint(&t, &format!("user=alice&aud={MOBILE}&nonce=n1")).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let token = r.json["id_token"].as_str().unwrap();

    let claims = decode(&t, token, MOBILE).await.unwrap();
    assert_eq!(claims["aud"], MOBILE);
    assert_eq!(claims["sub"], "248289761001");
    assert_eq!(claims["email"], "alice@sandbox.adboard.test");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["nonce"], "n1");
    let err = decode(&t, token, "adboard-local").await.unwrap_err();
    assert_eq!(*err.kind(), ErrorKind::InvalidAudience);
}

#[tokio::test]
async fn without_aud_the_token_is_for_the_configured_client() {
    let t = start().await;
    let token = mint(&t, "user=carol").await.json["id_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let claims = decode(&t, &token, "adboard-local").await.unwrap();
    assert_eq!(claims["email_verified"], false);
    assert!(claims.get("nonce").is_none());
}

#[tokio::test]
async fn an_expired_id_token_is_signed_correctly_but_refused_for_its_exp() {
    let t = start().await;
    let token = mint(&t, &format!("user=bob&aud={MOBILE}&expired=1"))
        .await
        .json["id_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let err = decode(&t, &token, MOBILE).await.unwrap_err();
    assert_eq!(*err.kind(), ErrorKind::ExpiredSignature);
    let mut lax = Validation::new(Algorithm::RS256);
    lax.validate_exp = false;
    lax.set_audience(&[MOBILE]);
    let jwks: JwkSet = serde_json::from_value(t.get("/oidc/jwks").await.json).unwrap();
    let key = DecodingKey::from_jwk(&jwks.keys[0]).unwrap();
    let claims = jsonwebtoken::decode::<Value>(&token, &key, &lax)
        .unwrap()
        .claims;
    assert!(claims["exp"].as_i64().unwrap() < chrono::Utc::now().timestamp());
}

#[tokio::test]
async fn the_rust_helper_mints_the_same_tokens_and_unknown_users_get_none() {
    let t = start().await;
    let options = IdTokenOptions {
        aud: Some(MOBILE.into()),
        ..IdTokenOptions::default()
    };
    let token = t.sandbox.id_token("alice", &options).unwrap();
    assert_eq!(decode(&t, &token, MOBILE).await.unwrap()["aud"], MOBILE);
    assert_eq!(t.sandbox.id_token("mallory", &options), None);
    assert_eq!(mint(&t, "user=mallory").await.status, 404);
    assert_eq!(mint(&t, "user=alice&aud=").await.status, 400);
}

async fn userinfo(t: &TestSandbox, access_token: &str) -> Reply {
    reply(
        t.client
            .get(t.url("/oidc/userinfo"))
            .bearer_auth(access_token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn an_access_token_for_another_client_introspects_with_that_client_and_answers_userinfo() {
    let t = start().await;
    let minted = t
        .post(&format!(
            "/__sandbox/oidc/access_token?user=bob&aud={MOBILE}"
        ))
        .await;
    assert_eq!(minted.status, 200, "{}", minted.json);
    assert_eq!(minted.json["token_type"], "Bearer");
    let token = minted.json["access_token"].as_str().unwrap();

    let answer = introspect(&t, token, "adboard-local", "adboard-local-secret").await;
    assert_eq!(answer.json["active"], true, "{}", answer.json);
    assert_eq!(answer.json["client_id"], MOBILE);
    assert_eq!(answer.json["aud"], MOBILE);
    assert_eq!(answer.json["sub"], "248289761002");
    let info = userinfo(&t, token).await;
    assert_eq!(info.status, 200);
    assert_eq!(info.json["sub"], "248289761002");
    assert_eq!(info.json["email_verified"], true);
}

#[tokio::test]
async fn expired_and_unknown_access_tokens_are_inactive_and_userinfo_refuses_them() {
    let t = start().await;
    let expired = t
        .sandbox
        .access_token(
            "alice",
            &AccessTokenOptions {
                expired: true,
                ..AccessTokenOptions::default()
            },
        )
        .unwrap();
    let fresh = t
        .sandbox
        .access_token("carol", &AccessTokenOptions::default())
        .unwrap();
    for token in [expired.as_str(), "made-up-token"] {
        let answer = introspect(&t, token, "adboard-local", "adboard-local-secret").await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.json, serde_json::json!({"active": false}), "{token}");
        assert_eq!(userinfo(&t, token).await.status, 401);
    }
    // Without `aud` the token is for the configured client; Carol's email is not verified.
    let answer = introspect(&t, &fresh, "adboard-local", "adboard-local-secret").await;
    assert_eq!(answer.json["client_id"], "adboard-local");
    assert_eq!(userinfo(&t, &fresh).await.json["email_verified"], false);
    assert_eq!(
        t.sandbox
            .access_token("mallory", &AccessTokenOptions::default()),
        None
    );
    assert_eq!(
        t.post("/__sandbox/oidc/access_token?user=mallory")
            .await
            .status,
        404
    );
    assert_eq!(
        t.post("/__sandbox/oidc/access_token?user=alice&aud=")
            .await
            .status,
        400
    );
}
