//! The `adboard` binary: loads settings, starts telemetry, and runs the app (see `startup`).

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
    Application::build(settings)
        .await?
        .run_until_stopped()
        .await?;
    Ok(())
}
