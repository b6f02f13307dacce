//! Forms: CSRF tokens on every POST, double submissions, and the settings fields' parsing.

use reqwest::StatusCode;

use super::{World, browser_as, invite, member_id, page, post, post_raw};
use crate::mock_oidc::spawn_app_with_mock;

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
            StatusCode::UNPROCESSABLE_ENTITY,
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
    let id = super::hidden_value(&form, "new_team_id");
    let fields = [("name", "Twice"), ("new_team_id", id.as_str())];
    let first = post(&ann, "/teams/new", &fields).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::helpers::location(&first), format!("/teams/{id}"));
    let second = post(&ann, "/teams/new", &fields).await;
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        crate::helpers::location(&second),
        format!("/teams/{id}"),
        "the second submission lands on the team the first created"
    );
    let team = page(&ann, &format!("/teams/{id}")).await;
    assert!(team.contains("This form was already submitted."), "{team}");
    let list = page(&ann, "/teams").await;
    // One row in the table (the navbar names the current team too).
    assert_eq!(
        list.matches("<tr><td><a href=\"/teams/").count(),
        1,
        "{list}"
    );
}

#[tokio::test]
async fn a_create_form_with_a_made_up_or_malformed_team_id_creates_nothing() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let ann = browser_as(&app, &mock, "ann").await;
    let _ = ann.get("/teams/new").await;
    let made_up = adboard_domain::team::TeamId::new_random().to_string();
    let response = post(
        &ann,
        "/teams/new",
        &[("name", "Chosen"), ("new_team_id", made_up.as_str())],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::helpers::location(&response), "/teams");
    for bad in ["", "not-a-uuid", "../../etc"] {
        let response = post(&ann, "/teams/new", &[("name", "Bad"), ("new_team_id", bad)]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad:?}");
        let body = response.text().await.unwrap();
        assert!(body.contains("This form is out of date."), "{body}");
    }
    let list = page(&ann, "/teams").await;
    assert!(
        !list.contains(">Chosen</a>") && !list.contains(">Bad</a>"),
        "{list}"
    );
    let response = ann.get(&format!("/teams/{made_up}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
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
