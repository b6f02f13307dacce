//! What the web app's connectors flow needs from the sandbox as Facebook: declined permissions
//! ("Edit access", `auth_type=rerequest`), `debug_token` expiries, tokens of another app,
//! revocation and the `email` permission.

use adboard_sandbox::TokenOptions;
use serde_json::{Value, json};

use crate::helpers::*;

fn dialog_query(extra: &str) -> String {
    format!(
        "client_id={APP_ID}&redirect_uri={}&state=s&scope=ads_read,email{extra}",
        urlencode(REDIRECT)
    )
}

/// Opens the dialog with `extra` query, posts `fields` as alice; the page and the code.
async fn login(t: &TestSandbox, extra: &str, fields: &[(&str, &str)]) -> (String, String) {
    let html = t.dialog_page(&dialog_query(extra)).await;
    let mut form = vec![("user", "alice"), ("action", "continue")];
    form.extend_from_slice(fields);
    let location = t.consent(&html, &form).await;
    (
        html,
        query_value(&location, "code").expect("code in redirect"),
    )
}

/// Exchanges `code` and returns the short-lived token.
async fn token_for(t: &TestSandbox, code: &str) -> String {
    let r = t.exchange(APP_ID, APP_SECRET, REDIRECT, code).await;
    assert_eq!(r.status, 200, "{}", r.json);
    r.json["access_token"].as_str().unwrap().to_owned()
}

async fn debug_token(t: &TestSandbox, token: &str) -> Value {
    let r = t
        .get(&format!(
            "/v26.0/debug_token?input_token={token}&access_token={APP_ID}|{APP_SECRET}"
        ))
        .await;
    assert_eq!(r.status, 200);
    r.json["data"].clone()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test]
