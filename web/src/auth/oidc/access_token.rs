//! A phone app's access token for the JSON API: RFC 7662 introspection at the provider (as our
//! client) then its userinfo, or — Google, which has no introspection — its tokeninfo endpoint.

use chrono::Utc;
use openidconnect::core::CoreErrorResponseType;
use openidconnect::{
    AccessToken, IssuerUrl, RequestTokenError, SubjectIdentifier, TokenIntrospectionResponse as _,
};
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;
use serde_with::{DisplayFromStr, PickFirst, serde_as};

use super::{OidcProvider, Profile, for_api};
use crate::auth::VerifiedIdentity;
use crate::error::AppError;

/// Google's tokeninfo answer for an access token. Google sends `exp` and `email_verified` as
/// strings (`"1700000000"`, `"true"`); numbers and booleans are read too.
#[serde_as]
#[derive(Debug, Deserialize)]
struct TokenInfo {
    aud: Option<String>,
    azp: Option<String>,
    sub: Option<String>,
    #[serde_as(as = "Option<PickFirst<(_, DisplayFromStr)>>")]
    #[serde(default)]
    exp: Option<i64>,
    email: Option<String>,
    #[serde_as(as = "Option<PickFirst<(_, DisplayFromStr)>>")]
    #[serde(default)]
    email_verified: Option<bool>,
}

impl OidcProvider {
    /// Verifies an access token a smartphone app obtained from this provider: the provider must
    /// say it is active, issued to a client on our allow-list (the web client id or one of
    /// `api_audiences`) and not expired; then the person needs a verified email, as at the web
    /// sign-in. Generic OIDC and the sandbox: RFC 7662 introspection authenticated as our client,
    /// then userinfo, whose `sub` must be the introspected one. Google: its tokeninfo endpoint.
    /// Every refusal is [`AppError::InvalidProviderToken`] (or `EmailNotVerified`); the provider
    /// failing is [`AppError::Upstream`]. The token travels only in request bodies and headers.
    pub async fn verify_api_access_token(
        &self,
        token: &SecretString,
    ) -> Result<VerifiedIdentity, AppError> {
        match &self.tokeninfo_url {
            Some(url) => self.google_tokeninfo(url, token).await,
            None => self.introspect(token).await,
        }
    }

    async fn introspect(&self, token: &SecretString) -> Result<VerifiedIdentity, AppError> {
        let discovered = self.client().await?;
        let introspector =
            discovered
                .introspector
                .as_ref()
                .ok_or(AppError::InvalidProviderToken(
                    "this provider offers no token introspection, so its access tokens cannot be \
                 checked: send the id_token as `id_token` instead.",
                ))?;
        let access_token = AccessToken::new(token.expose_secret().to_owned());
        let answer = introspector
            .introspect(&access_token)
            .request_async(&self.http)
            .await
            .map_err(|err| match err {
                RequestTokenError::ServerResponse(e)
                    if !matches!(
                        e.error(),
                        CoreErrorResponseType::InvalidClient
                            | CoreErrorResponseType::UnauthorizedClient
                    ) =>
                {
                    AppError::InvalidProviderToken(
                        "the provider refused to check the access token.",
                    )
                }
                other => AppError::Upstream(anyhow::anyhow!(
                    "token introspection at {} failed: {other}",
                    self.provider
                )),
            })?;
        if !answer.active() {
            return Err(AppError::InvalidProviderToken(
                "the provider says the access token is not active (unknown, expired or revoked).",
            ));
        }
        if answer
            .iss()
            .is_some_and(|iss| iss != discovered.issuer.as_str())
        {
            return Err(AppError::InvalidProviderToken(
                "the access token comes from an unexpected issuer.",
            ));
        }
        // The client it was issued to; only a token that names none is judged by its `aud`.
        let issued_to: Vec<&str> = match answer.client_id() {
            Some(client) => vec![client.as_str()],
            None => answer
                .aud()
                .map(|aud| aud.iter().map(String::as_str).collect())
                .unwrap_or_default(),
        };
        self.check_issued_to_us(&issued_to)?;
        self.check_not_expired(answer.exp().map(|exp| exp.timestamp()))?;
        let subject = SubjectIdentifier::new(
            answer
                .sub()
                .ok_or(AppError::InvalidProviderToken(
                    "the provider did not say whose access token this is.",
                ))?
                .to_owned(),
        );
        let profile = self
            .userinfo(&discovered.client, access_token, subject.clone())
            .await
            .map_err(for_api)?;
        self.identity(&discovered.issuer, &subject, profile)
    }

    /// Google's tokeninfo, with the token POSTed as a form (never in a URL).
    async fn google_tokeninfo(
        &self,
        url: &str,
        token: &SecretString,
    ) -> Result<VerifiedIdentity, AppError> {
        let upstream = |e: &dyn std::fmt::Display| {
            AppError::Upstream(anyhow::anyhow!("{} tokeninfo failed: {e}", self.provider))
        };
        let response = self
            .http
            .post(url)
            .form(&[("access_token", token.expose_secret())])
            .send()
            .await
            .map_err(|e| upstream(&e.without_url()))?;
        let status = response.status();
        if status.is_client_error() {
            return Err(AppError::InvalidProviderToken(
                "Google does not accept the access token (unknown, expired or revoked).",
            ));
        }
        if !status.is_success() {
            return Err(upstream(&status));
        }
        let info: TokenInfo = response
            .json()
            .await
            .map_err(|e| upstream(&e.without_url()))?;
        let issued_to: Vec<&str> = [info.aud.as_deref(), info.azp.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        self.check_issued_to_us(&issued_to)?;
        self.check_not_expired(info.exp)?;
        let subject = SubjectIdentifier::new(info.sub.ok_or(AppError::InvalidProviderToken(
            "Google did not say whose access token this is.",
        ))?);
        let issuer = IssuerUrl::new(self.issuer.clone()).map_err(AppError::unexpected)?;
        let profile = Profile {
            email: info.email,
            email_verified: info.email_verified,
            name: None,
        };
        self.identity(&issuer, &subject, profile)
    }

    /// The provider named the client(s) the token was issued to, each on our allow-list.
    fn check_issued_to_us(&self, named: &[&str]) -> Result<(), AppError> {
        if named.is_empty() {
            return Err(AppError::InvalidProviderToken(
                "the provider did not say which application the access token was issued to.",
            ));
        }
        if !named.iter().all(|aud| self.allowed_audience(aud)) {
            return Err(AppError::InvalidProviderToken(
                "the provider's access token was issued to another application.",
            ));
        }
        Ok(())
    }

    /// `exp` (Unix seconds), if the provider gave one, is in the future.
    fn check_not_expired(&self, exp: Option<i64>) -> Result<(), AppError> {
        if exp.is_some_and(|exp| exp <= Utc::now().timestamp()) {
            return Err(AppError::InvalidProviderToken(
                "the provider's access token has expired.",
            ));
        }
        Ok(())
    }
}
