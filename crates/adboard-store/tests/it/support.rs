//! Backends and fixtures for the contract suite.

use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use adboard_domain::account::{EmailAddress, IdentityKey, Provider};
use adboard_domain::connector::Platform;
use adboard_domain::team::{TeamId, TeamName, TeamRole};
use adboard_store::dynamodb::{DynamoStore, create_table};
use adboard_store::{
    Connector, ConnectorHealth, Identity, NewUser, Store, Team, TeamPage, TokenKeyring, User,
    connector_context,
};
use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{
    BehaviorVersion, ConfigBag, Credentials, Intercept, Region, RuntimeComponents,
};
use chrono::{Duration, Utc};
use secrecy::{ExposeSecret, SecretString};

/// A store under test plus whatever keeps it alive (the temp folder of a SQLite file).
pub struct TestStore {
    store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

/// A store opened by the test itself (e.g. on a file it then inspects).
impl From<Arc<dyn Store>> for TestStore {
    fn from(store: Arc<dyn Store>) -> Self {
        Self { store, _dir: None }
    }
}

impl Deref for TestStore {
    type Target = Arc<dyn Store>;
    fn deref(&self) -> &Self::Target {
        &self.store
    }
}

/// A fresh SQLite file in a nested folder that does not exist yet (proves `open` creates it).
pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}",
        dir.path().join("nested/data/adboard.db").display()
    );
    let store = adboard_store::open(&url).await.unwrap();
    TestStore {
        store,
        _dir: Some(dir),
    }
}

/// A fresh table on the DynamoDB-compatible server the test command started.
pub async fn dynamodb() -> TestStore {
    dynamodb_counted().await.0
}

/// Like [`dynamodb`], plus a counter of the HTTP requests the store sends (retries included).
pub async fn dynamodb_counted() -> (TestStore, Arc<AtomicUsize>) {
    let (store, requests, _, _) = dynamodb_parts().await;
    (store, requests)
}

/// Like [`dynamodb`], plus the client and table name, to look at the raw items.
pub async fn dynamodb_with_client() -> (TestStore, aws_sdk_dynamodb::Client, String) {
    let (store, _, client, table) = dynamodb_parts().await;
    (store, client, table)
}

async fn dynamodb_parts() -> (
    TestStore,
    Arc<AtomicUsize>,
    aws_sdk_dynamodb::Client,
    String,
) {
    let endpoint = std::env::var("ADBOARD_TEST_DYNAMODB_ENDPOINT").unwrap_or_else(|_| {
        panic!(
            "ADBOARD_TEST_DYNAMODB_ENDPOINT is not set: the DynamoDB contract tests need a DynamoDB-compatible \
             server on 127.0.0.1 (scripts/test.sh starts moto and sets it, e.g. http://127.0.0.1:48000)"
        )
    });
    let requests = Arc::new(AtomicUsize::new(0));
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(
            "dummy",
            "dummy",
            None,
            None,
            "adboard-tests",
        ))
        .interceptor(RequestCounter(Arc::clone(&requests)))
        .build();
    let client = aws_sdk_dynamodb::Client::from_conf(config);
    let table = format!("adboard-test-{}", uuid::Uuid::new_v4().simple());
    create_table(&client, &table).await.unwrap();
    requests.store(0, Ordering::SeqCst);
    let store = TestStore {
        store: Arc::new(DynamoStore::new(client.clone(), &table)),
        _dir: None,
    };
    (store, requests, client, table)
}

/// Counts every request just before it goes on the wire.
#[derive(Debug)]
struct RequestCounter(Arc<AtomicUsize>);

impl Intercept for RequestCounter {
    fn name(&self) -> &'static str {
        "RequestCounter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

pub fn email(raw: &str) -> EmailAddress {
    EmailAddress::parse(raw).unwrap()
}

/// A sandbox identity with a unique subject.
pub fn identity(subject: &str) -> Identity {
    Identity {
        key: IdentityKey {
            provider: Provider::Sandbox,
            issuer: "http://127.0.0.1:9/".into(),
            subject: subject.into(),
        },
        email: Some(email(&format!("{subject}@example.com"))),
        linked_at: Utc::now(),
    }
}

pub fn user_name(raw: &str) -> adboard_domain::account::UserName {
    adboard_domain::account::UserName::parse(raw).unwrap()
}

pub fn new_user(name: &str) -> NewUser {
    NewUser {
        name: user_name(name),
        email: Some(email(&format!("{name}@example.com"))),
    }
}

/// Creates a user named `name` signed in with identity `name`.
pub async fn user(store: &TestStore, name: &str) -> User {
    store
        .create_user_with_identity(new_user(name), identity(name))
        .await
        .unwrap()
}

/// The web app's limits (200 members, 200 pending invitations, 100 teams, 24 h cool-down).
pub fn limits() -> adboard_store::Limits {
    adboard_store::Limits {
        team_members: 200,
        team_invitations: 200,
        user_teams: 100,
        reinvite_after: std::time::Duration::from_secs(24 * 60 * 60),
    }
}

pub fn team_name(raw: &str) -> TeamName {
    TeamName::parse(raw).unwrap()
}

/// A team "T" owned by `owner` with `members` added in their roles.
pub async fn team_with(store: &TestStore, owner: &User, members: &[(&User, TeamRole)]) -> Team {
    let team = store.create_team(owner.id, team_name("T")).await.unwrap();
    for (member, role) in members {
        store.add_member(team.id, member.id, *role).await.unwrap();
    }
    team
}

/// `user`'s role in `team`; panics if they are not a member.
pub async fn role_of(store: &TestStore, team: TeamId, user: &User) -> TeamRole {
    store
        .team_for_member(team, user.id)
        .await
        .unwrap()
        .expect("a member of the team")
        .role
}

/// The team page of `team`; panics if the team does not exist.
pub async fn page(store: &TestStore, team: TeamId) -> TeamPage {
    store
        .team_page(team)
        .await
        .unwrap()
        .expect("the team exists")
}

/// A strong test key: 32 distinct bytes (37 is odd, so `i * 37` is a permutation mod 256).
pub fn key(seed: u8) -> Vec<u8> {
    (0..32u8)
        .map(|i| i.wrapping_mul(37).wrapping_add(seed))
        .collect()
}

pub fn keyring(seed: u8) -> TokenKeyring {
    TokenKeyring::new(&key(seed), &[]).unwrap()
}

pub fn secret(raw: &str) -> SecretString {
    SecretString::from(raw.to_owned())
}

/// A Facebook connector for `team`, connected now by `by`, its `token` sealed by `keys`.
pub fn connector(team: TeamId, by: &User, keys: &TokenKeyring, token: &str) -> Connector {
    Connector {
        team,
        platform: Platform::Facebook,
        token: keys
            .seal(&secret(token), &connector_context(team, Platform::Facebook))
            .unwrap(),
        external_user_id: format!("fb-{}", by.name),
        external_user_name: format!("{} on Facebook", by.name),
        scopes: vec!["ads_read".into(), "public_profile".into()],
        expires_at: Some(Utc::now() + Duration::days(60)),
        data_access_expires_at: Some(Utc::now() + Duration::days(90)),
        connected_by: by.id,
        connected_at: Utc::now(),
        account: None,
        health: ConnectorHealth::default(),
    }
}

/// The plaintext of the token stored for `team`'s Facebook connector; panics if none.
pub async fn opened(store: &TestStore, team: TeamId, keys: &TokenKeyring) -> String {
    let stored = store
        .get_connector(team, Platform::Facebook)
        .await
        .unwrap()
        .unwrap();
    stored.open_token(keys).unwrap().expose_secret().to_owned()
}
