//! The `adboard-sandbox` binary: runs the sandbox standalone on loopback.

use std::net::{Ipv4Addr, TcpListener};
use std::time::Duration;

use adboard_sandbox::{OidcClient, SandboxConfig, spawn};
use clap::Parser;

/// A local Facebook (Login dialog + Graph API) and OpenID provider, on 127.0.0.1 only.
#[derive(Debug, Parser)]
#[command(name = "adboard-sandbox", version)]
struct Args {
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, env = "SANDBOX_PORT", default_value_t = 9100)]
    port: u16,
    /// Facebook app id.
    #[arg(long, env = "SANDBOX_APP_ID", default_value = "sandbox-app")]
    app_id: String,
    /// Facebook app secret.
    #[arg(long, env = "SANDBOX_APP_SECRET", default_value = "sandbox-secret")]
    app_secret: String,
    /// A redirect URI the Login dialog accepts (repeatable; exact match).
    #[arg(long = "redirect-uri")]
    redirect_uris: Vec<String>,
    /// Reject Graph calls without a valid appsecret_proof.
    #[arg(long)]
    require_appsecret_proof: bool,
    /// OIDC client id.
    #[arg(long, default_value = "adboard-local")]
    oidc_client_id: String,
    /// OIDC client secret.
    #[arg(long, default_value = "adboard-local-secret")]
    oidc_client_secret: String,
    /// A redirect URI the OIDC client may use (repeatable; exact match).
    #[arg(long = "oidc-redirect-uri")]
    oidc_redirect_uris: Vec<String>,
    /// X (OAuth 1.0a) consumer key.
    #[arg(
        long,
        env = "SANDBOX_X_CONSUMER_KEY",
        default_value = "sandbox-x-consumer-key"
    )]
    x_consumer_key: String,
    /// X consumer secret.
    #[arg(
        long,
        env = "SANDBOX_X_CONSUMER_SECRET",
        default_value = "sandbox-x-consumer-secret"
    )]
    x_consumer_secret: String,
    /// An `oauth_callback` URL the X consumer may use besides `oob` (repeatable; exact match).
    #[arg(long = "x-callback-url")]
    x_callback_urls: Vec<String>,
    /// Artificial latency per Graph call, in milliseconds.
    #[arg(long, default_value_t = 0)]
    graph_latency_ms: u64,
    /// Largest insights `limit` accepted.
    #[arg(long, default_value_t = 5000)]
    max_page_size: usize,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let config = SandboxConfig {
        app_id: args.app_id,
        app_secret: args.app_secret,
        redirect_uris: args.redirect_uris,
        require_appsecret_proof: args.require_appsecret_proof,
        oidc_clients: vec![OidcClient {
            client_id: args.oidc_client_id,
            client_secret: args.oidc_client_secret,
            redirect_uris: args.oidc_redirect_uris,
        }],
        x_consumer_key: args.x_consumer_key,
        x_consumer_secret: args.x_consumer_secret,
        x_callback_urls: args.x_callback_urls,
        graph_latency: Duration::from_millis(args.graph_latency_ms),
        max_page_size: args.max_page_size,
        ..SandboxConfig::default()
    };
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, args.port))?;
    let banner = describe(&config);
    let sandbox = spawn(listener, config).await?;
    println!("adboard-sandbox listening on {}", sandbox.base_url);
    println!("  Graph API:     {}", sandbox.graph_url());
    println!("  OIDC issuer:   {}", sandbox.oidc_issuer);
    println!("  X API:         {}", sandbox.x_url());
    println!(
        "  user token:    curl -X POST '{}/__sandbox/token?user=alice'",
        sandbox.base_url
    );
    print!("{banner}");
    tokio::signal::ctrl_c().await?;
    sandbox.stop().await;
    Ok(())
}

fn describe(c: &SandboxConfig) -> String {
    let mut out = format!("  Facebook app:  id {} secret {}\n", c.app_id, c.app_secret);
    for client in &c.oidc_clients {
        out += &format!(
            "  OIDC client:   id {} secret {}\n",
            client.client_id, client.client_secret
        );
    }
    out += &format!(
        "  X consumer:    key {} secret {}\n",
        c.x_consumer_key, c.x_consumer_secret
    );
    for u in &c.users {
        let accounts: Vec<String> = u
            .ad_accounts
            .iter()
            .map(|a| format!("act_{} ({}, {})", a.account_id, a.currency, a.timezone_name))
            .collect();
        out += &format!(
            "  test user:     {} <{}> @{} {}\n",
            u.handle,
            u.email,
            u.x_screen_name,
            accounts.join(", ")
        );
    }
    out
}
