//! Faults on demand: rules set through `/__sandbox/faults` and magic ad accounts that always fail.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::errors::GraphError;
use super::usage::usage_headers;
use crate::config::AdAccount;

/// A kind of failure the sandbox can inject into Graph calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// 190/463, token expired.
    ExpiredToken,
    /// 190, cannot parse token.
    InvalidToken,
    /// 200 (HTTP 403), user permission missing.
    MissingPermission,
    /// 10, app permission missing.
    AppPermission,
    /// 100/33, unknown account.
    UnknownAccount,
    /// 17, user request limit.
    UserRateLimit,
    /// 4, application request limit.
    AppRateLimit,
    /// 32, page request limit.
    PageRateLimit,
    /// 80004, ad-account request limit.
    AccountRateLimit,
    /// 2 (HTTP 503), transient.
    Transient,
    /// 1 (HTTP 500), reduce the amount of data.
    ReduceData,
    /// 1/99 (HTTP 500), unknown error.
    UnknownError,
    /// 4/1504039, insights throttle of the app (E7).
    InsightsThrottle,
    /// 613, calls to this API exceeded the rate limit (E6).
    ApiRateLimit,
    /// 100/1504018, request timed out (E23).
    RequestTimedOut,
    /// Answers normally after `delay_ms` (default 2000 ms).
    Slow,
    /// Insights: the first page is empty but still has `paging.next`.
    EmptyPageWithNext,
    /// Async report: the job ends `Job Failed`.
    ReportFails,
}

impl FaultKind {
    /// The error this fault answers with, if it is an error fault.
    pub fn error(self) -> Option<GraphError> {
        let (now, _) = super::now();
        Some(match self {
            Self::ExpiredToken => GraphError::expired_token(now - 3600, now),
            Self::InvalidToken => GraphError::invalid_token(),
            Self::MissingPermission => GraphError::missing_user_permission(),
            Self::AppPermission => GraphError::app_permission(),
            Self::UnknownAccount => GraphError::unknown_object("act_0"),
            Self::UserRateLimit => GraphError::user_rate_limit(),
            Self::AppRateLimit => GraphError::app_rate_limit(),
            Self::PageRateLimit => GraphError::page_rate_limit(),
            Self::AccountRateLimit => GraphError::account_rate_limit(),
            Self::Transient => GraphError::transient(),
            Self::ReduceData => GraphError::reduce_data(),
            Self::UnknownError => GraphError::unknown_error(),
            Self::InsightsThrottle => GraphError::insights_throttle(),
            Self::ApiRateLimit => GraphError::api_rate_limit(),
            Self::RequestTimedOut => GraphError::request_timed_out(),
            Self::Slow | Self::EmptyPageWithNext | Self::ReportFails => return None,
        })
    }

    fn is_rate_limit(self) -> bool {
        matches!(
            self,
            Self::UserRateLimit
                | Self::AppRateLimit
                | Self::PageRateLimit
                | Self::AccountRateLimit
                | Self::InsightsThrottle
                | Self::ApiRateLimit
        )
    }
}

/// One injected fault: which, how many times (none = until cleared), for which account (none = any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// The fault.
    pub kind: FaultKind,
    /// How many matching calls it affects; `None` = every call until `DELETE /__sandbox/faults`.
    #[serde(default)]
    pub times: Option<u32>,
    /// Only calls about this ad account id (digits); `None` = every Graph call.
    #[serde(default)]
    pub account_id: Option<String>,
    /// Delay of a `slow` fault in milliseconds (default 2000).
    #[serde(default)]
    pub delay_ms: Option<u64>,
}

/// The active fault rules.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<FaultRule>,
}

