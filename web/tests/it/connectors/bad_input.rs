//! Every hostile input of the connectors issue: states that are missing, forged, replayed, expired,
//! minted for another team or another purpose; a replayed code; other roles; unknown platforms;
//! the wrong method.

use adboard_domain::account::EmailAddress;
use adboard_domain::team::TeamRole;
use reqwest::StatusCode;

use super::{CONTINUE, answer_dialog, select, start_connect, world};
use crate::helpers::{Backend, TestApp, location, query_param};
use crate::sandbox::sign_in;
use crate::teams::{create_team, post, post_raw};

/// GET the connector callback with `query`; returns (status, location or "", next page text).
async fn callback(world: &super::World, query: &[(&str, &str)]) -> (StatusCode, String) {
    let response = world
        .app
        .client
        .get(format!("{}/connectors/facebook/callback", world.app.url))
        .query(query)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let to = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, to)
}

/// The connectors page after a refused callback: it must say the connection did not complete.
async fn assert_refused(world: &super::World, status: StatusCode, to: &str, why: &str) {
    assert_eq!(
        (status, to),
        (StatusCode::SEE_OTHER, "/connectors"),
        "{why}"
    );
    let page = world.page("/connectors").await;
    assert!(
        page.contains("The connection did not complete"),
        "{why}: {page}"
    );
    assert!(world.connector().await.is_none(), "{why}: nothing stored");
}

#[tokio::test]
async fn a_callback_with_no_forged_or_replayed_state_is_refused_and_stores_nothing() {
    let world = world(Backend::Sqlite).await;

    let (status, to) = callback(&world, &[("code", "c")]).await;
    assert_refused(&world, status, &to, "no connection started").await;

    let dialog = world.start_connect().await;
    let (status, to) = callback(&world, &[("code", "c"), ("state", "forged")]).await;
    assert_refused(&world, status, &to, "forged state").await;

    // The forged try used up the pending connection: the real answer is refused too.
    let real = answer_dialog(&dialog, CONTINUE).await;
    let response = world.app.follow(&real).await;
    assert_refused(
        &world,
        response.status(),
        &location(&response),
        "after a forged try",
    )
    .await;

    let dialog = world.start_connect().await;
    let real = answer_dialog(&dialog, CONTINUE).await;
    assert_eq!(
        world.app.follow(&real).await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(world.connector().await.is_some());
    let replay = world.app.follow(&real).await;
    assert_eq!(
        location(&replay),
        "/connectors",
        "a replayed answer is refused"
    );
}

#[tokio::test]
async fn an_expired_connect_state_is_refused() {
    // An app whose started connections expire after one second.
    let app = crate::helpers::spawn_app(
        &[("TOKEN_ENCRYPTION_KEY", crate::helpers::TOKEN_KEY_B64)],
        Some(std::time::Duration::from_secs(1)),
    )
    .await;
    assert_eq!(
        sign_in(&app, "sandbox", "alice", None).await.status(),
        StatusCode::SEE_OTHER
    );
    let team = create_team(&app, "Slow").await;
    select(&app, &team).await;
    let dialog = start_connect(&app).await;
    let answer = answer_dialog(&dialog, CONTINUE).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let response = app.follow(&answer).await;

    assert_eq!(location(&response), "/connectors");
    let page = app.get("/connectors").await.text().await.unwrap();
    assert!(page.contains("expired"), "{page}");
    assert!(page.contains("Not connected"));
}

#[tokio::test]
async fn a_state_minted_for_team_a_is_refused_while_team_b_is_selected() {
    let world = world(Backend::Sqlite).await;
    let dialog = world.start_connect().await;
    let answer = answer_dialog(&dialog, CONTINUE).await;
    let other = create_team(&world.app, "Team B").await;
    select(&world.app, &other).await;

    let response = world.app.follow(&answer).await;

    assert_eq!(location(&response), "/connectors");
    let page = world.page("/connectors").await;
    assert!(page.contains("started for another team"), "{page}");
    assert!(world.connector().await.is_none(), "team A got nothing");
    assert!(page.contains("Not connected"), "team B got nothing");
}

#[tokio::test]
async fn a_login_state_is_not_accepted_here_nor_a_connect_state_at_login() {
    let world = world(Backend::Sqlite).await;
    // A "link Facebook" sign-in started from the profile: its state is a login state.
    let csrf = world.app.csrf().await;
    let link = world.app.post_link("facebook", &csrf).await;
    let login_dialog = location(&link);
    let login_state = query_param(&login_dialog, "state").unwrap();

    let (status, to) = callback(&world, &[("code", "c"), ("state", &login_state)]).await;
    assert_refused(
        &world,
        status,
        &to,
        "a login state at the connector callback",
    )
    .await;

    let connect_dialog = world.start_connect().await;
    let connect_answer = answer_dialog(&connect_dialog, CONTINUE).await;
    let connect_state = query_param(&connect_answer, "state").unwrap();
    let code = query_param(&connect_answer, "code").unwrap();
    let at_login = world
        .app
        .get_callback("facebook", &[("code", &code), ("state", &connect_state)])
        .await;
    assert_eq!(
        at_login.status(),
        StatusCode::BAD_REQUEST,
        "a connect state at login"
    );
    assert!(at_login.text().await.unwrap().contains("Sign-in failed"));
}

#[tokio::test]
async fn a_replayed_code_is_refused_by_facebook_and_nothing_changes() {
    let world = world(Backend::Sqlite).await;
    let dialog = world.start_connect().await;
    let answer = answer_dialog(&dialog, CONTINUE).await;
    let old_code = query_param(&answer, "code").unwrap();
    assert_eq!(
        world.app.follow(&answer).await.status(),
        StatusCode::SEE_OTHER
    );
    let stored = world.connector().await.unwrap();

    // A new connection, answered with the old (spent) code.
    let dialog = world.start_connect().await;
    let state = query_param(&dialog, "state").unwrap();
    let (status, to) = callback(&world, &[("code", &old_code), ("state", &state)]).await;

    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/connectors")
    );
    let page = world.page("/connectors").await;
    assert!(page.contains("did not accept the code"), "{page}");
    assert_eq!(
        world.connector().await.unwrap(),
        stored,
        "the connection is unchanged"
    );
}

