//! The OpenAPI document matches the behaviour: it is served at `/api/openapi.json`, and every
//! status code it documents for an operation is produced here by a real request (and no request
//! here produces an undocumented one); 200 answers carry their schema's required fields.

use std::collections::BTreeSet;

use adboard_sandbox::{FaultKind, FaultRule};
use serde_json::{Value, json};

use super::{ALICE_FB, APP_SECRET, ApiWorld, BOB_FB, fresh_payload, signed_request};
use crate::helpers::Backend;

type Seen = BTreeSet<(String, String, u16)>;

/// Sends `request`, records (documented path, method, status), checks a 200's required fields;
/// returns the JSON body.
async fn record(
    seen: &mut Seen,
    doc: &Value,
    path: &str,
    method: &str,
    request: reqwest::RequestBuilder,
) -> Value {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    seen.insert((path.to_owned(), method.to_owned(), status));
    let text = response.text().await.unwrap();
    if status != 200 {
        return serde_json::from_str(&text).unwrap_or(Value::Null);
    }
    let body: Value = serde_json::from_str(&text).unwrap();
    let schema = &doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        ["$ref"];
    let name = schema.as_str().unwrap().rsplit('/').next().unwrap();
    for field in doc["components"]["schemas"][name]["required"]
        .as_array()
        .unwrap()
    {
        let field = field.as_str().unwrap();
        assert!(
            body.get(field).is_some(),
            "{method} {path}: 200 without {field}: {text}"
        );
    }
    body
}

