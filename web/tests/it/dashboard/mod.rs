//! The dashboard against the real app: a team connected directly through the store (a token
//! minted by an in-process sandbox, sealed with the app's `TOKEN_ENCRYPTION_KEY`), members signed
//! in through the mock OpenID provider, and the function called in-process or over HTTP.

mod access;
mod bad_input;
mod data;
mod function_errors;

use std::sync::Arc;

use adboard_domain::account::EmailAddress;
use adboard_domain::ads::{AdAccountId, ConversionEvent};
use adboard_domain::connector::Platform;
use adboard_domain::team::{TeamId, TeamName};
use adboard_sandbox::{RunningSandbox, SandboxConfig};
use adboard_store::{
    ConnectedAccount, Connector, ConnectorHealth, Store, TeamSettings, TokenKeyring,
    connector_context,
};
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::Value;

use crate::helpers::{SESSION_KEY_HEX, TOKEN_KEY_B64, TestApp, spawn_app};
use crate::mock_oidc::{CLIENT_ID, CLIENT_SECRET, MockOidc};
use crate::teams::{accept, browser_as, create_team, invite};

/// Alice's EUR account in Europe/Berlin.
pub const ACCOUNT: &str = "1234567890";

/// An app whose Graph API is an in-process sandbox, a team "Acme Shoes" with an OWNER, an ADMIN, a
/// READ member and a signed-in outsider, and the app's store opened beside it.
pub struct World {
    pub sandbox: RunningSandbox,
    pub store: Arc<dyn Store>,
    pub keyring: TokenKeyring,
    pub owner: TestApp,
    pub admin: TestApp,
    pub read: TestApp,
    pub outsider: TestApp,
    pub team: String,
    _mock: MockOidc,
    _dir: tempfile::TempDir,
}

impl World {
    pub async fn new() -> Self {
        Self::with(&[]).await
    }

