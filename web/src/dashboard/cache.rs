//! The in-process cache of function answers, keyed by (team, ad account, range, conversion
//! event), kept for a short time (5 minutes by default). It holds series only, never a token.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use adboard_domain::ads::{AdAccountId, ConversionEvent, DateRange};
use adboard_domain::team::TeamId;

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
