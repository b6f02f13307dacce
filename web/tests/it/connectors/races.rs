//! Racing reconnects: twenty owners' browsers finish a connection at the same moment.

use adboard_domain::connector::Platform;
use reqwest::StatusCode;

use super::{CONTINUE, answer_dialog, select, start_connect, world};
use crate::helpers::{Backend, location};
use crate::on_both_backends;
use crate::sandbox::sign_in;

on_both_backends!(twenty_concurrent_reconnects_leave_exactly_one_stored_token);

async fn twenty_concurrent_reconnects_leave_exactly_one_stored_token(backend: Backend) {
    let world = world(backend).await;
    let mut answers = Vec::new();
    for _ in 0..20 {
        let browser = world.app.other_browser();
        assert_eq!(
            sign_in(&browser, "sandbox", "alice", None).await.status(),
            StatusCode::SEE_OTHER
        );
        select(&browser, &world.team.to_string()).await;
        let dialog = start_connect(&browser).await;
        answers.push((browser, answer_dialog(&dialog, CONTINUE).await));
    }

    let responses = futures::future::join_all(
        answers
            .iter()
            .map(|(browser, answer)| browser.follow(answer)),
    )
    .await;

    for response in &responses {
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(response), "/connectors/facebook/accounts");
    }
    let all = world.store.list_connectors().await.unwrap();
    assert_eq!(all.len(), 1, "exactly one connector");
    let stored = world
        .store
        .get_connector(world.team, Platform::Facebook)
        .await
        .unwrap()
        .unwrap();
    let token = world.token(&stored);
    assert_eq!(world.sandbox_me_status(&token).await, StatusCode::OK);
}
