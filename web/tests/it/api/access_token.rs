//! `/api/auth/{oidc|sandbox|google}` and `/api/associate/…` with `{"access_token"}` instead of an
//! id_token: introspected at the sandbox's OpenID provider (as our client) then its userinfo;
//! Google's tokeninfo stood in for by wiremock; a mock provider for the answers no honest provider
//! gives (userinfo naming someone else, no introspection at all). Every refusal is a 400 that
//! echoes no token.

use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{ALICE_FB, ApiWorld, IOS_CLIENT_ID, error_code};
use crate::helpers::{Backend, TestApp, spawn_sandbox_app};
use crate::mock_oidc::spawn_app_with_mock;
use crate::on_both_backends;

on_both_backends!(an_access_token_of_our_app_links_and_signs_in_like_an_id_token,);

/// Checks a refusal: its status and code, that its message says `says`, and that it does not
/// echo `token`.
async fn assert_refused(response: reqwest::Response, code: &str, says: &str, token: &str) {
    let (status, got, text) = error_code(response).await;
    assert_eq!((status, got.as_str()), (400, code), "{text}");
    assert!(text.contains(says), "expected {says:?} in {text}");
    if token.len() > 3 {
        assert!(!text.contains(token), "the answer echoes the token: {text}");
    }
}

async fn an_access_token_of_our_app_links_and_signs_in_like_an_id_token(backend: Backend) {
    let world = ApiWorld::new(backend).await;
    let alice = world.seed_facebook_user("Alice", ALICE_FB).await;
    let api_token = world.api_token("alice").await;

    // Not linked yet: the token is good, but nobody is linked to it (and nobody is created).
    let body = json!({"access_token": world.access_token("alice", None, false)});
    let (status, code, _) = error_code(world.post("/api/auth/oidc", None, &body).await).await;
    assert_eq!((status, code.as_str()), (404, "user_not_found"));

    // Our iPhone app's client id is on the allow-list, as for id_tokens.
    let ios = json!({"access_token": world.access_token("alice", Some(IOS_CLIENT_ID), false)});
    let linked = world
        .post("/api/associate/oidc", Some(&api_token), &ios)
        .await;
    assert_eq!(linked.status(), StatusCode::OK);

    let signed_in = world.post("/api/auth/oidc", None, &body).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    let signed_in: Value = signed_in.json().await.unwrap();
    assert_eq!(signed_in["id"], alice.to_string());
    assert!(signed_in["token"].as_str().unwrap().starts_with("adb_"));

    // The same identity as an id_token names: both paths find the one linked user.
    let via_id_token = json!({"id_token": world.id_token("alice", None, false)});
    let again = world.post("/api/auth/oidc", None, &via_id_token).await;
    assert_eq!(
        again.json::<Value>().await.unwrap()["id"],
        alice.to_string()
    );
    let identities = world.store.list_identities(alice).await.unwrap();
    assert_eq!(identities.len(), 2, "facebook and one oidc identity");

    // Both sent: the id_token is the one checked.
    let both = json!({
        "id_token": world.id_token("alice", None, false),
        "access_token": "not-an-access-token",
    });
    let by_id_token = world.post("/api/auth/oidc", None, &both).await;
    assert_eq!(by_id_token.status(), StatusCode::OK);
    let bad_id_token = json!({
        "id_token": "abc",
        "access_token": world.access_token("alice", None, false),
    });
    assert_refused(
        world.post("/api/auth/oidc", None, &bad_id_token).await,
        "invalid_token",
        "JWT",
        "",
    )
    .await;
}

#[tokio::test]
async fn access_tokens_the_provider_does_not_vouch_for_our_app_are_refused() {
    let world = ApiWorld::new(Backend::Sqlite).await;
    world.seed_facebook_user("Alice", ALICE_FB).await;
    let cases = [
        (
            "an unknown access token (inactive)",
            "made-up-access-token".to_owned(),
            "not active",
        ),
        (
            "an expired access token",
            world.access_token("alice", None, true),
            "not active",
        ),
        (
            "an access token issued to another client",
            world.access_token("alice", Some("someone-elses-client"), false),
            "another application",
        ),
        ("an empty access token", String::new(), "access_token"),
        ("a huge access token", "a".repeat(5000), "4096"),
        (
            "an access token with spaces",
            "two words".to_owned(),
            "characters",
        ),
    ];
    for (what, token, says) in cases {
        let body = json!({"access_token": token});
        let refused = world.post("/api/auth/oidc", None, &body).await;
        let (status, code, text) = error_code(refused).await;
        assert_eq!((status, code.as_str()), (400, "invalid_token"), "{what}");
        assert!(text.contains(says), "{what}: {text}");
        if token.len() > 3 {
            assert!(
                !text.contains(&token),
                "{what}: the answer echoes the token"
            );
        }
        // A success ends the run of refusals, so the failure limiter never steps in here.
        world.api_token("alice").await;
    }
    // Carol's provider has not verified her email: refused as at the web sign-in.
    let carol = json!({"access_token": world.access_token("carol", None, false)});
    let (status, code, _) = error_code(world.post("/api/auth/oidc", None, &carol).await).await;
    assert_eq!((status, code.as_str()), (400, "email_not_verified"));
}

