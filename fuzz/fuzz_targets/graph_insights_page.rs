//! Fuzz target: one Graph insights page (wire JSON → typed daily rows → normalised series).
//!
//! Properties: a typed row is one day (`date_stop` absent or equal) and its counts are exactly the
//! wire text's; the normalised series has exactly one row per day of its range, in order, each day
//! either the first row Facebook sent for it or zeros, totals equal to the sum of the days, and
//! the JSON it is served as carries the same exact decimals.
#![no_main]

use adboard_domain::ads::{AdAccountId, ConversionEvent, DateRange};
use adboard_facebook::wire::{InsightRowWire, PageWire};
use adboard_facebook::{AdAccount, DailyInsight};
use chrono::{Days, NaiveDate};
use get_facebook_data::{SeriesResponse, normalise};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

/// The longest range normalised per input (keeps each run fast; real ranges are ≤ 37 months).
const MAX_DAYS: u64 = 1200;

fuzz_target!(|data: &[u8]| {
    let Ok(page) = serde_json::from_slice::<PageWire<InsightRowWire>>(data) else {
        return;
    };
    let mut rows = Vec::new();
    for wire in page.data {
        let Ok(row) = DailyInsight::try_from(wire.clone()) else {
            continue;
        };
        check_row(&wire, &row);
        rows.push(row);
    }
    let event = ConversionEvent::purchase();
    for range in ranges(&rows) {
        match normalise(&account(), range, &event, rows.clone()) {
            Ok(series) => check_series(&series, range, &rows),
            Err(err) => {
                assert_eq!(err.describe().1, "upstream_unavailable", "{err}");
                assert!(
                    magnitudes_overflow(&rows),
                    "{err} without a sum that overflows"
                );
            }
        }
    }
});

/// True when the sum of every figure's magnitude overflows: the only reason to refuse a series.
fn magnitudes_overflow(rows: &[DailyInsight]) -> bool {
    let mut money = Some(Decimal::ZERO);
    let mut counts = Some(0u64);
    let mut impressions = Some(0u64);
    for row in rows {
        let values = row
            .actions
            .iter()
            .chain(&row.action_values)
            .map(|a| a.value);
        for value in std::iter::once(row.spend).chain(values) {
            money = money.and_then(|m| m.checked_add(value.abs()));
        }
        impressions = impressions.and_then(|n| n.checked_add(row.impressions));
        counts = counts.and_then(|n| n.checked_add(row.clicks));
    }
    money.is_none() || counts.is_none() || impressions.is_none()
}

fn check_row(wire: &InsightRowWire, row: &DailyInsight) {
    assert_eq!(Ok(row.date), wire.date_start.parse::<NaiveDate>());
    if let Some(stop) = &wire.date_stop {
        assert_eq!(stop, &wire.date_start);
    }
    fn count(raw: &Option<String>) -> Option<&str> {
        raw.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }
    assert_eq!(
        count(&wire.impressions).map(|t| t.parse::<u64>().unwrap()),
        count(&wire.impressions).map(|_| row.impressions)
    );
    assert_eq!(
        count(&wire.inline_link_clicks).map(|t| t.parse::<u64>().unwrap()),
        count(&wire.inline_link_clicks).map(|_| row.clicks)
    );
    assert_eq!(row.actions.len(), wire.actions.as_ref().map_or(0, Vec::len));
}

/// The range spanning the rows (one day wider each side, bounded) and a fixed week.
fn ranges(rows: &[DailyInsight]) -> Vec<DateRange> {
    let week = DateRange::parse("2026-05-01", "2026-05-07").unwrap();
    let (Some(first), Some(last)) = (
        rows.iter().map(|r| r.date).min(),
        rows.iter().map(|r| r.date).max(),
    ) else {
        return vec![week];
    };
    let since = first.checked_sub_days(Days::new(1)).unwrap_or(first);
    let until = last
        .checked_add_days(Days::new(1))
        .unwrap_or(last)
        .min(since.checked_add_days(Days::new(MAX_DAYS)).unwrap_or(last));
    vec![week, DateRange::new(since, until).unwrap()]
}

fn check_series(series: &SeriesResponse, range: DateRange, rows: &[DailyInsight]) {
    assert_eq!(series.data.len() as u64, range.len_days());
    assert_eq!((series.since, series.until), (range.since(), range.until()));
    let mut expected_date: NaiveDate = range.since();
    let (mut spend, mut impressions) = (Decimal::ZERO, 0u64);
    for day in &series.data {
        assert_eq!(day.date, expected_date, "one row per day, in order");
        expected_date = expected_date.succ_opt().unwrap_or(expected_date);
        match rows.iter().find(|r| r.date == day.date) {
            Some(row) => {
                assert_eq!(day.spend, row.spend);
                assert_eq!((day.impressions, day.clicks), (row.impressions, row.clicks));
            }
            None => assert!(day.spend.is_zero() && day.impressions == 0 && day.clicks == 0),
        }
        spend += day.spend;
        impressions += day.impressions;
    }
    assert_eq!(series.totals.spend, spend);
    assert_eq!(series.totals.impressions, impressions);
    // Served as JSON, every number is the exact decimal (never through a float).
    let json: serde_json::Value = serde_json::to_value(series).unwrap();
    let as_decimal = |v: &serde_json::Value| -> Decimal { v.to_string().parse().unwrap() };
    assert_eq!(as_decimal(&json["totals"]["spend"]), series.totals.spend);
    for (out, day) in json["data"].as_array().unwrap().iter().zip(&series.data) {
        assert_eq!(as_decimal(&out["spend"]), day.spend);
        assert_eq!(as_decimal(&out["conversions"]), day.conversions);
    }
}

fn account() -> AdAccount {
    AdAccount {
        id: AdAccountId::parse("1234567890").unwrap(),
        name: "Fuzz".into(),
        currency: "EUR".into(),
        timezone_name: "Europe/Berlin".into(),
        status: Some(1),
    }
}
