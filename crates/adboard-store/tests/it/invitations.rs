//! Contract cases for invitations: uniqueness, revocation, acceptance at sign-in, concurrency.

use std::sync::Arc;

use adboard_domain::team::{TeamId, TeamRole};
use adboard_store::{Store, StoreError};

use crate::support::{TestStore, email, page, team_name, team_with, user};

crate::contract!(
    adding_someone_with_an_account_makes_them_a_member_at_once,
    inviting_an_email_without_an_account_records_an_invitation,
    adding_the_owner_or_an_existing_member_or_inviting_an_owner_is_refused,
    an_invitation_is_unique_per_team_and_email_case_insensitively,
    inviting_to_an_unknown_team_is_not_found,
    revoking_an_invitation_removes_it_once,
    accepting_invitations_turns_them_into_memberships,
    accepting_an_invitation_as_an_existing_member_only_consumes_it,
    fifty_concurrent_invites_of_one_email_leave_exactly_one_invitation,
);

async fn an_invitation_is_unique_per_team_and_email_case_insensitively(store: TestStore) {
    let ann = user(&store, "ann").await;
    let one = store.create_team(ann.id, team_name("One")).await.unwrap();
    let two = store.create_team(ann.id, team_name("Two")).await.unwrap();
    store
        .invite(one.id, &email("dora@example.com"), TeamRole::Read, ann.id)
        .await
        .unwrap();

    let again = store
        .invite(one.id, &email("DORA@example.com"), TeamRole::Admin, ann.id)
        .await;
    let other_team = store
        .invite(two.id, &email("dora@example.com"), TeamRole::Read, ann.id)
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
    let invited = store
        .invite(
            TeamId::new_random(),
            &email("dora@example.com"),
            TeamRole::Read,
            ann.id,
        )
        .await;
    assert!(matches!(invited, Err(StoreError::NotFound)), "{invited:?}");
    let dora = user(&store, "dora").await;
    assert!(
        store
            .accept_invitations(dora.id, &email("dora@example.com"))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn revoking_an_invitation_removes_it_once(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    store
        .invite(team.id, &email("dora@example.com"), TeamRole::Read, ann.id)
        .await
        .unwrap();

    store
        .revoke_invitation(team.id, &email("Dora@Example.com"))
        .await
        .unwrap();
    let twice = store
        .revoke_invitation(team.id, &email("dora@example.com"))
        .await;

    assert!(matches!(twice, Err(StoreError::NotFound)), "{twice:?}");
    assert!(page(&store, team.id).await.invitations.is_empty());
}

async fn accepting_invitations_turns_them_into_memberships(store: TestStore) {
    let ann = user(&store, "ann").await;
    let one = store.create_team(ann.id, team_name("One")).await.unwrap();
    let two = store.create_team(ann.id, team_name("Two")).await.unwrap();
    store
        .invite(one.id, &email("dora@example.com"), TeamRole::Edit, ann.id)
        .await
        .unwrap();
    store
        .invite(two.id, &email("dora@example.com"), TeamRole::Admin, ann.id)
        .await
        .unwrap();
    let dora = user(&store, "dora").await;

    let mut joined = store
        .accept_invitations(dora.id, &email("DORA@example.com"))
        .await
        .unwrap();

    joined.sort();
    let mut expected = vec![one.id, two.id];
    expected.sort();
    assert_eq!(joined, expected);
    let roles: Vec<TeamRole> = store
        .list_teams_for_user(dora.id)
        .await
        .unwrap()
        .iter()
        .map(|t| t.role)
        .collect();
    assert_eq!(roles, [TeamRole::Edit, TeamRole::Admin]);
    assert!(page(&store, one.id).await.invitations.is_empty());
    assert!(
        store
            .accept_invitations(dora.id, &email("dora@example.com"))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn accepting_an_invitation_as_an_existing_member_only_consumes_it(store: TestStore) {
    let ann = user(&store, "ann").await;
    let dora = user(&store, "dora").await;
    let team = team_with(&store, &ann, &[(&dora, TeamRole::Read)]).await;
    store
        .invite(team.id, &email("dora@example.com"), TeamRole::Admin, ann.id)
        .await
        .unwrap();

    let joined = store
        .accept_invitations(dora.id, &email("dora@example.com"))
        .await
        .unwrap();

    assert!(joined.is_empty());
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

async fn fifty_concurrent_invites_of_one_email_leave_exactly_one_invitation(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let shared: Arc<dyn Store> = Arc::clone(&store);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let store = Arc::clone(&shared);
        tasks.spawn(async move {
            store
                .invite(team.id, &email("dora@example.com"), TeamRole::Read, ann.id)
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

async fn adding_someone_with_an_account_makes_them_a_member_at_once(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = team_with(&store, &ann, &[]).await;

    let membership = store
        .add_member(team.id, bob.id, TeamRole::Edit)
        .await
        .unwrap();

    assert_eq!((membership.user, membership.role), (bob.id, TeamRole::Edit));
    let page = page(&store, team.id).await;
    assert_eq!(
        (page.role_of(bob.id), page.invitations.len()),
        (Some(TeamRole::Edit), 0)
    );
}

async fn inviting_an_email_without_an_account_records_an_invitation(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;

    let invitation = store
        .invite(team.id, &email("new@example.com"), TeamRole::Read, ann.id)
        .await
        .unwrap();

    assert_eq!(invitation.email.as_str(), "new@example.com");
    assert_eq!(page(&store, team.id).await.invitations.len(), 1);
}

async fn adding_the_owner_or_an_existing_member_or_inviting_an_owner_is_refused(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = team_with(&store, &ann, &[(&bob, TeamRole::Read)]).await;

    let owner = store.add_member(team.id, ann.id, TeamRole::Admin).await;
    let member = store.add_member(team.id, bob.id, TeamRole::Admin).await;
    let as_owner = store
        .invite(team.id, &email("x@example.com"), TeamRole::Owner, ann.id)
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
