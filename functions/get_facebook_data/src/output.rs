//! The public JSON contract of get_facebook_data, in one place: the daily series and the error
//! envelope. Numbers are JSON numbers written from exact decimals (never via floats). The series
//! types also deserialize: the web app reads a deployed function's answers with them.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// `200 OK`: one entry per day from `since` to `until`, in order, plus totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesResponse {
    /// Bare digits, no `act_` prefix.
    pub account_id: String,
    pub currency: String,
    pub timezone: String,
    pub since: NaiveDate,
    pub until: NaiveDate,
    /// The event asked for, e.g. `purchase`.
    pub conversion_event: String,
    /// The ONE Facebook `action_type` counted for that event (e.g. `omni_purchase`).
    pub conversion_action_type: String,
    pub data: Vec<DayOut>,
    pub totals: Totals,
}

/// One day; days Facebook omitted are zeros.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayOut {
    pub date: NaiveDate,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub spend: Decimal,
    pub impressions: u64,
    /// `inline_link_clicks`.
    pub clicks: u64,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub conversions: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub conversion_value: Decimal,
}

/// Sums over `data`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub spend: Decimal,
    pub impressions: u64,
    pub clicks: u64,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub conversions: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub conversion_value: Decimal,
}

/// Every non-200 answer: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    /// One of `invalid_request`, `token_invalid`, `token_expired`, `permission_denied`,
    /// `account_not_found`, `rate_limited`, `too_much_data`, `upstream_unavailable`,
    /// `upstream_timeout`.
    pub code: &'static str,
    /// Safe for end users: never a token, never Facebook's raw text.
    pub message: String,
    /// Seconds to wait (only with `rate_limited`; also sent as `Retry-After`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Facebook's trace id, for support requests, when Facebook sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fbtrace_id: Option<String>,
}
