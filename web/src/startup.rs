//! The one place that wires the app: store, providers (or the in-process sandbox), sessions,
//! templates, tracing, routes — then binds and serves.

use std::net::TcpListener;

use actix_session::SessionExt as _;
use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_web::body::MessageBody;
use actix_web::cookie::{Key, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Server;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::{DefaultHeaders, ErrorHandlers, Next, from_fn};
use actix_web::{App, HttpServer, web};
use adboard_domain::account::Provider;
use adboard_domain::connector::Platform;
use adboard_facebook::GraphClient;
#[cfg(feature = "sandbox")]
use adboard_sandbox::{OidcClient, RunningSandbox, SandboxConfig};
use adboard_store::TokenKeyring;
use anyhow::Context as _;
use rand::RngCore as _;
use secrecy::ExposeSecret as _;
#[cfg(feature = "sandbox")]
use secrecy::SecretString;
use tracing_actix_web::TracingLogger;

use crate::api::ApiGuards;
use crate::auth::facebook::FacebookProvider;
use crate::auth::oidc::OidcProvider;
use crate::auth::x::XProvider;
use crate::auth::{ConsumedStates, Providers};
use crate::dashboard::Dashboard;
use crate::error_page::render_error_page;
use crate::routes;
use crate::session;
use crate::sessions::SessionPolicy;
use crate::settings::Settings;
use crate::state::AppState;
use crate::telemetry::PathOnlyRootSpan;
use crate::templates::Templates;
#[cfg(feature = "sandbox")]
use crate::tokens::random_token;

/// The in-process sandbox, when this build has one.
#[cfg(feature = "sandbox")]
type Sandbox = RunningSandbox;
/// A build without the `sandbox` feature never runs one.
#[cfg(not(feature = "sandbox"))]
#[derive(Debug)]
enum Sandbox {}

/// A built, bound, not yet running app.
pub struct Application {
    server: Server,
    port: u16,
    public_url: String,
    #[cfg_attr(not(feature = "sandbox"), allow(dead_code))]
    sandbox: Option<Sandbox>,
}

/// The sandbox's fixed client/app ids (its secrets are random per process).
#[cfg(feature = "sandbox")]
const SANDBOX_OIDC_CLIENT_ID: &str = "adboard-local";
#[cfg(feature = "sandbox")]
const SANDBOX_FACEBOOK_APP_ID: &str = "sandbox-app";
#[cfg(feature = "sandbox")]
const SANDBOX_X_CONSUMER_KEY: &str = "sandbox-x-consumer";

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Validates, binds `BIND_ADDR`, opens the store, starts the sandbox in sandbox mode and builds
    /// the server. Fails (never panics) on any misconfiguration, including a template parse error.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        settings.validate()?;
        let templates = Templates::build().context("parsing templates")?;
        let listener = TcpListener::bind(settings.bind_addr)
            .with_context(|| format!("binding {}", settings.bind_addr))?;
        let addr = listener.local_addr()?;
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let store_options = adboard_store::StoreOptions {
            dynamodb_endpoint: settings.dynamodb_endpoint.clone(),
            timeouts: adboard_store::Timeouts::default(),
        };
        let store = adboard_store::open_with(&settings.store_url, &store_options)
            .await
            .context("opening the store")?;

        let (providers, graph, sandbox) = build_providers(&settings, &public_url).await?;
        let keyring = build_keyring(&settings)?;
        let dashboard = Dashboard::build(&settings.function, graph.clone())
            .await
            .context("setting up the call to get_facebook_data")?;
        let key = match &settings.session_key {
            Some(bytes) => Key::try_from(bytes.expose_secret()).context("SESSION_KEY")?,
            None if sandbox.is_some() => {
                tracing::info!(
                    "SESSION_KEY is not set: sessions use a random key and end when Adboard stops (fine in sandbox mode)"
                );
                Key::generate()
            }
            None => {
                tracing::warn!(
                    "SESSION_KEY is not set: using a random key; sessions end at restart"
                );
                Key::generate()
            }
        };
        let secure_cookie = !is_plain_http_loopback(&public_url);
        let state = web::Data::new(AppState {
            store,
            providers,
            graph,
            keyring,
            connector_checks: Default::default(),
            templates,
            sessions: SessionPolicy::new(
                settings.session_lifetime,
                settings.session_idle,
                settings.session_check_every,
            ),
            dashboard,
            api: ApiGuards {
                trust_x_forwarded_for: settings.trust_x_forwarded_for,
                ..ApiGuards::default()
            },
            public_url: public_url.clone(),
            sandbox_users: sandbox_user_names(sandbox.as_ref()),
        });
        let cookie_ttl = CookieDuration::seconds(
            i64::try_from(settings.session_lifetime.as_secs()).unwrap_or(i64::MAX),
        );

        let server = HttpServer::new(move || {
            App::new()
                .wrap(ErrorHandlers::new().default_handler(render_error_page))
                .wrap(from_fn(keep_session_small))
                .wrap(
                    SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                        .cookie_name("adboard_session".into())
                        .cookie_secure(secure_cookie)
                        .cookie_http_only(true)
                        .cookie_same_site(SameSite::Lax)
                        .cookie_content_security(CookieContentSecurity::Private)
                        .session_lifecycle(PersistentSession::default().session_ttl(cookie_ttl))
                        .build(),
                )
                .wrap(TracingLogger::<PathOnlyRootSpan>::new())
                .wrap(security_headers())
                .app_data(state.clone())
                .configure(routes::configure)
        })
        .listen(listener)?
        .run();
        tracing::info!(%public_url, sandbox = sandbox.is_some(), "Adboard is listening on {addr}");
        // Last and on its own, so it is the line a person looks for.
        tracing::info!("\n\n    Adboard is ready: open {public_url} in your browser\n");
        Ok(Self {
            server,
            port: addr.port(),
            public_url,
            sandbox,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// e.g. `http://127.0.0.1:8080`, no trailing slash.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The in-process sandbox's base URL, in sandbox mode.
    #[cfg(feature = "sandbox")]
    pub fn sandbox_url(&self) -> Option<&str> {
        self.sandbox.as_ref().map(|s| s.base_url.as_str())
    }

    /// Serves until the server stops (Ctrl-C / SIGTERM), then stops the sandbox.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        #[cfg(feature = "sandbox")]
        if let Some(sandbox) = self.sandbox {
            sandbox.stop().await;
        }
        result
    }
}

/// Every response is a real response: the session cookie must stay under browsers' 4 KB, so
/// after the handler (and before the session middleware writes the cookie) an oversized session
/// is logged and shrunk (`session::shrink`) instead of failing the response after the action
/// was done.
async fn keep_session_small(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let response = next.call(req).await?;
    session::shrink_if_oversized(&response.request().get_session());
    Ok(response)
}

/// Sent with every response: our pages load nothing from elsewhere and run no inline code, are
/// never framed, and never hand a URL (a sign-in callback carries a code and state) to another
/// site in a Referer header.
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
}

