//! Rate-limit usage headers (`x-app-usage`, `x-ad-account-usage`, `x-business-use-case-usage`,
//! `x-fb-ads-insights-throttle`) and the waiting time they imply.

use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::Value;

/// The usage Facebook reported on one response (success or error). Percentages are 0–100+.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    /// Highest of `x-app-usage` call_count / total_time / total_cputime and the insights throttle.
    pub app_pct: f64,
    /// `x-ad-account-usage.acc_id_util_pct` (and the insights throttle's account share).
    pub account_pct: f64,
    /// Highest business-use-case figure across every key and entry.
    pub business_pct: f64,
    /// Longest `estimated_time_to_regain_access` (header gives minutes).
    pub regain_access_in: Duration,
    /// `x-ad-account-usage.reset_time_duration` (header gives seconds).
    pub reset_in: Duration,
}

impl Usage {
    /// Reads every usage header present; unreadable headers are ignored (they are hints).
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let json = |name: &str| -> Option<Value> {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|s| serde_json::from_str(s).ok())
        };
        // Percentages and times are never negative, NaN or infinite: such a figure is unreadable.
        let num = |v: &Value, key: &str| -> f64 {
            let n = match v.get(key) {
                Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
                Some(Value::String(s)) => s.trim().parse().unwrap_or(0.0),
                _ => 0.0,
            };
            if n.is_finite() && n > 0.0 { n } else { 0.0 }
        };
        let mut usage = Usage::default();
        if let Some(app) = json("x-app-usage") {
            usage.app_pct = ["call_count", "total_time", "total_cputime"]
                .iter()
                .map(|k| num(&app, k))
                .fold(0.0, f64::max);
        }
        if let Some(acc) = json("x-ad-account-usage") {
            usage.account_pct = num(&acc, "acc_id_util_pct");
            usage.reset_in = secs(num(&acc, "reset_time_duration"));
        }
        if let Some(throttle) = json("x-fb-ads-insights-throttle") {
            usage.app_pct = usage.app_pct.max(num(&throttle, "app_id_util_pct"));
            usage.account_pct = usage.account_pct.max(num(&throttle, "acc_id_util_pct"));
        }
        if let Some(Value::Object(buc)) = json("x-business-use-case-usage") {
            for entry in buc.values().filter_map(Value::as_array).flatten() {
                let pct = ["call_count", "total_time", "total_cputime"]
                    .iter()
                    .map(|k| num(entry, k))
                    .fold(0.0, f64::max);
                usage.business_pct = usage.business_pct.max(pct);
                let regain = secs(num(entry, "estimated_time_to_regain_access") * 60.0);
                usage.regain_access_in = usage.regain_access_in.max(regain);
            }
        }
        usage
    }

    /// True when any counter is at or over its limit.
    pub fn is_exhausted(&self) -> bool {
        self.app_pct >= 100.0 || self.account_pct >= 100.0 || self.business_pct >= 100.0
    }

    /// How long Facebook says to wait before calling again, if it said anything.
    pub fn suggested_wait(&self) -> Option<Duration> {
        if !self.regain_access_in.is_zero() {
            Some(self.regain_access_in)
        } else if self.account_pct >= 100.0 && !self.reset_in.is_zero() {
            Some(self.reset_in)
        } else {
            None
        }
    }
}

fn secs(value: f64) -> Duration {
    if value.is_finite() && value > 0.0 {
        Duration::from_secs_f64(value.min(86_400.0))
    } else {
        Duration::ZERO
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderName, HeaderValue};

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                HeaderName::from_static(name),
                HeaderValue::from_str(&value.replace('\n', "")).unwrap(),
            );
        }
        map
    }

    #[test]
    fn business_use_case_header_gives_the_longest_regain_time() {
        let usage = Usage::from_headers(&headers(&[(
            "x-business-use-case-usage",
            r#"{"123":[{"type":"ads_insights","call_count":97,"total_cputime":23,"total_time":23,"estimated_time_to_regain_access":0}],
                "456":[{"type":"ads_management","call_count":100,"total_cputime":5,"total_time":5,"estimated_time_to_regain_access":2}]}"#,
        )]));
        assert_eq!(usage.business_pct, 100.0);
        assert_eq!(usage.regain_access_in, Duration::from_secs(120));
        assert!(usage.is_exhausted());
        assert_eq!(usage.suggested_wait(), Some(Duration::from_secs(120)));
    }

    #[test]
    fn app_and_account_headers_are_read() {
        let usage = Usage::from_headers(&headers(&[
            (
                "x-app-usage",
                r#"{"call_count":28,"total_time":25,"total_cputime":25}"#,
            ),
            (
                "x-ad-account-usage",
                r#"{"acc_id_util_pct":100,"reset_time_duration":30,"ads_api_access_tier":"standard_access"}"#,
            ),
        ]));
        assert_eq!(usage.app_pct, 28.0);
        assert_eq!(usage.suggested_wait(), Some(Duration::from_secs(30)));
    }

    // Found by the usage_headers fuzz target's property (every percentage finite and ≥ 0):
    // "NaN" and negative figures were kept, so a usage could be NaN % or -100 %.
    #[test]
    fn negative_nan_and_infinite_figures_count_as_no_usage() {
        for figure in [
            "-100", "\"NaN\"", "\"nan\"", "\"inf\"", "\"-inf\"", "1e999", "-1e999", "-0",
        ] {
            let usage = Usage::from_headers(&headers(&[
                ("x-app-usage", &format!(r#"{{"call_count":{figure}}}"#)),
                (
                    "x-ad-account-usage",
                    &format!(r#"{{"acc_id_util_pct":{figure},"reset_time_duration":{figure}}}"#),
                ),
                (
                    "x-fb-ads-insights-throttle",
                    &format!(r#"{{"app_id_util_pct":{figure},"acc_id_util_pct":{figure}}}"#),
                ),
                (
                    "x-business-use-case-usage",
                    &format!(
                        r#"{{"1":[{{"call_count":{figure},"estimated_time_to_regain_access":{figure}}}]}}"#
                    ),
                ),
            ]));
            assert_eq!(usage, Usage::default(), "{figure}");
        }
    }

    #[test]
    fn garbled_or_missing_headers_mean_no_usage() {
        let usage = Usage::from_headers(&headers(&[
            ("x-app-usage", "{not json"),
            ("x-business-use-case-usage", "[]"),
        ]));
        assert_eq!(usage, Usage::default());
        assert_eq!(usage.suggested_wait(), None);
    }
}
