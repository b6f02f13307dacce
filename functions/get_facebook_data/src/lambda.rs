//! The `lambda_http` adapter (feature `lambda`): a Lambda request becomes an [`HttpInput`], the
//! handler's [`HttpOutput`] becomes a Lambda response. Works for function URLs (payload v2) and
//! API Gateway REST (v1) events.

use lambda_http::http::header::AUTHORIZATION;
use lambda_http::{Body, Error, Request, RequestExt, Response};

use crate::handler::{HttpOutput, handle};
use crate::{Deps, HttpInput};

/// `service_fn(|req| lambda::handle_lambda(&deps, req))`.
pub async fn handle_lambda(deps: &Deps, req: Request) -> Result<Response<Body>, Error> {
    let query: Vec<(String, String)> = req
        .query_string_parameters_ref()
        .map(|q| {
            q.iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let authorization = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let input = HttpInput {
        method: req.method().as_str(),
        query: &query,
        authorization,
        body: req.body().as_ref(),
    };
    to_response(handle(deps, input).await)
}

fn to_response(out: HttpOutput) -> Result<Response<Body>, Error> {
    let mut builder = Response::builder().status(out.status);
    for (name, value) in out.headers {
        builder = builder.header(name, value);
    }
    Ok(builder.body(Body::Text(out.body))?)
}
