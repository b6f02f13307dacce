//! The 200 contract against the sandbox: complete ordered days, exact numbers, one action type,
//! defaults in the account's timezone, every accepted request shape, one Graph call when warm.

use adboard_domain::ads::{AdAccountId, DateRange};
use adboard_facebook::InsightsQuery;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use secrecy::SecretString;

use crate::helpers::*;

#[tokio::test]
async fn a_month_is_a_complete_ordered_series_with_exact_totals() {
    let sb = sandbox().await;
    let deps = deps_for(&sb.base_url);
    let (since, until) = (days_ago(30), days_ago(1));

    let answer = get(
        &deps,
        &[
            ("account_id", "act_1234567890"),
            ("since", &since),
            ("until", &until),
        ],
        Some(&token(&sb)),
    )
    .await;

    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    let json = &answer.json;
    assert_eq!(
        (json["account_id"].as_str(), json["currency"].as_str()),
        (Some(ALICE_EUR), Some("EUR"))
    );
    assert_eq!(
        (json["timezone"].as_str(), json["conversion_event"].as_str()),
        (Some("Europe/Berlin"), Some("purchase"))
    );
    let data = json["data"].as_array().unwrap();
    assert_eq!(data.len(), 30);
    let mut day: NaiveDate = since.parse().unwrap();
    let mut spend = Decimal::ZERO;
    let mut clicks = 0;
    for entry in data {
        assert_eq!(entry["date"].as_str().unwrap(), day.to_string());
        spend += dec(&entry["spend"]);
        clicks += entry["clicks"].as_u64().unwrap();
        for key in ["impressions", "conversions", "conversion_value"] {
            dec(&entry[key]);
        }
        day = day.checked_add_days(Days::new(1)).unwrap();
    }
    assert_eq!(dec(&json["totals"]["spend"]), spend);
    assert_eq!(json["totals"]["clicks"].as_u64(), Some(clicks));
    assert!(spend > Decimal::ZERO);
    sb.stop().await;
}

#[tokio::test]
async fn conversions_are_one_action_type_and_days_without_actions_are_zero() {
    let sb = sandbox().await;
    let deps = deps_for(&sb.base_url);
    let range = DateRange::parse(&days_ago(90), &days_ago(1)).unwrap();
    let query = InsightsQuery::new(AdAccountId::parse(ALICE_EUR).unwrap(), range);
    let rows = deps
        .client
        .daily_insights(&SecretString::from(token(&sb)), &query)
        .await
        .unwrap();

    let answer = get(
        &deps,
        &[
            ("account_id", ALICE_EUR),
            ("since", &days_ago(90)),
            ("until", &days_ago(1)),
        ],
        Some(&token(&sb)),
    )
    .await;

    assert_eq!(answer.status, 200, "{}", answer.body);
    let chosen = answer.json["conversion_action_type"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        [
            "omni_purchase",
            "purchase",
            "offsite_conversion.fb_pixel_purchase"
        ]
        .contains(&chosen.as_str())
    );
    let data = answer.json["data"].as_array().unwrap();
    let by_date = |d: NaiveDate| {
        data.iter()
            .find(|e| e["date"].as_str() == Some(&d.to_string()))
            .unwrap()
    };
    let without_actions = rows.iter().filter(|r| r.actions.is_empty()).count();
    for row in &rows {
        let out = by_date(row.date);
        assert_eq!(
            dec(&out["conversions"]),
            row.action(&chosen).unwrap_or_default(),
            "{}",
            row.date
        );
        assert_eq!(
            dec(&out["conversion_value"]),
            row.action_value(&chosen).unwrap_or_default().normalize()
        );
        assert_eq!(dec(&out["spend"]), row.spend.normalize());
    }
    assert!(
        without_actions > 0,
        "the sandbox has no day without actions in 90 days"
    );
    assert!(rows.len() < 90, "the sandbox omits days without delivery");
    sb.stop().await;
}

