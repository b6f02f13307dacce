//! get_facebook_data's JSON contract as the web app reads it: the series types are the function's
//! own (`get_facebook_data::output`, one file for the contract); only the error envelope is read
//! here, with its code as text (an unknown code is an answer outside the contract).

use serde::Deserialize;

pub use get_facebook_data::{DayOut as Day, SeriesResponse as Series, Totals};

/// Every non-200 answer of the function.
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    #[serde(default)]
    pub retry_after: Option<u64>,
}
