//! Single edge cases the sandbox cannot stage on demand, each against a `wiremock` server.

use std::time::{Duration, Instant};

use adboard_domain::ads::{AdAccountId, DateRange};
use adboard_facebook::{GraphClient, GraphError, InsightsQuery, Settings, appsecret_proof};
use secrecy::SecretString;
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer, budget_ms: u64) -> GraphClient {
    let mut settings = Settings::new(&server.uri())
        .unwrap()
        .with_app("app", SecretString::from("shh"));
    settings.retry_budget = Duration::from_millis(budget_ms);
    GraphClient::new(settings).unwrap()
}

fn query() -> InsightsQuery {
    InsightsQuery::new(
        AdAccountId::parse("act_42").unwrap(),
        DateRange::parse("2026-05-01", "2026-05-02").unwrap(),
    )
}

fn row(date: &str) -> serde_json::Value {
    json!({"spend": "1.50", "impressions": "10", "inline_link_clicks": "2", "date_start": date, "date_stop": date})
}

#[tokio::test]
async fn every_call_carries_the_appsecret_proof_and_keeps_the_token_out_of_the_url() {
    let server = MockServer::start().await;
    let token = SecretString::from("user-token-123");
    let proof = appsecret_proof(&SecretString::from("shh"), &token);
    Mock::given(method("GET"))
        .and(path("/v26.0/act_42/insights"))
        .and(query_param("appsecret_proof", proof.as_str()))
        .and(header("authorization", "Bearer user-token-123"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": [row("2026-05-01")]})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let rows = client(&server, 1000)
        .daily_insights(&token, &query())
        .await
        .unwrap();

    assert_eq!(rows.len(), 1);
    for request in server.received_requests().await.unwrap() {
        assert!(
            !request.url.as_str().contains("user-token-123"),
            "token in URL"
        );
    }
}

#[tokio::test]
async fn paging_next_on_a_foreign_host_is_followed_on_the_configured_host_without_its_token() {
    let server = MockServer::start().await;
    Mock::given(path("/v26.0/act_42/insights"))
        .and(query_param("after", "MQZDZD"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": [row("2026-05-02")]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v26.0/act_42/insights"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [row("2026-05-01")],
            "paging": {"next": "https://evil.example/v26.0/act_42/insights?access_token=LEAKED&limit=1&after=MQZDZD"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let rows = client(&server, 1000)
        .daily_insights(&SecretString::from("tok"), &query())
        .await
        .unwrap();

    assert_eq!(rows.len(), 2);
    let urls: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.to_string())
        .collect();
    assert!(urls.iter().all(|u| !u.contains("LEAKED")), "{urls:?}");
}

#[tokio::test]
async fn rate_limit_with_a_long_regain_time_gives_up_at_once_with_retry_after() {
    let server = MockServer::start().await;
    Mock::given(path("/v26.0/act_42/insights"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header(
                    "x-business-use-case-usage",
                    r#"{"42":[{"type":"ads_insights","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":5}]}"#,
                )
                .set_body_json(json!({"error": {"message": "(#80004) There have been too many calls to this ad-account.", "type": "OAuthException", "code": 80004, "error_subcode": 2446079, "fbtrace_id": "AFm"}})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let started = Instant::now();
    let err = client(&server, 2000)
        .daily_insights(&SecretString::from("tok"), &query())
        .await
        .unwrap_err();

    assert!(started.elapsed() < Duration::from_millis(2000));
    let GraphError::RateLimited { retry_after, last } = err else {
        panic!("{err:?}")
    };
    assert_eq!(retry_after, Duration::from_secs(300));
    assert_eq!(last.unwrap().fbtrace_id.as_deref(), Some("AFm"));
}

#[tokio::test]
async fn a_sync_report_that_is_too_large_falls_back_to_an_async_report_run() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v26.0/act_42/insights"))
        .respond_with(ResponseTemplate::new(500).set_body_json(
            json!({"error": {"code": 1, "message": "Please reduce the amount of data you're asking for, then retry your request"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v26.0/act_42/insights"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"report_run_id": "6023920149050"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v26.0/6023920149050"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": "6023920149050", "async_status": "Job Running", "async_percent_completion": 100, "is_running": true}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v26.0/6023920149050"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": "6023920149050", "async_status": "Job Completed", "async_percent_completion": 100}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v26.0/6023920149050/insights"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": [row("2026-05-01"), row("2026-05-02")]})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let started = Instant::now();
    let rows = client(&server, 1000)
        .daily_insights(&SecretString::from("tok"), &query())
        .await
        .unwrap();

    assert_eq!(rows.len(), 2);
    // Polled twice: the 100 % "Job Running" was not taken for done; first poll after about 1 s.
    assert!(
        started.elapsed() >= Duration::from_millis(2000),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_failed_async_report_run_is_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v26.0/act_42/insights"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"report_run_id": "77"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v26.0/77"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "77", "async_status": "Job Failed", "async_percent_completion": 0,
            "error_code": -3, "error_subcode": 1504045, "error_message": "Report too large"
        })))
        .mount(&server)
        .await;

    let err = client(&server, 1000)
        .daily_insights_async(&SecretString::from("tok"), &query())
        .await
        .unwrap_err();

    assert!(
        matches!(err, GraphError::ReportFailed { ref status, .. } if status == "Job Failed"),
        "{err:?}"
    );
    assert_eq!(err.kind(), adboard_facebook::ErrorKind::TooMuchData);
}

#[tokio::test]
async fn a_garbled_success_body_is_a_decode_error_not_a_panic() {
    let server = MockServer::start().await;
    Mock::given(path("/v26.0/act_42"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops</html>"))
        .mount(&server)
        .await;

    let err = client(&server, 500)
        .ad_account(
            &SecretString::from("tok"),
            &AdAccountId::parse("42").unwrap(),
        )
        .await
        .unwrap_err();

    assert!(matches!(err, GraphError::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn a_short_rate_limit_is_waited_out_within_the_budget() {
    // The sandbox always announces 5 minutes to regain access; Facebook often says 0.
    let server = MockServer::start().await;
    Mock::given(path("/v26.0/act_42/insights"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-app-usage", r#"{"call_count":100,"total_time":20,"total_cputime":20}"#)
                .insert_header(
                    "x-business-use-case-usage",
                    r#"{"42":[{"type":"ads_insights","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":0}]}"#,
                )
                .set_body_json(json!({"error": {"message": "(#17) User request limit reached", "type": "OAuthException", "is_transient": true, "code": 17, "fbtrace_id": "HsDs"}})),
        )
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/v26.0/act_42/insights"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": [row("2026-05-01")]})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let rows = client(&server, 3000)
        .daily_insights(&SecretString::from("tok"), &query())
        .await
        .unwrap();

    assert_eq!(rows.len(), 1);
}
