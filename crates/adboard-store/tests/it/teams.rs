//! Contract cases for teams, memberships and invitations.

use std::sync::Arc;

use adboard_domain::account::UserId;
use adboard_domain::team::{TeamId, TeamName, TeamRole};
use adboard_store::{Store, StoreError, TeamSettings};

use crate::support::{TestStore, email, user};

crate::contract!(
    the_creator_of_a_team_becomes_its_owner,
    creating_a_team_for_an_unknown_user_is_not_found_and_leaves_nothing,
    my_teams_list_every_team_with_my_role_sorted_by_name,
    a_non_member_gets_no_team_and_unknown_teams_are_not_found,
    the_team_page_shows_members_with_names_and_pending_invitations,
    updating_a_team_changes_its_name_and_settings,
    updating_an_unknown_team_is_not_found,
    adding_a_member_twice_is_refused,
    owner_cannot_be_granted_by_add_invite_or_role_change,
    the_owner_cannot_be_removed_or_demoted,
    a_member_can_change_role_and_leave,
    changing_or_removing_a_non_member_is_not_found,
    a_membership_of_another_team_cannot_be_acted_on_through_this_team,
    ownership_transfer_swaps_owner_and_admin,
    ownership_transfer_by_a_non_owner_or_to_a_non_member_is_refused,
    deleting_a_team_deletes_its_memberships_and_invitations,
    an_invitation_is_unique_per_team_and_email_case_insensitively,
    inviting_to_an_unknown_team_is_not_found,
    revoking_an_invitation_removes_it_once,
    accepting_invitations_turns_them_into_memberships,
    accepting_an_invitation_as_an_existing_member_only_consumes_it,
    fifty_concurrent_invites_of_one_email_leave_exactly_one_invitation,
    concurrent_role_changes_and_removal_neither_lose_nor_duplicate_a_membership,
);

fn name(raw: &str) -> TeamName {
    TeamName::parse(raw).unwrap()
}

