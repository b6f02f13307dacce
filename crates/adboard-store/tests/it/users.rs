//! Contract cases for users and identities.

use std::sync::Arc;

use adboard_domain::account::UserId;
use adboard_store::{Store, StoreError};
use chrono::Duration;

use crate::support::{TestStore, email, identity, new_user, user, user_name};

crate::contract!(
    a_new_user_is_found_by_its_identity_and_by_its_id,
    an_unknown_identity_finds_no_user,
    an_unknown_user_id_finds_nothing,
    creating_a_user_with_a_taken_identity_fails_and_leaves_nothing_behind,
    concurrent_first_logins_of_one_identity_create_exactly_one_user,
    linking_an_identity_of_another_user_is_refused,
    linking_an_identity_the_user_already_has_is_refused,
    linking_to_an_unknown_user_is_not_found,
    a_linked_identity_finds_its_user_and_identities_list_oldest_first,
    the_profile_reads_the_user_and_their_identities_together,
    updating_the_name_changes_only_that_user,
    updating_an_unknown_user_is_not_found,
    users_are_found_by_email_case_insensitively,
);

async fn a_new_user_is_found_by_its_identity_and_by_its_id(store: TestStore) {
    let created = store
        .create_user_with_identity(new_user("ann"), identity("ann"))
        .await
        .unwrap();

    let by_identity = store
        .find_user_by_identity(&identity("ann").key)
        .await
        .unwrap();
    let by_id = store.get_user(created.id).await.unwrap();

    assert_eq!(by_identity.as_ref(), Some(&created));
    assert_eq!(by_id, Some(created.clone()));
    assert_eq!(created.name.as_str(), "ann");
    assert_eq!(created.email, Some(email("ann@example.com")));
}

async fn an_unknown_identity_finds_no_user(store: TestStore) {
    user(&store, "ann").await;
    let mut other = identity("ann").key;
    other.issuer.push_str("other");
    assert_eq!(store.find_user_by_identity(&other).await.unwrap(), None);
}

async fn an_unknown_user_id_finds_nothing(store: TestStore) {
    let nobody = UserId::new_random();
    assert_eq!(store.get_user(nobody).await.unwrap(), None);
    assert!(store.list_identities(nobody).await.unwrap().is_empty());
}

async fn creating_a_user_with_a_taken_identity_fails_and_leaves_nothing_behind(store: TestStore) {
    let first = user(&store, "ann").await;

    let second = store
        .create_user_with_identity(new_user("intruder"), identity("ann"))
        .await;

    assert!(
        matches!(second, Err(StoreError::IdentityTaken)),
        "{second:?}"
    );
    assert_eq!(
        store
            .find_user_by_email(&email("intruder@example.com"))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .find_user_by_identity(&identity("ann").key)
            .await
            .unwrap()
            .map(|u| u.id),
        Some(first.id)
    );
}

async fn concurrent_first_logins_of_one_identity_create_exactly_one_user(store: TestStore) {
    const LOGINS: usize = 20;
    let shared: Arc<dyn Store> = Arc::clone(&store);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..LOGINS {
        let store = Arc::clone(&shared);
        tasks.spawn(async move {
            // What sign-in does: find, else create, and on a lost race find again.
            if let Some(found) = store
                .find_user_by_identity(&identity("bob").key)
                .await
                .unwrap()
            {
                return found.id;
            }
            match store
                .create_user_with_identity(new_user(&format!("bob{i}")), identity("bob"))
                .await
            {
                Ok(created) => created.id,
                Err(StoreError::IdentityTaken) => {
                    store
                        .find_user_by_identity(&identity("bob").key)
                        .await
                        .unwrap()
                        .unwrap()
                        .id
                }
                Err(other) => panic!("unexpected {other:?}"),
            }
        });
    }
    let ids: Vec<UserId> = tasks.join_all().await;

    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "logins resolved to different users: {ids:?}"
    );
    let mut created = 0;
    for i in 0..LOGINS {
        created += usize::from(
            store
                .find_user_by_email(&email(&format!("bob{i}@example.com")))
                .await
                .unwrap()
                .is_some(),
        );
    }
    assert_eq!(created, 1, "exactly one user must exist");
}

