//! A phone app's tokens for the JSON API: its id_token (our audience allow-list, no nonce), or its
//! access token — RFC 7662 introspection at the provider (as our client) then its userinfo, or
//! (Google, which has no introspection) its tokeninfo endpoint.

use chrono::Utc;
use openidconnect::core::{
    CoreErrorResponseType, CoreIdToken, CoreIdTokenClaims, CoreIdTokenVerifier,
};
use openidconnect::{
    AccessToken, ClaimsVerificationError, ClientId, IssuerUrl, Nonce, RequestTokenError,
    SubjectIdentifier, TokenIntrospectionResponse as _,
};
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;
use serde_with::{DisplayFromStr, PickFirst, serde_as};

use super::{Discovered, OidcProvider, Profile, for_api, rejected, with_our_algs};
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
    /// Verifies an id_token a smartphone app obtained from this provider itself (the JSON API):
    /// signature (one key refresh on an unknown `kid`), exact issuer, expiry, asymmetric
    /// algorithms only, and an audience on our allow-list — the web client id or one of
    /// `api_audiences` — with every other audience it names trusted too. No nonce: we did not
    /// start that sign-in. Needs a verified email in the token, like the web sign-in.
    pub async fn verify_api_id_token(&self, raw: &str) -> Result<VerifiedIdentity, AppError> {
        let id_token: CoreIdToken = raw.parse().map_err(|_| {
            AppError::InvalidProviderToken("the id_token is not a well-formed JWT.")
        })?;
        let discovered = self.client().await?;
        let claims = self
            .with_key_refresh(&discovered, |d| self.api_claims(d, &id_token))
            .await?
            .map_err(|err| for_api(rejected(err)))?;
        let profile = Profile::new(claims.email(), claims.email_verified(), claims.name());
        self.identity(claims.issuer(), claims.subject(), profile)
    }

    /// Whether `audience` is our web client id or one of our phone apps' (`api_audiences`).
    fn allowed_audience(&self, audience: &str) -> bool {
        audience == self.client_id || self.api_audiences.iter().any(|a| a == audience)
    }

    /// The claims of `id_token` for the first allowed audience it names.
    fn api_claims(
        &self,
        discovered: &Discovered,
        id_token: &CoreIdToken,
    ) -> Result<CoreIdTokenClaims, ClaimsVerificationError> {
        let allowed: Vec<&str> = std::iter::once(self.client_id.as_str())
            .chain(self.api_audiences.iter().map(String::as_str))
            .collect();
        let mut last = None;
        for audience in &allowed {
            let verifier = with_our_algs(CoreIdTokenVerifier::new_public_client(
                ClientId::new((*audience).to_owned()),
                discovered.issuer.clone(),
                discovered.jwks.clone(),
            ))
            .set_other_audience_verifier_fn(|aud| self.allowed_audience(aud));
            match id_token.claims(&verifier, |_: Option<&Nonce>| Ok(())) {
                Ok(claims) => return Ok(claims.clone()),
                Err(err @ ClaimsVerificationError::InvalidAudience(_)) => last = Some(err),
                Err(other) => return Err(other),
            }
        }
        Err(last.unwrap_or(ClaimsVerificationError::InvalidAudience(
            "no audience allowed".into(),
        )))
    }

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
        // Google answers 400 for a token it does not know (or no longer honours).
        if matches!(status.as_u16(), 400 | 401) {
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
