//! Integration tests of get_facebook_data: the handler in-process against the sandbox over real
//! HTTP (wiremock for two edge cases), and the Lambda adapter with the example events.

mod bad_input;
mod helpers;
#[cfg(feature = "lambda")]
mod lambda_events;
mod secrets;
mod series;
mod upstream;
