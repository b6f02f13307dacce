//! Bad input in names, emails and roles: blank, 10 KB, HTML, malformed, duplicate, the owner.

use reqwest::StatusCode;

use super::{
    World, browser_as, create_team, invitations, invite, member_id, page, post, submit_new_team,
};
use crate::mock_oidc::spawn_app_with_mock;

#[tokio::test]
async fn a_blank_team_name_is_refused_and_creates_nothing() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let ann = browser_as(&app, &mock, "ann").await;
    let response = submit_new_team(&ann, "   ").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("1 to 100 characters")
    );
    assert!(
        page(&ann, "/teams")
            .await
            .contains("You are not in any team yet")
    );
}

#[tokio::test]
async fn a_10_kb_team_name_is_refused_on_create_and_on_edit() {
    let world = World::new().await;
    let huge = "x".repeat(10 * 1024);
    assert_eq!(
        submit_new_team(&world.owner, &huge).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let response = post(
        &world.owner,
        &format!("/teams/{}/edit", world.team),
        &[
            ("name", &huge),
            ("ad_account_id", ""),
            ("conversion_event", ""),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(world.owner_page().await.contains("<h1>Acme</h1>"));
}

#[tokio::test]
async fn html_in_a_team_name_is_escaped_on_every_page() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let ann = browser_as(&app, &mock, "ann").await;
    let evil = "<script>alert(1)</script><b onmouseover=x>";
    let team = create_team(&ann, evil).await;
    for path in [
        "/teams".to_owned(),
        format!("/teams/{team}"),
        format!("/teams/{team}/edit"),
        format!("/teams/{team}/invite"),
        format!("/teams/{team}/delete"),
    ] {
        let html = page(&ann, &path).await;
        assert!(!html.contains("<script>alert"), "raw HTML on {path}");
        assert!(!html.contains("<b onmouseover"), "raw HTML on {path}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"),
            "escaped name on {path}"
        );
    }
}

#[tokio::test]
async fn a_malformed_invite_email_is_refused_and_records_nothing() {
    let world = World::new().await;
    for email in [
        "",
        "not-an-email",
        "a@b",
        "<x>@example.test",
        "a b@example.test",
    ] {
        let response = invite(&world.owner, &world.team, email, "READ").await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{email:?}"
        );
    }
    assert!(invitations(&world.owner_page().await).is_empty());
}

#[tokio::test]
async fn an_invitation_that_already_exists_gets_409_and_stays_single() {
    let world = World::new().await;
    let first = invite(&world.owner, &world.team, "new@example.test", "READ").await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let again = invite(&world.admin, &world.team, "NEW@Example.test", "EDIT").await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again.text().await.unwrap().contains("already pending"));
    assert_eq!(invitations(&world.owner_page().await), ["new@example.test"]);
}

#[tokio::test]
async fn inviting_the_owner_or_an_existing_member_gets_409() {
    let world = World::new().await;
    for email in ["owner@example.test", "read@example.test"] {
        let response = invite(&world.admin, &world.team, email, "ADMIN").await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "{email}");
    }
    let page = world.owner_page().await;
    assert!(invitations(&page).is_empty());
    assert!(
        page.contains("<td>READ</td>"),
        "the READ member kept their role"
    );
}

#[tokio::test]
async fn role_values_outside_the_list_are_refused() {
    let world = World::new().await;
    let read = member_id(&world.owner_page().await, "read");
    for role in ["OWNER", "SUPERUSER", "admin", "", "<b>"] {
        let response = invite(&world.owner, &world.team, "x@example.test", role).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invite as {role:?}"
        );
        let response = post(
            &world.owner,
            &format!("/teams/{}/members/{read}/role", world.team),
            &[("role", role)],
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "role change to {role:?}"
        );
    }
    let page = world.owner_page().await;
    assert!(invitations(&page).is_empty());
    assert_eq!(
        page.matches("<td>OWNER</td>").count(),
        1,
        "still exactly one owner"
    );
}

#[tokio::test]
async fn an_admin_cannot_remove_or_demote_the_owner() {
    let world = World::new().await;
    let owner = member_id(&world.owner_page().await, "owner");
    let t = &world.team;
    let demote = post(
        &world.admin,
        &format!("/teams/{t}/members/{owner}/role"),
        &[("role", "READ")],
    )
    .await;
    assert_eq!(demote.status(), StatusCode::CONFLICT);
    let remove = post(
        &world.admin,
        &format!("/teams/{t}/members/{owner}/remove"),
        &[],
    )
    .await;
    assert_eq!(remove.status(), StatusCode::CONFLICT);
    assert_eq!(super::role_of(&world.owner_page().await, "owner"), "OWNER");
}
