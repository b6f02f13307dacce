//! OpenID Connect sign-in (generic issuer, Google preset, sandbox) with the `openidconnect` crate:
//! discovery (lazy, cached), PKCE S256, nonce, id_token verification with one JWKS refresh on an
//! unknown `kid`, and a verified email. What the JSON API verifies — a phone app's id_token or
//! access token — is in `api_tokens.rs`.

mod api_tokens;

use std::sync::Arc;
use std::time::{Duration, Instant};

use adboard_domain::account::{EmailAddress, IdentityKey, Provider, UserName};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClient,
    CoreClientAuthMethod, CoreGrantType, CoreIdTokenClaims, CoreIdTokenVerifier, CoreJsonWebKey,
    CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
    CoreJwsSigningAlgorithm, CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
    CoreUserInfoClaims,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret,
    CsrfToken, EndUserEmail, EndUserName, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IntrospectionUrl, IssuerUrl, LocalizedClaim, Nonce, OAuth2TokenResponse as _,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    SignatureVerificationError, SubjectIdentifier, TokenResponse as _, UserInfoError,
};
use secrecy::{ExposeSecret as _, SecretString};
use serde::{Deserialize, Serialize};
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

/// What discovery reads besides the standard fields: RFC 8414's `introspection_endpoint`.
#[derive(Debug, Clone, Deserialize, Serialize)]
struct IntrospectionMetadata {
    introspection_endpoint: Option<IntrospectionUrl>,
}
impl AdditionalProviderMetadata for IntrospectionMetadata {}

/// A discovery document, read with [`IntrospectionMetadata`].
type ProviderMetadata = openidconnect::ProviderMetadata<
    IntrospectionMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// The discovered client with the provider's RFC 7662 introspection endpoint set.
type IntrospectingClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A discovered provider: the client, and the issuer and keys the JSON API verifies id_tokens
/// with; the same client with the introspection endpoint, if the provider has one.
#[derive(Debug)]
struct Discovered {
    client: DiscoveredClient,
    issuer: IssuerUrl,
    jwks: CoreJsonWebKeySet,
    introspector: Option<IntrospectingClient>,
}

/// What a provider's userinfo (or Google's tokeninfo) says about the person.
#[derive(Debug, Default)]
struct Profile {
    email: Option<String>,
    email_verified: Option<bool>,
    name: Option<String>,
}

impl Profile {
    /// From the standard claims of an id_token or a userinfo answer (the name in no particular
    /// language).
    fn new(
        email: Option<&EndUserEmail>,
        email_verified: Option<bool>,
        name: Option<&LocalizedClaim<EndUserName>>,
    ) -> Self {
        Self {
            email: email.map(|e| e.as_str().to_owned()),
            email_verified,
            name: name
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned()),
        }
    }
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
    /// Besides `client_id`: the client ids of our smartphone apps (JSON API tokens only).
    api_audiences: Vec<String>,
    /// Google only: its tokeninfo endpoint, which checks access tokens (Google has no RFC 7662
    /// introspection).
    tokeninfo_url: Option<String>,
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
        tokeninfo_url: Option<String>,
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
            tokeninfo_url,
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
        let metadata = ProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| {
                AppError::Upstream(anyhow::anyhow!(
                    "OIDC discovery for {} failed: {e}",
                    self.provider
                ))
            })?;
        let issuer = metadata.issuer().clone();
        let jwks = metadata.jwks().clone();
        let introspection_url = metadata
            .additional_metadata()
            .introspection_endpoint
            .clone();
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
        let introspector = introspection_url.map(|url| client.clone().set_introspection_url(url));
        let discovered = Arc::new(Discovered {
            client,
            issuer,
            jwks,
            introspector,
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

        let profile = match claims.email() {
            Some(_) => Profile::new(claims.email(), claims.email_verified(), claims.name()),
            None => {
                self.userinfo(
                    &client.client,
                    token.access_token().clone(),
                    claims.subject().clone(),
                )
                .await?
            }
        };
        self.identity(claims.issuer(), claims.subject(), profile)
    }

    /// The identity `issuer` and `subject` name, with the verified email required.
    fn identity(
        &self,
        issuer: &IssuerUrl,
        subject: &SubjectIdentifier,
        profile: Profile,
    ) -> Result<VerifiedIdentity, AppError> {
        if profile.email_verified != Some(true) {
            return Err(AppError::EmailNotVerified);
        }
        let email = profile
            .email
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
                issuer: issuer.as_str().to_owned(),
                subject: subject.as_str().to_owned(),
            },
            name: UserName::from_provider(profile.name.as_deref(), Some(&email)),
            email: Some(email),
        })
    }

    /// The provider's userinfo for `access_token`, which must name `subject`. A provider without
    /// a userinfo endpoint gives no verified email; userinfo refusing the token or naming another
    /// subject is [`AppError::SignInFailed`]; anything else going wrong is
    /// [`AppError::Upstream`].
    async fn userinfo(
        &self,
        client: &DiscoveredClient,
        access_token: openidconnect::AccessToken,
        subject: SubjectIdentifier,
    ) -> Result<Profile, AppError> {
        let request = client
            .user_info(access_token, Some(subject))
            .map_err(|_| AppError::EmailNotVerified)?;
        let info: CoreUserInfoClaims =
            request
                .request_async(&self.http)
                .await
                .map_err(|e| match e {
                    UserInfoError::ClaimsVerification(_) => AppError::SignInFailed(
                        "the provider's userinfo names another person than the token.",
                    ),
                    UserInfoError::Response(status, ..) if status.is_client_error() => {
                        AppError::SignInFailed("the provider's userinfo refused the access token.")
                    }
                    other => AppError::Upstream(anyhow::anyhow!(
                        "userinfo request to {} failed: {other}",
                        self.provider
                    )),
                })?;
        Ok(Profile::new(
            info.email(),
            info.email_verified(),
            info.name(),
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

/// A refusal of the web sign-in as the JSON API answers it: the token is refused.
fn for_api(err: AppError) -> AppError {
    match err {
        AppError::SignInFailed(reason) => AppError::InvalidProviderToken(reason),
        other => other,
    }
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
