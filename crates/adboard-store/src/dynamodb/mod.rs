//! The DynamoDB backend: client setup, table creation and the transaction helper.

mod api_tokens;
mod connectors;
mod data_deletion;
mod invitations;
mod keys;
mod sessions;
mod team_items;
mod teams;
mod users;

use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, DeleteRequest, GlobalSecondaryIndex, KeySchemaElement,
    KeyType, KeysAndAttributes, Projection, ProjectionType, ScalarAttributeType, TableStatus,
    TimeToLiveSpecification, TimeToLiveStatus, TransactWriteItem, WriteRequest,
};

use crate::{Result, StoreError, Timeouts};
use keys::{GSI1, GSI1PK, GSI1SK, PK, SK};

/// How many times a transaction that lost a race (`TransactionConflict`) is retried.
const TX_ATTEMPTS: u32 = 8;

/// The DynamoDB store: one table, keys as in `DESIGN.md`.
#[derive(Debug, Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

impl DynamoStore {
    /// A store over `table`, configured from the standard AWS environment (`AWS_REGION`,
    /// credentials, `AWS_ENDPOINT_URL_DYNAMODB` for local servers).
    pub async fn from_env(table: &str) -> Self {
        Self::from_env_with(table, None, &Timeouts::default()).await
    }

    /// Like [`DynamoStore::from_env`], with an explicit endpoint (else the environment's) and
    /// these timeouts: a DynamoDB that accepts connections but never answers fails each call
    /// within `timeouts.operation` ([`StoreError::Unavailable`]) instead of hanging.
    pub async fn from_env_with(table: &str, endpoint: Option<&str>, timeouts: &Timeouts) -> Self {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .timeout_config(timeout_config(timeouts));
        if let Some(endpoint) = endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        Self::new(Client::new(&loader.load().await), table)
    }

    pub fn new(client: Client, table: &str) -> Self {
        Self {
            client,
            table: table.to_owned(),
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Runs a transaction, retrying bounded times when it lost a race to another transaction.
    /// A failed condition comes back as [`TxError::Condition`] with the index of the item.
    async fn transact(&self, items: Vec<TransactWriteItem>) -> Result<(), TxError> {
        for attempt in 1..=TX_ATTEMPTS {
            let sent = self
                .client
                .transact_write_items()
                .set_transact_items(Some(items.clone()))
                .send()
                .await;
            let err = match sent {
                Ok(_) => return Ok(()),
                Err(err) => err,
            };
            let reasons: Vec<Option<String>> = match err.as_service_error() {
                Some(TransactWriteItemsError::TransactionCanceledException(e)) => e
                    .cancellation_reasons()
                    .iter()
                    .map(|r| r.code().map(str::to_owned))
                    .collect(),
                Some(TransactWriteItemsError::TransactionInProgressException(_)) => {
                    vec![Some("TransactionConflict".into())]
                }
                _ => return Err(TxError::Store(sdk_error(err))),
            };
            if let Some(index) = reasons
                .iter()
                .position(|r| r.as_deref() == Some("ConditionalCheckFailed"))
            {
                return Err(TxError::Condition(index));
            }
            let conflict = reasons
                .iter()
                .any(|r| r.as_deref() == Some("TransactionConflict"));
            if !conflict || attempt == TX_ATTEMPTS {
                return Err(TxError::Store(sdk_error(err)));
            }
            tokio::time::sleep(backoff(attempt)).await;
        }
        unreachable!("the last attempt returns")
    }
}

impl DynamoStore {
    /// Every item of one partition (strongly consistent), following pages.
    async fn query_partition(&self, pk: String) -> Result<Vec<keys::Item>> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", keys::s(pk.clone()))
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(sdk_error)?;
            items.extend(out.items.unwrap_or_default());
            start = out.last_evaluated_key;
            if start.is_none() {
                return Ok(items);
            }
        }
    }

    /// The items with these keys (strongly consistent), in no particular order: one request per
    /// 100 keys, plus bounded retries of keys DynamoDB left unprocessed.
    async fn batch_get(&self, keys: Vec<keys::Item>) -> Result<Vec<keys::Item>> {
        let mut found = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(100) {
            let mut pending = Some(build(
                KeysAndAttributes::builder()
                    .set_keys(Some(chunk.to_vec()))
                    .consistent_read(true)
                    .build(),
            )?);
            for attempt in 1..=TX_ATTEMPTS {
                let Some(request) = pending.take() else { break };
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .send()
                    .await
                    .map_err(sdk_error)?;
                found.extend(
                    out.responses
                        .and_then(|mut r| r.remove(&self.table))
                        .unwrap_or_default(),
                );
                pending = out
                    .unprocessed_keys
                    .and_then(|mut u| u.remove(&self.table))
                    .filter(|k| !k.keys().is_empty());
                if pending.is_some() {
                    tokio::time::sleep(backoff(attempt)).await;
                }
            }
            if pending.is_some() {
                return Err(StoreError::Backend(
                    "DynamoDB left keys unprocessed after retries".into(),
                ));
            }
        }
        Ok(found)
    }

