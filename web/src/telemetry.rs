//! Logging: a `tracing` subscriber and a root span per request that records the path — never the
//! query string, which carries OAuth codes and states on callbacks.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Installs the global subscriber (`RUST_LOG`, default `info`) writing to stdout; one line per
/// finished request.
pub fn init() {
    init_with_writer(std::io::stdout);
}

/// Same as [`init`], writing to `writer` (tests capture the log this way). A second call is a no-op.
pub fn init_with_writer<W>(writer: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("info,reqwest=warn,hyper=warn,hyper_util=warn,rustls=warn")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false)
        .with_ansi(false)
        .with_writer(writer)
        .try_init();
}

/// The request span: method, path (no query), status.
#[derive(Debug)]
pub struct PathOnlyRootSpan;

impl RootSpanBuilder for PathOnlyRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        tracing::info_span!(
            "http.request",
            http.method = %request.method(),
            http.path = %request.path(),
            http.status = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let status = match outcome {
            Ok(response) => response.status().as_u16(),
            Err(error) => error.as_response_error().status_code().as_u16(),
        };
        span.record("http.status", status);
    }
}
