//! A provider's data-deletion callback: removing one identity (the rest of the account stays),
//! removing the connectors one person granted (other people's stay), and the deletion requests a
//! status page reads back.

use adboard_domain::account::{IdentityKey, Provider};
use adboard_domain::connector::Platform::Facebook;
use adboard_store::{DeletionCode, DeletionRequest, Identity};
use chrono::{DateTime, Duration, Utc};

use crate::support::{TestStore, connector, email, identity, keyring, team_name, user};

crate::contract!(
    deleting_an_identity_leaves_the_users_other_identities_and_teams,
    deleting_an_unknown_identity_finds_nothing,
    deleting_connectors_granted_by_a_person_leaves_everyone_elses,
    a_deletion_request_reads_back_and_is_overwritten_by_its_code,
);

fn facebook_identity(subject: &str) -> Identity {
    Identity {
        key: IdentityKey {
            provider: Provider::Facebook,
            issuer: "https://www.facebook.com".into(),
            subject: subject.into(),
        },
        email: Some(email(&format!("{subject}@example.com"))),
        linked_at: Utc::now(),
    }
}

fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap()
}

async fn deleting_an_identity_leaves_the_users_other_identities_and_teams(store: TestStore) {
    // Arrange: ann signs in with the sandbox, links Facebook, owns a team.
    let ann = user(&store, "ann").await;
    let fb = facebook_identity("1029384756");
    store.link_identity(ann.id, fb.clone()).await.unwrap();
    let team = store.create_team(ann.id, team_name("Ads")).await.unwrap();

    // Act
    let deleted = store.delete_identity(&fb.key).await.unwrap();
    let again = store.delete_identity(&fb.key).await.unwrap();

    // Assert
    assert_eq!(deleted, Some((ann.id, 1)), "ann keeps her sandbox identity");
    assert_eq!(again, None, "a second deletion finds nothing");
    assert_eq!(store.find_user_by_identity(&fb.key).await.unwrap(), None);
    assert_eq!(
        store
            .find_user_by_identity(&identity("ann").key)
            .await
            .unwrap()
            .map(|u| u.id),
        Some(ann.id)
    );
    let left: Vec<IdentityKey> = store
        .list_identities(ann.id)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.key)
        .collect();
    assert_eq!(left, vec![identity("ann").key]);
    assert!(
        store
            .team_for_member(team.id, ann.id)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(store.get_user(ann.id).await.unwrap(), Some(ann.clone()));
    // The identity can be linked again later (nothing of it is left behind).
    store.link_identity(ann.id, fb).await.unwrap();
}

async fn deleting_an_unknown_identity_finds_nothing(store: TestStore) {
    let ann = user(&store, "ann").await;

    let deleted = store
        .delete_identity(&facebook_identity("ann").key)
        .await
        .unwrap();

    assert_eq!(deleted, None);
    assert_eq!(store.list_identities(ann.id).await.unwrap().len(), 1);
}

async fn deleting_connectors_granted_by_a_person_leaves_everyone_elses(store: TestStore) {
    // Arrange: ann connected two teams (one of them bob's), bob connected a third.
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let keys = keyring(1);
    let anns_team = store.create_team(ann.id, team_name("A")).await.unwrap();
    let bobs_team = store.create_team(bob.id, team_name("B")).await.unwrap();
    let bobs_other = store.create_team(bob.id, team_name("C")).await.unwrap();
    for (team, by) in [(&anns_team, &ann), (&bobs_team, &ann), (&bobs_other, &bob)] {
        store
            .put_connector(connector(team.id, by, &keys, "token"))
            .await
            .unwrap();
    }

    // Act: Facebook says the person "fb-ann" removed the app.
    let mut deleted = store
        .delete_connectors_granted_by(Facebook, "fb-ann")
        .await
        .unwrap();
    let again = store
        .delete_connectors_granted_by(Facebook, "fb-ann")
        .await
        .unwrap();

    // Assert
    deleted.sort();
    let mut expected = vec![anns_team.id, bobs_team.id];
    expected.sort();
    assert_eq!(deleted, expected);
    assert!(again.is_empty());
    assert_eq!(
        store.get_connector(anns_team.id, Facebook).await.unwrap(),
        None
    );
    assert_eq!(
        store.get_connector(bobs_team.id, Facebook).await.unwrap(),
        None
    );
    let left = store.get_connector(bobs_other.id, Facebook).await.unwrap();
    assert_eq!(left.map(|c| c.external_user_id), Some("fb-bob".to_owned()));
    assert!(
        store
            .team_for_member(bobs_team.id, bob.id)
            .await
            .unwrap()
            .is_some(),
        "the teams stay"
    );
}

async fn a_deletion_request_reads_back_and_is_overwritten_by_its_code(store: TestStore) {
    let code = DeletionCode::new_random();
    let pending = DeletionRequest {
        code: code.clone(),
        provider: Provider::Facebook,
        requested_at: micros(Utc::now() - Duration::minutes(1)),
        completed_at: None,
        identities_deleted: 0,
        connectors_deleted: 0,
    };

    store.put_deletion_request(&pending).await.unwrap();
    let read = store.get_deletion_request(&code).await.unwrap();
    let done = DeletionRequest {
        completed_at: Some(micros(Utc::now())),
        identities_deleted: 1,
        connectors_deleted: 2,
        ..pending.clone()
    };
    store.put_deletion_request(&done).await.unwrap();
    let reread = store.get_deletion_request(&code).await.unwrap();

    assert_eq!(read, Some(pending));
    assert_eq!(reread, Some(done));
    assert_eq!(
        store
            .get_deletion_request(&DeletionCode::new_random())
            .await
            .unwrap(),
        None,
        "an unknown code"
    );
}
