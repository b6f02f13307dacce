//! The data: cards equal the function's own JSON for the same range, the previous period, presets,
//! the attribution window, CSV = table, the cache and Refresh, and no token anywhere.

use adboard_sandbox::{FaultKind, FaultRule};
use chrono::{Days, NaiveDate};
use get_facebook_data::{Deps, HttpInput, handle};
use reqwest::StatusCode;

use super::*;

/// The function's own answer for the range, called directly against the same sandbox.
async fn function_json(world: &World, token: &str, since: &str, until: &str) -> Value {
    let settings = adboard_facebook::Settings::new(&world.sandbox.base_url).unwrap();
    let deps = Deps::new(adboard_facebook::GraphClient::new(settings).unwrap());
    let query: Vec<(String, String)> =
        [("account_id", ACCOUNT), ("since", since), ("until", until)]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
    let auth = format!("Bearer {token}");
    let out = handle(
        &deps,
        HttpInput {
            method: "GET",
            query: &query,
            authorization: Some(&auth),
            body: b"",
        },
    )
    .await;
    assert_eq!(out.status, 200, "{}", out.body);
    serde_json::from_str(&out.body).unwrap()
}

fn num(v: &Value) -> f64 {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(f64::NAN)
}

#[tokio::test]
async fn the_cards_equal_the_functions_json_for_the_same_range() {
    let world = World::new().await;
    let token = world.ready().await;
    let html = page_ok(&world.read, &world.team, "preset=last_30d").await;
    let (status, json) = data(&world.read, &world.team, "preset=last_30d").await;
    assert_eq!(status, StatusCode::OK);
    let (since, until) = (
        json["since"].as_str().unwrap(),
        json["until"].as_str().unwrap(),
    );
    let direct = function_json(&world, &token, since, until).await;
    let totals = &direct["totals"];
    assert_eq!(
        json["series"]["totals"], *totals,
        "the web shows what the function answered"
    );
    for key in [
        "spend",
        "impressions",
        "clicks",
        "conversions",
        "conversion_value",
    ] {
        assert_eq!(
            num(&Value::String(card_value(&html, key))),
            num(&totals[key]),
            "{key}"
        );
    }
    let cpa = num(&totals["spend"]) / num(&totals["conversions"]);
    assert!((num(&Value::String(card_value(&html, "cpa"))) - cpa).abs() < 0.0001);
    assert_eq!(json["rows"].as_array().unwrap().len(), 30);
    assert!(html.contains("€"), "money in the account's currency");
    assert!(html.contains("vs previous period"));
    assert!(!html.contains("NaN") && !html.contains("Infinity"));
    // The previous period has the same length and ends the day before.
    let since_d: NaiveDate = since.parse().unwrap();
    assert_eq!(
        json["previous"]["until"],
        since_d.checked_sub_days(Days::new(1)).unwrap().to_string()
    );
    assert_eq!(
        json["previous"]["since"],
        since_d.checked_sub_days(Days::new(30)).unwrap().to_string()
    );
}

