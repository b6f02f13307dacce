//! API bearer tokens: issued at `/api/auth/{provider}` (256 random bits, `adb_` + URL-safe
//! base64), stored only as their SHA-256 with created / last-used times, checked on every API
//! call (hash lookup, then a constant-time comparison of the hashes), revoked by `/api/logout` or
//! from the profile. Refused attempts are counted per client address ([`FailureLimiter`]).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use adboard_domain::account::UserId;
use adboard_store::{ApiTokenHash, ApiTokenId, ApiTokenRecord, Store};
use subtle::ConstantTimeEq as _;

use crate::error::AppError;
use crate::tokens::random_token;

/// Every API token starts with this (so a leaked one is recognisable, e.g. by secret scanners).
pub const PREFIX: &str = "adb_";

/// How often a token's "last used" time is written (at most).
const TOUCH_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

/// The most tokens one user keeps: issuing another revokes the least recently used.
pub const MAX_TOKENS_PER_USER: usize = 50;

/// A new API token for `user`, described by `label` (the provider and the app's User-Agent, for
/// the profile's list). Returns the token itself: shown once, never stored.
pub async fn issue(store: &dyn Store, user: UserId, label: &str) -> Result<String, AppError> {
    let token = format!("{PREFIX}{}", random_token());
    let record = ApiTokenRecord::new(user, ApiTokenHash::of(&token), label);
    store.create_api_token(&record).await?;
    let mut tokens = store.list_api_tokens(user).await?;
    if tokens.len() > MAX_TOKENS_PER_USER {
        // Most recently used first: the tail is the least recently used.
        for old in tokens.split_off(MAX_TOKENS_PER_USER) {
            store.revoke_api_token(user, &old.id).await?;
        }
    }
    Ok(token)
}

/// Whether `raw` has the shape of a token we issue (checked before any store read).
fn well_formed(raw: &str) -> bool {
    raw.strip_prefix(PREFIX).is_some_and(|rest| {
        rest.len() == 43
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// The live token `raw` names; [`AppError::ApiUnauthorized`] otherwise. The lookup is by hash and
/// the stored hash is compared with ours in constant time, so no timing tells how much of a
/// guess was right. Marks the token used (at most once a minute).
pub async fn authenticate(store: &dyn Store, raw: &str) -> Result<ApiTokenRecord, AppError> {
    if !well_formed(raw) {
        return Err(AppError::ApiUnauthorized);
    }
    let hash = ApiTokenHash::of(raw);
    let record = store
        .find_api_token(&hash)
        .await?
        .ok_or(AppError::ApiUnauthorized)?;
    if !bool::from(record.hash.as_bytes().ct_eq(hash.as_bytes())) {
        return Err(AppError::ApiUnauthorized);
    }
    let now = chrono::Utc::now();
    if now - record.last_used_at >= TOUCH_EVERY {
        store.touch_api_token(record.user, &record.id, now).await?;
    }
    Ok(record)
}

/// Revokes one of `user`'s tokens (the profile's "Revoke", `/api/logout`); `false` if it was
/// not theirs or already gone.
pub async fn revoke(store: &dyn Store, user: UserId, id: &ApiTokenId) -> Result<bool, AppError> {
    Ok(store.revoke_api_token(user, id).await?)
}

/// Refused attempts per client address: after [`FailureLimiter::MAX_FAILURES`] within
/// [`FailureLimiter::WINDOW`], every further attempt from that address is refused with
/// [`AppError::RateLimited`] until the window has passed (without reaching the store or a
/// provider). Memory is bounded: at most [`FailureLimiter::MAX_ADDRESSES`] addresses are tracked.
#[derive(Debug, Default)]
pub struct FailureLimiter {
    failures: Mutex<HashMap<IpAddr, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
}

impl FailureLimiter {
    pub const MAX_FAILURES: u32 = 10;
    pub const WINDOW: Duration = Duration::from_secs(60);
    pub const MAX_ADDRESSES: usize = 100_000;

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Window>> {
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `Err(RateLimited)` if `ip` has used up its failures for now.
    pub fn check(&self, ip: IpAddr) -> Result<(), AppError> {
        let now = Instant::now();
        let failures = self.lock();
        match failures.get(&ip) {
            Some(w)
                if w.failures >= Self::MAX_FAILURES
                    && now.duration_since(w.started) < Self::WINDOW =>
            {
                let left = Self::WINDOW - now.duration_since(w.started);
                Err(AppError::RateLimited {
                    retry_after: left.as_secs().max(1),
                })
            }
            _ => Ok(()),
        }
    }

    /// Counts a refused attempt from `ip`.
    pub fn record_failure(&self, ip: IpAddr) {
        let now = Instant::now();
        let mut failures = self.lock();
        if failures.len() >= Self::MAX_ADDRESSES && !failures.contains_key(&ip) {
            failures.retain(|_, w| now.duration_since(w.started) < Self::WINDOW);
            if failures.len() >= Self::MAX_ADDRESSES {
                tracing::warn!("API failure limiter full: forgetting every address");
                failures.clear();
            }
        }
        let window = failures.entry(ip).or_insert(Window {
            started: now,
            failures: 0,
        });
        if now.duration_since(window.started) >= Self::WINDOW {
            *window = Window {
                started: now,
                failures: 0,
            };
        }
        window.failures += 1;
    }

    /// A success from `ip` ends its run of failures.
    pub fn record_success(&self, ip: IpAddr) {
        self.lock().remove(&ip);
    }

    /// Runs `attempt` for `ip` unless it is limited, counting a refusal (`ApiUnauthorized`,
    /// `InvalidProviderToken`) as a failure and anything else that succeeds as a success.
    pub async fn guard<T>(
        &self,
        ip: IpAddr,
        attempt: impl Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        self.check(ip)?;
        let result = attempt.await;
        match &result {
            Ok(_) => self.record_success(ip),
            Err(AppError::ApiUnauthorized | AppError::InvalidProviderToken(_)) => {
                self.record_failure(ip);
            }
            Err(_) => {}
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tokens_of_our_shape_are_looked_up() {
        let token = format!("{PREFIX}{}", random_token());
        assert!(well_formed(&token));
        assert!(!well_formed(&token[PREFIX.len()..]));
        assert!(!well_formed(&format!("{token}x")));
        assert!(!well_formed(&format!("{PREFIX}{}", "!".repeat(43))));
        assert!(!well_formed(""));
    }

    #[test]
    fn an_address_is_limited_after_its_failures_and_a_success_resets_it() {
        let limiter = FailureLimiter::default();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        for _ in 0..FailureLimiter::MAX_FAILURES - 1 {
            limiter.record_failure(ip);
        }
        assert!(limiter.check(ip).is_ok());
        limiter.record_failure(ip);
        let Err(AppError::RateLimited { retry_after }) = limiter.check(ip) else {
            panic!("limited after {} failures", FailureLimiter::MAX_FAILURES);
        };
        assert!((1..=60).contains(&retry_after));
        assert!(limiter.check(other).is_ok(), "other addresses are not");
        limiter.record_success(ip);
        assert!(limiter.check(ip).is_ok());
    }
}
