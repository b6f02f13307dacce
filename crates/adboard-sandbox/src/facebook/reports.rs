//! Async insights reports (A4–A6): `POST /act_{id}/insights`, `GET /{report_run_id}`,
//! `GET /{report_run_id}/insights`. A job advances one step per status poll.

use std::sync::atomic::Ordering;

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Map, Value, json};

use super::auth::{self, Caller};
use super::errors::GraphError;
use super::faults::{self, FaultKind};
use super::insights::{self, Selection};
use super::usage::usage_headers;
use super::{json_ok, json_with};
use crate::Shared;
use crate::config::AdAccount;
use crate::params::Params;

const FIRST_REPORT_ID: u64 = 6_023_920_149_050;
/// Report runs kept in memory; the oldest is forgotten beyond this.
const MAX_REPORTS: usize = 10_000;

/// One async report run.
#[derive(Debug, Clone)]
pub struct ReportRun {
    account: AdAccount,
    user_id: String,
    selection: Selection,
    polls: u32,
    fails: bool,
    time_ref: i64,
}

impl ReportRun {
    fn completed(&self, polls_needed: u32) -> bool {
        !self.fails && self.polls >= polls_needed
    }
}

fn user_id(caller: &Caller) -> Option<&str> {
    match caller {
        Caller::User(t) => Some(&t.user_id),
        Caller::App(_) => None,
    }
}

/// `POST /act_{id}/insights` → `{"report_run_id": "…"}`.
pub async fn create(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, GraphError> {
    let params = Params::from_request(&req, &body);
    let caller = auth::authenticate(&shared, &req, &params).await?;
    let node = super::node(&req);
    let id = node
        .strip_prefix("act_")
        .ok_or_else(|| GraphError::unknown_object(&node))?;
    let headers = usage_headers(id, 3);
    faults::apply(&shared, Some(id))
        .await
        .map_err(|e| e.with_headers(headers.clone()))?;
    let account = auth::account_for(&shared, &caller, &node)?;
    let selection = insights::parse_selection(&params)?;
    let fails = faults::take_flag(&shared, id, FaultKind::ReportFails);
    let run_id =
        (FIRST_REPORT_ID + shared.facebook.report_seq.fetch_add(1, Ordering::Relaxed)).to_string();
    let run = ReportRun {
        account,
        user_id: user_id(&caller).unwrap_or_default().to_owned(),
        selection,
        polls: 0,
        fails,
        time_ref: super::now().0,
    };
    {
        let mut reports = shared.facebook.reports.lock().expect("reports lock");
        if reports.len() >= MAX_REPORTS {
            // Ids are equal-length digit strings, so the smallest string is the oldest run.
            if let Some(oldest) = reports.keys().min().cloned() {
                reports.remove(&oldest);
            }
        }
        reports.insert(run_id.clone(), run);
    }
    Ok(json_with(
        &req,
        &json!({ "report_run_id": run_id }),
        headers,
    ))
}

fn lookup(shared: &Shared, caller: &Caller, id: &str) -> Result<ReportRun, GraphError> {
    let reports = shared.facebook.reports.lock().expect("reports lock");
    reports
        .get(id)
        .filter(|r| Some(r.user_id.as_str()) == user_id(caller))
        .cloned()
        .ok_or_else(|| GraphError::unknown_object(id))
}

/// `GET /{report_run_id}`: the job's status; each poll advances it one step.
pub async fn status(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, GraphError> {
    let params = Params::from_request(&req, &[]);
    let caller = auth::authenticate(&shared, &req, &params).await?;
    faults::apply(&shared, None).await?;
    let id = &super::node(&req);
    lookup(&shared, &caller, id)?;
    let run = {
        let mut reports = shared.facebook.reports.lock().expect("reports lock");
        let run = reports
            .get_mut(id)
            .ok_or_else(|| GraphError::unknown_object(id))?;
        run.polls += 1;
        run.clone()
    };
    let needed = shared.config.async_polls_to_complete.max(1);
    let mut o = Map::new();
    o.insert("id".into(), json!(id));
    o.insert("account_id".into(), json!(run.account.account_id));
    o.insert("time_ref".into(), json!(run.time_ref));
    let (status, pct, running) = if run.fails && run.polls >= 2 {
        ("Job Failed", 0, false)
    } else if run.completed(needed) {
        ("Job Completed", 100, false)
    } else if run.polls + 1 == needed && !run.fails {
        ("Job Running", 100, true)
    } else if run.polls == 1 {
        ("Job Not Started", 0, true)
    } else {
        ("Job Running", 100 * run.polls / needed, true)
    };
    o.insert("async_status".into(), json!(status));
    o.insert("async_percent_completion".into(), json!(pct));
    if running {
        o.insert("is_running".into(), json!(true));
    }
    if status == "Job Completed" {
        o.insert("time_completed".into(), json!(run.time_ref + 1));
    }
    if status == "Job Failed" {
        o.insert("error_code".into(), json!(-3));
        o.insert("error_subcode".into(), json!(1504045));
        o.insert("error_message".into(), json!("Report too large"));
        o.insert("error_user_title".into(), json!("Report Too Large"));
        o.insert(
            "error_user_msg".into(),
            json!("Your report was too large. Check the documentation for guidance and try again."),
        );
    }
    Ok(json_ok(&req, &Value::Object(o)))
}

/// `GET /{report_run_id}/insights`: the finished report's rows, paged like sync insights.
pub async fn results(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, GraphError> {
    let params = Params::from_request(&req, &[]);
    let caller = auth::authenticate(&shared, &req, &params).await?;
    faults::apply(&shared, None).await?;
    let id = &super::node(&req);
    let run = lookup(&shared, &caller, id)?;
    let headers = usage_headers(&run.account.account_id, 3);
    if !run.completed(shared.config.async_polls_to_complete.max(1)) {
        return Err(GraphError::report_not_ready().with_headers(headers));
    }
    let rows = insights::rows(&run.account, &run.selection);
    let body = insights::page(&shared, &req, &params, rows, false)?;
    Ok(json_with(&req, &body, headers))
}
