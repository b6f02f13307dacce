//! OpenID Connect sign-in (generic issuer, Google preset, sandbox) with the `openidconnect` crate:
//! discovery (lazy, cached), PKCE S256, nonce, id_token verification with one JWKS refresh on an
//! unknown `kid`, and a verified email.

use std::sync::Arc;
use std::time::{Duration, Instant};

use adboard_domain::account::{EmailAddress, IdentityKey, Provider, UserName};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreIdTokenClaims, CoreIdTokenVerifier,
    CoreJsonWebKeySet, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse as _,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    SignatureVerificationError, TokenResponse as _,
};
use secrecy::{ExposeSecret as _, SecretString};
use tokio::sync::RwLock;

use super::{Intent, LoginStart, PendingLogin, VerifiedIdentity, now_unix};
use crate::error::AppError;

type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A discovered provider: the client, and the issuer and keys the JSON API verifies id_tokens with.
#[derive(Debug)]
struct Discovered {
    client: DiscoveredClient,
    issuer: IssuerUrl,
    jwks: CoreJsonWebKeySet,
}

/// Refreshing keys because of an unknown `kid` happens at most this often.
const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(30);

/// One configured OpenID Connect provider.
#[derive(Debug)]
pub struct OidcProvider {
    provider: Provider,
    issuer: String,
    client_id: String,
    client_secret: SecretString,
    redirect_url: String,
    /// Besides `client_id`: the client ids of our smartphone apps (JSON API id_tokens only).
    api_audiences: Vec<String>,
    http: openidconnect::reqwest::Client,
    discovered: RwLock<Option<Arc<Discovered>>>,
    last_refresh: RwLock<Option<Instant>>,
}

