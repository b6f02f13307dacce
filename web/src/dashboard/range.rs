//! The dashboard's date range: presets and custom dates from the URL, checked in the ad account's
//! timezone (since ≤ until, not in the future, at most 37 months back), and the previous period.

use adboard_domain::ads::{DateRange, parse_date};
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Deserialize;

/// The range part of a dashboard URL, as typed (every field optional; parsed by [`RangeChoice::parse`]).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RangeQuery {
    pub preset: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}

/// A named range relative to today in the account's timezone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Yesterday,
    Last7,
    Last14,
    Last30,
    Last90,
    ThisMonth,
    LastMonth,
}

impl Preset {
    /// Every preset, in the order the page offers them.
    pub const ALL: [Preset; 7] = [
        Preset::Yesterday,
        Preset::Last7,
        Preset::Last14,
        Preset::Last30,
        Preset::Last90,
        Preset::ThisMonth,
        Preset::LastMonth,
    ];

    /// The URL spelling (`preset=last_7d`).
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Yesterday => "yesterday",
            Preset::Last7 => "last_7d",
            Preset::Last14 => "last_14d",
            Preset::Last30 => "last_30d",
            Preset::Last90 => "last_90d",
            Preset::ThisMonth => "this_month",
            Preset::LastMonth => "last_month",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Preset::Yesterday => "Yesterday",
            Preset::Last7 => "Last 7 days",
            Preset::Last14 => "Last 14 days",
            Preset::Last30 => "Last 30 days",
            Preset::Last90 => "Last 90 days",
            Preset::ThisMonth => "This month",
            Preset::LastMonth => "Last month",
        }
    }

    fn parse(raw: &str) -> Result<Self, RangeError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == raw.trim())
            .ok_or(RangeError::UnknownPreset)
    }

    /// The days this preset covers when today (in the account's timezone) is `today`. "Last N
    /// days" and "yesterday" end yesterday; "this month" runs to today, as Facebook's presets do.
    pub fn resolve(self, today: NaiveDate) -> DateRange {
        let yesterday = today.pred_opt().unwrap_or(today);
        let first_of_month = today.with_day(1).unwrap_or(today);
        match self {
            Preset::Yesterday => DateRange::ending_on(yesterday, 1),
            Preset::Last7 => DateRange::ending_on(yesterday, 7),
            Preset::Last14 => DateRange::ending_on(yesterday, 14),
            Preset::Last30 => DateRange::ending_on(yesterday, 30),
            Preset::Last90 => DateRange::ending_on(yesterday, 90),
            Preset::ThisMonth => {
                DateRange::new(first_of_month, today).unwrap_or(DateRange::ending_on(today, 1))
            }
            Preset::LastMonth => {
                let last_day = first_of_month.pred_opt().unwrap_or(first_of_month);
                let first = first_of_month
                    .checked_sub_months(Months::new(1))
                    .unwrap_or(first_of_month);
                DateRange::new(first, last_day).unwrap_or(DateRange::ending_on(last_day, 1))
            }
        }
    }
}

/// What the URL asks for, before today is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeChoice {
    Preset(Preset),
    Custom { since: NaiveDate, until: NaiveDate },
}

/// The preset a dashboard opens with: the 7 days ending yesterday.
pub const DEFAULT_PRESET: Preset = Preset::Last7;

/// Why a range was refused. Each message is fixed text, never the input echoed back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeError {
    Malformed,
    HalfOpen,
    PresetAndDates,
    UnknownPreset,
    Reversed,
    InFuture,
    TooOld,
}

impl std::fmt::Display for RangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for RangeError {}

impl RangeError {
    /// The message as fixed text (the same as Display).
    pub fn message(self) -> &'static str {
        match self {
            RangeError::Malformed => "Dates are written YYYY-MM-DD, for example 2026-05-01.",
            RangeError::HalfOpen => "Give both a start and an end date, or pick a preset.",
            RangeError::PresetAndDates => "Pick a preset or custom dates, not both.",
            RangeError::UnknownPreset => "That preset does not exist; pick one from the list.",
            RangeError::Reversed => "The start date must not be after the end date.",
            RangeError::InFuture => "The end date is in the future (in the ad account's timezone).",
            RangeError::TooOld => {
                "Facebook keeps 37 months of data: the start date is further back than that."
            }
        }
    }
}

impl RangeChoice {
    /// Parses the URL's fields; no fields at all is [`DEFAULT_PRESET`].
    pub fn parse(query: &RangeQuery) -> Result<Self, RangeError> {
        let blank = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        match (
            blank(&query.preset),
            blank(&query.since),
            blank(&query.until),
        ) {
            (None, None, None) => Ok(RangeChoice::Preset(DEFAULT_PRESET)),
            (Some(preset), None, None) => Ok(RangeChoice::Preset(Preset::parse(&preset)?)),
            (Some(_), _, _) => Err(RangeError::PresetAndDates),
            (None, Some(since), Some(until)) => {
                let since = parse_date("since", &since).map_err(|_| RangeError::Malformed)?;
                let until = parse_date("until", &until).map_err(|_| RangeError::Malformed)?;
                if since > until {
                    return Err(RangeError::Reversed);
                }
                Ok(RangeChoice::Custom { since, until })
            }
            (None, _, _) => Err(RangeError::HalfOpen),
        }
    }

