//! The Facebook half of the sandbox: Login dialog, token endpoint and Graph API routes.

pub mod auth;
pub mod data;
pub mod dialog;
pub mod errors;
pub mod faults;
pub mod graph;
pub mod insights;
pub mod oauth;
pub mod reports;
pub mod tokens;
pub mod usage;

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

use actix_web::{HttpRequest, HttpResponse, web};

use crate::Shared;
pub use crate::util::{now, random_alnum};
pub use errors::GraphError;

/// The version Graph answers with when the path carries none.
pub const DEFAULT_VERSION: &str = "v26.0";

/// Mutable Facebook-side state (codes, pending dialogs, revocations, faults, async reports).
#[derive(Debug, Default)]
pub struct FacebookState {
    /// Authorization codes issued by the dialog.
    pub codes: Mutex<HashMap<String, dialog::IssuedCode>>,
    /// Dialog requests waiting for the user's choice, by opaque request id.
    pub pending: Mutex<HashMap<String, dialog::PendingDialog>>,
    /// (user id, app id) → unix ms of `DELETE /me/permissions`.
    pub revoked: Mutex<HashMap<(String, String), i64>>,
    /// (user id, app id) → permissions the user declined in the dialog ("Edit access"); the
    /// dialog asks for them again only with `auth_type=rerequest`. Revocation forgets them.
    pub declined: Mutex<HashMap<(String, String), BTreeSet<String>>>,
    /// Faults set through the admin API.
    pub faults: Mutex<faults::Faults>,
    /// Async report runs by id.
    pub reports: Mutex<HashMap<String, reports::ReportRun>>,
    /// Next report run id.
    pub report_seq: AtomicU64,
}

/// Mounts every Facebook route, with and without a `v\d+.\d+` version prefix.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::scope("/{version:v[0-9]+\\.[0-9]+}").configure(routes))
        .configure(routes);
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/dialog/oauth")
            .route(web::get().to(dialog::show))
            .route(web::post().to(dialog::submit)),
    )
    .service(
        web::resource("/oauth/access_token")
            .route(web::get().to(oauth::access_token))
            .route(web::post().to(oauth::access_token)),
    )
    .route("/debug_token", web::get().to(graph::debug_token))
    .route("/me", web::get().to(graph::me))
    .route("/me/adaccounts", web::get().to(graph::adaccounts))
    .route("/me/permissions", web::delete().to(graph::revoke))
    .service(
        web::resource("/{node}/insights")
            .route(web::get().to(node_insights))
            .route(web::post().to(reports::create)),
    )
    .route("/{node}", web::get().to(node_get));
}

/// `GET /{node}`: an ad account (`act_{id}`) or an async report run's status.
async fn node_get(shared: web::Data<Shared>, req: HttpRequest) -> Result<HttpResponse, GraphError> {
    if node(&req).starts_with("act_") {
        graph::account(shared, req).await
    } else {
        reports::status(shared, req).await
    }
}

/// `GET /{node}/insights`: an ad account's insights (sync) or an async report run's rows.
async fn node_insights(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, GraphError> {
    if node(&req).starts_with("act_") {
        insights::get(shared, req).await
    } else {
        reports::results(shared, req).await
    }
}

/// The Graph version of this request (`v26.0` when the path has none).
pub fn version(req: &HttpRequest) -> String {
    req.match_info()
        .get("version")
        .unwrap_or(DEFAULT_VERSION)
        .to_owned()
}

/// The `{node}` path segment (percent-decoded by the router).
pub fn node(req: &HttpRequest) -> String {
    req.match_info().get("node").unwrap_or_default().to_owned()
}

/// A random `fbtrace_id`-like string.
pub fn trace_id() -> String {
    random_alnum(11)
}

/// A JSON 200 response with Facebook's usual headers.
pub fn json_ok(req: &HttpRequest, body: &serde_json::Value) -> HttpResponse {
    json_with(req, body, Vec::new())
}

/// A JSON 200 response with Facebook's usual headers plus `extra`.
pub fn json_with(
    req: &HttpRequest,
    body: &serde_json::Value,
    extra: Vec<(String, String)>,
) -> HttpResponse {
    let mut resp = HttpResponse::Ok();
    resp.content_type("application/json; charset=UTF-8")
        .insert_header(("facebook-api-version", version(req)))
        .insert_header(("x-fb-trace-id", trace_id()))
        .insert_header(("x-fb-request-id", random_alnum(22)));
    if !extra.iter().any(|(k, _)| k == "x-app-usage") {
        resp.insert_header((
            "x-app-usage",
            r#"{"call_count":1,"total_time":1,"total_cputime":1}"#,
        ));
    }
    for (k, v) in extra {
        resp.insert_header((k, v));
    }
    // Straight into bytes: `Value`'s `Display` (`to_string`) writes the same text through the
    // formatter machinery, at about twice the cost.
    resp.body(serde_json::to_vec(body).expect("a JSON value always serializes"))
}
