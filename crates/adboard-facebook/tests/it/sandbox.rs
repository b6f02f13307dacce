//! The Graph client against the sandbox (a faithful local Facebook) over real HTTP.

use std::time::Duration;

use adboard_domain::ads::{AdAccountId, DateRange};
use adboard_facebook::{ErrorKind, GraphClient, GraphError, InsightsQuery, Settings};
use adboard_sandbox::{FaultKind, FaultRule, RunningSandbox, SandboxConfig};
use chrono::{Days, Utc};
use secrecy::SecretString;

const ALICE_EUR: &str = "1234567890";

async fn sandbox_with(config: SandboxConfig) -> RunningSandbox {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    adboard_sandbox::spawn(listener, config).await.unwrap()
}

async fn sandbox() -> RunningSandbox {
    sandbox_with(SandboxConfig::default()).await
}

fn settings(sb: &RunningSandbox) -> Settings {
    let mut s = Settings::new(&sb.base_url)
        .unwrap()
        .with_app("sandbox-app", SecretString::from("sandbox-secret"));
    s.retry_budget = Duration::from_secs(3);
    s
}

fn client(sb: &RunningSandbox) -> GraphClient {
    GraphClient::new(settings(sb)).unwrap()
}

fn alice(sb: &RunningSandbox) -> SecretString {
    SecretString::from(sb.user_token("alice").unwrap())
}

fn last_days(account: &str, days: u32) -> InsightsQuery {
    let yesterday = Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(1))
        .unwrap();
    InsightsQuery::new(
        AdAccountId::parse(account).unwrap(),
        DateRange::ending_on(yesterday, days),
    )
}

fn fault(kind: FaultKind, times: u32, account: &str) -> FaultRule {
    FaultRule {
        kind,
        times: Some(times),
        account_id: Some(account.to_owned()),
        delay_ms: None,
    }
}

async fn graph_error(result: Result<impl std::fmt::Debug, GraphError>) -> GraphError {
    result.expect_err("expected a Graph error")
}

#[tokio::test]
async fn a_year_of_daily_insights_arrives_in_one_graph_call() {
    let sb = sandbox().await;
    let client = client(&sb);

    let rows = client
        .daily_insights(&alice(&sb), &last_days(ALICE_EUR, 365))
        .await
        .unwrap();

    assert_eq!(client.graph_calls(), 1);
    assert!(!rows.is_empty() && rows.len() <= 365, "{} rows", rows.len());
    assert!(
        rows.windows(2).all(|w| w[0].date < w[1].date),
        "rows out of order"
    );
    sb.stop().await;
}

#[tokio::test]
async fn a_client_with_a_pool_per_thread_answers_on_every_thread_and_counts_every_call() {
    let sb = sandbox().await;
    let shared = client(&sb);
    let token = alice(&sb);
    let expected = shared
        .daily_insights(&token, &last_days(ALICE_EUR, 30))
        .await
        .unwrap();
    let per_thread = client(&sb).with_pool_per_thread();

    // One single-threaded runtime per thread, as actix-web's workers have (one after the other, so
    // the first runtime is gone when the second thread calls).
    for _ in 0..2 {
        let (client, token) = (per_thread.clone(), token.clone());
        let rows = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(async {
                    client
                        .daily_insights(&token, &last_days(ALICE_EUR, 30))
                        .await
                })
        })
        .join()
        .unwrap()
        .unwrap();
        assert_eq!(rows, expected);
    }
    assert_eq!(per_thread.graph_calls(), 2, "clones share the call count");
    sb.stop().await;
}

