//! `GET /oauth/authorize` (and `/oauth/authenticate`): the pick-a-user page for a request token;
//! its form POST redirects to the callback with `oauth_token` and `oauth_verifier`, or `denied`.

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::Shared;
use crate::html::{escape, page};
use crate::params::Params;
use crate::util::{now, random_alnum};

/// Seconds a request token waits for the user and the exchange.
pub const REQUEST_TOKEN_TTL_SECS: i64 = 900;

/// A request token from `POST /oauth/request_token`.
#[derive(Debug, Clone)]
pub struct RequestToken {
    /// `oauth_token_secret`.
    pub secret: String,
    /// The confirmed `oauth_callback` (a registered URL or `oob`).
    pub callback: String,
    /// Set once the user authorised: (verifier, test user handle).
    pub authorised: Option<(String, String)>,
    /// Unix seconds.
    pub expires_at: i64,
}

const INVALID: &str = "Whoa there! The request token for this page is invalid. It may have already \
     been used, or expired because it is too old. Please go back to the site or application that \
     sent you here and try again; it was probably just a mistake.";

fn html(status: u16, title: &str, body: &str) -> HttpResponse {
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    )
    .content_type("text/html; charset=utf-8")
    .insert_header(("Cache-Control", "no-store"))
    .body(page(title, body))
}

fn invalid() -> HttpResponse {
    html(
        400,
        "X / Error",
        &format!("<p role=\"alert\">{}</p>", escape(INVALID)),
    )
}

/// Stores a new request token; its (token, secret).
pub fn issue(shared: &Shared, callback: &str) -> (String, String) {
    let (token, secret) = (random_alnum(27), random_alnum(32));
    let (now, _) = now();
    let mut map = shared.x.request_tokens.lock().expect("request tokens lock");
    map.retain(|_, t| t.expires_at > now);
    map.insert(
        token.clone(),
        RequestToken {
            secret: secret.clone(),
            callback: callback.to_owned(),
            authorised: None,
            expires_at: now + REQUEST_TOKEN_TTL_SECS,
        },
    );
    (token, secret)
}

/// A live request token the user has not answered yet.
fn waiting(shared: &Shared, token: &str) -> bool {
    let map = shared.x.request_tokens.lock().expect("request tokens lock");
    map.get(token)
        .is_some_and(|t| t.expires_at > now().0 && t.authorised.is_none())
}

/// `GET /oauth/authorize?oauth_token=…[&screen_name=…]`.
pub async fn show(shared: web::Data<Shared>, req: HttpRequest) -> HttpResponse {
    let p = Params::from_request(&req, &[]);
    let token = p.non_empty("oauth_token").unwrap_or_default();
    if !waiting(&shared, token) {
        return invalid();
    }
    let hint = p.get("screen_name");
    let hinted = shared
        .config
        .users
        .iter()
        .position(|u| Some(u.x_screen_name.as_str()) == hint)
        .unwrap_or(0);
    let users: String = shared
        .config
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            format!(
                "<div><input type=\"radio\" id=\"user-{h}\" name=\"user\" value=\"{h}\"{c}> \
                 <label for=\"user-{h}\">{name} (@{sn})</label></div>",
                h = escape(&u.handle),
                name = escape(&u.name),
                sn = escape(&u.x_screen_name),
                c = if i == hinted { " checked" } else { "" },
            )
        })
        .collect();
    let body = format!(
        "<p>Authorize <strong>the sandbox consumer</strong> to access your account?</p>\
         <form method=\"post\"><input type=\"hidden\" name=\"oauth_token\" value=\"{t}\">\
         <fieldset><legend>Sign in as</legend>{users}</fieldset>\
         <button type=\"submit\" name=\"action\" value=\"continue\">Authorize app</button> \
         <button type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button></form>",
        t = escape(token)
    );
    html(200, "Authorize app (X sandbox)", &body)
}

/// `POST /oauth/authorize` (`oauth_token`, `user`, `action=continue|cancel`).
pub async fn submit(shared: web::Data<Shared>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let form = Params::from_request(&req, &body);
    let token = form.non_empty("oauth_token").unwrap_or_default().to_owned();
    let (now, _) = now();
    let mut map = shared.x.request_tokens.lock().expect("request tokens lock");
    let Some(entry) = map
        .get_mut(&token)
        .filter(|t| t.expires_at > now && t.authorised.is_none())
    else {
        return invalid();
    };
    let callback = entry.callback.clone();
    let pairs = if form.get("action") == Some("continue") {
        let Some(user) = form
            .get("user")
            .and_then(|h| shared.config.user_by_handle(h))
        else {
            return html(
                400,
                "X / Error",
                "<p role=\"alert\">Choose one of the test users.</p>",
            );
        };
        let verifier = if callback == "oob" {
            format!("{:07}", rand::random_range(0..10_000_000u32))
        } else {
            random_alnum(32)
        };
        entry.authorised = Some((verifier.clone(), user.handle.clone()));
        vec![("oauth_token", token), ("oauth_verifier", verifier)]
    } else {
        map.remove(&token);
        vec![("denied", token)]
    };
    drop(map);
    if callback == "oob" {
        return match pairs.iter().find(|(k, _)| *k == "oauth_verifier") {
            Some((_, pin)) => html(
                200,
                "Authorized (X sandbox)",
                &format!(
                    "<p>Enter this PIN in the application: <output id=\"pin\">{}</output></p>",
                    escape(pin)
                ),
            ),
            None => html(
                200,
                "Not authorized (X sandbox)",
                "<p>You did not authorize the application.</p>",
            ),
        };
    }
    match url::Url::parse(&callback) {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(pairs);
            HttpResponse::Found()
                .insert_header((LOCATION, url.as_str()))
                .finish()
        }
        Err(_) => invalid(),
    }
}

/// Takes an authorised request token out for exchange (single use): (secret, verifier, handle).
pub fn take_authorised(shared: &Shared, token: &str) -> Option<(String, String, String)> {
    let mut map = shared.x.request_tokens.lock().expect("request tokens lock");
    let t = map.remove(token)?;
    let (verifier, handle) = t.authorised.filter(|_| t.expires_at > now().0)?;
    Some((t.secret, verifier, handle))
}

/// The secret of a live, authorised request token (for checking the exchange's signature).
pub fn authorised_secret(shared: &Shared, token: &str) -> Option<String> {
    let map = shared.x.request_tokens.lock().expect("request tokens lock");
    map.get(token)
        .filter(|t| t.expires_at > now().0 && t.authorised.is_some())
        .map(|t| t.secret.clone())
}
