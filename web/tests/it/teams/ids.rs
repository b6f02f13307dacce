//! Ids that name nothing here: unknown or malformed team ids, a member of another team, an
//! invitation that does not exist — all 404, nothing changed.

use reqwest::StatusCode;

use super::{World, accept, browser_as, create_team, invite, member_id, page, post};

#[tokio::test]
async fn team_ids_that_do_not_exist_or_are_malformed_answer_404() {
    let world = World::new().await;
    let unknown = "6f1c1a52-3d0e-4b7a-9a55-0c3e5b7d9f10";
    for id in [
        unknown,
        "not-a-uuid",
        "42",
        "00000000-0000-0000-0000-000000000000",
    ] {
        for path in ["", "/edit", "/invite", "/delete"] {
            let response = world.owner.get(&format!("/teams/{id}{path}")).await;
            assert_eq!(
                response.status(),
                StatusCode::NOT_FOUND,
                "GET /teams/{id}{path}"
            );
        }
        for path in [
            "/edit",
            "/invite",
            "/leave",
            "/delete",
            "/transfer",
            "/invitations/revoke",
        ] {
            let response = post(
                &world.owner,
                &format!("/teams/{id}{path}"),
                &[("name", "x")],
            )
            .await;
            assert_eq!(
                response.status(),
                StatusCode::NOT_FOUND,
                "POST /teams/{id}{path}"
            );
        }
    }
}

#[tokio::test]
async fn a_membership_id_from_another_team_answers_404_and_changes_nothing() {
    let world = World::new().await;
    let other_team = create_team(&world.outsider, "Other").await;
    let bob = browser_as(&world.owner, &world.mock, "bob").await;
    let invited = invite(&world.outsider, &other_team, "bob@example.test", "EDIT").await;
    assert_eq!(invited.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        accept(&bob, &other_team).await.status(),
        StatusCode::SEE_OTHER
    );
    let bob_id = member_id(
        &page(&world.outsider, &format!("/teams/{other_team}")).await,
        "bob",
    );
    let t = &world.team;
    for (path, form) in [
        (
            format!("/teams/{t}/members/{bob_id}/role"),
            vec![("role", "READ")],
        ),
        (format!("/teams/{t}/members/{bob_id}/remove"), vec![]),
        (
            format!("/teams/{t}/transfer"),
            vec![("member", bob_id.as_str())],
        ),
        (format!("/teams/{t}/members/not-a-user/remove"), vec![]),
    ] {
        let response = post(&world.owner, &path, &form).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "POST {path}");
    }
    let other = page(&world.outsider, &format!("/teams/{other_team}")).await;
    assert!(
        other.contains("<td>EDIT</td>"),
        "bob is still EDIT in his team"
    );
    assert!(page(&bob, "/teams").await.contains("Other"));
}

#[tokio::test]
async fn a_revoke_for_an_invitation_that_does_not_exist_answers_404() {
    let world = World::new().await;
    for email in ["nobody@example.test", "garbage"] {
        let response = post(
            &world.owner,
            &format!("/teams/{}/invitations/revoke", world.team),
            &[("email", email)],
        )
        .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{email}");
    }
}
