//! Connectors against the real app in sandbox mode, with the in-process sandbox as Facebook: the
//! owner's connect / cancel / reconnect / disconnect flows, the account picker, token health,
//! every bad input of the issue, races on both backends, and where the token must never appear.
//! The test opens the app's own store (same `STORE_URL`, same `TOKEN_ENCRYPTION_KEY`) to look at
//! what was stored.

mod bad_input;
mod flows;
mod races;
mod secrets;

use std::sync::Arc;

use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;
use adboard_store::{Connector, Store, TokenKeyring};
use reqwest::{Response, StatusCode};
use secrecy::{ExposeSecret as _, SecretString};

use crate::helpers::{
    Backend, TOKEN_KEY_B64, TestApp, browser, fresh_dynamodb_store_url, location, spawn_app,
};
use crate::sandbox::sign_in;
use crate::teams::{create_team, post};

/// A signed-in owner (alice) with a selected team, and a view into the app's store.
pub struct World {
    pub app: TestApp,
    pub store: Arc<dyn Store>,
    pub keyring: TokenKeyring,
    pub team: TeamId,
    pub store_url: String,
    _dir: tempfile::TempDir,
}

pub async fn world(backend: Backend) -> World {
    world_with(backend, &[]).await
}

/// The world with extra environment for the app.
pub async fn world_with(backend: Backend, vars: &[(&str, &str)]) -> World {
    let dir = tempfile::tempdir().unwrap();
    let store_url = match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("adboard.db").display()),
        Backend::DynamoDb => fresh_dynamodb_store_url().await,
    };
    let mut all = vec![
        ("STORE_URL", store_url.as_str()),
        ("TOKEN_ENCRYPTION_KEY", TOKEN_KEY_B64),
    ];
    all.extend_from_slice(vars);
    let app = spawn_app(&all, None).await;
    let signed_in = sign_in(&app, "sandbox", "alice", None).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "alice signs in");
    let team = create_team(&app, "Alice Shoes").await;
    select(&app, &team).await;
    World {
        store: adboard_store::open(&store_url).await.unwrap(),
        keyring: TokenKeyring::from_base64(&SecretString::from(TOKEN_KEY_B64), &[]).unwrap(),
        team: TeamId::parse(&team).unwrap(),
        app,
        store_url,
        _dir: dir,
    }
}

/// Opens the team page, which makes it the browser's selected team.
pub async fn select(app: &TestApp, team: &str) {
    let page = app.get(&format!("/teams/{team}")).await;
    assert_eq!(page.status(), StatusCode::OK, "team page of {team}");
}

/// At the sandbox's Facebook dialog `url`, submits `fields` (besides the dialog's request id);
/// returns where the sandbox sends the browser.
pub async fn answer_dialog(url: &str, fields: &[(&str, &str)]) -> String {
    let (client, _jar) = browser();
    let page = client.get(url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the Facebook dialog opens");
    let html = page.text().await.unwrap();
    let marker = "name=\"request\" value=\"";
    let start = html.find(marker).expect("the dialog form") + marker.len();
    let request = html[start..].split('"').next().unwrap().to_owned();
    let mut form = vec![("request", request.as_str())];
    form.extend_from_slice(fields);
    // The dialog's form posts to its path, like a browser: the query stays behind.
    let action = url.split('?').next().unwrap();
    let response = client.post(action).form(&form).send().await.unwrap();
    assert!(response.status().is_redirection(), "the dialog redirects");
    location(&response)
}

/// The user continuing at the dialog, granting everything.
pub const CONTINUE: &[(&str, &str)] = &[("user", "alice"), ("action", "continue")];

impl World {
    /// Presses CONNECT (or Reconnect): the dialog URL the app redirects to.
    pub async fn start_connect(&self) -> String {
        start_connect(&self.app).await
    }

    /// A whole connection: CONNECT → the dialog answered with `fields` → the callback's response.
    pub async fn connect_with(&self, fields: &[(&str, &str)]) -> Response {
        let dialog = self.start_connect().await;
        let callback = answer_dialog(&dialog, fields).await;
        assert!(
            callback.starts_with(&format!("{}/connectors/facebook/callback?", self.app.url)),
            "{callback}"
        );
        self.app.follow(&callback).await
    }

    /// Connects, asserting it worked.
    pub async fn connect(&self) -> Connector {
        let response = self.connect_with(CONTINUE).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/connectors/facebook/accounts");
        self.connector().await.expect("a connector was stored")
    }

    pub async fn connector(&self) -> Option<Connector> {
        self.store
            .get_connector(self.team, Platform::Facebook)
            .await
            .unwrap()
    }

    /// The stored token, opened with the app's key.
    pub fn token(&self, connector: &Connector) -> String {
        connector
            .open_token(&self.keyring)
            .unwrap()
            .expose_secret()
            .to_owned()
    }

    /// `GET {sandbox}/me` with `token`: the HTTP status Facebook answers.
    pub async fn sandbox_me_status(&self, token: &str) -> StatusCode {
        let sandbox = self.app.sandbox_url.as_deref().unwrap();
        browser()
            .0
            .get(format!("{sandbox}/v26.0/me"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
    }

    pub async fn page(&self, path: &str) -> String {
        let response = self.app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.text().await.unwrap()
    }
}

/// Presses CONNECT in `app`'s browser: the dialog URL the app redirects to.
pub async fn start_connect(app: &TestApp) -> String {
    let response = post(app, "/connectors/facebook", &[]).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "CONNECT redirects"
    );
    let dialog = location(&response);
    assert!(
        dialog.starts_with(app.sandbox_url.as_deref().unwrap()),
        "{dialog}"
    );
    dialog
}
