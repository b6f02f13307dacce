//! The `adboard` binary: loads settings, starts telemetry, and runs the app (see `startup`).
//! `--init-table` prepares the storage; `--rotate-token-key` re-encrypts every stored connector
//! token with the current `TOKEN_ENCRYPTION_KEY` (old keys in `TOKEN_ENCRYPTION_OLD_KEYS`).

use adboard_web::settings::Settings;
use adboard_web::startup::Application;

/// mimalloc: a page view allocates a lot of small, short-lived values (session, template
/// context, rendered strings); glibc's allocator was a fifth of the CPU time per request.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("adboard: refusing to start: {err}");
            std::process::exit(2);
        }
    };
    adboard_web::telemetry::init();
    if std::env::args().any(|arg| arg == "--init-table") {
        // Creates the DynamoDB table (idempotent) or the SQLite file named by STORE_URL, then exits.
        adboard_store::init_storage(&settings.store_url).await?;
        return Ok(());
    }
    if std::env::args().any(|arg| arg == "--rotate-token-key") {
        return rotate_token_key(&settings).await;
    }
    Application::build(settings)
        .await?
        .run_until_stopped()
        .await?;
    Ok(())
}

/// Re-encrypts every connector token with the current key; fails if any token could not be read.
async fn rotate_token_key(settings: &Settings) -> anyhow::Result<()> {
    let Some(key) = &settings.token_key else {
        anyhow::bail!(
            "--rotate-token-key needs TOKEN_ENCRYPTION_KEY (the new key) and TOKEN_ENCRYPTION_OLD_KEYS (the keys to retire)"
        );
    };
    let keyring = adboard_store::TokenKeyring::from_base64(key, &settings.old_token_keys)?;
    let store = adboard_store::open(&settings.store_url).await?;
    let report = adboard_store::reencrypt_connector_tokens(store.as_ref(), &keyring).await?;
    println!(
        "re-encrypted {} token(s) with key {}; {} already current; {} changed meanwhile; {} unreadable",
        report.rotated,
        keyring.current_key_id(),
        report.already_current,
        report.changed_meanwhile,
        report.failed.len()
    );
    for failure in &report.failed {
        println!(
            "  unreadable: team {} ({}): {}",
            failure.team, failure.platform, failure.error
        );
    }
    if report.failed.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("some tokens could not be read with the configured keys")
    }
}
