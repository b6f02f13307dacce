//! Cursor paging of insights: `next` to the end, `previous`/`before`, tokens in headers.

use serde_json::Value;

use crate::helpers::*;

#[tokio::test]
async fn paging_follows_next_to_the_end_and_matches_one_big_page() {
    let t = start().await;
    let token = t.token("alice").await;
    let (since, until) = (day(90), day(1));
    let all = t
        .graph(&daily(since, until, "&limit=1000"), &token)
        .await
        .json["data"]
        .as_array()
        .unwrap()
        .clone();
    let first = t.graph(&daily(since, until, "&limit=7"), &token).await;
    assert_eq!(first.json["paging"]["cursors"]["before"], "MAZDZD");
    assert_eq!(first.json["paging"]["cursors"]["after"], "NgZDZD");
    let mut rows: Vec<Value> = first.json["data"].as_array().unwrap().clone();
    let mut next = first.json["paging"]["next"].as_str().map(str::to_owned);
    let mut pages = 1;
    while let Some(url) = next {
        assert!(
            url.starts_with(&format!("{}/v26.0/act_{ALICE_EUR}/insights?", t.base)),
            "{url}"
        );
        assert!(url.contains("limit=7") && url.contains("after="));
        let page = t.get_url(&url).await;
        assert_eq!(page.status, 200, "{}", page.json);
        rows.extend(page.json["data"].as_array().unwrap().iter().cloned());
        next = page.json["paging"]
            .get("next")
            .and_then(Value::as_str)
            .map(str::to_owned);
        pages += 1;
        assert!(pages < 30, "paging must end");
    }
    assert_eq!(rows, all);
    assert_eq!(pages, all.len().div_ceil(7));
}

#[tokio::test]
async fn a_token_in_the_header_still_pages_with_absolute_next_urls() {
    let t = start().await;
    let token = t.token("alice").await;
    let url = t.url(&format!("/v26.0{}", daily(day(60), day(1), "&limit=10")));
    let resp = reply(t.client.get(url).bearer_auth(&token).send().await.unwrap()).await;
    let next = resp.json["paging"]["next"].as_str().unwrap();
    let page2 = reply(t.client.get(next).bearer_auth(&token).send().await.unwrap()).await;
    assert_eq!(page2.status, 200);
    assert_eq!(page2.json["paging"]["cursors"]["before"], "MTAZD");
}

#[tokio::test]
async fn a_second_page_links_back_with_previous_and_before() {
    let t = start().await;
    let token = t.token("alice").await;
    let first = t.graph(&daily(day(60), day(1), "&limit=5"), &token).await;
    let second = t
        .get_url(first.json["paging"]["next"].as_str().unwrap())
        .await;
    let previous = second.json["paging"]["previous"].as_str().unwrap();
    assert!(previous.contains("before="));
    let back = t.get_url(previous).await;
    assert_eq!(back.json["data"], first.json["data"]);
}
