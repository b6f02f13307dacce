//! Facebook Login: the Login dialog (via `oauth2`: state + PKCE S256), then, through the one Graph
//! client (`adboard-facebook`): the code exchange, a `debug_token` check that the token was issued
//! to OUR app and is valid, and `/me` for the user id, name and (when granted) email.

use adboard_domain::account::{EmailAddress, IdentityKey, Provider, UserName};
use adboard_facebook::{GraphClient, GraphError};
use oauth2::basic::BasicClient;
use oauth2::{AuthUrl, ClientId, CsrfToken, PkceCodeChallenge, RedirectUrl, Scope};
use secrecy::SecretString;

use super::{Intent, LoginStart, PendingLogin, VerifiedIdentity, now_unix};
use crate::error::AppError;

/// A Login dialog to send the browser to, and what to remember until it comes back.
#[derive(Debug)]
pub struct Dialog {
    pub url: url::Url,
    pub state: String,
    pub pkce_verifier: String,
}

/// Facebook Login for one app (also the app the Facebook Ads connector asks for `ads_read`).
#[derive(Debug)]
pub struct FacebookProvider {
    app_id: String,
    auth_url: AuthUrl,
    redirect_url: RedirectUrl,
    graph: GraphClient,
}

/// A Graph failure while checking a code or token: Facebook refusing it is the token being
/// refused; anything else is Facebook being unavailable.
fn refused_or_upstream(err: GraphError, refused: &'static str) -> AppError {
    match err {
        GraphError::Api(ref e) if (400..500).contains(&e.http_status) => {
            tracing::info!(graph.error = %err, "Facebook refused a sign-in call");
            AppError::InvalidProviderToken(refused)
        }
        other => AppError::Upstream(other.into()),
    }
}

/// Why `debug_token` refused to describe a user token, if it did: Facebook answers a token of
/// another app with a 4xx error 100 ("The App_id in the input_token did not match the Viewing
/// App") instead of describing it, and a token it cannot parse with 190. `None`: Facebook failed.
pub fn debug_token_refusal(err: &GraphError) -> Option<&'static str> {
    match err {
        GraphError::Api(e) if (400..500).contains(&e.http_status) => Some(match e.code {
            Some(100) => "the Facebook token was issued to another application.",
            _ => "Facebook says the token is not valid.",
        }),
        _ => None,
    }
}

/// In the browser sign-in, a refused code or token is the sign-in failing.
fn as_sign_in(err: AppError) -> AppError {
    match err {
        AppError::InvalidProviderToken(reason) => AppError::SignInFailed(reason),
        other => other,
    }
}

impl FacebookProvider {
    /// `dialog_url` is e.g. `https://www.facebook.com`; the dialog uses the Graph client's version.
    pub fn new(
        app_id: String,
        dialog_url: &str,
        redirect_url: String,
        graph: GraphClient,
    ) -> anyhow::Result<Self> {
        let version = &graph.settings().graph_version;
        Ok(Self {
            auth_url: AuthUrl::new(format!("{dialog_url}/{version}/dialog/oauth"))?,
            app_id,
            redirect_url: RedirectUrl::new(redirect_url)?,
            graph,
        })
    }

    /// Our app's id (what `debug_token` must report for our tokens).
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The Graph client this app's calls go through.
    pub fn graph(&self) -> &GraphClient {
        &self.graph
    }

