//! Facebook Login: the Login dialog (via `oauth2`: state + PKCE S256), the code exchange, a
//! `debug_token` check that the token was issued to OUR app, and `/me` for the user id and name.
//!
//! The Graph calls use reqwest directly for now; `adboard-facebook` will take them over.

use std::time::Duration;

use adboard_domain::account::{IdentityKey, Provider, UserName};
use hmac::{Hmac, Mac as _};
use oauth2::basic::BasicClient;
use oauth2::{AuthUrl, ClientId, CsrfToken, PkceCodeChallenge, RedirectUrl, Scope};
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;
use sha2::Sha256;

use super::{Intent, LoginStart, PendingLogin, VerifiedIdentity, now_unix};
use crate::error::AppError;

/// Facebook Login for one app.
#[derive(Debug)]
pub struct FacebookProvider {
    app_id: String,
    app_secret: SecretString,
    /// e.g. `https://graph.facebook.com/v25.0`.
    graph_base: String,
    auth_url: AuthUrl,
    redirect_url: RedirectUrl,
    http: reqwest::Client,
}

#[derive(Debug, Deserialize)]
struct TokenResponse {
    access_token: SecretString,
}

#[derive(Debug, Deserialize)]
struct DebugTokenEnvelope {
    data: DebugTokenData,
}

#[derive(Debug, Deserialize)]
struct DebugTokenData {
    app_id: Option<String>,
    #[serde(default)]
    is_valid: bool,
    user_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Me {
    id: String,
    name: Option<String>,
}

impl FacebookProvider {
    pub fn new(
        app_id: String,
        app_secret: SecretString,
        dialog_url: &str,
        graph_url: &str,
        graph_version: &str,
        redirect_url: String,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            app_id,
            app_secret,
            graph_base: format!("{graph_url}/{graph_version}"),
            auth_url: AuthUrl::new(format!("{dialog_url}/{graph_version}/dialog/oauth"))?,
            redirect_url: RedirectUrl::new(redirect_url)?,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(15))
                .build()?,
        })
    }

    /// The Login dialog URL for a new sign-in.
    pub fn start(&self, next: String, intent: Intent) -> LoginStart {
        let client = BasicClient::new(ClientId::new(self.app_id.clone()))
            .set_auth_uri(self.auth_url.clone())
            .set_redirect_uri(self.redirect_url.clone());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = client
            .authorize_url(CsrfToken::new_random)
            .add_scope(Scope::new("public_profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        LoginStart {
            redirect_to: url,
            pending: PendingLogin {
                provider: Provider::Facebook,
                state: state.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                nonce: None,
                created_at: now_unix(),
                next,
                intent,
            },
        }
    }

    /// Code → user token → `debug_token` (issued to our app, valid) → `/me`.
    pub async fn finish(
        &self,
        code: String,
        pending: PendingLogin,
    ) -> Result<VerifiedIdentity, AppError> {
        let token: TokenResponse = self
            .get_json(
                "oauth/access_token",
                &[
                    ("client_id", self.app_id.as_str()),
                    ("redirect_uri", self.redirect_url.as_str()),
                    ("client_secret", self.app_secret.expose_secret()),
                    ("code", code.as_str()),
                    ("code_verifier", pending.pkce_verifier.as_str()),
                ],
            )
            .await?
            .ok_or(AppError::SignInFailed(
                "Facebook did not accept the sign-in code (it may have been used already).",
            ))?;
        let user_token = token.access_token.expose_secret();

        let app_token = format!("{}|{}", self.app_id, self.app_secret.expose_secret());
        let debug: DebugTokenEnvelope = self
            .get_json(
                "debug_token",
                &[("input_token", user_token), ("access_token", &app_token)],
            )
            .await?
            .ok_or_else(|| {
                AppError::Upstream(anyhow::anyhow!(
                    "Facebook debug_token refused our app token"
                ))
            })?;
        if debug.data.app_id.as_deref() != Some(self.app_id.as_str()) {
            return Err(AppError::SignInFailed(
                "the Facebook token was issued to another application.",
            ));
        }
        let user_id = match (debug.data.is_valid, debug.data.user_id) {
            (true, Some(id)) if !id.is_empty() => id,
            _ => {
                return Err(AppError::SignInFailed(
                    "Facebook says the token is not valid.",
                ));
            }
        };

        let proof = appsecret_proof(&self.app_secret, user_token);
        let me: Me = self
            .get_json(
                "me",
                &[
                    ("fields", "id,name"),
                    ("access_token", user_token),
                    ("appsecret_proof", &proof),
                ],
            )
            .await?
            .ok_or_else(|| {
                AppError::Upstream(anyhow::anyhow!("Facebook /me refused the user token"))
            })?;
        if me.id != user_id {
            return Err(AppError::SignInFailed(
                "Facebook's answers about the user do not agree.",
            ));
        }
        Ok(VerifiedIdentity {
            key: IdentityKey {
                provider: Provider::Facebook,
                issuer: self.app_id.clone(),
                subject: user_id,
            },
            // Facebook does not say whether an email is verified, so none is kept.
            email: None,
            name: UserName::from_provider(me.name.as_deref(), None),
        })
    }

    /// GETs `{graph_base}/{path}`; `Ok(None)` for a 4xx answer (Facebook's error envelope).
    /// Errors never carry the URL: its query holds secrets.
    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Option<T>, AppError> {
        let url = format!("{}/{path}", self.graph_base);
        let upstream = |e: reqwest::Error| {
            AppError::Upstream(anyhow::anyhow!("Facebook /{path}: {}", e.without_url()))
        };
        let response = self
            .http
            .get(url)
            .query(query)
            .send()
            .await
            .map_err(upstream)?;
        if response.status().is_client_error() {
            tracing::info!(
                graph.path = path,
                http.status = response.status().as_u16(),
                "Facebook refused a call"
            );
            return Ok(None);
        }
        let response = response.error_for_status().map_err(upstream)?;
        response.json::<T>().await.map(Some).map_err(upstream)
    }
}

/// `appsecret_proof`: hex HMAC-SHA256 of the access token keyed with the app secret.
fn appsecret_proof(app_secret: &SecretString, token: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.expose_secret().as_bytes())
        .expect("any key length");
    mac.update(token.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}
