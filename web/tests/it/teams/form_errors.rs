//! Every form with a typed field, sent with a bad or conflicting value: the form comes back
//! (422, or 409 for a conflict) with the field's message beside the field (`aria-invalid`,
//! `aria-describedby`, `autofocus` on the first error) and the typed values kept.

use reqwest::StatusCode;

use super::{World, browser_as, invitations, invite, post, submit_new_team};
use crate::mock_oidc::spawn_app_with_mock;

/// `field` is marked invalid, described by its message (which contains `message`), and focused.
pub fn assert_field_error(html: &str, field: &str, message: &str) {
    let input = html
        .split(&format!(r#"id="{field}""#))
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .unwrap_or_else(|| panic!("no field {field}: {html}"));
    assert!(input.contains(r#"aria-invalid="true""#), "{field}: {input}");
    assert!(
        input.contains(&format!(r#"aria-describedby="{field}-error"#)),
        "{field}: {input}"
    );
    let error = html
        .split(&format!(r#"<p class="field-error" id="{field}-error">"#))
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .unwrap_or_else(|| panic!("no message beside {field}: {html}"));
    assert!(error.contains(message), "{field}: {error}");
    assert!(html.contains(r#"role="alert""#), "a summary is announced");
}

fn autofocused(html: &str) -> Vec<&str> {
    html.split("<input id=\"")
        .chain(html.split("<select id=\""))
        .skip(1)
        .filter(|tag| tag.split('>').next().unwrap_or("").contains("autofocus"))
        .filter_map(|tag| tag.split('"').next())
        .collect()
}

#[tokio::test]
async fn create_team_keeps_the_typed_name_beside_its_message() {
    let (app, mock) = spawn_app_with_mock(None).await;
    let ann = browser_as(&app, &mock, "ann").await;
    let typed = format!("Shoes{}", "x".repeat(100));
    let response = submit_new_team(&ann, &typed).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_field_error(&html, "name", "1 to 100 characters");
    assert!(
        html.contains(&format!(r#"value="{typed}""#)),
        "typed name kept"
    );
    assert!(
        html.contains("<h1>Create a team</h1>"),
        "the form, not an error page"
    );
    // The same form still creates the team once corrected (its proposed id is kept).
    let id = super::hidden_value(&html, "new_team_id");
    let fixed = post(
        &ann,
        "/teams/new",
        &[("name", "Shoes"), ("new_team_id", &id)],
    )
    .await;
    assert_eq!(fixed.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::helpers::location(&fixed), format!("/teams/{id}"));
}

#[tokio::test]
async fn team_settings_mark_each_bad_field_keep_every_value_and_focus_the_first() {
    let world = World::new().await;
    let response = post(
        &world.owner,
        &format!("/teams/{}/edit", world.team),
        &[
            ("name", "Acme Renamed"),
            ("ad_account_id", "my ad account"),
            ("conversion_event", "Purchase"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_field_error(&html, "ad_account_id", "An ad account id is digits");
    assert_field_error(&html, "conversion_event", "Facebook action type");
    assert!(html.contains(r#"aria-describedby="ad_account_id-error ad_account_id_help""#));
    assert!(!html.contains(r#"<p class="field-error" id="name-error">"#));
    for kept in ["Acme Renamed", "my ad account", "Purchase"] {
        assert!(html.contains(&format!(r#"value="{kept}""#)), "{kept} kept");
    }
    assert_eq!(autofocused(&html), ["ad_account_id"]);
    assert!(
        world.owner_page().await.contains("<h1>Acme</h1>"),
        "nothing saved"
    );
}

#[tokio::test]
async fn invite_with_a_bad_email_or_role_comes_back_with_both_marked() {
    let world = World::new().await;
    let response = invite(&world.owner, &world.team, "bob at example", "SUPERUSER").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_field_error(&html, "email", "not a valid email address");
    assert_field_error(&html, "role", "ADMIN, EDIT or READ");
    assert!(html.contains(r#"value="bob at example""#));
    assert_eq!(autofocused(&html), ["email"]);
    assert!(invitations(&world.owner_page().await).is_empty());
}

#[tokio::test]
async fn a_repeated_invite_is_a_409_beside_the_email_with_the_role_kept() {
    let world = World::new().await;
    let first = invite(&world.owner, &world.team, "new@example.test", "READ").await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let again = invite(&world.owner, &world.team, "new@example.test", "EDIT").await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let html = again.text().await.unwrap();
    assert_field_error(&html, "email", "already pending");
    assert!(html.contains(r#"value="new@example.test""#));
    assert!(
        html.contains(r#"<option value="EDIT" selected>"#),
        "role kept"
    );
    assert!(html.contains("<h1>Invite someone to Acme</h1>"));
}
