//! The owner's flows: connect, the account picker, cancel, reconnect, disconnect, a declined
//! permission, and token health ("Reconnect needed").

use std::time::Duration;

use adboard_domain::connector::Platform;
use adboard_facebook::{GraphClient, Settings};
use adboard_sandbox::{SandboxConfig, TokenOptions};
use chrono::Utc;
use reqwest::StatusCode;
use secrecy::SecretString;

use super::{CONTINUE, answer_dialog, world};
use crate::helpers::{Backend, location, query_param};
use crate::on_both_backends;
use crate::teams::post;

on_both_backends!(
    connecting_stores_an_encrypted_token_and_sends_the_owner_to_the_account_picker,
    reconnecting_replaces_the_one_token_and_keeps_the_chosen_account,
);

async fn connecting_stores_an_encrypted_token_and_sends_the_owner_to_the_account_picker(
    backend: Backend,
) {
    let world = world(backend).await;
    let before = world.page("/connectors").await;
    assert!(before.contains("Not connected") && before.contains("CONNECT"));
    let dialog = world.start_connect().await;
    assert_eq!(query_param(&dialog, "scope").as_deref(), Some("ads_read"));
    assert_eq!(
        query_param(&dialog, "redirect_uri"),
        Some(format!("{}/connectors/facebook/callback", world.app.url))
    );

    let connector = world.connect().await;

    let token = world.token(&connector);
    assert!(!connector.token.ciphertext.contains(&token));
    assert_eq!(world.sandbox_me_status(&token).await, StatusCode::OK);
    assert_eq!(connector.external_user_name, "Alice Sandbox");
    assert!(connector.scopes.contains(&"ads_read".to_owned()));
    assert!(connector.expires_at.unwrap() > Utc::now() + chrono::Duration::days(50));
    assert!(connector.data_access_expires_at.is_some());
    let page = world.page("/connectors").await;
    assert!(page.contains("Facebook Ads connected"), "flash");
    assert!(page.contains(">Connected<") && page.contains("Alice Sandbox"));
    assert!(page.contains("Reconnect") && page.contains("Disconnect"));
    assert!(!page.contains(&token));
}

#[tokio::test]
async fn the_account_picker_lists_every_account_and_the_choice_becomes_the_team_account() {
    let world = world(Backend::Sqlite).await;
    world.connect().await;

    let picker = world.page("/connectors/facebook/accounts").await;
    for name in ["Alice Shoes EU", "Alice Shoes US", "Alice Old Shop"] {
        assert!(picker.contains(name), "{name}");
    }
    assert!(
        picker.contains("Europe&#x2F;Berlin") && picker.contains("Closed"),
        "{picker}"
    );
    let chosen = post(
        &world.app,
        "/connectors/facebook/accounts",
        &[("account_id", "2345678901")],
    )
    .await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&chosen), format!("/teams/{}", world.team));
    let team_page = world.page(&format!("/teams/{}", world.team)).await;
    assert!(team_page.contains("act_2345678901") && team_page.contains("Alice Shoes US"));
    let team = world.store.get_team(world.team).await.unwrap().unwrap();
    assert_eq!(team.settings.ad_account_id.unwrap().as_str(), "2345678901");
    let account = world.connector().await.unwrap().account.unwrap();
    assert_eq!(
        (account.currency.as_str(), account.timezone.as_str()),
        ("USD", "America/Los_Angeles")
    );

    // Bob's account is not one Alice's connection can read.
    let foreign = post(
        &world.app,
        "/connectors/facebook/accounts",
        &[("account_id", "4567890123")],
    )
    .await;
    assert_eq!(foreign.status(), StatusCode::BAD_REQUEST);
    assert!(
        foreign
            .text()
            .await
            .unwrap()
            .contains("not one this Facebook connection can read")
    );
    let malformed = post(
        &world.app,
        "/connectors/facebook/accounts",
        &[("account_id", "my ad account")],
    )
    .await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let kept = world.store.get_team(world.team).await.unwrap().unwrap();
    assert_eq!(kept.settings.ad_account_id.unwrap().as_str(), "2345678901");
}

#[tokio::test]
async fn cancelling_at_facebook_returns_to_the_page_with_the_reason_and_stores_nothing() {
    let world = world(Backend::Sqlite).await;

    let response = world
        .connect_with(&[("user", "alice"), ("action", "cancel")])
        .await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/connectors");
    let page = world.page("/connectors").await;
    assert!(page.contains("You cancelled at Facebook"), "{page}");
    assert!(page.contains("Not connected"));
    assert!(world.connector().await.is_none());
}

async fn reconnecting_replaces_the_one_token_and_keeps_the_chosen_account(backend: Backend) {
    let world = world(backend).await;
    let first = world.connect().await;
    let chose = post(
        &world.app,
        "/connectors/facebook/accounts",
        &[("account_id", "1234567890")],
    )
    .await;
    assert_eq!(chose.status(), StatusCode::SEE_OTHER);

    let second = world.connect().await;

    assert_ne!(world.token(&first), world.token(&second), "a new token");
    assert!(second.connected_at > first.connected_at);
    assert_eq!(second.account.unwrap().id.as_str(), "1234567890");
    assert_eq!(world.store.list_connectors().await.unwrap().len(), 1);
}

