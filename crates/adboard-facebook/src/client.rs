//! `GraphClient`: the typed Graph API calls Adboard makes (accounts, insights, tokens, permissions).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use adboard_domain::ads::AdAccountId;
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use thread_local::ThreadLocal;
use tracing::instrument;

use crate::accounts::{AccessToken, AdAccount, Profile, TokenInfo};
use crate::error::ErrorKind;
use crate::insights::{DailyInsight, InsightsQuery};
use crate::transport::{Call, decode};
use crate::wire::{AccessTokenWire, AdAccountWire, DebugTokenWire, InsightRowWire, MeWire};
use crate::{GraphError, Settings};

const ACCOUNT_FIELDS: &str = "account_id,name,currency,timezone_name,account_status";

/// A cheap-to-clone Graph API client sharing one connection pool (or one per thread: see
/// [`GraphClient::with_pool_per_thread`]).
#[derive(Debug, Clone)]
pub struct GraphClient {
    http: Pool,
    pub(crate) settings: Arc<Settings>,
    pub(crate) calls: Arc<AtomicU64>,
}

/// Where the HTTP connections live.
#[derive(Debug, Clone)]
enum Pool {
    /// One pool for every thread (right for a multi-threaded runtime, e.g. the Lambda's).
    Shared(reqwest::Client),
    /// One pool per thread, each built on the thread's first call.
    PerThread(Arc<ThreadLocal<reqwest::Client>>),
}

impl GraphClient {
    pub fn new(settings: Settings) -> Result<Self, GraphError> {
        Ok(Self {
            http: Pool::Shared(http_client(&settings)?),
            settings: Arc::new(settings),
            calls: Arc::new(AtomicU64::new(0)),
        })
    }

    /// The same client with one connection pool per thread, for a server that runs one
    /// single-threaded runtime per thread (actix-web's workers). A pooled connection is driven by
    /// a task on the runtime that opened it, so with a shared pool one worker's Graph calls wait
    /// for another worker's thread to get round to them, and every call wakes a second thread.
    pub fn with_pool_per_thread(self) -> Self {
        Self {
            http: Pool::PerThread(Arc::new(ThreadLocal::new())),
            ..self
        }
    }

