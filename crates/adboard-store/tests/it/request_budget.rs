//! DynamoDB only (SQLite reads each page in one read transaction): each page view's reads — the signed-in user included — stay within 2 requests
//! (no N+1), counted on the wire; the session check (at most once a minute per session) is one
//! conditional write, and finding an API token by its hash one read.

use std::sync::atomic::{AtomicUsize, Ordering};

use adboard_domain::team::{TeamName, TeamRole};

use crate::support::{connector, dynamodb_counted, email, keyring, limits, user};

/// Requests sent by `f` alone.
async fn requests_of<T>(counter: &AtomicUsize, f: impl Future<Output = T>) -> (T, usize) {
    let before = counter.load(Ordering::SeqCst);
    let out = f.await;
    (out, counter.load(Ordering::SeqCst) - before)
}

#[tokio::test]
async fn page_view_reads_take_at_most_two_dynamodb_requests_however_many_members_and_teams() {
    // Arrange: a user in 5 teams; one team with 6 members, 2 invitations and a connector.
    let (store, counter) = dynamodb_counted().await;
    let ann = user(&store, "ann").await;
    let mut teams = Vec::new();
    for i in 0..5 {
        teams.push(
            store
                .create_team(ann.id, TeamName::parse(&format!("Team {i}")).unwrap())
                .await
                .unwrap(),
        );
    }
    for i in 0..5 {
        let member = user(&store, &format!("member{i}")).await;
        store
            .add_member(teams[0].id, member.id, TeamRole::Read)
            .await
            .unwrap();
    }
    store
        .invite(
            teams[0].id,
            &email("x@example.com"),
            TeamRole::Edit,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();
    store
        .invite(
            teams[0].id,
            &email("y@example.com"),
            TeamRole::Edit,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();
    store
        .put_connector(connector(teams[0].id, &ann, &keyring(1), "token"))
        .await
        .unwrap();
    let session = adboard_store::SessionId::parse("budget-session-0123456789").unwrap();
    store
        .create_session(&adboard_store::SessionRecord::new(
            session.clone(),
            ann.id,
            "Firefox on Linux",
        ))
        .await
        .unwrap();

    // Act + Assert, one page view's reads at a time, as the web app makes them.
    // /profile: the signed-in user, then their identities.
    let ((me, ids), n) = requests_of(&counter, async {
        (
            store.get_user(ann.id).await,
            store.list_identities(ann.id).await,
        )
    })
    .await;
    assert!(me.unwrap().is_some());
    assert_eq!((ids.unwrap().len(), n), (1, 2), "profile page view");
    // /profile as it is now: the user, identities and sessions together (sessions live in the
    // user's partition, read by the same Query).
    let (profile, n) = requests_of(
        &counter,
        store.get_user_with_identities_and_sessions(ann.id),
    )
    .await;
    assert_eq!(
        (profile.unwrap().unwrap().2.len(), n),
        (1, 2),
        "profile page view with sessions"
    );
    // /profile with API tokens: the tokens live in the user's partition too, so the same Query
    // reads them (still 2).
    let token = adboard_store::ApiTokenRecord::new(
        ann.id,
        adboard_store::ApiTokenHash::of("budget-bearer-token"),
        "facebook · App/1.0 iOS",
    );
    store.create_api_token(&token).await.unwrap();
    let (profile, n) = requests_of(&counter, store.get_user_profile(ann.id)).await;
    let profile = profile.unwrap().unwrap();
    assert_eq!(
        (
            profile.identities.len(),
            profile.sessions.len(),
            profile.api_tokens.len(),
            n
        ),
        (1, 1, 1, 2),
        "profile page view with sessions and API tokens"
    );
    // An API request's authentication: one consistent GetItem of the lookup item.
    let (found, n) = requests_of(&counter, store.find_api_token(&token.hash)).await;
    assert_eq!((found.unwrap(), n), (Some(token), 1), "API token lookup");
    // The session check the web app makes at most once a minute per session (and on every
    // form post): one conditional write, which also records "last seen".
    let now = chrono::Utc::now();
    let (live, n) = requests_of(
        &counter,
        store.touch_session(
            ann.id,
            &session,
            now,
            now - chrono::Duration::days(7),
            now - chrono::Duration::days(1),
        ),
    )
    .await;
    assert_eq!((live.unwrap().is_some(), n), (true, 1), "session check");
    // /ready: one cheap read.
    let (ping, n) = requests_of(&counter, store.ping()).await;
    assert_eq!((ping.is_ok(), n), (true, 1), "readiness check");
    // /teams: the user, their teams and the invitations waiting for them (3, from 3 inviters)
    // together.
    for i in 0..3 {
        let inviter = user(&store, &format!("inviter{i}")).await;
        let theirs = store
            .create_team(inviter.id, TeamName::parse(&format!("Theirs {i}")).unwrap())
            .await
            .unwrap();
        store
            .invite(
                theirs.id,
                &email("ann@example.com"),
                TeamRole::Read,
                inviter.id,
                &limits(),
            )
            .await
            .unwrap();
    }
    let (overview, n) = requests_of(&counter, store.teams_overview(ann.id)).await;
    let overview = overview.unwrap().unwrap();
    assert_eq!(
        (
            overview.user.id,
            overview.teams.len(),
            overview.invitations.len(),
            n
        ),
        (ann.id, 5, 3, 2),
        "teams page view with invitations"
    );
    // /teams/{id}/edit and the other team forms: the signed-in user, then the authorisation.
    let ((me, access), n) = requests_of(&counter, async {
        (
            store.get_user(ann.id).await,
            store.team_for_member(teams[0].id, ann.id).await,
        )
    })
    .await;
    assert!(me.unwrap().is_some());
    assert_eq!(
        (access.unwrap().map(|t| t.role), n),
        (Some(TeamRole::Owner), 2),
        "team form page view"
    );
    // /teams/{id}: the team page alone; the signed-in user is one of its members.
    let (page, n) = requests_of(&counter, store.team_page(teams[0].id)).await;
    let page = page.unwrap().unwrap();
    assert_eq!(
        (
            page.members.len(),
            page.invitations.len(),
            page.connectors.len(),
            n
        ),
        (6, 2, 1, 2),
        "team page view"
    );
    assert!(page.members.iter().any(|m| m.user.id == ann.id));
}