/// `POST /api/auth/oidc` with the access token the mock provider's tests use.
async fn sign_in_at_mock(app: &TestApp) -> reqwest::Response {
    app.client
        .post(format!("{}/api/auth/oidc", app.url))
        .json(&json!({"access_token": "mock-access-token"}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn userinfo_naming_another_person_than_the_introspection_is_refused() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let now = chrono::Utc::now().timestamp();
    mock.offer_introspection(
        json!({"active": true, "client_id": crate::mock_oidc::CLIENT_ID, "sub": "ann",
               "exp": now + 300, "token_type": "Bearer"}),
        json!({"sub": "mallory", "email": "mallory@example.test", "email_verified": true}),
        1,
    )
    .await;
    let response = sign_in_at_mock(&app).await;
    assert_refused(
        response,
        "invalid_token",
        "another person",
        "mock-access-token",
    )
    .await;
}

#[tokio::test]
async fn an_active_token_whose_exp_has_passed_is_refused_before_userinfo() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let now = chrono::Utc::now().timestamp();
    mock.offer_introspection(
        json!({"active": true, "client_id": crate::mock_oidc::CLIENT_ID, "sub": "ann",
               "exp": now - 60}),
        json!({"sub": "ann"}),
        0,
    )
    .await;
    let response = sign_in_at_mock(&app).await;
    assert_refused(response, "invalid_token", "expired", "mock-access-token").await;
}

#[tokio::test]
async fn a_provider_without_introspection_asks_for_the_id_token_instead() {
    let (app, _mock) = spawn_app_with_mock(None).await;
    let response = sign_in_at_mock(&app).await;
    assert_refused(response, "invalid_token", "`id_token`", "mock-access-token").await;
}

/// Google's client ids in these tests: the web client and our Android app.
const GOOGLE_WEB: &str = "adboard-google-web";
const GOOGLE_ANDROID: &str = "adboard-google-android";

/// A tokeninfo answer for `token` (POSTed as `access_token=…`, never in the URL).
async fn tokeninfo_answers(server: &MockServer, token: &str, status: u16, answer: Value) {
    Mock::given(method("POST"))
        .and(path("/tokeninfo"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(format!("access_token={token}")))
        .respond_with(ResponseTemplate::new(status).set_body_json(answer))
        .expect(1..)
        .mount(server)
        .await;
}

/// Google's tokeninfo answer for an access token of `aud`, as Google writes it (strings).
fn google_info(aud: &str, sub: &str, verified: &str, exp_in: i64) -> Value {
    let exp = chrono::Utc::now().timestamp() + exp_in;
    json!({"azp": aud, "aud": aud, "sub": sub, "scope": "openid email",
           "exp": exp.to_string(), "expires_in": exp_in.to_string(),
           "email": format!("{sub}@gmail.test"), "email_verified": verified,
           "access_type": "online"})
}

#[tokio::test]
async fn google_access_tokens_are_checked_at_tokeninfo_with_the_token_in_the_body() {
    let tokeninfo = MockServer::start().await;
    let url = format!("{}/tokeninfo", tokeninfo.uri());
    let world = ApiWorld::with(
        Backend::Sqlite,
        &[
            ("GOOGLE_CLIENT_ID", GOOGLE_WEB),
            ("GOOGLE_CLIENT_SECRET", "google-secret"),
            ("GOOGLE_API_AUDIENCES", GOOGLE_ANDROID),
            ("GOOGLE_TOKENINFO_URL", &url),
        ],
    )
    .await;
    let alice = world.seed_facebook_user("Alice", ALICE_FB).await;
    let api_token = world.api_token("alice").await;
    tokeninfo_answers(
        &tokeninfo,
        "ya29.android",
        200,
        google_info(GOOGLE_ANDROID, "111", "true", 3000),
    )
    .await;
    tokeninfo_answers(
        &tokeninfo,
        "ya29.web",
        200,
        google_info(GOOGLE_WEB, "111", "true", 3000),
    )
    .await;
    tokeninfo_answers(
        &tokeninfo,
        "ya29.foreign",
        200,
        google_info("someone-elses-client", "111", "true", 3000),
    )
    .await;
    tokeninfo_answers(
        &tokeninfo,
        "ya29.expired",
        200,
        google_info(GOOGLE_WEB, "111", "true", -10),
    )
    .await;
    tokeninfo_answers(
        &tokeninfo,
        "ya29.unverified",
        200,
        google_info(GOOGLE_WEB, "222", "false", 3000),
    )
    .await;
    tokeninfo_answers(
        &tokeninfo,
        "ya29.unknown",
        400,
        json!({"error": "invalid_token", "error_description": "Invalid Value"}),
    )
    .await;

    let linked = world
        .post(
            "/api/associate/google",
            Some(&api_token),
            &json!({"access_token": "ya29.android"}),
        )
        .await;
    assert_eq!(linked.status(), StatusCode::OK);
    let signed_in = world
        .post(
            "/api/auth/google",
            None,
            &json!({"access_token": "ya29.web"}),
        )
        .await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert_eq!(
        signed_in.json::<Value>().await.unwrap()["id"],
        alice.to_string()
    );
    let google = world.store.list_identities(alice).await.unwrap();
    let google = google
        .iter()
        .find(|i| i.key.provider.as_str() == "google")
        .unwrap();
    assert_eq!(
        (google.key.issuer.as_str(), google.key.subject.as_str()),
        ("https://accounts.google.com", "111")
    );

    for (token, code, says) in [
        ("ya29.foreign", "invalid_token", "another application"),
        ("ya29.expired", "invalid_token", "expired"),
        ("ya29.unknown", "invalid_token", "Google does not accept"),
        ("ya29.unverified", "email_not_verified", ""),
    ] {
        let body = json!({"access_token": token});
        assert_refused(
            world.post("/api/auth/google", None, &body).await,
            code,
            says,
            token,
        )
        .await;
        world.api_token("alice").await;
    }
    // Google failing is not the token's fault: the provider is unavailable (502).
    tokeninfo_answers(&tokeninfo, "ya29.during-an-outage", 503, json!({})).await;
    let outage = world
        .post(
            "/api/auth/google",
            None,
            &json!({"access_token": "ya29.during-an-outage"}),
        )
        .await;
    let (status, code, text) = error_code(outage).await;
    assert_eq!(
        (status, code.as_str()),
        (502, "upstream_unavailable"),
        "{text}"
    );
    assert!(!text.contains("ya29.during-an-outage"));
    for request in tokeninfo.received_requests().await.unwrap() {
        assert_eq!(request.url.query(), None, "no token in tokeninfo's URL");
    }
}

#[tokio::test]
async fn in_sandbox_mode_the_in_process_providers_access_token_signs_in() {
    let app = spawn_sandbox_app().await;
    let signed_up = crate::sandbox::sign_in(&app, "sandbox", "alice", None).await;
    assert_eq!(signed_up.status(), StatusCode::SEE_OTHER);
    let sandbox = app.sandbox_url.clone().unwrap();
    let mint = |query: &'static str| {
        let url = format!("{sandbox}/__sandbox/oidc/access_token?{query}");
        async move {
            let minted: Value = reqwest::Client::new()
                .post(url)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            minted["access_token"].as_str().unwrap().to_owned()
        }
    };
    let post = |token: String| {
        reqwest::Client::new()
            .post(format!("{}/api/auth/sandbox", app.url))
            .json(&json!({"access_token": token}))
            .send()
    };
    // Issued to the app's own (in-process) client: introspected with the app's random secret.
    let signed_in = post(mint("user=alice").await).await.unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert_eq!(
        signed_in.json::<Value>().await.unwrap()["email"],
        "alice@sandbox.adboard.test"
    );
    for (query, says) in [
        ("user=alice&aud=someone-elses-client", "another application"),
        ("user=alice&expired=1", "not active"),
    ] {
        let token = mint(query).await;
        let refused = post(token.clone()).await.unwrap();
        assert_refused(refused, "invalid_token", says, &token).await;
    }
}
