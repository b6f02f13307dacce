//! The everyday flows: empty state, create, select, invitations accepted on the teams page,
//! revoke, transfer, leave, delete with confirmation.

use reqwest::StatusCode;

use super::{
    World, accept, browser_as, create_team, invitations, invite, member_id, my_invitations, page,
    post, role_of,
};
use crate::helpers::location;
use crate::mock_oidc::spawn_app_with_mock;

#[tokio::test]
async fn a_new_user_sees_the_empty_state_with_a_create_a_team_call_to_action() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let ann = browser_as(&app, &mock, "ann").await;
    let list = page(&ann, "/teams").await;
    assert!(list.contains("You are not in any team yet"));
    assert!(list.contains("href=\"/teams/new\">Create a team</a>"));
}

#[tokio::test]
async fn the_teams_pages_require_sign_in() {
    let (app, _mock) = spawn_app_with_mock(None).await;
    let response = app.get("/teams/new").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/login?next="));
}

#[tokio::test]
async fn the_creator_becomes_owner_and_viewing_a_team_selects_it() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let ann = browser_as(&app, &mock, "ann").await;
    let first = create_team(&ann, "First").await;
    let second = create_team(&ann, "Second").await;
    let team_page = page(&ann, &format!("/teams/{first}")).await;
    assert!(team_page.contains("Team created."));
    assert!(team_page.contains("<strong data-testid=\"my-role\">OWNER</strong>"));
    assert!(
        team_page.contains("href=\"/connectors\"") && team_page.contains("href=\"/dashboard\"")
    );
    let list = page(&ann, "/teams").await;
    assert!(list.contains("<td>OWNER</td>"));
    let selected = |list: &str, id: &str| {
        list.contains(&format!(
            "href=\"/teams/{id}\">{}</a> <span class=\"badge\">current team",
            if id == first { "First" } else { "Second" }
        ))
    };
    assert!(selected(&list, &first) && !selected(&list, &second));
    page(&ann, &format!("/teams/{second}")).await;
    let list = page(&ann, "/teams").await;
    assert!(selected(&list, &second) && !selected(&list, &first));
}

#[tokio::test]
async fn an_invitation_waits_on_the_invitees_teams_page_until_they_accept_it() {
    let world = World::new().await;
    let response = invite(&world.admin, &world.team, "newbie@example.test", "EDIT").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(world.owner_page().await.contains("newbie@example.test"));

    let newbie = browser_as(&world.owner, &world.mock, "newbie").await;
    let list = page(&newbie, "/teams").await;
    assert_eq!(my_invitations(&list), [world.team.as_str()]);
    assert!(
        list.contains("<td>Acme</td><td>Test admin</td><td>EDIT</td>"),
        "team, inviter and role: {list}"
    );
    assert!(
        list.contains("You are not in any team yet"),
        "not joined at sign-in"
    );

    let accepted = accept(&newbie, &world.team).await;
    assert_eq!(location(&accepted), format!("/teams/{}", world.team));
    let list = page(&newbie, "/teams").await;
    assert!(my_invitations(&list).is_empty());
    assert!(list.contains(">Acme</a>") && list.contains("<td>EDIT</td>"));
    let team_page = world.owner_page().await;
    assert!(
        invitations(&team_page).is_empty(),
        "the invitation was consumed"
    );
    assert!(team_page.contains("<td>Test newbie"));
}

