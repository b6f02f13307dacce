//! After sign-in the app returns only to same-origin relative paths; pages behind login send
//! signed-out visitors to `/login?next=…`.

use reqwest::StatusCode;

use crate::helpers::location;
use crate::mock_oidc::{sign_in_as, spawn_app_with_mock};

const OPEN_REDIRECT_TRICKS: &[&str] = &[
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
    "/%09/evil.example",
    "///evil.example",
    "\\\\evil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "http:evil.example",
    "//evil.example/%2e%2e",
    " //evil.example",
    "/\t/evil.example",
    "/..//evil.example",
    "/@evil.example",
    "data:text/html,hi",
    "/\u{ff0f}\u{ff0f}evil.example",
    "/%252F%252Fevil.example",
    "evil.example",
];

#[tokio::test]
async fn every_open_redirect_trick_in_next_lands_on_the_home_page() {
    let (app, mock) = spawn_app_with_mock(None).await;
    for trick in OPEN_REDIRECT_TRICKS {
        let browser = app.other_browser();
        let response = sign_in_as(&browser, &mock, "ann", Some(trick)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{trick:?}");
        assert_eq!(location(&response), "/", "next={trick:?} must land on /");
    }
}

#[tokio::test]
async fn the_login_page_never_puts_a_foreign_next_into_its_forms() {
    let (app, _mock) = spawn_app_with_mock(None).await;
    let body = app
        .get_login(Some("//evil.example"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        body.contains(r#"name="next" value="&#x2F;""#),
        "tera escapes / in attributes"
    );
    assert!(!body.contains("evil.example"));
}

#[tokio::test]
async fn a_page_behind_login_redirects_to_the_login_page_and_back_after_sign_in() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let response = app.get("/teams?tab=mine").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let login = location(&response);
    assert_eq!(login, "/login?next=%2Fteams%3Ftab%3Dmine");

    let page = app.get(&login).await.text().await.unwrap();
    assert!(
        page.contains(r#"name="next" value="&#x2F;teams?tab=mine""#),
        "{page}"
    );
    let callback = sign_in_as(&app, &mock, "ann", Some("/teams?tab=mine")).await;
    assert_eq!(location(&callback), "/teams?tab=mine");
    assert_eq!(app.get("/teams?tab=mine").await.status(), StatusCode::OK);
}
