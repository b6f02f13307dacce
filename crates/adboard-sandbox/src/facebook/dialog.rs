//! The Facebook Login dialog: `GET /dialog/oauth` renders a consent page where the person may
//! decline optional permissions ("Edit access"); its form POST redirects back with a single-use
//! code carrying only the granted permissions (or `error=access_denied`).

use std::collections::BTreeSet;

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};

use super::random_alnum;
use crate::Shared;
use crate::html::{escape, page};
use crate::params::Params;

/// Seconds a code (and a pending dialog) stays valid.
pub const CODE_TTL_SECS: i64 = 600;

/// A dialog request waiting for the user's choice.
#[derive(Debug, Clone)]
pub struct PendingDialog {
    app_id: String,
    redirect_uri: String,
    state: Option<String>,
    scopes: Vec<String>,
    rerequest: bool,
    expires_at: i64,
}

/// An authorization code issued by the dialog.
#[derive(Debug, Clone)]
pub struct IssuedCode {
    /// App the code is bound to.
    pub app_id: String,
    /// Redirect URI the code is bound to.
    pub redirect_uri: String,
    /// Facebook user id.
    pub user_id: String,
    /// Granted permissions.
    pub scopes: Vec<String>,
    /// Unix seconds.
    pub expires_at: i64,
    /// Already exchanged once.
    pub used: bool,
}

fn error_page(status: u16, title: &str, message: &str) -> HttpResponse {
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    )
    .content_type("text/html; charset=utf-8")
    .body(page(
        title,
        &format!("<p role=\"alert\">{}</p>", escape(message)),
    ))
}

/// The one permission a person cannot decline.
const REQUIRED_SCOPE: &str = "public_profile";

/// Requested scopes: the `scope` list (comma or space separated, each once) plus `public_profile`.
fn requested(scope: Option<&str>) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    let listed = scope.unwrap_or("").split([',', ' ']).map(str::trim);
    for s in listed.chain([REQUIRED_SCOPE]) {
        if !s.is_empty() && !scopes.iter().any(|have| have == s) {
            scopes.push(s.to_owned());
        }
    }
    scopes
}

/// What the person grants: with `edit_access` in the form, only the checked permissions (plus
/// `public_profile`); without it (a client posting the bare form), everything requested. A
/// permission declined before is granted again only when the dialog was opened with
/// `auth_type=rerequest`, as on Facebook.
fn granted(
    pending: &PendingDialog,
    form: &Params,
    declined_before: &BTreeSet<String>,
) -> Vec<String> {
    let edited = form.get("edit_access").is_some();
    let checked = form.all("scope");
    pending
        .scopes
        .iter()
        .filter(|s| {
            *s == REQUIRED_SCOPE
                || ((!edited || checked.contains(&s.as_str()))
                    && (pending.rerequest || !declined_before.contains(*s)))
        })
        .cloned()
        .collect()
}

/// Grants the person's choice and remembers what they declined for this app; the granted scopes.
fn record_choice(
    shared: &Shared,
    pending: &PendingDialog,
    user_id: &str,
    form: &Params,
) -> Vec<String> {
    let mut declined = shared.facebook.declined.lock().expect("declined lock");
    let entry = declined
        .entry((user_id.to_owned(), pending.app_id.clone()))
        .or_default();
    let scopes = granted(pending, form, entry);
    for s in &pending.scopes {
        if scopes.contains(s) {
            entry.remove(s);
        } else {
            entry.insert(s.clone());
        }
    }
    scopes
}

