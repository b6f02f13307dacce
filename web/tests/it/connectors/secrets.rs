//! The connector token's plaintext appears nowhere but in the Graph calls: not in the SQLite
//! file, not in a DynamoDB scan, not in any page the owner sees, not in the log.

use adboard_domain::connector::Platform;
use reqwest::StatusCode;

use super::world;
use crate::helpers::Backend;
use crate::on_both_backends;
use crate::teams::post;

on_both_backends!(the_token_is_never_stored_shown_or_logged_in_plaintext);

async fn the_token_is_never_stored_shown_or_logged_in_plaintext(backend: Backend) {
    let log = crate::logs::captured();
    let world = world(backend).await;
    let connector = world.connect().await;
    let token = world.token(&connector);
    assert!(token.len() > 20, "a real token");
    let chosen = post(
        &world.app,
        "/connectors/facebook/accounts",
        &[("account_id", "1234567890")],
    )
    .await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);

    let team_page = format!("/teams/{}", world.team);
    for path in [
        "/",
        "/connectors",
        "/connectors/facebook/accounts",
        team_page.as_str(),
        "/teams",
        "/profile",
    ] {
        let page = world.page(path).await;
        assert!(!page.contains(&token), "{path} shows the token");
    }
    let at_rest = match backend {
        Backend::Sqlite => {
            let file = world.store_url.strip_prefix("sqlite://").unwrap();
            let mut bytes = std::fs::read(file).unwrap();
            bytes.extend(std::fs::read(format!("{file}-wal")).unwrap_or_default());
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Backend::DynamoDb => {
            let table = world.store_url.strip_prefix("dynamodb://").unwrap();
            let store = adboard_store::dynamodb::DynamoStore::from_env(table).await;
            let scan = store
                .client()
                .scan()
                .table_name(table)
                .send()
                .await
                .unwrap();
            format!("{:?}", scan.items())
        }
    };
    assert!(
        at_rest.contains(&connector.token.ciphertext),
        "the scan sees the stored connector"
    );
    assert!(
        !at_rest.contains(&token),
        "the token is stored in plaintext"
    );
    world
        .store
        .delete_connector(world.team, Platform::Facebook)
        .await
        .unwrap();
    let logged = String::from_utf8_lossy(&log.0.lock().unwrap()).into_owned();
    assert!(!logged.is_empty(), "the log was captured");
    assert!(!logged.contains(&token), "the log shows the token");
}
