//! The core: fetch the account (cached in the warm process) and its daily insights, check the
//! range in the account's timezone, normalise. Plain async Rust, callable in-process by the web app.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use adboard_domain::ads::{AdAccountId, DateRange};
use adboard_facebook::{AdAccount, GraphClient, InsightsQuery};
use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use tracing::instrument;

use crate::normalise::normalise;
use crate::output::SeriesResponse;
use crate::{FetchRequest, FnError};

/// Days in the default range (ending yesterday in the account's timezone).
pub const DEFAULT_DAYS: u32 = 7;

/// "Now", injectable for tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// What the core needs; built once per process and shared by every request.
#[derive(Clone)]
pub struct Deps {
    pub client: GraphClient,
    pub accounts: AccountCache,
    pub clock: Clock,
}

impl std::fmt::Debug for Deps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deps")
            .field("client", &self.client)
            .field("accounts", &self.accounts)
            .finish_non_exhaustive()
    }
}

impl Deps {
    pub fn new(client: GraphClient) -> Self {
        Self {
            client,
            accounts: AccountCache::default(),
            clock: Arc::new(Utc::now),
        }
    }
}

/// Ad accounts' currency and timezone, kept for an hour in the warm process so a request costs
/// one Graph round trip. It grants nothing: every insights call is still checked by Facebook.
#[derive(Debug, Clone, Default)]
pub struct AccountCache {
    inner: Arc<Mutex<HashMap<AdAccountId, (AdAccount, Instant)>>>,
}

impl AccountCache {
    const TTL: Duration = Duration::from_secs(3600);
    const MAX_ENTRIES: usize = 1024;

    pub fn get(&self, id: &AdAccountId) -> Option<AdAccount> {
        let map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        map.get(id)
            .filter(|(_, at)| at.elapsed() < Self::TTL)
            .map(|(a, _)| a.clone())
    }

    pub fn put(&self, account: AdAccount) {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= Self::MAX_ENTRIES {
            map.clear();
        }
        map.insert(account.id.clone(), (account, Instant::now()));
    }
}

/// Today's date in the account's timezone (UTC when Facebook sent an unknown zone).
pub fn today_in(account: &AdAccount, now: DateTime<Utc>) -> NaiveDate {
    match account.timezone_name.parse::<Tz>() {
        Ok(tz) => now.with_timezone(&tz).date_naive(),
        Err(_) => {
            tracing::warn!(account.id = %account.id, "unknown account timezone; using UTC");
            now.date_naive()
        }
    }
}

/// The range asked for, with defaults filled in and the 37-month rule applied for `today`.
pub fn resolve_range(req: &FetchRequest, today: NaiveDate) -> Result<DateRange, FnError> {
    let yesterday = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    let until = req.until.unwrap_or(yesterday);
    let range = match req.since {
        Some(since) => DateRange::new(since, until)?,
        None => DateRange::ending_on(until, DEFAULT_DAYS),
    };
    range.check_against_today(today)?;
    Ok(range)
}

/// Rejects, before any Graph call, ranges that are invalid in EVERY timezone (UTC−12 … UTC+14).
fn precheck(req: &FetchRequest, now: DateTime<Utc>) -> Result<(), FnError> {
    let earliest_today = (now - chrono::Duration::hours(12)).date_naive();
    let latest_today = (now + chrono::Duration::hours(14)).date_naive();
    if let Some(since) = req.since
        && since < DateRange::earliest_since(earliest_today)
    {
        return Err(FnError::InvalidRequest(
            "since is more than 37 months back".into(),
        ));
    }
    if let Some(until) = req.until
        && until > latest_today
    {
        return Err(FnError::InvalidRequest("until is in the future".into()));
    }
    Ok(())
}

/// Fetches and normalises one series. With the account cached, or with an explicit range, the
/// critical path is ONE insights round trip (the account is fetched concurrently).
#[instrument(skip_all, fields(account.id = %req.account))]
pub async fn get_series(deps: &Deps, req: &FetchRequest) -> Result<SeriesResponse, FnError> {
    let now = (deps.clock)();
    precheck(req, now)?;
    let client = &deps.client;
    let (account, range, rows) = if let Some(account) = deps.accounts.get(&req.account) {
        let range = resolve_range(req, today_in(&account, now))?;
        let rows = client
            .daily_insights(&req.token, &InsightsQuery::new(req.account.clone(), range))
            .await?;
        (account, range, rows)
    } else if let (Some(since), Some(until)) = (req.since, req.until) {
        let query = InsightsQuery::new(req.account.clone(), DateRange::new(since, until)?);
        let (account, rows) = tokio::join!(
            client.ad_account(&req.token, &req.account),
            client.daily_insights(&req.token, &query)
        );
        let account = account?;
        deps.accounts.put(account.clone());
        let range = resolve_range(req, today_in(&account, now))?;
        (account, range, rows?)
    } else {
        let account = client.ad_account(&req.token, &req.account).await?;
        deps.accounts.put(account.clone());
        let range = resolve_range(req, today_in(&account, now))?;
        let rows = client
            .daily_insights(&req.token, &InsightsQuery::new(req.account.clone(), range))
            .await?;
        (account, range, rows)
    };
    normalise(&account, range, &req.conversion_event, rows)
}
