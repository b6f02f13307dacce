//! The storage contract suite: every case runs against SQLite (a temp file) and DynamoDB (the
//! server at `ADBOARD_TEST_DYNAMODB_ENDPOINT`, a fresh table per test). Never skipped.

mod api_tokens;
mod connectors;
mod data_deletion;
mod invitations;
mod memberships;
mod request_budget;
mod sessions;
mod sqlite_file;
mod support;
mod teams;
mod timeouts;
mod token_keys;
mod tokens_at_rest;
mod transaction_conflicts;
mod users;

/// Declares each listed contract case (an `async fn(TestStore)`) once per backend.
#[macro_export]
macro_rules! contract {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    super::$case($crate::support::sqlite().await).await;
                }
            )*
        }
        mod dynamodb {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    super::$case($crate::support::dynamodb().await).await;
                }
            )*
        }
    };
}