    /// Deletes these keys in batches of 25, retrying unprocessed items a bounded number of times.
    async fn batch_delete(&self, keys: Vec<keys::Item>) -> Result<()> {
        for chunk in keys.chunks(25) {
            let mut pending = chunk
                .iter()
                .map(|k| {
                    Ok(WriteRequest::builder()
                        .delete_request(build(
                            DeleteRequest::builder().set_key(Some(k.clone())).build(),
                        )?)
                        .build())
                })
                .collect::<Result<Vec<_>>>()?;
            for attempt in 1..=TX_ATTEMPTS {
                let out = self
                    .client
                    .batch_write_item()
                    .request_items(&self.table, pending)
                    .send()
                    .await
                    .map_err(sdk_error)?;
                pending = out
                    .unprocessed_items
                    .and_then(|mut u| u.remove(&self.table))
                    .unwrap_or_default();
                if pending.is_empty() {
                    break;
                }
                tokio::time::sleep(backoff(attempt)).await;
            }
            if !pending.is_empty() {
                return Err(StoreError::Backend(
                    "DynamoDB left deletes unprocessed after retries".into(),
                ));
            }
        }
        Ok(())
    }
}

/// The SDK's connect, read, per-attempt and whole-operation timeouts.
pub fn timeout_config(timeouts: &Timeouts) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(timeouts.connect)
        .read_timeout(timeouts.read)
        .operation_attempt_timeout(timeouts.read)
        .operation_timeout(timeouts.operation)
        .build()
}

/// A failed SDK call: a timeout or an unreachable endpoint is [`StoreError::Unavailable`]
/// (try again), anything else a backend failure.
pub(crate) fn sdk_error<E, R>(err: SdkError<E, R>) -> StoreError
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let unavailable = match &err {
        SdkError::TimeoutError(_) => true,
        SdkError::DispatchFailure(failure) => failure.is_timeout() || failure.is_io(),
        _ => false,
    };
    if unavailable {
        StoreError::Unavailable(Box::new(err))
    } else {
        StoreError::backend(err)
    }
}

/// Why a transaction did not commit.
#[derive(Debug)]
enum TxError {
    /// The condition on item `usize` (its index in the request) failed.
    Condition(usize),
    Store(StoreError),
}

impl From<StoreError> for TxError {
    fn from(value: StoreError) -> Self {
        Self::Store(value)
    }
}

/// Exponential backoff with jitter from the clock's sub-millisecond noise.
fn backoff(attempt: u32) -> Duration {
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() % 10_000_000)
        .unwrap_or(0);
    Duration::from_millis(5u64 << attempt.min(6)) + Duration::from_nanos(jitter.into())
}

fn build<T>(built: std::result::Result<T, aws_sdk_dynamodb::error::BuildError>) -> Result<T> {
    built.map_err(StoreError::backend)
}

/// True if a single-item write failed its condition.
fn is_conditional_failure<E, R>(err: &SdkError<E, R>) -> bool
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata,
{
    err.as_service_error().and_then(|e| e.code()) == Some("ConditionalCheckFailedException")
}

/// Lets DynamoDB's TTL remove items whose `ttl` (epoch seconds) has passed: closed invitations.
/// Idempotent.
async fn enable_ttl(client: &Client, name: &str) -> Result<()> {
    let described = client
        .describe_time_to_live()
        .table_name(name)
        .send()
        .await
        .map_err(sdk_error)?;
    let status = described
        .time_to_live_description()
        .and_then(|d| d.time_to_live_status());
    if matches!(
        status,
        Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
    ) {
        return Ok(());
    }
    let spec = build(
        TimeToLiveSpecification::builder()
            .enabled(true)
            .attribute_name("ttl")
            .build(),
    )?;
    client
        .update_time_to_live()
        .table_name(name)
        .time_to_live_specification(spec)
        .send()
        .await
        .map_err(sdk_error)?;
    Ok(())
}

/// Creates the table (pk/sk, one GSI `gsi1` over gsi1pk/gsi1sk, on-demand billing, TTL on `ttl`)
/// and waits until it is active. Used by `adboard --init-table` and the tests; an existing table is left alone.
pub async fn create_table(client: &Client, name: &str) -> Result<()> {
    let attr = |n: &str| {
        build(
            AttributeDefinition::builder()
                .attribute_name(n)
                .attribute_type(ScalarAttributeType::S)
                .build(),
        )
    };
    let key = |n: &str, t: KeyType| {
        build(
            KeySchemaElement::builder()
                .attribute_name(n)
                .key_type(t)
                .build(),
        )
    };
    let gsi = build(
        GlobalSecondaryIndex::builder()
            .index_name(GSI1)
            .key_schema(key(GSI1PK, KeyType::Hash)?)
            .key_schema(key(GSI1SK, KeyType::Range)?)
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::All)
                    .build(),
            )
            .build(),
    )?;
    let created = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attr(PK)?)
        .attribute_definitions(attr(SK)?)
        .attribute_definitions(attr(GSI1PK)?)
        .attribute_definitions(attr(GSI1SK)?)
        .key_schema(key(PK, KeyType::Hash)?)
        .key_schema(key(SK, KeyType::Range)?)
        .global_secondary_indexes(gsi)
        .send()
        .await;
    if let Err(err) = created {
        let exists = err
            .as_service_error()
            .is_some_and(|e| e.is_resource_in_use_exception());
        if !exists {
            return Err(StoreError::backend(err));
        }
    }
    for _ in 0..120 {
        let described = client
            .describe_table()
            .table_name(name)
            .send()
            .await
            .map_err(sdk_error)?;
        if described.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
            return enable_ttl(client, name).await;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Err(StoreError::Backend(
        format!("table {name} did not become active in 30 s").into(),
    ))
}
