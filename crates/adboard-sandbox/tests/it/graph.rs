//! Graph nodes: `/me`, `/me/adaccounts`, `/act_{id}`; token and appsecret_proof handling.

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::helpers::*;

fn proof(message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(APP_SECRET.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn me_returns_id_and_name_and_email_only_when_asked() {
    let t = start().await;
    let token = t.token("alice").await;
    let me = t.graph("/me", &token).await;
    assert_eq!(
        me.json,
        json!({"id": "100000000000001", "name": "Alice Sandbox"})
    );
    let me = t.graph("/me?fields=id,name,email", &token).await;
    assert_eq!(me.json["email"], "alice@sandbox.adboard.test");
    assert_eq!(
        me.header("content-type").as_deref(),
        Some("application/json; charset=UTF-8")
    );
    assert_eq!(me.header("facebook-api-version").as_deref(), Some("v26.0"));
    assert!(me.header("x-fb-trace-id").is_some());
}

#[tokio::test]
async fn adaccounts_lists_the_users_accounts_in_facebooks_shape() {
    let t = start().await;
    let token = t.token("alice").await;
    let r = t
        .graph(
            "/me/adaccounts?fields=account_id,name,currency,timezone_name,account_status",
            &token,
        )
        .await;
    assert_eq!(r.status, 200);
    let data = r.json["data"].as_array().unwrap();
    assert_eq!(data.len(), 3);
    assert_eq!(
        data[0],
        json!({"account_id": "1234567890", "name": "Alice Shoes EU", "currency": "EUR",
               "timezone_name": "Europe/Berlin", "account_status": 1, "id": "act_1234567890"})
    );
    assert_eq!(data[1]["currency"], "USD");
    assert_eq!(data[1]["timezone_name"], "America/Los_Angeles");
    assert!(r.json["paging"]["cursors"]["after"].is_string());
    assert!(r.json["paging"].get("next").is_none());
    let bob = t.token("bob").await;
    assert_eq!(
        t.graph("/me/adaccounts", &bob).await.json["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn an_account_node_returns_its_six_fields() {
    let t = start().await;
    let token = t.token("alice").await;
    let r = t.graph("/act_2345678901", &token).await;
    assert_eq!(
        r.json,
        json!({"account_id": "2345678901", "name": "Alice Shoes US", "currency": "USD",
               "timezone_name": "America/Los_Angeles", "account_status": 1, "id": "act_2345678901"})
    );
}

#[tokio::test]
async fn any_graph_version_prefix_and_no_prefix_are_accepted() {
    let t = start().await;
    let token = t.token("alice").await;
    let r = t.get(&format!("/v19.0/me?access_token={token}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("facebook-api-version").as_deref(), Some("v19.0"));
    assert_eq!(
        t.get(&format!("/me?access_token={token}")).await.status,
        200
    );
}

#[tokio::test]
async fn a_request_without_a_token_is_rejected() {
    let t = start().await;
    let r = t.get("/v26.0/act_1234567890/insights").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), 104);
}

#[tokio::test]
async fn a_garbled_token_is_rejected_with_190_and_www_authenticate() {
    let t = start().await;
    let r = t.graph("/me", "EAAgarbage").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), 190);
    assert_eq!(r.json["error"]["type"], "OAuthException");
    assert!(r.json["error"]["fbtrace_id"].is_string());
    let www = r.header("www-authenticate").unwrap();
    assert!(
        www.starts_with("OAuth \"Facebook Platform\" \"invalid_token\""),
        "{www}"
    );
}

#[tokio::test]
async fn an_expired_token_is_rejected_with_190_463() {
    let t = start().await;
    let expired = t.token_with("alice", "&expired=1").await;
    let r = t.graph("/me", &expired).await;
    assert_eq!(r.error_code(), 190);
    assert_eq!(r.error_subcode(), Some(463));
    assert!(
        r.json["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Error validating access token: Session has expired on")
    );
    let magic = t.graph("/me", "sandbox-expired-token").await;
    assert_eq!(magic.error_subcode(), Some(463));
}

#[tokio::test]
async fn tokens_are_accepted_in_bearer_and_oauth_authorization_headers() {
    let t = start().await;
    let token = t.token("alice").await;
    for scheme in ["Bearer", "OAuth"] {
        let resp = t
            .client
            .get(t.url("/v26.0/me"))
            .header("Authorization", format!("{scheme} {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{scheme}");
    }
}

#[tokio::test]
async fn non_numeric_account_ids_are_rejected() {
    let t = start().await;
    let token = t.token("alice").await;
    for node in ["act_abc", "act_12%2F..%2Fme", "act_", "act_-1"] {
        let r = t.graph(&format!("/{node}/insights"), &token).await;
        assert_eq!(r.status, 400, "{node}");
        assert_eq!(r.error_code(), 100, "{node}");
        let r = t.graph(&format!("/{node}"), &token).await;
        assert_eq!(r.error_code(), 100, "{node}");
    }
}

#[tokio::test]
async fn an_unknown_account_is_rejected_with_100_33() {
    let t = start().await;
    let token = t.token("alice").await;
    let r = t.graph("/act_999/insights", &token).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), 100);
    assert_eq!(r.error_subcode(), Some(33));
    assert_eq!(r.json["error"]["type"], "GraphMethodException");
    assert!(
        r.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Object with ID 'act_999' does not exist")
    );
}

#[tokio::test]
async fn another_users_account_is_not_readable() {
    let t = start().await;
    let bob = t.token("bob").await;
    let r = t.graph(&format!("/act_{ALICE_EUR}"), &bob).await;
    assert_eq!(r.error_subcode(), Some(33));
}

#[tokio::test]
async fn a_token_without_ads_read_gets_a_403_permission_error() {
    let t = start().await;
    let token = t.token_with("alice", "&scope=public_profile").await;
    let r = t.graph(&format!("/act_{ALICE_EUR}/insights"), &token).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.error_code(), 200);
}

