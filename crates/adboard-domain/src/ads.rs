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
mod tests;
