//! From first sign-in to the first number, in sandbox mode: the sign-in page explains the
//! sandbox, "Welcome" then "Welcome back", the home checklist follows the team's live state, the
//! navbar names the current team, the same email from another provider is told where to sign in,
//! the profile offers only providers not linked yet, and signing out says so.

use reqwest::StatusCode;

use crate::helpers::{csrf_from, location, spawn_sandbox_app};
use crate::sandbox::sign_in;

/// The checklist's steps: (link, done); tera escapes `/` in the link (browsers read it back).
fn steps(home: &str) -> Vec<(String, bool)> {
    home.split(r#"data-testid="step""#)
        .skip(1)
        .map(|step| {
            let done = step.starts_with(r#" data-done="yes""#);
            let href = step.split(r#"<a href=""#).nth(1).unwrap();
            let href = href.split('"').next().unwrap().replace("&#x2F;", "/");
            (href, done)
        })
        .collect()
}

#[tokio::test]
async fn the_sign_in_page_explains_sandbox_mode_names_the_test_users_and_asks_politely() {
    let app = spawn_sandbox_app().await;
    let page = app.get_login(None).await.text().await.unwrap();
    assert!(page.contains("<strong>Sandbox mode:</strong>"), "{page}");
    assert!(
        page.contains("Alice Sandbox, Bob Sandbox or Carol Sandbox"),
        "{page}"
    );
    assert!(!page.contains("Please sign in to continue."));
    let sent = app.get("/profile").await;
    assert_eq!(location(&sent), "/login?next=%2Fprofile");
    let page = app.get_login(Some("/profile")).await.text().await.unwrap();
    assert!(page.contains("Please sign in to continue."));
}

#[tokio::test]
async fn the_home_checklist_follows_a_new_user_from_welcome_to_a_team() {
    let app = spawn_sandbox_app().await;
    sign_in(&app, "sandbox", "alice", None).await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(
        home.contains(r#"Welcome, <span data-testid="user-name">Alice Sandbox"#),
        "{home}"
    );
    assert_eq!(
        steps(&home),
        [
            ("/teams/new".to_owned(), false),
            ("/teams/new".to_owned(), false),
            ("/teams/new".to_owned(), false),
            ("/dashboard".to_owned(), false)
        ]
    );
    let again = app.get("/").await.text().await.unwrap();
    assert!(
        again.contains("Welcome back, "),
        "a first sign-in is welcomed once"
    );

    let form = app.get("/teams/new").await.text().await.unwrap();
    let id = crate::teams::hidden_value(&form, "new_team_id");
    let created = crate::teams::post(
        &app,
        "/teams/new",
        &[("name", "Shoes"), ("new_team_id", &id)],
    )
    .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let team = app.get(&location(&created)).await.text().await.unwrap();
    assert!(
        team.contains(&format!(r#"Team: <a href="/teams/{id}">Shoes</a>"#)),
        "navbar"
    );
    let home = app.get("/").await.text().await.unwrap();
    assert_eq!(
        steps(&home),
        [
            (format!("/teams/{id}"), true),
            ("/connectors".to_owned(), false),
            (format!("/teams/{id}/edit"), false),
            ("/dashboard".to_owned(), false)
        ]
    );
    assert!(home.contains("Your team: Shoes."));
}

#[tokio::test]
async fn the_same_email_from_another_provider_is_told_where_to_sign_in_and_gets_no_account() {
    let app = spawn_sandbox_app().await;
    sign_in(&app, "sandbox", "alice", None).await;
    let profile = app.get_profile().await.text().await.unwrap();
    assert!(
        profile.contains("Link Facebook") && !profile.contains("Link Sandbox"),
        "{profile}"
    );

    let other = app.other_browser();
    let refused = sign_in(&other, "facebook", "alice", None).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains(
            "An account with this email exists: sign in with Sandbox to link Facebook to it."
        ),
        "{page}"
    );
    assert!(
        !other.is_signed_in().await,
        "no second account, no silent merge"
    );
}

#[tokio::test]
async fn signing_out_says_so() {
    let app = spawn_sandbox_app().await;
    sign_in(&app, "sandbox", "bob", None).await;
    let csrf = csrf_from(&app.get("/profile").await.text().await.unwrap());
    let out = app.post_logout(Some(&csrf)).await;
    let home = app.get(&location(&out)).await.text().await.unwrap();
    assert!(home.contains("You are signed out."), "{home}");
    assert!(
        !app.get("/")
            .await
            .text()
            .await
            .unwrap()
            .contains("You are signed out.")
    );
}
