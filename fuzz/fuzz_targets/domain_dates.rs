//! Fuzz target: `parse_date` and `DateRange::parse` (input: `since` and `until` on two lines; a
//! single line is both ends).
//!
//! Properties: an accepted date is exactly `YYYY-MM-DD` (after trimming) and displays as that
//! same text; an accepted range is ordered, has `until - since + 1` days and `days()` yields each
//! of them once, in order (bounded here to keep runs fast); `ending_on` never starts after its end.
#![no_main]

use adboard_domain::ads::{DateRange, parse_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let (since_raw, until_raw) = input.split_once('\n').unwrap_or((input, input));
    for raw in [since_raw, until_raw] {
        if let Ok(date) = parse_date("since", raw) {
            let text = raw.trim();
            assert_eq!(text.len(), 10);
            assert_eq!(date.to_string(), text, "display is not the accepted text");
            assert_eq!(parse_date("since", &date.to_string()), Ok(date));
        }
    }
    let Ok(range) = DateRange::parse(since_raw, until_raw) else {
        return;
    };
    assert!(range.since() <= range.until());
    let len = range.len_days();
    assert_eq!(len, (range.until() - range.since()).num_days() as u64 + 1);
    if len <= 2000 {
        let days: Vec<_> = range.days().collect();
        assert_eq!(days.len() as u64, len);
        assert_eq!(days.first(), Some(&range.since()));
        assert_eq!(days.last(), Some(&range.until()));
        assert!(days.windows(2).all(|w| w[0].succ_opt() == Some(w[1])));
    }
    let again = DateRange::parse(&range.since().to_string(), &range.until().to_string());
    assert_eq!(again, Ok(range));
    let week = DateRange::ending_on(range.until(), 7);
    assert!(week.since() <= week.until() && week.len_days() <= 7);
    let _ = range.check_against_today(range.until());
});