/// `GET /dialog/oauth?client_id&redirect_uri&state&scope&response_type`.
pub async fn show(shared: web::Data<Shared>, req: HttpRequest) -> HttpResponse {
    let params = Params::from_request(&req, &[]);
    let Some(app) = params
        .non_empty("client_id")
        .and_then(|id| shared.config.app(id))
    else {
        return error_page(
            400,
            "Invalid App ID",
            "Invalid App ID: the provided app ID does not look like a valid app ID.",
        );
    };
    let redirect = params.non_empty("redirect_uri").unwrap_or("");
    if !app.redirect_uris.iter().any(|u| u == redirect) {
        return error_page(
            400,
            "URL blocked",
            "URL blocked: this redirect failed because the redirect URI is not whitelisted in the app's client OAuth settings.",
        );
    }
    if params
        .non_empty("response_type")
        .is_some_and(|t| t != "code")
    {
        return error_page(
            400,
            "Unsupported response type",
            "The sandbox only supports response_type=code.",
        );
    }
    let (now, _) = super::now();
    let pending = PendingDialog {
        app_id: app.app_id.clone(),
        redirect_uri: redirect.to_owned(),
        state: params.get("state").map(str::to_owned),
        scopes: requested(params.get("scope")),
        // Other `auth_type`s (reauthenticate, reauthorize) are accepted and change nothing here.
        rerequest: params.get("auth_type") == Some("rerequest"),
        expires_at: now + CODE_TTL_SECS,
    };
    let request_id = random_alnum(32);
    let body = consent_form(&shared, &request_id, &pending);
    {
        let mut map = shared.facebook.pending.lock().expect("pending lock");
        map.retain(|_, p| p.expires_at > now);
        map.insert(request_id, pending);
    }
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

fn consent_form(shared: &Shared, request_id: &str, p: &PendingDialog) -> String {
    let users: String = shared
        .config
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            format!(
                "<div><input type=\"radio\" id=\"user-{h}\" name=\"user\" value=\"{h}\"{checked}> \
                 <label for=\"user-{h}\">{name} ({h})</label></div>",
                h = escape(&u.handle),
                name = escape(&u.name),
                checked = if i == 0 { " checked" } else { "" },
            )
        })
        .collect();
    let permissions: String = p
        .scopes
        .iter()
        .map(|s| {
            let (attrs, note) = if s == REQUIRED_SCOPE {
                (" checked disabled", " (required)")
            } else {
                (" checked", "")
            };
            format!(
                "<div><input type=\"checkbox\" id=\"scope-{s}\" name=\"scope\" value=\"{s}\"{attrs}> \
                 <label for=\"scope-{s}\">{s}{note}</label></div>",
                s = escape(s),
            )
        })
        .collect();
    let again = if p.rerequest {
        "<p>Asking again for permissions you declined before.</p>"
    } else {
        ""
    };
    let body = format!(
        "<p><strong>{app}</strong> would like to access: {scopes}.</p>{again}\
         <form method=\"post\">\
         <input type=\"hidden\" name=\"request\" value=\"{req}\">\
         <input type=\"hidden\" name=\"edit_access\" value=\"1\">\
         <fieldset><legend>Continue as</legend>{users}</fieldset>\
         <fieldset><legend>Edit access</legend>{permissions}</fieldset>\
         <button type=\"submit\" name=\"action\" value=\"continue\">Continue</button> \
         <button type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button>\
         </form>",
        app = escape(&shared.config.app_name),
        scopes = escape(&p.scopes.join(", ")),
        req = escape(request_id),
    );
    page("Log in with Facebook (sandbox)", &body)
}

/// `POST /dialog/oauth` (`request`, `user`, `action`; `edit_access` and one `scope` per checked
/// permission): Continue → redirect with `code`; Cancel → `error=access_denied`.
pub async fn submit(shared: web::Data<Shared>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let form = Params::from_request(&req, &body);
    let (Some(request), Some(action)) = (form.get("request"), form.get("action")) else {
        return error_page(400, "Bad request", "The form lacks `request` or `action`.");
    };
    let (now, _) = super::now();
    let pending = shared
        .facebook
        .pending
        .lock()
        .expect("pending lock")
        .remove(request);
    let Some(pending) = pending.filter(|p| p.expires_at > now) else {
        return error_page(
            400,
            "Login expired",
            "This login request has expired. Start again from the app.",
        );
    };
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if action == "continue" {
        let Some(user) = form
            .get("user")
            .and_then(|h| shared.config.user_by_handle(h))
        else {
            return error_page(400, "Unknown user", "Choose one of the test users.");
        };
        let code = random_alnum(64);
        let issued = IssuedCode {
            app_id: pending.app_id.clone(),
            redirect_uri: pending.redirect_uri.clone(),
            user_id: user.facebook_id.clone(),
            scopes: record_choice(&shared, &pending, &user.facebook_id, &form),
            expires_at: now + CODE_TTL_SECS,
            used: false,
        };
        let mut codes = shared.facebook.codes.lock().expect("codes lock");
        codes.retain(|_, c| c.expires_at > now - CODE_TTL_SECS);
        codes.insert(code.clone(), issued);
        pairs.push(("code", code));
    } else {
        pairs.push(("error", "access_denied".into()));
        pairs.push(("error_code", "200".into()));
        pairs.push(("error_description", "Permissions error".into()));
        pairs.push(("error_reason", "user_denied".into()));
    }
    if let Some(state) = pending.state {
        pairs.push(("state", state));
    }
    let Ok(mut url) = url::Url::parse(&pending.redirect_uri) else {
        return error_page(400, "URL blocked", "The redirect URI is not a valid URL.");
    };
    url.query_pairs_mut().extend_pairs(pairs);
    url.set_fragment(Some("_=_"));
    HttpResponse::Found()
        .insert_header((LOCATION, url.as_str()))
        .finish()
}

/// Test hook: moves a code's expiry into the past (used by `/__sandbox/codes/expire`).
pub fn expire_code(shared: &Shared, code: &str) -> bool {
    let mut codes = shared.facebook.codes.lock().expect("codes lock");
    match codes.get_mut(code) {
        Some(c) => {
            c.expires_at = super::now().0 - 1;
            true
        }
        None => false,
    }
}
