//! Server-side sessions: created, touched while live, expired by idle time and absolute lifetime,
//! ended one by one or all but the current one, listed with the user on the profile.

use adboard_store::{SessionId, SessionRecord};
use chrono::{Duration, Utc};

use crate::support::{TestStore, user};

fn sid(n: u8) -> SessionId {
    SessionId::parse(&format!("session-{n:02}-abcdefghijkl")).unwrap()
}

crate::contract!(
    a_live_session_is_touched_and_an_ended_one_is_gone,
    idle_and_too_old_sessions_are_refused_and_removed,
    ending_all_other_sessions_keeps_only_the_current_one,
    the_profile_reads_the_user_identities_and_sessions_together,
);

async fn a_live_session_is_touched_and_an_ended_one_is_gone(store: TestStore) {
    // Arrange
    let ann = user(&store, "ann").await;
    let record = SessionRecord::new(sid(1), ann.id, "Firefox on Linux");
    store.create_session(&record).await.unwrap();
    let now = Utc::now();
    let long_ago = now - Duration::days(30);

    // Act
    let touched = store
        .touch_session(ann.id, &sid(1), now, long_ago, long_ago)
        .await
        .unwrap()
        .expect("a live session");
    let ended = store.end_session(ann.id, &sid(1)).await.unwrap();
    let after = store
        .touch_session(ann.id, &sid(1), now, long_ago, long_ago)
        .await
        .unwrap();

    // Assert
    assert_eq!(touched.device, "Firefox on Linux");
    assert!(touched.last_seen_at >= record.last_seen_at);
    assert!(ended);
    assert_eq!(after, None, "an ended session never comes back");
    assert!(!store.end_session(ann.id, &sid(1)).await.unwrap());
}

async fn idle_and_too_old_sessions_are_refused_and_removed(store: TestStore) {
    let ann = user(&store, "ann").await;
    for n in [1, 2] {
        store
            .create_session(&SessionRecord::new(sid(n), ann.id, "curl"))
            .await
            .unwrap();
    }
    let now = Utc::now() + Duration::seconds(1);
    let long_ago = now - Duration::days(30);

    // Seen before the idle cutoff / created before the lifetime cutoff: both refused.
    let idle = store
        .touch_session(ann.id, &sid(1), now, long_ago, now)
        .await
        .unwrap();
    let too_old = store
        .touch_session(ann.id, &sid(2), now, now, long_ago)
        .await
        .unwrap();

    assert_eq!((idle, too_old), (None, None));
    assert!(
        store.list_sessions(ann.id).await.unwrap().is_empty(),
        "expired sessions are removed"
    );
}

async fn ending_all_other_sessions_keeps_only_the_current_one(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    for n in 1..=3 {
        store
            .create_session(&SessionRecord::new(sid(n), ann.id, "Chrome on Windows"))
            .await
            .unwrap();
    }
    store
        .create_session(&SessionRecord::new(sid(9), bob.id, "Safari on iPhone"))
        .await
        .unwrap();

    let mut ended = store.end_other_sessions(ann.id, &sid(2)).await.unwrap();
    ended.sort_by(|a, b| a.as_str().cmp(b.as_str()));

    assert_eq!(ended, vec![sid(1), sid(3)]);
    let left: Vec<SessionId> = store
        .list_sessions(ann.id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(left, vec![sid(2)]);
    assert_eq!(
        store.list_sessions(bob.id).await.unwrap().len(),
        1,
        "another user's sessions are untouched"
    );
}

async fn the_profile_reads_the_user_identities_and_sessions_together(store: TestStore) {
    let ann = user(&store, "ann").await;
    store
        .create_session(&SessionRecord::new(sid(1), ann.id, "Firefox on Linux"))
        .await
        .unwrap();

    let (found, identities, sessions) = store
        .get_user_with_identities_and_sessions(ann.id)
        .await
        .unwrap()
        .unwrap();

    assert_eq!(found.id, ann.id);
    assert_eq!(identities.len(), 1);
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].device, "Firefox on Linux");
    let nobody = adboard_domain::account::UserId::new_random();
    assert!(
        store
            .get_user_with_identities_and_sessions(nobody)
            .await
            .unwrap()
            .is_none()
    );
}
