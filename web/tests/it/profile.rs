//! The profile page: view, rename (escaped, CSRF-checked), linked providers, linking, 409.

use reqwest::StatusCode;

use crate::helpers::{location, query_param};
use crate::mock_oidc::{sign_in_as, spawn_app_with_mock};

#[tokio::test]
async fn the_first_sign_in_creates_the_user_and_the_next_finds_it() {
    let (app, mock) = spawn_app_with_mock(None).await;
    sign_in_as(&app, &mock, "ann", None).await;
    let csrf = app.csrf().await;
    assert_eq!(
        app.post_profile(Some(&csrf), "Ann Renamed").await.status(),
        StatusCode::SEE_OTHER
    );

    let again = app.other_browser();
    sign_in_as(&again, &mock, "ann", None).await;
    let page = again.get_profile().await.text().await.unwrap();
    assert!(page.contains("Ann Renamed"), "the same user is found again");
    assert!(page.contains("ann@example.test"));
}

#[tokio::test]
async fn renaming_requires_the_csrf_token_and_the_new_name_is_escaped() {
    let (app, mock) = spawn_app_with_mock(None).await;
    sign_in_as(&app, &mock, "ann", None).await;
    assert_eq!(
        app.post_profile(None, "Nope").await.status(),
        StatusCode::FORBIDDEN
    );
    let csrf = app.csrf().await;
    let response = app
        .post_profile(Some(&csrf), "<script>alert(1)</script>")
        .await;
    assert_eq!(location(&response), "/profile");
    let page = app.get_profile().await.text().await.unwrap();
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("&lt;script&gt;"));
    assert!(page.contains("Profile saved."));
}

#[tokio::test]
async fn an_empty_name_comes_back_beside_the_field_with_422() {
    let (app, mock) = spawn_app_with_mock(None).await;
    sign_in_as(&app, &mock, "ann", None).await;
    let csrf = app.csrf().await;
    let response = app.post_profile(Some(&csrf), "   ").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    crate::teams::form_errors::assert_field_error(&html, "name", "A name is 1 to 100 characters");
    assert!(html.contains(r#"value="   ""#), "the typed value is kept");
}

/// Starts linking `provider` from the profile page and answers as `subject`.
async fn link_as(
    app: &crate::helpers::TestApp,
    mock: &crate::mock_oidc::MockOidc,
    subject: &str,
) -> reqwest::Response {
    let csrf = app.csrf().await;
    let response = app.post_link("oidc", &csrf).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let authorize = location(&response);
    mock.answer_with(mock.good_claims(&authorize, subject));
    let state = query_param(&authorize, "state").unwrap();
    app.get_callback("oidc", &[("code", "mock-code"), ("state", &state)])
        .await
}

#[tokio::test]
async fn a_signed_in_user_can_link_another_identity_from_the_profile_page() {
    let (app, mock) = spawn_app_with_mock(None).await;
    sign_in_as(&app, &mock, "ann", None).await;
    let response = link_as(&app, &mock, "ann-work").await;
    assert_eq!(location(&response), "/profile");
    let page = app.get_profile().await.text().await.unwrap();
    assert!(page.contains("ann-work@example.test"), "{page}");
    assert!(page.contains("Sign-in method linked."));

    // Signing in with the linked identity finds the same user.
    let other = app.other_browser();
    sign_in_as(&other, &mock, "ann-work", None).await;
    assert!(
        other
            .get_profile()
            .await
            .text()
            .await
            .unwrap()
            .contains("ann@example.test")
    );
}

#[tokio::test]
async fn linking_an_identity_that_belongs_to_someone_else_gets_a_409_page() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let bob = app.other_browser();
    sign_in_as(&bob, &mock, "bob", None).await;
    sign_in_as(&app, &mock, "ann", None).await;
    let response = link_as(&app, &mock, "bob").await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("already linked to another")
    );
}

#[tokio::test]
async fn linking_requires_the_csrf_token_and_a_signed_in_user() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let response = app.post_link("oidc", "whatever").await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "signed out → login"
    );
    sign_in_as(&app, &mock, "ann", None).await;
    assert_eq!(
        app.post_link("oidc", "wrong").await.status(),
        StatusCode::FORBIDDEN
    );
}