/// Every connector route, as (method, path): none may answer anyone but the owner.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/connectors"),
    ("POST", "/connectors/facebook"),
    ("GET", "/connectors/facebook/callback?code=c&state=s"),
    ("GET", "/connectors/facebook/accounts"),
    ("POST", "/connectors/facebook/accounts"),
    ("POST", "/connectors/facebook/disconnect"),
];

async fn status_of(app: &TestApp, method: &str, path: &str) -> StatusCode {
    match method {
        "GET" => app.get(path).await.status(),
        _ => post(app, path, &[("account_id", "1234567890")])
            .await
            .status(),
    }
}

#[tokio::test]
async fn admins_editors_readers_and_former_members_get_404_on_every_connector_route() {
    let world = world(Backend::Sqlite).await;
    world.connect().await;
    let bob = world.app.other_browser();
    assert_eq!(
        sign_in(&bob, "sandbox", "bob", None).await.status(),
        StatusCode::SEE_OTHER
    );
    let bob_id = world
        .store
        .find_user_by_email(&EmailAddress::parse("bob@sandbox.adboard.test").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    world
        .store
        .add_member(world.team, bob_id, TeamRole::Admin)
        .await
        .unwrap();
    select(&bob, &world.team.to_string()).await;

    for role in [TeamRole::Admin, TeamRole::Edit, TeamRole::Read] {
        world
            .store
            .set_member_role(world.team, bob_id, role)
            .await
            .unwrap();
        for (method, path) in ROUTES {
            assert_eq!(
                status_of(&bob, method, path).await,
                StatusCode::NOT_FOUND,
                "{role:?} {method} {path}"
            );
        }
        let home = bob.get("/").await.text().await.unwrap();
        assert!(
            !home.contains("href=\"/connectors\""),
            "no navbar link for {role:?}"
        );
    }
    world.store.remove_member(world.team, bob_id).await.unwrap();
    for (method, path) in ROUTES {
        assert_eq!(
            status_of(&bob, method, path).await,
            StatusCode::NOT_FOUND,
            "former member {method} {path}"
        );
    }
    assert!(
        world.connector().await.is_some(),
        "the owner's connection is untouched"
    );
}

#[tokio::test]
async fn unknown_platforms_are_404_and_connecting_by_get_is_405() {
    let world = world(Backend::Sqlite).await;
    assert_eq!(
        world.app.get("/connectors/unknown").await.status(),
        StatusCode::NOT_FOUND
    );
    for path in [
        "/connectors/unknown",
        "/connectors/unknown/disconnect",
        "/connectors/unknown/accounts",
    ] {
        assert_eq!(
            post(&world.app, path, &[]).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        world.app.get("/connectors/unknown/accounts").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        world.app.get("/connectors/facebook").await.status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        world
            .app
            .get("/connectors/facebook/disconnect")
            .await
            .status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
    let no_csrf = post_raw(&world.app, "/connectors/facebook", &[]).await;
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn with_no_team_selected_the_owner_is_sent_to_pick_one() {
    let app = crate::helpers::spawn_sandbox_app().await;
    assert_eq!(
        sign_in(&app, "sandbox", "alice", None).await.status(),
        StatusCode::SEE_OTHER
    );

    let response = app.get("/connectors").await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/teams");
    let teams = app.get("/teams").await.text().await.unwrap();
    assert!(teams.contains("Please select a team"));
}
