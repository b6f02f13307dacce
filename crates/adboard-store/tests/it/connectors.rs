//! Contract cases for connectors: stored, replaced on reconnect (racing too), given an account,
//! health-checked, listed and deleted (alone or with their team).

use std::collections::HashSet;
use std::sync::Arc;

use adboard_domain::ads::AdAccountId;
use adboard_domain::connector::Platform::Facebook;
use adboard_domain::team::TeamId;
use adboard_store::{ConnectedAccount, Connector, ConnectorHealth, StoreError};
use chrono::{Duration, Utc};

use crate::support::{TestStore, connector, keyring, opened, page, team_with, user};

crate::contract!(
    a_connector_is_stored_sealed_and_read_back_whole,
    reconnecting_replaces_the_connector_and_its_token,
    twenty_concurrent_reconnects_leave_exactly_one_connector_with_one_of_their_tokens,
    disconnecting_deletes_the_connector_and_a_second_disconnect_is_a_no_op,
    disconnecting_a_never_connected_team_is_a_no_op,
    deleting_a_team_deletes_its_connector,
    connecting_an_unknown_or_deleted_team_is_not_found_and_stores_nothing,
    the_chosen_ad_account_is_recorded_on_the_connector,
    a_health_check_is_recorded_only_for_the_connection_it_checked,
    every_connector_of_every_team_is_listed,
);

fn account() -> ConnectedAccount {
    ConnectedAccount {
        id: AdAccountId::parse("act_1234567890").unwrap(),
        name: "Growth ads".into(),
        currency: "EUR".into(),
        timezone: "Europe/Paris".into(),
    }
}

async fn a_connector_is_stored_sealed_and_read_back_whole(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let keys = keyring(1);

    let stored = store
        .put_connector(connector(team.id, &ann, &keys, "EAAB-first"))
        .await
        .unwrap();

    let read = store.get_connector(team.id, Facebook).await.unwrap();
    assert_eq!(read.as_ref(), Some(&stored));
    assert_eq!(stored.token.key_id, keys.current_key_id());
    assert!(!stored.token.ciphertext.contains("EAAB-first"));
    assert!(!format!("{stored:?}").contains("EAAB-first"));
    assert_eq!(opened(&store, team.id, &keys).await, "EAAB-first");
    let page = page(&store, team.id).await;
    assert_eq!(page.connector(Facebook), Some(&stored));
    assert_eq!(page.connectors, [stored]);
}

async fn reconnecting_replaces_the_connector_and_its_token(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let keys = keyring(1);
    let first = store
        .put_connector(connector(team.id, &ann, &keys, "old-token"))
        .await
        .unwrap();
    store
        .record_connector_check(
            team.id,
            Facebook,
            first.connected_at,
            Utc::now(),
            Some("expired".into()),
        )
        .await
        .unwrap();

    let mut again = connector(team.id, &ann, &keys, "new-token");
    again.external_user_name = "Ann again".into();
    let second = store.put_connector(again).await.unwrap();

    assert_eq!(
        store.get_connector(team.id, Facebook).await.unwrap(),
        Some(second.clone())
    );
    assert_eq!(opened(&store, team.id, &keys).await, "new-token");
    assert_eq!(second.health, ConnectorHealth::default(), "a fresh health");
    assert_eq!(page(&store, team.id).await.connectors, [second]);
}

async fn twenty_concurrent_reconnects_leave_exactly_one_connector_with_one_of_their_tokens(
    store: TestStore,
) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let keys = Arc::new(keyring(1));

    let attempts: Vec<_> = (0..20)
        .map(|i| {
            let (store, keys, ann) = (Arc::clone(&store), Arc::clone(&keys), ann.clone());
            tokio::spawn(async move {
                let c = connector(team.id, &ann, &keys, &format!("token-{i}"));
                store.put_connector(c).await
            })
        })
        .collect();
    let mut written = Vec::new();
    for attempt in attempts {
        written.push(attempt.await.unwrap().unwrap());
    }

    let all = store.list_connectors().await.unwrap();
    let mine: Vec<_> = all.iter().filter(|c| c.team == team.id).collect();
    assert_eq!(mine.len(), 1, "exactly one connector");
    assert!(written.contains(mine[0]), "one of the writes, whole");
    let token = opened(&store, team.id, &keys).await;
    let tokens: HashSet<String> = (0..20).map(|i| format!("token-{i}")).collect();
    assert!(tokens.contains(&token), "{token}");
    assert_eq!(page(&store, team.id).await.connectors.len(), 1);
}

async fn disconnecting_deletes_the_connector_and_a_second_disconnect_is_a_no_op(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    store
        .put_connector(connector(team.id, &ann, &keyring(1), "token"))
        .await
        .unwrap();

    assert!(store.delete_connector(team.id, Facebook).await.unwrap());

    assert_eq!(store.get_connector(team.id, Facebook).await.unwrap(), None);
    assert!(page(&store, team.id).await.connectors.is_empty());
    assert!(!store.delete_connector(team.id, Facebook).await.unwrap());
}