#[tokio::test]
async fn small_pages_are_followed_to_the_end_and_give_the_same_rows() {
    let sb = sandbox().await;
    let whole = client(&sb)
        .daily_insights(&alice(&sb), &last_days(ALICE_EUR, 30))
        .await
        .unwrap();
    let mut s = settings(&sb);
    s.page_limit = 7;
    let paged_client = GraphClient::new(s).unwrap();

    let paged = paged_client
        .daily_insights(&alice(&sb), &last_days(ALICE_EUR, 30))
        .await
        .unwrap();

    assert_eq!(paged, whole);
    assert!(
        paged_client.graph_calls() >= 4,
        "{} calls",
        paged_client.graph_calls()
    );
    sb.stop().await;
}

#[tokio::test]
async fn an_empty_page_with_next_is_not_the_end() {
    let sb = sandbox().await;

    let rows = client(&sb)
        .daily_insights(&alice(&sb), &last_days("9000000100", 30))
        .await
        .unwrap();

    assert!(!rows.is_empty());
    sb.stop().await;
}

#[tokio::test]
async fn the_ad_account_reports_currency_and_timezone() {
    let sb = sandbox().await;

    let account = client(&sb)
        .ad_account(&alice(&sb), &AdAccountId::parse(ALICE_EUR).unwrap())
        .await
        .unwrap();

    assert_eq!(
        (account.currency.as_str(), account.timezone_name.as_str()),
        ("EUR", "Europe/Berlin")
    );
    sb.stop().await;
}

#[tokio::test]
async fn my_ad_accounts_lists_every_account_of_the_user() {
    let sb = sandbox().await;

    let accounts = client(&sb).my_ad_accounts(&alice(&sb)).await.unwrap();

    let ids: Vec<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["1234567890", "2345678901", "3456789012"]);
    sb.stop().await;
}

#[tokio::test]
async fn debug_token_tells_valid_from_expired_tokens() {
    let sb = sandbox().await;
    let client = client(&sb);
    let expired: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/__sandbox/token?user=alice&expired=1",
            sb.base_url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expired = SecretString::from(expired["access_token"].as_str().unwrap().to_owned());

    let valid = client.debug_token(&alice(&sb)).await.unwrap();
    let stale = client.debug_token(&expired).await.unwrap();

    assert!(
        valid.is_valid && valid.scopes.iter().any(|s| s == "ads_read"),
        "{valid:?}"
    );
    assert!(!stale.is_valid);
    assert_eq!(stale.error.map(|e| e.kind()), Some(ErrorKind::TokenExpired));
    sb.stop().await;
}

#[tokio::test]
async fn a_long_lived_exchange_and_a_revocation_succeed() {
    let sb = sandbox().await;
    let client = client(&sb);

    let long = client.exchange_long_lived(&alice(&sb)).await.unwrap();
    let revoked = client.revoke_permissions(&long.token).await.unwrap();

    assert!(long.expires_in.unwrap() > Duration::from_secs(50 * 86_400));
    assert!(revoked);
    sb.stop().await;
}

#[tokio::test]
async fn me_names_the_token_owner_with_the_email_only_when_granted() {
    let sb = sandbox().await;
    let graph = client(&sb);

    let full = graph.me(&alice(&sb)).await.unwrap();
    let no_email = SecretString::from(
        sb.user_token_with(
            "alice",
            &adboard_sandbox::TokenOptions {
                scope: Some("public_profile,ads_read".into()),
                ..Default::default()
            },
        )
        .unwrap(),
    );
    let without = graph.me(&no_email).await.unwrap();

    assert_eq!(full.id, "100000000000001");
    assert_eq!(full.email.as_deref(), Some("alice@sandbox.adboard.test"));
    assert_eq!(
        (without.id.as_str(), without.email),
        ("100000000000001", None)
    );
}

