//! The X (OAuth 1.0a) stand-in over HTTP: the three legs, `verify_credentials` and its refusals.
//! Requests are signed by the `oauth1-request` crate (see `x_client.rs`), independently of the
//! sandbox's own code.

use serde_json::json;

use crate::helpers::*;
use crate::x_client::*;

#[tokio::test]
async fn the_three_legged_flow_ends_in_verified_credentials() {
    let t = start_x().await;
    let rt = t.request_token(CALLBACK).await;
    assert_eq!(rt.status, 200, "{}", rt.json);
    assert_eq!(rt.json["oauth_callback_confirmed"], "true");
    let (token, secret) = (
        str_of(&rt, "oauth_token"),
        str_of(&rt, "oauth_token_secret"),
    );

    let resp = t.authorize(token, "bob", "continue").await;
    assert_eq!(resp.status(), 302);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(CALLBACK));
    assert_eq!(
        query_value(&location, "oauth_token").as_deref(),
        Some(token)
    );
    let verifier = query_value(&location, "oauth_verifier").unwrap();

    let at = t.access_token((token, secret), &verifier).await;
    assert_eq!(at.status, 200, "{}", at.json);
    assert_eq!(at.json["user_id"], "900000000000000002");
    assert_eq!(at.json["screen_name"], "bob_sandbox");
    let access = (
        str_of(&at, "oauth_token"),
        str_of(&at, "oauth_token_secret"),
    );
    let me = t
        .verify(
            &Sign {
                token: Some(access),
                ..Sign::default()
            },
            &[("include_email", "true"), ("skip_status", "true")],
        )
        .await;
    assert_eq!(me.status, 200, "{}", me.json);
    assert_eq!(
        me.json,
        json!({"id": 900000000000000002u64, "id_str": "900000000000000002", "name": "Bob Sandbox",
               "screen_name": "bob_sandbox", "email": "bob@sandbox.adboard.test"})
    );

    // The request token and its verifier are single use.
    assert_eq!(
        x_error(&t.access_token((token, secret), &verifier).await),
        (401, 89)
    );
    let again = t
        .get(&format!("/x/oauth/authorize?oauth_token={token}"))
        .await;
    assert_eq!(again.status, 400);
}

#[tokio::test]
async fn cancelling_redirects_with_denied_and_the_token_is_dead() {
    let t = start_x().await;
    let rt = t.request_token(CALLBACK).await;
    let (token, secret) = (
        str_of(&rt, "oauth_token"),
        str_of(&rt, "oauth_token_secret"),
    );
    let resp = t.authorize(token, "alice", "cancel").await;
    assert_eq!(resp.status(), 302);
    let location = resp.headers()["location"].to_str().unwrap();
    assert_eq!(query_value(location, "denied").as_deref(), Some(token));
    assert_eq!(query_value(location, "oauth_verifier"), None);
    assert_eq!(
        x_error(&t.access_token((token, secret), "x").await),
        (401, 89)
    );
}

#[tokio::test]
async fn a_wrong_verifier_is_refused_and_spends_the_request_token() {
    let t = start_x().await;
    let rt = t.request_token(CALLBACK).await;
    let (token, secret) = (
        str_of(&rt, "oauth_token"),
        str_of(&rt, "oauth_token_secret"),
    );
    let resp = t.authorize(token, "alice", "continue").await;
    let verifier = query_value(
        resp.headers()["location"].to_str().unwrap(),
        "oauth_verifier",
    );
    let wrong = t.access_token((token, secret), "not-the-verifier").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(
        wrong.json,
        "Error processing your OAuth request: Invalid oauth_verifier parameter"
    );
    let late = t.access_token((token, secret), &verifier.unwrap()).await;
    assert_eq!(x_error(&late), (401, 89));
}

