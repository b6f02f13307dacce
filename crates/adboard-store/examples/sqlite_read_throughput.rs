//! Measures what a profile page asks of the SQLite store (get_user + list_identities) under 64
//! concurrent callers for a bounded 3 seconds, and prints throughput and p99 latency.
//! Run: `cargo run -p adboard-store --release --example sqlite_read_throughput`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use adboard_domain::account::{EmailAddress, IdentityKey, Provider};
use adboard_store::{Identity, NewUser};

const CALLERS: usize = 64;
const RUN_FOR: Duration = Duration::from_secs(3);
const MAX_CALLS_PER_CALLER: usize = 1_000_000;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = adboard_store::open(&format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ))
    .await?;
    let identity = Identity {
        key: IdentityKey {
            provider: Provider::Sandbox,
            issuer: "bench".into(),
            subject: "ann".into(),
        },
        email: Some(EmailAddress::parse("ann@example.com")?),
        linked_at: chrono::Utc::now(),
    };
    let user = store
        .create_user_with_identity(
            NewUser {
                name: adboard_domain::account::UserName::parse("Ann")?,
                email: None,
            },
            identity,
        )
        .await?;
    let deadline = Instant::now() + RUN_FOR;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CALLERS {
        let store = Arc::clone(&store);
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline && latencies.len() < MAX_CALLS_PER_CALLER {
                let start = Instant::now();
                store.get_user(user.id).await.expect("get_user");
                store
                    .list_identities(user.id)
                    .await
                    .expect("list_identities");
                latencies.push(start.elapsed());
            }
            latencies
        });
    }
    let mut latencies: Vec<Duration> = tasks.join_all().await.into_iter().flatten().collect();
    latencies.sort();
    let p99 = latencies[latencies.len() * 99 / 100];
    println!(
        "sqlite profile reads: {} calls in {:?} = {:.0}/s, p99 {:?} at {CALLERS} callers",
        latencies.len(),
        RUN_FOR,
        latencies.len() as f64 / RUN_FOR.as_secs_f64(),
        p99
    );
    Ok(())
}
