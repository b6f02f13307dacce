//! DynamoDB transactions that collide with another one (`TransactionConflict`) are retried with
//! backoff, a bounded number of times; a failed condition is never retried. moto never reports a
//! conflict, so a local mock server plays DynamoDB for these edge cases.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use adboard_domain::account::UserId;
use adboard_store::dynamodb::DynamoStore;
use adboard_store::{StoreError, TeamStore as _};
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::team_name;

const JSON: &str = "application/x-amz-json-1.0";

/// Answers the first `conflicts` TransactWriteItems calls with a cancellation whose reasons are
/// `reasons`, then succeeds; counts every call.
struct Transactions {
    calls: Arc<AtomicUsize>,
    conflicts: usize,
    reasons: &'static [&'static str],
}

impl Respond for Transactions {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        if call >= self.conflicts {
            return ResponseTemplate::new(200).set_body_raw("{}", JSON);
        }
        let reasons: Vec<serde_json::Value> = self
            .reasons
            .iter()
            .map(|code| serde_json::json!({ "Code": code }))
            .collect();
        let body = serde_json::json!({
            "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            "Message": format!("Transaction cancelled, please refer cancellation reasons for specific reasons {:?}", self.reasons),
            "CancellationReasons": reasons,
        });
        ResponseTemplate::new(400).set_body_raw(body.to_string(), JSON)
    }
}

/// A store on a mock DynamoDB whose transactions answer as `transactions` says.
async fn store_on_mock(
    conflicts: usize,
    reasons: &'static [&'static str],
) -> (DynamoStore, Arc<AtomicUsize>, MockServer) {
    let server = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(header(
            "x-amz-target",
            "DynamoDB_20120810.TransactWriteItems",
        ))
        .respond_with(Transactions {
            calls: Arc::clone(&calls),
            conflicts,
            reasons,
        })
        .mount(&server)
        .await;
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(server.uri())
        .credentials_provider(Credentials::new("dummy", "dummy", None, None, "tests"))
        .build();
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::from_conf(config), "adboard-mock");
    (store, calls, server)
}

/// `create_team` writes [user check, team, owner membership]; the team item collides.
const TEAM_COLLIDES: &[&str] = &["None", "TransactionConflict", "None"];

#[tokio::test]
async fn a_transaction_that_collides_once_is_retried_and_succeeds() {
    let (store, calls, _server) = store_on_mock(1, TEAM_COLLIDES).await;
    let created = store
        .create_team(UserId::new_random(), team_name("Retried"))
        .await;
    assert!(created.is_ok(), "{created:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 2, "one conflict, one retry");
}

#[tokio::test]
async fn a_transaction_that_keeps_colliding_fails_after_a_bounded_number_of_attempts() {
    let (store, calls, _server) = store_on_mock(usize::MAX, TEAM_COLLIDES).await;
    let started = std::time::Instant::now();
    let created = store
        .create_team(UserId::new_random(), team_name("Never"))
        .await;
    assert!(
        matches!(created, Err(StoreError::Backend(_))),
        "{created:?}"
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        8,
        "eight attempts, then give up"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "bounded backoff"
    );
}

#[tokio::test]
async fn a_failed_condition_is_answered_at_once_and_never_retried() {
    // The user check (item 0) failed: the owner does not exist.
    let (store, calls, _server) =
        store_on_mock(usize::MAX, &["ConditionalCheckFailed", "None", "None"]).await;
    let created = store
        .create_team(UserId::new_random(), team_name("Ghost"))
        .await;
    assert!(matches!(created, Err(StoreError::NotFound)), "{created:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
