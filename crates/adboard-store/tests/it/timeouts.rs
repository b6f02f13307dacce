//! A DynamoDB endpoint that accepts connections and never answers: every call fails within the
//! operation timeout as `StoreError::Unavailable`, never hangs.

use std::time::{Duration, Instant};

use adboard_store::{StoreError, StoreOptions, Timeouts};

/// A socket on 127.0.0.1 that accepts every connection and never writes a byte.
fn silent_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_dynamodb_that_never_answers_fails_each_call_within_the_operation_timeout() {
    // Arrange
    let options = StoreOptions {
        dynamodb_endpoint: Some(silent_endpoint()),
        timeouts: Timeouts::default(),
    };
    let store = adboard_store::open_with("dynamodb://silent-table", &options)
        .await
        .unwrap();

    // Act
    let started = Instant::now();
    let ping = store.ping().await;
    let user = store
        .get_user(adboard_domain::account::UserId::new_random())
        .await;
    let took = started.elapsed();

    // Assert
    assert!(matches!(ping, Err(StoreError::Unavailable(_))), "{ping:?}");
    assert!(matches!(user, Err(StoreError::Unavailable(_))), "{user:?}");
    assert!(
        took < options.timeouts.operation * 2 + Duration::from_millis(500),
        "two calls took {took:?}"
    );
}