impl OidcProvider {
    pub fn new(
        provider: Provider,
        issuer: String,
        client_id: String,
        client_secret: SecretString,
        redirect_url: String,
        api_audiences: Vec<String>,
    ) -> anyhow::Result<Self> {
        IssuerUrl::new(issuer.clone())?;
        RedirectUrl::new(redirect_url.clone())?;
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            // Connect, read and whole-call timeouts: a provider that accepts and never answers
            // fails the sign-in step quickly with "provider unavailable" instead of hanging it.
            .connect_timeout(Duration::from_secs(3))
            .read_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Self {
            provider,
            issuer,
            client_id,
            client_secret,
            redirect_url,
            api_audiences,
            http,
            discovered: RwLock::new(None),
            last_refresh: RwLock::new(None),
        })
    }

    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// The discovered client, discovering on first use.
    async fn client(&self) -> Result<Arc<Discovered>, AppError> {
        if let Some(client) = self.discovered.read().await.as_ref() {
            return Ok(client.clone());
        }
        self.discover().await
    }

    /// Fetches the discovery document and the JWKS again.
    async fn discover(&self) -> Result<Arc<Discovered>, AppError> {
        let issuer = IssuerUrl::new(self.issuer.clone()).map_err(AppError::unexpected)?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| {
                AppError::Upstream(anyhow::anyhow!(
                    "OIDC discovery for {} failed: {e}",
                    self.provider
                ))
            })?;
        let issuer = metadata.issuer().clone();
        let jwks = metadata.jwks().clone();
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.client_id.clone()),
            Some(ClientSecret::new(
                self.client_secret.expose_secret().to_owned(),
            )),
        )
        .set_redirect_uri(
            RedirectUrl::new(self.redirect_url.clone()).map_err(AppError::unexpected)?,
        );
        let discovered = Arc::new(Discovered {
            client,
            issuer,
            jwks,
        });
        *self.discovered.write().await = Some(discovered.clone());
        Ok(discovered)
    }

    /// Builds the provider URL for a new sign-in (state, PKCE S256, nonce).
    pub async fn start(&self, next: String, intent: Intent) -> Result<LoginStart, AppError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        Ok(LoginStart {
            redirect_to: url,
            pending: PendingLogin {
                provider: self.provider,
                state: state.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                nonce: Some(nonce.secret().clone()),
                created_at: now_unix(),
                next,
                intent,
            },
        })
    }

    /// Exchanges the code and verifies the id_token; requires a verified email.
    pub async fn finish(
        &self,
        code: String,
        pending: PendingLogin,
    ) -> Result<VerifiedIdentity, AppError> {
        let client = self.client().await?;
        let token = client
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(AppError::unexpected)?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|err| match err {
                RequestTokenError::ServerResponse(_) => AppError::SignInFailed(
                    "the provider did not accept the sign-in code (it may have been used already).",
                ),
                other => AppError::Upstream(anyhow::anyhow!(
                    "token request to {} failed: {other}",
                    self.provider
                )),
            })?;
        let id_token = token
            .id_token()
            .ok_or(AppError::SignInFailed("the provider sent no id_token."))?;
        let nonce = Nonce::new(pending.nonce.unwrap_or_default());
        let claims: CoreIdTokenClaims = self
            .with_key_refresh(&client, |d| {
                id_token
                    .claims(&with_our_algs(d.client.id_token_verifier()), &nonce)
                    .cloned()
            })
            .await?
            .map_err(rejected)?;

        let (email, verified, name) = match claims.email() {
            Some(email) => (
                Some(email.as_str().to_owned()),
                claims.email_verified(),
                claims
                    .name()
                    .and_then(|n| n.get(None))
                    .map(|n| n.as_str().to_owned()),
            ),
            None => {
                self.userinfo(&client.client, token.access_token().clone(), &claims)
                    .await?
            }
        };
        self.identity(&claims, email, verified, name)
    }

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
            .map_err(|err| match rejected(err) {
                AppError::SignInFailed(reason) => AppError::InvalidProviderToken(reason),
                other => other,
            })?;
        let email = claims.email().map(|e| e.as_str().to_owned());
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned());
        self.identity(&claims, email, claims.email_verified(), name)
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
            .set_other_audience_verifier_fn(|aud| allowed.contains(&aud.as_str()));
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

    /// The identity the verified claims name, with the verified email required.
    fn identity(
        &self,
        claims: &CoreIdTokenClaims,
        email: Option<String>,
        verified: Option<bool>,
        name: Option<String>,
    ) -> Result<VerifiedIdentity, AppError> {
        if verified != Some(true) {
            return Err(AppError::EmailNotVerified);
        }
        let email = email
            .as_deref()
            .map(EmailAddress::parse)
            .transpose()
            .map_err(|_| {
                AppError::SignInFailed("the provider gave an email address we cannot use.")
            })?
            .ok_or(AppError::EmailNotVerified)?;
        Ok(VerifiedIdentity {
            key: IdentityKey {
                provider: self.provider,
                issuer: claims.issuer().as_str().to_owned(),
                subject: claims.subject().as_str().to_owned(),
            },
            name: UserName::from_provider(name.as_deref(), Some(&email)),
            email: Some(email),
        })
    }

    async fn userinfo(
        &self,
        client: &DiscoveredClient,
        access_token: openidconnect::AccessToken,
        claims: &CoreIdTokenClaims,
    ) -> Result<(Option<String>, Option<bool>, Option<String>), AppError> {
        let request = client
            .user_info(access_token, Some(claims.subject().clone()))
            .map_err(|_| AppError::EmailNotVerified)?;
        let info: CoreUserInfoClaims = request.request_async(&self.http).await.map_err(|e| {
            AppError::Upstream(anyhow::anyhow!(
                "userinfo request to {} failed: {e}",
                self.provider
            ))
        })?;
        Ok((
            info.email().map(|e| e.as_str().to_owned()),
            info.email_verified(),
            info.name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned()),
        ))
    }

    /// `check` with the provider's current keys; if the token names a key id they do not have,
    /// once more after fetching the keys again (at most every [`MIN_REFRESH_INTERVAL`]).
    async fn with_key_refresh<T>(
        &self,
        discovered: &Discovered,
        check: impl Fn(&Discovered) -> Result<T, ClaimsVerificationError>,
    ) -> Result<Result<T, ClaimsVerificationError>, AppError> {
        match check(discovered) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => Ok(check(&*self.refresh_keys().await?)),
            other => Ok(other),
        }
    }

    /// Re-discovers (new JWKS) unless that happened very recently.
    async fn refresh_keys(&self) -> Result<Arc<Discovered>, AppError> {
        {
            let mut last = self.last_refresh.write().await;
            if last.is_some_and(|at| at.elapsed() < MIN_REFRESH_INTERVAL) {
                return Err(AppError::SignInFailed(
                    "the id_token was signed with an unknown key.",
                ));
            }
            *last = Some(Instant::now());
        }
        tracing::info!(provider = %self.provider, "unknown signing key id: refreshing the provider's keys");
        self.discover().await
    }
}

/// An id_token verifier (exact issuer, its audience, expiry) limited to asymmetric algorithms.
fn with_our_algs(verifier: CoreIdTokenVerifier<'_>) -> CoreIdTokenVerifier<'_> {
    verifier.set_allowed_algs(vec![
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
        CoreJwsSigningAlgorithm::RsaSsaPssSha256,
        CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        CoreJwsSigningAlgorithm::EcdsaP384Sha384,
        CoreJwsSigningAlgorithm::EdDsa,
    ])
}

fn rejected(err: ClaimsVerificationError) -> AppError {
    let reason = match err {
        ClaimsVerificationError::Expired(_) => "the provider's id_token has expired.",
        ClaimsVerificationError::InvalidAudience(_) => {
            "the provider's id_token was issued to another application."
        }
        ClaimsVerificationError::InvalidIssuer(_) => {
            "the provider's id_token comes from an unexpected issuer."
        }
        ClaimsVerificationError::InvalidNonce(_) => {
            "the provider's id_token does not belong to this sign-in."
        }
        ClaimsVerificationError::SignatureVerification(_) => {
            "the provider's id_token signature is not valid."
        }
        _ => "the provider's id_token could not be verified.",
    };
    tracing::info!(reason, "id_token rejected");
    AppError::SignInFailed(reason)
}
