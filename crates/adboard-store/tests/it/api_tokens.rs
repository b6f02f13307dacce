//! API tokens: created, found by their hash, touched, listed most recently used first, revoked one
//! by one or all at once, never revocable by another user, stored as a hash only, and read with
//! the profile.

use adboard_domain::account::UserId;
use adboard_store::{
    ApiTokenHash, ApiTokenId, ApiTokenRecord, SessionId, SessionRecord, StoreError,
};
use chrono::{DateTime, Duration, Utc};

use crate::support::{TestStore, dynamodb_with_client, user};

/// A bearer token as the web app would mint it (here a fixed, recognisable string).
fn bearer(n: u8) -> String {
    format!("bearer-canary-{n:02}-Zq8xW3vN5mK7pL2rT9yB4hJ6")
}

/// A record for `user`'s token `n`, created and used at `at` (microsecond precision).
fn record(user: UserId, n: u8, at: DateTime<Utc>) -> ApiTokenRecord {
    let at = DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap();
    ApiTokenRecord {
        created_at: at,
        last_used_at: at,
        ..ApiTokenRecord::new(
            user,
            ApiTokenHash::of(&bearer(n)),
            &format!("facebook · App/{n}.0 iOS"),
        )
    }
}

crate::contract!(
    a_created_token_is_found_by_its_hash_and_an_unknown_hash_is_not,
    a_token_for_an_unknown_user_is_refused,
    touching_a_token_records_its_use_in_every_read,
    tokens_are_listed_most_recently_used_first,
    a_revoked_token_is_no_longer_found_or_listed,
    revoking_all_tokens_leaves_other_users_tokens,
    another_user_cannot_touch_or_revoke_a_token_by_its_id,
    the_profile_reads_the_user_identities_sessions_and_tokens_together,
);

async fn a_created_token_is_found_by_its_hash_and_an_unknown_hash_is_not(store: TestStore) {
    // Arrange
    let ann = user(&store, "ann").await;
    let created = record(ann.id, 1, Utc::now());

    // Act
    store.create_api_token(&created).await.unwrap();
    let found = store
        .find_api_token(&ApiTokenHash::of(&bearer(1)))
        .await
        .unwrap();
    let unknown = store
        .find_api_token(&ApiTokenHash::of(&bearer(2)))
        .await
        .unwrap();

    // Assert
    assert_eq!(found, Some(created.clone()));
    assert_eq!(unknown, None);
    assert!(
        store.create_api_token(&created).await.is_err(),
        "the same token cannot be stored twice"
    );
}

async fn a_token_for_an_unknown_user_is_refused(store: TestStore) {
    let nobody = UserId::new_random();

    let created = store.create_api_token(&record(nobody, 1, Utc::now())).await;

    assert!(matches!(created, Err(StoreError::NotFound)), "{created:?}");
    assert_eq!(
        store
            .find_api_token(&ApiTokenHash::of(&bearer(1)))
            .await
            .unwrap(),
        None,
        "nothing was written"
    );
}

async fn touching_a_token_records_its_use_in_every_read(store: TestStore) {
    let ann = user(&store, "ann").await;
    let created = record(ann.id, 1, Utc::now() - Duration::hours(1));
    store.create_api_token(&created).await.unwrap();
    let now = DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap();

    let touched = store
        .touch_api_token(ann.id, &created.id, now)
        .await
        .unwrap();

    assert!(touched);
    let found = store.find_api_token(&created.hash).await.unwrap().unwrap();
    let listed = store.list_api_tokens(ann.id).await.unwrap();
    assert_eq!(found.last_used_at, now, "the lookup by hash sees the use");
    assert_eq!(listed[0].last_used_at, now, "the list sees the use");
    assert_eq!(found.created_at, created.created_at);
    let gone = ApiTokenId::new_random();
    assert!(!store.touch_api_token(ann.id, &gone, now).await.unwrap());
}

