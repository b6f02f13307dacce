//! Async insights reports: create, poll (including the 100 %-but-running trap), read results.

use serde_json::Value;

use crate::helpers::*;

fn range() -> String {
    let today = chrono::Utc::now().date_naive();
    let (since, until) = (
        today - chrono::Days::new(120),
        today - chrono::Days::new(30),
    );
    format!("{{\"since\":\"{since}\",\"until\":\"{until}\"}}")
}

async fn create(t: &TestSandbox, token: &str, account: &str) -> String {
    let range = range();
    let form = [
        ("access_token", token),
        ("fields", "spend,impressions,actions"),
        ("level", "account"),
        ("time_increment", "1"),
        ("time_range", range.as_str()),
    ];
    let r = reply(
        t.client
            .post(t.url(&format!("/v26.0/act_{account}/insights")))
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.json);
    r.json["report_run_id"]
        .as_str()
        .expect("report_run_id is a string")
        .to_owned()
}

#[tokio::test]
async fn an_async_report_moves_through_its_statuses_and_its_rows_match_sync() {
    let t = start().await;
    let token = t.token("alice").await;
    let id = create(&t, &token, ALICE_EUR).await;
    assert!(id.bytes().all(|b| b.is_ascii_digit()));

    let early = t.graph(&format!("/{id}/insights"), &token).await;
    assert_eq!(early.status, 400);
    assert_eq!(early.error_code(), 2601);
    assert_eq!(early.error_subcode(), Some(1815107));

    let mut seen = Vec::new();
    for _ in 0..4 {
        let s = t.graph(&format!("/{id}"), &token).await;
        assert_eq!(s.json["id"], id.as_str());
        assert_eq!(s.json["account_id"], ALICE_EUR);
        seen.push((
            s.json["async_status"].as_str().unwrap().to_owned(),
            s.json["async_percent_completion"].as_u64().unwrap(),
            s.json.get("is_running").cloned(),
        ));
    }
    assert_eq!(seen[0].0, "Job Not Started");
    assert_eq!(
        (seen[2].0.as_str(), seen[2].1),
        ("Job Running", 100),
        "100 % while still running"
    );
    assert_eq!(seen[2].2, Some(Value::Bool(true)));
    assert_eq!((seen[3].0.as_str(), seen[3].1), ("Job Completed", 100));

    let results = t.graph(&format!("/{id}/insights?limit=500"), &token).await;
    assert_eq!(results.status, 200, "{}", results.json);
    let sync = t
        .graph(&format!("/act_{ALICE_EUR}/insights?fields=spend,impressions,actions&level=account&time_increment=1&time_range={}&limit=500", urlencode(&range())), &token)
        .await;
    assert_eq!(results.json["data"], sync.json["data"]);
}

#[tokio::test]
async fn async_results_page_with_next_links_on_the_report() {
    let t = start().await;
    let token = t.token("alice").await;
    let id = create(&t, &token, ALICE_EUR).await;
    for _ in 0..4 {
        t.graph(&format!("/{id}"), &token).await;
    }
    let page = t.graph(&format!("/{id}/insights?limit=25"), &token).await;
    let next = page.json["paging"]["next"].as_str().unwrap();
    assert!(next.starts_with(&format!("{}/v26.0/{id}/insights?", t.base)));
    assert_eq!(t.get_url(next).await.status, 200);
}

#[tokio::test]
async fn a_failing_report_ends_job_failed_with_the_v25_error_fields() {
    let t = start().await;
    let token = t.token("alice").await;
    let id = create(&t, &token, "9000000500").await;
    t.graph(&format!("/{id}"), &token).await;
    let s = t.graph(&format!("/{id}"), &token).await;
    assert_eq!(s.json["async_status"], "Job Failed");
    assert_eq!(s.json["error_code"], -3);
    assert_eq!(s.json["error_subcode"], 1504045);
    assert_eq!(s.json["error_user_title"], "Report Too Large");
    assert_eq!(
        t.graph(&format!("/{id}/insights"), &token)
            .await
            .error_code(),
        2601
    );
}

#[tokio::test]
async fn another_user_cannot_read_someone_elses_report() {
    let t = start().await;
    let alice = t.token("alice").await;
    let bob = t.token("bob").await;
    let id = create(&t, &alice, ALICE_EUR).await;
    assert_eq!(
        t.graph(&format!("/{id}"), &bob).await.error_subcode(),
        Some(33)
    );
}
