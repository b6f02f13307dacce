//! Sessions: sign-out only by POST with CSRF, a tampered cookie means signed out (never a 500),
//! cookie attributes, and the shared pages.

use reqwest::StatusCode;

use crate::helpers::{csrf_from, location};
use crate::mock_oidc::{sign_in_as, spawn_app_with_mock};

#[tokio::test]
async fn logout_by_get_is_refused_and_keeps_the_user_signed_in() {
    let (app, mock) = spawn_app_with_mock(None).await;
    sign_in_as(&app, &mock, "ann", None).await;
    let response = app.get("/logout").await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(app.is_signed_in().await);
}

#[tokio::test]
async fn logout_without_the_csrf_token_is_refused() {
    let (app, mock) = spawn_app_with_mock(None).await;
    sign_in_as(&app, &mock, "ann", None).await;
    assert_eq!(app.post_logout(None).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.post_logout(Some("guess")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert!(app.is_signed_in().await);
}

#[tokio::test]
async fn logout_with_the_csrf_token_signs_out_and_removes_the_cookie() {
    let (app, mock) = spawn_app_with_mock(None).await;
    sign_in_as(&app, &mock, "ann", None).await;
    let csrf = app.csrf().await;
    let response = app.post_logout(Some(&csrf)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/?signed_out=1");
    let removal = response
        .headers()
        .get("set-cookie")
        .expect("cookie removed")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        removal.starts_with("adboard_session=;") || removal.contains("Max-Age=0"),
        "{removal}"
    );
    assert!(!app.is_signed_in().await);
}

#[tokio::test]
async fn a_tampered_session_cookie_means_signed_out_without_a_500() {
    let (app, mock) = spawn_app_with_mock(None).await;
    sign_in_as(&app, &mock, "ann", None).await;
    let cookie = app.cookies();
    let value = cookie.split_once('=').unwrap().1.to_owned();
    let mut bytes = value.into_bytes();
    let middle = bytes.len() / 2;
    bytes[middle] = if bytes[middle] == b'A' { b'B' } else { b'A' };
    app.set_cookie(&format!(
        "adboard_session={}",
        String::from_utf8(bytes).unwrap()
    ));
    assert!(!app.is_signed_in().await);
    assert_eq!(app.get("/").await.status(), StatusCode::OK);
    app.set_cookie("adboard_session=garbage%%%");
    assert_eq!(app.get("/").await.status(), StatusCode::OK);
    assert!(!app.is_signed_in().await);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_lax_and_renewed_at_sign_in() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let first = app.get("/").await;
    let before = first
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        before.contains("HttpOnly") && before.contains("SameSite=Lax"),
        "{before}"
    );
    let csrf_before = csrf_from(&first.text().await.unwrap());
    let callback = sign_in_as(&app, &mock, "ann", None).await;
    let after = callback
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        after.contains("HttpOnly") && after.contains("SameSite=Lax"),
        "{after}"
    );
    assert_ne!(
        app.csrf().await,
        csrf_before,
        "the CSRF token is renewed at sign-in"
    );
}

#[tokio::test]
async fn an_unknown_page_gets_the_404_page() {
    let (app, _mock) = spawn_app_with_mock(None).await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.text().await.unwrap();
    assert!(body.contains("Page not found") && body.contains("<nav"));
}

#[tokio::test]
async fn the_navbar_links_every_section_and_the_stylesheet_is_served_locally() {
    let (app, mock) = spawn_app_with_mock(None).await;
    sign_in_as(&app, &mock, "ann", None).await;
    let body = app.get("/").await.text().await.unwrap();
    for link in [
        "/teams",
        "/dashboard",
        "/profile",
        "/logout",
        "/static/adboard.css",
    ] {
        assert!(body.contains(link), "navbar misses {link}");
    }
    assert!(
        !body.contains("href=\"/connectors\""),
        "Connectors is offered only to the owner of the selected team"
    );
    assert!(body.contains("Sign out"));
    let css = app.get("/static/adboard.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(app.get("/teams").await.status(), StatusCode::OK);
    let connectors = app.get("/connectors").await;
    assert_eq!(
        connectors.status(),
        StatusCode::SEE_OTHER,
        "no team selected"
    );
    assert_eq!(location(&connectors), "/teams");
    let dashboard = app.get("/dashboard").await;
    assert_eq!(
        dashboard.status(),
        StatusCode::SEE_OTHER,
        "no team selected yet"
    );
    assert_eq!(location(&dashboard), "/teams");
}

#[tokio::test]
async fn a_session_for_a_user_the_store_does_not_have_is_signed_out_on_every_page_behind_login() {
    // Two apps with the same session key but their own stores: Ann exists only in the first.
    let (first, mock) = spawn_app_with_mock(None).await;
    let (second, _) = spawn_app_with_mock(None).await;
    let response = sign_in_as(&first, &mock, "ann", None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(first.is_signed_in().await, "signed in at the first app");
    let stranger = first.cookies();

    for path in ["/teams", "/profile", "/teams/new"] {
        second.set_cookie(&stranger);
        let response = second.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "GET {path}");
        assert_eq!(
            location(&response),
            format!("/login?next={}", path.replace('/', "%2F")),
            "GET {path}"
        );
    }
    assert!(
        !second.is_signed_in().await,
        "the second app signed the stranger out"
    );
}
