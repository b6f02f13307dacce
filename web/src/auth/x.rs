//! X (formerly Twitter), OAuth 1.0a: checks a user access token and secret a smartphone app sends
//! to the JSON API with `1.1/account/verify_credentials.json`, signed HMAC-SHA1 with our consumer
//! key and secret by the `oauth1-request` crate.

use std::time::Duration;

use adboard_domain::account::{EmailAddress, IdentityKey, Provider, UserName};
use oauth1_request as oauth;
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;

use super::VerifiedIdentity;
use crate::error::AppError;

/// The issuer recorded with X identities (X has one; its user ids are global).
pub const X_ISSUER: &str = "https://x.com";

/// Our X app (consumer) and where X's API is (the sandbox stands in locally).
#[derive(Debug)]
pub struct XProvider {
    consumer_key: String,
    consumer_secret: SecretString,
    api_url: String,
    http: reqwest::Client,
}

/// The part of `verify_credentials` we read.
#[derive(Debug, Deserialize)]
struct Credentials {
    id_str: String,
    screen_name: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

impl XProvider {
    /// `api_url` is e.g. `https://api.twitter.com`, no trailing slash.
    pub fn new(
        consumer_key: String,
        consumer_secret: SecretString,
        api_url: String,
    ) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Self {
            consumer_key,
            consumer_secret,
            api_url,
            http,
        })
    }

    /// Who the access token belongs to, according to X: a signed `verify_credentials` call with
    /// the user's token and secret. A token X refuses (wrong secret, revoked, issued to another
    /// consumer) is [`AppError::InvalidProviderToken`]; X failing is [`AppError::Upstream`].
    pub async fn verify(
        &self,
        access_token: &SecretString,
        access_token_secret: &SecretString,
    ) -> Result<VerifiedIdentity, AppError> {
        let uri = format!("{}/1.1/account/verify_credentials.json", self.api_url);
        let params = oauth::ParameterList::new([
            ("include_email", &"true" as &dyn std::fmt::Display),
            ("skip_status", &"true"),
        ]);
        let token = oauth::Token::from_parts(
            self.consumer_key.as_str(),
            self.consumer_secret.expose_secret(),
            access_token.expose_secret(),
            access_token_secret.expose_secret(),
        );
        let authorization = oauth::get(&uri, &params, &token, oauth::HMAC_SHA1);
        let response = self
            .http
            .get(oauth::to_query(uri, &params))
            .header(reqwest::header::AUTHORIZATION, authorization)
            .send()
            .await
            .map_err(|e| AppError::Upstream(anyhow::anyhow!("X verify_credentials: {e}")))?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            tracing::info!(http.status = status.as_u16(), "X refused an access token");
            return Err(AppError::InvalidProviderToken(
                "X did not accept this access token and secret.",
            ));
        }
        if !status.is_success() {
            return Err(AppError::Upstream(anyhow::anyhow!(
                "X verify_credentials answered {status}"
            )));
        }
        let me: Credentials = response
            .json()
            .await
            .map_err(|e| AppError::Upstream(anyhow::anyhow!("X verify_credentials body: {e}")))?;
        if me.id_str.is_empty() || !me.id_str.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::Upstream(anyhow::anyhow!(
                "X verify_credentials gave no numeric id_str"
            )));
        }
        // X returns only a confirmed address (and only to apps allowed to ask for it).
        let email = me
            .email
            .as_deref()
            .and_then(|raw| EmailAddress::parse(raw).ok());
        let name = me.name.as_deref().or(me.screen_name.as_deref());
        Ok(VerifiedIdentity {
            key: IdentityKey {
                provider: Provider::X,
                issuer: X_ISSUER.to_owned(),
                subject: me.id_str,
            },
            name: UserName::from_provider(name, email.as_ref()),
            email,
        })
    }
}
