//! Facebook's deauthorize and data-deletion callbacks: a `signed_request` signed with our app
//! secret deletes that Facebook user's identity and the connector tokens they granted; anything
//! replayed, tampered, unsigned, foreign, stale or not HMAC-SHA256 is refused and deletes nothing.

use adboard_domain::connector::Platform;
use base64::Engine as _;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{
    ALICE_FB, APP_SECRET, ApiWorld, BOB_FB, error_code, facebook_key, fresh_payload, signed_request,
};
use crate::helpers::Backend;
use crate::on_both_backends;

on_both_backends!(data_deletion_forgets_the_facebook_user_and_shows_its_status);

async fn data_deletion_forgets_the_facebook_user_and_shows_its_status(backend: Backend) {
    let world = ApiWorld::new(backend).await;
    let alice = world.seed_facebook_user("Alice", ALICE_FB).await;
    let bob = world.seed_facebook_user("Bob", BOB_FB).await;
    // Alice granted the token of Bob's team and of her own; Bob granted his other team's.
    let bobs_team = world.seed_connected_team(bob, ALICE_FB).await;
    let alices_team = world.seed_connected_team(alice, ALICE_FB).await;
    let bobs_other = world.seed_connected_team(bob, BOB_FB).await;
    let alice_token = world.api_token("alice").await;

    let response = world
        .callback(
            "/facebook/data-deletion",
            &signed_request(&fresh_payload(ALICE_FB), APP_SECRET),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let code = body["confirmation_code"].as_str().unwrap().to_owned();
    let url = body["url"].as_str().unwrap();
    assert_eq!(url, format!("{}/data-deletion/{code}", world.app.url));

    let store = &world.store;
    assert!(
        store
            .find_user_by_identity(&facebook_key(ALICE_FB))
            .await
            .unwrap()
            .is_none()
    );
    for team in [bobs_team, alices_team] {
        assert!(
            store
                .get_connector(team, Platform::Facebook)
                .await
                .unwrap()
                .is_none()
        );
    }
    assert!(
        store
            .get_connector(bobs_other, Platform::Facebook)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .find_user_by_identity(&facebook_key(BOB_FB))
            .await
            .unwrap()
            .is_some()
    );
    // Facebook was Alice's only sign-in: her API tokens went with it; her teams stay.
    assert_eq!(
        world.get("/api/me", Some(&alice_token)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(store.get_team(alices_team).await.unwrap().is_some());

    let page = world.http.get(url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Completed"), "{html}");
    assert!(html.contains("1 Facebook sign-in and"), "{html}");
    assert!(
        html.contains("2 Facebook Ads connections deleted"),
        "{html}"
    );
    assert!(!html.contains(ALICE_FB), "the status page names nobody");
    assert!(
        html.contains(">Sign in</a>"),
        "a visitor may sign in from it"
    );
    // Someone signed in keeps their navbar there.
    assert_eq!(
        world.sign_in_browser("facebook", "bob").await.status(),
        StatusCode::SEE_OTHER
    );
    let signed_in = world.app.follow(url).await.text().await.unwrap();
    assert!(signed_in.contains("Sign out") && !signed_in.contains(">Sign in</a>"));

    let unknown = world
        .http
        .get(format!(
            "{}/data-deletion/{}",
            world.app.url,
            "A".repeat(26)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let unknown = unknown.text().await.unwrap();
    assert!(
        unknown.contains("No data-deletion request has this confirmation code")
            && unknown.contains("Deletion request not found"),
        "{unknown}"
    );
    let malformed = world
        .http
        .get(format!("{}/data-deletion/not-a-code", world.app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::NOT_FOUND);
    assert!(
        malformed
            .text()
            .await
            .unwrap()
            .contains("No data-deletion request has this confirmation code")
    );
}

#[tokio::test]
async fn deauthorize_forgets_the_user_but_keeps_an_account_with_another_sign_in() {
    let world = ApiWorld::new(Backend::Sqlite).await;
    let alice = world.seed_facebook_user("Alice", ALICE_FB).await;
    let token = world.api_token("alice").await;
    let (x_token, x_secret) = world.x_token("alice");
    let linked = world
        .post(
            "/api/associate/x",
            Some(&token),
            &json!({"access_token": x_token, "access_token_secret": x_secret}),
        )
        .await;
    assert_eq!(linked.status(), StatusCode::OK);
    let team = world.seed_connected_team(alice, ALICE_FB).await;

    let response = world
        .callback(
            "/facebook/deauthorize",
            &signed_request(&fresh_payload(ALICE_FB), APP_SECRET),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"success": true})
    );
    let identities = world.store.list_identities(alice).await.unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].key.provider.as_str(), "x");
    assert!(
        world
            .store
            .get_connector(team, Platform::Facebook)
            .await
            .unwrap()
            .is_none()
    );
    // She can still get in with X, so her API token keeps working.
    assert_eq!(
        world.get("/api/me", Some(&token)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn replayed_tampered_unsigned_foreign_stale_and_alg_none_requests_delete_nothing() {
    let world = ApiWorld::new(Backend::Sqlite).await;
    let alice = world.seed_facebook_user("Alice", ALICE_FB).await;
    let team = world.seed_connected_team(alice, ALICE_FB).await;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;

    let good = signed_request(&fresh_payload(BOB_FB), APP_SECRET);
    assert_eq!(
        world
            .callback("/facebook/deauthorize", &good)
            .await
            .status(),
        StatusCode::OK
    );
    let (sig, _) = good.split_once('.').unwrap();
    let alice_payload = b64.encode(fresh_payload(ALICE_FB).to_string());
    let mut none = fresh_payload(ALICE_FB);
    none["algorithm"] = json!("none");
    let mut stale = fresh_payload(ALICE_FB);
    stale["issued_at"] = json!(chrono::Utc::now().timestamp() - 3600);
    let mut nobody = fresh_payload(ALICE_FB);
    nobody.as_object_mut().unwrap().remove("user_id");
    let cases = [
        ("replayed", good.clone()),
        (
            "tampered (Bob's signature on Alice's payload)",
            format!("{sig}.{alice_payload}"),
        ),
        ("unsigned", format!(".{alice_payload}")),
        ("no signature part", alice_payload.clone()),
        (
            "signed with another secret",
            signed_request(&fresh_payload(ALICE_FB), "not-our-secret"),
        ),
        ("alg=none", signed_request(&none, APP_SECRET)),
        (
            "alg=none, unsigned",
            format!(".{}", b64.encode(none.to_string())),
        ),
        ("an hour old", signed_request(&stale, APP_SECRET)),
        ("no user", signed_request(&nobody, APP_SECRET)),
        ("empty", String::new()),
    ];
    for path in ["/facebook/deauthorize", "/facebook/data-deletion"] {
        for (what, raw) in &cases {
            let (status, code, text) = error_code(world.callback(path, raw).await).await;
            assert_eq!(
                (status, code.as_str()),
                (400, "bad_request"),
                "{path} {what}: {text}"
            );
            assert!(!text.contains(APP_SECRET));
        }
        let no_field = world
            .http
            .post(format!("{}{path}", world.app.url))
            .form(&[("other", "x")])
            .send()
            .await
            .unwrap();
        let (status, _, _) = error_code(no_field).await;
        assert_eq!(status, 400, "{path} without signed_request");
    }
    assert!(
        world
            .store
            .find_user_by_identity(&facebook_key(ALICE_FB))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        world
            .store
            .get_connector(team, Platform::Facebook)
            .await
            .unwrap()
            .is_some()
    );
}
