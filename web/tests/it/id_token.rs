//! Every id_token check, each with a token the mock provider gets wrong on purpose.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::query_param;
use crate::mock_oidc::{MockOidc, Signer, spawn_app_with_mock};

/// Starts a sign-in, lets `tamper` change the otherwise valid claims, and completes the callback.
async fn sign_in_with(
    tamper: impl FnOnce(&mut serde_json::Value, &MockOidc),
) -> (reqwest::Response, bool) {
    let (app, mock) = spawn_app_with_mock(None).await;
    let authorize = app.start_login("oidc", None).await;
    let mut claims = mock.good_claims(&authorize, "ann");
    tamper(&mut claims, &mock);
    mock.answer_with(claims);
    let state = query_param(&authorize, "state").unwrap();
    let response = app
        .get_callback("oidc", &[("code", "mock-code"), ("state", &state)])
        .await;
    let signed_in = app.is_signed_in().await;
    (response, signed_in)
}

async fn assert_rejected(
    tamper: impl FnOnce(&mut serde_json::Value, &MockOidc),
    expected_text: &str,
) {
    let (response, signed_in) = sign_in_with(tamper).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = response.text().await.unwrap();
    assert!(
        body.contains(expected_text),
        "expected {expected_text:?} in {body}"
    );
    assert!(!signed_in);
}

#[tokio::test]
async fn an_id_token_from_the_wrong_issuer_is_refused() {
    assert_rejected(
        |c, _| c["iss"] = json!("http://127.0.0.1:1/evil"),
        "unexpected issuer",
    )
    .await;
}

#[tokio::test]
async fn an_id_token_for_another_audience_is_refused() {
    assert_rejected(
        |c, _| c["aud"] = json!("someone-elses-client"),
        "another application",
    )
    .await;
}

#[tokio::test]
async fn an_id_token_with_a_bad_signature_is_refused() {
    assert_rejected(|_, mock| mock.sign_with(Signer::KeyBAsA), "signature").await;
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    assert_rejected(
        |c, _| {
            let past = chrono::Utc::now().timestamp() - 3600;
            c["iat"] = json!(past - 300);
            c["exp"] = json!(past);
        },
        "expired",
    )
    .await;
}

#[tokio::test]
async fn an_id_token_with_the_wrong_nonce_is_refused() {
    assert_rejected(
        |c, _| c["nonce"] = json!("not-the-nonce"),
        "does not belong",
    )
    .await;
}

#[tokio::test]
async fn an_unverified_email_gets_a_400_page_explaining_why() {
    assert_rejected(
        |c, _| c["email_verified"] = json!(false),
        "no verified email",
    )
    .await;
}

#[tokio::test]
async fn a_missing_email_verified_claim_counts_as_unverified() {
    assert_rejected(
        |c, _| {
            c.as_object_mut().unwrap().remove("email_verified");
        },
        "no verified email",
    )
    .await;
}

#[tokio::test]
async fn a_token_signed_with_a_new_key_is_accepted_after_refreshing_the_keys() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let authorize = app.start_login("oidc", None).await; // discovery: only key A is published
    mock.rotate_keys().await;
    mock.sign_with(Signer::KeyB);
    mock.answer_with(mock.good_claims(&authorize, "ann"));
    let state = query_param(&authorize, "state").unwrap();
    let response = app
        .get_callback("oidc", &[("code", "mock-code"), ("state", &state)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(app.is_signed_in().await);
}
