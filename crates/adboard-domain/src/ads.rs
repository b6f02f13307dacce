//! Advertising types: ad account ids, date ranges and conversion events, each parsed strictly.

use std::fmt;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A Facebook ad account id: 1 to 20 ASCII digits, stored without the `act_` prefix.
///
/// Parsing accepts `1234` and `act_1234` and nothing else: no paths (`act_12/../me`), no query
/// strings (`12?x=1`), no signs, no whitespace inside, no ids longer than a `u64` can spell.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AdAccountId(String);

impl AdAccountId {
    /// The longest id accepted (a `u64` has 20 digits; real ids have 15–17).
    pub const MAX_DIGITS: usize = 20;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(DomainError::Missing {
                field: "account_id",
            });
        }
        let digits = raw.strip_prefix("act_").unwrap_or(raw);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid(
                "account_id",
                "must be digits, optionally prefixed with act_",
            ));
        }
        if digits.len() > Self::MAX_DIGITS {
            return Err(DomainError::invalid("account_id", "is too long"));
        }
        Ok(Self(digits.to_owned()))
    }

    /// The bare digits, e.g. `1234`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Graph node name, e.g. `act_1234`.
    pub fn graph_node(&self) -> String {
        format!("act_{}", self.0)
    }
}

impl TryFrom<String> for AdAccountId {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<AdAccountId> for String {
    fn from(value: AdAccountId) -> Self {
        value.0
    }
}

impl fmt::Display for AdAccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses a calendar date written exactly `YYYY-MM-DD` (no `2026-5-1`, no `2026-02-30`).
pub fn parse_date(field: &'static str, raw: &str) -> Result<NaiveDate, DomainError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(DomainError::Missing { field });
    }
    let shaped = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(DomainError::invalid(
            field,
            "must be a date written YYYY-MM-DD",
        ));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| DomainError::invalid(field, "is not a calendar date"))
}

/// An inclusive range of calendar days with `since <= until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DateRange {
    since: NaiveDate,
    until: NaiveDate,
}

impl DateRange {
    /// How far back Facebook serves insights, in months before today.
    pub const MAX_MONTHS_BACK: u32 = 37;

    pub fn new(since: NaiveDate, until: NaiveDate) -> Result<Self, DomainError> {
        if since > until {
            return Err(DomainError::invalid("since", "must not be after until"));
        }
        Ok(Self { since, until })
    }

    /// Parses both ends (`YYYY-MM-DD`) and checks their order.
    pub fn parse(since: &str, until: &str) -> Result<Self, DomainError> {
        Self::new(parse_date("since", since)?, parse_date("until", until)?)
    }

    /// The `days` days ending with `last` (inclusive); `days` is at least 1.
    pub fn ending_on(last: NaiveDate, days: u32) -> Self {
        let since = last
            .checked_sub_days(Days::new(u64::from(days.max(1)) - 1))
            .unwrap_or(NaiveDate::MIN);
        Self { since, until: last }
    }

    pub fn since(&self) -> NaiveDate {
        self.since
    }

    pub fn until(&self) -> NaiveDate {
        self.until
    }

    /// Number of days in the range (at least 1).
    pub fn len_days(&self) -> u64 {
        (self.until - self.since).num_days().unsigned_abs() + 1
    }

    /// Every day from `since` to `until`, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let until = self.until;
        self.since.iter_days().take_while(move |d| *d <= until)
    }

    /// The earliest `since` Facebook accepts when today is `today` (in the account's timezone).
    pub fn earliest_since(today: NaiveDate) -> NaiveDate {
        today
            .checked_sub_months(Months::new(Self::MAX_MONTHS_BACK))
            .unwrap_or(NaiveDate::MIN)
    }

    /// Checks the range against today's date in the account's timezone: it may not start more
    /// than 37 months back nor end after today.
    pub fn check_against_today(&self, today: NaiveDate) -> Result<(), DomainError> {
        if self.since < Self::earliest_since(today) {
            return Err(DomainError::invalid("since", "is more than 37 months back"));
        }
        if self.until > today {
            return Err(DomainError::invalid("until", "is in the future"));
        }
        Ok(())
    }
}

