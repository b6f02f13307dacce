//! Contract cases for connector tokens and keys: the conditional token replace, rotation to a new
//! key, and a token bound to its team.

use adboard_domain::connector::Platform::{self, Facebook};
use adboard_store::{CipherError, TokenKeyring, connector_context, reencrypt_connector_tokens};
use secrecy::ExposeSecret;

use crate::support::{TestStore, connector, key, keyring, opened, secret, team_with, user};

crate::contract!(
    a_token_is_replaced_only_if_it_is_still_the_one_read,
    rotation_reseals_every_token_under_the_new_key_and_the_old_key_can_go,
    rotation_reports_tokens_it_cannot_open_and_leaves_them_alone,
    a_ciphertext_moved_to_another_team_does_not_decrypt,
);

async fn a_token_is_replaced_only_if_it_is_still_the_one_read(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let keys = keyring(1);
    let context = connector_context(team.id, Facebook);
    let first = store
        .put_connector(connector(team.id, &ann, &keys, "first"))
        .await
        .unwrap();
    let stale = keys.seal(&secret("first"), &context).unwrap();
    let new = keys.seal(&secret("resealed"), &context).unwrap();

    let wrong = store
        .replace_connector_token(team.id, Facebook, &stale, new.clone())
        .await
        .unwrap();
    assert!(!wrong, "the stored ciphertext is not `stale`");
    assert_eq!(opened(&store, team.id, &keys).await, "first");

    let right = store
        .replace_connector_token(team.id, Facebook, &first.token, new.clone())
        .await
        .unwrap();
    assert!(right);
    let read = store
        .get_connector(team.id, Facebook)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.token, new);
    assert_eq!(opened(&store, team.id, &keys).await, "resealed");
    let other = team_with(&store, &ann, &[]).await;
    let missing = store
        .replace_connector_token(other.id, Facebook, &first.token, new)
        .await
        .unwrap();
    assert!(!missing, "no connector to replace");
    assert_eq!(store.get_connector(other.id, Facebook).await.unwrap(), None);
}

async fn rotation_reseals_every_token_under_the_new_key_and_the_old_key_can_go(store: TestStore) {
    let ann = user(&store, "ann").await;
    let old = keyring(1);
    let mut teams = Vec::new();
    for i in 0..3 {
        let team = team_with(&store, &ann, &[]).await;
        store
            .put_connector(connector(team.id, &ann, &old, &format!("token-{i}")))
            .await
            .unwrap();
        teams.push(team.id);
    }
    let rotating = TokenKeyring::new(&key(2), &[&key(1)]).unwrap();

    let report = reencrypt_connector_tokens(&**store, &rotating)
        .await
        .unwrap();

    assert_eq!((report.rotated, report.already_current), (3, 0));
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let new_only = keyring(2);
    for (i, team) in teams.iter().enumerate() {
        let read = store.get_connector(*team, Facebook).await.unwrap().unwrap();
        assert_eq!(read.token.key_id, new_only.current_key_id());
        assert_eq!(
            read.open_token(&new_only).unwrap().expose_secret(),
            format!("token-{i}"),
            "readable without the old key"
        );
        assert_eq!(
            read.open_token(&old).unwrap_err(),
            CipherError::UnknownKeyId(new_only.current_key_id().to_owned()),
            "nothing stale left under the old key"
        );
    }
    let again = reencrypt_connector_tokens(&**store, &new_only)
        .await
        .unwrap();
    assert_eq!((again.rotated, again.already_current), (0, 3));
}

async fn rotation_reports_tokens_it_cannot_open_and_leaves_them_alone(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let lost = keyring(9);
    let stored = store
        .put_connector(connector(team.id, &ann, &lost, "token"))
        .await
        .unwrap();
    let rotating = TokenKeyring::new(&key(2), &[&key(1)]).unwrap();

    let report = reencrypt_connector_tokens(&**store, &rotating)
        .await
        .unwrap();

    assert_eq!((report.rotated, report.already_current), (0, 0));
    assert_eq!(report.failed.len(), 1);
    assert_eq!(
        (report.failed[0].team, report.failed[0].platform),
        (team.id, Platform::Facebook)
    );
    assert_eq!(
        report.failed[0].error,
        CipherError::UnknownKeyId(lost.current_key_id().to_owned())
    );
    assert_eq!(
        store.get_connector(team.id, Facebook).await.unwrap(),
        Some(stored)
    );
}

async fn a_ciphertext_moved_to_another_team_does_not_decrypt(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team_a = team_with(&store, &ann, &[]).await;
    let team_b = team_with(&store, &ann, &[]).await;
    let keys = keyring(1);
    let sealed_for_a = connector(team_a.id, &ann, &keys, "a-token").token;

    let mut moved = connector(team_b.id, &ann, &keys, "b-token");
    moved.token = sealed_for_a;
    store.put_connector(moved).await.unwrap();

    let read = store
        .get_connector(team_b.id, Facebook)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        read.open_token(&keys).unwrap_err(),
        CipherError::Unauthentic
    );
}
