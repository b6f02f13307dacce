//! Adboard's Graph API client: typed requests for insights (sync, and async report runs when a
//! report is too large or slow), ad accounts, `debug_token`, token exchange, `me/adaccounts` and
//! `DELETE me/permissions`. Every call sends the token as a Bearer header (never in a URL), adds
//! `appsecret_proof` when an app secret is configured, follows `paging.next` until it is absent,
//! retries transient errors and rate limits with backoff inside a time budget (reading the usage
//! headers, on errors too) and turns Facebook's error envelope into a typed [`GraphError`].
//! Facebook's JSON is read into wire structs (`wire`) and converted with `TryFrom` into typed rows
//! (`rust_decimal` for money). It knows nothing of the web app, the store or the sandbox.

mod accounts;
mod client;
mod error;
mod insights;
mod proof;
mod report;
mod settings;
mod transport;
mod usage;
pub mod wire;

pub use accounts::{AccessToken, AdAccount, Profile, TokenInfo};
pub use client::GraphClient;
pub use error::{ErrorKind, FacebookError, GraphError};
pub use insights::{ActionValue, DailyInsight, INSIGHT_FIELDS, InsightsQuery};
pub use proof::appsecret_proof;
pub use report::ReportRunState;
pub use settings::Settings;
pub use usage::Usage;
