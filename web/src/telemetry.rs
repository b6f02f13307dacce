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
        EnvFilter::new("info,reqwest=warn,hyper=warn,hyper_util=warn,rustls=warn,actix_server=warn")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false)
        .with_ansi(false)
        .with_writer(writer)
        .try_init();
}

/// The longest path logged whole; longer ones are cut (a 10 KB path is not worth 10 KB of log).
const MAX_LOGGED_PATH_CHARS: usize = 256;

/// `path`, cut to [`MAX_LOGGED_PATH_CHARS`] characters with `…` and its full length appended.
pub fn logged_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.char_indices().nth(MAX_LOGGED_PATH_CHARS) {
        None => path.into(),
        Some((cut, _)) => format!("{}…({} bytes)", &path[..cut], path.len()).into(),
    }
}

/// The request span: method, path (no query, cut when long), status.
#[derive(Debug)]
pub struct PathOnlyRootSpan;

impl RootSpanBuilder for PathOnlyRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        tracing::info_span!(
            "http.request",
            http.method = %request.method(),
            http.path = %logged_path(request.path()),
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

#[cfg(test)]
mod tests {
    use super::logged_path;

    #[test]
    fn long_paths_are_cut_in_the_log_and_short_ones_kept() {
        assert_eq!(logged_path("/teams"), "/teams");
        let long = format!("/{}", "é".repeat(5000));
        let logged = logged_path(&long);
        assert!(logged.chars().count() < 300, "{logged}");
        assert!(logged.ends_with("(10001 bytes)"), "{logged}");
    }
}
