//! `/api/auth/{provider}` and `/api/associate/{provider}`: every provider's token checked with the
//! provider, tokens of other apps refused, bad input answered with a JSON error that echoes no
//! secret, and nothing created or linked by a refused call.

use adboard_domain::account::EmailAddress;
use adboard_sandbox::TokenOptions;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{ALICE_FB, ApiWorld, BOB_FB, IOS_CLIENT_ID, error_code, facebook_key};
use crate::helpers::{Backend, spawn_sandbox_app};
use crate::on_both_backends;

on_both_backends!(
    a_facebook_token_of_our_app_signs_in_the_linked_user_with_a_new_api_token,
    associating_x_and_oidc_lets_those_sign_in_to_the_same_account,
);

async fn a_facebook_token_of_our_app_signs_in_the_linked_user_with_a_new_api_token(
    backend: Backend,
) {
    let world = ApiWorld::new(backend).await;
    let alice = world.seed_facebook_user("Alice", ALICE_FB).await;
    let fb_token = world.facebook_token("alice");
    let response = world
        .post(
            "/api/auth/facebook",
            None,
            &json!({"access_token": fb_token}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none(),
        "CORS is off"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["id"], alice.to_string());
    assert_eq!(body["username"], "Alice");
    assert_eq!(body["email"], "alice@example.test");
    let token = body["token"].as_str().unwrap();
    assert!(token.starts_with("adb_") && token.len() == 47, "{token}");

    let me = world.get("/api/me", Some(token)).await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["id"], alice.to_string());
    assert_eq!(me["identities"][0]["provider"], "facebook");

    // Stored only as a hash, listed for its owner.
    let tokens = world.store.list_api_tokens(alice).await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].hash, adboard_store::ApiTokenHash::of(token));
    assert!(
        tokens[0].label.starts_with("Facebook · "),
        "{}",
        tokens[0].label
    );
}

async fn associating_x_and_oidc_lets_those_sign_in_to_the_same_account(backend: Backend) {
    let world = ApiWorld::new(backend).await;
    let alice = world.seed_facebook_user("Alice", ALICE_FB).await;
    let token = world.api_token("alice").await;
    let (x_token, x_secret) = world.x_token("alice");
    let x_body = json!({"access_token": x_token, "access_token_secret": x_secret});

    // Not linked yet: no account for this X user, and none is created.
    let before = world.post("/api/auth/x", None, &x_body).await;
    let (status, code, _) = error_code(before).await;
    assert_eq!((status, code.as_str()), (404, "user_not_found"));

    let linked = world.post("/api/associate/x", Some(&token), &x_body).await;
    assert_eq!(linked.status(), StatusCode::OK);
    assert_eq!(
        linked.json::<Value>().await.unwrap(),
        json!({"success": true})
    );
    let again = world.post("/api/associate/x", Some(&token), &x_body).await;
    assert_eq!(again.status(), StatusCode::OK, "linking twice is fine");

    let via_x = world.post("/api/auth/x", None, &x_body).await;
    assert_eq!(via_x.status(), StatusCode::OK);
    assert_eq!(
        via_x.json::<Value>().await.unwrap()["id"],
        alice.to_string()
    );

    // OpenID Connect: an id_token for our iPhone app's client id is on the allow-list.
    let id_token = world.id_token("alice", Some(IOS_CLIENT_ID), false);
    let oidc_body = json!({"id_token": id_token});
    let linked = world
        .post("/api/associate/oidc", Some(&token), &oidc_body)
        .await;
    assert_eq!(linked.status(), StatusCode::OK);
    let via_oidc = world
        .post(
            "/api/auth/oidc",
            None,
            &json!({"id_token": world.id_token("alice", None, false)}),
        )
        .await;
    assert_eq!(via_oidc.status(), StatusCode::OK);
    assert_eq!(
        via_oidc.json::<Value>().await.unwrap()["id"],
        alice.to_string()
    );

    let identities = world.store.list_identities(alice).await.unwrap();
    let mut providers: Vec<&str> = identities.iter().map(|i| i.key.provider.as_str()).collect();
    providers.sort_unstable();
    assert_eq!(providers, ["facebook", "oidc", "x"]);

    // Bob cannot take Alice's X account.
    world.seed_facebook_user("Bob", BOB_FB).await;
    let bob = world.api_token("bob").await;
    let (status, code, _) =
        error_code(world.post("/api/associate/x", Some(&bob), &x_body).await).await;
    assert_eq!((status, code.as_str()), (409, "identity_taken"));
}

