//! Sign-in through a real OpenID provider (npm `oidc-provider`, started by `scripts/test.sh` at
//! `ADBOARD_TEST_OIDC_ISSUER`): its login and consent forms are filled in like a browser would.

use reqwest::StatusCode;

use crate::helpers::{SESSION_KEY_HEX, browser, location, spawn_app};

fn issuer() -> String {
    std::env::var("ADBOARD_TEST_OIDC_ISSUER").expect(
        "ADBOARD_TEST_OIDC_ISSUER must point at the oidc-provider that scripts/test.sh starts \
         (node scripts/node/oidc-provider.mjs); this test is never skipped",
    )
}

/// The `action` of the first form on a page.
fn form_action(html: &str) -> String {
    let form = &html[html.find("<form").expect("a form on the provider page")..];
    let start = form.find("action=\"").expect("form action") + "action=\"".len();
    form[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
}

/// The form's hidden inputs (name, value), as a browser would submit them.
fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let form = &html[html.find("<form").unwrap()..];
    let form = &form[..form.find("</form>").unwrap_or(form.len())];
    form.split("<input")
        .skip(1)
        .filter(|input| input.contains("type=\"hidden\""))
        .filter_map(|input| {
            let attr = |name: &str| {
                let marker = format!("{name}=\"");
                input.find(&marker).map(|i| {
                    input[i + marker.len()..]
                        .split('"')
                        .next()
                        .unwrap()
                        .to_owned()
                })
            };
            Some((attr("name")?, attr("value").unwrap_or_default()))
        })
        .collect()
}

fn absolute(base: &str, location: &str) -> String {
    url::Url::parse(base)
        .unwrap()
        .join(location)
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_user_signs_in_through_a_real_openid_provider() {
    let issuer = issuer();
    let app = spawn_app(
        &[
            ("OIDC_ISSUER_URL", issuer.as_str()),
            ("OIDC_CLIENT_ID", "adboard-test"),
            ("OIDC_CLIENT_SECRET", "adboard-test-secret"),
            ("SESSION_KEY", SESSION_KEY_HEX),
        ],
        None,
    )
    .await;
    let mut url = app.start_login("oidc", Some("/profile")).await;
    assert!(
        url.starts_with(&issuer),
        "redirected to the provider: {url}"
    );

    let (provider_browser, _jar) = browser();
    let mut callback = None;
    for _step in 0..12 {
        let response = provider_browser.get(&url).send().await.unwrap();
        if response.status().is_redirection() {
            let next = absolute(&url, &location(&response));
            if next.starts_with(&app.url) {
                callback = Some(next);
                break;
            }
            url = next;
            continue;
        }
        assert_eq!(response.status(), StatusCode::OK, "provider page {url}");
        let page = response.text().await.unwrap();
        let action = absolute(&url, &form_action(&page));
        let mut form = hidden_inputs(&page);
        if page.contains("name=\"login\"") {
            form.push(("login".into(), "alice".into()));
            form.push(("password".into(), "any".into()));
        }
        let submitted = provider_browser
            .post(&action)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(
            submitted.status().is_redirection(),
            "form at {action} answered {}",
            submitted.status()
        );
        url = absolute(&action, &location(&submitted));
        if url.starts_with(&app.url) {
            callback = Some(url.clone());
            break;
        }
    }
    let callback = callback.expect("the provider sent the browser back to the app");
    let response = app.follow(&callback).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "callback accepted"
    );
    assert_eq!(location(&response), "/profile");
    let profile = app.get_profile().await;
    assert_eq!(profile.status(), StatusCode::OK);
    let page = profile.text().await.unwrap();
    assert!(page.contains("alice@example.test"), "{page}");
}
