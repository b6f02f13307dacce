//! `/oidc/authorize`: validates the request, shows a pick-a-test-user page, redirects with a code.

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::Shared;
use crate::html::{escape, page};
use crate::params::Params;
use crate::util::{now, random_alnum};

const TTL_SECS: i64 = 600;

/// A sign-in waiting for the user's choice.
#[derive(Debug, Clone)]
pub struct PendingAuth {
    client_id: String,
    redirect_uri: String,
    scope: String,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    expires_at: i64,
}

/// An issued authorization code.
#[derive(Debug, Clone)]
pub struct OidcCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub handle: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth_time: i64,
    pub expires_at: i64,
    pub used: bool,
}

fn bad_request(message: &str) -> HttpResponse {
    HttpResponse::BadRequest()
        .content_type("text/html; charset=utf-8")
        .body(page(
            "Sign-in error",
            &format!("<p role=\"alert\">{}</p>", escape(message)),
        ))
}

fn redirect(redirect_uri: &str, pairs: Vec<(&str, String)>) -> HttpResponse {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(pairs);
            HttpResponse::Found()
                .insert_header((LOCATION, url.as_str()))
                .finish()
        }
        Err(_) => bad_request("The redirect URI is not a valid URL."),
    }
}

/// `GET /oidc/authorize`.
pub async fn show(shared: web::Data<Shared>, req: HttpRequest) -> HttpResponse {
    let p = Params::from_request(&req, &[]);
    let Some(client) = p
        .non_empty("client_id")
        .and_then(|c| shared.config.oidc_client(c))
    else {
        return bad_request("Unknown client_id.");
    };
    let redirect_uri = p.non_empty("redirect_uri").unwrap_or("");
    if !client.redirect_uris.iter().any(|u| u == redirect_uri) {
        return bad_request("The redirect_uri is not registered for this client.");
    }
    let state = p.get("state").map(str::to_owned);
    let fail = |error: &str, description: &str| {
        let mut pairs = vec![
            ("error", error.to_owned()),
            ("error_description", description.to_owned()),
        ];
        if let Some(s) = &state {
            pairs.push(("state", s.clone()));
        }
        pairs.push(("iss", shared.oidc.issuer.clone()));
        redirect(redirect_uri, pairs)
    };
    if p.get("response_type") != Some("code") {
        return fail(
            "unsupported_response_type",
            "only response_type=code is supported",
        );
    }
    let scope = p.get("scope").unwrap_or("");
    if !scope.split(' ').any(|s| s == "openid") {
        return fail("invalid_scope", "the openid scope is required");
    }
    let challenge = p.non_empty("code_challenge").map(str::to_owned);
    if challenge.is_some() && p.get("code_challenge_method") != Some("S256") {
        return fail(
            "invalid_request",
            "only code_challenge_method=S256 is supported",
        );
    }
    let (now, _) = now();
    let pending = PendingAuth {
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.to_owned(),
        scope: scope.to_owned(),
        state,
        nonce: p.get("nonce").map(str::to_owned),
        code_challenge: challenge,
        expires_at: now + TTL_SECS,
    };
    let id = random_alnum(32);
    {
        let mut map = shared.oidc.pending.lock().expect("pending lock");
        map.retain(|_, v| v.expires_at > now);
        map.insert(id.clone(), pending);
    }
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(picker(&shared, &id, p.get("login_hint")))
}

fn picker(shared: &Shared, request_id: &str, hint: Option<&str>) -> String {
    let hinted = shared
        .config
        .users
        .iter()
        .position(|u| Some(u.handle.as_str()) == hint);
    let users: String = shared
        .config
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let note = if u.email_verified {
                ""
            } else {
                ", e-mail not verified"
            };
            format!(
                "<div><input type=\"radio\" id=\"user-{h}\" name=\"user\" value=\"{h}\"{c}> \
                 <label for=\"user-{h}\">{name} &lt;{email}&gt;{note}</label></div>",
                h = escape(&u.handle),
                name = escape(&u.name),
                email = escape(&u.email),
                c = if i == hinted.unwrap_or(0) {
                    " checked"
                } else {
                    ""
                },
            )
        })
        .collect();
    page(
        "Sign in (sandbox)",
        &format!(
            "<form method=\"post\"><input type=\"hidden\" name=\"request\" value=\"{r}\">\
             <fieldset><legend>Sign in as</legend>{users}</fieldset>\
             <button type=\"submit\" name=\"action\" value=\"continue\">Continue</button> \
             <button type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button></form>",
            r = escape(request_id)
        ),
    )
}

/// The picker form's fields.
#[derive(Debug, Deserialize)]
pub struct PickForm {
    request: String,
    #[serde(default)]
    user: Option<String>,
    action: String,
}

/// `POST /oidc/authorize`: Continue → `code`, Cancel → `error=access_denied`.
pub async fn submit(shared: web::Data<Shared>, form: web::Form<PickForm>) -> HttpResponse {
    let (now, _) = now();
    let pending = shared
        .oidc
        .pending
        .lock()
        .expect("pending lock")
        .remove(&form.request);
    let Some(p) = pending.filter(|p| p.expires_at > now) else {
        return bad_request("This sign-in request has expired. Start again from the app.");
    };
    let mut pairs = Vec::new();
    if form.action == "continue" {
        let Some(user) = form
            .user
            .as_deref()
            .and_then(|h| shared.config.user_by_handle(h))
        else {
            return bad_request("Choose one of the test users.");
        };
        let code = random_alnum(48);
        let issued = OidcCode {
            client_id: p.client_id.clone(),
            redirect_uri: p.redirect_uri.clone(),
            handle: user.handle.clone(),
            scope: p.scope.clone(),
            nonce: p.nonce.clone(),
            code_challenge: p.code_challenge.clone(),
            auth_time: now,
            expires_at: now + TTL_SECS,
            used: false,
        };
        let mut codes = shared.oidc.codes.lock().expect("codes lock");
        codes.retain(|_, c| c.expires_at > now - TTL_SECS);
        codes.insert(code.clone(), issued);
        pairs.push(("code", code));
    } else {
        pairs.push(("error", "access_denied".to_owned()));
        pairs.push((
            "error_description",
            "the user cancelled the sign-in".to_owned(),
        ));
    }
    if let Some(s) = p.state {
        pairs.push(("state", s));
    }
    pairs.push(("iss", shared.oidc.issuer.clone()));
    redirect(&p.redirect_uri, pairs)
}

/// Test hook: moves an OIDC code's expiry into the past.
pub fn expire_code(shared: &Shared, code: &str) -> bool {
    match shared.oidc.codes.lock().expect("codes lock").get_mut(code) {
        Some(c) => {
            c.expires_at = now().0 - 1;
            true
        }
        None => false,
    }
}

/// Takes a code for exchange: checks use, expiry, client and redirect URI; marks it used.
pub fn take_code(
    shared: &Shared,
    code: &str,
    client_id: &str,
    redirect_uri: &str,
) -> Result<OidcCode, &'static str> {
    let mut codes = shared.oidc.codes.lock().expect("codes lock");
    let c = codes.get_mut(code).ok_or("unknown code")?;
    if c.used {
        return Err("code already used");
    }
    if c.expires_at <= now().0 {
        return Err("code expired");
    }
    if c.client_id != client_id || c.redirect_uri != redirect_uri {
        return Err("code was issued to another client or redirect_uri");
    }
    c.used = true;
    Ok(c.clone())
}
