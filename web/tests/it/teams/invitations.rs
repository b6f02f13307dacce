//! Invitations ask first and reveal nothing: the same answer whoever the address belongs to,
//! accepted or declined only by the invited email's owner, no re-invite for 24 hours after a
//! decline or revocation, and the caps (200 members per team, 100 teams per person) — on both
//! store backends.

use std::sync::Arc;
use std::time::Duration;

use adboard_domain::account::{EmailAddress, IdentityKey, Provider, UserName};
use adboard_domain::team::{TeamId, TeamName, TeamRole};
use adboard_store::{Identity, NewUser, Store, User};
use reqwest::StatusCode;

use super::{
    accept, browser_as, create_team, decline, invitations, invite, my_invitations, page, post_raw,
};
use crate::helpers::{Backend, TestApp, csrf_from, location};
use crate::mock_oidc::spawn_app_with_mock_on;

crate::on_both_backends!(
    inviting_an_address_with_or_without_an_account_answers_identically,
    a_declined_invitation_is_gone_and_a_declined_or_revoked_one_cannot_be_sent_again_for_24_hours,
    a_stranger_cannot_accept_or_decline_someone_elses_invitation,
    the_201st_member_is_refused,
    the_101st_team_is_refused,
);

/// The app's store, opened beside it, to arrange many members or teams quickly (with patient
/// timeouts: the shared local DynamoDB-compatible server can be slow under load).
async fn store_of(app: &TestApp) -> Arc<dyn Store> {
    let options = adboard_store::StoreOptions {
        dynamodb_endpoint: None,
        timeouts: adboard_store::Timeouts {
            connect: Duration::from_secs(5),
            read: Duration::from_secs(30),
            operation: Duration::from_secs(60),
        },
    };
    adboard_store::open_with(&app.store_url, &options)
        .await
        .unwrap()
}

/// A user created directly in the store (never signed in). On a busy machine the local
/// DynamoDB-compatible server can answer after the client's timeout, and the SDK's retry then
/// finds the user it created (that server ignores idempotency tokens): the user is read back.
async fn stored_user(store: &dyn Store, name: &str) -> User {
    let email = EmailAddress::parse(&format!("{name}@example.test")).unwrap();
    let key = IdentityKey {
        provider: Provider::Sandbox,
        issuer: "http://127.0.0.1:9/".into(),
        subject: name.into(),
    };
    let created = store
        .create_user_with_identity(
            NewUser {
                name: UserName::parse(name).unwrap(),
                email: Some(email.clone()),
            },
            Identity {
                key: key.clone(),
                email: Some(email),
                linked_at: chrono::Utc::now(),
            },
        )
        .await;
    match created {
        Ok(user) => user,
        Err(err) => store
            .find_user_by_identity(&key)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{name} was not created: {err:?}")),
    }
}

async fn user_by_email(store: &dyn Store, email: &str) -> User {
    store
        .find_user_by_email(&EmailAddress::parse(email).unwrap())
        .await
        .unwrap()
        .expect("the user exists")
}

async fn inviting_an_address_with_or_without_an_account_answers_identically(backend: Backend) {
    // Arrange: bob has an account, nobody@ has none; two teams alike but for their ids.
    let (app, mock) = spawn_app_with_mock_on(backend, None).await;
    let owner = browser_as(&app, &mock, "owner").await;
    let bob = browser_as(&app, &mock, "bob").await;
    let one = create_team(&owner, "Same").await;
    let two = create_team(&owner, "Same").await;

    // Act
    let with_account = invite(&owner, &one, "bob@example.test", "READ").await;
    let (with_status, with_location) = (with_account.status(), location(&with_account));
    let with_body = with_account.text().await.unwrap();
    let with_page = page(&owner, &with_location).await;
    let without_account = invite(&owner, &two, "nobody@example.test", "READ").await;
    let (without_status, without_location) = (without_account.status(), location(&without_account));
    let without_body = without_account.text().await.unwrap();
    let without_page = page(&owner, &without_location).await;

    // Assert: the same answer, the same page (but for the team id, the email and the CSRF token).
    let normalise = |html: &str, team: &str, email: &str| {
        html.replace(&csrf_from(html), "CSRF")
            .replace(team, "TEAM")
            .replace(email, "EMAIL")
    };
    assert_eq!(with_status, StatusCode::SEE_OTHER);
    assert_eq!((with_status, with_body), (without_status, without_body));
    assert_eq!(
        with_location.replace(&one, "TEAM"),
        without_location.replace(&two, "TEAM")
    );
    assert_eq!(
        normalise(&with_page, &one, "bob@example.test"),
        normalise(&without_page, &two, "nobody@example.test")
    );
    assert!(with_page.contains("Invitation sent."));
    let bobs = page(&bob, "/teams").await;
    assert_eq!(
        my_invitations(&bobs),
        [one.as_str()],
        "bob is asked, not added"
    );
    assert!(bobs.contains("You are not in any team yet"));
}

