//! Fuzz target: Facebook's rate-limit usage headers → `Usage`.
//!
//! Properties: every percentage is a finite number ≥ 0; every waiting time is at most a day (the
//! cap `usage.rs` promises); the suggested wait, when there is one, is one of those waits.
#![no_main]

use std::time::Duration;

use adboard_facebook::Usage;
use adboard_fuzz::HeaderLines;
use libfuzzer_sys::fuzz_target;

const DAY: Duration = Duration::from_secs(86_400);

fuzz_target!(|headers: HeaderLines| {
    let usage = Usage::from_headers(&headers.0);
    for (name, pct) in [
        ("app", usage.app_pct),
        ("account", usage.account_pct),
        ("business", usage.business_pct),
    ] {
        assert!(pct.is_finite() && pct >= 0.0, "{name} usage is {pct}");
    }
    assert!(
        usage.regain_access_in <= DAY && usage.reset_in <= DAY,
        "{usage:?}"
    );
    if let Some(wait) = usage.suggested_wait() {
        assert!(!wait.is_zero() && (wait == usage.regain_access_in || wait == usage.reset_in));
    }
    assert_eq!(
        usage.is_exhausted(),
        usage.app_pct >= 100.0 || usage.account_pct >= 100.0 || usage.business_pct >= 100.0
    );
});