/// The conversion a report counts, e.g. `purchase`, `lead` or a raw Facebook `action_type` such as
/// `offsite_conversion.custom.123`. Lower-case ASCII letters, digits, `_` and `.`; at most 100.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ConversionEvent(String);

impl ConversionEvent {
    pub const MAX_LEN: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(DomainError::Missing {
                field: "conversion_event",
            });
        }
        if raw.len() > Self::MAX_LEN {
            return Err(DomainError::invalid("conversion_event", "is too long"));
        }
        let ok = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.');
        if !ok || raw.starts_with('.') || raw.ends_with('.') {
            return Err(DomainError::invalid(
                "conversion_event",
                "must be an action type: lower-case letters, digits, '_' and '.'",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The default event, `purchase`.
    pub fn purchase() -> Self {
        Self("purchase".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Facebook `action_type`s that report this event, most inclusive first. They overlap (the
    /// same purchase is counted under several), so a report uses exactly ONE of them, never a sum.
    pub fn action_type_candidates(&self) -> Vec<String> {
        let family: &[&str] = match self.0.as_str() {
            "purchase" => &[
                "omni_purchase",
                "purchase",
                "offsite_conversion.fb_pixel_purchase",
                "onsite_web_purchase",
            ],
            "lead" => &[
                "lead",
                "offsite_conversion.fb_pixel_lead",
                "onsite_conversion.lead_grouped",
            ],
            "complete_registration" => &[
                "omni_complete_registration",
                "complete_registration",
                "offsite_conversion.fb_pixel_complete_registration",
            ],
            "add_to_cart" => &[
                "omni_add_to_cart",
                "add_to_cart",
                "offsite_conversion.fb_pixel_add_to_cart",
            ],
            "initiate_checkout" => &[
                "omni_initiated_checkout",
                "initiate_checkout",
                "offsite_conversion.fb_pixel_initiate_checkout",
            ],
            other => return vec![other.to_owned()],
        };
        family.iter().map(|s| (*s).to_owned()).collect()
    }
}

impl Default for ConversionEvent {
    fn default() -> Self {
        Self::purchase()
    }
}

impl TryFrom<String> for ConversionEvent {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ConversionEvent> for String {
    fn from(value: ConversionEvent) -> Self {
        value.0
    }
}

impl fmt::Display for ConversionEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn account_id_accepts_digits_with_or_without_act_prefix() {
        assert_eq!(AdAccountId::parse("1234").unwrap().as_str(), "1234");
        assert_eq!(AdAccountId::parse("act_1234").unwrap().as_str(), "1234");
        assert_eq!(
            AdAccountId::parse(" act_1234 ").unwrap().graph_node(),
            "act_1234"
        );
    }

    #[test]
    fn blank_account_id_is_missing() {
        for raw in ["", "   "] {
            assert_eq!(
                AdAccountId::parse(raw),
                Err(DomainError::Missing {
                    field: "account_id"
                })
            );
        }
    }

    #[test]
    fn account_id_with_path_query_or_letters_is_rejected() {
        for raw in [
            "act_12/../me",
            "12?x=1",
            "abc",
            "act_",
            "act_-1",
            "+12",
            "1 2",
            "ACT_12",
            "12%2F",
            "١٢٣",
        ] {
            assert!(
                matches!(AdAccountId::parse(raw), Err(DomainError::Invalid { .. })),
                "{raw:?} accepted"
            );
        }
    }

    #[test]
    fn account_id_of_25_digits_is_rejected_but_20_are_accepted() {
        assert!(AdAccountId::parse(&"1".repeat(25)).is_err());
        assert!(AdAccountId::parse(&"9".repeat(20)).is_ok());
    }

    #[test]
    fn account_id_converts_from_and_into_strings_as_bare_digits() {
        let id = AdAccountId::try_from("act_42".to_owned()).unwrap();
        assert_eq!(String::from(id), "42");
        assert!(AdAccountId::try_from("act_4/2".to_owned()).is_err());
    }

    #[test]
    fn february_30_is_not_a_date() {
        assert!(matches!(
            parse_date("since", "2026-02-30"),
            Err(DomainError::Invalid { .. })
        ));
    }

    #[test]
    fn dates_must_be_written_yyyy_mm_dd() {
        for raw in [
            "2026-5-01",
            "2026/05/01",
            "01-05-2026",
            "2026-05-01T00:00",
            "+2026-05-01",
            "2026-13-01",
        ] {
            assert!(parse_date("since", raw).is_err(), "{raw:?} accepted");
        }
        assert_eq!(
            parse_date("since", "2024-02-29").unwrap(),
            date("2024-02-29")
        );
    }

    #[test]
    fn since_after_until_is_rejected() {
        assert!(DateRange::parse("2026-05-02", "2026-05-01").is_err());
        assert_eq!(
            DateRange::parse("2026-05-01", "2026-05-01")
                .unwrap()
                .len_days(),
            1
        );
    }

    #[test]
    fn range_lists_every_day_in_order() {
        let range = DateRange::parse("2026-02-27", "2026-03-02").unwrap();
        let days: Vec<_> = range.days().map(|d| d.to_string()).collect();
        assert_eq!(
            days,
            ["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]
        );
        assert_eq!(range.len_days(), 4);
    }

    #[test]
    fn ending_on_builds_the_last_n_days() {
        let range = DateRange::ending_on(date("2026-05-07"), 7);
        assert_eq!(
            (range.since(), range.until()),
            (date("2026-05-01"), date("2026-05-07"))
        );
    }

    #[test]
    fn thirty_eight_months_back_is_rejected_and_thirty_seven_accepted() {
        let today = date("2026-11-21");
        let ok = DateRange::parse("2023-10-21", "2026-11-20").unwrap();
        assert!(ok.check_against_today(today).is_ok());
        let too_old = DateRange::parse("2023-10-20", "2026-11-20").unwrap();
        assert!(too_old.check_against_today(today).is_err());
        let thirty_eight = DateRange::parse("2023-09-21", "2023-09-30").unwrap();
        assert!(thirty_eight.check_against_today(today).is_err());
    }

    #[test]
    fn a_range_ending_after_today_is_rejected() {
        let range = DateRange::parse("2026-11-20", "2026-11-22").unwrap();
        assert!(range.check_against_today(date("2026-11-21")).is_err());
    }

    #[test]
    fn conversion_event_accepts_action_types_and_rejects_others() {
        assert_eq!(
            ConversionEvent::parse("offsite_conversion.custom.123")
                .unwrap()
                .as_str(),
            "offsite_conversion.custom.123"
        );
        for raw in [
            "Purchase",
            "pur chase",
            "a/b",
            ".purchase",
            "purchase.",
            &"x".repeat(101),
        ] {
            assert!(ConversionEvent::parse(raw).is_err(), "{raw:?} accepted");
        }
        assert_eq!(
            ConversionEvent::parse(""),
            Err(DomainError::Missing {
                field: "conversion_event"
            })
        );
    }

    #[test]
    fn purchase_is_the_default_and_lists_its_overlapping_types_once() {
        let candidates = ConversionEvent::default().action_type_candidates();
        assert_eq!(candidates[0], "omni_purchase");
        assert!(candidates.contains(&"offsite_conversion.fb_pixel_purchase".to_owned()));
        assert_eq!(
            ConversionEvent::parse("lead")
                .unwrap()
                .action_type_candidates()[0],
            "lead"
        );
        assert_eq!(
            ConversionEvent::parse("x.y")
                .unwrap()
                .action_type_candidates(),
            ["x.y"]
        );
    }
}