impl Faults {
    /// Adds a rule after the existing ones.
    pub fn add(&mut self, rule: FaultRule) {
        self.rules.push(rule);
    }
    /// Removes every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }
    /// The active rules.
    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// Consumes the first rule that matches `account` and `wanted`, returning it.
    pub fn take(
        &mut self,
        account: Option<&str>,
        wanted: impl Fn(FaultKind) -> bool,
    ) -> Option<FaultRule> {
        let idx = self.rules.iter().position(|r| {
            wanted(r.kind)
                && match (&r.account_id, account) {
                    (None, _) => true,
                    (Some(a), Some(b)) => a == b,
                    (Some(_), None) => false,
                }
        })?;
        let rule = self.rules[idx].clone();
        match self.rules[idx].times.as_mut() {
            Some(1) | Some(0) => {
                self.rules.remove(idx);
            }
            Some(n) => *n -= 1,
            None => {}
        }
        Some(rule)
    }
}

/// Magic ad accounts readable with any valid token, each failing in one documented way.
pub const MAGIC_ACCOUNTS: &[(&str, FaultKind)] = &[
    ("9000000001", FaultKind::ReduceData),
    ("9000000002", FaultKind::Transient),
    ("9000000004", FaultKind::AppRateLimit),
    ("9000000010", FaultKind::AppPermission),
    ("9000000017", FaultKind::UserRateLimit),
    ("9000000032", FaultKind::PageRateLimit),
    ("9000000099", FaultKind::UnknownError),
    ("9000000100", FaultKind::EmptyPageWithNext),
    ("9000000190", FaultKind::ExpiredToken),
    ("9000000200", FaultKind::MissingPermission),
    ("9000000500", FaultKind::ReportFails),
    ("9000000613", FaultKind::ApiRateLimit),
    ("9001504018", FaultKind::RequestTimedOut),
    ("9001504039", FaultKind::InsightsThrottle),
    ("9000000999", FaultKind::Slow),
    ("9000080004", FaultKind::AccountRateLimit),
];

/// The fault a magic account always shows.
pub fn magic_fault(account_id: &str) -> Option<FaultKind> {
    MAGIC_ACCOUNTS
        .iter()
        .find(|(id, _)| *id == account_id)
        .map(|(_, k)| *k)
}

/// The account a magic id stands for.
pub fn magic_account(account_id: &str) -> Option<AdAccount> {
    magic_fault(account_id).map(|kind| AdAccount {
        account_id: account_id.to_owned(),
        name: format!("Sandbox fault {kind:?}"),
        currency: "USD".into(),
        timezone_name: "Etc/UTC".into(),
        account_status: 1,
    })
}

/// Applies error and slow faults (admin rules first, then the magic account's own fault).
pub async fn apply(shared: &crate::Shared, account: Option<&str>) -> Result<(), GraphError> {
    let rule = shared
        .facebook
        .faults
        .lock()
        .expect("faults lock")
        .take(account, |k| k.error().is_some() || k == FaultKind::Slow);
    let kind = rule
        .as_ref()
        .map(|r| r.kind)
        .or_else(|| account.and_then(magic_fault))
        .filter(|k| k.error().is_some() || *k == FaultKind::Slow);
    let Some(kind) = kind else { return Ok(()) };
    if kind == FaultKind::Slow {
        let ms = rule.and_then(|r| r.delay_ms).unwrap_or(2000).min(60_000);
        tokio::time::sleep(Duration::from_millis(ms)).await;
        return Ok(());
    }
    let error = kind.error().expect("filtered to error faults");
    if kind.is_rate_limit() {
        return Err(error.with_headers(usage_headers(account.unwrap_or("0"), 100)));
    }
    Err(error)
}

/// Whether a non-error fault (`EmptyPageWithNext`, `ReportFails`) applies to this call.
pub fn take_flag(shared: &crate::Shared, account: &str, kind: FaultKind) -> bool {
    let taken = shared
        .facebook
        .faults
        .lock()
        .expect("faults lock")
        .take(Some(account), |k| k == kind);
    taken.is_some() || magic_fault(account) == Some(kind)
}
