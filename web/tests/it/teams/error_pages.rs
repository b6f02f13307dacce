//! Error pages lead back: a member refused an action gets the team and the teams list, never
//! "Sign in"; a signed-out visitor of a missing page gets "Sign in".

use reqwest::StatusCode;

use super::World;

#[tokio::test]
async fn a_read_member_refused_the_edit_page_is_offered_the_team_not_sign_in() {
    let world = World::new().await;
    let response = world.read.get(&format!("/teams/{}/edit", world.team)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let html = response.text().await.unwrap();
    assert!(html.contains(&format!(
        r#"<a href="/teams/{}">Back to the team</a>"#,
        world.team
    )));
    assert!(html.contains(r#"<a href="/teams">Your teams</a>"#));
    assert!(
        !html.contains(r#"<a href="/login">"#),
        "no Sign in for a signed-in member"
    );
}

#[tokio::test]
async fn a_missing_page_offers_the_teams_to_a_member_and_sign_in_to_a_visitor() {
    let world = World::new().await;
    let response = world
        .outsider
        .get(&format!("/teams/{}/edit", world.team))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = response.text().await.unwrap();
    assert!(
        !html.contains("Back to the team"),
        "no link to a team that is not theirs"
    );
    assert!(html.contains(r#"<a href="/teams">Your teams</a>"#));
    assert!(!html.contains(r#"<a href="/login">"#));
    let visitor = world.read.other_browser();
    let html = visitor.get("/no-such-page").await.text().await.unwrap();
    assert!(html.contains(r#"<a href="/login">Sign in</a>"#));
}