#[tokio::test]
async fn the_appsecret_proof_satisfies_a_sandbox_that_requires_it() {
    let sb = sandbox_with(SandboxConfig {
        require_appsecret_proof: true,
        ..SandboxConfig::default()
    })
    .await;
    let mut without_secret = settings(&sb);
    without_secret.app_secret = None;

    let with_proof = client(&sb)
        .ad_account(&alice(&sb), &AdAccountId::parse(ALICE_EUR).unwrap())
        .await;
    let without_proof = GraphClient::new(without_secret)
        .unwrap()
        .ad_account(&alice(&sb), &AdAccountId::parse(ALICE_EUR).unwrap())
        .await;

    assert!(with_proof.is_ok(), "{with_proof:?}");
    assert!(without_proof.is_err());
    sb.stop().await;
}

#[tokio::test]
async fn a_transient_error_is_retried_and_then_succeeds() {
    let sb = sandbox().await;
    sb.add_fault(fault(FaultKind::Transient, 1, ALICE_EUR));
    sb.add_fault(fault(FaultKind::UnknownError, 1, ALICE_EUR));
    let client = client(&sb);

    let rows = client
        .daily_insights(&alice(&sb), &last_days(ALICE_EUR, 30))
        .await
        .unwrap();

    assert!(!rows.is_empty());
    assert_eq!(client.graph_calls(), 3);
    sb.stop().await;
}

#[tokio::test]
async fn a_report_too_large_for_sync_falls_back_to_an_async_run() {
    let sb = sandbox().await;
    sb.add_fault(fault(FaultKind::ReduceData, 1, ALICE_EUR));
    let client = client(&sb);
    let query = last_days(ALICE_EUR, 30);
    let expected = client.daily_insights_sync(&alice(&sb), &query).await;
    sb.add_fault(fault(FaultKind::ReduceData, 1, ALICE_EUR));

    let rows = client.daily_insights(&alice(&sb), &query).await.unwrap();

    assert_eq!(graph_error(expected).await.kind(), ErrorKind::TooMuchData);
    assert_eq!(
        rows,
        client
            .daily_insights_sync(&alice(&sb), &query)
            .await
            .unwrap()
    );
    sb.stop().await;
}

#[tokio::test]
async fn graph_failures_become_typed_errors() {
    let sb = sandbox().await;
    let client = client(&sb);
    let token = alice(&sb);
    let cases = [
        ("9000000190", ErrorKind::TokenExpired),
        ("9000000200", ErrorKind::PermissionDenied),
        ("9000000010", ErrorKind::PermissionDenied),
        ("1111111111", ErrorKind::NotFound),
        ("9000080004", ErrorKind::RateLimited),
        ("9000000017", ErrorKind::RateLimited),
        ("9000000004", ErrorKind::RateLimited),
        ("9000000032", ErrorKind::RateLimited),
        ("9000000613", ErrorKind::RateLimited),
        ("9001504039", ErrorKind::RateLimited),
        ("9001504018", ErrorKind::TooMuchData),
        ("9000000001", ErrorKind::TooMuchData),
    ];
    for (account, kind) in cases {
        let err = graph_error(client.daily_insights(&token, &last_days(account, 7)).await).await;
        assert_eq!(err.kind(), kind, "{account}: {err:?}");
    }
    let garbage = graph_error(
        client
            .daily_insights(&SecretString::from("not-a-token"), &last_days(ALICE_EUR, 7))
            .await,
    )
    .await;
    assert_eq!(garbage.kind(), ErrorKind::TokenInvalid);
    sb.stop().await;
}

#[tokio::test]
async fn a_long_rate_limit_is_reported_at_once_with_facebooks_regain_time() {
    let sb = sandbox().await;
    let client = client(&sb);
    let started = std::time::Instant::now();

    let err = graph_error(
        client
            .daily_insights(&alice(&sb), &last_days("9000080004", 7))
            .await,
    )
    .await;

    let GraphError::RateLimited { retry_after, last } = err else {
        panic!("{err:?}")
    };
    assert_eq!(retry_after, Duration::from_secs(300));
    assert!(last.and_then(|l| l.fbtrace_id).is_some());
    assert!(started.elapsed() < Duration::from_secs(2));
    sb.stop().await;
}