    /// The range for `today` (in the account's timezone), refused if it ends after today or
    /// starts more than 37 months back.
    pub fn resolve(self, today: NaiveDate) -> Result<DateRange, RangeError> {
        let range = match self {
            RangeChoice::Preset(preset) => preset.resolve(today),
            RangeChoice::Custom { since, until } => {
                DateRange::new(since, until).map_err(|_| RangeError::Reversed)?
            }
        };
        if range.until() > today {
            return Err(RangeError::InFuture);
        }
        if range.since() < DateRange::earliest_since(today) {
            return Err(RangeError::TooOld);
        }
        Ok(range)
    }

    /// The preset, if this is one (the page marks it current).
    pub fn preset(self) -> Option<Preset> {
        match self {
            RangeChoice::Preset(p) => Some(p),
            RangeChoice::Custom { .. } => None,
        }
    }
}

/// The period of equal length just before `range`, if Facebook still has it (37 months).
pub fn previous_period(range: DateRange, today: NaiveDate) -> Option<DateRange> {
    let until = range.since().checked_sub_days(Days::new(1))?;
    let previous = DateRange::ending_on(until, u32::try_from(range.len_days()).ok()?);
    (previous.since() >= DateRange::earliest_since(today)).then_some(previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap()
    }

    fn q(preset: Option<&str>, since: Option<&str>, until: Option<&str>) -> RangeQuery {
        RangeQuery {
            preset: preset.map(str::to_owned),
            since: since.map(str::to_owned),
            until: until.map(str::to_owned),
        }
    }

    #[test]
    fn presets_end_yesterday_except_this_month() {
        let today = d("2026-03-01");
        let r = |p: Preset| {
            let r = p.resolve(today);
            (r.since().to_string(), r.until().to_string())
        };
        assert_eq!(
            r(Preset::Yesterday),
            ("2026-02-28".into(), "2026-02-28".into())
        );
        assert_eq!(r(Preset::Last7), ("2026-02-22".into(), "2026-02-28".into()));
        assert_eq!(r(Preset::Last30).0, "2026-01-30");
        assert_eq!(
            r(Preset::ThisMonth),
            ("2026-03-01".into(), "2026-03-01".into())
        );
        assert_eq!(
            r(Preset::LastMonth),
            ("2026-02-01".into(), "2026-02-28".into())
        );
    }

    #[test]
    fn no_fields_is_the_last_seven_days() {
        assert_eq!(
            RangeChoice::parse(&q(None, None, None)),
            Ok(RangeChoice::Preset(Preset::Last7))
        );
    }

    #[test]
    fn bad_ranges_are_refused_with_their_reason() {
        let today = d("2026-06-15");
        let parse = |p, s, u| RangeChoice::parse(&q(p, s, u));
        assert_eq!(
            parse(None, Some("2026-5-01"), Some("2026-05-02")),
            Err(RangeError::Malformed)
        );
        assert_eq!(
            parse(None, Some("2026-02-30"), Some("2026-03-02")),
            Err(RangeError::Malformed)
        );
        assert_eq!(
            parse(None, Some("2026-05-02"), None),
            Err(RangeError::HalfOpen)
        );
        assert_eq!(
            parse(None, Some("2026-05-02"), Some("2026-05-01")),
            Err(RangeError::Reversed)
        );
        assert_eq!(
            parse(Some("last_7d"), Some("2026-05-02"), None),
            Err(RangeError::PresetAndDates)
        );
        assert_eq!(
            parse(Some("last_8d"), None, None),
            Err(RangeError::UnknownPreset)
        );
        let custom = |s: &str, u: &str| {
            RangeChoice::Custom {
                since: d(s),
                until: d(u),
            }
            .resolve(today)
        };
        assert_eq!(
            custom("2026-06-10", "2026-06-16"),
            Err(RangeError::InFuture)
        );
        assert!(
            custom("2026-06-10", "2026-06-15").is_ok(),
            "today itself is allowed"
        );
        assert_eq!(custom("2023-05-14", "2023-06-01"), Err(RangeError::TooOld));
        assert!(
            custom("2023-05-15", "2023-06-01").is_ok(),
            "exactly 37 months back is allowed"
        );
    }

    #[test]
    fn the_previous_period_has_the_same_length_and_ends_the_day_before() {
        let today = d("2026-06-15");
        let range = DateRange::new(d("2026-05-01"), d("2026-05-30")).unwrap();
        let prev = previous_period(range, today).unwrap();
        assert_eq!(
            (prev.since(), prev.until()),
            (d("2026-04-01"), d("2026-04-30"))
        );
        let old = DateRange::new(d("2023-05-15"), d("2023-06-01")).unwrap();
        assert_eq!(
            previous_period(old, today),
            None,
            "beyond 37 months: no comparison"
        );
    }
}
