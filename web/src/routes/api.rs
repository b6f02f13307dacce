//! The JSON API's handlers (`/api/…`) and Facebook's platform callbacks (`/facebook/…`, the
//! data-deletion status page): parse, one `api` service call, answer JSON. Errors are answered
//! as `{"error": {"code", "message"}}` by the error handler for these paths.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use adboard_store::DeletionCode;
use serde::Deserialize;
use serde_json::json;

use crate::accounts;
use crate::api::{self, ProviderTokenBody, facebook_callbacks};
use crate::error::AppError;
use crate::extract::{ApiCaller, client_ip};
use crate::sessions;
use crate::state::AppState;
use crate::templates::{Nav, html, page_context, timestamp};

/// The OpenAPI 3 document of this API (kept beside the code; a test checks it against the
/// behaviour).
pub const OPENAPI: &str = include_str!("../api/openapi.json");

/// The JSON body of `/api/…` POSTs: at most 16 KB, `application/json` only, an object.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(16 * 1024)
        .error_handler(|err, _| {
            use actix_web::error::JsonPayloadError as E;
            match err {
                E::ContentType => AppError::UnsupportedMediaType,
                E::Overflow { .. } | E::OverflowKnownLength { .. } => AppError::PayloadTooLarge,
                _ => AppError::BadRequest(
                    "The body must be a JSON object such as {\"access_token\": \"…\"}.",
                ),
            }
            .into()
        })
}

fn ok_json(body: serde_json::Value) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// What the profile shows for a token: the provider's name and the app's own User-Agent (cut).
fn token_label(provider: &str, req: &HttpRequest) -> String {
    let provider: &str = match adboard_domain::account::Provider::parse(provider) {
        Ok(known) => crate::accounts::provider_label(known),
        Err(_) => provider,
    };
    let agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown app");
    let agent: String = agent.chars().filter(|c| !c.is_control()).take(80).collect();
    format!("{provider} · {agent}")
}

/// `POST /api/auth/{provider}`: the provider's token → our user and a new API token.
pub async fn auth(
    state: web::Data<AppState>,
    req: HttpRequest,
    provider: web::Path<String>,
    body: web::Json<ProviderTokenBody>,
) -> Result<HttpResponse, AppError> {
    let store = state.store.as_ref();
    let user = state
        .api
        .failures
        .guard(client_ip(&req, &state.api), async {
            let verified = api::verify(&state.providers, &provider, &body).await?;
            api::user_for(store, &verified).await
        })
        .await?;
    let token = api::tokens::issue(store, user.id, &token_label(&provider, &req)).await?;
    Ok(ok_json(json!({
        "id": user.id.to_string(),
        "username": user.name.as_str(),
        "email": user.email.as_ref().map(|e| e.as_str()),
        "token": token,
    })))
}

/// `POST /api/associate/{provider}`: links the provider account to the caller's account.
pub async fn associate(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: ApiCaller,
    provider: web::Path<String>,
    body: web::Json<ProviderTokenBody>,
) -> Result<HttpResponse, AppError> {
    let verified = state
        .api
        .failures
        .guard(
            client_ip(&req, &state.api),
            api::verify(&state.providers, &provider, &body),
        )
        .await?;
    accounts::link(state.store.as_ref(), caller.user, verified).await?;
    Ok(ok_json(json!({ "success": true })))
}

