//! The function failing: each of its error codes (answered by a wiremock function URL), a bare
//! gateway 502, the function timing out, `FUNCTION_URL` unreachable, and — in-process against
//! the sandbox — a rate limit and a token revoked at Facebook between connecting and viewing.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;

fn envelope(code: &str) -> Value {
    json!({"error": {"code": code, "message": "the function's own text"}})
}

async fn function_answering(status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn over_http_the_token_travels_as_a_bearer_header_with_a_json_body_never_in_the_url() {
    let server = MockServer::start().await;
    let world = World::with(&[("FUNCTION_URL", &format!("{}/fn/", server.uri()))]).await;
    let token = world.ready().await;
    let series = json!({
        "account_id": ACCOUNT, "currency": "EUR", "timezone": "Europe/Berlin",
        "since": "2026-05-01", "until": "2026-05-01", "conversion_event": "purchase",
        "conversion_action_type": "omni_purchase",
        "data": [{"date": "2026-05-01", "spend": 12.5, "impressions": 1000, "clicks": 10, "conversions": 2, "conversion_value": 50}],
        "totals": {"spend": 12.5, "impressions": 1000, "clicks": 10, "conversions": 2, "conversion_value": 50}
    });
    Mock::given(method("POST"))
        .and(path("/fn/"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .and(header("content-type", "application/json"))
        .and(query_param_is_missing("access_token"))
        .and(body_partial_json(json!({"account_id": ACCOUNT, "since": "2026-05-01", "until": "2026-05-01", "conversion_event": "purchase"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(series))
        .expect(1)
        .mount(&server)
        .await;
    let html = page_ok(
        &world.read,
        &world.team,
        "since=2026-05-01&until=2026-05-01",
    )
    .await;
    assert_eq!(card_value(&html, "spend"), "12.5");
    assert_eq!(card_value(&html, "cpa"), "6.25");
    let requests = server.received_requests().await.unwrap();
    for request in &requests {
        assert!(
            !request.url.as_str().contains(&token),
            "no token in the URL"
        );
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert!(
            body.get("access_token").is_none(),
            "the body carries no token without IAM auth"
        );
    }
}

#[tokio::test]
async fn each_error_code_of_the_function_gets_its_own_helpful_message() {
    let cases: [(&str, u16, &str, StatusCode); 9] = [
        (
            "invalid_request",
            400,
            "Facebook refused this date range",
            StatusCode::BAD_REQUEST,
        ),
        (
            "token_invalid",
            401,
            "Reconnect needed",
            StatusCode::CONFLICT,
        ),
        (
            "token_expired",
            401,
            "Reconnect needed",
            StatusCode::CONFLICT,
        ),
        (
            "permission_denied",
            403,
            "lacks the permission to read ads insights",
            StatusCode::CONFLICT,
        ),
        (
            "account_not_found",
            404,
            "does not know ad account act_1234567890",
            StatusCode::CONFLICT,
        ),
        (
            "rate_limited",
            429,
            "Try again in 60 seconds",
            StatusCode::TOO_MANY_REQUESTS,
        ),
        (
            "too_much_data",
            502,
            "Choose a shorter range",
            StatusCode::BAD_REQUEST,
        ),
        (
            "upstream_unavailable",
            503,
            "temporarily unavailable",
            StatusCode::SERVICE_UNAVAILABLE,
        ),
        (
            "upstream_timeout",
            504,
            "Facebook did not answer in time",
            StatusCode::GATEWAY_TIMEOUT,
        ),
    ];
    for (code, status, message, web_status) in cases {
        let server = function_answering(status, envelope(code)).await;
        let world = World::with(&[("FUNCTION_URL", &server.uri())]).await;
        world.ready().await;
        let html = page_ok(&world.owner, &world.team, "").await;
        let shown = error_panel(&html).unwrap_or_else(|| panic!("{code}: no error panel"));
        assert!(shown.contains(message), "{code}: {shown}");
        assert!(
            !html.contains("the function's own text"),
            "{code}: our text, not the function's"
        );
        let retry = matches!(
            code,
            "rate_limited" | "upstream_unavailable" | "upstream_timeout"
        );
        assert_eq!(
            html.contains("data-testid=\"retry\""),
            retry,
            "{code}: retry link"
        );
        if code.starts_with("token") || code == "permission_denied" {
            assert!(
                html.contains(">Reconnect Facebook Ads</a>"),
                "{code}: the owner gets the button"
            );
        }
        let (status, json) = data(&world.owner, &world.team, "").await;
        assert_eq!(status, web_status, "{code}");
        assert!(json["error"]["message"].as_str().unwrap().contains(message));
        let csv = get_team(&world.owner, &world.team, "/dashboard.csv", "").await;
        assert_eq!(
            csv.status(),
            web_status,
            "{code}: the CSV fails the same way, never 500"
        );
    }
}

#[tokio::test]
async fn a_rate_limit_says_how_long_to_wait() {
    let server = function_answering(
        429,
        json!({"error": {"code": "rate_limited", "message": "m", "retry_after": 120}}),
    )
    .await;
    let world = World::with(&[("FUNCTION_URL", &server.uri())]).await;
    world.ready().await;
    let html = page_ok(&world.owner, &world.team, "").await;
    assert!(
        error_panel(&html)
            .unwrap()
            .contains("Try again in 120 seconds")
    );
    let (status, _) = data(&world.owner, &world.team, "").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let response = get_team(&world.owner, &world.team, "/dashboard/data.json", "").await;
    assert_eq!(response.headers()["retry-after"], "120");
}

#[tokio::test]
async fn a_gateway_answer_outside_the_contract_a_timeout_and_an_unreachable_url_are_explained() {
    let gateway = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_string("Internal Server Error"))
        .mount(&gateway)
        .await;
    let slow = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&slow)
        .await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", listener.local_addr().unwrap())
    };
    for (url, message) in [
        (gateway.uri(), "answered something we could not read"),
        (slow.uri(), "did not answer in time"),
        (closed, "could not be reached"),
    ] {
        let world = World::with(&[("FUNCTION_URL", &url), ("FUNCTION_TIMEOUT_MS", "500")]).await;
        world.ready().await;
        let html = page_ok(&world.owner, &world.team, "").await;
        let shown = error_panel(&html).unwrap_or_else(|| panic!("{url}: no error panel"));
        assert!(shown.contains(message), "{url}: {shown}");
        assert!(html.contains("data-testid=\"retry\""));
        let csv = get_team(&world.owner, &world.team, "/dashboard.csv", "").await;
        assert!(
            csv.status().is_server_error() && csv.status() != StatusCode::INTERNAL_SERVER_ERROR,
            "{url}"
        );
        assert!(
            csv.text().await.unwrap().contains(message),
            "the error page says why"
        );
    }
}

#[tokio::test]
async fn in_process_a_slow_facebook_hits_the_function_timeout() {
    let world = World::with(&[("FUNCTION_TIMEOUT_MS", "300")]).await;
    world.ready_with_account("9000000999").await; // the sandbox answers this account after 2 s
    let html = page_ok(&world.owner, &world.team, "").await;
    assert!(
        error_panel(&html)
            .unwrap()
            .contains("did not answer in time")
    );
}

#[tokio::test]
async fn in_process_a_rate_limited_account_gets_the_wait_and_a_retry() {
    let world = World::new().await;
    world.ready_with_account("9000080004").await;
    let html = page_ok(
        &world.read,
        &world.team,
        "since=2026-05-01&until=2026-05-02",
    )
    .await;
    let shown = error_panel(&html).unwrap();
    assert!(
        shown.contains("Facebook is limiting how often") && shown.contains("seconds"),
        "{shown}"
    );
    assert!(html.contains("data-testid=\"retry\""));
}

#[tokio::test]
async fn a_token_revoked_at_facebook_after_connecting_says_reconnect_needed_from_then_on() {
    let world = World::new().await;
    let token = world.ready().await;
    let revoked = reqwest::Client::new()
        .delete(format!("{}/v26.0/me/permissions", world.sandbox.base_url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(revoked.status().is_success());

    let html = page_ok(&world.owner, &world.team, "").await;
    assert!(error_panel(&html).unwrap().contains("Reconnect needed"));
    assert!(html.contains(">Reconnect Facebook Ads</a>"));
    let connector = world
        .store
        .get_connector(world.team_id(), Platform::Facebook)
        .await
        .unwrap()
        .unwrap();
    assert!(
        connector.health.invalid_reason.is_some(),
        "the refusal is recorded on the connector"
    );
    let read = page_ok(&world.read, &world.team, "").await;
    assert!(read.contains("data-kind=\"reconnect\"") && read.contains("Ask the team's owner"));
    assert!(!html.contains(&token) && !read.contains(&token));
}
