//! Sync insights: row shape, omitted days, increments, parameter errors, usage headers.

use chrono::{Days, Months, NaiveDate, Utc};
use serde_json::Value;

use crate::helpers::*;

#[tokio::test]
async fn daily_rows_use_strings_omit_quiet_days_and_carry_overlapping_purchases() {
    let t = start().await;
    let token = t.token("alice").await;
    let (since, until) = (day(200), day(1));
    let r = t.graph(&daily(since, until, "&limit=500"), &token).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let rows = r.json["data"].as_array().unwrap();
    assert!(
        rows.len() < 200,
        "some days have no delivery and are omitted"
    );
    assert!(rows.len() > 150);
    assert!(
        r.json["paging"].get("next").is_none(),
        "one page holds everything"
    );
    let mut saw_purchase = false;
    let mut saw_no_actions = false;
    for row in rows {
        assert_eq!(row["date_start"], row["date_stop"]);
        for key in ["spend", "impressions", "inline_link_clicks"] {
            let v = row[key]
                .as_str()
                .unwrap_or_else(|| panic!("{key} must be a string: {row}"));
            assert!(v.parse::<f64>().is_ok());
        }
        match row.get("actions") {
            None => saw_no_actions = true,
            Some(actions) => {
                let value = |kind: &str| {
                    actions
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|a| a["action_type"] == kind)
                        .map(|a| a["value"].clone())
                };
                if let Some(p) = value("purchase") {
                    saw_purchase = true;
                    assert!(p.is_string());
                    assert_eq!(value("omni_purchase"), Some(p.clone()));
                    assert_eq!(value("offsite_conversion.fb_pixel_purchase"), Some(p));
                    assert!(
                        row["action_values"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|a| a["action_type"] == "omni_purchase")
                    );
                }
            }
        }
    }
    assert!(saw_purchase && saw_no_actions);
}

#[tokio::test]
async fn the_same_request_always_gives_the_same_numbers() {
    let t = start().await;
    let token = t.token("alice").await;
    let q = daily(day(40), day(10), "");
    assert_eq!(
        t.graph(&q, &token).await.json["data"],
        t.graph(&q, &token).await.json["data"]
    );
}

#[tokio::test]
async fn thirty_seven_months_of_daily_rows_fit_in_one_page_of_5000() {
    let t = start().await;
    let token = t.token("alice").await;
    let since = Utc::now()
        .date_naive()
        .checked_sub_months(Months::new(37))
        .unwrap()
        + Days::new(1);
    let r = t.graph(&daily(since, day(1), "&limit=5000"), &token).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert!(r.json["data"].as_array().unwrap().len() > 900);
    assert!(r.json["paging"].get("next").is_none());
}

#[tokio::test]
async fn insights_without_time_range_default_to_the_last_30_days() {
    let t = start().await;
    let token = t.token("alice").await;
    let r = t
        .graph(
            &format!("/act_{ALICE_EUR}/insights?fields=spend&time_increment=1&limit=100"),
            &token,
        )
        .await;
    assert_eq!(r.status, 200);
    let rows = r.json["data"].as_array().unwrap();
    assert!(!rows.is_empty() && rows.len() <= 30);
    assert!(
        rows.iter()
            .all(|row| row["date_start"].as_str().unwrap() >= day(30).to_string().as_str())
    );
}