async fn the_dialog_shows_each_requested_permission_as_a_checkbox_checked_by_default() {
    let t = start().await;
    let html = t.dialog_page(&dialog_query("")).await;
    assert!(html.contains("<legend>Edit access</legend>"), "{html}");
    assert!(html.contains(r#"name="scope" value="ads_read" checked>"#));
    assert!(html.contains(r#"name="scope" value="email" checked>"#));
    assert!(html.contains(r#"name="scope" value="public_profile" checked disabled>"#));
    assert!(html.contains(r#"<input type="hidden" name="edit_access" value="1">"#));
}

#[tokio::test]
async fn declining_ads_read_issues_a_token_without_it_and_debug_token_says_so() {
    let t = start().await;
    let fields = [("edit_access", "1"), ("scope", "email")];
    let (_, code) = login(&t, "", &fields).await;
    let token = token_for(&t, &code).await;

    let data = debug_token(&t, &token).await;
    assert_eq!(data["is_valid"], true);
    assert_eq!(data["scopes"], json!(["email", "public_profile"]));
    assert_eq!(data["granular_scopes"], json!([]));
    let account = t.graph(&format!("/act_{ALICE_EUR}"), &token).await;
    assert_eq!((account.status.as_u16(), account.error_code()), (403, 200));
}

#[tokio::test]
async fn keeping_every_box_checked_grants_everything_requested() {
    let t = start().await;
    let fields = [
        ("edit_access", "1"),
        ("scope", "ads_read"),
        ("scope", "email"),
    ];
    let (_, code) = login(&t, "", &fields).await;
    let data = debug_token(&t, &token_for(&t, &code).await).await;
    assert_eq!(
        data["scopes"],
        json!(["ads_read", "email", "public_profile"])
    );
    assert_eq!(data["granular_scopes"][0]["scope"], "ads_read");
}

#[tokio::test]
async fn a_declined_permission_is_granted_again_only_after_auth_type_rerequest() {
    let t = start().await;
    login(&t, "", &[("edit_access", "1"), ("scope", "email")]).await;

    // Asked again without rerequest: Facebook does not re-ask, even if the box comes back checked.
    let all = [
        ("edit_access", "1"),
        ("scope", "ads_read"),
        ("scope", "email"),
    ];
    let (_, code) = login(&t, "", &all).await;
    let data = debug_token(&t, &token_for(&t, &code).await).await;
    assert_eq!(data["scopes"], json!(["email", "public_profile"]));

    let (html, code) = login(&t, "&auth_type=rerequest", &all).await;
    assert!(html.contains("Asking again for permissions you declined before."));
    let data = debug_token(&t, &token_for(&t, &code).await).await;
    assert_eq!(
        data["scopes"],
        json!(["ads_read", "email", "public_profile"])
    );
}

#[tokio::test]
async fn debug_token_reports_expiry_and_data_access_expiry_of_short_and_long_lived_tokens() {
    let t = start().await;
    let (_, code) = login(&t, "", &[]).await;
    let short = token_for(&t, &code).await;
    let data = debug_token(&t, &short).await;
    assert!((data["expires_at"].as_i64().unwrap() - (now() + 7200)).abs() < 60);

    let minted = t.token("alice").await;
    for token in [short, minted] {
        let data = debug_token(&t, &token).await;
        assert_eq!(data["app_id"], APP_ID);
        assert_eq!(data["is_valid"], true);
        assert_eq!(data["user_id"], "100000000000001");
        assert!(
            data["scopes"]
                .as_array()
                .unwrap()
                .contains(&json!("ads_read"))
        );
        assert!(data["expires_at"].as_i64().unwrap() > now());
        let data_access = data["data_access_expires_at"].as_i64().unwrap();
        assert!((data_access - (now() + 90 * 86_400)).abs() < 60, "{data}");
    }
    let data = debug_token(&t, &t.token("alice").await).await;
    assert!(data["expires_at"].as_i64().unwrap() > now() + 59 * 86_400);
    assert!(data["issued_at"].as_i64().unwrap() <= now());
}

async fn debug_token_reply(t: &TestSandbox, token: &str) -> Reply {
    t.get(&format!(
        "/v26.0/debug_token?input_token={token}&access_token={APP_ID}|{APP_SECRET}"
    ))
    .await
}

/// Facebook's answer when an app inspects another app's token: 400, code 100, nothing disclosed.
fn assert_foreign(r: &Reply) {
    assert_eq!(r.status, 400, "{}", r.json);
    assert_eq!(r.error_code(), 100);
    assert_eq!(
        r.json["error"]["message"],
        "(#100) The App_id in the input_token did not match the Viewing App"
    );
    assert!(r.json.get("data").is_none());
}

#[tokio::test]
async fn a_token_issued_to_another_app_cannot_be_inspected_by_ours() {
    let t = start().await;
    let r = t.post("/__sandbox/token?user=alice&app_id=other-app").await;
    assert_eq!(r.json["app_id"], "other-app");
    let foreign = r.json["access_token"].as_str().unwrap();

    assert_foreign(&debug_token_reply(&t, foreign).await);
    assert_eq!(t.graph("/me", foreign).await.error_code(), 190);
}

#[tokio::test]
async fn an_expired_token_of_another_app_is_refused_the_same_way() {
    let t = start().await;
    let foreign = t.token_with("alice", "&app_id=other-app&expired=1").await;
    assert_foreign(&debug_token_reply(&t, &foreign).await);
}

#[tokio::test]
async fn debug_token_reports_app_id_validity_and_expiry_of_an_expired_token_of_ours() {
    let t = start().await;
    let expired = t.token_with("alice", "&expired=1").await;
    let data = debug_token(&t, &expired).await;
    assert_eq!(data["app_id"], APP_ID);
    assert_eq!(data["is_valid"], false);
    assert_eq!(data["user_id"], "100000000000001");
    let expires_at = data["expires_at"].as_i64().unwrap();
    assert!((expires_at - (now() - 3600)).abs() < 60, "{data}");
    assert_eq!(
        (&data["error"]["code"], &data["error"]["subcode"]),
        (&json!(190), &json!(463))
    );
}

#[tokio::test]
async fn another_apps_app_token_sees_its_own_token_as_valid() {
    let t = start_with(|c| {
        c.extra_apps.push(adboard_sandbox::FacebookApp {
            app_id: "other-app".into(),
            app_secret: "other-secret".into(),
            redirect_uris: Vec::new(),
        })
    })
    .await;
    let foreign = t.token_with("alice", "&app_id=other-app").await;
    let r = t
        .get(&format!(
            "/v26.0/debug_token?input_token={foreign}&access_token=other-app|other-secret"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["data"]["app_id"], "other-app");
    assert_eq!(r.json["data"]["is_valid"], true);
    assert!(r.json["data"]["expires_at"].as_i64().unwrap() > now());
    // ... and ours cannot look at it.
    assert_foreign(&debug_token_reply(&t, &foreign).await);
}

#[tokio::test]
async fn the_rust_api_mints_the_same_kinds_of_token() {
    let t = start().await;
    let other = TokenOptions {
        app_id: Some("other-app".into()),
        ..TokenOptions::default()
    };
    let foreign = t.sandbox.user_token_with("alice", &other).unwrap();
    assert_foreign(&debug_token_reply(&t, &foreign).await);
    let expired = TokenOptions {
        expired: true,
        ..TokenOptions::default()
    };
    let stale = t.sandbox.user_token_with("alice", &expired).unwrap();
    assert_eq!(debug_token(&t, &stale).await["is_valid"], false);
    let no_ads = TokenOptions {
        scope: Some("public_profile".into()),
        ..TokenOptions::default()
    };
    let token = t.sandbox.user_token_with("alice", &no_ads).unwrap();
    assert_eq!(
        debug_token(&t, &token).await["scopes"],
        json!(["public_profile"])
    );
    let bad = TokenOptions {
        app_id: Some("a|b".into()),
        ..TokenOptions::default()
    };
    assert_eq!(t.sandbox.user_token_with("alice", &bad), None);
}

#[tokio::test]
async fn an_app_id_that_cannot_be_carried_by_a_token_is_refused() {
    let t = start().await;
    let r = t.post("/__sandbox/token?user=alice&app_id=a%7Cb").await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn after_revocation_debug_token_reports_the_token_invalid_and_a_new_login_asks_again() {
    let t = start().await;
    let (_, code) = login(&t, "", &[("edit_access", "1"), ("scope", "email")]).await;
    let token = token_for(&t, &code).await;
    let revoked = t.revoke(&token).await;
    assert_eq!(revoked.json, json!({"success": true}));

    let data = debug_token(&t, &token).await;
    assert_eq!(data["is_valid"], false);
    assert_eq!(
        (&data["error"]["code"], &data["error"]["subcode"]),
        (&json!(190), &json!(458))
    );
    assert_eq!(t.graph("/me", &token).await.error_subcode(), Some(458));

    // Removing the app forgets what was declined: the next login grants all that is asked.
    let (_, code) = login(&t, "", &[]).await;
    let fresh = token_for(&t, &code).await;
    let data = debug_token(&t, &fresh).await;
    assert_eq!(data["is_valid"], true);
    assert_eq!(
        data["scopes"],
        json!(["ads_read", "email", "public_profile"])
    );
}

#[tokio::test]
async fn me_returns_the_email_only_with_the_email_permission() {
    let t = start().await;
    let with = t.token_with("alice", "&scope=ads_read,email").await;
    let me = t.graph("/me?fields=id,name,email", &with).await;
    assert_eq!(me.json["email"], "alice@sandbox.adboard.test");

    let without = t
        .token_with("alice", "&scope=ads_read,public_profile")
        .await;
    let me = t.graph("/me?fields=id,name,email", &without).await;
    assert_eq!(me.status, 200);
    assert_eq!(
        me.json,
        json!({"id": "100000000000001", "name": "Alice Sandbox"})
    );
}