async fn tokens_are_listed_most_recently_used_first(store: TestStore) {
    let ann = user(&store, "ann").await;
    let start = Utc::now() - Duration::days(1);
    let old = record(ann.id, 1, start);
    let newer = record(ann.id, 2, start + Duration::minutes(1));
    let newest = record(ann.id, 3, start + Duration::minutes(2));
    // Same last use as `newest`: the tie is broken by id.
    let tied = record(ann.id, 4, start + Duration::minutes(2));
    for r in [&newer, &old, &tied, &newest] {
        store.create_api_token(r).await.unwrap();
    }
    // The oldest is used now: it comes first.
    store
        .touch_api_token(ann.id, &old.id, Utc::now())
        .await
        .unwrap();

    let listed: Vec<ApiTokenId> = store
        .list_api_tokens(ann.id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();

    let mut tie = [newest.id.clone(), tied.id.clone()];
    tie.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    assert_eq!(
        listed,
        vec![old.id, tie[0].clone(), tie[1].clone(), newer.id]
    );
}

async fn a_revoked_token_is_no_longer_found_or_listed(store: TestStore) {
    let ann = user(&store, "ann").await;
    let (one, two) = (record(ann.id, 1, Utc::now()), record(ann.id, 2, Utc::now()));
    store.create_api_token(&one).await.unwrap();
    store.create_api_token(&two).await.unwrap();

    let revoked = store.revoke_api_token(ann.id, &one.id).await.unwrap();

    assert!(revoked);
    assert_eq!(store.find_api_token(&one.hash).await.unwrap(), None);
    assert!(store.find_api_token(&two.hash).await.unwrap().is_some());
    assert_eq!(store.list_api_tokens(ann.id).await.unwrap(), vec![two]);
    assert!(
        !store.revoke_api_token(ann.id, &one.id).await.unwrap(),
        "a second revoke finds nothing"
    );
    assert!(
        !store
            .touch_api_token(ann.id, &one.id, Utc::now())
            .await
            .unwrap(),
        "a revoked token is gone"
    );
}

async fn revoking_all_tokens_leaves_other_users_tokens(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    for n in 1..=3 {
        store
            .create_api_token(&record(ann.id, n, Utc::now()))
            .await
            .unwrap();
    }
    let bobs = record(bob.id, 9, Utc::now());
    store.create_api_token(&bobs).await.unwrap();

    let revoked = store.revoke_all_api_tokens(ann.id).await.unwrap();

    assert_eq!(revoked, 3);
    assert!(store.list_api_tokens(ann.id).await.unwrap().is_empty());
    for n in 1..=3 {
        let hash = ApiTokenHash::of(&bearer(n));
        assert_eq!(store.find_api_token(&hash).await.unwrap(), None);
    }
    assert_eq!(store.find_api_token(&bobs.hash).await.unwrap(), Some(bobs));
    assert_eq!(store.revoke_all_api_tokens(ann.id).await.unwrap(), 0);
}

async fn another_user_cannot_touch_or_revoke_a_token_by_its_id(store: TestStore) {
    let ann = user(&store, "ann").await;
    let mallory = user(&store, "mallory").await;
    let anns = record(ann.id, 1, Utc::now() - Duration::hours(1));
    store.create_api_token(&anns).await.unwrap();

    let revoked = store.revoke_api_token(mallory.id, &anns.id).await.unwrap();
    let touched = store
        .touch_api_token(mallory.id, &anns.id, Utc::now())
        .await
        .unwrap();
    let revoked_all = store.revoke_all_api_tokens(mallory.id).await.unwrap();

    assert_eq!((revoked, touched, revoked_all), (false, false, 0));
    assert_eq!(store.find_api_token(&anns.hash).await.unwrap(), Some(anns));
}

async fn the_profile_reads_the_user_identities_sessions_and_tokens_together(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let session = SessionId::parse("profile-session-0123456789").unwrap();
    store
        .create_session(&SessionRecord::new(
            session.clone(),
            ann.id,
            "Firefox on Linux",
        ))
        .await
        .unwrap();
    let token = record(ann.id, 1, Utc::now());
    store.create_api_token(&token).await.unwrap();
    store
        .create_api_token(&record(bob.id, 2, Utc::now()))
        .await
        .unwrap();

    let profile = store.get_user_profile(ann.id).await.unwrap().unwrap();

    assert_eq!(profile.user, ann);
    assert_eq!(profile.identities.len(), 1);
    assert_eq!(
        profile.sessions.iter().map(|s| &s.id).collect::<Vec<_>>(),
        vec![&session]
    );
    assert_eq!(profile.api_tokens, vec![token]);
    let (_, identities, sessions) = store
        .get_user_with_identities_and_sessions(ann.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (identities, sessions),
        (profile.identities, profile.sessions),
        "the older profile read still answers the same, without tokens"
    );
    assert!(
        store
            .get_user_profile(UserId::new_random())
            .await
            .unwrap()
            .is_none()
    );
}

/// How many times `needle` occurs in `haystack`.
fn hits(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[tokio::test]
async fn the_sqlite_row_holds_the_hash_and_never_the_token() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("adboard.db");
    let store = TestStore::from(
        adboard_store::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap(),
    );
    let ann = user(&store, "ann").await;
    let created = record(ann.id, 1, Utc::now());

    // Act
    store.create_api_token(&created).await.unwrap();

    // Assert: the row, column by column, and every byte of the files.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (id, hash, label): (String, Vec<u8>, String) = conn
        .query_row("SELECT id, hash, label FROM api_tokens", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(id, created.id.as_str());
    assert_eq!(&hash[..], created.hash.as_bytes());
    assert!(!label.contains(&bearer(1)));
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert_eq!(
        hits(&bytes, bearer(1).as_bytes()),
        0,
        "the token is on disk"
    );
    assert!(
        hits(&bytes, created.hash.as_bytes()) > 0,
        "the scan sees the row"
    );
}

#[tokio::test]
async fn the_dynamodb_items_hold_the_hash_and_never_the_token() {
    // Arrange
    let (store, client, table) = dynamodb_with_client().await;
    let ann = user(&store, "ann").await;
    let created = record(ann.id, 1, Utc::now());

    // Act
    store.create_api_token(&created).await.unwrap();

    // Assert: the two items (the user's and the lookup) and nothing else carry the token's data.
    let items = client
        .scan()
        .table_name(&table)
        .send()
        .await
        .unwrap()
        .items
        .unwrap_or_default();
    let token_items: Vec<_> = items
        .iter()
        .filter(|i| {
            i.get("id").and_then(|v| v.as_s().ok()) == Some(&created.id.as_str().to_owned())
        })
        .collect();
    assert_eq!(token_items.len(), 2, "the user's item and the lookup item");
    for item in token_items {
        let stored = item.get("hash").unwrap().as_b().unwrap();
        assert_eq!(stored.as_ref(), created.hash.as_bytes());
    }
    let dump = format!("{items:?}");
    assert_eq!(
        hits(dump.as_bytes(), bearer(1).as_bytes()),
        0,
        "the token is stored"
    );
    let lookup_pk = format!("APITOKEN#{}", hex::encode(created.hash.as_bytes()));
    assert!(
        items
            .iter()
            .any(|i| i.get("pk").and_then(|v| v.as_s().ok()) == Some(&lookup_pk)),
        "the lookup item is keyed by the hash"
    );
}
