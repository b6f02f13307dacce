//! Contract cases for invitations: always pending (whoever the address belongs to), uniqueness,
//! seen by the invitee, accepted or declined only with the invited email, the cool-down after a
//! decline or revocation, the caps, and the races (accept vs revoke, accepts at the cap).

use std::sync::Arc;
use std::time::Duration;

use adboard_domain::team::{TeamId, TeamRole};
use adboard_store::{Limits, Store, StoreError};

use crate::support::{TestStore, email, limits, page, team_name, team_with, user};

crate::contract!(
    inviting_records_a_pending_invitation_whether_or_not_the_email_has_an_account,
    adding_the_owner_or_an_existing_member_or_inviting_an_owner_is_refused,
    an_invitation_is_unique_per_team_and_email_case_insensitively,
    inviting_to_an_unknown_team_is_not_found,
    revoking_an_invitation_removes_it_once,
    the_invitee_sees_pending_invitations_with_team_and_inviter_names,
    an_invitation_sent_before_the_account_existed_is_seen_once_claimed,
    accepting_an_invitation_makes_a_membership_and_consumes_it,
    only_the_invited_email_can_accept_or_decline,
    accepting_as_an_existing_member_only_consumes_it,
    declining_removes_the_invitation_and_blocks_a_reinvite_for_the_cool_down,
    a_revoked_invitation_blocks_a_reinvite_for_the_cool_down,
    an_accept_racing_a_revoke_leaves_a_member_or_a_revoked_invitation_never_both,
    ten_concurrent_accepts_of_one_invitation_make_one_membership,
    the_pending_invitation_cap_refuses_the_next_and_a_revocation_frees_a_slot,
    the_member_cap_refuses_an_accept,
    the_team_cap_refuses_an_accept,
    fifty_concurrent_invites_of_one_email_leave_exactly_one_invitation,
    ten_concurrent_invites_at_the_invitation_cap_record_exactly_the_room_left,
    six_concurrent_accepts_at_the_member_cap_admit_exactly_the_room_left,
);

fn caps(team_members: u32, team_invitations: u32, user_teams: u32) -> Limits {
    Limits {
        team_members,
        team_invitations,
        user_teams,
        ..limits()
    }
}

/// No cool-down: a closed invitation blocks nothing once a moment has passed.
fn no_cool_down() -> Limits {
    Limits {
        reinvite_after: Duration::ZERO,
        ..limits()
    }
}