#[tokio::test]
async fn presets_and_custom_ranges_give_their_days_and_the_attribution_window_is_marked() {
    let world = World::new().await;
    world.ready().await;
    for (preset, days) in [
        ("yesterday", 1),
        ("last_7d", 7),
        ("last_14d", 14),
        ("last_90d", 90),
    ] {
        let (status, json) = data(&world.read, &world.team, &format!("preset={preset}")).await;
        assert_eq!(status, StatusCode::OK, "{preset}");
        assert_eq!(json["rows"].as_array().unwrap().len(), days, "{preset}");
    }
    let (_, recent) = data(&world.read, &world.team, "").await;
    assert!(
        recent["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["still_changing"] == true),
        "the default 7 days are all in the window"
    );
    let (_, old) = data(
        &world.read,
        &world.team,
        "since=2026-01-01&until=2026-01-31",
    )
    .await;
    assert_eq!(old["rows"].as_array().unwrap().len(), 31);
    assert!(
        old["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["still_changing"] == false)
    );
    let html = page_ok(&world.read, &world.team, "preset=last_14d").await;
    assert!(html.contains("data-testid=\"still-changing-note\""));
    assert!(html.contains("class=\"still-changing\""));
    assert!(html.contains("data-preset=\"last_14d\" aria-current=\"true\""));
}

#[tokio::test]
async fn the_csv_equals_the_table_with_the_team_and_range_in_the_file_name() {
    let world = World::new().await;
    world.ready().await;
    let query = "since=2026-05-01&until=2026-05-30";
    let response = get_team(&world.read, &world.team, "/dashboard.csv", query).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"adboard-acme-shoes-2026-05-01-to-2026-05-30.csv\""
    );
    let text = response.text().await.unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("date,spend,impressions,clicks,conversions,cpa,conversion_value")
    );
    let (_, json) = data(&world.read, &world.team, query).await;
    let rows = json["rows"].as_array().unwrap();
    let csv_rows: Vec<&str> = lines.collect();
    assert_eq!(csv_rows.len(), 30);
    for (line, row) in csv_rows.iter().zip(rows) {
        let expected = format!(
            "{},{},{},{},{},{},{}",
            row["date"].as_str().unwrap(),
            row["spend"].as_str().unwrap(),
            row["impressions"],
            row["clicks"],
            row["conversions"].as_str().unwrap(),
            row["cpa"].as_str().unwrap(),
            row["conversion_value"].as_str().unwrap()
        );
        assert_eq!(*line, expected);
    }
    // The page's table shows the same rows.
    let html = page_ok(&world.read, &world.team, query).await;
    for row in rows {
        assert!(html.contains(&format!(
            "<tr data-date=\"{}\"",
            row["date"].as_str().unwrap()
        )));
        assert!(html.contains(&format!(
            "<td data-value=\"{}\">",
            row["spend"].as_str().unwrap()
        )));
    }
}

#[tokio::test]
async fn answers_are_cached_and_refresh_bypasses_the_cache() {
    let world = World::new().await;
    world.ready().await;
    let query = "since=2026-04-01&until=2026-04-07";
    page_ok(&world.read, &world.team, query).await;
    world.sandbox.add_fault(FaultRule {
        kind: FaultKind::Transient,
        times: None,
        account_id: None,
        delay_ms: None,
    });
    let cached = page_ok(&world.read, &world.team, query).await;
    assert!(
        error_panel(&cached).is_none(),
        "served from the cache while Facebook is down"
    );
    let refreshed = page_ok(&world.read, &world.team, &format!("{query}&refresh=1")).await;
    let message = error_panel(&refreshed).expect("Refresh asked Facebook again");
    assert!(message.contains("temporarily unavailable"), "{message}");
    assert!(refreshed.contains("data-testid=\"retry\""), "a retry link");
}

#[tokio::test]
async fn no_token_appears_in_the_page_the_json_or_the_csv() {
    let world = World::new().await;
    let token = world.ready().await;
    let html = page_ok(&world.owner, &world.team, "").await;
    let (_, json) = data(&world.owner, &world.team, "").await;
    let csv = get_team(&world.owner, &world.team, "/dashboard.csv", "")
        .await
        .text()
        .await
        .unwrap();
    for body in [html.as_str(), &json.to_string(), csv.as_str()] {
        assert!(!body.contains(&token));
    }
    // Charts read a JSON block and static scripts: no inline code.
    assert!(html.contains("<script type=\"application/json\" id=\"dashboard-data\">"));
    assert!(html.contains("<script src=\"/static/vendor/chart.umd.min.js\" defer></script>"));
    assert_eq!(
        html.matches("<script").count(),
        4,
        "adboard.js, the JSON block, Chart.js, dashboard.js"
    );
    for path in ["/static/dashboard.js", "/static/vendor/chart.umd.min.js"] {
        let response = world.owner.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/javascript")
        );
    }
}
