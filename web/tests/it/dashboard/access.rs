//! Who sees what: no team selected, no connector, reconnect needed, missing settings (managers
//! sent to the edit page, others told whom to ask), READ members, non-members.

use chrono::{Duration, Utc};
use reqwest::StatusCode;

use super::*;
use crate::helpers::location;

#[tokio::test]
async fn without_a_selected_team_the_dashboard_sends_people_to_the_teams_page() {
    let world = World::new().await;
    let response = world.outsider.get("/dashboard").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/teams");
    let teams = world.outsider.get("/teams").await.text().await.unwrap();
    assert!(
        teams.contains("Please select a team."),
        "the flash says why"
    );
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_and_back() {
    let world = World::new().await;
    let stranger = world.owner.other_browser();
    let response = stranger.get("/dashboard?preset=last_30d").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/login?next=%2Fdashboard"));
}

#[tokio::test]
async fn without_a_connector_the_owner_is_asked_to_connect_and_others_to_ask_the_owner() {
    let world = World::new().await;
    world.set_settings(Some(ACCOUNT), Some("purchase")).await;
    let owner = page_ok(&world.owner, &world.team, "").await;
    assert!(owner.contains("data-kind=\"no_connector\""));
    assert!(owner.contains("href=\"/connectors\">Connect Facebook Ads"));
    let read = page_ok(&world.read, &world.team, "").await;
    assert!(read.contains("Ask the team's owner, Test owner, to connect it."));
    assert!(!read.contains("Connect Facebook Ads</a>"));
}

#[tokio::test]
async fn an_expired_or_invalid_connection_says_reconnect_needed_and_the_owner_gets_the_button() {
    let world = World::new().await;
    world.ready().await;
    let connector = world
        .store
        .get_connector(world.team_id(), Platform::Facebook)
        .await
        .unwrap()
        .unwrap();
    world
        .store
        .put_connector(Connector {
            expires_at: Some(Utc::now() - Duration::hours(1)),
            ..connector.clone()
        })
        .await
        .unwrap();
    let owner = page_ok(&world.owner, &world.team, "").await;
    assert!(owner.contains("Reconnect needed") && owner.contains("has expired"));
    assert!(owner.contains(">Reconnect Facebook Ads</a>"));
    let read = page_ok(&world.read, &world.team, "").await;
    assert!(read.contains("Reconnect needed") && !read.contains(">Reconnect Facebook Ads</a>"));
    assert!(read.contains("Ask the team's owner, Test owner, to reconnect"));

    let mut invalid = connector;
    invalid.health.invalid_reason = Some("revoked".into());
    world.store.put_connector(invalid).await.unwrap();
    let owner = page_ok(&world.owner, &world.team, "").await;
    assert!(owner.contains("no longer accepts the connected token"));
    let csv = get_team(&world.read, &world.team, "/dashboard.csv", "").await;
    assert_eq!(
        csv.status(),
        StatusCode::CONFLICT,
        "no CSV without a usable connection"
    );
}

#[tokio::test]
async fn missing_settings_send_managers_to_the_edit_page_and_tell_others_whom_to_ask() {
    let world = World::new().await;
    world.connect_with(&world.alice_token()).await;
    world.set_settings(None, Some("purchase")).await;
    for manager in [&world.owner, &world.admin] {
        let response = get_team(manager, &world.team, "/dashboard", "").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), format!("/teams/{}/edit", world.team));
        let edit = manager
            .get(&location(&response))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            edit.contains("Set a Facebook ad account to see the dashboard."),
            "{edit}"
        );
    }
    let read = page_ok(&world.read, &world.team, "").await;
    assert!(read.contains("data-kind=\"missing_settings\""));
    assert!(read.contains("lack a Facebook ad account"));
    assert!(
        read.contains("Test owner (OWNER), Test admin (ADMIN)"),
        "{read}"
    );

    world.set_settings(Some(ACCOUNT), None).await;
    let read = page_ok(&world.read, &world.team, "").await;
    assert!(read.contains("lack a conversion event"));
    world.set_settings(None, None).await;
    let read = page_ok(&world.read, &world.team, "").await;
    assert!(
        read.contains("lack a Facebook ad account and a conversion event")
            && read.contains("to set them")
    );
}

#[tokio::test]
async fn a_read_member_may_download_the_csv_and_a_non_member_gets_404() {
    let world = World::new().await;
    world.ready().await;
    let csv = get_team(&world.read, &world.team, "/dashboard.csv", "preset=last_7d").await;
    assert_eq!(csv.status(), StatusCode::OK);
    for path in ["/dashboard", "/dashboard.csv", "/dashboard/data.json"] {
        let response = get_team(&world.outsider, &world.team, path, "").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let malformed = world.outsider.get("/dashboard.csv?team=not-a-team").await;
    assert_eq!(malformed.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_member_removed_after_selecting_the_team_is_sent_to_the_teams_page() {
    let world = World::new().await;
    world.ready().await;
    page_ok(&world.read, &world.team, "").await; // selects the team
    let read_user = world
        .store
        .find_user_by_email(&EmailAddress::parse("read@example.test").unwrap())
        .await
        .unwrap()
        .unwrap();
    world
        .store
        .remove_member(world.team_id(), read_user.id)
        .await
        .unwrap();
    let response = world.read.get("/dashboard").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/teams");
}