#[tokio::test]
async fn disconnecting_revokes_the_permission_at_facebook_and_deletes_the_token() {
    let world = world(Backend::Sqlite).await;
    let token = world.token(&world.connect().await);

    let response = post(&world.app, "/connectors/facebook/disconnect", &[]).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/connectors");
    let page = world.page("/connectors").await;
    assert!(page.contains("access was revoked at Facebook"), "{page}");
    assert!(page.contains("Not connected"));
    assert!(world.connector().await.is_none());
    assert_ne!(
        world.sandbox_me_status(&token).await,
        StatusCode::OK,
        "revoked at Facebook"
    );
}

#[tokio::test]
async fn disconnecting_a_never_connected_team_is_a_friendly_no_op() {
    let world = world(Backend::Sqlite).await;
    let response = post(&world.app, "/connectors/facebook/disconnect", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        world
            .page("/connectors")
            .await
            .contains("was not connected; nothing to do")
    );
}

#[tokio::test]
async fn a_declined_ads_read_is_named_nothing_is_stored_and_the_page_asks_again() {
    let world = world(Backend::Sqlite).await;

    let response = world
        .connect_with(&[
            ("user", "alice"),
            ("action", "continue"),
            ("edit_access", "1"),
            ("scope", "email"),
        ])
        .await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/connectors");
    assert!(world.connector().await.is_none());
    let page = world.page("/connectors").await;
    assert!(
        page.contains("the permission ads_read was not granted"),
        "{page}"
    );
    assert!(page.contains("Ask again") && page.contains("name=\"rerequest\" value=\"1\""));
    let again = post(&world.app, "/connectors/facebook", &[("rerequest", "1")]).await;
    let dialog = location(&again);
    assert_eq!(
        query_param(&dialog, "auth_type").as_deref(),
        Some("rerequest")
    );
    let callback = answer_dialog(&dialog, CONTINUE).await;
    assert_eq!(
        world.app.follow(&callback).await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(world.connector().await.is_some(), "granted the second time");
}

#[tokio::test]
async fn a_token_expiring_within_7_days_shows_reconnect_needed_on_the_connectors_and_team_pages() {
    let world = world(Backend::Sqlite).await;
    let mut connector = world.connect().await;
    connector.expires_at = Some(Utc::now() + chrono::Duration::days(2));
    world.store.put_connector(connector).await.unwrap();

    let page = world.page("/connectors").await;
    let team_page = world.page(&format!("/teams/{}", world.team)).await;

    assert!(page.contains("Reconnect needed") && page.contains("The token expires on"));
    assert!(team_page.contains("Reconnect needed"));
}

#[tokio::test]
async fn a_token_revoked_at_facebook_is_found_by_the_background_check_without_blocking_the_page() {
    let world = world(Backend::Sqlite).await;
    let connector = world.connect().await;
    let token = world.token(&connector);
    let sandbox = world.app.sandbox_url.clone().unwrap();
    let revoked = reqwest::Client::new()
        .delete(format!("{sandbox}/v26.0/me/permissions"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    // The last check is two hours old, so the next page view asks Facebook again.
    world
        .store
        .record_connector_check(
            world.team,
            Platform::Facebook,
            connector.connected_at,
            Utc::now() - chrono::Duration::hours(2),
            None,
        )
        .await
        .unwrap();

    let first_view = world.page("/connectors").await;
    assert!(
        !first_view.contains("Reconnect needed"),
        "the view did not wait"
    );
    let mut flagged = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if world
            .connector()
            .await
            .unwrap()
            .health
            .invalid_reason
            .is_some()
        {
            flagged = true;
            break;
        }
    }

    assert!(flagged, "the background check recorded the revocation");
    let page = world.page("/connectors").await;
    assert!(page.contains("Reconnect needed"), "{page}");
}

#[tokio::test]
async fn a_token_issued_to_another_app_is_refused_by_the_connect_check() {
    // The sandbox never hands out another app's token through a code exchange, but it can mint
    // one; the check the callback runs refuses it against the server.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let sandbox = adboard_sandbox::spawn(listener, SandboxConfig::default())
        .await
        .unwrap();
    let graph = GraphClient::new(
        Settings::new(&sandbox.base_url)
            .unwrap()
            .with_app("sandbox-app", SecretString::from("sandbox-secret")),
    )
    .unwrap();
    let foreign = sandbox
        .user_token_with(
            "alice",
            &TokenOptions {
                app_id: Some("someone-elses-app".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let ours = sandbox.user_token("alice").unwrap();

    let refused = adboard_web::connectors::facebook::check_token(
        &graph,
        &SecretString::from(foreign),
        "sandbox-app",
    )
    .await;
    let accepted = adboard_web::connectors::facebook::check_token(
        &graph,
        &SecretString::from(ours),
        "sandbox-app",
    )
    .await;

    let message = refused.unwrap_err().to_string();
    assert!(
        message.contains("issued to another application"),
        "{message}"
    );
    assert!(accepted.is_ok());
    sandbox.stop().await;
}

#[tokio::test]
async fn facebook_failing_during_connect_gives_a_clear_message_and_stores_nothing() {
    let world = super::world_with(Backend::Sqlite, &[("FACEBOOK_RETRY_BUDGET_MS", "200")]).await;
    let sandbox = world.app.sandbox_url.clone().unwrap();
    let fault = reqwest::Client::new()
        .post(format!("{sandbox}/__sandbox/faults"))
        .json(&serde_json::json!({"kind": "unknown_error"}))
        .send()
        .await
        .unwrap();
    assert!(fault.status().is_success());

    let response = world.connect_with(CONTINUE).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/connectors");
    let page = world.page("/connectors").await;
    assert!(page.contains("Facebook could not be reached"), "{page}");
    assert!(world.connector().await.is_none());
}
