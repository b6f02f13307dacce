//! get_facebook_data: parse a request, fetch daily account insights, normalise them into a
//! complete daily series. The core (`FetchRequest::parse` → [`get_series`] → [`SeriesResponse`],
//! [`handle`] for the whole HTTP exchange, or [`answer`] for the same exchange with typed values)
//! is plain Rust the web app calls in-process; the `lambda_http` adapter sits behind the default
//! `lambda` feature, which the web app turns off. The public JSON contract lives in [`output`].
//! Tokens are `SecretString`s end to end and never appear in logs or error bodies.

mod error;
mod handler;
#[cfg(feature = "lambda")]
pub mod lambda;
mod normalise;
pub mod output;
mod request;
mod service;

pub use error::FnError;
pub use handler::{HttpOutput, answer, error_output, handle};
pub use normalise::{choose_action_type, normalise};
pub use output::{DayOut, ErrorBody, ErrorEnvelope, SeriesResponse, Totals};
pub use request::{FetchRequest, HttpInput, MAX_BODY_BYTES};
pub use service::{AccountCache, Clock, DEFAULT_DAYS, Deps, get_series, resolve_range, today_in};
