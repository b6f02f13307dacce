//! The Lambda entry point: builds settings, the Graph client and tracing, then serves requests.

use adboard_facebook::{GraphClient, Settings};
use get_facebook_data::{Deps, lambda::handle_lambda};
use lambda_http::{Error, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_current_span(false)
        .without_time()
        .with_target(false)
        .init();
    let settings = Settings::from_env()?;
    let deps = Deps::new(GraphClient::new(settings)?);
    tracing::info!("get_facebook_data ready");
    lambda_http::run(service_fn(|req| handle_lambda(&deps, req))).await
}
