//! Fuzz target: Facebook's error envelope (status + body) → `FacebookError` → what the function answers.
//!
//! Properties: the HTTP status is kept; a body without an envelope is classified by status alone
//! (5xx transient, else other); the function's answer is a 4xx/5xx whose message is one of our own
//! sentences — never Facebook's text — and it has `Retry-After` exactly when it is `rate_limited`.
#![no_main]

use adboard_facebook::{ErrorKind, FacebookError, GraphError};
use std::sync::OnceLock;

use adboard_fuzz::StatusBody;
use get_facebook_data::{FnError, error_output};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: StatusBody| {
    let err = FacebookError::from_body(input.status, &input.body);
    assert_eq!(err.http_status, input.status);
    let kind = err.kind();
    if err.code.is_none() && err.subcode.is_none() && err.is_transient != Some(true) {
        let by_status = if input.status >= 500 {
            ErrorKind::Transient
        } else {
            ErrorKind::Other
        };
        assert_eq!(kind, by_status);
    }
    let _ = err.to_string();

    let out = error_output(&FnError::Graph(GraphError::Api(Box::new(err))));
    assert!((400..=599).contains(&out.status), "{}", out.status);
    let envelope: serde_json::Value = serde_json::from_str(&out.body).unwrap();
    let message = envelope["error"]["message"].as_str().unwrap();
    assert!(
        our_sentences().iter().any(|s| s == message),
        "not one of our sentences: {message:?}"
    );
    let rate_limited = envelope["error"]["code"] == "rate_limited";
    assert_eq!(rate_limited, kind == ErrorKind::RateLimited);
    assert_eq!(
        rate_limited,
        out.headers.iter().any(|(name, _)| *name == "retry-after")
    );
});

/// Every message the function can answer a Facebook error with: one error of each kind, described.
fn our_sentences() -> &'static [String] {
    static SENTENCES: OnceLock<Vec<String>> = OnceLock::new();
    SENTENCES.get_or_init(|| {
        let api = |status: u16, body: &str| {
            FnError::Graph(GraphError::Api(Box::new(FacebookError::from_body(
                status,
                body.as_bytes(),
            ))))
        };
        let one_of_each_kind = [
            api(400, r#"{"error":{"code":190,"error_subcode":463}}"#),
            api(400, r#"{"error":{"code":190}}"#),
            api(403, r#"{"error":{"code":200}}"#),
            api(400, r#"{"error":{"code":100,"error_subcode":33}}"#),
            api(400, r#"{"error":{"code":17}}"#),
            api(500, r#"{"error":{"code":1,"error_subcode":1504018}}"#),
            api(400, r#"{"error":{"code":3018}}"#),
            api(503, r#"{"error":{"code":2}}"#),
            api(400, r#"{"error":{"code":999999}}"#),
        ];
        one_of_each_kind.iter().map(|e| e.describe().2).collect()
    })
}