async fn inviting_records_a_pending_invitation_whether_or_not_the_email_has_an_account(
    store: TestStore,
) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = team_with(&store, &ann, &[]).await;

    let existing = store
        .invite(
            team.id,
            &email("bob@example.com"),
            TeamRole::Edit,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();
    let nobody = store
        .invite(
            team.id,
            &email("new@example.com"),
            TeamRole::Read,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();

    assert_eq!(existing.email.as_str(), "bob@example.com");
    assert_eq!(nobody.email.as_str(), "new@example.com");
    let page = page(&store, team.id).await;
    assert_eq!((page.invitations.len(), page.role_of(bob.id)), (2, None));
    assert!(store.list_teams_for_user(bob.id).await.unwrap().is_empty());
}

async fn an_invitation_is_unique_per_team_and_email_case_insensitively(store: TestStore) {
    let ann = user(&store, "ann").await;
    let one = store.create_team(ann.id, team_name("One")).await.unwrap();
    let two = store.create_team(ann.id, team_name("Two")).await.unwrap();
    store
        .invite(
            one.id,
            &email("dora@example.com"),
            TeamRole::Read,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();

    let again = store
        .invite(
            one.id,
            &email("DORA@example.com"),
            TeamRole::Admin,
            ann.id,
            &limits(),
        )
        .await;
    let other_team = store
        .invite(
            two.id,
            &email("dora@example.com"),
            TeamRole::Read,
            ann.id,
            &limits(),
        )
        .await;

    assert!(
        matches!(again, Err(StoreError::InvitationExists)),
        "{again:?}"
    );
    assert!(other_team.is_ok(), "{other_team:?}");
    let page = page(&store, one.id).await;
    assert_eq!(page.invitations.len(), 1);
    assert_eq!(page.invitations[0].role, TeamRole::Read);
}

async fn inviting_to_an_unknown_team_is_not_found(store: TestStore) {
    let ann = user(&store, "ann").await;
    let unknown = TeamId::new_random();
    let invited = store
        .invite(
            unknown,
            &email("dora@example.com"),
            TeamRole::Read,
            ann.id,
            &limits(),
        )
        .await;
    assert!(matches!(invited, Err(StoreError::NotFound)), "{invited:?}");
    let dora = user(&store, "dora").await;
    let accepted = store
        .accept_invitation(unknown, dora.id, &email("dora@example.com"), &limits())
        .await;
    assert!(
        matches!(accepted, Err(StoreError::NotFound)),
        "{accepted:?}"
    );
}

async fn revoking_an_invitation_removes_it_once(store: TestStore) {
    let ann = user(&store, "ann").await;
    let dora = user(&store, "dora").await;
    let team = team_with(&store, &ann, &[]).await;
    store
        .invite(
            team.id,
            &email("dora@example.com"),
            TeamRole::Read,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();

    store
        .revoke_invitation(team.id, &email("Dora@Example.com"))
        .await
        .unwrap();
    let twice = store
        .revoke_invitation(team.id, &email("dora@example.com"))
        .await;
    let accepted = store
        .accept_invitation(team.id, dora.id, &email("dora@example.com"), &limits())
        .await;

    assert!(matches!(twice, Err(StoreError::NotFound)), "{twice:?}");
    assert!(
        matches!(accepted, Err(StoreError::NotFound)),
        "{accepted:?}"
    );
    assert!(page(&store, team.id).await.invitations.is_empty());
    let overview = store.teams_overview(dora.id).await.unwrap().unwrap();
    assert!(overview.invitations.is_empty());
}

async fn the_invitee_sees_pending_invitations_with_team_and_inviter_names(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let dora = user(&store, "dora").await;
    let one = store.create_team(ann.id, team_name("One")).await.unwrap();
    let two = store.create_team(bob.id, team_name("Two")).await.unwrap();
    store
        .invite(
            one.id,
            &email("DORA@example.com"),
            TeamRole::Edit,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();
    store
        .invite(
            two.id,
            &email("dora@example.com"),
            TeamRole::Admin,
            bob.id,
            &limits(),
        )
        .await
        .unwrap();
    store
        .invite(
            two.id,
            &email("else@example.com"),
            TeamRole::Read,
            bob.id,
            &limits(),
        )
        .await
        .unwrap();

    let overview = store.teams_overview(dora.id).await.unwrap().unwrap();

    assert_eq!(overview.user, dora);
    assert!(overview.teams.is_empty());
    let seen: Vec<(TeamId, &str, Option<&str>, TeamRole)> = overview
        .invitations
        .iter()
        .map(|i| {
            (
                i.invitation.team,
                i.team_name.as_str(),
                i.invited_by_name.as_ref().map(|n| n.as_str()),
                i.invitation.role,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (one.id, "One", Some("ann"), TeamRole::Edit),
            (two.id, "Two", Some("bob"), TeamRole::Admin)
        ]
    );
    let ann_sees = store.teams_overview(ann.id).await.unwrap().unwrap();
    assert!(
        ann_sees.invitations.is_empty(),
        "only the invitee sees them"
    );
}

async fn an_invitation_sent_before_the_account_existed_is_seen_once_claimed(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    store
        .invite(
            team.id,
            &email("dora@example.com"),
            TeamRole::Read,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();
    let dora = user(&store, "dora").await;

    store
        .claim_invitations(dora.id, &email("dora@example.com"))
        .await
        .unwrap();
    store
        .claim_invitations(dora.id, &email("dora@example.com"))
        .await
        .unwrap();

    let overview = store.teams_overview(dora.id).await.unwrap().unwrap();
    assert_eq!(overview.invitations.len(), 1);
    assert!(overview.teams.is_empty(), "claiming accepts nothing");
}

async fn accepting_an_invitation_makes_a_membership_and_consumes_it(store: TestStore) {
    let ann = user(&store, "ann").await;
    let dora = user(&store, "dora").await;
    let team = team_with(&store, &ann, &[]).await;
    store
        .invite(
            team.id,
            &email("dora@example.com"),
            TeamRole::Edit,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();

    let membership = store
        .accept_invitation(team.id, dora.id, &email("Dora@example.com"), &limits())
        .await
        .unwrap();
    let twice = store
        .accept_invitation(team.id, dora.id, &email("dora@example.com"), &limits())
        .await;

    assert_eq!(
        (membership.user, membership.role),
        (dora.id, TeamRole::Edit)
    );
    assert!(matches!(twice, Err(StoreError::NotFound)), "{twice:?}");
    let page = page(&store, team.id).await;
    assert_eq!(
        (page.role_of(dora.id), page.invitations.len()),
        (Some(TeamRole::Edit), 0)
    );
    let overview = store.teams_overview(dora.id).await.unwrap().unwrap();
    assert_eq!((overview.teams.len(), overview.invitations.len()), (1, 0));
}

async fn only_the_invited_email_can_accept_or_decline(store: TestStore) {
    let ann = user(&store, "ann").await;
    let eve = user(&store, "eve").await;
    let team = team_with(&store, &ann, &[]).await;
    store
        .invite(
            team.id,
            &email("dora@example.com"),
            TeamRole::Admin,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();

    let accepted = store
        .accept_invitation(team.id, eve.id, &email("eve@example.com"), &limits())
        .await;
    let declined = store
        .decline_invitation(team.id, &email("eve@example.com"))
        .await;

    assert!(
        matches!(accepted, Err(StoreError::NotFound)),
        "{accepted:?}"
    );
    assert!(
        matches!(declined, Err(StoreError::NotFound)),
        "{declined:?}"
    );
    let page = page(&store, team.id).await;
    assert_eq!((page.role_of(eve.id), page.invitations.len()), (None, 1));
}

async fn accepting_as_an_existing_member_only_consumes_it(store: TestStore) {
    let ann = user(&store, "ann").await;
    let dora = user(&store, "dora").await;
    let team = team_with(&store, &ann, &[(&dora, TeamRole::Read)]).await;
    store
        .invite(
            team.id,
            &email("dora@example.com"),
            TeamRole::Admin,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();

    let accepted = store
        .accept_invitation(team.id, dora.id, &email("dora@example.com"), &limits())
        .await;

    assert!(
        matches!(accepted, Err(StoreError::AlreadyMember)),
        "{accepted:?}"
    );
    let page = page(&store, team.id).await;
    assert_eq!(
        (
            page.role_of(dora.id),
            page.invitations.len(),
            page.members.len()
        ),
        (Some(TeamRole::Read), 0, 2)
    );
}

async fn declining_removes_the_invitation_and_blocks_a_reinvite_for_the_cool_down(
    store: TestStore,
) {
    let ann = user(&store, "ann").await;
    let dora = user(&store, "dora").await;
    let team = team_with(&store, &ann, &[]).await;
    let other = store.create_team(ann.id, team_name("Other")).await.unwrap();
    let dora_email = email("dora@example.com");
    store
        .invite(team.id, &dora_email, TeamRole::Read, ann.id, &limits())
        .await
        .unwrap();

    store
        .decline_invitation(team.id, &dora_email)
        .await
        .unwrap();
    let twice = store.decline_invitation(team.id, &dora_email).await;
    let again = store
        .invite(
            team.id,
            &email("DORA@example.com"),
            TeamRole::Read,
            ann.id,
            &limits(),
        )
        .await;
    let elsewhere = store
        .invite(other.id, &dora_email, TeamRole::Read, ann.id, &limits())
        .await;

    assert!(matches!(twice, Err(StoreError::NotFound)), "{twice:?}");
    assert!(
        matches!(again, Err(StoreError::InvitationCoolingDown)),
        "{again:?}"
    );
    assert!(elsewhere.is_ok(), "another team may invite: {elsewhere:?}");
    assert!(page(&store, team.id).await.invitations.is_empty());
    let overview = store.teams_overview(dora.id).await.unwrap().unwrap();
    assert_eq!(overview.invitations.len(), 1, "only the other team's");
    tokio::time::sleep(Duration::from_millis(5)).await;
    let after = store
        .invite(
            team.id,
            &dora_email,
            TeamRole::Edit,
            ann.id,
            &no_cool_down(),
        )
        .await;
    assert!(after.is_ok(), "after the cool-down: {after:?}");
    assert_eq!(page(&store, team.id).await.invitations.len(), 1);
}

async fn a_revoked_invitation_blocks_a_reinvite_for_the_cool_down(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let dora_email = email("dora@example.com");
    store
        .invite(team.id, &dora_email, TeamRole::Read, ann.id, &limits())
        .await
        .unwrap();
    store.revoke_invitation(team.id, &dora_email).await.unwrap();

    let again = store
        .invite(team.id, &dora_email, TeamRole::Read, ann.id, &limits())
        .await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let after = store
        .invite(
            team.id,
            &dora_email,
            TeamRole::Read,
            ann.id,
            &no_cool_down(),
        )
        .await;

    assert!(
        matches!(again, Err(StoreError::InvitationCoolingDown)),
        "{again:?}"
    );
    assert!(after.is_ok(), "{after:?}");
}

async fn an_accept_racing_a_revoke_leaves_a_member_or_a_revoked_invitation_never_both(
    store: TestStore,
) {
    for _ in 0..5 {
        let ann = user(&store, &format!("ann{}", uuid_ish())).await;
        let dora_name = format!("dora{}", uuid_ish());
        let dora = user(&store, &dora_name).await;
        let dora_email = email(&format!("{dora_name}@example.com"));
        let team = team_with(&store, &ann, &[]).await;
        store
            .invite(team.id, &dora_email, TeamRole::Read, ann.id, &limits())
            .await
            .unwrap();

        let limits = limits();
        let (accepted, revoked) = tokio::join!(
            store.accept_invitation(team.id, dora.id, &dora_email, &limits),
            store.revoke_invitation(team.id, &dora_email)
        );

        assert!(
            accepted.is_ok() != revoked.is_ok(),
            "exactly one wins: {accepted:?} {revoked:?}"
        );
        let page = page(&store, team.id).await;
        assert_eq!(page.invitations.len(), 0);
        assert_eq!(page.role_of(dora.id).is_some(), accepted.is_ok());
    }
}

/// A short unique suffix, so each round has its own users.
fn uuid_ish() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_owned()
}

async fn ten_concurrent_accepts_of_one_invitation_make_one_membership(store: TestStore) {
    let ann = user(&store, "ann").await;
    let dora = user(&store, "dora").await;
    let team = team_with(&store, &ann, &[]).await;
    store
        .invite(
            team.id,
            &email("dora@example.com"),
            TeamRole::Read,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();
    let shared: Arc<dyn Store> = Arc::clone(&store);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let store = Arc::clone(&shared);
        tasks.spawn(async move {
            store
                .accept_invitation(team.id, dora.id, &email("dora@example.com"), &limits())
                .await
        });
    }

    let results = tasks.join_all().await;

    let ok = results.iter().filter(|r| r.is_ok()).count();
    let refused = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::NotFound | StoreError::AlreadyMember)))
        .count();
    assert_eq!((ok, refused), (1, 9), "{results:?}");
    assert_eq!(page(&store, team.id).await.members.len(), 2);
}

async fn the_pending_invitation_cap_refuses_the_next_and_a_revocation_frees_a_slot(
    store: TestStore,
) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let cap = caps(200, 3, 100);
    for i in 0..3 {
        store
            .invite(
                team.id,
                &email(&format!("p{i}@example.com")),
                TeamRole::Read,
                ann.id,
                &cap,
            )
            .await
            .unwrap();
    }

    let fourth = store
        .invite(
            team.id,
            &email("p3@example.com"),
            TeamRole::Read,
            ann.id,
            &cap,
        )
        .await;
    store
        .revoke_invitation(team.id, &email("p0@example.com"))
        .await
        .unwrap();
    let after_revoke = store
        .invite(
            team.id,
            &email("p3@example.com"),
            TeamRole::Read,
            ann.id,
            &cap,
        )
        .await;

    assert!(
        matches!(fourth, Err(StoreError::TooManyInvitations)),
        "{fourth:?}"
    );
    assert!(after_revoke.is_ok(), "{after_revoke:?}");
    assert_eq!(page(&store, team.id).await.invitations.len(), 3);
}

async fn ten_concurrent_invites_at_the_invitation_cap_record_exactly_the_room_left(
    store: TestStore,
) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let cap = caps(200, 4, 100);
    store
        .invite(
            team.id,
            &email("first@example.com"),
            TeamRole::Read,
            ann.id,
            &cap,
        )
        .await
        .unwrap();
    let shared: Arc<dyn Store> = Arc::clone(&store);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..10 {
        let store = Arc::clone(&shared);
        tasks.spawn(async move {
            let to = email(&format!("rush{i}@example.com"));
            store
                .invite(team.id, &to, TeamRole::Read, ann.id, &cap)
                .await
        });
    }

    let results = tasks.join_all().await;

    let ok = results.iter().filter(|r| r.is_ok()).count();
    let full = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::TooManyInvitations)))
        .count();
    assert_eq!((ok, full), (3, 7), "{results:?}");
    assert_eq!(page(&store, team.id).await.invitations.len(), 4);
}

