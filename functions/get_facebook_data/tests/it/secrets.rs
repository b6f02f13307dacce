//! Tokens never reach a log line or an error body, whatever fails.

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::helpers::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn tokens_never_appear_in_logs_or_error_bodies() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let sb = sandbox().await;
    let deps = deps_for(&sb.base_url);
    let good = token(&sb);
    let mut bodies = Vec::new();

    for account in [
        ALICE_EUR,
        "9000000190",
        "9000000200",
        "1111111111",
        "9000080004",
        "9000000002",
    ] {
        bodies.push(
            get(
                &deps,
                &[
                    ("account_id", account),
                    ("since", &days_ago(3)),
                    ("until", &days_ago(1)),
                ],
                Some(&good),
            )
            .await
            .body,
        );
    }
    bodies.push(
        get(
            &deps,
            &[
                ("account_id", ALICE_EUR),
                ("access_token", "other-token-xyz"),
            ],
            Some(&good),
        )
        .await
        .body,
    );
    bodies.push(
        get(&deps, &[("account_id", ALICE_EUR)], Some("bogus-token-abc"))
            .await
            .body,
    );
    sb.stop().await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("Graph call failed") || logs.contains("request"),
        "nothing was logged"
    );
    for secret in [
        good.as_str(),
        "other-token-xyz",
        "bogus-token-abc",
        "sandbox-secret",
    ] {
        assert!(!logs.contains(secret), "a secret reached the logs");
        assert!(
            bodies.iter().all(|b| !b.contains(secret)),
            "a secret reached an error body"
        );
    }
}

#[test]
fn a_request_and_its_parsed_form_print_without_the_token() {
    let query = vec![
        ("account_id".to_owned(), "1234".to_owned()),
        ("access_token".to_owned(), "query-tok-1".to_owned()),
    ];
    let input = get_facebook_data::HttpInput {
        method: "GET",
        query: &query,
        authorization: Some("Bearer query-tok-1"),
        body: b"",
    };
    let parsed = get_facebook_data::FetchRequest::parse(&input).unwrap();

    let printed = format!("{input:?} {parsed:?}");

    assert!(!printed.contains("query-tok-1"), "{printed}");
    assert!(printed.contains("access_token"));
}