async fn the_creator_of_a_team_becomes_its_owner(store: TestStore) {
    let ann = user(&store, "ann").await;

    let team = store.create_team(ann.id, name("Growth")).await.unwrap();

    assert_eq!(team.owner, ann.id);
    let mine = store
        .team_for_member(team.id, ann.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((mine.team, mine.role), (team.clone(), TeamRole::Owner));
    assert_eq!(store.get_team(team.id).await.unwrap(), Some(team));
}

async fn creating_a_team_for_an_unknown_user_is_not_found_and_leaves_nothing(store: TestStore) {
    let ghost = UserId::new_random();
    let created = store.create_team(ghost, name("Ghosts")).await;
    assert!(matches!(created, Err(StoreError::NotFound)), "{created:?}");
    assert!(store.list_teams_for_user(ghost).await.unwrap().is_empty());
}

async fn my_teams_list_every_team_with_my_role_sorted_by_name(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let zeta = store.create_team(ann.id, name("zeta")).await.unwrap();
    let alpha = store.create_team(bob.id, name("Alpha")).await.unwrap();
    store.create_team(bob.id, name("Bob only")).await.unwrap();
    store
        .add_member(alpha.id, ann.id, TeamRole::Edit)
        .await
        .unwrap();

    let mine = store.list_teams_for_user(ann.id).await.unwrap();

    let got: Vec<(TeamId, TeamRole)> = mine.iter().map(|t| (t.team.id, t.role)).collect();
    assert_eq!(
        got,
        [(alpha.id, TeamRole::Edit), (zeta.id, TeamRole::Owner)]
    );
    assert!(
        store
            .list_teams_for_user(user(&store, "carl").await.id)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_non_member_gets_no_team_and_unknown_teams_are_not_found(store: TestStore) {
    let ann = user(&store, "ann").await;
    let eve = user(&store, "eve").await;
    let team = store.create_team(ann.id, name("Private")).await.unwrap();

    assert_eq!(store.team_for_member(team.id, eve.id).await.unwrap(), None);
    assert_eq!(
        store
            .team_for_member(TeamId::new_random(), ann.id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.team_page(TeamId::new_random()).await.unwrap(), None);
    assert_eq!(store.get_team(TeamId::new_random()).await.unwrap(), None);
}

async fn the_team_page_shows_members_with_names_and_pending_invitations(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = store
        .create_team(ann.id, name("<b>Growth</b>"))
        .await
        .unwrap();
    store
        .add_member(team.id, bob.id, TeamRole::Read)
        .await
        .unwrap();
    store
        .invite(team.id, &email("dora@example.com"), TeamRole::Admin, ann.id)
        .await
        .unwrap();

    let page = store.team_page(team.id).await.unwrap().unwrap();

    assert_eq!(page.team.name.as_str(), "<b>Growth</b>");
    let members: Vec<(&str, TeamRole)> = page
        .members
        .iter()
        .map(|m| (m.user.name.as_str(), m.role))
        .collect();
    assert_eq!(members, [("ann", TeamRole::Owner), ("bob", TeamRole::Read)]);
    assert_eq!(page.role_of(bob.id), Some(TeamRole::Read));
    assert_eq!(page.invitations.len(), 1);
    assert_eq!(
        (page.invitations[0].email.as_str(), page.invitations[0].role),
        ("dora@example.com", TeamRole::Admin)
    );
    assert_eq!(page.invitations[0].invited_by, ann.id);
}

async fn updating_a_team_changes_its_name_and_settings(store: TestStore) {
    let ann = user(&store, "ann").await;
    let team = store.create_team(ann.id, name("Old")).await.unwrap();
    let settings = TeamSettings {
        ad_account_id: Some("1234567890".into()),
        conversion_event: Some("purchase".into()),
    };

    let updated = store
        .update_team(team.id, name("New"), settings.clone())
        .await
        .unwrap();
    let cleared = store
        .update_team(team.id, name("New"), TeamSettings::default())
        .await
        .unwrap();

    assert_eq!(
        (updated.name.as_str(), &updated.settings),
        ("New", &settings)
    );
    assert_eq!(cleared.settings, TeamSettings::default());
    assert_eq!(store.get_team(team.id).await.unwrap(), Some(cleared));
}

async fn updating_an_unknown_team_is_not_found(store: TestStore) {
    let updated = store
        .update_team(TeamId::new_random(), name("x"), TeamSettings::default())
        .await;
    assert!(matches!(updated, Err(StoreError::NotFound)), "{updated:?}");
    assert_eq!(
        store
            .list_teams_for_user(UserId::new_random())
            .await
            .unwrap(),
        []
    );
}

async fn adding_a_member_twice_is_refused(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = store.create_team(ann.id, name("T")).await.unwrap();
    store
        .add_member(team.id, bob.id, TeamRole::Read)
        .await
        .unwrap();

    let again = store.add_member(team.id, bob.id, TeamRole::Admin).await;
    let owner_again = store.add_member(team.id, ann.id, TeamRole::Read).await;

    assert!(matches!(again, Err(StoreError::AlreadyMember)), "{again:?}");
    assert!(
        matches!(owner_again, Err(StoreError::AlreadyMember)),
        "{owner_again:?}"
    );
    assert_eq!(
        store
            .team_page(team.id)
            .await
            .unwrap()
            .unwrap()
            .role_of(bob.id),
        Some(TeamRole::Read)
    );
}

async fn owner_cannot_be_granted_by_add_invite_or_role_change(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let carl = user(&store, "carl").await;
    let team = store.create_team(ann.id, name("T")).await.unwrap();
    store
        .add_member(team.id, bob.id, TeamRole::Admin)
        .await
        .unwrap();

    let added = store.add_member(team.id, carl.id, TeamRole::Owner).await;
    let invited = store
        .invite(team.id, &email("x@example.com"), TeamRole::Owner, bob.id)
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
    let team = store.create_team(ann.id, name("T")).await.unwrap();

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
    assert_eq!(
        store
            .team_for_member(team.id, ann.id)
            .await
            .unwrap()
            .unwrap()
            .role,
        TeamRole::Owner
    );
}

async fn a_member_can_change_role_and_leave(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = store.create_team(ann.id, name("T")).await.unwrap();
    store
        .add_member(team.id, bob.id, TeamRole::Read)
        .await
        .unwrap();

    store
        .set_member_role(team.id, bob.id, TeamRole::Admin)
        .await
        .unwrap();
    assert_eq!(
        store
            .team_for_member(team.id, bob.id)
            .await
            .unwrap()
            .unwrap()
            .role,
        TeamRole::Admin
    );
    store.remove_member(team.id, bob.id).await.unwrap();

    assert_eq!(store.team_for_member(team.id, bob.id).await.unwrap(), None);
    assert!(store.list_teams_for_user(bob.id).await.unwrap().is_empty());
    assert_eq!(
        store
            .team_page(team.id)
            .await
            .unwrap()
            .unwrap()
            .members
            .len(),
        1
    );
}

async fn changing_or_removing_a_non_member_is_not_found(store: TestStore) {
    let ann = user(&store, "ann").await;
    let eve = user(&store, "eve").await;
    let team = store.create_team(ann.id, name("T")).await.unwrap();

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
    let mine = store.create_team(ann.id, name("Mine")).await.unwrap();
    let theirs = store.create_team(ann.id, name("Theirs")).await.unwrap();
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
    assert_eq!(
        store
            .team_for_member(theirs.id, bob.id)
            .await
            .unwrap()
            .unwrap()
            .role,
        TeamRole::Edit
    );
}

async fn ownership_transfer_swaps_owner_and_admin(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = store.create_team(ann.id, name("T")).await.unwrap();
    store
        .add_member(team.id, bob.id, TeamRole::Read)
        .await
        .unwrap();

    store
        .transfer_ownership(team.id, ann.id, bob.id)
        .await
        .unwrap();

    let page = store.team_page(team.id).await.unwrap().unwrap();
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
    let team = store.create_team(ann.id, name("T")).await.unwrap();
    store
        .add_member(team.id, bob.id, TeamRole::Admin)
        .await
        .unwrap();

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
    let page = store.team_page(team.id).await.unwrap().unwrap();
    assert_eq!(
        (page.team.owner, page.role_of(ann.id), page.role_of(eve.id)),
        (ann.id, Some(TeamRole::Owner), None)
    );
}

async fn deleting_a_team_deletes_its_memberships_and_invitations(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = store.create_team(ann.id, name("Doomed")).await.unwrap();
    let kept = store.create_team(bob.id, name("Kept")).await.unwrap();
    store
        .add_member(team.id, bob.id, TeamRole::Edit)
        .await
        .unwrap();
    store
        .invite(team.id, &email("dora@example.com"), TeamRole::Read, ann.id)
        .await
        .unwrap();

    store.delete_team(team.id).await.unwrap();

    assert_eq!(store.team_page(team.id).await.unwrap(), None);
    assert!(store.list_teams_for_user(ann.id).await.unwrap().is_empty());
    let bobs: Vec<TeamId> = store
        .list_teams_for_user(bob.id)
        .await
        .unwrap()
        .iter()
        .map(|t| t.team.id)
        .collect();
    assert_eq!(bobs, [kept.id]);
    let dora = user(&store, "dora").await;
    assert!(
        store
            .accept_invitations(dora.id, &email("dora@example.com"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        store.delete_team(team.id).await,
        Err(StoreError::NotFound)
    ));
}

async fn an_invitation_is_unique_per_team_and_email_case_insensitively(store: TestStore) {
    let ann = user(&store, "ann").await;
    let one = store.create_team(ann.id, name("One")).await.unwrap();
    let two = store.create_team(ann.id, name("Two")).await.unwrap();
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
    let page = store.team_page(one.id).await.unwrap().unwrap();
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
    let team = store.create_team(ann.id, name("T")).await.unwrap();
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
    assert!(
        store
            .team_page(team.id)
            .await
            .unwrap()
            .unwrap()
            .invitations
            .is_empty()
    );
}

async fn accepting_invitations_turns_them_into_memberships(store: TestStore) {
    let ann = user(&store, "ann").await;
    let one = store.create_team(ann.id, name("One")).await.unwrap();
    let two = store.create_team(ann.id, name("Two")).await.unwrap();
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
    assert!(
        store
            .team_page(one.id)
            .await
            .unwrap()
            .unwrap()
            .invitations
            .is_empty()
    );
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
    let team = store.create_team(ann.id, name("T")).await.unwrap();
    store
        .add_member(team.id, dora.id, TeamRole::Read)
        .await
        .unwrap();
    store
        .invite(team.id, &email("dora@example.com"), TeamRole::Admin, ann.id)
        .await
        .unwrap();

    let joined = store
        .accept_invitations(dora.id, &email("dora@example.com"))
        .await
        .unwrap();

    assert!(joined.is_empty());
    let page = store.team_page(team.id).await.unwrap().unwrap();
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
    let team = store.create_team(ann.id, name("T")).await.unwrap();
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
    assert_eq!(
        store
            .team_page(team.id)
            .await
            .unwrap()
            .unwrap()
            .invitations
            .len(),
        1
    );
}

async fn concurrent_role_changes_and_removal_neither_lose_nor_duplicate_a_membership(
    store: TestStore,
) {
    let ann = user(&store, "ann").await;
    let team = store.create_team(ann.id, name("T")).await.unwrap();
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
        let page = store.team_page(team.id).await.unwrap().unwrap();
        assert_eq!(page.role_of(bob.id), None);
        assert_eq!(
            page.members.iter().filter(|m| m.user.id == ann.id).count(),
            1
        );
        assert_eq!(page.members.len(), 1);
        assert!(store.list_teams_for_user(bob.id).await.unwrap().is_empty());
    }
}