fn is_plain_http_loopback(public_url: &str) -> bool {
    let Ok(url) = url::Url::parse(public_url) else {
        return false;
    };
    url.scheme() == "http"
        && match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(name)) => name == "localhost",
            None => false,
        }
}

fn callback_url(public_url: &str, provider: Provider) -> String {
    format!("{public_url}/login/{provider}/callback")
}

/// Where a platform's OAuth dialog sends an owner back after connecting (registered with the app).
pub fn connector_callback_url(public_url: &str, platform: Platform) -> String {
    format!("{public_url}/connectors/{platform}/callback")
}

/// The connector tokens' keyring: `TOKEN_ENCRYPTION_KEY` (plus any old keys), or in sandbox mode
/// a key generated for this run.
fn build_keyring(settings: &Settings) -> anyhow::Result<TokenKeyring> {
    let old = &settings.old_token_keys;
    match &settings.token_key {
        Some(key) => TokenKeyring::from_base64(key, old).context("TOKEN_ENCRYPTION_KEY"),
        None => {
            tracing::info!(
                "TOKEN_ENCRYPTION_KEY is not set: connector tokens are encrypted with a key made for \
                 this run (sandbox mode), so connections made now need reconnecting after a restart"
            );
            let mut key = [0u8; 32];
            rand::rng().fill_bytes(&mut key);
            TokenKeyring::new(&key, &[]).context("generating a token key")
        }
    }
}

