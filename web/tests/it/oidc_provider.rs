//! Sign-in through a real OpenID provider (npm `oidc-provider`, started by `scripts/test.sh` at
//! `ADBOARD_TEST_OIDC_ISSUER`): its login and consent forms are filled in like a browser would.
//! And the JSON API with an access token a phone app got from it (authorization code + PKCE),
//! which the app introspects there.

use base64::Engine as _;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::api::error_code;
use crate::helpers::{SESSION_KEY_HEX, TestApp, browser, location, spawn_app};

/// The client the app is configured as, and "someone else's app" (see oidc-provider.mjs).
const CLIENT: (&str, &str) = ("adboard-test", "adboard-test-secret");
const OTHER_CLIENT: (&str, &str) = ("other-client", "other-client-secret");

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

/// The app configured with the real provider as its generic OpenID provider.
async fn app_at_the_provider() -> TestApp {
    let issuer = issuer();
    spawn_app(
        &[
            ("OIDC_ISSUER_URL", issuer.as_str()),
            ("OIDC_CLIENT_ID", CLIENT.0),
            ("OIDC_CLIENT_SECRET", CLIENT.1),
            ("SESSION_KEY", SESSION_KEY_HEX),
        ],
        None,
    )
    .await
}

/// Walks a fresh browser from the provider's authorize `url` through its login (as `login`) and
/// consent forms until the provider redirects to a URL starting with `back_to`; returns that URL.
async fn through_the_provider(mut url: String, login: &str, back_to: &str) -> String {
    let (provider_browser, _jar) = browser();
    let mut callback = None;
    for _step in 0..12 {
        let response = provider_browser.get(&url).send().await.unwrap();
        if response.status().is_redirection() {
            let next = absolute(&url, &location(&response));
            if next.starts_with(back_to) {
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
            form.push(("login".into(), login.into()));
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
        if url.starts_with(back_to) {
            callback = Some(url.clone());
            break;
        }
    }
    callback.expect("the provider sent the browser back")
}

/// Signs `app`'s browser in on the web as `login`; ends on `/profile`.
async fn sign_in_on_the_web(app: &TestApp, login: &str) {
    let url = app.start_login("oidc", Some("/profile")).await;
    assert!(
        url.starts_with(&issuer()),
        "redirected to the provider: {url}"
    );
    let callback = through_the_provider(url, login, &app.url).await;
    let response = app.follow(&callback).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "callback accepted"
    );
    assert_eq!(location(&response), "/profile");
}

#[tokio::test]
async fn a_user_signs_in_through_a_real_openid_provider() {
    let app = app_at_the_provider().await;
    sign_in_on_the_web(&app, "alice").await;
    let profile = app.get_profile().await;
    assert_eq!(profile.status(), StatusCode::OK);
    let page = profile.text().await.unwrap();
    assert!(page.contains("alice@example.test"), "{page}");
}

/// What a phone app does: an authorization-code flow with PKCE as `client` (login `login`, scopes
/// `openid email profile`), then the code exchanged at the token endpoint; returns the token
/// response (an opaque access token, an id_token).
async fn phone_app_tokens(client: (&str, &str), redirect_uri: &str, login: &str) -> Value {
    let discovery: Value = reqwest::get(format!("{}/.well-known/openid-configuration", issuer()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let verifier = format!("{}-verifier-0123456789-abcdefghijklmnop", client.0);
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    let mut authorize =
        url::Url::parse(discovery["authorization_endpoint"].as_str().unwrap()).unwrap();
    authorize
        .query_pairs_mut()
        .append_pair("client_id", client.0)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", "openid email profile")
        .append_pair("state", "phone-state")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    let back = through_the_provider(authorize.to_string(), login, redirect_uri).await;
    let code = crate::helpers::query_param(&back, "code").expect("a code in the redirect");
    let token = reqwest::Client::new()
        .post(discovery["token_endpoint"].as_str().unwrap())
        .basic_auth(client.0, Some(client.1))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", &verifier),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), StatusCode::OK);
    token.json().await.unwrap()
}

#[tokio::test]
async fn a_phone_apps_access_token_from_a_real_provider_signs_in_and_another_clients_is_refused() {
    let app = app_at_the_provider().await;
    // Bob signs up on the web (the API never creates accounts).
    sign_in_on_the_web(&app, "bob").await;
    let post = |token: String| {
        app.client
            .post(format!("{}/api/auth/oidc", app.url))
            .json(&json!({"access_token": token}))
            .send()
    };

    let ours = phone_app_tokens(CLIENT, "http://127.0.0.1/login/oidc/callback", "bob").await;
    let access_token = ours["access_token"].as_str().unwrap().to_owned();
    assert_eq!(access_token.split('.').count(), 1, "an opaque access token");
    let signed_in = post(access_token.clone()).await.unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    let body: Value = signed_in.json().await.unwrap();
    assert_eq!(body["email"], "bob@example.test");
    assert!(body["token"].as_str().unwrap().starts_with("adb_"));

    let theirs = phone_app_tokens(OTHER_CLIENT, "http://127.0.0.1/other/callback", "bob").await;
    let foreign = theirs["access_token"].as_str().unwrap().to_owned();
    let (status, code, text) = error_code(post(foreign.clone()).await.unwrap()).await;
    assert_eq!((status, code.as_str()), (400, "invalid_token"), "{text}");
    assert!(text.contains("another application"), "{text}");
    assert!(!text.contains(&foreign));

    let (status, code, text) = error_code(post("made-up-token".into()).await.unwrap()).await;
    assert_eq!((status, code.as_str()), (400, "invalid_token"), "{text}");
    assert!(text.contains("not active"), "{text}");
}
