//! Contract cases for memberships: adding, role changes, removal, ownership and their races.

use std::sync::Arc;

use adboard_domain::team::{TeamId, TeamRole};
use adboard_store::{Store, StoreError};

use crate::support::{TestStore, email, limits, page, role_of, team_name, team_with, user};

crate::contract!(
    adding_a_member_twice_is_refused,
    owner_cannot_be_granted_by_add_invite_or_role_change,
    the_owner_cannot_be_removed_or_demoted,
    a_member_can_change_role_and_leave,
    changing_or_removing_a_non_member_is_not_found,
    a_membership_of_another_team_cannot_be_acted_on_through_this_team,
    ownership_transfer_swaps_owner_and_admin,
    ownership_transfer_by_a_non_owner_or_to_a_non_member_is_refused,
    concurrent_role_changes_and_removal_neither_lose_nor_duplicate_a_membership,
);

async fn adding_a_member_twice_is_refused(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = team_with(&store, &ann, &[(&bob, TeamRole::Read)]).await;

    let again = store.add_member(team.id, bob.id, TeamRole::Admin).await;
    let owner_again = store.add_member(team.id, ann.id, TeamRole::Read).await;

    assert!(matches!(again, Err(StoreError::AlreadyMember)), "{again:?}");
    assert!(
        matches!(owner_again, Err(StoreError::AlreadyMember)),
        "{owner_again:?}"
    );
    assert_eq!(
        page(&store, team.id).await.role_of(bob.id),
        Some(TeamRole::Read)
    );
}

async fn owner_cannot_be_granted_by_add_invite_or_role_change(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let carl = user(&store, "carl").await;
    let team = team_with(&store, &ann, &[(&bob, TeamRole::Admin)]).await;

    let added = store.add_member(team.id, carl.id, TeamRole::Owner).await;
    let invited = store
        .invite(
            team.id,
            &email("x@example.com"),
            TeamRole::Owner,
            bob.id,
            &limits(),
        )
        .await;
    let promoted = store
        .set_member_role(team.id, bob.id, TeamRole::Owner)
        .await;

    for result in [added.map(|_| ()), invited.map(|_| ()), promoted] {
        assert!(
            matches!(result, Err(StoreError::OwnerProtected)),
            "{result:?}"
        );
    }
    assert_eq!(
        store.get_team(team.id).await.unwrap().unwrap().owner,
        ann.id
    );
}

async fn the_owner_cannot_be_removed_or_demoted(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;

    let removed = store.remove_member(team.id, ann.id).await;
    let demoted = store.set_member_role(team.id, ann.id, TeamRole::Read).await;

    assert!(
        matches!(removed, Err(StoreError::OwnerProtected)),
        "{removed:?}"
    );
    assert!(
        matches!(demoted, Err(StoreError::OwnerProtected)),
        "{demoted:?}"
    );
    assert_eq!(role_of(&store, team.id, &ann).await, TeamRole::Owner);
}

async fn a_member_can_change_role_and_leave(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = team_with(&store, &ann, &[(&bob, TeamRole::Read)]).await;

    store
        .set_member_role(team.id, bob.id, TeamRole::Admin)
        .await
        .unwrap();
    assert_eq!(role_of(&store, team.id, &bob).await, TeamRole::Admin);
    store.remove_member(team.id, bob.id).await.unwrap();

    assert_eq!(store.team_for_member(team.id, bob.id).await.unwrap(), None);
    assert!(store.list_teams_for_user(bob.id).await.unwrap().is_empty());
    assert_eq!(page(&store, team.id).await.members.len(), 1);
}

async fn changing_or_removing_a_non_member_is_not_found(store: TestStore) {
    let ann = user(&store, "ann").await;
    let eve = user(&store, "eve").await;
    let team = team_with(&store, &ann, &[]).await;

    let changed = store.set_member_role(team.id, eve.id, TeamRole::Read).await;
    let removed = store.remove_member(team.id, eve.id).await;
    let unknown_team = store.remove_member(TeamId::new_random(), ann.id).await;

    for result in [changed, removed, unknown_team] {
        assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    }
    assert_eq!(store.team_for_member(team.id, eve.id).await.unwrap(), None);
}

