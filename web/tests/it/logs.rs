//! The log records request paths but never a query string, code, state or secret.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use crate::helpers::query_param;
use crate::mock_oidc::{CLIENT_SECRET, spawn_app_with_mock};

/// Everything logged by this test binary (all tests share the one global subscriber).
#[derive(Clone, Default)]
pub(crate) struct Captured(pub(crate) Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(crate) fn captured() -> Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Captured::default();
        let writer = log.clone();
        adboard_web::telemetry::init_with_writer(move || writer.clone());
        log
    })
    .clone()
}

#[tokio::test]
async fn the_log_shows_callback_paths_but_never_codes_states_or_secrets() {
    let log = captured();
    let (app, mock) = spawn_app_with_mock(None).await;
    let authorize = app.start_login("oidc", None).await;
    mock.answer_with(mock.good_claims(&authorize, "ann"));
    let state = query_param(&authorize, "state").unwrap();
    let nonce = query_param(&authorize, "nonce").unwrap();
    let ok = app
        .get_callback("oidc", &[("code", "SECRET-CODE-1"), ("state", &state)])
        .await;
    assert_eq!(ok.status(), 303);
    let bad = app
        .get_callback(
            "oidc",
            &[("code", "SECRET-CODE-2"), ("state", "SECRET-FORGED-STATE")],
        )
        .await;
    assert_eq!(bad.status(), 400);
    // A signed-out visit to a page behind login with a query string: redirected to sign in, and
    // the query (which may carry anything) stays out of the log.
    let signed_out = crate::helpers::browser().0;
    let behind_login = signed_out
        .get(format!("{}/profile?token=SECRET-QUERY-TOKEN", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(behind_login.status(), 303);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("/login/oidc/callback"),
        "the path is logged: {text}"
    );
    for secret in [
        "SECRET-CODE-1",
        "SECRET-CODE-2",
        "SECRET-FORGED-STATE",
        "SECRET-QUERY-TOKEN",
        &state,
        &nonce,
        CLIENT_SECRET,
        // A query string's code (`error.code=` of a log field is no secret).
        "?code=",
        "&code=",
    ] {
        assert!(
            !text.contains(secret),
            "the log must not contain {secret:?}"
        );
    }
}