async fn the_member_cap_refuses_an_accept(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let dora = user(&store, "dora").await;
    let team = team_with(&store, &ann, &[(&bob, TeamRole::Read)]).await;
    let cap = caps(2, 200, 100);
    store
        .invite(
            team.id,
            &email("dora@example.com"),
            TeamRole::Read,
            ann.id,
            &cap,
        )
        .await
        .unwrap();

    let full = store
        .accept_invitation(team.id, dora.id, &email("dora@example.com"), &cap)
        .await;
    store.remove_member(team.id, bob.id).await.unwrap();
    let after_leave = store
        .accept_invitation(team.id, dora.id, &email("dora@example.com"), &cap)
        .await;

    assert!(matches!(full, Err(StoreError::TeamFull)), "{full:?}");
    assert!(after_leave.is_ok(), "a member left: {after_leave:?}");
    assert_eq!(page(&store, team.id).await.members.len(), 2);
}

async fn six_concurrent_accepts_at_the_member_cap_admit_exactly_the_room_left(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let cap = caps(3, 200, 100);
    let mut invitees = Vec::new();
    for i in 0..6 {
        let who = user(&store, &format!("dora{i}")).await;
        store
            .invite(
                team.id,
                &email(&format!("dora{i}@example.com")),
                TeamRole::Read,
                ann.id,
                &cap,
            )
            .await
            .unwrap();
        invitees.push(who);
    }
    let shared: Arc<dyn Store> = Arc::clone(&store);
    let mut tasks = tokio::task::JoinSet::new();
    for (i, who) in invitees.iter().enumerate() {
        let (store, id) = (Arc::clone(&shared), who.id);
        tasks.spawn(async move {
            let own = email(&format!("dora{i}@example.com"));
            store.accept_invitation(team.id, id, &own, &cap).await
        });
    }

    let results = tasks.join_all().await;

    let ok = results.iter().filter(|r| r.is_ok()).count();
    let full = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::TeamFull)))
        .count();
    assert_eq!((ok, full), (2, 4), "{results:?}");
    let page = page(&store, team.id).await;
    assert_eq!((page.members.len(), page.invitations.len()), (3, 4));
}