    /// The same with extra app settings (`FUNCTION_URL`, `DASHBOARD_CACHE_SECONDS`, …).
    pub async fn with(vars: &[(&str, &str)]) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let sandbox = adboard_sandbox::spawn(listener, SandboxConfig::default())
            .await
            .unwrap();
        let mock = MockOidc::start().await;
        let dir = tempfile::tempdir().unwrap();
        let store_url = format!("sqlite://{}", dir.path().join("adboard.db").display());
        let issuer = mock.issuer();
        let mut all: Vec<(&str, &str)> = vec![
            ("OIDC_ISSUER_URL", &issuer),
            ("OIDC_CLIENT_ID", CLIENT_ID),
            ("OIDC_CLIENT_SECRET", CLIENT_SECRET),
            ("SESSION_KEY", SESSION_KEY_HEX),
            ("TOKEN_ENCRYPTION_KEY", TOKEN_KEY_B64),
            ("FACEBOOK_GRAPH_URL", &sandbox.base_url),
            ("STORE_URL", &store_url),
        ];
        all.extend_from_slice(vars);
        let app = spawn_app(&all, None).await;
        let owner = browser_as(&app, &mock, "owner").await;
        let admin = browser_as(&app, &mock, "admin").await;
        let read = browser_as(&app, &mock, "read").await;
        let outsider = browser_as(&app, &mock, "outsider").await;
        let team = create_team(&owner, "Acme Shoes").await;
        for (who, role, browser) in [("admin", "ADMIN", &admin), ("read", "READ", &read)] {
            let response = invite(&owner, &team, &format!("{who}@example.test"), role).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{who} invited");
            let accepted = accept(browser, &team).await;
            assert_eq!(accepted.status(), StatusCode::SEE_OTHER, "{who} accepts");
        }
        let store = adboard_store::open(&store_url).await.unwrap();
        let keyring = TokenKeyring::from_base64(&SecretString::from(TOKEN_KEY_B64), &[]).unwrap();
        Self {
            sandbox,
            store,
            keyring,
            owner,
            admin,
            read,
            outsider,
            team,
            _mock: mock,
            _dir: dir,
        }
    }

    pub fn team_id(&self) -> TeamId {
        TeamId::parse(&self.team).unwrap()
    }

    /// A fresh long-lived token for Alice from the sandbox.
    pub fn alice_token(&self) -> String {
        self.sandbox.user_token("alice").unwrap()
    }

    /// Connects the team with `token` (Alice's account picked, as the connectors page records it).
    pub async fn connect_with(&self, token: &str) -> Connector {
        let team = self.team_id();
        let owner = self
            .store
            .find_user_by_email(&EmailAddress::parse("owner@example.test").unwrap())
            .await
            .unwrap()
            .unwrap();
        let sealed = self
            .keyring
            .seal(
                &SecretString::from(token.to_owned()),
                &connector_context(team, Platform::Facebook),
            )
            .unwrap();
        let now = Utc::now();
        self.store
            .put_connector(Connector {
                team,
                platform: Platform::Facebook,
                token: sealed,
                external_user_id: "100000000000001".into(),
                external_user_name: "Alice Sandbox".into(),
                scopes: vec!["ads_read".into()],
                expires_at: Some(now + Duration::days(60)),
                data_access_expires_at: Some(now + Duration::days(90)),
                connected_by: owner.id,
                connected_at: now,
                account: Some(ConnectedAccount {
                    id: AdAccountId::parse(ACCOUNT).unwrap(),
                    name: "Alice Shoes EU".into(),
                    currency: "EUR".into(),
                    timezone: "Europe/Berlin".into(),
                }),
                health: ConnectorHealth::default(),
            })
            .await
            .unwrap()
    }

    /// Sets the team's ad account and conversion event (`None` clears).
    pub async fn set_settings(&self, account: Option<&str>, event: Option<&str>) {
        self.store
            .update_team(
                self.team_id(),
                TeamName::parse("Acme Shoes").unwrap(),
                TeamSettings {
                    ad_account_id: account.map(|a| AdAccountId::parse(a).unwrap()),
                    conversion_event: event.map(|e| ConversionEvent::parse(e).unwrap()),
                },
            )
            .await
            .unwrap();
    }

    /// Connected with a fresh token, account `account`, event `purchase`; returns the token.
    pub async fn ready_with_account(&self, account: &str) -> String {
        let token = self.alice_token();
        self.connect_with(&token).await;
        self.set_settings(Some(account), Some("purchase")).await;
        token
    }

    pub async fn ready(&self) -> String {
        self.ready_with_account(ACCOUNT).await
    }
}

/// `GET path` on this team (the `team` parameter added).
pub async fn get_team(app: &TestApp, team: &str, path: &str, query: &str) -> reqwest::Response {
    let sep = if query.is_empty() { "" } else { "&" };
    app.get(&format!("{path}?team={team}{sep}{query}")).await
}

/// The page's HTML, asserting a 200.
pub async fn page_ok(app: &TestApp, team: &str, query: &str) -> String {
    let response = get_team(app, team, "/dashboard", query).await;
    assert_eq!(response.status(), StatusCode::OK, "GET /dashboard?{query}");
    response.text().await.unwrap()
}

/// `/dashboard/data.json` as JSON with its status.
pub async fn data(app: &TestApp, team: &str, query: &str) -> (StatusCode, Value) {
    let response = get_team(app, team, "/dashboard/data.json", query).await;
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// The `data-value` of the card `key` on a page.
pub fn card_value(html: &str, key: &str) -> String {
    let marker = format!("data-testid=\"card-{key}\" data-value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("card {key}")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The error panel's text, if the page shows one.
pub fn error_panel(html: &str) -> Option<String> {
    let start = html.find("data-testid=\"dashboard-error\"")?;
    let rest = &html[start..];
    let p = rest.find("<p>")? + 3;
    Some(rest[p..p + rest[p..].find("</p>")?].to_owned())
}