#[tokio::test]
async fn an_existing_user_is_invited_not_added_and_a_revoked_invitation_cannot_be_accepted() {
    let world = World::new().await;
    let bob = browser_as(&world.owner, &world.mock, "bob").await;
    let invited = invite(&world.owner, &world.team, "bob@example.test", "READ").await;
    assert_eq!(invited.status(), StatusCode::SEE_OTHER);
    let team_page = world.owner_page().await;
    assert!(team_page.contains("Invitation sent."));
    assert_eq!(invitations(&team_page), ["bob@example.test"]);
    let bobs = page(&bob, "/teams").await;
    assert!(!bobs.contains(">Acme</a>") && my_invitations(&bobs) == [world.team.as_str()]);

    invite(&world.owner, &world.team, "late@example.test", "READ").await;
    let revoked = post(
        &world.owner,
        &format!("/teams/{}/invitations/revoke", world.team),
        &[("email", "late@example.test")],
    )
    .await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    assert_eq!(invitations(&world.owner_page().await), ["bob@example.test"]);
    let late = browser_as(&world.owner, &world.mock, "late").await;
    let list = page(&late, "/teams").await;
    assert!(list.contains("You are not in any team yet") && my_invitations(&list).is_empty());
    assert_eq!(
        accept(&late, &world.team).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_owner_transfers_ownership_and_becomes_an_admin() {
    let world = World::new().await;
    let admin = member_id(&world.owner_page().await, "admin");
    let t = &world.team;
    let response = post(
        &world.owner,
        &format!("/teams/{t}/transfer"),
        &[("member", &admin)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let as_new_owner = page(&world.admin, &format!("/teams/{t}")).await;
    assert!(as_new_owner.contains("<strong data-testid=\"my-role\">OWNER</strong>"));
    assert_eq!(as_new_owner.matches("<td>OWNER</td>").count(), 1);
    assert_eq!(role_of(&as_new_owner, "admin"), "OWNER");
    assert_eq!(role_of(&as_new_owner, "owner"), "ADMIN");
    let delete = post(
        &world.owner,
        &format!("/teams/{t}/delete"),
        &[("confirm", "yes")],
    )
    .await;
    assert_eq!(
        delete.status(),
        StatusCode::FORBIDDEN,
        "the old owner cannot delete"
    );
}

#[tokio::test]
async fn a_member_leaves_and_the_team_disappears_from_their_list() {
    let world = World::new().await;
    let t = &world.team;
    page(&world.read, &format!("/teams/{t}")).await;
    let response = post(&world.read, &format!("/teams/{t}/leave"), &[]).await;
    assert_eq!(location(&response), "/teams");
    let list = page(&world.read, "/teams").await;
    assert!(list.contains("You left the team.") && list.contains("You are not in any team yet"));
    assert!(!world.owner_page().await.contains("<td>Test read"));
}

#[tokio::test]
async fn deleting_a_team_needs_the_confirmation_and_then_removes_it_for_everyone() {
    let world = World::new().await;
    let t = &world.team;
    let confirm_page = page(&world.owner, &format!("/teams/{t}/delete")).await;
    assert!(confirm_page.contains("<label for=\"confirm\">"));
    let unconfirmed = post(&world.owner, &format!("/teams/{t}/delete"), &[]).await;
    assert_eq!(unconfirmed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        world.read.get(&format!("/teams/{t}")).await.status(),
        StatusCode::OK
    );

    let deleted = post(
        &world.owner,
        &format!("/teams/{t}/delete"),
        &[("confirm", "yes")],
    )
    .await;
    assert_eq!(location(&deleted), "/teams");
    for member in [&world.owner, &world.admin, &world.read] {
        assert_eq!(
            member.get(&format!("/teams/{t}")).await.status(),
            StatusCode::NOT_FOUND
        );
        assert!(
            page(member, "/teams")
                .await
                .contains("You are not in any team yet")
        );
    }
}

#[tokio::test]
async fn non_post_methods_on_action_routes_are_refused() {
    let world = World::new().await;
    let response = world
        .owner
        .get(&format!("/teams/{}/leave", world.team))
        .await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn an_unverified_email_never_accepts_an_invitation() {
    let world = World::new().await;
    invite(&world.owner, &world.team, "target@example.test", "ADMIN").await;
    let sneaky = world.owner.other_browser();
    let authorize = sneaky.start_login("oidc", None).await;
    let mut claims = world.mock.good_claims(&authorize, "sneaky");
    claims["email"] = "target@example.test".into();
    claims["email_verified"] = false.into();
    world.mock.answer_with(claims);
    let state = crate::helpers::query_param(&authorize, "state").unwrap();
    let response = sneaky
        .get_callback("oidc", &[("code", "mock-code"), ("state", &state)])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        invitations(&world.owner_page().await),
        ["target@example.test"]
    );
}

#[tokio::test]
async fn bob_invited_by_alice_joins_when_he_accepts_after_signing_in_with_the_sandbox() {
    let app = crate::helpers::spawn_sandbox_app().await;
    let alice = app.other_browser();
    super::sandbox_sign_in(&alice, "alice").await;
    let team = create_team(&alice, "Alice Shoes").await;
    let invited = invite(&alice, &team, "bob@sandbox.adboard.test", "READ").await;
    assert_eq!(invited.status(), StatusCode::SEE_OTHER);

    let bob = app.other_browser();
    super::sandbox_sign_in(&bob, "bob").await;
    assert_eq!(my_invitations(&page(&bob, "/teams").await), [team.as_str()]);
    assert_eq!(accept(&bob, &team).await.status(), StatusCode::SEE_OTHER);
    let list = page(&bob, "/teams").await;
    assert!(
        list.contains(">Alice Shoes</a>") && list.contains("<td>READ</td>"),
        "{list}"
    );
    let team_page = page(&alice, &format!("/teams/{team}")).await;
    assert_eq!(super::role_of_named(&team_page, "Bob Sandbox"), "READ");
}
