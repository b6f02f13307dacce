//! The in-process cache of function answers, keyed by (team, ad account, range, conversion
//! event), kept for a short time (5 minutes by default), and the report computed from a pair of
//! cached series (so a cache hit does no arithmetic, formatting or JSON again). It holds series
//! and what is computed from them, never a token.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use adboard_domain::ads::{AdAccountId, ConversionEvent, DateRange};
use adboard_domain::team::TeamId;
use chrono::NaiveDate;

use super::Loaded;
use super::series::Series;

/// What a cached series answers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub team: TeamId,
    pub account: AdAccountId,
    pub range: DateRange,
    pub event: ConversionEvent,
}

/// Series by key, each with the time it was fetched. A TTL of zero turns the cache off.
#[derive(Debug)]
pub struct SeriesCache {
    ttl: Duration,
    entries: Mutex<HashMap<CacheKey, (Arc<Series>, Instant)>>,
}

impl SeriesCache {
    /// Past this many entries the cache starts again empty (a bound, not an eviction policy).
    const MAX_ENTRIES: usize = 4096;

    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn get(&self, key: &CacheKey) -> Option<Arc<Series>> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(series, _)| series.clone())
    }

    pub fn is_off(&self) -> bool {
        self.ttl.is_zero()
    }

    pub fn put(&self, key: CacheKey, series: Arc<Series>) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= Self::MAX_ENTRIES {
            entries.retain(|_, (_, at)| at.elapsed() < self.ttl);
            if entries.len() >= Self::MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, (series, Instant::now()));
    }
}

/// Reports by the cached series they were computed from (by identity: the entry keeps both `Arc`s
/// alive, so an address is never reused while its entry exists) and the day they were computed
/// for. A refreshed series is a new `Arc`, hence a new entry; old entries are only dropped when the
/// memo is full, which bounds it.
#[derive(Debug, Default)]
pub struct ReportMemo {
    entries: Mutex<HashMap<(usize, usize, NaiveDate), Arc<Loaded>>>,
}

impl ReportMemo {
    const MAX_ENTRIES: usize = 1024;

    fn key(
        current: &Arc<Series>,
        previous: Option<&Arc<Series>>,
        today: NaiveDate,
    ) -> (usize, usize, NaiveDate) {
        let address = |s: &Arc<Series>| Arc::as_ptr(s) as usize;
        (address(current), previous.map_or(0, address), today)
    }

    pub fn get(
        &self,
        current: &Arc<Series>,
        previous: Option<&Arc<Series>>,
        today: NaiveDate,
    ) -> Option<Arc<Loaded>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.get(&Self::key(current, previous, today)).cloned()
    }

    pub fn put(&self, today: NaiveDate, loaded: Arc<Loaded>) {
        let key = Self::key(&loaded.current, loaded.previous_series.as_ref(), today);
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= Self::MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, loaded);
    }
}
