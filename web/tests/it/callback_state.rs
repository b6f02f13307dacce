//! The callback refuses every answer that does not belong to this browser's one pending sign-in.

use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::{location, query_param};
use crate::mock_oidc::{sign_in_as, spawn_app_with_mock};

/// Asserts a friendly 400 page that leaks neither the code nor the state.
async fn assert_refused(response: reqwest::Response, secrets: &[&str]) -> String {
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = response.text().await.unwrap();
    assert!(body.contains("<html"), "an HTML error page");
    for secret in secrets {
        assert!(
            !body.contains(secret),
            "the error page must not echo {secret:?}"
        );
    }
    body
}

#[tokio::test]
async fn a_valid_callback_signs_the_user_in_and_returns_to_next() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let response = sign_in_as(&app, &mock, "ann", Some("/dashboard")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/dashboard");
    assert!(app.is_signed_in().await);
}

#[tokio::test]
async fn a_callback_with_no_state_is_refused() {
    let (app, _mock) = spawn_app_with_mock(None).await;
    app.start_login("oidc", None).await;
    let response = app.get_callback("oidc", &[("code", "mock-code")]).await;
    assert_refused(response, &["mock-code"]).await;
    assert!(!app.is_signed_in().await);
}

#[tokio::test]
async fn a_callback_with_a_forged_state_is_refused() {
    let (app, _mock) = spawn_app_with_mock(None).await;
    app.start_login("oidc", None).await;
    let response = app
        .get_callback(
            "oidc",
            &[("code", "mock-code"), ("state", "forged-state-value")],
        )
        .await;
    assert_refused(response, &["forged-state-value", "mock-code"]).await;
    assert!(!app.is_signed_in().await);
}

#[tokio::test]
async fn a_callback_without_a_sign_in_in_progress_is_refused() {
    let (app, _mock) = spawn_app_with_mock(None).await;
    let response = app
        .get_callback("oidc", &[("code", "c"), ("state", "s")])
        .await;
    assert_refused(response, &[]).await;
}

#[tokio::test]
async fn a_state_from_another_browser_session_is_refused() {
    let (victim, mock) = spawn_app_with_mock(None).await;
    let attacker = victim.other_browser();
    let attacker_url = attacker.start_login("oidc", None).await;
    mock.answer_with(mock.good_claims(&attacker_url, "mallory"));
    let attacker_state = query_param(&attacker_url, "state").unwrap();
    victim.start_login("oidc", None).await;
    let response = victim
        .get_callback("oidc", &[("code", "mock-code"), ("state", &attacker_state)])
        .await;
    assert_refused(response, &[&attacker_state]).await;
    assert!(!victim.is_signed_in().await);
}

#[tokio::test]
async fn a_replayed_state_and_code_are_refused_even_with_the_old_cookie() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let authorize = app.start_login("oidc", None).await;
    mock.answer_with(mock.good_claims(&authorize, "ann"));
    let state = query_param(&authorize, "state").unwrap();
    let cookie_before_callback = app.cookies();
    let first = app
        .get_callback("oidc", &[("code", "mock-code"), ("state", &state)])
        .await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);

    // The same answer again, in the signed-in session…
    let again = app
        .get_callback("oidc", &[("code", "mock-code"), ("state", &state)])
        .await;
    assert_refused(again, &[&state]).await;

    // …and replayed together with the cookie as it was before the first callback.
    let replayer = app.other_browser();
    replayer.set_cookie(&cookie_before_callback);
    let replay = replayer
        .get_callback("oidc", &[("code", "mock-code"), ("state", &state)])
        .await;
    assert_refused(replay, &[&state]).await;
    assert!(!replayer.is_signed_in().await);
}

#[tokio::test]
async fn an_expired_state_is_refused() {
    let (app, mock) = spawn_app_with_mock(Some(Duration::from_secs(1))).await;
    let authorize = app.start_login("oidc", None).await;
    mock.answer_with(mock.good_claims(&authorize, "ann"));
    let state = query_param(&authorize, "state").unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let response = app
        .get_callback("oidc", &[("code", "mock-code"), ("state", &state)])
        .await;
    let body = assert_refused(response, &[&state]).await;
    assert!(body.contains("expired"));
    assert!(!app.is_signed_in().await);
}

#[tokio::test]
async fn access_denied_at_the_provider_shows_a_friendly_page_with_the_reason() {
    let (app, _mock) = spawn_app_with_mock(None).await;
    let authorize = app.start_login("oidc", None).await;
    let state = query_param(&authorize, "state").unwrap();
    let response = app
        .get_callback(
            "oidc",
            &[
                ("error", "access_denied"),
                ("error_description", "<script>alert(1)</script>"),
                ("state", &state),
            ],
        )
        .await;
    let body = assert_refused(response, &[&state, "<script>alert(1)</script>"]).await;
    assert!(body.contains("You cancelled the sign-in"), "{body}");
    assert!(!app.is_signed_in().await);
}

#[tokio::test]
async fn a_state_started_for_one_provider_is_refused_at_another_providers_callback() {
    let (app, _mock) = spawn_app_with_mock(None).await;
    let authorize = app.start_login("oidc", None).await;
    let state = query_param(&authorize, "state").unwrap();
    // Not configured here: 404, not a sign-in.
    let response = app
        .get_callback("facebook", &[("code", "c"), ("state", &state)])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app
        .get_callback("myspace", &[("code", "c"), ("state", &state)])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn starting_a_sign_in_without_the_csrf_token_is_refused() {
    let (app, _mock) = spawn_app_with_mock(None).await;
    app.csrf().await;
    let response = app.post_login("oidc", None, None).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = app.post_login("oidc", Some("wrong-token"), None).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_authorize_url_carries_state_nonce_and_an_s256_pkce_challenge() {
    let (app, _mock) = spawn_app_with_mock(None).await;
    let authorize = app.start_login("oidc", None).await;
    assert_eq!(
        query_param(&authorize, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert!(query_param(&authorize, "code_challenge").is_some_and(|c| c.len() >= 43));
    assert!(query_param(&authorize, "state").is_some_and(|s| s.len() >= 16));
    assert!(query_param(&authorize, "nonce").is_some_and(|n| n.len() >= 16));
    assert_eq!(
        query_param(&authorize, "response_type").as_deref(),
        Some("code")
    );
}
