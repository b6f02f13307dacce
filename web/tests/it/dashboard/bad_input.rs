//! Every bad range of the issue is a 400 with its own message, on the page and the CSV alike.

use reqwest::StatusCode;

use super::*;

async fn refused(world: &World, query: &str, message: &str) {
    for path in ["/dashboard", "/dashboard.csv"] {
        let response = get_team(&world.read, &world.team, path, query).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}?{query}");
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "{path}?{query}: {body}");
    }
}

#[tokio::test]
async fn malformed_reversed_future_too_old_and_half_given_ranges_are_each_refused() {
    let world = World::new().await;
    world.ready().await;
    let malformed = "Dates are written YYYY-MM-DD";
    for query in [
        "since=2026-5-01&until=2026-05-02",
        "since=2026-02-30&until=2026-03-02",
        "since=yesterday&until=today",
        "since=2026-05-01T00:00&until=2026-05-02",
        "since=%3Cscript%3E&until=2026-05-02",
    ] {
        refused(&world, query, malformed).await;
    }
    refused(
        &world,
        "since=2026-05-02&until=2026-05-01",
        "must not be after the end date",
    )
    .await;
    refused(&world, "since=2999-01-01&until=2999-01-02", "in the future").await;
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2)).date_naive();
    refused(
        &world,
        &format!("since=2026-01-01&until={tomorrow}"),
        "in the future",
    )
    .await;
    refused(&world, "since=2000-01-01&until=2000-01-31", "37 months").await;
    refused(
        &world,
        "since=2026-05-01",
        "Give both a start and an end date",
    )
    .await;
    refused(
        &world,
        "until=2026-05-01",
        "Give both a start and an end date",
    )
    .await;
    refused(&world, "preset=last_8d", "That preset does not exist").await;
    refused(
        &world,
        "preset=last_7d&since=2026-05-01&until=2026-05-02",
        "not both",
    )
    .await;
    let echoed = get_team(
        &world.read,
        &world.team,
        "/dashboard",
        "since=%3Cscript%3E&until=x",
    )
    .await;
    assert!(
        !echoed.text().await.unwrap().contains("<script>"),
        "input is never echoed"
    );
}
