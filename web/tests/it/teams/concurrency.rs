//! Races: 50 concurrent invites of one email, concurrent role changes and removal, a create form
//! submitted many times at once — each through the whole app, on both store backends.

use reqwest::StatusCode;
use tokio::task::JoinSet;

use super::{World, hidden_value, invitations, member_id};
use crate::helpers::Backend;

crate::on_both_backends!(
    fifty_concurrent_invites_of_the_same_email_make_exactly_one_invitation,
    concurrent_role_changes_and_a_removal_leave_no_membership_behind,
    a_create_form_submitted_ten_times_at_once_creates_one_team,
);

/// POSTs `form` + the CSRF token `n` times at once from `browser`; returns the statuses.
async fn concurrently(
    browser: &crate::helpers::TestApp,
    requests: Vec<(String, Vec<(&'static str, String)>)>,
) -> Vec<StatusCode> {
    let csrf = browser.csrf().await;
    let mut set = JoinSet::new();
    for (path, mut form) in requests {
        form.push(("csrf_token", csrf.clone()));
        let request = browser
            .client
            .post(format!("{}{path}", browser.url))
            .form(&form);
        set.spawn(async move { request.send().await.unwrap().status() });
    }
    let mut statuses = vec![];
    let deadline = std::time::Duration::from_secs(60);
    while let Some(done) = tokio::time::timeout(deadline, set.join_next())
        .await
        .expect("all requests finish within a minute")
    {
        statuses.push(done.unwrap());
    }
    statuses
}

async fn fifty_concurrent_invites_of_the_same_email_make_exactly_one_invitation(backend: Backend) {
    let world = World::new_on(backend).await;
    let path = format!("/teams/{}/invite", world.team);
    let requests = (0..50)
        .map(|_| {
            let form = vec![
                ("email", "rush@example.test".to_owned()),
                ("role", "READ".to_owned()),
            ];
            (path.clone(), form)
        })
        .collect();
    let statuses = concurrently(&world.owner, requests).await;
    assert_eq!(statuses.len(), 50);
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    let conflicts = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((created, conflicts), (1, 49), "{statuses:?}");
    assert_eq!(
        invitations(&world.owner_page().await),
        ["rush@example.test"]
    );
}

async fn concurrent_role_changes_and_a_removal_leave_no_membership_behind(backend: Backend) {
    let world = World::new_on(backend).await;
    let victim = member_id(&world.owner_page().await, "victim");
    let t = &world.team;
    let mut requests: Vec<(String, Vec<(&'static str, String)>)> = (0..20)
        .map(|i| {
            let role = ["ADMIN", "EDIT", "READ"][i % 3].to_owned();
            (
                format!("/teams/{t}/members/{victim}/role"),
                vec![("role", role)],
            )
        })
        .collect();
    requests.insert(10, (format!("/teams/{t}/members/{victim}/remove"), vec![]));
    let statuses = concurrently(&world.admin, requests).await;
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::NOT_FOUND),
        "{statuses:?}"
    );
    let page = world.owner_page().await;
    assert!(
        !page.contains("<td>Test victim"),
        "the removal won for good"
    );
    assert_eq!(
        page.matches("<tr data-member-id=").count(),
        4,
        "nobody else lost or doubled"
    );
    let response = world.victim.get(&format!("/teams/{t}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn a_create_form_submitted_ten_times_at_once_creates_one_team(backend: Backend) {
    let world = World::new_on(backend).await;
    let form = world.owner.get("/teams/new").await.text().await.unwrap();
    let id = hidden_value(&form, "new_team_id");
    let requests = (0..10)
        .map(|_| {
            let fields = vec![("name", "Rushed".to_owned()), ("new_team_id", id.clone())];
            ("/teams/new".to_owned(), fields)
        })
        .collect();
    let statuses = concurrently(&world.owner, requests).await;
    assert_eq!(statuses, vec![StatusCode::SEE_OTHER; 10]);
    let list = world.owner.get("/teams").await.text().await.unwrap();
    assert_eq!(list.matches(">Rushed</a>").count(), 1, "{list}");
    let team = world.owner.get(&format!("/teams/{id}")).await;
    assert_eq!(team.status(), StatusCode::OK);
}
