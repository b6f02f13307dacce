//! Login dialog, code exchange, long-lived exchange, debug_token and revocation.

use adboard_sandbox::FacebookApp;

use crate::helpers::*;

fn dialog_query(client_id: &str, redirect: &str) -> String {
    format!(
        "client_id={client_id}&redirect_uri={}&state=xyz&scope=ads_read",
        urlencode(redirect)
    )
}

#[tokio::test]
async fn the_full_chain_dialog_code_token_long_lived_debug_token_works() {
    let t = start().await;
    // Dialog → code (state echoed, Facebook's `#_=_` fragment kept).
    let q = format!("{}&response_type=code", dialog_query(APP_ID, REDIRECT));
    let location = t.dialog(&q, "alice", "continue").await;
    assert!(location.starts_with(REDIRECT));
    assert!(location.ends_with("#_=_"));
    assert_eq!(query_value(&location, "state").as_deref(), Some("xyz"));
    let code = query_value(&location, "code").unwrap();

    // Code → short-lived token.
    let short = t.exchange(APP_ID, APP_SECRET, REDIRECT, &code).await;
    assert_eq!(short.status, 200, "{}", short.json);
    assert_eq!(short.json["token_type"], "bearer");
    assert!(short.json["expires_in"].as_i64().unwrap() <= 7200);
    let short_token = short.json["access_token"].as_str().unwrap().to_owned();

    // Short → long-lived.
    let long = t
        .get(&format!(
            "/v26.0/oauth/access_token?grant_type=fb_exchange_token&client_id={APP_ID}&client_secret={APP_SECRET}&fb_exchange_token={short_token}"
        ))
        .await;
    assert_eq!(long.status, 200, "{}", long.json);
    assert!(long.json["expires_in"].as_i64().unwrap() > 59 * 86_400);
    let long_token = long.json["access_token"].as_str().unwrap();
    assert_ne!(long_token, short_token);

    // debug_token with the app token.
    let dbg = t
        .get(&format!(
            "/v26.0/debug_token?input_token={long_token}&access_token={APP_ID}|{APP_SECRET}"
        ))
        .await;
    assert_eq!(dbg.status, 200);
    let data = &dbg.json["data"];
    assert_eq!(data["app_id"], APP_ID);
    assert_eq!(data["is_valid"], true);
    assert_eq!(data["type"], "USER");
    assert_eq!(data["user_id"], "100000000000001");
    assert!(data["issued_at"].is_i64());
    assert!(data["expires_at"].as_i64().unwrap() > data["issued_at"].as_i64().unwrap());
    let scopes: Vec<&str> = data["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(scopes.contains(&"ads_read") && scopes.contains(&"public_profile"));
    assert_eq!(data["granular_scopes"][0]["scope"], "ads_read");
}

#[tokio::test]
async fn the_code_exchange_also_works_by_post_form() {
    let t = start().await;
    let code = t.code("bob").await;
    let form = [
        ("client_id", APP_ID),
        ("client_secret", APP_SECRET),
        ("redirect_uri", REDIRECT),
        ("code", code.as_str()),
    ];
    let resp = reply(
        t.client
            .post(t.url("/oauth/access_token"))
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.json);
    let token = resp.json["access_token"].as_str().unwrap();
    let me = t.graph("/me", token).await;
    assert_eq!(me.json["name"], "Bob Sandbox");
}

#[tokio::test]
async fn the_dialog_rejects_an_unknown_client_id_without_redirecting() {
    let t = start().await;
    let resp = t
        .client
        .get(t.url(&format!("/dialog/oauth?{}", dialog_query("nope", REDIRECT))))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
    assert!(resp.text().await.unwrap().contains("Invalid App ID"));
}

async fn assert_redirect_blocked(redirect: &str) {
    let t = start().await;
    let resp = t
        .client
        .get(t.url(&format!(
            "/v26.0/dialog/oauth?{}",
            dialog_query(APP_ID, redirect)
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400, "{redirect} must be blocked");
    assert!(resp.headers().get("location").is_none());
    assert!(resp.text().await.unwrap().contains("URL blocked"));
}

#[tokio::test]
async fn the_dialog_rejects_a_redirect_uri_differing_by_a_trailing_slash() {
    assert_redirect_blocked(&format!("{REDIRECT}/")).await;
}

#[tokio::test]
async fn the_dialog_rejects_a_redirect_uri_differing_by_scheme() {
    assert_redirect_blocked(&REDIRECT.replace("http://", "https://")).await;
}

#[tokio::test]
async fn the_dialog_rejects_a_redirect_uri_differing_by_port() {
    assert_redirect_blocked(&REDIRECT.replace(":3999", ":4000")).await;
}

#[tokio::test]
async fn cancel_redirects_with_access_denied_and_user_denied() {
    let t = start().await;
    let location = t
        .dialog(&dialog_query(APP_ID, REDIRECT), "alice", "cancel")
        .await;
    assert_eq!(
        query_value(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(
        query_value(&location, "error_reason").as_deref(),
        Some("user_denied")
    );
    assert_eq!(query_value(&location, "state").as_deref(), Some("xyz"));
    assert!(query_value(&location, "code").is_none());
}

#[tokio::test]
async fn the_consent_page_is_accessible_html_with_users_continue_and_cancel() {
    let t = start().await;
    let html = t
        .client
        .get(t.url(&format!("/dialog/oauth?{}", dialog_query(APP_ID, REDIRECT))))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<label for=\"user-alice\">"));
    assert!(html.contains("<label for=\"user-bob\">"));
    assert!(html.contains("value=\"continue\">Continue</button>"));
    assert!(html.contains("value=\"cancel\">Cancel</button>"));
    assert!(!html.contains("xyz"), "the state stays server-side");
}

#[tokio::test]
async fn a_replayed_code_is_rejected_with_36009_and_www_authenticate() {
    let t = start().await;
    let code = t.code("alice").await;
    assert_eq!(
        t.exchange(APP_ID, APP_SECRET, REDIRECT, &code).await.status,
        200
    );
    let again = t.exchange(APP_ID, APP_SECRET, REDIRECT, &code).await;
    assert_eq!(again.status, 400);
    assert_eq!(again.error_code(), 100);
    assert_eq!(again.error_subcode(), Some(36009));
    assert_eq!(
        again.json["error"]["message"],
        "This authorization code has been used."
    );
    assert!(
        again
            .header("www-authenticate")
            .unwrap()
            .contains("\"invalid_code\"")
    );
}

#[tokio::test]
async fn an_expired_code_is_rejected_with_36007() {
    let t = start().await;
    let code = t.code("alice").await;
    let resp = t
        .client
        .post(t.url(&format!("/__sandbox/codes/expire?code={code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let r = t.exchange(APP_ID, APP_SECRET, REDIRECT, &code).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_subcode(), Some(36007));
    assert_eq!(
        r.json["error"]["message"],
        "This authorization code has expired."
    );
}

#[tokio::test]
async fn a_code_used_by_another_client_is_rejected() {
    let t = start_with(|c| {
        c.extra_apps.push(FacebookApp {
            app_id: "other-app".into(),
            app_secret: "other-secret".into(),
            redirect_uris: vec![REDIRECT.into()],
        })
    })
    .await;
    let code = t.code("alice").await;
    let r = t
        .exchange("other-app", "other-secret", REDIRECT, &code)
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), 100);
    assert_eq!(r.error_subcode(), Some(36008));
    // The rightful client can still use it: the failed attempt did not consume it.
    assert_eq!(
        t.exchange(APP_ID, APP_SECRET, REDIRECT, &code).await.status,
        200
    );
}

#[tokio::test]
async fn a_code_exchanged_with_another_redirect_uri_is_rejected() {
    let t = start().await;
    let code = t.code("alice").await;
    let r = t
        .exchange(APP_ID, APP_SECRET, &format!("{REDIRECT}/"), &code)
        .await;
    assert_eq!(r.error_subcode(), Some(36008));
}

#[tokio::test]
async fn a_wrong_client_secret_is_rejected_with_code_1() {
    let t = start().await;
    let code = t.code("alice").await;
    let r = t.exchange(APP_ID, "wrong", REDIRECT, &code).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), 1);
    assert_eq!(
        r.json["error"]["message"],
        "Error validating client secret."
    );
}

#[tokio::test]
async fn an_unknown_client_id_at_the_token_endpoint_is_rejected_with_code_101() {
    let t = start().await;
    let code = t.code("alice").await;
    let r = t.exchange("nope", APP_SECRET, REDIRECT, &code).await;
    assert_eq!(r.error_code(), 101);
}

#[tokio::test]
async fn a_garbled_code_is_rejected() {
    let t = start().await;
    let r = t.exchange(APP_ID, APP_SECRET, REDIRECT, "not-a-code").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), 100);
}

