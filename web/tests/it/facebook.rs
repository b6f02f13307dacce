//! The one Facebook edge case the sandbox cannot produce: a code exchange that yields a token
//! issued to ANOTHER app. `debug_token` must catch it (wiremock stands in for the Graph API).

use reqwest::StatusCode;
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path, query_param as has_query};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{SESSION_KEY_HEX, query_param, spawn_app};

#[tokio::test]
async fn a_facebook_token_issued_to_another_app_is_refused() {
    let graph = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v26.0/oauth/access_token"))
        .and(body_string_contains("client_id=our-app"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "EAAB-someone-elses-token", "token_type": "bearer", "expires_in": 5183944
        })))
        .expect(1)
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/v26.0/debug_token"))
        .and(has_query("input_token", "EAAB-someone-elses-token"))
        .and(header("authorization", "Bearer our-app|our-app-secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {
            "app_id": "someone-elses-app", "type": "USER", "is_valid": true,
            "user_id": "10215241773831025", "scopes": ["public_profile"]
        }})))
        .expect(1)
        .mount(&graph)
        .await;
    Mock::given(path("/v26.0/me"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&graph)
        .await;
    let uri = graph.uri();
    let app = spawn_app(
        &[
            ("FACEBOOK_APP_ID", "our-app"),
            ("FACEBOOK_APP_SECRET", "our-app-secret"),
            ("FACEBOOK_DIALOG_URL", &uri),
            ("FACEBOOK_GRAPH_URL", &uri),
            ("SESSION_KEY", SESSION_KEY_HEX),
        ],
        None,
    )
    .await;

    let dialog = app.start_login("facebook", None).await;
    assert!(dialog.starts_with(&format!("{uri}/v26.0/dialog/oauth?")));
    assert_eq!(
        query_param(&dialog, "client_id").as_deref(),
        Some("our-app")
    );
    let state = query_param(&dialog, "state").unwrap();
    let response = app
        .get_callback("facebook", &[("code", "fb-code"), ("state", &state)])
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = response.text().await.unwrap();
    assert!(body.contains("issued to another application"));
    for secret in [
        "our-app-secret",
        "EAAB-someone-elses-token",
        "fb-code",
        state.as_str(),
    ] {
        assert!(!body.contains(secret), "the page must not show {secret}");
    }
    assert!(!app.is_signed_in().await);
}