#[tokio::test]
async fn unknown_fields_on_an_account_are_rejected() {
    let t = start().await;
    let token = t.token("alice").await;
    let r = t
        .graph(&format!("/act_{ALICE_EUR}?fields=name,foo"), &token)
        .await;
    assert_eq!(r.error_code(), 100);
    assert_eq!(
        r.json["error"]["message"],
        "(#100) Tried accessing nonexisting field (foo) on node type (AdAccount)"
    );
}

#[tokio::test]
async fn a_missing_appsecret_proof_is_rejected_when_the_app_requires_it() {
    let t = start_with(|c| c.require_appsecret_proof = true).await;
    let token = t.token("alice").await;
    let r = t.graph("/me", &token).await;
    assert_eq!(r.error_code(), 100);
    assert_eq!(
        r.json["error"]["message"],
        "API calls from the server require an appsecret_proof argument"
    );
}

#[tokio::test]
async fn a_wrong_appsecret_proof_is_rejected() {
    let t = start_with(|c| c.require_appsecret_proof = true).await;
    let token = t.token("alice").await;
    let r = t
        .graph(&format!("/me?appsecret_proof={}", proof("other")), &token)
        .await;
    assert_eq!(
        r.json["error"]["message"],
        "Invalid appsecret_proof provided in the API argument"
    );
    let now = chrono_now();
    let stale = now - 600;
    let r = t
        .graph(
            &format!(
                "/me?appsecret_proof={}&appsecret_time={stale}",
                proof(&format!("{token}|{stale}"))
            ),
            &token,
        )
        .await;
    assert_eq!(
        r.error_code(),
        100,
        "a proof older than 5 minutes is refused"
    );
}

#[tokio::test]
async fn legacy_and_time_stamped_appsecret_proofs_are_accepted() {
    let t = start_with(|c| c.require_appsecret_proof = true).await;
    let token = t.token("alice").await;
    let r = t
        .graph(&format!("/me?appsecret_proof={}", proof(&token)), &token)
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let now = chrono_now();
    let r = t
        .graph(
            &format!(
                "/me?appsecret_proof={}&appsecret_time={now}",
                proof(&format!("{token}|{now}"))
            ),
            &token,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
}

#[tokio::test]
async fn an_unknown_path_answers_a_graph_error() {
    let t = start().await;
    let r = t.get("/v26.0/me/something/else").await;
    assert_eq!(r.status, 400);
    assert!(r.json["error"]["code"].is_i64());
}

#[tokio::test]
async fn a_browser_asking_for_the_favicon_gets_an_empty_answer_not_a_graph_error() {
    let t = start().await;
    let response = t.client.get(t.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert!(response.bytes().await.unwrap().is_empty());
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