async fn the_team_cap_refuses_an_accept(store: TestStore) {
    let ann = user(&store, "ann").await;
    let dora = user(&store, "dora").await;
    store.create_team(dora.id, team_name("Mine")).await.unwrap();
    let one = store.create_team(ann.id, team_name("One")).await.unwrap();
    let two = store.create_team(ann.id, team_name("Two")).await.unwrap();
    let cap = caps(200, 200, 2);
    for team in [one.id, two.id] {
        store
            .invite(
                team,
                &email("dora@example.com"),
                TeamRole::Read,
                ann.id,
                &cap,
            )
            .await
            .unwrap();
    }

    let second = store
        .accept_invitation(one.id, dora.id, &email("dora@example.com"), &cap)
        .await;
    let third = store
        .accept_invitation(two.id, dora.id, &email("dora@example.com"), &cap)
        .await;

    assert!(second.is_ok(), "{second:?}");
    assert!(matches!(third, Err(StoreError::TooManyTeams)), "{third:?}");
    assert_eq!(store.list_teams_for_user(dora.id).await.unwrap().len(), 2);
    assert_eq!(
        page(&store, two.id).await.invitations.len(),
        1,
        "still pending"
    );
}

async fn fifty_concurrent_invites_of_one_email_leave_exactly_one_invitation(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let shared: Arc<dyn Store> = Arc::clone(&store);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let store = Arc::clone(&shared);
        tasks.spawn(async move {
            store
                .invite(
                    team.id,
                    &email("dora@example.com"),
                    TeamRole::Read,
                    ann.id,
                    &limits(),
                )
                .await
        });
    }

    let results = tasks.join_all().await;

    let ok = results.iter().filter(|r| r.is_ok()).count();
    let exists = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::InvitationExists)))
        .count();
    assert_eq!(
        (ok, exists),
        (1, 49),
        "{:?}",
        results
            .iter()
            .filter(|r| r.is_err() && !matches!(r, Err(StoreError::InvitationExists)))
            .collect::<Vec<_>>()
    );
    assert_eq!(page(&store, team.id).await.invitations.len(), 1);
}

