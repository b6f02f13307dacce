//! `GET /act_{id}/insights`: parameter parsing, row building and cursor paging (A1, A3, D).

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, Months, NaiveDate};
use serde_json::{Map, Value, json};

use super::data::{self, Metrics};
use super::errors::GraphError;
use super::faults::{self, FaultKind};
use super::usage::usage_headers;
use super::{auth, json_with};
use crate::Shared;
use crate::config::AdAccount;
use crate::params::Params;

/// Fields an insights row can carry.
pub const FIELDS: &[&str] = &[
    "account_id",
    "account_name",
    "account_currency",
    "spend",
    "impressions",
    "reach",
    "frequency",
    "clicks",
    "inline_link_clicks",
    "cpc",
    "cpm",
    "ctr",
    "actions",
    "action_values",
    "date_start",
    "date_stop",
];
const WINDOWS: &[&str] = &["1d_click", "7d_click", "28d_click", "1d_view"];
const LEVELS: &[&str] = &["account", "campaign", "adset", "ad"];

/// What rows to compute: everything except the page window.
#[derive(Debug, Clone)]
pub struct Selection {
    fields: Vec<String>,
    since: NaiveDate,
    until: NaiveDate,
    increment: Increment,
    windows: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
enum Increment {
    Days(u64),
    Monthly,
    AllDays,
}

/// Parses fields, level, time_range/date_preset, time_increment and attribution windows.
pub fn parse_selection(params: &Params) -> Result<Selection, GraphError> {
    let mut fields = params.fields();
    if let Some(bad) = fields.iter().find(|f| !FIELDS.contains(&f.as_str())) {
        return Err(GraphError::unknown_field(bad, "AdsInsights"));
    }
    if fields.is_empty() {
        fields = vec!["impressions".into(), "spend".into()];
    }
    if let Some(level) = params.non_empty("level")
        && !LEVELS.contains(&level)
    {
        return Err(GraphError::invalid_param(
            "param level must be one of {ad, adset, campaign, account}",
        ));
    }
    let today = chrono::Utc::now().date_naive();
    let (since, until) = match params.get("time_range") {
        Some(raw) => parse_time_range(raw)?,
        None => preset(params.non_empty("date_preset").unwrap_or("last_30d"), today)?,
    };
    if since > until {
        return Err(GraphError::invalid_param(
            "since must be on or before until in time_range",
        ));
    }
    if today
        .checked_sub_months(Months::new(37))
        .is_some_and(|limit| since < limit)
    {
        return Err(GraphError::too_old());
    }
    let increment = match params.non_empty("time_increment").unwrap_or("all_days") {
        "all_days" => Increment::AllDays,
        "monthly" => Increment::Monthly,
        n => match n.parse::<u64>() {
            Ok(n @ 1..=90) => Increment::Days(n),
            _ => {
                return Err(GraphError::invalid_param(
                    "param time_increment must be 1-90, monthly or all_days",
                ));
            }
        },
    };
    let windows = parse_windows(params.get("action_attribution_windows"))?;
    Ok(Selection {
        fields,
        since,
        until,
        increment,
        windows,
    })
}

fn parse_time_range(raw: &str) -> Result<(NaiveDate, NaiveDate), GraphError> {
    let bad = || {
        GraphError::invalid_param(
            "param time_range must be a JSON object with since and until dates (YYYY-MM-DD)",
        )
    };
    let v: Value = serde_json::from_str(raw).map_err(|_| bad())?;
    let date = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .ok_or_else(bad)
    };
    Ok((date("since")?, date("until")?))
}

fn preset(name: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), GraphError> {
    let yesterday = today.pred_opt().unwrap_or(today);
    let back = |days: u64| today - chrono::Days::new(days);
    let month_start = today.with_day(1).unwrap_or(today);
    Ok(match name {
        "today" => (today, today),
        "yesterday" => (yesterday, yesterday),
        "last_7d" => (back(7), yesterday),
        "last_14d" => (back(14), yesterday),
        "last_30d" => (back(30), yesterday),
        "last_90d" => (back(90), yesterday),
        "this_month" => (month_start, today),
        "maximum" => (
            today.checked_sub_months(Months::new(37)).unwrap_or(today),
            today,
        ),
        _ => {
            return Err(GraphError::invalid_param(
                "param date_preset is not a valid preset",
            ));
        }
    })
}

