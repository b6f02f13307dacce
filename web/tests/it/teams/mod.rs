//! Teams in the web app: the role matrix, every bad input of the issue, concurrency and the
//! everyday flows, against the real app (SQLite temp file) with users signed in through the
//! mock OpenID provider (any number of distinct users with verified emails).

mod authorization;
mod bad_input;
mod concurrency;
mod error_pages;
mod flows;
pub mod form_errors;
mod forms;
mod ids;
mod invitations;

use reqwest::{Response, StatusCode};

use crate::helpers::{Backend, TestApp, location};
use crate::mock_oidc::{MockOidc, sign_in_as, spawn_app_with_mock_on};

/// A browser signed in as `subject` (email `{subject}@example.test`, name `Test {subject}`).
pub async fn browser_as(app: &TestApp, mock: &MockOidc, subject: &str) -> TestApp {
    let browser = app.other_browser();
    let response = sign_in_as(&browser, mock, subject, None).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{subject} signs in"
    );
    browser
}

/// The value of the hidden input `name` on a page.
pub fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("the hidden input") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// POSTs `fields` plus this session's CSRF token to `path`.
pub async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Response {
    let csrf = app.csrf().await;
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf_token", &csrf));
    post_raw(app, path, &form).await
}

/// POSTs exactly `form` (no CSRF token added).
pub async fn post_raw(app: &TestApp, path: &str, form: &[(&str, &str)]) -> Response {
    app.client
        .post(format!("{}{path}", app.url))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// Submits the "Create a team" form; returns the response.
pub async fn submit_new_team(app: &TestApp, name: &str) -> Response {
    let page = app.get("/teams/new").await.text().await.unwrap();
    let id = hidden_value(&page, "new_team_id");
    post(app, "/teams/new", &[("name", name), ("new_team_id", &id)]).await
}

/// Creates a team named `name`; returns its id.
pub async fn create_team(app: &TestApp, name: &str) -> String {
    let response = submit_new_team(app, name).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "team created");
    location(&response)
        .strip_prefix("/teams/")
        .expect("redirect to the team page")
        .to_owned()
}

pub async fn invite(app: &TestApp, team: &str, email: &str, role: &str) -> Response {
    post(
        app,
        &format!("/teams/{team}/invite"),
        &[("email", email), ("role", role)],
    )
    .await
}

/// Accepts, as `app`'s signed-in user, the invitation of `team` to their email.
pub async fn accept(app: &TestApp, team: &str) -> Response {
    post(app, &format!("/invitations/{team}/accept"), &[]).await
}

/// Declines, as `app`'s signed-in user, the invitation of `team` to their email.
pub async fn decline(app: &TestApp, team: &str) -> Response {
    post(app, &format!("/invitations/{team}/decline"), &[]).await
}

/// The ids of the teams whose invitations wait for an answer on a `/teams` page.
pub fn my_invitations(teams_page: &str) -> Vec<String> {
    teams_page
        .split("<tr data-testid=\"my-invitation\" data-team-id=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

/// The page's text (asserting a 200).
pub async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.unwrap()
}

/// The user id of the member called `Test {subject}`, read off a team page.
pub fn member_id(team_page: &str, subject: &str) -> String {
    member_id_named(team_page, &format!("Test {subject}"))
}

/// The user id of the member whose name starts with `name`, read off a team page.
pub fn member_id_named(team_page: &str, name: &str) -> String {
    team_page
        .split("<tr data-member-id=\"")
        .skip(1)
        .find(|row| row.contains(&format!("<td>{name}")))
        .map(|row| row.split('"').next().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no member row for {name}"))
}

/// The role shown in the row of the member called `Test {subject}`.
pub fn role_of(team_page: &str, subject: &str) -> String {
    role_of_named(team_page, &format!("Test {subject}"))
}

/// The role shown in the row of the member whose name starts with `name`.
pub fn role_of_named(team_page: &str, name: &str) -> String {
    let id = member_id_named(team_page, name);
    let row = &team_page[team_page.find(&format!("data-member-id=\"{id}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    ["OWNER", "ADMIN", "EDIT", "READ"]
        .into_iter()
        .find(|role| row.contains(&format!("<td>{role}</td>")))
        .expect("a role cell")
        .to_owned()
}

/// Pending invitation emails shown on a team page.
pub fn invitations(team_page: &str) -> Vec<String> {
    team_page
        .split("<td data-testid=\"invitation\">")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap().to_owned())
        .collect()
}

/// Signs `app`'s browser in through the in-process sandbox's OpenID picker as `user` (`alice`,
/// `bob`), pressing "continue" like a browser would.
// The same steps as the private driver in `sandbox.rs`; one shared helper would be better (see report).
pub async fn sandbox_sign_in(app: &TestApp, user: &str) {
    let picker = app.start_login("sandbox", None).await;
    let html = app.follow(&picker).await.text().await.unwrap();
    let request = hidden_value(&html, "request");
    let answer = app
        .client
        .post(&picker)
        .form(&[
            ("request", request.as_str()),
            ("user", user),
            ("action", "continue"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        answer.status().is_redirection(),
        "the sandbox answered {}",
        answer.status()
    );
    let callback = app.follow(&location(&answer)).await;
    assert_eq!(callback.status(), StatusCode::SEE_OTHER, "{user} signs in");
}

/// A team "Acme" with an OWNER, an ADMIN, an EDIT and a READ member, a READ `victim` for
/// removals, and an outsider who is signed in but not a member.
pub struct World {
    pub mock: MockOidc,
    pub owner: TestApp,
    pub admin: TestApp,
    pub edit: TestApp,
    pub read: TestApp,
    pub victim: TestApp,
    pub outsider: TestApp,
    pub team: String,
}

impl World {
    pub async fn new() -> Self {
        Self::new_on(Backend::Sqlite).await
    }

    /// The same world with the app's data in `backend`.
    pub async fn new_on(backend: Backend) -> Self {
        let (app, mock) = spawn_app_with_mock_on(backend, None).await;
        let owner = browser_as(&app, &mock, "owner").await;
        let admin = browser_as(&app, &mock, "admin").await;
        let edit = browser_as(&app, &mock, "edit").await;
        let read = browser_as(&app, &mock, "read").await;
        let victim = browser_as(&app, &mock, "victim").await;
        let outsider = browser_as(&app, &mock, "outsider").await;
        let team = create_team(&owner, "Acme").await;
        for (who, browser, role) in [
            ("admin", &admin, "ADMIN"),
            ("edit", &edit, "EDIT"),
            ("read", &read, "READ"),
            ("victim", &victim, "READ"),
        ] {
            let response = invite(&owner, &team, &format!("{who}@example.test"), role).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{who} invited");
            let response = accept(browser, &team).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{who} accepts");
        }
        Self {
            mock,
            owner,
            admin,
            edit,
            read,
            victim,
            outsider,
            team,
        }
    }

    /// The team page as the owner sees it.
    pub async fn owner_page(&self) -> String {
        page(&self.owner, &format!("/teams/{}", self.team)).await
    }
}
