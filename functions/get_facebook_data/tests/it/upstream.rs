//! Facebook's failures, staged by the sandbox (and wiremock for two edge cases), become the
//! contract's statuses and codes — never a bare 500, never a token in a body.

use adboard_sandbox::{FaultKind, FaultRule};
use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

fn week(account: &str) -> Vec<(&str, String)> {
    vec![
        ("account_id", account.to_owned()),
        ("since", days_ago(7)),
        ("until", days_ago(1)),
    ]
}

async fn ask(deps: &get_facebook_data::Deps, account: &str, token: &str) -> Answer {
    let q = week(account);
    let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
    get(deps, &q, Some(token)).await
}

fn assert_error(answer: &Answer, status: u16, code: &str, token: &str) {
    assert_eq!(
        (answer.status, answer.error_code()),
        (status, code),
        "{}",
        answer.body
    );
    assert!(
        !answer.body.contains(token),
        "token leaked into {}",
        answer.body
    );
}

#[tokio::test]
async fn an_expired_token_is_401_token_expired() {
    let sb = sandbox().await;
    let deps = deps_for(&sb.base_url);
    let expired: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/__sandbox/token?user=alice&expired=1",
            sb.base_url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expired = expired["access_token"].as_str().unwrap();

    let answer = ask(&deps, ALICE_EUR, expired).await;
    let magic = ask(&deps, "9000000190", &token(&sb)).await;

    assert_error(&answer, 401, "token_expired", expired);
    assert_error(&magic, 401, "token_expired", &token(&sb));
    assert!(answer.json["error"]["fbtrace_id"].is_string());
    sb.stop().await;
}

#[tokio::test]
async fn an_invalid_token_is_401_token_invalid() {
    let sb = sandbox().await;
    let answer = ask(&deps_for(&sb.base_url), ALICE_EUR, "EAAB-garbage-token").await;
    assert_error(&answer, 401, "token_invalid", "EAAB-garbage-token");
    sb.stop().await;
}

#[tokio::test]
async fn an_unknown_account_is_404_account_not_found() {
    let sb = sandbox().await;
    let answer = ask(&deps_for(&sb.base_url), "1111111111", &token(&sb)).await;
    assert_error(&answer, 404, "account_not_found", &token(&sb));
    sb.stop().await;
}

#[tokio::test]
async fn a_missing_permission_is_403_permission_denied() {
    let sb = sandbox().await;
    let answer = ask(&deps_for(&sb.base_url), "9000000200", &token(&sb)).await;
    assert_error(&answer, 403, "permission_denied", &token(&sb));
    sb.stop().await;
}

#[tokio::test]
async fn a_long_rate_limit_is_429_with_retry_after() {
    let sb = sandbox().await;
    let started = std::time::Instant::now();

    let answer = ask(&deps_for(&sb.base_url), "9000080004", &token(&sb)).await;

    assert_error(&answer, 429, "rate_limited", &token(&sb));
    assert_eq!(answer.header("retry-after"), Some("300"));
    assert_eq!(answer.json["error"]["retry_after"].as_u64(), Some(300));
    assert!(answer.json["error"]["fbtrace_id"].is_string());
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    sb.stop().await;
}

#[tokio::test]
async fn a_transient_500_then_success_is_200() {
    let sb = sandbox().await;
    sb.add_fault(FaultRule {
        kind: FaultKind::UnknownError,
        times: Some(1),
        account_id: None,
        delay_ms: None,
    });
    sb.add_fault(FaultRule {
        kind: FaultKind::Transient,
        times: Some(1),
        account_id: None,
        delay_ms: None,
    });

    let answer = ask(&deps_for(&sb.base_url), ALICE_EUR, &token(&sb)).await;

    assert_eq!(answer.status, 200, "{}", answer.body);
    sb.stop().await;
}

#[tokio::test]
async fn facebook_down_for_longer_than_the_budget_is_503() {
    let sb = sandbox().await;
    sb.add_fault(FaultRule {
        kind: FaultKind::Transient,
        times: None,
        account_id: None,
        delay_ms: None,
    });

    let answer = ask(&deps_for(&sb.base_url), ALICE_EUR, &token(&sb)).await;

    assert_error(&answer, 503, "upstream_unavailable", &token(&sb));
    sb.stop().await;
}

#[tokio::test]
async fn an_empty_page_with_next_still_gives_the_whole_series() {
    let sb = sandbox().await;
    let answer = ask(&deps_for(&sb.base_url), "9000000100", &token(&sb)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let data = answer.json["data"].as_array().unwrap();
    assert_eq!(data.len(), 7);
    assert!(
        data.iter().any(|d| d["impressions"].as_u64() > Some(0)),
        "{}",
        answer.body
    );
    sb.stop().await;
}

#[tokio::test]
async fn a_report_too_large_even_for_an_async_run_is_too_much_data() {
    let sb = sandbox().await;
    let answer = ask(&deps_for(&sb.base_url), "9000000001", &token(&sb)).await;
    assert_error(&answer, 502, "too_much_data", &token(&sb));
    sb.stop().await;
}

#[tokio::test]
async fn a_graph_that_does_not_answer_in_time_is_504() {
    let sb = sandbox().await;
    let mut deps = deps_for(&sb.base_url);
    let mut settings = deps.client.settings().clone();
    settings.request_timeout = std::time::Duration::from_millis(300);
    settings.retry_budget = std::time::Duration::from_millis(500);
    deps.client = adboard_facebook::GraphClient::new(settings).unwrap();

    let answer = ask(&deps, "9000000999", &token(&sb)).await;

    assert_error(&answer, 504, "upstream_timeout", &token(&sb));
    sb.stop().await;
}

async fn edge_server(insights: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/v26.0/act_42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"account_id": "42", "id": "act_42", "currency": "EUR", "timezone_name": "Europe/Berlin", "account_status": 1}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/v26.0/act_42/insights"))
        .respond_with(insights)
        .up_to_n_times(times)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_value_that_is_not_a_number_is_502_upstream_unavailable() {
    let day = days_ago(2);
    let server = edge_server(
        ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"spend": "12,50", "impressions": "10", "inline_link_clicks": "1", "date_start": day, "date_stop": day}
        ]})),
        1,
    )
    .await;

    let answer = ask(&deps_for(&server.uri()), "42", "tok-123").await;

    assert_error(&answer, 502, "upstream_unavailable", "tok-123");
}

#[tokio::test]
async fn a_short_rate_limit_then_recovery_succeeds_within_the_budget() {
    // The sandbox always announces 5 minutes to regain access, so the short case is staged here.
    let day = days_ago(2);
    let server = edge_server(
        ResponseTemplate::new(400)
            .insert_header(
                "x-business-use-case-usage",
                r#"{"42":[{"type":"ads_insights","call_count":100,"total_cputime":9,"total_time":9,"estimated_time_to_regain_access":0}]}"#,
            )
            .set_body_json(json!({"error": {"message": "(#17) User request limit reached", "code": 17, "is_transient": true}})),
        2,
    )
    .await;
    Mock::given(path("/v26.0/act_42/insights"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"spend": "1.25", "impressions": "10", "inline_link_clicks": "1", "date_start": day, "date_stop": day}
        ]})))
        .mount(&server)
        .await;

    let answer = ask(&deps_for(&server.uri()), "42", "tok-123").await;

    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json["totals"]["spend"].to_string(), "1.25");
}
