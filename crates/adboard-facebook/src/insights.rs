//! Typed insights: the request (account, range, page size) and the daily row parsed exactly from
//! Facebook's strings (`rust_decimal` for money, integers for counts).

use std::str::FromStr;

use adboard_domain::ads::{AdAccountId, DateRange};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::GraphError;
use crate::wire::{ActionStatWire, InsightRowWire};

/// The fields asked for on every daily account-level insights request.
pub const INSIGHT_FIELDS: &str = "spend,impressions,inline_link_clicks,actions,action_values";

/// Daily, account-level insights for one account over one range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightsQuery {
    pub account: AdAccountId,
    pub range: DateRange,
}

impl InsightsQuery {
    pub fn new(account: AdAccountId, range: DateRange) -> Self {
        Self { account, range }
    }

    /// The Graph parameters shared by the sync GET and the async POST (without `limit`).
    pub fn params(&self) -> Vec<(String, String)> {
        let time_range = serde_json::json!({
            "since": self.range.since().to_string(),
            "until": self.range.until().to_string(),
        });
        vec![
            ("fields".into(), INSIGHT_FIELDS.into()),
            ("level".into(), "account".into()),
            ("time_increment".into(), "1".into()),
            ("time_range".into(), time_range.to_string()),
        ]
    }

    /// A page size big enough for the whole range in one page, capped at `max`.
    pub fn page_limit(&self, max: u32) -> u32 {
        u32::try_from(self.range.len_days())
            .unwrap_or(u32::MAX)
            .clamp(1, max.max(1))
    }
}

/// One `(action_type, value)` from `actions` or `action_values`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionValue {
    pub action_type: String,
    pub value: Decimal,
}

/// One day of account-level delivery, every number parsed exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyInsight {
    pub date: NaiveDate,
    pub spend: Decimal,
    pub impressions: u64,
    /// `inline_link_clicks`.
    pub clicks: u64,
    /// Empty when Facebook omitted `actions` (a day without actions).
    pub actions: Vec<ActionValue>,
    pub action_values: Vec<ActionValue>,
}

impl DailyInsight {
    /// The value of exactly one action type in `actions`, if present.
    pub fn action(&self, action_type: &str) -> Option<Decimal> {
        self.actions
            .iter()
            .find(|a| a.action_type == action_type)
            .map(|a| a.value)
    }

    /// The value of exactly one action type in `action_values`, if present.
    pub fn action_value(&self, action_type: &str) -> Option<Decimal> {
        self.action_values
            .iter()
            .find(|a| a.action_type == action_type)
            .map(|a| a.value)
    }
}

impl TryFrom<InsightRowWire> for DailyInsight {
    type Error = GraphError;

    fn try_from(row: InsightRowWire) -> Result<Self, Self::Error> {
        let date = NaiveDate::from_str(&row.date_start).map_err(|_| {
            GraphError::Decode("an insights row has a date_start that is not a date".into())
        })?;
        if let Some(stop) = &row.date_stop
            && stop != &row.date_start
        {
            return Err(GraphError::Decode(
                "an insights row spans more than one day".into(),
            ));
        }
        Ok(Self {
            date,
            spend: decimal("spend", row.spend.as_deref())?,
            impressions: count("impressions", row.impressions.as_deref())?,
            clicks: count("inline_link_clicks", row.inline_link_clicks.as_deref())?,
            actions: action_list("actions", row.actions)?,
            action_values: action_list("action_values", row.action_values)?,
        })
    }
}

fn decimal(field: &str, raw: Option<&str>) -> Result<Decimal, GraphError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(Decimal::ZERO),
        Some(text) => Decimal::from_str_exact(text)
            .or_else(|_| Decimal::from_scientific(text))
            .map_err(|_| GraphError::Decode(format!("{field} is not a number"))),
    }
}

fn count(field: &str, raw: Option<&str>) -> Result<u64, GraphError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(0),
        Some(text) => text
            .parse::<u64>()
            .map_err(|_| GraphError::Decode(format!("{field} is not a whole number"))),
    }
}

fn action_list(
    field: &str,
    list: Option<Vec<ActionStatWire>>,
) -> Result<Vec<ActionValue>, GraphError> {
    list.unwrap_or_default()
        .into_iter()
        .map(|a| {
            Ok(ActionValue {
                value: decimal(field, a.value.as_deref())?,
                action_type: a.action_type,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(json: &str) -> Result<DailyInsight, GraphError> {
        DailyInsight::try_from(serde_json::from_str::<InsightRowWire>(json).unwrap())
    }

    #[test]
    fn a_full_row_is_parsed_exactly() {
        let r = row(r#"{"spend":"41.27","impressions":"5120","inline_link_clicks":"88",
            "actions":[{"action_type":"link_click","value":"88"},{"action_type":"omni_purchase","value":"3"}],
            "action_values":[{"action_type":"omni_purchase","value":"120.50"}],
            "date_start":"2026-05-01","date_stop":"2026-05-01"}"#)
        .unwrap();
        assert_eq!(r.spend, Decimal::new(4127, 2));
        assert_eq!((r.impressions, r.clicks), (5120, 88));
        assert_eq!(r.action("omni_purchase"), Some(Decimal::from(3)));
        assert_eq!(
            r.action_value("omni_purchase"),
            Some(Decimal::new(12050, 2))
        );
        assert_eq!(r.action("purchase"), None);
    }

    #[test]
    fn a_row_without_actions_has_no_actions() {
        let r = row(r#"{"spend":"0.52","impressions":"40","inline_link_clicks":"1","date_start":"2026-05-03","date_stop":"2026-05-03"}"#)
            .unwrap();
        assert!(r.actions.is_empty() && r.action_values.is_empty());
    }

    #[test]
    fn a_value_that_is_not_a_number_is_a_decode_error() {
        let err = row(r#"{"spend":"12,5","date_start":"2026-05-03"}"#).unwrap_err();
        assert!(
            matches!(err, GraphError::Decode(ref m) if m.contains("spend")),
            "{err}"
        );
        assert!(row(r#"{"impressions":"1e3x","date_start":"2026-05-03"}"#).is_err());
        assert!(row(r#"{"actions":[{"action_type":"omni_purchase","value":"three"}],"date_start":"2026-05-03"}"#).is_err());
    }

    #[test]
    fn numbers_sent_as_json_numbers_are_accepted() {
        let r = row(r#"{"spend":1.5,"impressions":10,"date_start":"2026-05-03"}"#).unwrap();
        assert_eq!((r.spend, r.impressions), (Decimal::new(15, 1), 10));
    }

    #[test]
    fn a_row_spanning_several_days_is_rejected() {
        assert!(row(r#"{"date_start":"2026-05-01","date_stop":"2026-05-07"}"#).is_err());
    }

    #[test]
    fn query_asks_for_the_whole_range_in_one_page() {
        let q = InsightsQuery::new(
            AdAccountId::parse("1").unwrap(),
            DateRange::parse("2026-01-01", "2026-12-31").unwrap(),
        );
        assert_eq!(q.page_limit(1200), 365);
        assert_eq!(q.page_limit(100), 100);
        let params = q.params();
        assert!(params.contains(&(
            "time_range".into(),
            r#"{"since":"2026-01-01","until":"2026-12-31"}"#.into()
        )));
    }
}
