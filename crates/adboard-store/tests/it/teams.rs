//! Contract cases for teams, memberships and invitations.

use adboard_domain::account::UserId;
use adboard_domain::team::{TeamId, TeamRole};
use adboard_store::{StoreError, TeamSettings};

use crate::support::{TestStore, email, limits, page, team_name, user};

crate::contract!(
    the_creator_of_a_team_becomes_its_owner,
    creating_a_team_for_an_unknown_user_is_not_found_and_leaves_nothing,
    a_team_id_chosen_beforehand_creates_one_team_however_often_it_is_used,
    my_teams_list_every_team_with_my_role_sorted_by_name,
    the_teams_list_reads_the_user_and_their_teams_together,
    a_non_member_gets_no_team_and_unknown_teams_are_not_found,
    the_team_page_shows_members_with_names_and_pending_invitations,
    updating_a_team_changes_its_name_and_settings,
    updating_an_unknown_team_is_not_found,
    deleting_a_team_deletes_its_memberships_and_invitations,
);

async fn the_creator_of_a_team_becomes_its_owner(store: TestStore) {
    let ann = user(&store, "ann").await;

    let team = store
        .create_team(ann.id, team_name("Growth"))
        .await
        .unwrap();

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
    let created = store.create_team(ghost, team_name("Ghosts")).await;
    assert!(matches!(created, Err(StoreError::NotFound)), "{created:?}");
    assert!(store.list_teams_for_user(ghost).await.unwrap().is_empty());
}

async fn a_team_id_chosen_beforehand_creates_one_team_however_often_it_is_used(store: TestStore) {
    let ann = user(&store, "ann").await;
    let id = TeamId::new_random();

    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let store = std::sync::Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .create_team_with_id(id, ann.id, team_name("Twice"))
                    .await
            })
        })
        .collect();
    let mut created = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(team) => {
                assert_eq!(team.id, id);
                created += 1;
            }
            Err(StoreError::TeamExists) => {}
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    assert_eq!(created, 1, "exactly one of the concurrent creations wins");

    let again = store
        .create_team_with_id(id, ann.id, team_name("Renamed"))
        .await;
    assert!(matches!(again, Err(StoreError::TeamExists)), "{again:?}");
    let mine = store.list_teams_for_user(ann.id).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        mine[0].team.name.as_str(),
        "Twice",
        "the loser changed nothing"
    );
    let page = page(&store, id).await;
    assert_eq!(page.members.len(), 1, "one owner membership");
}

async fn my_teams_list_every_team_with_my_role_sorted_by_name(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let zeta = store.create_team(ann.id, team_name("zeta")).await.unwrap();
    let alpha = store.create_team(bob.id, team_name("Alpha")).await.unwrap();
    store
        .create_team(bob.id, team_name("Bob only"))
        .await
        .unwrap();
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

async fn the_teams_list_reads_the_user_and_their_teams_together(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let zeta = store.create_team(ann.id, team_name("zeta")).await.unwrap();
    let alpha = store.create_team(bob.id, team_name("Alpha")).await.unwrap();
    store
        .add_member(alpha.id, ann.id, TeamRole::Read)
        .await
        .unwrap();

    let (me, mine) = store.get_user_with_teams(ann.id).await.unwrap().unwrap();
    assert_eq!(me, ann);
    let got: Vec<(TeamId, TeamRole)> = mine.iter().map(|t| (t.team.id, t.role)).collect();
    assert_eq!(
        got,
        [(alpha.id, TeamRole::Read), (zeta.id, TeamRole::Owner)]
    );
    assert_eq!(mine, store.list_teams_for_user(ann.id).await.unwrap());

    let carol = user(&store, "carol").await;
    let (me, mine) = store.get_user_with_teams(carol.id).await.unwrap().unwrap();
    assert_eq!((me, mine), (carol, vec![]), "a user in no team");
    assert_eq!(
        store
            .get_user_with_teams(UserId::new_random())
            .await
            .unwrap(),
        None,
        "an unknown user"
    );
}

async fn a_non_member_gets_no_team_and_unknown_teams_are_not_found(store: TestStore) {
    let ann = user(&store, "ann").await;
    let eve = user(&store, "eve").await;
    let team = store
        .create_team(ann.id, team_name("Private"))
        .await
        .unwrap();

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
        .create_team(ann.id, team_name("<b>Growth</b>"))
        .await
        .unwrap();
    store
        .add_member(team.id, bob.id, TeamRole::Read)
        .await
        .unwrap();
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

    let page = page(&store, team.id).await;

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
    let team = store.create_team(ann.id, team_name("Old")).await.unwrap();
    let settings = TeamSettings {
        ad_account_id: Some(adboard_domain::ads::AdAccountId::parse("1234567890").unwrap()),
        conversion_event: Some(adboard_domain::ads::ConversionEvent::parse("purchase").unwrap()),
    };

    let updated = store
        .update_team(team.id, team_name("New"), settings.clone())
        .await
        .unwrap();
    let cleared = store
        .update_team(team.id, team_name("New"), TeamSettings::default())
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
        .update_team(
            TeamId::new_random(),
            team_name("x"),
            TeamSettings::default(),
        )
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

async fn deleting_a_team_deletes_its_memberships_and_invitations(store: TestStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let team = store
        .create_team(ann.id, team_name("Doomed"))
        .await
        .unwrap();
    let kept = store.create_team(bob.id, team_name("Kept")).await.unwrap();
    store
        .add_member(team.id, bob.id, TeamRole::Edit)
        .await
        .unwrap();
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
    let accepted = store
        .accept_invitation(team.id, dora.id, &email("dora@example.com"), &limits())
        .await;
    assert!(
        matches!(accepted, Err(StoreError::NotFound)),
        "{accepted:?}"
    );
    let overview = store.teams_overview(dora.id).await.unwrap().unwrap();
    assert!(overview.invitations.is_empty() && overview.teams.is_empty());
    assert!(matches!(
        store.delete_team(team.id).await,
        Err(StoreError::NotFound)
    ));
}
