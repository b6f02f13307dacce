//! The example smartphone client (`web/examples/mobile_client.rs`) against the app in sandbox
//! mode: the same code a developer runs by hand.

use reqwest::StatusCode;

use crate::helpers::spawn_sandbox_app;

#[allow(dead_code)] // its `main` is for `cargo run --example`
#[path = "../../../examples/mobile_client.rs"]
mod example;

#[tokio::test]
async fn the_example_mobile_client_signs_in_links_x_calls_and_signs_out() {
    let app = spawn_sandbox_app().await;
    let sandbox = app.sandbox_url.clone().unwrap();
    // Before Alice ever signed in on the web, the API knows nobody.
    let refused = example::run(&app.url, &sandbox, "alice").await.unwrap_err();
    assert!(
        format!("{refused:#}").contains("user_not_found"),
        "{refused:#}"
    );

    let web = crate::sandbox::sign_in(&app, "facebook", "alice", None).await;
    assert_eq!(web.status(), StatusCode::SEE_OTHER);
    let report = example::run(&app.url, &sandbox, "alice").await.unwrap();
    assert_eq!(report.username, "Alice Sandbox");
    assert_eq!(report.linked, ["facebook", "x"]);
    assert_eq!(report.after_logout_status, 401);
}