#[tokio::test]
async fn an_unregistered_callback_is_refused_and_oob_shows_a_pin() {
    let t = start_x().await;
    let r = t.request_token("https://evil.example/cb").await;
    assert_eq!(x_error(&r), (403, 415));

    let rt = t.request_token("oob").await;
    assert_eq!(rt.status, 200);
    let (token, secret) = (
        str_of(&rt, "oauth_token"),
        str_of(&rt, "oauth_token_secret"),
    );
    let resp = t.authorize(token, "carol", "continue").await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    let pin = html
        .split("<output id=\"pin\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    assert_eq!(pin.len(), 7);
    let at = t.access_token((token, secret), pin).await;
    assert_eq!(at.json["screen_name"], "carol_sandbox");
}

#[tokio::test]
async fn request_token_signs_its_form_body_too() {
    let t = start_x().await;
    let url = t.x("/oauth/request_token");
    let body = [("x_auth_access_type", "read")];
    let sign = Sign {
        callback: Some(CALLBACK),
        ..Sign::default()
    };
    let ok = t
        .x_post(
            "/oauth/request_token",
            Some(sign.header("POST", &url, &body)),
            &body,
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.json);
    let other = [("x_auth_access_type", "write")];
    let tampered = t
        .x_post(
            "/oauth/request_token",
            Some(sign.header("POST", &url, &body)),
            &other,
        )
        .await;
    assert_eq!(x_error(&tampered), (401, 32));
}

#[tokio::test]
async fn an_admin_minted_token_verifies_and_email_needs_include_email() {
    let t = start_x().await;
    let (token, secret) = t.x_token("alice").await;
    let sign = Sign {
        token: Some((&token, &secret)),
        version: true,
        ..Sign::default()
    };
    let me = t.verify(&sign, &[]).await;
    assert_eq!(me.status, 200, "{}", me.json);
    assert_eq!(me.json["id_str"], "900000000000000001");
    assert_eq!(me.json["screen_name"], "alice_sandbox");
    assert!(me.json.get("email").is_none());

    let (rust_token, rust_secret) = t.sandbox.x_token("alice").unwrap();
    assert_eq!(t.sandbox.x_consumer(), (KEY, SECRET));
    let sign = Sign {
        token: Some((&rust_token, &rust_secret)),
        ..Sign::default()
    };
    let me = t.verify(&sign, &[("include_email", "true")]).await;
    assert_eq!(me.json["email"], "alice@sandbox.adboard.test");
    assert_eq!(t.sandbox.x_token("mallory"), None);
    assert_eq!(t.post("/__sandbox/x/token?user=mallory").await.status, 404);
}

#[tokio::test]
async fn verify_credentials_refuses_every_wrong_signature() {
    let t = start_x().await;
    let (token, secret) = t.x_token("alice").await;
    let good = Sign {
        token: Some((&token, &secret)),
        ..Sign::default()
    };
    let wrong_consumer = Sign {
        consumer_secret: Some("not-the-secret"),
        ..good
    };
    assert_eq!(x_error(&t.verify(&wrong_consumer, &[]).await), (401, 32));
    let wrong_token_secret = Sign {
        token: Some((&token, "not-the-token-secret")),
        ..Sign::default()
    };
    assert_eq!(
        x_error(&t.verify(&wrong_token_secret, &[]).await),
        (401, 32)
    );
    let stale = Sign {
        token: Some((&token, &secret)),
        timestamp: Some(chrono::Utc::now().timestamp() as u64 - 600),
        ..Sign::default()
    };
    assert_eq!(x_error(&t.verify(&stale, &[]).await), (401, 135));

    // Tampered: signed without include_email, sent with it.
    let url = t.x("/1.1/account/verify_credentials.json");
    let signed_plain = good.header("GET", &url, &[]);
    let tampered = t
        .verify_with(signed_plain, &[("include_email", "true")])
        .await;
    assert_eq!(x_error(&tampered), (401, 32));
}

#[tokio::test]
async fn a_replayed_nonce_is_refused() {
    let t = start_x().await;
    let (token, secret) = t.x_token("alice").await;
    let sign = Sign {
        token: Some((&token, &secret)),
        nonce: Some("only-once-0123456789"),
        ..Sign::default()
    };
    let url = t.x("/1.1/account/verify_credentials.json");
    let header = sign.header("GET", &url, &[]);
    assert_eq!(t.verify_with(header.clone(), &[]).await.status, 200);
    assert_eq!(x_error(&t.verify_with(header, &[]).await), (401, 32));
    // Same nonce, new timestamp: still a reuse.
    let later = Sign {
        timestamp: Some(chrono::Utc::now().timestamp() as u64 + 1),
        ..sign
    };
    assert_eq!(x_error(&t.verify(&later, &[]).await), (401, 32));
}

#[tokio::test]
async fn unknown_or_revoked_tokens_get_89_and_bad_headers_get_400() {
    let t = start_x().await;
    let unknown = Sign {
        token: Some((
            "900000000000000001-NotMintedByTheSandbox0123456789abcdef",
            "s",
        )),
        ..Sign::default()
    };
    assert_eq!(x_error(&t.verify(&unknown, &[]).await), (401, 89));
    let no_token = Sign::default();
    assert_eq!(x_error(&t.verify(&no_token, &[]).await), (401, 89));

    let url = t.x("/1.1/account/verify_credentials.json");
    let missing = t.client.get(&url).send().await.unwrap();
    assert_eq!(x_error(&reply(missing).await), (400, 215));
    let malformed = t
        .verify_with("OAuth oauth_consumer_key=unquoted".into(), &[])
        .await;
    assert_eq!(x_error(&malformed), (400, 215));
    let bearer = t.verify_with("Bearer abc".into(), &[]).await;
    assert_eq!(x_error(&bearer), (400, 215));

    let (token, secret) = t.x_token("bob").await;
    let sign = Sign {
        token: Some((&token, &secret)),
        ..Sign::default()
    };
    let revoke_url = t.x("/1.1/oauth/invalidate_token");
    let revoked = t
        .x_post(
            "/1.1/oauth/invalidate_token",
            Some(sign.header("POST", &revoke_url, &[])),
            &[],
        )
        .await;
    assert_eq!(revoked.status, 200);
    assert_eq!(revoked.json["access_token"], token.as_str());
    assert_eq!(x_error(&t.verify(&sign, &[]).await), (401, 89));
}

#[tokio::test]
async fn an_unknown_consumer_key_is_refused_and_unknown_x_paths_are_x_404s() {
    let t = start_x().await;
    let (token, secret) = t.x_token("alice").await;
    let url = t.x("/1.1/account/verify_credentials.json");
    let header = Sign {
        token: Some((&token, &secret)),
        ..Sign::default()
    }
    .header("GET", &url, &[])
    .replace(KEY, "someone-elses-key");
    assert_eq!(x_error(&t.verify_with(header, &[]).await), (401, 32));
    assert_eq!(
        x_error(&t.get("/x/1.1/statuses/home_timeline.json").await),
        (404, 34)
    );
}
