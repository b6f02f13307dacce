//! Benchmark: time per request of the whole handler (parse → Graph → normalise → JSON) against
//! the sandbox with 0 ms and 300 ms of upstream latency, for 30 and 365 days, with Graph calls
//! per request; at 0 ms also the sandbox's own time for the same Graph request, and our overhead.
//! Run with `cargo bench -p get_facebook_data --bench latency` (or bench/get_facebook_data/run.sh).
//! Bounded: at most `BENCH_ITERATIONS` (default 300) requests per case and 20 s per case.

use std::time::{Duration, Instant};

use adboard_facebook::{GraphClient, Settings, appsecret_proof};
use adboard_sandbox::SandboxConfig;
use chrono::{Days, Utc};
use get_facebook_data::{Deps, HttpInput, handle};
use secrecy::SecretString;

const ACCOUNT: &str = "1234567890";
const CASE_TIME_LIMIT: Duration = Duration::from_secs(20);

fn main() {
    let iterations: usize = std::env::var("BENCH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
        .clamp(1, 5000);
    let zero = start_sandbox(Duration::ZERO);
    let slow = start_sandbox(Duration::from_millis(300));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        println!(
            "{:<26} {:>11} {:>11} {:>11} {:>14} {:>11} {:>11}",
            "case", "ours p50", "ours p95", "ours mean", "sandbox p50", "overhead", "calls c/w"
        );
        for (base, latency) in [(&zero, 0u64), (&slow, 300)] {
            for days in [30u32, 365] {
                let n = if latency == 0 {
                    iterations
                } else {
                    iterations.min(10)
                };
                let r = bench_case(base, days, n, latency == 0).await;
                let (sandbox, overhead) = match (r.sandbox_p50, r.overhead_p50) {
                    (Some(s), Some(o)) => (ms(s), format!("{:.3} ms", o * 1e3)),
                    _ => ("-".to_owned(), "-".to_owned()),
                };
                println!(
                    "{:<26} {:>11} {:>11} {:>11} {:>14} {:>11} {:>5}/{:<5}",
                    format!("{days} days, {latency} ms upstream"),
                    ms(r.ours_p50),
                    ms(r.ours_p95),
                    ms(r.ours_mean),
                    sandbox,
                    overhead,
                    r.cold_calls,
                    format!("{:.2}", r.warm_calls)
                );
            }
        }
    });
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// Runs a sandbox on its own thread and runtime; returns its base URL.
fn start_sandbox(latency: Duration) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let config = SandboxConfig {
                graph_latency: latency,
                require_appsecret_proof: true,
                ..SandboxConfig::default()
            };
            let sandbox = adboard_sandbox::spawn(listener, config).await.unwrap();
            tx.send(sandbox.base_url.clone()).unwrap();
            std::future::pending::<()>().await;
        });
    });
    rx.recv().unwrap()
}

struct CaseResult {
    ours_p50: Duration,
    ours_p95: Duration,
    ours_mean: Duration,
    sandbox_p50: Option<Duration>,
    /// Median of (ours − bare Graph request) over alternating pairs.
    overhead_p50: Option<f64>,
    cold_calls: u64,
    warm_calls: f64,
}

async fn bench_case(base: &str, days: u32, n: usize, with_baseline: bool) -> CaseResult {
    let http = reqwest::Client::new();
    let minted: serde_json::Value = http
        .post(format!("{base}/__sandbox/token?user=alice"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = minted["access_token"].as_str().unwrap().to_owned();
    let until = Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(1))
        .unwrap();
    let since = until
        .checked_sub_days(Days::new(u64::from(days) - 1))
        .unwrap();
    let (since, until) = (since.to_string(), until.to_string());

    let settings = Settings::new(base)
        .unwrap()
        .with_app("sandbox-app", SecretString::from("sandbox-secret"));
    let deps = Deps::new(GraphClient::new(settings).unwrap());
    let query: Vec<(String, String)> = [
        ("account_id", ACCOUNT),
        ("since", &since),
        ("until", &until),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let authorization = format!("Bearer {token}");
    let request = || HttpInput {
        method: "GET",
        query: &query,
        authorization: Some(&authorization),
        body: b"",
    };

    // Cold: the account is not cached yet (fetched concurrently with the insights).
    let before = deps.client.graph_calls();
    let out = handle(&deps, request()).await;
    assert_eq!(out.status, 200, "{}", out.body);
    let cold_calls = deps.client.graph_calls() - before;

    // Warm: ours and (at 0 ms) the bare Graph request alternate, so both see the same noise.
    let baseline = if with_baseline {
        Some(Baseline::new(base, &token, &since, &until, days))
    } else {
        None
    };
    if let Some(b) = &baseline {
        b.once(&http).await;
    }
    let before = deps.client.graph_calls();
    let (mut ours, mut raw, mut diffs) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let started = Instant::now();
    while ours.len() < n && started.elapsed() < CASE_TIME_LIMIT {
        let raw_time = match &baseline {
            Some(b) => Some(b.once(&http).await),
            None => None,
        };
        let t = Instant::now();
        let out = handle(&deps, request()).await;
        let elapsed = t.elapsed();
        assert_eq!(out.status, 200);
        std::hint::black_box(out.body.len());
        ours.push(elapsed);
        if let Some(r) = raw_time {
            raw.push(r);
            diffs.push(elapsed.as_secs_f64() - r.as_secs_f64());
        }
    }
    let warm_calls = (deps.client.graph_calls() - before) as f64 / ours.len() as f64;
    ours.sort();
    raw.sort();
    diffs.sort_by(f64::total_cmp);
    CaseResult {
        ours_p50: ours[ours.len() / 2],
        ours_p95: ours[(ours.len() * 95 / 100).min(ours.len() - 1)],
        ours_mean: ours.iter().sum::<Duration>() / ours.len() as u32,
        sandbox_p50: raw.get(raw.len() / 2).copied(),
        overhead_p50: diffs.get(diffs.len() / 2).copied(),
        cold_calls,
        warm_calls,
    }
}

/// The sandbox's own time for the very Graph request we make: a bare GET, body read, no parsing.
struct Baseline {
    url: String,
    params: Vec<(&'static str, String)>,
    token: String,
}

impl Baseline {
    fn new(base: &str, token: &str, since: &str, until: &str, days: u32) -> Self {
        let proof = appsecret_proof(
            &SecretString::from("sandbox-secret"),
            &SecretString::from(token.to_owned()),
        );
        let params = vec![
            ("fields", adboard_facebook::INSIGHT_FIELDS.to_owned()),
            ("level", "account".to_owned()),
            ("time_increment", "1".to_owned()),
            (
                "time_range",
                format!(r#"{{"since":"{since}","until":"{until}"}}"#),
            ),
            ("limit", days.to_string()),
            ("appsecret_proof", proof),
        ];
        Self {
            url: format!("{base}/v26.0/act_{ACCOUNT}/insights"),
            params,
            token: token.to_owned(),
        }
    }

    async fn once(&self, http: &reqwest::Client) -> Duration {
        let t = Instant::now();
        let response = http
            .get(&self.url)
            .query(&self.params)
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        std::hint::black_box(response.bytes().await.unwrap().len());
        t.elapsed()
    }
}
