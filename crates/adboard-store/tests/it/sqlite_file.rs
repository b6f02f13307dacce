//! SQLite only: the file, its migrations and its pragmas.

use adboard_store::{StoreError, StoreUrl};

use crate::support::{identity, new_user};

#[tokio::test]
async fn reopening_a_database_keeps_its_data_and_does_not_reapply_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("a/b/adboard.db").display());
    let first = adboard_store::open(&url).await.unwrap();
    let ann = first
        .create_user_with_identity(new_user("ann"), identity("ann"))
        .await
        .unwrap();
    drop(first);

    let reopened = adboard_store::open(&url).await.unwrap();

    assert_eq!(reopened.get_user(ann.id).await.unwrap(), Some(ann));
    let conn = rusqlite::Connection::open(dir.path().join("a/b/adboard.db")).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!((version, mode.as_str()), (7, "wal"));
}

#[tokio::test]
async fn a_database_from_a_newer_build_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("adboard.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();

    let opened = adboard_store::open(&format!("sqlite://{}", path.display())).await;

    assert!(matches!(opened, Err(StoreError::Backend(_))), "{opened:?}");
}

#[tokio::test]
async fn an_unknown_store_url_scheme_is_refused() {
    let opened = adboard_store::open("postgres://localhost/adboard").await;
    assert!(
        matches!(opened, Err(StoreError::InvalidUrl(_))),
        "{opened:?}"
    );
    assert_eq!(
        StoreUrl::parse(adboard_store::DEFAULT_STORE_URL).unwrap(),
        StoreUrl::Sqlite("data/adboard.db".into())
    );
}
