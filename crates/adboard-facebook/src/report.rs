//! Async insights report runs: start (`POST /act_{id}/insights`), poll `async_status` with backoff
//! starting near 1 s, then read `/{report_run_id}/insights` page by page.

use std::time::{Duration, Instant};

use reqwest::Method;
use secrecy::SecretString;
use tracing::instrument;

use crate::error::FacebookError;
use crate::insights::{DailyInsight, InsightsQuery};
use crate::transport::{Call, decode};
use crate::wire::{InsightRowWire, ReportRunStartWire, ReportRunWire};
use crate::{GraphClient, GraphError};

/// Where an async report run stands, read from `async_status` (never from the percentage, which
/// can read 100 while the job is still running).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportRunState {
    /// `Job Not Started`, `Job Started`, `Job Running` or a status we do not know yet.
    Pending(String),
    /// `Job Completed`.
    Completed,
    /// `Job Failed` / `Job Skipped`, with Facebook's error fields when present.
    Failed {
        status: String,
        error: Option<Box<FacebookError>>,
    },
}

impl From<ReportRunWire> for ReportRunState {
    fn from(wire: ReportRunWire) -> Self {
        let status = wire.async_status.unwrap_or_default();
        match status.as_str() {
            "Job Completed" => Self::Completed,
            "Job Failed" | "Job Skipped" => {
                let error =
                    (wire.error_code.is_some() || wire.error_message.is_some()).then(|| {
                        Box::new(FacebookError {
                            http_status: 200,
                            code: wire.error_code.and_then(|c| c.parse().ok()),
                            subcode: wire.error_subcode.and_then(|c| c.parse().ok()),
                            message: wire.error_message.unwrap_or_default(),
                            ..FacebookError::default()
                        })
                    });
                Self::Failed { status, error }
            }
            _ => Self::Pending(status),
        }
    }
}

/// First poll delay, then ×1.5 per poll up to [`MAX_POLL`].
const FIRST_POLL: Duration = Duration::from_millis(1000);
const MAX_POLL: Duration = Duration::from_secs(10);

impl GraphClient {
    /// Runs the query as an async report and returns its rows.
    #[instrument(skip_all, fields(account.id = %query.account))]
    pub async fn daily_insights_async(
        &self,
        token: &SecretString,
        query: &InsightsQuery,
    ) -> Result<Vec<DailyInsight>, GraphError> {
        let run_id = self.start_report_run(token, query).await?;
        let deadline = Instant::now() + self.settings.report_timeout;
        let mut delay = FIRST_POLL;
        loop {
            if Instant::now() + delay > deadline {
                return Err(GraphError::ReportTimeout);
            }
            tokio::time::sleep(delay).await;
            match self.report_run_state(token, &run_id).await? {
                ReportRunState::Completed => break,
                ReportRunState::Failed { status, error } => {
                    return Err(GraphError::ReportFailed { status, error });
                }
                ReportRunState::Pending(status) => {
                    tracing::debug!(report.status = %status, "report run pending")
                }
            }
            delay = delay.mul_f64(1.5).min(MAX_POLL);
        }
        let limit = query.page_limit(self.settings.page_limit);
        let call = Call::get(format!("{run_id}/insights"), Some(token))
            .query([("limit".into(), limit.to_string())]);
        let rows: Vec<InsightRowWire> = self.get_all_pages(call).await?;
        rows.into_iter().map(DailyInsight::try_from).collect()
    }

    /// `POST /act_{id}/insights` with the query as a form body; returns the `report_run_id`.
    pub async fn start_report_run(
        &self,
        token: &SecretString,
        query: &InsightsQuery,
    ) -> Result<String, GraphError> {
        let call = Call {
            method: Method::POST,
            form: Some(query.params()),
            ..Call::get(
                format!("{}/insights", query.account.graph_node()),
                Some(token),
            )
        };
        let wire: ReportRunStartWire = decode(&self.send(&call).await?.body)?;
        wire.report_run_id
            .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| GraphError::Decode("report_run_id is missing or not numeric".into()))
    }

    /// `GET /{report_run_id}`.
    pub async fn report_run_state(
        &self,
        token: &SecretString,
        run_id: &str,
    ) -> Result<ReportRunState, GraphError> {
        let call = Call::get(run_id.to_owned(), Some(token));
        let wire: ReportRunWire = decode(&self.send(&call).await?.body)?;
        Ok(ReportRunState::from(wire))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(json: &str) -> ReportRunState {
        ReportRunState::from(serde_json::from_str::<ReportRunWire>(json).unwrap())
    }

    #[test]
    fn running_at_100_percent_is_still_pending() {
        let s = state(
            r#"{"id":"1","async_status":"Job Running","async_percent_completion":100,"is_running":true}"#,
        );
        assert_eq!(s, ReportRunState::Pending("Job Running".into()));
    }

    #[test]
    fn completed_and_failed_are_read_from_the_status_text() {
        assert_eq!(
            state(r#"{"async_status":"Job Completed","async_percent_completion":100}"#),
            ReportRunState::Completed
        );
        let failed = state(
            r#"{"async_status":"Job Failed","async_percent_completion":0,"error_code":-3,"error_subcode":1504045,"error_message":"Report too large"}"#,
        );
        let ReportRunState::Failed { error: Some(e), .. } = failed else {
            panic!("not failed: {failed:?}")
        };
        assert_eq!((e.code, e.subcode), (Some(-3), Some(1504045)));
        assert_eq!(e.kind(), crate::ErrorKind::TooMuchData);
    }
}
