//! What a dashboard failure tells the person: one message, status and retry/reconnect advice per
//! function error code or call failure, and for a team that cannot show data yet; mapped once to
//! `AppError::DataUnavailable` for the CSV and JSON answers (never a 500).

use adboard_domain::ads::AdAccountId;

use super::Blocked;
use super::function::{FetchError, FnCode};
use crate::error::AppError;

/// What a failed fetch tells the person: a message, whether to retry (and after how long), and
/// whether the fix is reconnecting Facebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub retry: bool,
    pub retry_after: Option<u64>,
    pub reconnect: bool,
    /// The HTTP status for machine-readable answers (CSV, JSON); never 500.
    pub status: u16,
}

impl Failure {
    pub fn of(err: &FetchError, account: &AdAccountId) -> Self {
        let retry_after = match err {
            FetchError::Function {
                code: FnCode::RateLimited,
                retry_after,
            } => Some(retry_after.unwrap_or(60)),
            _ => None,
        };
        let (status, retry, reconnect, message) = match err {
            FetchError::Function { code, .. } => match code {
                FnCode::InvalidRequest => (400, false, false, "Facebook refused this date range for the ad account. Pick another range.".to_owned()),
                FnCode::TokenInvalid | FnCode::TokenExpired => (409, false, true, "Reconnect needed: Facebook no longer accepts the connected token.".to_owned()),
                FnCode::PermissionDenied => (409, false, true, "Reconnect needed: the Facebook connection lacks the permission to read ads insights (ads_read).".to_owned()),
                FnCode::AccountNotFound => (409, false, false, format!(
                    "Facebook does not know ad account act_{account}, or the connected Facebook user cannot see it. The team's owner or an admin can change it in the team's settings."
                )),
                FnCode::RateLimited => (429, true, false, format!(
                    "Facebook is limiting how often this ad account can be read. Try again in {} seconds.",
                    retry_after.unwrap_or(60)
                )),
                FnCode::TooMuchData => (400, false, false, "Facebook could not build a report this large. Choose a shorter range.".to_owned()),
                FnCode::UpstreamUnavailable => (503, true, false, "Facebook is temporarily unavailable. Try again in a moment.".to_owned()),
                FnCode::UpstreamTimeout => (504, true, false, "Facebook did not answer in time. Try again in a moment.".to_owned()),
            },
            FetchError::Timeout => (504, true, false, "The data service did not answer in time. Try again in a moment.".to_owned()),
            FetchError::Unreachable(_) => (503, true, false, "The data service could not be reached. Try again in a moment.".to_owned()),
            FetchError::BadAnswer(_) => (502, true, false, "The data service answered something we could not read. Try again in a moment.".to_owned()),
            FetchError::Signing(_) => (503, true, false, "The data service could not be called (server configuration). Try again later.".to_owned()),
        };
        Self {
            message,
            retry,
            retry_after,
            reconnect,
            status,
        }
    }
}

impl From<Failure> for AppError {
    fn from(f: Failure) -> Self {
        AppError::DataUnavailable {
            status: f.status,
            message: f.message,
            retry_after: f.retry_after,
        }
    }
}

/// What a blocked team's members are told on machine-readable answers (CSV, JSON).
pub fn blocked_error(blocked: &Blocked) -> AppError {
    AppError::DataUnavailable {
        status: 409,
        message: match blocked {
            Blocked::NoConnector => "This team has not connected Facebook Ads yet.".to_owned(),
            Blocked::ReconnectNeeded(reason) => format!("Reconnect needed: {reason}"),
            Blocked::MissingSettings(missing) => {
                format!("The team's settings lack {}.", missing.join(" and "))
            }
        },
        retry_after: None,
    }
}