#[tokio::test]
async fn tokens_our_app_did_not_get_are_refused_and_nothing_is_created() {
    let world = ApiWorld::new(Backend::Sqlite).await;
    world.seed_facebook_user("Alice", ALICE_FB).await;
    let foreign_fb = world
        .sandbox
        .user_token_with(
            "alice",
            &TokenOptions {
                app_id: Some("someone-elses-app".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let expired_fb = world
        .sandbox
        .user_token_with(
            "alice",
            &TokenOptions {
                expired: true,
                ..Default::default()
            },
        )
        .unwrap();
    let (x_token, _) = world.x_token("alice");
    let cases = [
        (
            "a Facebook token of another app",
            "/api/auth/facebook",
            json!({"access_token": foreign_fb}),
            "another application",
        ),
        (
            "an expired Facebook token",
            "/api/auth/facebook",
            json!({"access_token": expired_fb}),
            "",
        ),
        (
            "a made-up Facebook token",
            "/api/auth/facebook",
            json!({"access_token": "EAAB-made-up"}),
            "",
        ),
        (
            "an id_token for another audience",
            "/api/auth/oidc",
            json!({"id_token": world.id_token("alice", Some("someone-elses-client"), false)}),
            "another application",
        ),
        (
            "an expired id_token",
            "/api/auth/oidc",
            json!({"id_token": world.id_token("alice", None, true)}),
            "expired",
        ),
        (
            "a tampered id_token",
            "/api/auth/oidc",
            json!({"id_token": tamper(&world.id_token("alice", None, false))}),
            "",
        ),
        (
            "not a JWT at all",
            "/api/auth/oidc",
            json!({"id_token": "abc"}),
            "",
        ),
        (
            "an X token with the wrong secret",
            "/api/auth/x",
            json!({"access_token": x_token, "access_token_secret": "wrong-secret"}),
            "",
        ),
        (
            "an X token without its secret",
            "/api/auth/x",
            json!({"access_token": x_token}),
            "access_token_secret",
        ),
        ("no token", "/api/auth/facebook", json!({}), "access_token"),
        (
            "an empty token",
            "/api/auth/facebook",
            json!({"access_token": ""}),
            "",
        ),
        (
            "a huge token",
            "/api/auth/facebook",
            json!({"access_token": "E".repeat(5000)}),
            "4096",
        ),
        (
            "a token with spaces",
            "/api/auth/facebook",
            json!({"access_token": "EAAB token"}),
            "",
        ),
    ];
    for (what, path, body, says) in cases {
        let (status, code, text) = error_code(world.post(path, None, &body).await).await;
        assert_eq!(
            (status, code.as_str()),
            (400, "invalid_token"),
            "{what}: {text}"
        );
        assert!(text.contains(says), "{what}: {text}");
        for secret in body.as_object().unwrap().values() {
            let secret = secret.as_str().unwrap();
            if secret.len() > 3 {
                assert!(
                    !text.contains(secret),
                    "{what}: the answer echoes the token"
                );
            }
        }
        // A success ends the run of refusals, so the failure limiter never steps in here.
        world.api_token("alice").await;
    }
    // Carol's provider has not verified her email: refused as at the web sign-in.
    let carol = json!({"id_token": world.id_token("carol", None, false)});
    let (status, code, _) = error_code(world.post("/api/auth/oidc", None, &carol).await).await;
    assert_eq!((status, code.as_str()), (400, "email_not_verified"));
    let sandbox_email = EmailAddress::parse("alice@sandbox.adboard.test").unwrap();
    assert_eq!(
        world
            .store
            .find_user_by_email(&sandbox_email)
            .await
            .unwrap(),
        None,
        "no account was created"
    );
    assert!(
        world
            .store
            .find_user_by_identity(&facebook_key(ALICE_FB))
            .await
            .unwrap()
            .is_some()
    );
}

/// The same JWT with one character of its payload changed.
fn tamper(jwt: &str) -> String {
    let mut parts: Vec<String> = jwt.split('.').map(str::to_owned).collect();
    let payload = &mut parts[1];
    let last = payload.pop().unwrap();
    payload.push(if last == 'A' { 'B' } else { 'A' });
    parts.join(".")
}

#[tokio::test]
async fn bodies_that_are_not_a_json_object_of_the_right_type_and_size_are_refused() {
    let world = ApiWorld::new(Backend::Sqlite).await;
    let url = format!("{}/api/auth/facebook", world.app.url);
    let send = |content_type: &'static str, body: String| {
        world
            .http
            .post(url.clone())
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    for (what, content_type, body, status, code) in [
        (
            "an array",
            "application/json",
            "[1, 2]".to_owned(),
            400,
            "bad_request",
        ),
        (
            "a string",
            "application/json",
            "\"EAAB\"".to_owned(),
            400,
            "bad_request",
        ),
        (
            "not JSON",
            "application/json",
            "access_token=EAAB".to_owned(),
            400,
            "bad_request",
        ),
        (
            "a number for the token",
            "application/json",
            "{\"access_token\": 5}".to_owned(),
            400,
            "bad_request",
        ),
        (
            "a form",
            "application/x-www-form-urlencoded",
            "access_token=EAAB".to_owned(),
            415,
            "unsupported_media_type",
        ),
        (
            "text",
            "text/plain",
            "{\"access_token\": \"EAAB\"}".to_owned(),
            415,
            "unsupported_media_type",
        ),
        (
            "over 16 KB",
            "application/json",
            format!("{{\"access_token\": \"{}\"}}", "E".repeat(17 * 1024)),
            413,
            "payload_too_large",
        ),
    ] {
        let (got, got_code, text) = error_code(send(content_type, body).await.unwrap()).await;
        assert_eq!((got, got_code.as_str()), (status, code), "{what}: {text}");
    }
    let (status, code, _) = error_code(
        world
            .post("/api/auth/myspace", None, &json!({"access_token": "x"}))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (404, "not_found"),
        "unknown provider"
    );
    let get = world.get("/api/auth/facebook", None).await;
    let (status, code, _) = error_code(get).await;
    assert_eq!((status, code.as_str()), (405, "method_not_allowed"));
}

#[tokio::test]
async fn associate_needs_a_caller_and_a_browser_needs_its_csrf_header() {
    let world = ApiWorld::new(Backend::Sqlite).await;
    world.seed_facebook_user("Alice", ALICE_FB).await;
    let (x_token, x_secret) = world.x_token("alice");
    let body = json!({"access_token": x_token, "access_token_secret": x_secret});

    let (status, code, _) = error_code(world.post("/api/associate/x", None, &body).await).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"));
    let response = world
        .post("/api/associate/x", Some("adb_not-a-real-token"), &body)
        .await;
    assert_eq!(
        response.headers()["www-authenticate"].to_str().unwrap(),
        "Bearer realm=\"adboard\""
    );
    let (status, code, _) = error_code(response).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"));
    let basic = world
        .http
        .post(format!("{}/api/associate/x", world.app.url))
        .basic_auth("alice", Some("pw"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_code(basic).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"));
}

#[tokio::test]
async fn in_sandbox_mode_a_signed_in_browser_links_x_with_its_csrf_header() {
    let app = spawn_sandbox_app().await;
    let signed_in = crate::sandbox::sign_in(&app, "facebook", "alice", None).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let sandbox = app.sandbox_url.clone().unwrap();
    let minted: Value = reqwest::Client::new()
        .post(format!("{sandbox}/__sandbox/x/token?user=alice"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let body = json!({
        "access_token": minted["oauth_token"],
        "access_token_secret": minted["oauth_token_secret"],
    });
    let post = |csrf: Option<String>| {
        let mut request = app
            .client
            .post(format!("{}/api/associate/x", app.url))
            .json(&body);
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        request.send()
    };
    let (status, code, _) = error_code(post(None).await.unwrap()).await;
    assert_eq!((status, code.as_str()), (403, "csrf_rejected"));
    let (status, code, _) = error_code(post(Some("forged".into())).await.unwrap()).await;
    assert_eq!((status, code.as_str()), (403, "csrf_rejected"));
    let linked = post(Some(app.csrf().await)).await.unwrap();
    assert_eq!(linked.status(), StatusCode::OK);
    let profile = app.get_profile().await.text().await.unwrap();
    assert!(profile.contains("<td>X</td>"), "the profile lists X");
}