async fn disconnecting_a_never_connected_team_is_a_no_op(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;

    assert!(!store.delete_connector(team.id, Facebook).await.unwrap());
    assert!(
        !store
            .delete_connector(TeamId::new_random(), Facebook)
            .await
            .unwrap()
    );
    assert_eq!(store.get_connector(team.id, Facebook).await.unwrap(), None);
}

async fn deleting_a_team_deletes_its_connector(store: TestStore) {
    let ann = user(&store, "ann").await;
    let doomed = team_with(&store, &ann, &[]).await;
    let kept = team_with(&store, &ann, &[]).await;
    let keys = keyring(1);
    for team in [doomed.id, kept.id] {
        store
            .put_connector(connector(team, &ann, &keys, "token"))
            .await
            .unwrap();
    }

    store.delete_team(doomed.id).await.unwrap();

    assert_eq!(
        store.get_connector(doomed.id, Facebook).await.unwrap(),
        None
    );
    let teams: Vec<TeamId> = store
        .list_connectors()
        .await
        .unwrap()
        .iter()
        .map(|c| c.team)
        .collect();
    assert_eq!(teams, [kept.id]);
}

async fn connecting_an_unknown_or_deleted_team_is_not_found_and_stores_nothing(store: TestStore) {
    let ann = user(&store, "ann").await;
    let deleted = team_with(&store, &ann, &[]).await;
    store.delete_team(deleted.id).await.unwrap();

    for team in [TeamId::new_random(), deleted.id] {
        let put = store
            .put_connector(connector(team, &ann, &keyring(1), "token"))
            .await;
        assert!(matches!(put, Err(StoreError::NotFound)), "{put:?}");
        assert_eq!(store.get_connector(team, Facebook).await.unwrap(), None);
    }
    assert!(store.list_connectors().await.unwrap().is_empty());
}

async fn the_chosen_ad_account_is_recorded_on_the_connector(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let keys = keyring(1);
    let stored = store
        .put_connector(connector(team.id, &ann, &keys, "token"))
        .await
        .unwrap();

    store
        .set_connector_account(team.id, Facebook, account())
        .await
        .unwrap();

    let read = store
        .get_connector(team.id, Facebook)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.account, Some(account()));
    assert_eq!(
        Connector {
            account: None,
            ..read
        },
        stored,
        "nothing else changed"
    );
    assert_eq!(opened(&store, team.id, &keys).await, "token");
    let other = team_with(&store, &ann, &[]).await;
    let missing = store
        .set_connector_account(other.id, Facebook, account())
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    assert_eq!(store.get_connector(other.id, Facebook).await.unwrap(), None);
}

async fn a_health_check_is_recorded_only_for_the_connection_it_checked(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let keys = keyring(1);
    let first = store
        .put_connector(connector(team.id, &ann, &keys, "first"))
        .await
        .unwrap();
    let checked = first.connected_at + Duration::minutes(5);

    let recorded = store
        .record_connector_check(
            team.id,
            Facebook,
            first.connected_at,
            checked,
            Some("Error validating access token".into()),
        )
        .await
        .unwrap();

    assert!(recorded);
    let health = store
        .get_connector(team.id, Facebook)
        .await
        .unwrap()
        .unwrap()
        .health;
    assert_eq!(health.checked_at, Some(checked));
    assert_eq!(
        health.invalid_reason.as_deref(),
        Some("Error validating access token")
    );
    // A later check that finds the token valid clears the reason.
    assert!(
        store
            .record_connector_check(team.id, Facebook, first.connected_at, checked, None)
            .await
            .unwrap()
    );
    let read = store.get_connector(team.id, Facebook).await.unwrap();
    assert_eq!(read.unwrap().health.invalid_reason, None);

    // A reconnect: a check that started against the first connection writes nothing.
    let mut again = connector(team.id, &ann, &keys, "second");
    again.connected_at = first.connected_at + Duration::seconds(1);
    let second = store.put_connector(again).await.unwrap();
    let stale = store
        .record_connector_check(
            team.id,
            Facebook,
            first.connected_at,
            checked,
            Some("stale verdict".into()),
        )
        .await
        .unwrap();
    assert!(!stale);
    assert_eq!(
        store.get_connector(team.id, Facebook).await.unwrap(),
        Some(second.clone())
    );

    // A disconnect: a check finishing afterwards does not bring the connector back.
    store.delete_connector(team.id, Facebook).await.unwrap();
    let gone = store
        .record_connector_check(team.id, Facebook, second.connected_at, checked, None)
        .await
        .unwrap();
    assert!(!gone);
    assert_eq!(store.get_connector(team.id, Facebook).await.unwrap(), None);
}

async fn every_connector_of_every_team_is_listed(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let keys = keyring(1);
    let a = team_with(&store, &ann, &[]).await;
    let b = team_with(&store, &bob, &[]).await;
    let _not_connected = team_with(&store, &bob, &[]).await;
    let mut written = vec![
        store
            .put_connector(connector(a.id, &ann, &keys, "a"))
            .await
            .unwrap(),
        store
            .put_connector(connector(b.id, &bob, &keys, "b"))
            .await
            .unwrap(),
    ];

    let mut listed = store.list_connectors().await.unwrap();

    listed.sort_by_key(|c| c.team);
    written.sort_by_key(|c| c.team);
    assert_eq!(listed, written);
}
