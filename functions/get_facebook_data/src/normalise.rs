//! Normalisation: Facebook's sparse daily rows into a complete, ordered series with zeros for the
//! days Facebook omitted, ONE conversion action type, and exact totals.

use std::collections::BTreeMap;

use adboard_domain::ads::{ConversionEvent, DateRange};
use adboard_facebook::{AdAccount, DailyInsight, GraphError};
use rust_decimal::Decimal;

use crate::FnError;
use crate::output::{DayOut, SeriesResponse, Totals};

/// The action type counted for `event`: the first candidate present in any row (so every day
/// counts the same type), or the first candidate when none is present.
pub fn choose_action_type(event: &ConversionEvent, rows: &[DailyInsight]) -> String {
    let candidates = event.action_type_candidates();
    candidates
        .iter()
        .find(|c| {
            rows.iter()
                .any(|r| r.action(c).is_some() || r.action_value(c).is_some())
        })
        .or(candidates.first())
        .cloned()
        .unwrap_or_else(|| event.as_str().to_owned())
}

/// Builds the response for `range` from `rows` (rows outside the range are ignored; a repeated
/// day keeps its first row). Totals too large to add up (no real account spends 7.9e28) are an
/// unexpected answer from Facebook, not a panic.
pub fn normalise(
    account: &AdAccount,
    range: DateRange,
    event: &ConversionEvent,
    rows: Vec<DailyInsight>,
) -> Result<SeriesResponse, FnError> {
    let action_type = choose_action_type(event, &rows);
    let mut by_day: BTreeMap<_, DailyInsight> = BTreeMap::new();
    for row in rows {
        if row.date >= range.since() && row.date <= range.until() {
            by_day.entry(row.date).or_insert(row);
        }
    }
    let mut totals = Totals::default();
    let mut overflowed = false;
    let data: Vec<DayOut> = range
        .days()
        .map(|date| {
            let day = match by_day.get(&date) {
                Some(row) => DayOut {
                    date,
                    spend: row.spend.normalize(),
                    impressions: row.impressions,
                    clicks: row.clicks,
                    conversions: row
                        .action(&action_type)
                        .unwrap_or(Decimal::ZERO)
                        .normalize(),
                    conversion_value: row
                        .action_value(&action_type)
                        .unwrap_or(Decimal::ZERO)
                        .normalize(),
                },
                None => DayOut {
                    date,
                    spend: Decimal::ZERO,
                    impressions: 0,
                    clicks: 0,
                    conversions: Decimal::ZERO,
                    conversion_value: Decimal::ZERO,
                },
            };
            overflowed |= totals.add(&day).is_none();
            day
        })
        .collect();
    if overflowed {
        return Err(FnError::Graph(GraphError::Decode(
            "the daily figures are too large to add up".into(),
        )));
    }
    totals.spend = totals.spend.normalize();
    totals.conversions = totals.conversions.normalize();
    totals.conversion_value = totals.conversion_value.normalize();
    Ok(SeriesResponse {
        account_id: account.id.as_str().to_owned(),
        currency: account.currency.clone(),
        timezone: account.timezone_name.clone(),
        since: range.since(),
        until: range.until(),
        conversion_event: event.as_str().to_owned(),
        conversion_action_type: action_type,
        data,
        totals,
    })
}

impl Totals {
    /// Adds one day; `None` (and `self` partly updated) when a sum overflows.
    fn add(&mut self, day: &DayOut) -> Option<()> {
        self.spend = self.spend.checked_add(day.spend)?;
        self.impressions = self.impressions.checked_add(day.impressions)?;
        self.clicks = self.clicks.checked_add(day.clicks)?;
        self.conversions = self.conversions.checked_add(day.conversions)?;
        self.conversion_value = self.conversion_value.checked_add(day.conversion_value)?;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use adboard_domain::ads::AdAccountId;
    use adboard_facebook::ActionValue;

    use super::*;

    fn account() -> AdAccount {
        AdAccount {
            id: AdAccountId::parse("123").unwrap(),
            name: "Acme".into(),
            currency: "EUR".into(),
            timezone_name: "Europe/Berlin".into(),
            status: Some(1),
        }
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn row(
        date: &str,
        spend: &str,
        actions: &[(&str, &str)],
        values: &[(&str, &str)],
    ) -> DailyInsight {
        let list = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(t, v)| ActionValue {
                    action_type: (*t).into(),
                    value: dec(v),
                })
                .collect()
        };
        DailyInsight {
            date: date.parse().unwrap(),
            spend: dec(spend),
            impressions: 100,
            clicks: 7,
            actions: list(actions),
            action_values: list(values),
        }
    }