/// The configured providers and the Graph client; in sandbox mode, the sandbox started on its own
/// loopback listener plays Facebook (dialog and Graph API) and the OpenID provider.
async fn build_providers(
    settings: &Settings,
    public_url: &str,
) -> anyhow::Result<(Providers, GraphClient, Option<Sandbox>)> {
    let mut oidc = Vec::new();
    let mut facebook = None;
    #[cfg_attr(not(feature = "sandbox"), allow(unused_mut))]
    let mut x = settings
        .x
        .as_ref()
        .map(|config| {
            XProvider::new(
                config.consumer_key.clone(),
                config.consumer_secret.clone(),
                config.api_url.clone(),
            )
        })
        .transpose()?;
    let mut graph_settings = settings.graph.clone();
    #[cfg_attr(not(feature = "sandbox"), allow(unused_mut))]
    let mut sandbox = None;
    for (provider, config) in [
        (Provider::Google, &settings.google),
        (Provider::Oidc, &settings.oidc),
    ] {
        if let Some(config) = config {
            oidc.push(OidcProvider::new(
                provider,
                config.issuer_url.clone(),
                config.client_id.clone(),
                config.client_secret.clone(),
                callback_url(public_url, provider),
                config.api_audiences.clone(),
                config.tokeninfo_url.clone(),
            )?);
        }
    }
    if let Some(config) = &settings.facebook {
        graph_settings = graph_settings.with_app(config.app_id.clone(), config.app_secret.clone());
        facebook = Some(FacebookProvider::new(
            config.app_id.clone(),
            &config.dialog_url,
            callback_url(public_url, Provider::Facebook),
            graph_client(graph_settings.clone())?,
        )?);
    }
    #[cfg(feature = "sandbox")]
    if settings.sandbox_mode() {
        let oidc_secret = random_token();
        let app_secret = random_token();
        let x_secret = random_token();
        let listener = TcpListener::bind(("127.0.0.1", 0)).context("binding the sandbox")?;
        let config = SandboxConfig {
            app_id: SANDBOX_FACEBOOK_APP_ID.into(),
            app_secret: app_secret.clone(),
            redirect_uris: vec![
                callback_url(public_url, Provider::Facebook),
                connector_callback_url(public_url, Platform::Facebook),
            ],
            oidc_clients: vec![OidcClient {
                client_id: SANDBOX_OIDC_CLIENT_ID.into(),
                client_secret: oidc_secret.clone(),
                redirect_uris: vec![callback_url(public_url, Provider::Sandbox)],
            }],
            x_consumer_key: SANDBOX_X_CONSUMER_KEY.into(),
            x_consumer_secret: x_secret.clone(),
            ..SandboxConfig::default()
        };
        let running = adboard_sandbox::spawn(listener, config)
            .await
            .context("starting the sandbox")?;
        tracing::info!(
            sandbox = %running.base_url,
            "SANDBOX mode (no sign-in provider configured): sign-in and Facebook Ads are simulated \
             on this machine with the test users Alice, Bob and Carol; no real account or ad data is used"
        );
        oidc.push(OidcProvider::new(
            Provider::Sandbox,
            running.oidc_issuer.clone(),
            SANDBOX_OIDC_CLIENT_ID.into(),
            SecretString::from(oidc_secret),
            callback_url(public_url, Provider::Sandbox),
            Vec::new(),
            None,
        )?);
        graph_settings = adboard_facebook::Settings {
            graph_url: url::Url::parse(&running.base_url).context("the sandbox's URL")?,
            ..graph_settings
        }
        .with_app(SANDBOX_FACEBOOK_APP_ID, SecretString::from(app_secret));
        facebook = Some(FacebookProvider::new(
            SANDBOX_FACEBOOK_APP_ID.into(),
            &running.base_url,
            callback_url(public_url, Provider::Facebook),
            graph_client(graph_settings.clone())?,
        )?);
        if x.is_none() {
            x = Some(XProvider::new(
                SANDBOX_X_CONSUMER_KEY.into(),
                SecretString::from(x_secret),
                running.x_url(),
            )?);
        }
        sandbox = Some(running);
    }
    let graph = graph_client(graph_settings)?;
    let providers = Providers {
        oidc,
        facebook,
        x,
        consumed: ConsumedStates::default(),
        ttl: settings.login_state_ttl,
    };
    Ok((providers, graph, sandbox))
}

/// A Graph client with one connection pool per actix worker thread: each worker is its own
/// single-threaded runtime, and a connection opened on one worker would otherwise be driven by that
/// worker's thread whichever worker makes the call (the dashboard's p99 paid for it).
fn graph_client(settings: adboard_facebook::Settings) -> anyhow::Result<GraphClient> {
    Ok(GraphClient::new(settings)?.with_pool_per_thread())
}

/// The sandbox's test users' names, shown on the sign-in page in sandbox mode.
#[cfg(feature = "sandbox")]
fn sandbox_user_names(sandbox: Option<&Sandbox>) -> Vec<String> {
    match sandbox {
        Some(_) => SandboxConfig::default()
            .users
            .into_iter()
            .map(|u| u.name)
            .collect(),
        None => Vec::new(),
    }
}

#[cfg(not(feature = "sandbox"))]
fn sandbox_user_names(_: Option<&Sandbox>) -> Vec<String> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::is_plain_http_loopback;

    #[test]
    fn cookies_are_secure_everywhere_except_plain_http_on_loopback() {
        for insecure_ok in [
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "http://[::1]:8080",
        ] {
            assert!(is_plain_http_loopback(insecure_ok), "{insecure_ok}");
        }
        for must_be_secure in [
            "https://127.0.0.1:8080",
            "http://adboard.example",
            "https://adboard.example",
            "http://10.0.0.1",
        ] {
            assert!(!is_plain_http_loopback(must_be_secure), "{must_be_secure}");
        }
    }
}