    /// A Login dialog URL asking for `scopes`, with a fresh state and PKCE S256 challenge, sending
    /// the person back to `redirect_uri`; `rerequest` asks again for permissions declined before.
    pub fn dialog(
        &self,
        redirect_uri: &str,
        scopes: &[&str],
        rerequest: bool,
    ) -> Result<Dialog, AppError> {
        let redirect = RedirectUrl::new(redirect_uri.to_owned()).map_err(AppError::unexpected)?;
        let client = BasicClient::new(ClientId::new(self.app_id.clone()))
            .set_auth_uri(self.auth_url.clone())
            .set_redirect_uri(redirect);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(scopes.iter().map(|s| Scope::new((*s).to_owned())))
            .set_pkce_challenge(challenge);
        if rerequest {
            request = request.add_extra_param("auth_type", "rerequest");
        }
        let (url, state) = request.url();
        Ok(Dialog {
            url,
            state: state.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// The Login dialog URL for a new sign-in (public profile and email).
    pub fn start(&self, next: String, intent: Intent) -> Result<LoginStart, AppError> {
        let dialog = self.dialog(
            self.redirect_url.as_str(),
            &["public_profile", "email"],
            false,
        )?;
        Ok(LoginStart {
            redirect_to: dialog.url,
            pending: PendingLogin {
                provider: Provider::Facebook,
                state: dialog.state,
                pkce_verifier: dialog.pkce_verifier,
                nonce: None,
                created_at: now_unix(),
                next,
                intent,
            },
        })
    }

    /// Code → user token → `debug_token` (issued to our app, valid) → `/me`.
    pub async fn finish(
        &self,
        code: String,
        pending: PendingLogin,
    ) -> Result<VerifiedIdentity, AppError> {
        let verifier = SecretString::from(pending.pkce_verifier);
        let token = self
            .graph
            .exchange_code(
                &SecretString::from(code),
                self.redirect_url.as_str(),
                Some(&verifier),
            )
            .await
            .map_err(|e| {
                as_sign_in(refused_or_upstream(
                    e,
                    "Facebook did not accept the sign-in code (it may have been used already).",
                ))
            })?
            .token;
        self.verify_user_token(&token).await.map_err(as_sign_in)
    }

    /// Who a user access token belongs to, if Facebook vouches that it was issued to OUR app:
    /// `debug_token` with our app token (valid, our `app_id`, not expired), then `/me` (same
    /// user). A token Facebook does not vouch for is [`AppError::InvalidProviderToken`] (the
    /// sign-in callback turns that into its own refusal); Facebook failing is
    /// [`AppError::Upstream`].
    pub async fn verify_user_token(
        &self,
        token: &SecretString,
    ) -> Result<VerifiedIdentity, AppError> {
        let info =
            self.graph
                .debug_token(token)
                .await
                .map_err(|e| match debug_token_refusal(&e) {
                    Some(reason) => {
                        tracing::info!(graph.error = %e, "debug_token refused a user token");
                        AppError::InvalidProviderToken(reason)
                    }
                    None => AppError::Upstream(e.into()),
                })?;
        if info.app_id.as_deref() != Some(self.app_id.as_str()) {
            return Err(AppError::InvalidProviderToken(
                "the Facebook token was issued to another application.",
            ));
        }
        let expired = info.expires_at.is_some_and(|at| at <= chrono::Utc::now());
        let user_id = match (info.is_valid && !expired, info.user_id) {
            (true, Some(id)) if !id.is_empty() => id,
            _ if expired => {
                return Err(AppError::InvalidProviderToken(
                    "the Facebook token has expired.",
                ));
            }
            _ => {
                return Err(AppError::InvalidProviderToken(
                    "Facebook says the token is not valid.",
                ));
            }
        };
        let me = self
            .graph
            .me(token)
            .await
            .map_err(|e| refused_or_upstream(e, "Facebook refused to say who you are."))?;
        if me.id != user_id {
            return Err(AppError::InvalidProviderToken(
                "Facebook's answers about the user do not agree.",
            ));
        }
        // Facebook returns only an email its user has confirmed (and only with the `email`
        // permission), so it counts as verified, like an OIDC `email_verified`.
        let email = me
            .email
            .as_deref()
            .and_then(|raw| EmailAddress::parse(raw).ok());
        Ok(VerifiedIdentity {
            key: IdentityKey {
                provider: Provider::Facebook,
                issuer: self.app_id.clone(),
                subject: user_id,
            },
            name: UserName::from_provider(me.name.as_deref(), email.as_ref()),
            email,
        })
    }
}