#[tokio::test]
async fn every_documented_status_code_is_reachable_and_nothing_else_is_answered() {
    let world = ApiWorld::with(Backend::Sqlite, &[("FACEBOOK_RETRY_BUDGET_MS", "100")]).await;
    let served = world.get("/api/openapi.json", None).await;
    assert_eq!(served.status(), 200);
    let doc: Value = served.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    world.seed_facebook_user("Alice", ALICE_FB).await;
    world.seed_facebook_user("Bob", BOB_FB).await;
    let url = |p: &str| format!("{}{p}", world.app.url);
    let http = &world.http;
    let mut seen = Seen::new();
    let fb = |handle: &str| json!({"access_token": world.facebook_token(handle)});
    let (x_token, x_secret) = world.x_token("alice");
    let x_body = json!({"access_token": x_token, "access_token_secret": x_secret});

    // /api/auth/{provider}
    let auth = "/api/auth/{provider}";
    let ok = record(
        &mut seen,
        &doc,
        auth,
        "post",
        http.post(url("/api/auth/facebook")).json(&fb("alice")),
    )
    .await;
    let token = ok["token"].as_str().unwrap().to_owned();
    let bob = world.api_token("bob").await;
    record(
        &mut seen,
        &doc,
        auth,
        "post",
        http.post(url("/api/auth/facebook"))
            .json(&json!({"access_token": ""})),
    )
    .await;
    record(
        &mut seen,
        &doc,
        auth,
        "post",
        http.post(url("/api/auth/x")).json(&x_body),
    )
    .await; // 404 user_not_found
    record(
        &mut seen,
        &doc,
        auth,
        "post",
        http.post(url("/api/auth/facebook"))
            .header("content-type", "application/json")
            .body(format!("{{\"access_token\":\"{}\"}}", "E".repeat(20_000))),
    )
    .await;
    record(
        &mut seen,
        &doc,
        auth,
        "post",
        http.post(url("/api/auth/facebook"))
            .header("content-type", "text/plain")
            .body("{}"),
    )
    .await;
    world.sandbox.add_fault(FaultRule {
        kind: FaultKind::Transient,
        times: None,
        account_id: None,
        delay_ms: None,
    });
    record(
        &mut seen,
        &doc,
        auth,
        "post",
        http.post(url("/api/auth/facebook")).json(&fb("alice")),
    )
    .await; // 502
    let cleared = http
        .delete(format!("{}/__sandbox/faults", world.sandbox.base_url))
        .send()
        .await
        .unwrap();
    assert!(cleared.status().is_success());

    // /api/associate/{provider}
    let associate = "/api/associate/{provider}";
    record(
        &mut seen,
        &doc,
        associate,
        "post",
        http.post(url("/api/associate/x"))
            .bearer_auth(&token)
            .json(&x_body),
    )
    .await;
    record(
        &mut seen,
        &doc,
        associate,
        "post",
        http.post(url("/api/associate/x"))
            .bearer_auth(&token)
            .json(&json!({"access_token": "a"})),
    )
    .await; // 400
    record(
        &mut seen,
        &doc,
        associate,
        "post",
        http.post(url("/api/associate/x")).json(&x_body),
    )
    .await; // 401
    record(
        &mut seen,
        &doc,
        associate,
        "post",
        http.post(url("/api/associate/myspace"))
            .bearer_auth(&token)
            .json(&x_body),
    )
    .await; // 404
    record(
        &mut seen,
        &doc,
        associate,
        "post",
        http.post(url("/api/associate/x"))
            .bearer_auth(&bob)
            .json(&x_body),
    )
    .await; // 409
    record(
        &mut seen,
        &doc,
        associate,
        "post",
        http.post(url("/api/associate/x"))
            .bearer_auth(&token)
            .header("content-type", "text/plain")
            .body("{}"),
    )
    .await; // 415
    // 403: a signed-in browser without its CSRF header.
    let signed_in = world.sign_in_browser("facebook", "bob").await;
    assert_eq!(signed_in.status(), 303);
    record(
        &mut seen,
        &doc,
        associate,
        "post",
        world.app.client.post(url("/api/associate/x")).json(&x_body),
    )
    .await;

    // /api/me and /api/logout
    record(
        &mut seen,
        &doc,
        "/api/me",
        "get",
        http.get(url("/api/me")).bearer_auth(&token),
    )
    .await;
    record(&mut seen, &doc, "/api/me", "get", http.get(url("/api/me"))).await;
    record(
        &mut seen,
        &doc,
        "/api/logout",
        "post",
        world
            .app
            .client
            .post(url("/api/logout"))
            .header("x-csrf-token", world.app.csrf().await),
    )
    .await; // 400: a session, no token
    record(
        &mut seen,
        &doc,
        "/api/logout",
        "post",
        http.post(url("/api/logout")).bearer_auth(&token),
    )
    .await;
    record(
        &mut seen,
        &doc,
        "/api/logout",
        "post",
        http.post(url("/api/logout")).bearer_auth(&token),
    )
    .await; // 401

    // Facebook's callbacks
    let raw = signed_request(&fresh_payload(BOB_FB), APP_SECRET);
    let form = |raw: &str| vec![("signed_request".to_owned(), raw.to_owned())];
    record(
        &mut seen,
        &doc,
        "/facebook/deauthorize",
        "post",
        http.post(url("/facebook/deauthorize")).form(&form(&raw)),
    )
    .await;
    record(
        &mut seen,
        &doc,
        "/facebook/deauthorize",
        "post",
        http.post(url("/facebook/deauthorize")).form(&form(&raw)),
    )
    .await; // replay
    let raw = signed_request(&fresh_payload(ALICE_FB), APP_SECRET);
    record(
        &mut seen,
        &doc,
        "/facebook/data-deletion",
        "post",
        http.post(url("/facebook/data-deletion")).form(&form(&raw)),
    )
    .await;
    record(
        &mut seen,
        &doc,
        "/facebook/data-deletion",
        "post",
        http.post(url("/facebook/data-deletion")).form(&form("x.y")),
    )
    .await;

    // 429, last: ten refused tokens, then every call from this address waits.
    for _ in 0..10 {
        http.get(url("/api/me"))
            .bearer_auth("adb_wrong")
            .send()
            .await
            .unwrap();
    }
    record(
        &mut seen,
        &doc,
        auth,
        "post",
        http.post(url("/api/auth/facebook")).json(&fb("alice")),
    )
    .await;
    record(
        &mut seen,
        &doc,
        associate,
        "post",
        http.post(url("/api/associate/x"))
            .bearer_auth(&bob)
            .json(&x_body),
    )
    .await;
    record(
        &mut seen,
        &doc,
        "/api/me",
        "get",
        http.get(url("/api/me")).bearer_auth(&bob),
    )
    .await;
    record(
        &mut seen,
        &doc,
        "/api/logout",
        "post",
        http.post(url("/api/logout")).bearer_auth(&bob),
    )
    .await;

    let mut documented = Seen::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for status in operation["responses"].as_object().unwrap().keys() {
                documented.insert((path.clone(), method.clone(), status.parse().unwrap()));
            }
        }
    }
    let missing: Vec<_> = documented.difference(&seen).collect();
    let undocumented: Vec<_> = seen.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "documented but never produced: {missing:?}"
    );
    assert!(
        undocumented.is_empty(),
        "produced but not documented: {undocumented:?}"
    );
}