#[tokio::test]
async fn debug_token_reports_an_expired_token_as_invalid_with_190_463_and_http_200() {
    let t = start().await;
    let expired = t.token_with("alice", "&expired=1").await;
    let r = t
        .get(&format!(
            "/debug_token?input_token={expired}&access_token={APP_ID}|{APP_SECRET}"
        ))
        .await;
    assert_eq!(r.status, 200);
    let d = &r.json["data"];
    assert_eq!(d["is_valid"], false);
    assert_eq!(d["error"]["code"], 190);
    assert_eq!(d["error"]["subcode"], 463);
    assert_eq!(d["user_id"], "100000000000001");
    assert!(d["expires_at"].as_i64().unwrap() < chrono_now());
}

#[tokio::test]
async fn debug_token_reports_an_unparsable_token_with_empty_scopes() {
    let t = start().await;
    let r = t
        .get(&format!(
            "/debug_token?input_token=garbage&access_token={APP_ID}|{APP_SECRET}"
        ))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["data"]["is_valid"], false);
    assert_eq!(r.json["data"]["error"]["code"], 190);
    assert_eq!(
        r.json["data"]["error"]["message"],
        "Invalid OAuth access token - Cannot parse access token"
    );
    assert_eq!(r.json["data"]["scopes"], serde_json::json!([]));
}

#[tokio::test]
async fn revoking_permissions_invalidates_the_users_tokens_with_458() {
    let t = start().await;
    let token = t.token("alice").await;
    let r = t.revoke(&token).await;
    assert_eq!(r.json, serde_json::json!({"success": true}));
    let me = t.graph("/me", &token).await;
    assert_eq!(me.error_code(), 190);
    assert_eq!(me.error_subcode(), Some(458));
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
