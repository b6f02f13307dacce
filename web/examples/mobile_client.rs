//! An example smartphone client of Adboard's JSON API, doing what a phone app does after the
//! platform SDKs signed its user in — with the sandbox standing in for Facebook's and X's SDKs:
//! get a Facebook token, sign in at `/api/auth/facebook`, link X at `/api/associate/x`, make an
//! authenticated call (`/api/me`), then sign out at `/api/logout`.
//!
//! Run the app (`cargo run -p adboard-web`, sandbox mode: its log names the sandbox's URL), sign
//! in once on the web with Facebook as Alice (the API never creates accounts), then:
//! `cargo run -p adboard-web --example mobile_client -- http://127.0.0.1:8080 <sandbox URL> alice`.
//! The test suite runs the same code (`web/tests/it/api/mobile_client.rs`).

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

/// What the client saw, step by step.
#[derive(Debug, Default)]
pub struct Report {
    pub user_id: String,
    pub username: String,
    pub linked: Vec<String>,
    pub after_logout_status: u16,
}

/// Asks the sandbox (standing in for a platform SDK) for a token, as the SDK would hand it over.
async fn sdk_token(http: &reqwest::Client, url: String) -> anyhow::Result<Value> {
    let response = http.post(url).send().await?;
    if !response.status().is_success() {
        bail!("the sandbox refused to mint a token: {}", response.status());
    }
    Ok(response.json().await?)
}

/// One API call: JSON in, JSON out; a non-2xx answer becomes an error naming its `error.code`.
async fn call(request: reqwest::RequestBuilder) -> anyhow::Result<Value> {
    let response = request.send().await?;
    let status = response.status();
    let body: Value = response.json().await.context("the API answers JSON")?;
    if !status.is_success() {
        bail!(
            "{status}: {} — {}",
            body["error"]["code"].as_str().unwrap_or("?"),
            body["error"]["message"].as_str().unwrap_or("")
        );
    }
    Ok(body)
}

/// The whole session of a phone app for the sandbox user `handle`.
pub async fn run(app: &str, sandbox: &str, handle: &str) -> anyhow::Result<Report> {
    let http = reqwest::Client::builder()
        .user_agent("AdboardExamplePhone/1.0")
        .build()?;
    let mut report = Report::default();

    let facebook = sdk_token(&http, format!("{sandbox}/__sandbox/token?user={handle}")).await?;
    let signed_in = call(
        http.post(format!("{app}/api/auth/facebook"))
            .json(&json!({"access_token": facebook["access_token"]})),
    )
    .await
    .context("signing in with Facebook (has this user signed in on the web once?)")?;
    let token = signed_in["token"]
        .as_str()
        .context("an API token")?
        .to_owned();
    report.user_id = signed_in["id"].as_str().unwrap_or_default().to_owned();
    report.username = signed_in["username"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    println!("signed in as {} ({})", report.username, report.user_id);

    let x = sdk_token(&http, format!("{sandbox}/__sandbox/x/token?user={handle}")).await?;
    call(
        http.post(format!("{app}/api/associate/x"))
            .bearer_auth(&token)
            .json(&json!({
                "access_token": x["oauth_token"],
                "access_token_secret": x["oauth_token_secret"],
            })),
    )
    .await
    .context("linking X")?;
    println!(
        "linked X account @{}",
        x["screen_name"].as_str().unwrap_or("?")
    );

    let me = call(http.get(format!("{app}/api/me")).bearer_auth(&token)).await?;
    report.linked = me["identities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["provider"].as_str().map(str::to_owned))
        .collect();
    println!("linked sign-ins: {}", report.linked.join(", "));

    call(http.post(format!("{app}/api/logout")).bearer_auth(&token)).await?;
    let after = http
        .get(format!("{app}/api/me"))
        .bearer_auth(&token)
        .send()
        .await?;
    report.after_logout_status = after.status().as_u16();
    println!(
        "signed out: the token now gets {}",
        report.after_logout_status
    );
    Ok(report)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(app), Some(sandbox)) = (args.next(), args.next()) else {
        bail!("usage: mobile_client APP_URL SANDBOX_URL [USER]");
    };
    let handle = args.next().unwrap_or_else(|| "alice".to_owned());
    run(
        app.trim_end_matches('/'),
        sandbox.trim_end_matches('/'),
        &handle,
    )
    .await?;
    Ok(())
}
