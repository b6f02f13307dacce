//! The team dashboard's service, between the handlers and the store/function: which team a
//! request works on, whether that team can show data (connector, its health, ad account and
//! conversion event), the range, both periods fetched concurrently through the function (cached
//! for a short time), and what each failure tells the person. Handlers in `routes::dashboard`
//! only parse the request and render what this returns.

pub mod cache;
pub mod failure;
pub mod function;
pub mod health;
pub mod range;
pub mod series;
pub mod sigv4;
pub mod team;
pub mod view;

pub use failure::{Failure, blocked_error};
pub use team::{managers, owner_name, working_team};

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use actix_session::Session;
use adboard_domain::ads::{AdAccountId, ConversionEvent, DateRange};
use adboard_domain::connector::Platform;
use adboard_facebook::GraphClient;
use adboard_store::{Connector, Member, Store, TeamPage, TokenKeyring};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::error::AppError;
use crate::settings::{FunctionAuth, FunctionSettings};
use cache::{CacheKey, ReportMemo, SeriesCache};
use function::{FetchError, FnCode, FunctionClient, HttpFunction, SeriesRequest};
use range::{RangeChoice, RangeQuery};
use series::Series;

/// A dashboard URL's query: the team (optional: the selected team), the range, and `refresh=1`
/// to bypass the cache.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DashboardQuery {
    pub team: Option<String>,
    pub preset: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub refresh: Option<String>,
}

impl DashboardQuery {
    pub fn range(&self) -> RangeQuery {
        RangeQuery {
            preset: self.preset.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
        }
    }

    pub fn refresh(&self) -> bool {
        matches!(self.refresh.as_deref(), Some("1" | "true" | "yes"))
    }
}

/// "Now", injectable for tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The function client and the cache; one per process, in `AppState`.
pub struct Dashboard {
    function: FunctionClient,
    cache: SeriesCache,
    reports: ReportMemo,
    clock: Clock,
}

