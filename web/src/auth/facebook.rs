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

/// Facebook Login for one app.
#[derive(Debug)]
pub struct FacebookProvider {
    app_id: String,
    auth_url: AuthUrl,
    redirect_url: RedirectUrl,
    graph: GraphClient,
}

/// A Graph failure during sign-in: Facebook refusing the code or the token is the person's
/// sign-in failing; anything else is Facebook being unavailable.
fn refused_or_upstream(err: GraphError, refused: &'static str) -> AppError {
    match err {
        GraphError::Api(ref e) if (400..500).contains(&e.http_status) => {
            tracing::info!(graph.error = %err, "Facebook refused a sign-in call");
            AppError::SignInFailed(refused)
        }
        other => AppError::Upstream(other.into()),
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

    /// The Login dialog URL for a new sign-in (public profile and email).
    pub fn start(&self, next: String, intent: Intent) -> LoginStart {
        let client = BasicClient::new(ClientId::new(self.app_id.clone()))
            .set_auth_uri(self.auth_url.clone())
            .set_redirect_uri(self.redirect_url.clone());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = client
            .authorize_url(CsrfToken::new_random)
            .add_scope(Scope::new("public_profile".into()))
            .add_scope(Scope::new("email".into()))
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
                refused_or_upstream(
                    e,
                    "Facebook did not accept the sign-in code (it may have been used already).",
                )
            })?
            .token;
        let info = self
            .graph
            .debug_token(&token)
            .await
            .map_err(|e| AppError::Upstream(e.into()))?;
        if info.app_id.as_deref() != Some(self.app_id.as_str()) {
            return Err(AppError::SignInFailed(
                "the Facebook token was issued to another application.",
            ));
        }
        let user_id = match (info.is_valid, info.user_id) {
            (true, Some(id)) if !id.is_empty() => id,
            _ => {
                return Err(AppError::SignInFailed(
                    "Facebook says the token is not valid.",
                ));
            }
        };
        let me = self
            .graph
            .me(&token)
            .await
            .map_err(|e| refused_or_upstream(e, "Facebook refused to say who you are."))?;
        if me.id != user_id {
            return Err(AppError::SignInFailed(
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