#[tokio::test]
async fn defaults_are_the_last_seven_days_ending_yesterday_in_the_accounts_timezone() {
    let sb = sandbox().await;
    // 23:30 UTC: already tomorrow in Berlin, still today in Los Angeles.
    let now = today().and_hms_opt(23, 30, 0).unwrap().and_utc();
    let deps = with_clock(deps_for(&sb.base_url), now);

    let berlin = get(&deps, &[("account_id", ALICE_EUR)], Some(&token(&sb))).await;
    let los_angeles = get(&deps, &[("account_id", ALICE_USD_LA)], Some(&token(&sb))).await;

    assert_eq!(berlin.status, 200, "{}", berlin.body);
    assert_eq!(berlin.json["until"].as_str().unwrap(), today().to_string());
    assert_eq!(berlin.json["since"].as_str().unwrap(), days_ago(6));
    assert_eq!(los_angeles.json["until"].as_str().unwrap(), days_ago(1));
    assert_eq!(los_angeles.json["data"].as_array().unwrap().len(), 7);
    sb.stop().await;
}

#[tokio::test]
async fn the_37_month_limit_is_checked_in_the_accounts_timezone() {
    let sb = sandbox().await;
    let now = today().and_hms_opt(23, 30, 0).unwrap().and_utc();
    let deps = with_clock(deps_for(&sb.base_url), now);
    // Allowed in UTC (earliest = today − 37 months) but not in Berlin, where it is already tomorrow.
    let since = DateRange::earliest_since(today()).to_string();
    let until = DateRange::earliest_since(today())
        .checked_add_days(Days::new(5))
        .unwrap()
        .to_string();

    let answer = get(
        &deps,
        &[
            ("account_id", ALICE_EUR),
            ("since", &since),
            ("until", &until),
        ],
        Some(&token(&sb)),
    )
    .await;

    assert_eq!(
        (answer.status, answer.error_code()),
        (400, "invalid_request"),
        "{}",
        answer.body
    );
    sb.stop().await;
}

#[tokio::test]
async fn a_json_body_with_the_tutorials_date_aliases_is_accepted() {
    let sb = sandbox().await;
    let deps = deps_for(&sb.base_url);
    let body = format!(
        r#"{{"account_id":1234567890,"date_start":"{}","date_end":"{}","conversion_event":"purchase"}}"#,
        days_ago(10),
        days_ago(1)
    );

    let answer = post(&deps, &body, Some(&token(&sb))).await;

    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json["data"].as_array().unwrap().len(), 10);
    sb.stop().await;
}

#[tokio::test]
async fn the_token_may_come_in_the_query_or_in_both_places_when_they_agree() {
    let sb = sandbox().await;
    let deps = deps_for(&sb.base_url);
    let token = token(&sb);

    let in_query = get(
        &deps,
        &[("account_id", ALICE_EUR), ("access_token", &token)],
        None,
    )
    .await;
    let in_both = get(
        &deps,
        &[("account_id", ALICE_EUR), ("access_token", &token)],
        Some(&token),
    )
    .await;

    assert_eq!(
        (in_query.status, in_both.status),
        (200, 200),
        "{}",
        in_query.body
    );
    sb.stop().await;
}

#[tokio::test]
async fn a_warm_request_costs_one_graph_call_and_a_cold_one_two_in_parallel() {
    let sb = sandbox().await;
    let deps = deps_for(&sb.base_url);
    let query = [
        ("account_id", ALICE_EUR),
        ("since", &days_ago(365)[..]),
        ("until", &days_ago(1)[..]),
    ];

    let cold = get(&deps, &query, Some(&token(&sb))).await;
    let after_cold = deps.client.graph_calls();
    let warm = get(&deps, &query, Some(&token(&sb))).await;

    assert_eq!((cold.status, warm.status), (200, 200));
    assert_eq!(after_cold, 2);
    assert_eq!(deps.client.graph_calls() - after_cold, 1);
    assert_eq!(warm.json["data"].as_array().unwrap().len(), 365);
    sb.stop().await;
}