impl std::fmt::Debug for Dashboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dashboard")
            .field("function", &self.function)
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl Dashboard {
    /// In-process with `graph` unless `FUNCTION_URL` is set; SigV4 credentials are loaded here.
    pub async fn build(settings: &FunctionSettings, graph: GraphClient) -> anyhow::Result<Self> {
        let function = match &settings.url {
            None => FunctionClient::InProcess {
                deps: Box::new(get_facebook_data::Deps::new(graph)),
                timeout: settings.timeout,
            },
            Some(url) => FunctionClient::Http(HttpFunction {
                client: reqwest::Client::builder()
                    .timeout(settings.timeout)
                    .connect_timeout(Duration::from_secs(5))
                    .build()?,
                url: url.clone(),
                signer: match settings.auth {
                    FunctionAuth::None => None,
                    FunctionAuth::Iam => Some(sigv4::Signer::from_default_chain().await?),
                },
            }),
        };
        Ok(Self {
            function,
            cache: SeriesCache::new(settings.cache_ttl),
            reports: ReportMemo::default(),
            clock: Arc::new(Utc::now),
        })
    }

    /// Replaces the clock (tests).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The data for `plan`: the range and, concurrently, the period before it; each from the
    /// cache unless `refresh`. A token Facebook refuses is recorded on the connector, so the next
    /// view says "Reconnect needed" before calling anyone.
    pub async fn load(
        &self,
        store: &dyn Store,
        keyring: &TokenKeyring,
        plan: &Plan<'_>,
        refresh: bool,
    ) -> Result<Arc<Loaded>, LoadError> {
        let today = plan.today((self.clock)());
        let range = plan.choice.resolve(today).map_err(LoadError::Range)?;
        let previous = range::previous_period(range, today);
        let current_cached = (!refresh)
            .then(|| self.cache.get(&plan.key(range)))
            .flatten();
        let previous_cached =
            previous.and_then(|p| (!refresh).then(|| self.cache.get(&plan.key(p))).flatten());
        let need_token =
            current_cached.is_none() || (previous.is_some() && previous_cached.is_none());
        if let (false, Some(current)) = (need_token, &current_cached)
            && let Some(hit) = self.reports.get(current, previous_cached.as_ref(), today)
        {
            return Ok(hit);
        }
        // Opened only when something must be fetched; a cache hit never touches the token.
        let token = if need_token {
            let token = plan
                .connector
                .open_token(keyring)
                .map_err(|e| LoadError::Token(e.to_string()))?;
            Some(token)
        } else {
            None
        };
        let fetch = |cached: Option<Arc<Series>>, range: Option<DateRange>| {
            let token = token.clone();
            async move {
                let Some(range) = range else { return Ok(None) };
                if let Some(hit) = cached {
                    return Ok(Some(hit));
                }
                let Some(token) = token else { return Ok(None) };
                let request = SeriesRequest {
                    account: plan.account,
                    range,
                    event: plan.event,
                };
                let series = Arc::new(self.function.fetch(&token, request).await?);
                self.cache.put(plan.key(range), series.clone());
                Ok::<_, FetchError>(Some(series))
            }
        };
        let (current, before) = tokio::join!(
            fetch(current_cached, Some(range)),
            fetch(previous_cached, previous)
        );
        let current = match current {
            Ok(Some(series)) => series,
            Ok(None) => return Err(LoadError::Fetch(FetchError::BadAnswer("no series".into()))),
            Err(err) => {
                self.note_refused_token(store, plan.connector, &err).await;
                return Err(LoadError::Fetch(err));
            }
        };
        // The comparison is a nicety: without it the cards show "—" for the change.
        let before = before.unwrap_or_else(|err| {
            tracing::warn!(error.cause = %err, "previous period unavailable");
            None
        });
        let report = view::report(&current, before.as_deref(), today);
        let loaded = Arc::new(Loaded {
            range,
            previous: before.as_ref().and(previous),
            current,
            previous_series: before,
            report,
            json: OnceLock::new(),
            charts_json: OnceLock::new(),
        });
        if !self.cache.is_off() {
            self.reports.put(today, loaded.clone());
        }
        Ok(loaded)
    }

    /// Everything one dashboard request needs decided: the team, whether it can show data, and
    /// the data or the failure. Range errors are `AppError::BadRequest` (400) with a fixed message.
    pub async fn view(
        &self,
        store: &dyn Store,
        keyring: &TokenKeyring,
        session: &Session,
        me: adboard_domain::account::UserId,
        query: &DashboardQuery,
    ) -> Result<View, AppError> {
        let choice =
            RangeChoice::parse(&query.range()).map_err(|e| AppError::BadRequest(e.message()))?;
        let Some((page, member)) = working_team(store, session, me, query.team.as_deref()).await?
        else {
            return Ok(View::NoTeam);
        };
        let plan = match plan(&page, choice, (self.clock)()) {
            Ok(plan) => plan,
            Err(blocked) => {
                return Ok(View::Blocked {
                    page,
                    member,
                    blocked,
                });
            }
        };
        match self.load(store, keyring, &plan, query.refresh()).await {
            Ok(loaded) => Ok(View::Ready {
                page,
                member,
                choice,
                loaded,
            }),
            Err(LoadError::Range(e)) => Err(AppError::BadRequest(e.message())),
            Err(LoadError::Fetch(err)) => {
                let failure = Failure::of(&err, plan.account);
                tracing::warn!(error.cause = %err, http.status = failure.status, "dashboard data unavailable");
                Ok(View::Failed {
                    page,
                    member,
                    choice,
                    failure,
                })
            }
            Err(err @ LoadError::Token(_)) => Err(AppError::unexpected(err)),
        }
    }

    async fn note_refused_token(&self, store: &dyn Store, connector: &Connector, err: &FetchError) {
        let reason = match err {
            FetchError::Function {
                code: FnCode::TokenInvalid,
                ..
            } => {
                "Facebook refused the token when the dashboard asked for data (it was revoked or is invalid)."
            }
            FetchError::Function {
                code: FnCode::TokenExpired,
                ..
            } => "Facebook says the token has expired.",
            _ => return,
        };
        let now = (self.clock)();
        if let Err(e) = store
            .record_connector_check(
                connector.team,
                connector.platform,
                connector.connected_at,
                now,
                Some(reason.to_owned()),
            )
            .await
        {
            tracing::warn!(error.cause = %e, "recording the refused token failed");
        }
    }
}

/// What a team needs before it has a dashboard, as the page explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocked {
    /// No Facebook connector: the owner connects, anyone else asks the owner.
    NoConnector,
    /// The connector's token is expired or invalid.
    ReconnectNeeded(&'static str),
    /// The ad account or the conversion event is not set (`missing` names them).
    MissingSettings(Vec<&'static str>),
}

/// A team that can show data: its connector and the settings to read with.
#[derive(Debug)]
pub struct Plan<'a> {
    pub page: &'a TeamPage,
    pub connector: &'a Connector,
    pub account: &'a AdAccountId,
    pub event: &'a ConversionEvent,
    pub choice: RangeChoice,
}