async fn linking_an_identity_of_another_user_is_refused(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;

    let linked = store.link_identity(bob.id, identity("ann")).await;

    assert!(
        matches!(linked, Err(StoreError::IdentityTaken)),
        "{linked:?}"
    );
    assert_eq!(
        store
            .find_user_by_identity(&identity("ann").key)
            .await
            .unwrap()
            .map(|u| u.id),
        Some(ann.id)
    );
    assert_eq!(store.list_identities(bob.id).await.unwrap().len(), 1);
}

async fn linking_an_identity_the_user_already_has_is_refused(store: TestStore) {
    let ann = user(&store, "ann").await;
    let linked = store.link_identity(ann.id, identity("ann")).await;
    assert!(
        matches!(linked, Err(StoreError::IdentityTaken)),
        "{linked:?}"
    );
    assert_eq!(store.list_identities(ann.id).await.unwrap().len(), 1);
}

async fn linking_to_an_unknown_user_is_not_found(store: TestStore) {
    let linked = store
        .link_identity(UserId::new_random(), identity("ghost"))
        .await;
    assert!(matches!(linked, Err(StoreError::NotFound)), "{linked:?}");
    assert_eq!(
        store
            .find_user_by_identity(&identity("ghost").key)
            .await
            .unwrap(),
        None
    );
}

async fn the_profile_reads_the_user_and_their_identities_together(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let mut older = identity("ann-old");
    older.linked_at -= Duration::days(1);
    store
        .link_identity(ann.id, identity("ann-new"))
        .await
        .unwrap();
    store.link_identity(ann.id, older).await.unwrap();

    let (me, identities) = store
        .get_user_with_identities(ann.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(me, ann);
    assert_eq!(identities, store.list_identities(ann.id).await.unwrap());
    let subjects: Vec<&str> = identities.iter().map(|i| i.key.subject.as_str()).collect();
    assert_eq!(
        subjects,
        ["ann-old", "ann", "ann-new"],
        "oldest first, only Ann's"
    );

    let (me, identities) = store
        .get_user_with_identities(bob.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((me.id, identities.len()), (bob.id, 1));
    assert_eq!(
        store
            .get_user_with_identities(UserId::new_random())
            .await
            .unwrap(),
        None
    );
}

async fn a_linked_identity_finds_its_user_and_identities_list_oldest_first(store: TestStore) {
    let ann = user(&store, "ann").await;
    let mut older = identity("ann-old");
    older.linked_at -= Duration::days(1);
    let newer = identity("ann-new");

    store.link_identity(ann.id, newer.clone()).await.unwrap();
    store.link_identity(ann.id, older.clone()).await.unwrap();

    let subjects: Vec<String> = store
        .list_identities(ann.id)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.key.subject)
        .collect();
    assert_eq!(subjects, ["ann-old", "ann", "ann-new"]);
    assert_eq!(
        store
            .find_user_by_identity(&newer.key)
            .await
            .unwrap()
            .map(|u| u.id),
        Some(ann.id)
    );
    let listed = store.list_identities(ann.id).await.unwrap();
    assert_eq!(listed[0].email, older.email);
    assert_eq!(
        listed[0].linked_at.timestamp_micros(),
        older.linked_at.timestamp_micros()
    );
}

async fn updating_the_name_changes_only_that_user(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;

    store
        .update_user_name(ann.id, &user_name("Ann <Lee>"))
        .await
        .unwrap();

    assert_eq!(
        store.get_user(ann.id).await.unwrap().unwrap().name.as_str(),
        "Ann <Lee>"
    );
    assert_eq!(
        store.get_user(bob.id).await.unwrap().unwrap().name.as_str(),
        "bob"
    );
}

async fn updating_an_unknown_user_is_not_found(store: TestStore) {
    let updated = store
        .update_user_name(UserId::new_random(), &user_name("x"))
        .await;
    assert!(matches!(updated, Err(StoreError::NotFound)), "{updated:?}");
}

async fn users_are_found_by_email_case_insensitively(store: TestStore) {
    let ann = user(&store, "ann").await;
    assert_eq!(
        store
            .find_user_by_email(&email("ANN@Example.com"))
            .await
            .unwrap()
            .map(|u| u.id),
        Some(ann.id)
    );
    assert_eq!(
        store
            .find_user_by_email(&email("nobody@example.com"))
            .await
            .unwrap(),
        None
    );
}