async fn adding_the_owner_or_an_existing_member_or_inviting_an_owner_is_refused(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = team_with(&store, &ann, &[(&bob, TeamRole::Read)]).await;

    let owner = store.add_member(team.id, ann.id, TeamRole::Admin).await;
    let member = store.add_member(team.id, bob.id, TeamRole::Admin).await;
    let as_owner = store
        .invite(
            team.id,
            &email("x@example.com"),
            TeamRole::Owner,
            ann.id,
            &limits(),
        )
        .await;

    assert!(matches!(owner, Err(StoreError::AlreadyMember)), "{owner:?}");
    assert!(
        matches!(member, Err(StoreError::AlreadyMember)),
        "{member:?}"
    );
    assert!(
        matches!(as_owner, Err(StoreError::OwnerProtected)),
        "{as_owner:?}"
    );
    let page = page(&store, team.id).await;
    assert_eq!(
        (
            page.role_of(ann.id),
            page.role_of(bob.id),
            page.invitations.len()
        ),
        (Some(TeamRole::Owner), Some(TeamRole::Read), 0)
    );
}

/// DynamoDB only: a revoked invitation stays closed, out of the index and marked for TTL, which
/// the table has enabled.
#[tokio::test]
async fn a_closed_invitation_leaves_the_index_and_expires_by_ttl_on_dynamodb() {
    let (store, client, table) = crate::support::dynamodb_with_client().await;
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    store
        .invite(
            team.id,
            &email("dora@example.com"),
            TeamRole::Read,
            ann.id,
            &limits(),
        )
        .await
        .unwrap();

    store
        .revoke_invitation(team.id, &email("dora@example.com"))
        .await
        .unwrap();

    let key = |v: &str| aws_sdk_dynamodb::types::AttributeValue::S(v.to_owned());
    let item = client
        .get_item()
        .table_name(&table)
        .key("pk", key(&format!("TEAM#{}", team.id)))
        .key("sk", key("INVITE#dora@example.com"))
        .send()
        .await
        .unwrap()
        .item
        .expect("the closed invitation stays");
    assert_eq!(item["status"].as_s().unwrap(), "REVOKED");
    assert!(item.contains_key("ttl") && item.contains_key("closed_at"));
    assert!(!item.contains_key("gsi1pk") && !item.contains_key("gsi1sk"));
    let ttl = client
        .describe_time_to_live()
        .table_name(&table)
        .send()
        .await
        .unwrap();
    let description = ttl.time_to_live_description().unwrap();
    assert_eq!(description.attribute_name(), Some("ttl"));
}