#[tokio::test]
async fn without_time_increment_one_row_sums_the_range() {
    let t = start().await;
    let token = t.token("alice").await;
    let (since, until) = (day(20), day(1));
    let daily_rows = t
        .graph(&daily(since, until, "&limit=100"), &token)
        .await
        .json["data"]
        .as_array()
        .unwrap()
        .clone();
    let q = format!(
        "/act_{ALICE_EUR}/insights?fields=impressions&time_range={}",
        range(since, until)
    );
    let total = t.graph(&q, &token).await;
    let rows = total.json["data"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let sum: u64 = daily_rows
        .iter()
        .map(|r| r["impressions"].as_str().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(rows[0]["impressions"], sum.to_string());
    assert_eq!(rows[0]["date_start"], since.to_string());
}

async fn assert_param_error(extra_query: &str, code: i64, status: u16) {
    let t = start().await;
    let token = t.token("alice").await;
    let r = t
        .graph(
            &format!("/act_{ALICE_EUR}/insights?fields=spend&time_increment=1{extra_query}"),
            &token,
        )
        .await;
    assert_eq!(r.status.as_u16(), status, "{extra_query}: {}", r.json);
    assert_eq!(r.error_code(), code, "{extra_query}");
}

#[tokio::test]
async fn a_garbled_time_range_is_rejected() {
    assert_param_error("&time_range=%7Bnot-json", 100, 400).await;
    assert_param_error(
        &format!(
            "&time_range={}",
            urlencode("{\"since\":\"2026-13-01\",\"until\":\"2026-05-01\"}")
        ),
        100,
        400,
    )
    .await;
    assert_param_error(
        &format!("&time_range={}", urlencode("{\"since\":\"2026-05-01\"}")),
        100,
        400,
    )
    .await;
}

#[tokio::test]
async fn a_time_range_with_since_after_until_is_rejected() {
    assert_param_error(&format!("&time_range={}", range(day(3), day(5))), 100, 400).await;
}

#[tokio::test]
async fn a_time_range_older_than_37_months_is_rejected_with_3018() {
    let old = Utc::now()
        .date_naive()
        .checked_sub_months(Months::new(38))
        .unwrap();
    assert_param_error(&format!("&time_range={}", range(old, day(1))), 3018, 400).await;
}

#[tokio::test]
async fn a_limit_of_zero_or_less_is_rejected() {
    assert_param_error("&limit=0", 100, 400).await;
    assert_param_error("&limit=-5", 100, 400).await;
    assert_param_error("&limit=ten", 100, 400).await;
}

#[tokio::test]
async fn a_huge_limit_asks_to_reduce_the_amount_of_data() {
    assert_param_error("&limit=5001", 1, 500).await;
    assert_param_error("&limit=99999999999", 1, 500).await;
}

#[tokio::test]
async fn unknown_insights_fields_are_rejected() {
    let t = start().await;
    let token = t.token("alice").await;
    let r = t
        .graph(
            &format!("/act_{ALICE_EUR}/insights?fields=spend,foo"),
            &token,
        )
        .await;
    assert_eq!(
        r.json["error"]["message"],
        "(#100) Tried accessing nonexisting field (foo) on node type (AdsInsights)"
    );
}

#[tokio::test]
async fn a_garbled_cursor_is_rejected_with_2642() {
    assert_param_error("&after=%21%21garbage", 2642, 400).await;
}

#[tokio::test]
async fn an_invalid_level_is_rejected() {
    assert_param_error("&level=galaxy", 100, 400).await;
}

#[tokio::test]
async fn insights_responses_carry_rate_limit_usage_headers() {
    let t = start().await;
    let token = t.token("alice").await;
    let r = t.graph(&daily(day(5), day(1), ""), &token).await;
    let buc: Value = serde_json::from_str(&r.header("x-business-use-case-usage").unwrap()).unwrap();
    assert_eq!(buc[ALICE_EUR][0]["type"], "ads_insights");
    let app: Value = serde_json::from_str(&r.header("x-app-usage").unwrap()).unwrap();
    assert!(app["call_count"].is_u64());
    assert!(r.header("x-fb-ads-insights-throttle").is_some());
    assert!(r.header("x-ad-account-usage").is_some());
}

#[tokio::test]
async fn attribution_windows_add_per_window_values() {
    let t = start().await;
    let token = t.token("alice").await;
    let windows = urlencode("[\"1d_click\",\"7d_click\",\"1d_view\"]");
    let r = t
        .graph(
            &daily(
                day(30),
                day(1),
                &format!("&action_attribution_windows={windows}"),
            ),
            &token,
        )
        .await;
    let row = r.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r.get("actions").is_some())
        .unwrap()
        .clone();
    let first = &row["actions"][0];
    for key in ["value", "1d_click", "7d_click", "1d_view"] {
        assert!(first[key].is_string(), "{key} in {first}");
    }
    assert_param_error(
        &format!(
            "&action_attribution_windows={}",
            urlencode("[\"28d_view\"]")
        ),
        100,
        400,
    )
    .await;
}

#[tokio::test]
async fn a_range_without_delivery_gives_an_empty_data_array() {
    let t = start().await;
    let token = t.token("alice").await;
    let future = Utc::now().date_naive() + Days::new(10);
    let r = t
        .graph(&daily(future, future + Days::new(3), ""), &token)
        .await;
    assert_eq!(r.json, serde_json::json!({"data": []}));
}

#[tokio::test]
async fn monthly_increments_give_one_row_per_calendar_month() {
    use chrono::Datelike;
    let t = start().await;
    let token = t.token("alice").await;
    let today = Utc::now().date_naive();
    let since = (today - Months::new(4)).with_day(1).unwrap();
    let until = (today - Months::new(1))
        .with_day(1)
        .unwrap()
        .pred_opt()
        .unwrap();
    let q = format!(
        "/act_{ALICE_EUR}/insights?fields=spend&time_increment=monthly&time_range={}",
        range(since, until)
    );
    let rows = t.graph(&q, &token).await.json["data"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rows.len(), 3);
    let date = |v: &Value| NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap();
    let mut expected_start = since;
    for row in &rows {
        let (start, stop) = (date(&row["date_start"]), date(&row["date_stop"]));
        assert_eq!(start, expected_start);
        assert_eq!(start.day(), 1);
        assert_eq!(
            stop.succ_opt().unwrap().day(),
            1,
            "a month ends on its last day"
        );
        expected_start = stop.succ_opt().unwrap();
    }
    assert_eq!(expected_start.pred_opt().unwrap(), until);
}