    /// The HTTP client for this thread.
    pub(crate) fn http(&self) -> Result<&reqwest::Client, GraphError> {
        match &self.http {
            Pool::Shared(client) => Ok(client),
            Pool::PerThread(clients) => clients.get_or_try(|| http_client(&self.settings)),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// HTTP attempts made by this client (and its clones) so far, retries and pages included.
    pub fn graph_calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// `GET /act_{id}` with name, currency, timezone and status.
    #[instrument(skip_all, fields(account.id = %account))]
    pub async fn ad_account(
        &self,
        token: &SecretString,
        account: &AdAccountId,
    ) -> Result<AdAccount, GraphError> {
        let call = Call::get(account.graph_node(), Some(token))
            .query([("fields".into(), ACCOUNT_FIELDS.into())]);
        let wire: AdAccountWire = decode(&self.send(&call).await?.body)?;
        AdAccount::try_from(wire)
    }

    /// `GET /me/adaccounts`, every page.
    #[instrument(skip_all)]
    pub async fn my_ad_accounts(&self, token: &SecretString) -> Result<Vec<AdAccount>, GraphError> {
        let call = Call::get("me/adaccounts", Some(token)).query([
            ("fields".into(), ACCOUNT_FIELDS.into()),
            ("limit".into(), "100".into()),
        ]);
        let rows: Vec<AdAccountWire> = self.get_all_pages(call).await?;
        rows.into_iter().map(AdAccount::try_from).collect()
    }

    /// Daily account-level insights: one sync request with a page big enough for the range;
    /// when Facebook says the report is too big, or the sync request times out, an async report
    /// run instead.
    #[instrument(skip_all, fields(account.id = %query.account, range.days = query.range.len_days()))]
    pub async fn daily_insights(
        &self,
        token: &SecretString,
        query: &InsightsQuery,
    ) -> Result<Vec<DailyInsight>, GraphError> {
        match self.daily_insights_sync(token, query).await {
            Err(e) if e.kind() == ErrorKind::TooMuchData || matches!(e, GraphError::Timeout) => {
                tracing::info!("sync insights too large or slow; using an async report run");
                self.daily_insights_async(token, query).await
            }
            other => other,
        }
    }

    /// Sync `GET /act_{id}/insights`, following `paging.next` to the end.
    pub async fn daily_insights_sync(
        &self,
        token: &SecretString,
        query: &InsightsQuery,
    ) -> Result<Vec<DailyInsight>, GraphError> {
        let limit = query.page_limit(self.settings.page_limit);
        let call = Call::get(
            format!("{}/insights", query.account.graph_node()),
            Some(token),
        )
        .query(query.params())
        .query([("limit".into(), limit.to_string())]);
        let rows: Vec<InsightRowWire> = self.get_all_pages(call).await?;
        rows.into_iter().map(DailyInsight::try_from).collect()
    }

    /// `GET /debug_token?input_token=…` with the app token (`app_id|app_secret`).
    #[instrument(skip_all)]
    pub async fn debug_token(&self, input_token: &SecretString) -> Result<TokenInfo, GraphError> {
        let app_token = self.app_token()?;
        let call = Call::get("debug_token", Some(&app_token))
            .query([("input_token".into(), input_token.expose_secret().to_owned())]);
        let wire: DebugTokenWire = decode(&self.send(&call).await?.body)?;
        Ok(TokenInfo::from(wire.data))
    }

    /// Exchanges a Login-dialog `code` for a (short-lived) user token, with the PKCE verifier when
    /// the dialog was opened with a challenge. Sent as a form body so the code and client secret
    /// never sit in a URL.
    #[instrument(skip_all)]
    pub async fn exchange_code(
        &self,
        code: &SecretString,
        redirect_uri: &str,
        pkce_verifier: Option<&SecretString>,
    ) -> Result<AccessToken, GraphError> {
        let (app_id, secret) = self.app_credentials()?;
        let mut form = vec![
            ("client_id".into(), app_id),
            ("client_secret".into(), secret),
            ("redirect_uri".into(), redirect_uri.to_owned()),
            ("code".into(), code.expose_secret().to_owned()),
        ];
        if let Some(verifier) = pkce_verifier {
            form.push(("code_verifier".into(), verifier.expose_secret().to_owned()));
        }
        self.token_endpoint(form).await
    }

    /// `GET /me?fields=id,name,email`: who the token belongs to.
    #[instrument(skip_all)]
    pub async fn me(&self, token: &SecretString) -> Result<Profile, GraphError> {
        let call = Call::get("me", Some(token)).query([("fields".into(), "id,name,email".into())]);
        let wire: MeWire = decode(&self.send(&call).await?.body)?;
        Profile::try_from(wire)
    }

    /// Exchanges a short-lived user token for a long-lived one (`grant_type=fb_exchange_token`).
    #[instrument(skip_all)]
    pub async fn exchange_long_lived(
        &self,
        token: &SecretString,
    ) -> Result<AccessToken, GraphError> {
        let (app_id, secret) = self.app_credentials()?;
        self.token_endpoint(vec![
            ("grant_type".into(), "fb_exchange_token".into()),
            ("client_id".into(), app_id),
            ("client_secret".into(), secret),
            ("fb_exchange_token".into(), token.expose_secret().to_owned()),
        ])
        .await
    }

    /// `DELETE /me/permissions`: revokes the app's access. True when Facebook confirms.
    #[instrument(skip_all)]
    pub async fn revoke_permissions(&self, token: &SecretString) -> Result<bool, GraphError> {
        let call = Call {
            method: Method::DELETE,
            ..Call::get("me/permissions", Some(token))
        };
        let body: serde_json::Value = decode(&self.send(&call).await?.body)?;
        Ok(body
            .as_bool()
            .or_else(|| body.get("success").and_then(serde_json::Value::as_bool))
            .unwrap_or(false))
    }

    async fn token_endpoint(&self, form: Vec<(String, String)>) -> Result<AccessToken, GraphError> {
        let call = Call {
            method: Method::POST,
            form: Some(form),
            ..Call::get("oauth/access_token", None)
        };
        let wire: AccessTokenWire = decode(&self.send(&call).await?.body)?;
        Ok(AccessToken::from(wire))
    }

    fn app_credentials(&self) -> Result<(String, String), GraphError> {
        match (&self.settings.app_id, &self.settings.app_secret) {
            (Some(id), Some(secret)) => Ok((id.clone(), secret.expose_secret().to_owned())),
            _ => Err(GraphError::Config(
                "FACEBOOK_APP_ID and FACEBOOK_APP_SECRET are required".into(),
            )),
        }
    }

    fn app_token(&self) -> Result<SecretString, GraphError> {
        let (id, secret) = self.app_credentials()?;
        Ok(SecretString::from(format!("{id}|{secret}")))
    }
}

fn http_client(settings: &Settings) -> Result<reqwest::Client, GraphError> {
    reqwest::Client::builder()
        .timeout(settings.request_timeout)
        .connect_timeout(settings.connect_timeout)
        // A server that accepts and then goes quiet fails a read long before the whole call's
        // budget (a sync insights call may legitimately take most of `request_timeout`).
        .read_timeout(settings.request_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("adboard/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| GraphError::Config(e.without_url().to_string()))
}
