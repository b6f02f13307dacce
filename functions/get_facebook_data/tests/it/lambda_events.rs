//! The example events in `events/` through the real `lambda_http` adapter (function URL v2 and
//! API Gateway REST v1), as `cargo lambda invoke` sends them.

use get_facebook_data::lambda::handle_lambda;
use lambda_http::Body;

use crate::helpers::*;

async fn invoke(event_file: &str) -> (u16, Option<String>, serde_json::Value) {
    let sb = sandbox().await;
    let deps = deps_for(&sb.base_url);
    let path = format!("{}/events/{event_file}", env!("CARGO_MANIFEST_DIR"));
    let event = std::fs::read_to_string(path)
        .unwrap()
        .replace("SANDBOX_TOKEN", &token(&sb));
    let request = lambda_http::request::from_str(&event).unwrap();

    let response = handle_lambda(&deps, request).await.unwrap();

    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = match response.body() {
        Body::Text(t) => serde_json::from_str(t).unwrap(),
        other => panic!("unexpected body {other:?}"),
    };
    sb.stop().await;
    (status, content_type, body)
}

#[tokio::test]
async fn the_function_url_get_event_returns_a_week() {
    let (status, content_type, body) = invoke("function-url-get.json").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(
        (body["account_id"].as_str(), body["since"].as_str()),
        (Some("1234567890"), Some("2026-05-01"))
    );
    assert_eq!(body["data"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn the_function_url_post_event_with_aliases_returns_thirty_days() {
    let (status, _, body) = invoke("function-url-post.json").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"].as_array().unwrap().len(), 30);
    assert_eq!(body["until"].as_str(), Some("2026-05-30"));
}

#[tokio::test]
async fn the_api_gateway_rest_event_returns_three_days() {
    let (status, _, body) = invoke("apigw-rest-get.json").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"].as_array().unwrap().len(), 3);
    assert_eq!(body["currency"].as_str(), Some("EUR"));
}

#[tokio::test]
async fn a_function_url_event_repeating_a_query_parameter_is_rejected() {
    let deps = offline_deps();
    let path = format!(
        "{}/events/function-url-get.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut event: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    event["rawQueryString"] = "account_id=1&account_id=2".into();
    let request = lambda_http::request::from_str(&event.to_string()).unwrap();

    let response = handle_lambda(&deps, request).await.unwrap();

    assert_eq!(response.status().as_u16(), 400);
    let Body::Text(body) = response.body() else {
        panic!("unexpected body");
    };
    assert!(
        body.contains("invalid_request") && body.contains("account_id"),
        "{body}"
    );
    assert_eq!(deps.client.graph_calls(), 0);
}
