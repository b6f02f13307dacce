//! A token's plaintext never reaches storage: the SQLite files' bytes and a DynamoDB Scan of the
//! whole table hold its ciphertext, and not one copy of the token.

use adboard_domain::connector::Platform::Facebook;
use adboard_store::Connector;

use crate::support::{TestStore, connector, dynamodb_with_client, keyring, team_with, user};

const TOKEN: &str = "EAAB-plaintext-canary-7f3a9c";

/// How many times `needle` occurs in `haystack`.
fn hits(haystack: &[u8], needle: &str) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle.as_bytes())
        .count()
}

/// Connects a team with [`TOKEN`], reconnects it with the same token and reads the team page (so
/// a SQLite WAL holds several versions of the row); returns the connector as last stored.
async fn connect_and_reconnect(store: &TestStore) -> Connector {
    let ann = user(store, "ann").await;
    let team = team_with(store, &ann, &[]).await;
    let keys = keyring(1);
    for _ in 0..2 {
        store
            .put_connector(connector(team.id, &ann, &keys, TOKEN))
            .await
            .unwrap();
    }
    let page = store.team_page(team.id).await.unwrap().unwrap();
    page.connector(Facebook).unwrap().clone()
}

#[tokio::test]
async fn the_sqlite_files_hold_the_sealed_token_and_never_its_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("adboard.db").display());
    let store = TestStore::from(adboard_store::open(&url).await.unwrap());
    let stored = connect_and_reconnect(&store).await;

    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }

    assert_eq!(hits(&bytes, TOKEN), 0, "the plaintext token is on disk");
    assert!(
        hits(&bytes, &stored.token.ciphertext) > 0,
        "the scan sees rows"
    );
}

#[tokio::test]
async fn a_dynamodb_scan_holds_the_sealed_token_and_never_its_plaintext() {
    let (store, client, table) = dynamodb_with_client().await;
    let stored = connect_and_reconnect(&store).await;

    let mut dump = String::new();
    let mut start = None;
    loop {
        let out = client
            .scan()
            .table_name(&table)
            .set_exclusive_start_key(start)
            .send()
            .await
            .unwrap();
        dump.push_str(&format!("{:?}", out.items()));
        start = out.last_evaluated_key;
        if start.is_none() {
            break;
        }
    }

    assert_eq!(
        hits(dump.as_bytes(), TOKEN),
        0,
        "the plaintext token is stored"
    );
    assert!(
        hits(dump.as_bytes(), &stored.token.ciphertext) > 0,
        "the scan sees items"
    );
}
