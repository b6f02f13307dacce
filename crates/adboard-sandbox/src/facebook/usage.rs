//! Facebook's rate-limit usage headers (D): `x-app-usage`, `x-ad-account-usage`,
//! `x-business-use-case-usage` and `x-fb-ads-insights-throttle`.

use serde_json::json;

/// Rate-limit usage headers (D) for `account_id` at `pct` percent.
pub fn usage_headers(account_id: &str, pct: u32) -> Vec<(String, String)> {
    let regain = if pct >= 100 { 5 } else { 0 };
    let buc = json!({ account_id: [{"type": "ads_insights", "call_count": pct, "total_cputime": pct / 2,
        "total_time": pct / 2, "estimated_time_to_regain_access": regain, "ads_api_access_tier": "development_access"}]});
    vec![
        ("x-app-usage".into(), json!({"call_count": pct, "total_time": pct / 2, "total_cputime": pct / 2}).to_string()),
        ("x-ad-account-usage".into(), json!({"acc_id_util_pct": pct, "reset_time_duration": regain * 60, "ads_api_access_tier": "development_access"}).to_string()),
        ("x-business-use-case-usage".into(), buc.to_string()),
        ("x-fb-ads-insights-throttle".into(), json!({"app_id_util_pct": pct, "acc_id_util_pct": pct, "ads_api_access_tier": "development_access"}).to_string()),
    ]
}
