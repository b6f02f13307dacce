//! Sandbox mode: with no configuration the in-process sandbox signs users in (OpenID Connect) and
//! stands in for Facebook Login; its user picker is driven like a browser would.

use reqwest::StatusCode;

use crate::helpers::{TestApp, browser, location, spawn_sandbox_app};

/// At the sandbox page `provider_url` (OIDC picker or Facebook dialog), picks `user` and presses
/// `action` (`continue` or `cancel`); returns where the sandbox sends the browser.
pub async fn pick_at_sandbox(provider_url: &str, user: &str, action: &str) -> String {
    let (client, _jar) = browser();
    let page = client.get(provider_url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "sandbox page {provider_url}");
    let html = page.text().await.unwrap();
    let marker = "name=\"request\" value=\"";
    let start = html.find(marker).expect("the sandbox form") + marker.len();
    let request = html[start..].split('"').next().unwrap().to_owned();
    let response = client
        .post(provider_url)
        .form(&[
            ("request", request.as_str()),
            ("user", user),
            ("action", action),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_redirection(),
        "sandbox answered {}",
        response.status()
    );
    location(&response)
}

/// Signs in with `provider` (`sandbox` or `facebook`) as `user`; returns the callback response.
pub async fn sign_in(
    app: &TestApp,
    provider: &str,
    user: &str,
    next: Option<&str>,
) -> reqwest::Response {
    let provider_url = app.start_login(provider, next).await;
    assert!(provider_url.starts_with(app.sandbox_url.as_deref().unwrap()));
    let callback = pick_at_sandbox(&provider_url, user, "continue").await;
    assert!(
        callback.starts_with(&format!("{}/login/{provider}/callback", app.url)),
        "{callback}"
    );
    app.follow(&callback).await
}

#[tokio::test]
async fn with_no_configuration_the_login_page_offers_the_sandbox_and_facebook() {
    let app = spawn_sandbox_app().await;
    assert!(app.sandbox_url.is_some());
    let page = app.get_login(None).await.text().await.unwrap();
    assert!(page.contains("Sign in with Sandbox"));
    assert!(page.contains("Sign in with Facebook"));
    assert!(!page.contains("Sign in with Google"));
}

#[tokio::test]
async fn alice_signs_in_with_the_sandbox_and_sees_her_profile() {
    let app = spawn_sandbox_app().await;
    let response = sign_in(&app, "sandbox", "alice", Some("/profile")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/profile");
    let page = app.get_profile().await.text().await.unwrap();
    assert!(page.contains("Alice Sandbox"));
    assert!(page.contains("alice@sandbox.adboard.test"));
}

#[tokio::test]
async fn carol_with_an_unverified_email_gets_a_400_page_explaining_why() {
    let app = spawn_sandbox_app().await;
    let response = sign_in(&app, "sandbox", "carol", None).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("no verified email"));
    assert!(!app.is_signed_in().await);
}

#[tokio::test]
async fn cancelling_at_the_sandbox_shows_the_access_denied_page() {
    let app = spawn_sandbox_app().await;
    let provider_url = app.start_login("sandbox", None).await;
    let callback = pick_at_sandbox(&provider_url, "alice", "cancel").await;
    let response = app.follow(&callback).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("You cancelled the sign-in")
    );
    assert!(!app.is_signed_in().await);
}

#[tokio::test]
async fn bob_signs_in_with_facebook_through_the_sandbox() {
    let app = spawn_sandbox_app().await;
    let response = sign_in(&app, "facebook", "bob", None).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap()
    );
    let page = app.get_profile().await.text().await.unwrap();
    assert!(page.contains("Bob Sandbox"));
    assert!(page.contains("Facebook"));
    // Facebook Login asks for `email`, and the (confirmed) address Facebook returns is kept as
    // the account's verified email, so invitations to it reach Bob like any other.
    assert!(
        page.contains("bob@sandbox.adboard.test"),
        "the Facebook email is the account's email"
    );
}

#[tokio::test]
async fn a_replayed_facebook_callback_is_refused() {
    let app = spawn_sandbox_app().await;
    let provider_url = app.start_login("facebook", None).await;
    let callback = pick_at_sandbox(&provider_url, "bob", "continue").await;
    let cookie = app.cookies();
    assert_eq!(app.follow(&callback).await.status(), StatusCode::SEE_OTHER);
    let replayer = app.other_browser();
    replayer.set_cookie(&cookie);
    assert_eq!(
        replayer.follow(&callback).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert!(!replayer.is_signed_in().await);
}

#[tokio::test]
async fn alice_links_facebook_but_not_bobs_facebook_which_gets_a_409_page() {
    let app = spawn_sandbox_app().await;
    let bob = app.other_browser();
    sign_in(&bob, "facebook", "bob", None).await;
    sign_in(&app, "sandbox", "alice", None).await;

    let csrf = app.csrf().await;
    let provider_url = location(&app.post_link("facebook", &csrf).await);
    let callback = pick_at_sandbox(&provider_url, "alice", "continue").await;
    let linked = app.follow(&callback).await;
    assert_eq!(location(&linked), "/profile");
    let page = app.get_profile().await.text().await.unwrap();
    assert!(
        page.contains("Facebook") && page.contains("Sandbox"),
        "{page}"
    );

    let csrf = app.csrf().await;
    let provider_url = location(&app.post_link("facebook", &csrf).await);
    let callback = pick_at_sandbox(&provider_url, "bob", "continue").await;
    let conflict = app.follow(&callback).await;
    assert_eq!(conflict.status(), StatusCode::CONFLICT);
}
