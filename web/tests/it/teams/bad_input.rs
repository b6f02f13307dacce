//! Every bad input the issue lists: names, emails, roles, ids, settings, missing CSRF tokens,
//! double-submitted forms.

use reqwest::StatusCode;

use super::{
    World, browser_as, create_team, invitations, invite, member_id, page, post, post_raw,
    submit_new_team,
};
use crate::mock_oidc::spawn_app_with_mock;

#[tokio::test]
async fn a_blank_team_name_is_refused_and_creates_nothing() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let ann = browser_as(&app, &mock, "ann").await;
    let response = submit_new_team(&ann, "   ").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
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
        StatusCode::BAD_REQUEST
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
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
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
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{email:?}");
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
            StatusCode::BAD_REQUEST,
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

#[tokio::test]
async fn team_ids_that_do_not_exist_or_are_malformed_answer_404() {
    let world = World::new().await;
    let unknown = "6f1c1a52-3d0e-4b7a-9a55-0c3e5b7d9f10";
    for id in [unknown, "not-a-uuid", "42", "00000000-0000-0000-0000-000000000000"] {
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
    let added = invite(&world.outsider, &other_team, "bob@example.test", "EDIT").await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
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

#[tokio::test]
async fn settings_accept_act_prefixed_ids_and_typed_events_and_refuse_garbage() {
    let world = World::new().await;
    let edit = format!("/teams/{}/edit", world.team);
    let saved = post(
        &world.admin,
        &edit,
        &[
            ("name", "Acme"),
            ("ad_account_id", " act_1234567890 "),
            ("conversion_event", "offsite_conversion.custom.42"),
        ],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = world.owner_page().await;
    assert!(page.contains("act_1234567890"));
    assert!(page.contains("offsite_conversion.custom.42"));
    for (account, event) in [
        ("act_12/../me", "purchase"),
        ("12?x=1", "purchase"),
        ("act_", "lead"),
        ("123", "<b>x</b>"),
        ("123", "Purchase"),
    ] {
        let response = post(
            &world.admin,
            &edit,
            &[
                ("name", "Acme"),
                ("ad_account_id", account),
                ("conversion_event", event),
            ],
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "{account:?} / {event:?}"
        );
    }
    assert!(
        world.owner_page().await.contains("act_1234567890"),
        "the good settings stand"
    );
}

#[tokio::test]
async fn every_team_post_without_a_csrf_token_is_refused() {
    let world = World::new().await;
    let t = &world.team;
    let read = member_id(&world.owner_page().await, "read");
    for path in [
        "/teams/new".to_owned(),
        format!("/teams/{t}/edit"),
        format!("/teams/{t}/invite"),
        format!("/teams/{t}/invitations/revoke"),
        format!("/teams/{t}/members/{read}/role"),
        format!("/teams/{t}/members/{read}/remove"),
        format!("/teams/{t}/transfer"),
        format!("/teams/{t}/leave"),
        format!("/teams/{t}/delete"),
    ] {
        let without = post_raw(&world.owner, &path, &[("name", "x"), ("confirm", "yes")]).await;
        assert_eq!(without.status(), StatusCode::FORBIDDEN, "no token: {path}");
        let forged = post_raw(
            &world.owner,
            &path,
            &[("csrf_token", "forged"), ("confirm", "yes")],
        )
        .await;
        assert_eq!(
            forged.status(),
            StatusCode::FORBIDDEN,
            "forged token: {path}"
        );
    }
    assert!(world.owner_page().await.contains("<td>Test read"));
}

#[tokio::test]
async fn a_double_submitted_create_form_creates_one_team() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let ann = browser_as(&app, &mock, "ann").await;
    let form = ann.get("/teams/new").await.text().await.unwrap();
    let once = super::hidden_value(&form, "form_once");
    let first = post(
        &ann,
        "/teams/new",
        &[("name", "Twice"), ("form_once", &once)],
    )
    .await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = post(
        &ann,
        "/teams/new",
        &[("name", "Twice"), ("form_once", &once)],
    )
    .await;
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::helpers::location(&second), "/teams");
    let list = page(&ann, "/teams").await;
    assert_eq!(list.matches(">Twice</a>").count(), 1, "{list}");
    assert!(list.contains("This form was already submitted."));
}

#[tokio::test]
async fn double_submitted_removals_and_revocations_answer_404_the_second_time() {
    let world = World::new().await;
    invite(&world.owner, &world.team, "later@example.test", "READ").await;
    let victim = member_id(&world.owner_page().await, "victim");
    let t = &world.team;
    let remove = format!("/teams/{t}/members/{victim}/remove");
    assert_eq!(
        post(&world.owner, &remove, &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post(&world.owner, &remove, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    let revoke = format!("/teams/{t}/invitations/revoke");
    let form = [("email", "later@example.test")];
    assert_eq!(
        post(&world.owner, &revoke, &form).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post(&world.owner, &revoke, &form).await.status(),
        StatusCode::NOT_FOUND
    );
    let delete = format!("/teams/{t}/delete");
    let confirm = [("confirm", "yes")];
    assert_eq!(
        post(&world.owner, &delete, &confirm).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post(&world.owner, &delete, &confirm).await.status(),
        StatusCode::NOT_FOUND
    );
}