fn parse_windows(raw: Option<&str>) -> Result<Vec<String>, GraphError> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(Vec::new());
    };
    let list: Vec<String> = serde_json::from_str(raw)
        .unwrap_or_else(|_| raw.split(',').map(|s| s.trim().to_owned()).collect());
    match list.iter().find(|w| !WINDOWS.contains(&w.as_str())) {
        Some(w) => Err(GraphError::invalid_param(&format!(
            "param action_attribution_windows has an invalid value: {w}"
        ))),
        None => Ok(list),
    }
}

/// Every row of the selection for `account`, days without delivery left out.
pub fn rows(account: &AdAccount, sel: &Selection) -> Vec<Value> {
    let today = chrono::Utc::now().date_naive();
    let mut out = Vec::new();
    let mut start = sel.since;
    while start <= sel.until {
        let end = match sel.increment {
            Increment::AllDays => sel.until,
            Increment::Days(n) => (start + chrono::Days::new(n - 1)).min(sel.until),
            Increment::Monthly => start
                .checked_add_months(Months::new(1))
                .and_then(|d| d.with_day(1))
                .and_then(|d| d.pred_opt())
                .unwrap_or(sel.until)
                .min(sel.until),
        };
        let mut sum: Option<Metrics> = None;
        for day in start.iter_days().take_while(|d| *d <= end && *d <= today) {
            if let Some(m) = data::day(&account.account_id, day) {
                sum.get_or_insert_with(Metrics::default).add(&m);
            }
        }
        if let Some(m) = sum {
            out.push(row(account, start, end, &m, sel));
        }
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

fn row(
    account: &AdAccount,
    start: NaiveDate,
    end: NaiveDate,
    m: &Metrics,
    sel: &Selection,
) -> Value {
    let ratio = |num: f64, den: u64| format!("{:.6}", num / den as f64);
    let spend = m.spend_cents as f64 / 100.0;
    let mut r = Map::new();
    for f in &sel.fields {
        let v = match f.as_str() {
            "account_id" => json!(account.account_id),
            "account_name" => json!(account.name),
            "account_currency" => json!(account.currency),
            "spend" => json!(data::money(m.spend_cents)),
            "impressions" => json!(m.impressions.to_string()),
            "reach" => json!(m.reach.to_string()),
            "frequency" if m.reach > 0 => json!(ratio(m.impressions as f64, m.reach)),
            "clicks" => json!(m.clicks.to_string()),
            "inline_link_clicks" => json!(m.link_clicks.to_string()),
            "cpc" if m.clicks > 0 => json!(ratio(spend, m.clicks)),
            "cpm" if m.impressions > 0 => json!(ratio(spend * 1000.0, m.impressions)),
            "ctr" if m.impressions > 0 => json!(ratio(m.clicks as f64 * 100.0, m.impressions)),
            "actions" if !m.actions().is_empty() => action_list(&m.actions(), sel, false),
            "action_values" if !m.action_values().is_empty() => {
                action_list(&m.action_values(), sel, true)
            }
            _ => continue,
        };
        r.insert(f.clone(), v);
    }
    r.insert("date_start".into(), json!(start.to_string()));
    r.insert("date_stop".into(), json!(end.to_string()));
    Value::Object(r)
}

fn action_list(items: &[(&str, u64)], sel: &Selection, money: bool) -> Value {
    let fmt = |v: u64| if money { data::money(v) } else { v.to_string() };
    let list = items.iter().map(|(kind, value)| {
        let mut o = Map::new();
        o.insert("action_type".into(), json!(kind));
        o.insert("value".into(), json!(fmt(*value)));
        let view = value / 5;
        for w in &sel.windows {
            let part = match w.as_str() {
                "1d_view" => view,
                "1d_click" => (value - view) * 3 / 4,
                _ => value - view,
            };
            o.insert(w.clone(), json!(fmt(part)));
        }
        Value::Object(o)
    });
    Value::Array(list.collect())
}

/// Facebook's cursor for a 0-based row index: base64 of the decimal, `=` written as `ZD`.
pub fn cursor(index: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .encode(index.to_string())
        .replace('=', "ZD")
}

fn decode_cursor(c: &str) -> Result<i64, GraphError> {
    use base64::Engine;
    let mut body = c;
    let mut pad = 0;
    while let Some(rest) = body.strip_suffix("ZD") {
        body = rest;
        pad += 1;
    }
    let b64 = format!("{body}{}", "=".repeat(pad));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| GraphError::invalid_cursor())?;
    let n: i64 = String::from_utf8(bytes)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(GraphError::invalid_cursor)?;
    if n < -1 {
        Err(GraphError::invalid_cursor())
    } else {
        Ok(n)
    }
}

/// One page of `rows` per `limit`/`after`/`before`, with `paging.next` built on the sandbox's URL.
pub fn page(
    shared: &Shared,
    req: &HttpRequest,
    params: &Params,
    rows: Vec<Value>,
    empty_first_page: bool,
) -> Result<Value, GraphError> {
    let limit = match params.non_empty("limit") {
        None => shared.config.default_page_size,
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if n > 0 && n as u64 > shared.config.max_page_size as u64 => {
                return Err(GraphError::reduce_data());
            }
            Ok(n) if n > 0 => n as usize,
            _ => {
                return Err(GraphError::invalid_param(
                    "param limit must be a positive integer",
                ));
            }
        },
    };
    let n = rows.len();
    let (start, end) = if let Some(after) = params.non_empty("after") {
        let s = usize::try_from(decode_cursor(after)? + 1)
            .unwrap_or(0)
            .min(n);
        (s, (s + limit).min(n))
    } else if let Some(before) = params.non_empty("before") {
        let e = usize::try_from(decode_cursor(before)?).unwrap_or(0).min(n);
        (e.saturating_sub(limit), e)
    } else {
        (0, limit.min(n))
    };
    let link = |key: &str, value: String| {
        let mut pairs = params.without(&["after", "before", "limit"]);
        pairs.push(("limit".into(), limit.to_string()));
        pairs.push((key.into(), value));
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        format!("{}{}?{query}", shared.base_url, req.path())
    };
    if empty_first_page && start == 0 && n > 0 {
        let after = cursor(-1);
        return Ok(
            json!({"data": [], "paging": {"cursors": {"before": after, "after": after}, "next": link("after", after)}}),
        );
    }
    if n == 0 || start >= end {
        return Ok(json!({ "data": [] }));
    }
    let mut paging = Map::new();
    paging.insert(
        "cursors".into(),
        json!({"before": cursor(start as i64), "after": cursor(end as i64 - 1)}),
    );
    if start > 0 {
        paging.insert(
            "previous".into(),
            json!(link("before", cursor(start as i64))),
        );
    }
    if end < n {
        paging.insert("next".into(), json!(link("after", cursor(end as i64 - 1))));
    }
    // The page's rows are moved in, not copied (a page is often every row; `json!` would
    // serialize them into a new value).
    let data: Vec<Value> = rows.into_iter().skip(start).take(end - start).collect();
    let mut body = Map::new();
    body.insert("data".into(), Value::Array(data));
    body.insert("paging".into(), Value::Object(paging));
    Ok(Value::Object(body))
}

/// `GET /act_{id}/insights` (sync).
pub async fn get(shared: web::Data<Shared>, req: HttpRequest) -> Result<HttpResponse, GraphError> {
    let params = Params::from_request(&req, &[]);
    let caller = auth::authenticate(&shared, &req, &params).await?;
    let node = super::node(&req);
    let id = node.trim_start_matches("act_").to_owned();
    let headers = usage_headers(&id, 3);
    let result = async {
        faults::apply(&shared, Some(&id)).await?;
        let account = auth::account_for(&shared, &caller, &node)?;
        let sel = parse_selection(&params)?;
        let empty = params.get("after").is_none()
            && params.get("before").is_none()
            && faults::take_flag(&shared, &id, FaultKind::EmptyPageWithNext);
        page(&shared, &req, &params, rows(&account, &sel), empty)
    }
    .await;
    match result {
        Ok(body) => Ok(json_with(&req, &body, headers)),
        Err(e) => Err(e.with_headers(headers)),
    }
}