async fn a_membership_of_another_team_cannot_be_acted_on_through_this_team(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let mine = store.create_team(ann.id, team_name("Mine")).await.unwrap();
    let theirs = store
        .create_team(ann.id, team_name("Theirs"))
        .await
        .unwrap();
    store
        .add_member(theirs.id, bob.id, TeamRole::Edit)
        .await
        .unwrap();

    let removed = store.remove_member(mine.id, bob.id).await;
    let changed = store
        .set_member_role(mine.id, bob.id, TeamRole::Admin)
        .await;

    assert!(matches!(removed, Err(StoreError::NotFound)), "{removed:?}");
    assert!(matches!(changed, Err(StoreError::NotFound)), "{changed:?}");
    assert_eq!(role_of(&store, theirs.id, &bob).await, TeamRole::Edit);
}

async fn ownership_transfer_swaps_owner_and_admin(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = team_with(&store, &ann, &[(&bob, TeamRole::Read)]).await;

    store
        .transfer_ownership(team.id, ann.id, bob.id)
        .await
        .unwrap();

    let page = page(&store, team.id).await;
    assert_eq!(page.team.owner, bob.id);
    assert_eq!(
        (page.role_of(ann.id), page.role_of(bob.id)),
        (Some(TeamRole::Admin), Some(TeamRole::Owner))
    );
    store.remove_member(team.id, ann.id).await.unwrap();
}

async fn ownership_transfer_by_a_non_owner_or_to_a_non_member_is_refused(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let eve = user(&store, "eve").await;
    let team = team_with(&store, &ann, &[(&bob, TeamRole::Admin)]).await;

    let by_admin = store.transfer_ownership(team.id, bob.id, bob.id).await;
    let by_admin_to_owner = store.transfer_ownership(team.id, bob.id, ann.id).await;
    let to_stranger = store.transfer_ownership(team.id, ann.id, eve.id).await;
    let unknown_team = store
        .transfer_ownership(TeamId::new_random(), ann.id, bob.id)
        .await;

    assert!(
        matches!(by_admin, Err(StoreError::OwnerProtected)),
        "{by_admin:?}"
    );
    assert!(
        matches!(by_admin_to_owner, Err(StoreError::OwnerProtected)),
        "{by_admin_to_owner:?}"
    );
    assert!(
        matches!(to_stranger, Err(StoreError::NotFound)),
        "{to_stranger:?}"
    );
    assert!(
        matches!(unknown_team, Err(StoreError::NotFound)),
        "{unknown_team:?}"
    );
    let page = page(&store, team.id).await;
    assert_eq!(
        (page.team.owner, page.role_of(ann.id), page.role_of(eve.id)),
        (ann.id, Some(TeamRole::Owner), None)
    );
}

async fn concurrent_role_changes_and_removal_neither_lose_nor_duplicate_a_membership(
    store: TestStore,
) {
    let ann = user(&store, "ann").await;
    let team = team_with(&store, &ann, &[]).await;
    let shared: Arc<dyn Store> = Arc::clone(&store);
    for round in 0..5 {
        let bob = user(&store, &format!("bob{round}")).await;
        store
            .add_member(team.id, bob.id, TeamRole::Read)
            .await
            .unwrap();
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..10 {
            let store = Arc::clone(&shared);
            let role = [TeamRole::Admin, TeamRole::Edit, TeamRole::Read][i % 3];
            tasks.spawn(async move {
                store
                    .set_member_role(team.id, bob.id, role)
                    .await
                    .map(|()| false)
            });
        }
        let store2 = Arc::clone(&shared);
        tasks.spawn(async move { store2.remove_member(team.id, bob.id).await.map(|()| true) });

        let results = tasks.join_all().await;

        for result in &results {
            assert!(
                matches!(result, Ok(_) | Err(StoreError::NotFound)),
                "{result:?}"
            );
        }
        let removals = results.iter().filter(|r| matches!(r, Ok(true))).count();
        assert_eq!(removals, 1, "the removal must succeed");
        // Removed for good: no role change resurrected the membership, in either direction.
        let page = page(&store, team.id).await;
        assert_eq!(page.role_of(bob.id), None);
        assert_eq!(
            page.members.iter().filter(|m| m.user.id == ann.id).count(),
            1
        );
        assert_eq!(page.members.len(), 1);
        assert!(store.list_teams_for_user(bob.id).await.unwrap().is_empty());
    }
}
