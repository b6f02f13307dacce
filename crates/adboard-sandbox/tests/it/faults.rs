//! Faults on demand: admin rules, magic accounts, latency, empty pages that still have `next`.

use std::time::{Duration, Instant};

use adboard_sandbox::{FaultKind, FaultRule};
use serde_json::{Value, json};

use crate::helpers::*;

const DAILY: &str = "insights?fields=spend,impressions&time_increment=1&date_preset=last_30d";

#[tokio::test]
async fn an_admin_fault_fails_the_next_calls_then_clears_itself() {
    let t = start().await;
    let token = t.token("alice").await;
    let resp = t
        .client
        .post(t.url("/__sandbox/faults"))
        .json(&json!({"kind": "user_rate_limit", "times": 2, "account_id": ALICE_EUR}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    for _ in 0..2 {
        let r = t.graph(&format!("/act_{ALICE_EUR}/{DAILY}"), &token).await;
        assert_eq!(r.status, 400);
        assert_eq!(r.error_code(), 17);
        assert_eq!(r.json["error"]["is_transient"], true);
        let buc: Value =
            serde_json::from_str(&r.header("x-business-use-case-usage").unwrap()).unwrap();
        assert_eq!(buc[ALICE_EUR][0]["call_count"], 100);
        assert!(
            buc[ALICE_EUR][0]["estimated_time_to_regain_access"]
                .as_u64()
                .unwrap()
                > 0
        );
    }
    // Other accounts were never affected, and the third call succeeds.
    assert_eq!(
        t.graph(&format!("/act_2345678901/{DAILY}"), &token)
            .await
            .status,
        200
    );
    assert_eq!(
        t.graph(&format!("/act_{ALICE_EUR}/{DAILY}"), &token)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn deleting_faults_clears_every_rule() {
    let t = start().await;
    let token = t.token("alice").await;
    t.sandbox.add_fault(FaultRule {
        kind: FaultKind::Transient,
        times: None,
        account_id: None,
        delay_ms: None,
    });
    assert_eq!(t.graph("/me", &token).await.status, 503);
    let listed: Value = t
        .client
        .get(t.url("/__sandbox/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["faults"][0]["kind"], "transient");
    let resp = t
        .client
        .delete(t.url("/__sandbox/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    assert_eq!(t.graph("/me", &token).await.status, 200);
}

#[tokio::test]
async fn magic_accounts_fail_with_their_documented_errors() {
    let t = start().await;
    let token = t.token("alice").await;
    let cases: &[(&str, u16, i64, Option<i64>)] = &[
        ("9000000001", 500, 1, None),
        ("9000000002", 503, 2, None),
        ("9000000004", 400, 4, None),
        ("9000000010", 400, 10, None),
        ("9000000017", 400, 17, None),
        ("9000000032", 400, 32, None),
        ("9000000099", 500, 1, Some(99)),
        ("9000000190", 400, 190, Some(463)),
        ("9000000200", 403, 200, None),
        ("9000080004", 400, 80004, Some(2446079)),
        ("9000000613", 400, 613, None),
        ("9001504018", 400, 100, Some(1504018)),
        ("9001504039", 400, 4, Some(1504039)),
    ];
    for (account, status, code, subcode) in cases {
        let r = t.graph(&format!("/act_{account}/{DAILY}"), &token).await;
        assert_eq!(r.status.as_u16(), *status, "act_{account}: {}", r.json);
        assert_eq!(r.error_code(), *code, "act_{account}");
        assert_eq!(r.error_subcode(), *subcode, "act_{account}");
        assert!(r.json["error"]["message"].is_string());
    }
}

#[tokio::test]
async fn rate_limited_answers_carry_app_and_business_usage_headers() {
    let t = start().await;
    let token = t.token("alice").await;
    let r = t.graph(&format!("/act_9000080004/{DAILY}"), &token).await;
    let app: Value = serde_json::from_str(&r.header("x-app-usage").unwrap()).unwrap();
    assert_eq!(app["call_count"], 100);
    let buc: Value = serde_json::from_str(&r.header("x-business-use-case-usage").unwrap()).unwrap();
    assert_eq!(buc["9000080004"][0]["type"], "ads_insights");
}

#[tokio::test]
async fn an_empty_first_page_still_has_next_and_the_rows_follow() {
    let t = start().await;
    let token = t.token("alice").await;
    let first = t
        .graph(&format!("/act_9000000100/{DAILY}&limit=10"), &token)
        .await;
    assert_eq!(first.status, 200);
    assert_eq!(first.json["data"], json!([]));
    let next = first.json["paging"]["next"].as_str().unwrap();
    let second = t.get_url(next).await;
    assert!(!second.json["data"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_slow_fault_delays_the_answer() {
    let t = start().await;
    let token = t.token("alice").await;
    t.sandbox.add_fault(FaultRule {
        kind: FaultKind::Slow,
        times: Some(1),
        account_id: None,
        delay_ms: Some(300),
    });
    let started = Instant::now();
    assert_eq!(t.graph("/me", &token).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn configured_graph_latency_applies_to_every_graph_call() {
    let t = start_with(|c| c.graph_latency = Duration::from_millis(150)).await;
    let token = t.token("alice").await;
    let started = Instant::now();
    t.graph("/me", &token).await;
    t.graph("/me", &token).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn an_admin_token_fault_expires_the_next_call() {
    let t = start().await;
    let token = t.token("alice").await;
    t.sandbox.add_fault(FaultRule {
        kind: FaultKind::ExpiredToken,
        times: Some(1),
        account_id: None,
        delay_ms: None,
    });
    let r = t.graph("/me", &token).await;
    assert_eq!(r.error_subcode(), Some(463));
    assert_eq!(t.graph("/me", &token).await.status, 200);
}

#[tokio::test]
async fn the_sandbox_stops_cleanly() {
    let t = start().await;
    let base = t.base.clone();
    t.sandbox.stop().await;
    assert!(reqwest::get(format!("{base}/oidc/jwks")).await.is_err());
}