    #[test]
    fn omitted_days_are_zeros_and_every_day_appears_once_in_order() {
        let range = DateRange::parse("2026-05-01", "2026-05-03").unwrap();
        let rows = vec![
            row("2026-05-03", "0.52", &[], &[]),
            row("2026-05-01", "41.27", &[], &[]),
        ];
        let out = normalise(&account(), range, &ConversionEvent::default(), rows).unwrap();
        let dates: Vec<_> = out.data.iter().map(|d| d.date.to_string()).collect();
        assert_eq!(dates, ["2026-05-01", "2026-05-02", "2026-05-03"]);
        assert_eq!(out.data[1].spend, Decimal::ZERO);
        assert_eq!(out.totals.spend, dec("41.79"));
        assert_eq!(out.totals.impressions, 200);
    }

    #[test]
    fn overlapping_purchase_types_are_never_summed() {
        let range = DateRange::parse("2026-05-01", "2026-05-01").unwrap();
        let rows = vec![row(
            "2026-05-01",
            "1",
            &[
                ("offsite_conversion.fb_pixel_purchase", "3"),
                ("omni_purchase", "3"),
                ("purchase", "3"),
            ],
            &[
                ("omni_purchase", "120.50"),
                ("offsite_conversion.fb_pixel_purchase", "120.50"),
            ],
        )];
        let out = normalise(&account(), range, &ConversionEvent::default(), rows).unwrap();
        assert_eq!(out.conversion_action_type, "omni_purchase");
        assert_eq!(out.data[0].conversions, dec("3"));
        assert_eq!(out.data[0].conversion_value, dec("120.5"));
    }

    #[test]
    fn a_row_without_actions_counts_zero_conversions() {
        let range = DateRange::parse("2026-05-01", "2026-05-02").unwrap();
        let rows = vec![
            row("2026-05-01", "1", &[("purchase", "2")], &[]),
            row("2026-05-02", "1", &[], &[]),
        ];
        let out = normalise(&account(), range, &ConversionEvent::default(), rows).unwrap();
        assert_eq!(out.conversion_action_type, "purchase");
        assert_eq!(
            (out.data[0].conversions, out.data[1].conversions),
            (dec("2"), Decimal::ZERO)
        );
    }

    #[test]
    fn money_is_summed_exactly_and_written_as_json_numbers() {
        let range = DateRange::parse("2026-05-01", "2026-05-03").unwrap();
        let rows = ["2026-05-01", "2026-05-02", "2026-05-03"]
            .map(|d| row(d, "0.10", &[], &[]))
            .to_vec();
        let out = normalise(&account(), range, &ConversionEvent::default(), rows).unwrap();
        assert_eq!(out.totals.spend, dec("0.3"));
        let json = serde_json::to_string(&out).unwrap();
        assert!(
            json.contains(r#""totals":{"spend":0.3,"impressions":300"#),
            "{json}"
        );
        assert!(json.contains(r#"{"date":"2026-05-01","spend":0.1,"impressions":100,"clicks":7,"conversions":0,"conversion_value":0}"#), "{json}");
    }

    // Found by fuzzing (fuzz/fuzz_targets/graph_insights_page.rs, seed b90045e9…): impressions
    // of u64::MAX plus another day's overflowed the total (a panic; a silent wrap in release).
    // Money (Decimal) had the same flaw: its `+` panics past 7.9e28.
    #[test]
    fn totals_too_large_to_add_up_are_an_upstream_error_not_a_panic() {
        let range = DateRange::parse("2026-05-01", "2026-05-02").unwrap();
        let huge_spend = vec![
            row("2026-05-01", "79228162514264337593543950335", &[], &[]),
            row("2026-05-02", "1", &[], &[]),
        ];
        let mut huge_impressions = vec![
            row("2026-05-01", "1", &[], &[]),
            row("2026-05-02", "1", &[], &[]),
        ];
        huge_impressions[0].impressions = u64::MAX;
        for rows in [huge_spend, huge_impressions] {
            let err = normalise(&account(), range, &ConversionEvent::default(), rows).unwrap_err();
            assert_eq!(err.describe().1, "upstream_unavailable", "{err}");
        }
    }
}