impl Plan<'_> {
    /// The account's timezone: known from the connector when it names the same account, else UTC
    /// (the function still checks the range in the account's own timezone).
    pub fn timezone(&self) -> Option<Tz> {
        self.connector
            .account
            .as_ref()
            .filter(|a| &a.id == self.account)
            .and_then(|a| a.timezone.parse().ok())
    }

    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        match self.timezone() {
            Some(tz) => now.with_timezone(&tz).date_naive(),
            None => now.date_naive(),
        }
    }

    fn key(&self, range: DateRange) -> CacheKey {
        CacheKey {
            team: self.page.team.id,
            account: self.account.clone(),
            range,
            event: self.event.clone(),
        }
    }
}

/// Whether `page`'s team can show data now, and if not, why.
pub fn plan<'a>(
    page: &'a TeamPage,
    choice: RangeChoice,
    now: DateTime<Utc>,
) -> Result<Plan<'a>, Blocked> {
    let connector = page
        .connectors
        .iter()
        .find(|c| c.platform == Platform::Facebook)
        .ok_or(Blocked::NoConnector)?;
    if let Some(reason) = health::reconnect_reason(connector, now) {
        return Err(Blocked::ReconnectNeeded(reason));
    }
    let settings = &page.team.settings;
    match (&settings.ad_account_id, &settings.conversion_event) {
        (Some(account), Some(event)) => Ok(Plan {
            page,
            connector,
            account,
            event,
            choice,
        }),
        (account, event) => Err(Blocked::MissingSettings(
            [
                (account.is_none(), "a Facebook ad account"),
                (event.is_none(), "a conversion event"),
            ]
            .into_iter()
            .filter_map(|(missing, what)| missing.then_some(what))
            .collect(),
        )),
    }
}

/// The outcome of one dashboard request.
#[derive(Debug)]
pub enum View {
    /// No team chosen (or the chosen one is no longer the caller's).
    NoTeam,
    Blocked {
        page: TeamPage,
        member: Member,
        blocked: Blocked,
    },
    Failed {
        page: TeamPage,
        member: Member,
        choice: RangeChoice,
        failure: Failure,
    },
    Ready {
        page: TeamPage,
        member: Member,
        choice: RangeChoice,
        loaded: Arc<Loaded>,
    },
}

/// The data of one dashboard view, shared by the requests it serves from the cache.
#[derive(Debug)]
pub struct Loaded {
    pub range: DateRange,
    /// The period compared with, when its series could be had.
    pub previous: Option<DateRange>,
    pub current: Arc<Series>,
    pub previous_series: Option<Arc<Series>>,
    pub report: view::Report,
    /// `/dashboard/data.json`'s body, written once.
    json: OnceLock<String>,
    /// The page's chart data block, written once.
    charts_json: OnceLock<String>,
}

/// `/dashboard/data.json` when the data is there.
#[derive(serde::Serialize)]
struct DataJson<'a> {
    since: NaiveDate,
    until: NaiveDate,
    previous: Option<DateRange>,
    cards: &'a [view::Card],
    rows: &'a [view::Row],
    changing_from: Option<NaiveDate>,
    /// The function's answer for the range, as received.
    series: &'a Series,
}

impl Loaded {
    /// The chart data for the page's `<script type="application/json">` block, escaped for it.
    pub fn charts_json(&self) -> &str {
        self.charts_json.get_or_init(|| {
            view::json_for_script(&self.report.charts).unwrap_or_else(|_| String::from("{}"))
        })
    }

    /// The JSON body of `/dashboard/data.json` (serialized once per cached report).
    pub fn json(&self) -> &str {
        self.json.get_or_init(|| {
            serde_json::to_string(&DataJson {
                since: self.range.since(),
                until: self.range.until(),
                previous: self.previous,
                cards: &self.report.cards,
                rows: &self.report.rows,
                changing_from: self.report.changing_from,
                series: &self.current,
            })
            .unwrap_or_else(|_| String::from("{}"))
        })
    }
}

/// Why a view has no data.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Range(range::RangeError),
    #[error(transparent)]
    Fetch(FetchError),
    /// The stored token could not be opened (a key missing from the keyring).
    #[error("the connector's token could not be opened: {0}")]
    Token(String),
}