/// `POST /api/logout`: revokes the API token the call carries.
pub async fn logout(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> Result<HttpResponse, AppError> {
    let token = caller.token.ok_or(AppError::BadRequest(
        "Send the API token to revoke as `Authorization: Bearer <token>`.",
    ))?;
    api::tokens::revoke(state.store.as_ref(), caller.user, &token).await?;
    Ok(ok_json(json!({ "success": true })))
}

/// `GET /api/me`: the caller's account and linked sign-ins.
pub async fn me(state: web::Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, AppError> {
    let (user, identities) = state
        .store
        .get_user_with_identities(caller.user)
        .await?
        .ok_or(AppError::ApiUnauthorized)?;
    let identities: Vec<_> = identities
        .iter()
        .map(
            |i| json!({"provider": i.key.provider.as_str(), "linked_at": i.linked_at.to_rfc3339()}),
        )
        .collect();
    Ok(ok_json(json!({
        "id": user.id.to_string(),
        "username": user.name.as_str(),
        "email": user.email.as_ref().map(|e| e.as_str()),
        "identities": identities,
    })))
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(OPENAPI)
}

/// The form Facebook posts to its platform callbacks.
#[derive(Debug, Deserialize)]
pub struct SignedRequestForm {
    signed_request: String,
}

/// Our app id and secret, which Facebook's callbacks are signed for.
fn facebook_app(state: &AppState) -> Result<(&str, &secrecy::SecretString), AppError> {
    let facebook = state
        .providers
        .facebook
        .as_ref()
        .ok_or(AppError::NotFound)?;
    let secret = facebook
        .graph()
        .settings()
        .app_secret
        .as_ref()
        .ok_or(AppError::NotConfigured(
            "Facebook's callbacks need FACEBOOK_APP_SECRET.",
        ))?;
    Ok((facebook.app_id(), secret))
}

/// The checked signed_request of a callback, and our app id.
fn checked(
    state: &AppState,
    form: &SignedRequestForm,
) -> Result<(String, facebook_callbacks::SignedRequest), AppError> {
    let (app_id, secret) = facebook_app(state)?;
    let request = facebook_callbacks::check(
        &form.signed_request,
        secret,
        chrono::Utc::now().timestamp(),
        &state.api.signed_requests,
    )?;
    Ok((app_id.to_owned(), request))
}

/// `POST /facebook/deauthorize`: the person removed our app on Facebook.
pub async fn deauthorize(
    state: web::Data<AppState>,
    form: web::Form<SignedRequestForm>,
) -> Result<HttpResponse, AppError> {
    let (app_id, request) = checked(&state, &form)?;
    facebook_callbacks::forget_facebook_user(state.store.as_ref(), &app_id, &request.user_id)
        .await?;
    Ok(ok_json(json!({ "success": true })))
}

/// `POST /facebook/data-deletion`: the person asked Facebook to have us delete their data.
pub async fn data_deletion(
    state: web::Data<AppState>,
    form: web::Form<SignedRequestForm>,
) -> Result<HttpResponse, AppError> {
    let (app_id, request) = checked(&state, &form)?;
    let store = state.store.as_ref();
    let forgotten =
        facebook_callbacks::forget_facebook_user(store, &app_id, &request.user_id).await?;
    let code = facebook_callbacks::record_deletion(store, forgotten).await?;
    Ok(ok_json(json!({
        "url": format!("{}/data-deletion/{}", state.public_url, code.as_str()),
        "confirmation_code": code.as_str(),
    })))
}

/// `GET /data-deletion/{code}`: the status of a data-deletion request, for the person.
pub async fn deletion_status(
    state: web::Data<AppState>,
    session: Session,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let store = state.store.as_ref();
    let code = DeletionCode::parse(&code).ok_or(AppError::UnknownDeletionCode)?;
    let request = store
        .get_deletion_request(&code)
        .await?
        .ok_or(AppError::UnknownDeletionCode)?;
    // A signed-in visitor keeps their navbar (never "Sign in" to someone signed in).
    let user = match sessions::verify(store, &state.sessions, &session, false).await? {
        Some(id) => store.get_user(id).await?,
        None => None,
    };
    let mut context = page_context(&session, user.as_ref(), Nav::None)?;
    context.insert("code", code.as_str());
    context.insert("requested_at", &timestamp(request.requested_at));
    context.insert("completed_at", &request.completed_at.map(timestamp));
    context.insert("identities", &request.identities_deleted);
    context.insert("connectors", &request.connectors_deleted);
    Ok(html(
        state.templates.render("data_deletion.html", &context)?,
    ))
}