async fn a_declined_invitation_is_gone_and_a_declined_or_revoked_one_cannot_be_sent_again_for_24_hours(
    backend: Backend,
) {
    let (app, mock) = spawn_app_with_mock_on(backend, None).await;
    let owner = browser_as(&app, &mock, "owner").await;
    let bob = browser_as(&app, &mock, "bob").await;
    let team = create_team(&owner, "Acme").await;
    invite(&owner, &team, "bob@example.test", "EDIT").await;

    let declined = decline(&bob, &team).await;

    assert_eq!(location(&declined), "/teams");
    let bobs = page(&bob, "/teams").await;
    assert!(bobs.contains("Invitation declined.") && my_invitations(&bobs).is_empty());
    assert_eq!(accept(&bob, &team).await.status(), StatusCode::NOT_FOUND);
    assert!(invitations(&page(&owner, &format!("/teams/{team}")).await).is_empty());
    invite(&owner, &team, "carol@example.test", "READ").await;
    super::post(
        &owner,
        &format!("/teams/{team}/invitations/revoke"),
        &[("email", "carol@example.test")],
    )
    .await;
    for email in ["bob@example.test", "carol@example.test"] {
        let again = invite(&owner, &team, email, "READ").await;
        assert_eq!(again.status(), StatusCode::CONFLICT, "{email}");
        let text = again.text().await.unwrap();
        assert!(
            text.contains("declined or revoked less than 24 hours ago"),
            "{email}: {text}"
        );
    }
    let elsewhere = create_team(&owner, "Elsewhere").await;
    let other_team = invite(&owner, &elsewhere, "bob@example.test", "READ").await;
    assert_eq!(
        other_team.status(),
        StatusCode::SEE_OTHER,
        "another team may"
    );
}

async fn a_stranger_cannot_accept_or_decline_someone_elses_invitation(backend: Backend) {
    let (app, mock) = spawn_app_with_mock_on(backend, None).await;
    let owner = browser_as(&app, &mock, "owner").await;
    let team = create_team(&owner, "Acme").await;
    invite(&owner, &team, "dora@example.test", "ADMIN").await;
    let eve = browser_as(&app, &mock, "eve").await;

    let accepted = accept(&eve, &team).await;
    let declined = decline(&eve, &team).await;
    let malformed = accept(&eve, "not-a-team").await;
    let without_csrf = post_raw(&eve, &format!("/invitations/{team}/accept"), &[]).await;

    assert_eq!(accepted.status(), StatusCode::NOT_FOUND);
    assert_eq!(declined.status(), StatusCode::NOT_FOUND);
    assert_eq!(malformed.status(), StatusCode::NOT_FOUND);
    assert_eq!(without_csrf.status(), StatusCode::FORBIDDEN);
    assert!(my_invitations(&page(&eve, "/teams").await).is_empty());
    assert_eq!(
        eve.get(&format!("/teams/{team}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        invitations(&page(&owner, &format!("/teams/{team}")).await),
        ["dora@example.test"]
    );
    let dora = browser_as(&app, &mock, "dora").await;
    let without_csrf = post_raw(&dora, &format!("/invitations/{team}/accept"), &[]).await;
    assert_eq!(without_csrf.status(), StatusCode::FORBIDDEN);
    assert_eq!(accept(&dora, &team).await.status(), StatusCode::SEE_OTHER);
}

async fn the_201st_member_is_refused(backend: Backend) {
    // Arrange: a team with 200 members (199 added through the store) and dora invited.
    let (app, mock) = spawn_app_with_mock_on(backend, None).await;
    let owner = browser_as(&app, &mock, "owner").await;
    let team = create_team(&owner, "Crowded").await;
    let store = store_of(&app).await;
    let id = TeamId::parse(&team).unwrap();
    for i in 0..199 {
        let member = stored_user(store.as_ref(), &format!("member{i}")).await;
        store
            .add_member(id, member.id, TeamRole::Read)
            .await
            .unwrap();
    }
    invite(&owner, &team, "dora@example.test", "READ").await;
    let dora = browser_as(&app, &mock, "dora").await;

    // Act
    let refused = accept(&dora, &team).await;

    // Assert
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(refused.text().await.unwrap().contains("200 members"));
    assert_eq!(
        store.team_page(id).await.unwrap().unwrap().members.len(),
        200
    );
    assert_eq!(
        my_invitations(&page(&dora, "/teams").await),
        [team.as_str()]
    );
}

async fn the_101st_team_is_refused(backend: Backend) {
    // Arrange: dora in 100 teams (created through the store), then invited to one more.
    let (app, mock) = spawn_app_with_mock_on(backend, None).await;
    let owner = browser_as(&app, &mock, "owner").await;
    let dora = browser_as(&app, &mock, "dora").await;
    let store = store_of(&app).await;
    let dora_id = user_by_email(store.as_ref(), "dora@example.test").await.id;
    for i in 0..100 {
        let name = TeamName::parse(&format!("Team {i}")).unwrap();
        store.create_team(dora_id, name).await.unwrap();
    }
    let team = create_team(&owner, "One more").await;
    invite(&owner, &team, "dora@example.test", "READ").await;

    // Act
    let refused = accept(&dora, &team).await;
    let created = super::submit_new_team(&dora, "Mine too").await;

    // Assert
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(refused.text().await.unwrap().contains("100 teams"));
    assert_eq!(created.status(), StatusCode::CONFLICT);
    assert_eq!(store.list_teams_for_user(dora_id).await.unwrap().len(), 100);
}
