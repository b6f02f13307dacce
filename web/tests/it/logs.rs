//! The log records request paths but never a query string, code, state or secret.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use crate::helpers::query_param;
use crate::mock_oidc::{CLIENT_SECRET, spawn_app_with_mock};

/// Everything logged by this test binary (all tests share the one global subscriber).
#[derive(Clone, Default)]
pub(crate) struct Captured(pub(crate) Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(crate) fn captured() -> Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Captured::default();
        let writer = log.clone();
        adboard_web::telemetry::init_with_writer(move || writer.clone());
        log
    })
    .clone()
}

#[tokio::test]
async fn the_log_shows_callback_paths_but_never_codes_states_or_secrets() {
    let log = captured();
    let (app, mock) = spawn_app_with_mock(None).await;
    let authorize = app.start_login("oidc", None).await;
    mock.answer_with(mock.good_claims(&authorize, "ann"));
    let state = query_param(&authorize, "state").unwrap();
    let nonce = query_param(&authorize, "nonce").unwrap();
    let ok = app
        .get_callback("oidc", &[("code", "SECRET-CODE-1"), ("state", &state)])
        .await;
    assert_eq!(ok.status(), 303);
    let bad = app
        .get_callback(
            "oidc",
            &[("code", "SECRET-CODE-2"), ("state", "SECRET-FORGED-STATE")],
        )
        .await;
    assert_eq!(bad.status(), 400);
    // A signed-out visit to a page behind login with a query string: redirected to sign in, and
    // the query (which may carry anything) stays out of the log.
    let signed_out = crate::helpers::browser().0;
    let behind_login = signed_out
        .get(format!("{}/profile?token=SECRET-QUERY-TOKEN", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(behind_login.status(), 303);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("/login/oidc/callback"),
        "the path is logged: {text}"
    );
    for secret in [
        "SECRET-CODE-1",
        "SECRET-CODE-2",
        "SECRET-FORGED-STATE",
        "SECRET-QUERY-TOKEN",
        &state,
        &nonce,
        CLIENT_SECRET,
        // A query string's code (`error.code=` of a log field is no secret).
        "?code=",
        "&code=",
    ] {
        assert!(
            !text.contains(secret),
            "the log must not contain {secret:?}"
        );
    }
}

#[tokio::test]
async fn the_log_never_shows_api_tokens_provider_tokens_or_signed_requests() {
    use crate::api::{ALICE_FB, APP_SECRET, ApiWorld, fresh_payload, signed_request};
    use serde_json::json;

    let log = captured();
    let world = ApiWorld::new(crate::helpers::Backend::Sqlite).await;
    world.seed_facebook_user("Alice", ALICE_FB).await;
    let fb = world.facebook_token("alice");
    let signed_in = world
        .post("/api/auth/facebook", None, &json!({"access_token": fb}))
        .await;
    let api_token = signed_in.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (x_token, x_secret) = world.x_token("alice");
    let wrong_x = world
        .post(
            "/api/auth/x",
            None,
            &json!({"access_token": x_token, "access_token_secret": "SECRET-WRONG-X"}),
        )
        .await;
    assert_eq!(wrong_x.status(), 400);
    let linked = world
        .post(
            "/api/associate/x",
            Some(&api_token),
            &json!({"access_token": x_token, "access_token_secret": x_secret}),
        )
        .await;
    assert_eq!(linked.status(), 200);
    // OpenID access tokens: one introspected and linked, one refused as unknown, one expired.
    let access_token = world.access_token("alice", None, false);
    let linked = world
        .post(
            "/api/associate/oidc",
            Some(&api_token),
            &json!({"access_token": access_token}),
        )
        .await;
    assert_eq!(linked.status(), 200);
    let expired_access = world.access_token("alice", None, true);
    for refused in ["SECRET-UNKNOWN-ACCESS-TOKEN", expired_access.as_str()] {
        let answer = world
            .post("/api/auth/oidc", None, &json!({"access_token": refused}))
            .await;
        assert_eq!(answer.status(), 400);
    }
    let wrong_bearer = world.get("/api/me", Some("adb_SECRET-WRONG-BEARER")).await;
    assert_eq!(wrong_bearer.status(), 401);
    let raw = signed_request(&fresh_payload(ALICE_FB), APP_SECRET);
    assert_eq!(
        world
            .callback("/facebook/data-deletion", &raw)
            .await
            .status(),
        200
    );
    assert_eq!(
        world
            .callback("/facebook/data-deletion", &raw)
            .await
            .status(),
        400
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("/api/auth/facebook"), "the path is logged");
    assert!(text.contains("/api/associate/oidc"), "the path is logged");
    let (sig, payload) = raw.split_once('.').unwrap();
    for secret in [
        fb.as_str(),
        &api_token,
        &x_token,
        &x_secret,
        "SECRET-WRONG-X",
        "SECRET-WRONG-BEARER",
        &access_token,
        &expired_access,
        "SECRET-UNKNOWN-ACCESS-TOKEN",
        sig,
        payload,
        APP_SECRET,
    ] {
        assert!(
            !text.contains(secret),
            "the log must not contain {secret:?}"
        );
    }
}
