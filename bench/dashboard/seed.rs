//! Prepares a dashboard for the benchmark and the end-to-end checks: a team owned by a user who
//! has signed in once, connected to Facebook with a token minted by a sandbox, with an ad account
//! and a conversion event — written directly to the app's store, as the connectors pages would.
//! Prints the team id.
//!
//! `STORE_URL=… TOKEN_ENCRYPTION_KEY=… seed_dashboard OWNER_EMAIL SANDBOX_URL [ACCOUNT] [EVENT]`

use adboard_domain::account::EmailAddress;
use adboard_domain::ads::{AdAccountId, ConversionEvent};
use adboard_domain::connector::Platform;
use adboard_domain::team::TeamName;
use adboard_store::{
    ConnectedAccount, Connector, ConnectorHealth, TeamSettings, TokenKeyring, connector_context,
};
use anyhow::Context as _;
use chrono::{Duration, Utc};
use secrecy::SecretString;

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [email, sandbox, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: seed_dashboard OWNER_EMAIL SANDBOX_URL [ACCOUNT] [EVENT]");
    };
    let account = rest.first().map_or("1234567890", String::as_str);
    let event = rest.get(1).map_or("purchase", String::as_str);
    let store = adboard_store::open(&std::env::var("STORE_URL").context("STORE_URL")?).await?;
    let key =
        SecretString::from(std::env::var("TOKEN_ENCRYPTION_KEY").context("TOKEN_ENCRYPTION_KEY")?);
    let keyring = TokenKeyring::from_base64(&key, &[])?;
    let owner = store
        .find_user_by_email(&EmailAddress::parse(email)?)
        .await?
        .context("no user with that email: sign in once first")?;

    let minted: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/__sandbox/token?user=alice",
            sandbox.trim_end_matches('/')
        ))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = SecretString::from(
        minted["access_token"]
            .as_str()
            .context("a token")?
            .to_owned(),
    );

    let team = store
        .create_team(owner.id, TeamName::parse("Dashboard bench")?)
        .await?;
    let settings = TeamSettings {
        ad_account_id: Some(AdAccountId::parse(account)?),
        conversion_event: Some(ConversionEvent::parse(event)?),
    };
    store
        .update_team(team.id, team.name.clone(), settings)
        .await?;
    let now = Utc::now();
    store
        .put_connector(Connector {
            team: team.id,
            platform: Platform::Facebook,
            token: keyring.seal(&token, &connector_context(team.id, Platform::Facebook))?,
            external_user_id: minted["user_id"].as_str().unwrap_or_default().to_owned(),
            external_user_name: "Alice Sandbox".into(),
            scopes: vec!["ads_read".into()],
            expires_at: Some(now + Duration::days(60)),
            data_access_expires_at: Some(now + Duration::days(90)),
            connected_by: owner.id,
            connected_at: now,
            account: (account == "1234567890").then(|| ConnectedAccount {
                id: AdAccountId::parse(account).expect("valid"),
                name: "Alice Shoes EU".into(),
                currency: "EUR".into(),
                timezone: "Europe/Berlin".into(),
            }),
            health: ConnectorHealth::default(),
        })
        .await?;
    println!("{}", team.id);
    Ok(())
}
