//! Graph nodes other than insights: `/debug_token` (B2/B3), `/me`, `/me/adaccounts` (B1),
//! `DELETE /me/permissions` (B6) and `/act_{id}`.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Map, Value, json};

use super::auth::{self, Caller};
use super::errors::GraphError;
use super::{faults, json_ok};
use crate::Shared;
use crate::config::AdAccount;
use crate::params::Params;

const ACCOUNT_FIELDS: &[&str] = &[
    "id",
    "account_id",
    "name",
    "currency",
    "timezone_name",
    "account_status",
];
const USER_FIELDS: &[&str] = &["id", "name", "email", "first_name", "last_name"];

/// `GET /debug_token?input_token=…` with an app token (or a user token of the app).
pub async fn debug_token(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, GraphError> {
    let params = Params::from_request(&req, &[]);
    let caller = auth::authenticate(&shared, &req, &params).await?;
    let app_id = match &caller {
        Caller::App(id) => id.clone(),
        Caller::User(t) => t.app_id.clone(),
    };
    let Some(input) = params.non_empty("input_token") else {
        return Err(GraphError::invalid_param(
            "The parameter input_token is required",
        ));
    };
    // Facebook lets an app inspect only its own tokens: one issued to another app, valid or
    // not, is refused outright (HTTP 400, code 100) and nothing about it is disclosed.
    let foreign =
        GraphError::invalid_param("The App_id in the input_token did not match the Viewing App");
    let data = match auth::check_token(&shared, input) {
        Ok(Caller::User(t)) if t.app_id == app_id => {
            let mut d = describe(&shared, &t);
            d.insert("is_valid".into(), json!(true));
            Value::Object(d)
        }
        Ok(Caller::App(id)) if id == app_id => {
            json!({"app_id": id, "type": "APP", "application": shared.config.app_name, "is_valid": true, "scopes": []})
        }
        Ok(_) => return Err(foreign),
        Err(e) => match auth::token_claims(&shared, input) {
            Some(t) if t.app_id != app_id => return Err(foreign),
            Some(t) => {
                let mut d = describe(&shared, &t);
                d.insert("is_valid".into(), json!(false));
                d.insert("error".into(), debug_error(&e));
                d.remove("data_access_expires_at");
                Value::Object(d)
            }
            None => json!({"error": debug_error(&e), "is_valid": false, "scopes": []}),
        },
    };
    Ok(json_ok(&req, &json!({ "data": data })))
}

fn debug_error(e: &GraphError) -> Value {
    let body = e.body();
    let err = &body["error"];
    let mut out = Map::new();
    out.insert("code".into(), err["code"].clone());
    if let Some(sub) = err.get("error_subcode") {
        out.insert("subcode".into(), sub.clone());
    }
    out.insert("message".into(), err["message"].clone());
    Value::Object(out)
}

fn describe(shared: &Shared, t: &super::tokens::UserToken) -> Map<String, Value> {
    let mut d = Map::new();
    d.insert("app_id".into(), json!(t.app_id));
    d.insert("type".into(), json!("USER"));
    d.insert("application".into(), json!(shared.config.app_name));
    d.insert(
        "data_access_expires_at".into(),
        json!(t.issued_ms / 1000 + 90 * 86_400),
    );
    d.insert("expires_at".into(), json!(t.expires_at));
    if t.long_lived {
        d.insert("issued_at".into(), json!(t.issued_ms / 1000));
    }
    d.insert("scopes".into(), json!(t.scopes));
    let ids: Vec<String> = shared
        .config
        .user_by_facebook_id(&t.user_id)
        .map(|u| u.ad_accounts.iter().map(|a| a.account_id.clone()).collect())
        .unwrap_or_default();
    let granular: Vec<Value> = t
        .scopes
        .iter()
        .filter(|s| s.starts_with("ads_"))
        .map(|s| json!({"scope": s, "target_ids": ids}))
        .collect();
    d.insert("granular_scopes".into(), json!(granular));
    d.insert("user_id".into(), json!(t.user_id));
    d
}

fn check_fields(fields: &[String], known: &[&str], node: &str) -> Result<(), GraphError> {
    match fields.iter().find(|f| !known.contains(&f.as_str())) {
        Some(bad) => Err(GraphError::unknown_field(bad, node)),
        None => Ok(()),
    }
}

/// `GET /me?fields=id,name,email` (`email` only when the token has the `email` permission).
pub async fn me(shared: web::Data<Shared>, req: HttpRequest) -> Result<HttpResponse, GraphError> {
    let params = Params::from_request(&req, &[]);
    let caller = auth::authenticate(&shared, &req, &params).await?;
    faults::apply(&shared, None).await?;
    let user = auth::user_of(&shared, &caller).ok_or_else(|| {
        GraphError::invalid_param(
            "An active access token must be used to query information about the current user.",
        )
    })?;
    let mut fields = params.fields();
    check_fields(&fields, USER_FIELDS, "User")?;
    if fields.is_empty() {
        fields = vec!["name".into(), "id".into()];
    }
    let email_granted = matches!(&caller, Caller::User(t) if t.scopes.iter().any(|s| s == "email"));
    let mut out = Map::new();
    for f in &fields {
        let (first, last) = user.name.split_once(' ').unwrap_or((&user.name, ""));
        let v = match f.as_str() {
            "name" => json!(user.name),
            // Facebook leaves the field out when the token lacks the `email` permission.
            "email" if email_granted => json!(user.email),
            "first_name" => json!(first),
            "last_name" => json!(last),
            _ => continue,
        };
        out.insert(f.clone(), v);
    }
    out.insert("id".into(), json!(user.facebook_id));
    Ok(json_ok(&req, &Value::Object(out)))
}

fn account_json(a: &AdAccount, fields: &[String]) -> Value {
    let mut out = Map::new();
    for f in fields {
        let v = match f.as_str() {
            "account_id" => json!(a.account_id),
            "name" => json!(a.name),
            "currency" => json!(a.currency),
            "timezone_name" => json!(a.timezone_name),
            "account_status" => json!(a.account_status),
            _ => continue,
        };
        out.insert(f.clone(), v);
    }
    out.insert("id".into(), json!(format!("act_{}", a.account_id)));
    Value::Object(out)
}

/// `GET /me/adaccounts?fields=…` (B1), one page.
pub async fn adaccounts(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, GraphError> {
    let params = Params::from_request(&req, &[]);
    let caller = auth::authenticate(&shared, &req, &params).await?;
    faults::apply(&shared, None).await?;
    let user = auth::user_of(&shared, &caller).ok_or_else(|| {
        GraphError::invalid_param(
            "An active access token must be used to query information about the current user.",
        )
    })?;
    let mut fields = params.fields();
    check_fields(&fields, ACCOUNT_FIELDS, "AdAccount")?;
    if fields.is_empty() {
        fields = vec!["account_id".into()];
    }
    let data: Vec<Value> = user
        .ad_accounts
        .iter()
        .map(|a| account_json(a, &fields))
        .collect();
    let mut body = json!({ "data": data });
    if let (Some(first), Some(last)) = (user.ad_accounts.first(), user.ad_accounts.last()) {
        use base64::Engine;
        let enc =
            |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("QVFIU{s}"));
        body["paging"] =
            json!({"cursors": {"before": enc(&first.account_id), "after": enc(&last.account_id)}});
    }
    Ok(json_ok(&req, &body))
}

/// `DELETE /me/permissions` (B6): revokes every token of the user for the app.
pub async fn revoke(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, GraphError> {
    let params = Params::from_request(&req, &[]);
    let caller = auth::authenticate(&shared, &req, &params).await?;
    let Caller::User(t) = caller else {
        return Err(GraphError::invalid_param("A user access token is required"));
    };
    let (_, now_ms) = super::now();
    let key = (t.user_id, t.app_id);
    shared
        .facebook
        .declined
        .lock()
        .expect("declined lock")
        .remove(&key);
    shared
        .facebook
        .revoked
        .lock()
        .expect("revoked lock")
        .insert(key, now_ms);
    Ok(json_ok(&req, &json!({ "success": true })))
}

/// `GET /act_{id}`.
pub async fn account(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, GraphError> {
    let params = Params::from_request(&req, &[]);
    let caller = auth::authenticate(&shared, &req, &params).await?;
    let node = super::node(&req);
    let id = node.trim_start_matches("act_");
    faults::apply(&shared, Some(id)).await?;
    let account = auth::account_for(&shared, &caller, &node)?;
    let mut fields = params.fields();
    check_fields(&fields, ACCOUNT_FIELDS, "AdAccount")?;
    if fields.is_empty() {
        fields = ACCOUNT_FIELDS.iter().map(|f| (*f).to_owned()).collect();
    }
    Ok(json_ok(&req, &account_json(&account, &fields)))
}
