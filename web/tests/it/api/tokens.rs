//! API tokens: `/api/logout` revokes the one it carries, the profile lists and revokes them, and
//! a run of wrong bearer tokens from one address is rate limited.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{ALICE_FB, ApiWorld, error_code};
use crate::helpers::{Backend, csrf_from};
use crate::on_both_backends;

on_both_backends!(logout_revokes_the_token_and_only_that_token);

async fn logout_revokes_the_token_and_only_that_token(backend: Backend) {
    let world = ApiWorld::new(backend).await;
    let alice = world.seed_facebook_user("Alice", ALICE_FB).await;
    let phone = world.api_token("alice").await;
    let tablet = world.api_token("alice").await;
    assert_ne!(phone, tablet);

    let out = world.post("/api/logout", Some(&phone), &json!({})).await;
    assert_eq!(out.status(), StatusCode::OK);
    assert_eq!(out.json::<Value>().await.unwrap(), json!({"success": true}));
    let (status, code, _) = error_code(world.get("/api/me", Some(&phone)).await).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"));
    let (status, code, _) =
        error_code(world.post("/api/logout", Some(&phone), &json!({})).await).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"), "twice");
    assert_eq!(
        world.get("/api/me", Some(&tablet)).await.status(),
        StatusCode::OK
    );
    assert_eq!(world.store.list_api_tokens(alice).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_hundred_wrong_bearer_tokens_in_a_row_are_rate_limited() {
    let world = ApiWorld::new(Backend::Sqlite).await;
    world.seed_facebook_user("Alice", ALICE_FB).await;
    let good = world.api_token("alice").await;
    let mut statuses = Vec::new();
    for i in 0..100 {
        // Well-formed guesses (they reach the store) and malformed ones alike.
        let guess = if i % 2 == 0 {
            format!("adb_{}", "A".repeat(42) + &(i % 10).to_string())
        } else {
            format!("garbage-{i}")
        };
        let response = world.get("/api/me", Some(&guess)).await;
        statuses.push(response.status().as_u16());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let retry: u64 = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&retry));
            let (_, code, _) = error_code(response).await;
            assert_eq!(code, "rate_limited");
        }
    }
    assert!(statuses[..10].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
    // While limited, even a good token from this address waits (nothing is looked up).
    assert_eq!(
        world.get("/api/me", Some(&good)).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // ... and so do provider tokens at /api/auth.
    let auth = world
        .post(
            "/api/auth/facebook",
            None,
            &json!({"access_token": world.facebook_token("alice")}),
        )
        .await;
    assert_eq!(auth.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_profile_lists_api_tokens_and_revoking_one_signs_that_app_out() {
    let world = ApiWorld::new(Backend::Sqlite).await;
    world.seed_facebook_user("Alice", ALICE_FB).await;
    let token = world
        .http
        .post(format!("{}/api/auth/facebook", world.app.url))
        .header("user-agent", "AdboardPhone/1.0 (iOS)")
        .json(&json!({"access_token": world.facebook_token("alice")}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Alice's browser, signed in on the web with the same Facebook account.
    let browser = &world.app;
    let signed_in = world.sign_in_browser("facebook", "alice").await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);

    let page = browser.get_profile().await.text().await.unwrap();
    assert!(page.contains("Facebook · AdboardPhone"), "{page}");
    assert!(!page.contains(&token), "the profile never shows a token");
    let marker = "name=\"token\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    let id = page[start..].split('"').next().unwrap().to_owned();
    let csrf = csrf_from(&page);

    let revoked = browser
        .client
        .post(format!("{}/profile/api-tokens/revoke", browser.url))
        .form(&[("csrf_token", csrf.as_str()), ("token", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        world.get("/api/me", Some(&token)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let page = browser.get_profile().await.text().await.unwrap();
    assert!(page.contains("API token revoked"));
    assert!(page.contains("No app is signed in"));

    // Another user's (or a made-up) id is a 404, and without the CSRF token a 403.
    let again = browser
        .client
        .post(format!("{}/profile/api-tokens/revoke", browser.url))
        .form(&[("csrf_token", csrf.as_str()), ("token", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    let forged = browser
        .client
        .post(format!("{}/profile/api-tokens/revoke", browser.url))
        .form(&[("token", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_user_keeps_at_most_fifty_tokens_and_the_least_recently_used_goes_first() {
    use adboard_store::{ApiTokenHash, ApiTokenRecord};

    let world = ApiWorld::new(Backend::Sqlite).await;
    let alice = world.seed_facebook_user("Alice", ALICE_FB).await;
    let mut oldest = None;
    for i in 0..50 {
        let mut record =
            ApiTokenRecord::new(alice, ApiTokenHash::of(&format!("seeded-{i}")), "old");
        record.last_used_at -= chrono::Duration::days(60 - i64::from(i));
        if i == 0 {
            oldest = Some(record.id.clone());
        }
        world.store.create_api_token(&record).await.unwrap();
    }
    let fresh = world.api_token("alice").await;
    let tokens = world.store.list_api_tokens(alice).await.unwrap();
    assert_eq!(tokens.len(), 50);
    assert!(
        tokens.iter().all(|t| Some(&t.id) != oldest.as_ref()),
        "the least recently used went"
    );
    assert_eq!(
        world.get("/api/me", Some(&fresh)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_address_has_its_own_budget() {
    let world = ApiWorld::with(Backend::Sqlite, &[("TRUST_X_FORWARDED_FOR", "true")]).await;
    let wrong = |client: &'static str| {
        world
            .http
            .get(format!("{}/api/me", world.app.url))
            .bearer_auth("adb_wrong")
            // The proxy appends the real address; what the client put first is not believed.
            .header("x-forwarded-for", format!("10.9.9.9, {client}"))
            .send()
    };
    for _ in 0..10 {
        assert_eq!(wrong("203.0.113.1").await.unwrap().status(), 401);
    }
    assert_eq!(wrong("203.0.113.1").await.unwrap().status(), 429);
    assert_eq!(
        wrong("203.0.113.2").await.unwrap().status(),
        401,
        "another client is not limited"
    );
}
