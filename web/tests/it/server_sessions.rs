//! Sessions the server can end: a cookie replayed after logout, past its absolute lifetime, or
//! after "end all other sessions" signs nobody in; the profile lists where you are signed in.

use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp, csrf_from};
use crate::mock_oidc::{MockOidc, sign_in_as, spawn_app_with_mock_and};
use crate::on_both_backends;

async fn signed_in_app(backend: Backend, extra: &[(&str, &str)]) -> (TestApp, MockOidc) {
    let (app, mock) = spawn_app_with_mock_and(backend, None, extra).await;
    let response = sign_in_as(&app, &mock, "ann", None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "ann signs in");
    (app, mock)
}

/// POSTs `form` plus this browser's CSRF token to `path`.
async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let csrf = app.csrf().await;
    let mut form = form.to_vec();
    form.push(("csrf_token", &csrf));
    app.client
        .post(format!("{}{path}", app.url))
        .form(&form)
        .send()
        .await
        .unwrap()
}

on_both_backends!(
    a_cookie_replayed_after_logout_signs_nobody_in,
    a_cookie_older_than_the_absolute_lifetime_signs_nobody_in,
    ending_all_other_sessions_signs_the_other_browsers_out,
);

async fn a_cookie_replayed_after_logout_signs_nobody_in(backend: Backend) {
    // Arrange: a copy of the signed-in cookie, taken before logout.
    let (app, _mock) = signed_in_app(backend, &[]).await;
    let copied = app.cookies();
    let csrf = app.csrf().await;

    // Act
    assert_eq!(
        app.post_logout(Some(&csrf)).await.status(),
        StatusCode::SEE_OTHER
    );
    let thief = app.other_browser();
    thief.set_cookie(&copied);

    // Assert: neither the profile nor a rename works with the copy.
    assert!(
        !thief.is_signed_in().await,
        "the copied cookie is signed out"
    );
    thief.set_cookie(&copied);
    let rename = post(&thief, "/profile", &[("name", "Mallory")]).await;
    assert_eq!(rename.status(), StatusCode::SEE_OTHER, "sent to sign in");
    assert!(crate::helpers::location(&rename).starts_with("/login"));
    thief.set_cookie(&copied);
    let page = thief.get("/profile").await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
}

async fn a_cookie_older_than_the_absolute_lifetime_signs_nobody_in(backend: Backend) {
    // Arrange: a 2-second lifetime; the browser keeps the cookie whatever its Max-Age says.
    let (app, _mock) = signed_in_app(backend, &[("SESSION_LIFETIME_SECS", "2")]).await;
    let kept = app.cookies();
    assert!(app.is_signed_in().await);

    // Act
    tokio::time::sleep(Duration::from_millis(2100)).await;
    app.set_cookie(&kept);

    // Assert
    assert!(!app.is_signed_in().await, "signed out past the lifetime");
}

async fn ending_all_other_sessions_signs_the_other_browsers_out(backend: Backend) {
    // Arrange: Ann signed in from two browsers.
    let (laptop, mock) = signed_in_app(backend, &[]).await;
    let phone = laptop.other_browser();
    assert_eq!(
        sign_in_as(&phone, &mock, "ann", None).await.status(),
        StatusCode::SEE_OTHER
    );
    let profile = laptop.get_profile().await.text().await.unwrap();
    assert_eq!(
        profile.matches("data-testid=\"session\"").count(),
        2,
        "both sessions are listed"
    );
    assert!(profile.contains("This browser"));

    // Act
    let ended = post(&laptop, "/profile/sessions/end-others", &[]).await;

    // Assert
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    let profile = laptop.get_profile().await.text().await.unwrap();
    assert!(profile.contains("1 other session ended."));
    assert_eq!(profile.matches("data-testid=\"session\"").count(), 1);
    assert!(
        !phone.is_signed_in().await,
        "the other browser is signed out"
    );
    assert!(laptop.is_signed_in().await, "this browser stays signed in");
}

#[tokio::test]
async fn signing_in_again_rotates_the_session_and_a_stale_cookie_from_before_is_refused() {
    let (app, mock) = signed_in_app(Backend::Sqlite, &[]).await;
    let first = app.cookies();
    let csrf = app.csrf().await;
    app.post_logout(Some(&csrf)).await;
    sign_in_as(&app, &mock, "ann", None).await;
    assert_ne!(app.cookies(), first);
    app.set_cookie(&first);
    assert!(!app.is_signed_in().await);
}

#[tokio::test]
async fn a_hundred_posts_without_a_page_view_all_answer_303_and_the_cookie_stays_small() {
    // Arrange
    let (app, _mock) = signed_in_app(Backend::Sqlite, &[]).await;
    let csrf = csrf_from(&app.get("/").await.text().await.unwrap());

    // Act + Assert: every rename is a proper redirect with the security headers.
    for i in 0..100 {
        let response = app
            .client
            .post(format!("{}/profile", app.url))
            .form(&[("name", format!("Ann {i}").as_str()), ("csrf_token", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "POST {i}");
        assert!(response.headers().contains_key("content-security-policy"));
    }
    let cookie = app.cookies();
    assert!(cookie.len() < 4096, "cookie is {} bytes", cookie.len());
    let page = app.get_profile().await.text().await.unwrap();
    assert_eq!(
        page.matches("Profile saved.").count(),
        adboard_web::session::MAX_FLASHES,
        "only the newest flashes are kept"
    );
}

/// A socket on 127.0.0.1 that accepts every connection and never answers.
fn silent_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_dynamodb_that_never_answers_gets_a_503_try_again_page_within_5_seconds() {
    // Arrange: Ann signs in at a healthy app; a second app with the same session key keeps its
    // data in a DynamoDB that accepts connections and never answers.
    let (healthy, _mock) = signed_in_app(Backend::Sqlite, &[]).await;
    assert_eq!(healthy.get("/ready").await.status(), StatusCode::OK);
    let endpoint = silent_endpoint();
    let (stuck, _mock2) = spawn_app_with_mock_and(
        Backend::DynamoDb,
        None,
        &[
            ("STORE_URL", "dynamodb://never-answers"),
            ("AWS_ENDPOINT_URL_DYNAMODB", &endpoint),
        ],
    )
    .await;
    stuck.set_cookie(&healthy.cookies());

    // Act
    let started = std::time::Instant::now();
    let page = stuck.get("/profile").await;
    let page_took = started.elapsed();
    let started = std::time::Instant::now();
    let ready = stuck.get("/ready").await;
    let ready_took = started.elapsed();

    // Assert
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(page_took < Duration::from_secs(5), "{page_took:?}");
    assert!(page.headers().contains_key("content-security-policy"));
    let body = page.text().await.unwrap();
    assert!(
        body.contains("try again") && body.contains("<nav"),
        "{body}"
    );
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(ready_took < Duration::from_millis(1500), "{ready_took:?}");
    assert_eq!(stuck.get("/health").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn direction_changing_and_zero_width_names_are_refused() {
    let (app, _mock) = signed_in_app(Backend::Sqlite, &[]).await;
    let csrf = app.csrf().await;
    for bad in ["evil\u{202E}gnp.exe", "\u{200B}", "\u{200B}\u{200D}"] {
        let response = app.post_profile(Some(&csrf), bad).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad:?}"
        );
    }
    let ok = app.post_profile(Some(&csrf), "Re\u{301}my").await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let page = app.get_profile().await.text().await.unwrap();
    assert!(page.contains("value=\"R\u{e9}my\""), "stored in NFC");
}
