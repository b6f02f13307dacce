//! The DynamoDB backend's API tokens: an item in the user's partition (`USER#<id>`,
//! `APITOKEN#<token id>`) listed with the user, and a lookup item keyed by the hash
//! (`APITOKEN#<hash hex>`, `APITOKEN`) that authenticates a request in one GetItem; both are
//! written and deleted together. Also the profile read, which finds the tokens in the user's
//! partition Query.

use adboard_domain::account::UserId;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, ReturnValue, TransactWriteItem};
use chrono::{DateTime, Utc};

use super::keys::{self, *};
use super::{DynamoStore, TxError, build, is_conditional_failure, sdk_error};
use crate::api_tokens::sort_api_tokens;
use crate::{
    ApiTokenHash, ApiTokenId, ApiTokenRecord, ApiTokenStore, Result, Store, StoreError, UserProfile,
};

fn partition_key(user: UserId, id: &ApiTokenId) -> Item {
    keys::key(user_pk(user), &api_token_sk(id))
}

fn lookup_key(hash: &ApiTokenHash) -> Item {
    keys::key(api_token_lookup_pk(hash), API_TOKEN_LOOKUP_SK)
}

/// The record's attributes on top of `key` (both items carry the whole record).
fn token_item(mut item: Item, record: &ApiTokenRecord) -> Item {
    item.insert("id".into(), s(record.id.as_str()));
    item.insert("user_id".into(), s(record.user.to_string()));
    item.insert(
        "hash".into(),
        AttributeValue::B(Blob::new(record.hash.as_bytes().as_slice())),
    );
    item.insert("label".into(), s(&record.label));
    item.insert("created_at".into(), time(record.created_at));
    item.insert("last_used_at".into(), time(record.last_used_at));
    item
}

fn token_from_item(item: &Item) -> Result<ApiTokenRecord> {
    let hash = match item.get("hash") {
        Some(AttributeValue::B(blob)) => ApiTokenHash::from_slice(blob.as_ref()),
        _ => None,
    };
    Ok(ApiTokenRecord {
        id: ApiTokenId::parse(get_s(item, "id")?)
            .ok_or_else(|| StoreError::corrupt("api token id"))?,
        user: UserId::parse(get_s(item, "user_id")?).map_err(|_| StoreError::corrupt("user id"))?,
        hash: hash.ok_or_else(|| StoreError::corrupt("api token hash"))?,
        label: get_s(item, "label")?.to_owned(),
        created_at: get_time(item, "created_at")?,
        last_used_at: get_time(item, "last_used_at")?,
    })
}

fn is_token(item: &Item) -> bool {
    get_s(item, SK).is_ok_and(|sk| sk.starts_with(API_TOKEN_PREFIX))
}

/// The tokens among a user partition's items, most recently used first.
fn tokens_among(items: &[Item]) -> Result<Vec<ApiTokenRecord>> {
    let mut tokens = items
        .iter()
        .filter(|i| is_token(i))
        .map(token_from_item)
        .collect::<Result<Vec<_>>>()?;
    sort_api_tokens(&mut tokens);
    Ok(tokens)
}

impl DynamoStore {
    /// [`Store::get_user_profile`]: one consistent Query of the user's partition (the user, their
    /// sessions and tokens) + the identities Query on `gsi1` = 2 requests.
    pub(super) async fn user_profile(&self, user: UserId) -> Result<Option<UserProfile>> {
        let partition = self.user_partition(user).await?;
        let Some(found) = partition.user else {
            return Ok(None);
        };
        Ok(Some(UserProfile {
            user: found,
            identities: self.list_identities(user).await?,
            sessions: partition.sessions,
            api_tokens: tokens_among(&partition.items)?,
        }))
    }

    fn delete_in_tx(&self, key: Item, condition: Option<&str>) -> Result<TransactWriteItem> {
        let delete = build(
            Delete::builder()
                .table_name(&self.table)
                .set_key(Some(key))
                .set_condition_expression(condition.map(str::to_owned))
                .build(),
        )?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    /// `SET last_used_at = :now` on one of the token's items if it exists; the item as updated,
    /// `None` if it is gone.
    async fn set_last_used(&self, key: Item, now: DateTime<Utc>) -> Result<Option<Item>> {
        let updated = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key))
            .update_expression("SET last_used_at = :now")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":now", time(now))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match updated {
            Ok(out) => Ok(Some(out.attributes.unwrap_or_default())),
            Err(err) if is_conditional_failure(&err) => Ok(None),
            Err(err) => Err(sdk_error(err)),
        }
    }
}

#[async_trait::async_trait]
impl ApiTokenStore for DynamoStore {
    async fn create_api_token(&self, record: &ApiTokenRecord) -> Result<()> {
        let items = vec![
            self.check_exists(keys::key(user_pk(record.user), USER_SK))?,
            self.put_new(token_item(partition_key(record.user, &record.id), record))?,
            self.put_new(token_item(lookup_key(&record.hash), record))?,
        ];
        match self.transact(items).await {
            Ok(()) => Ok(()),
            Err(TxError::Condition(0)) => Err(StoreError::NotFound),
            Err(TxError::Condition(_)) => Err(StoreError::Backend(
                "an API token with this id or hash exists".into(),
            )),
            Err(TxError::Store(e)) => Err(e),
        }
    }

    async fn find_api_token(&self, hash: &ApiTokenHash) -> Result<Option<ApiTokenRecord>> {
        self.get_item(lookup_key(hash))
            .await?
            .as_ref()
            .map(token_from_item)
            .transpose()
    }

    async fn touch_api_token(
        &self,
        user: UserId,
        id: &ApiTokenId,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        // The user's item first (it is what the profile lists and what says "gone"); it names
        // the hash, so the lookup item that `find_api_token` returns is updated next. Two
        // conditional writes: neither recreates an item a revoke deleted meanwhile.
        let Some(item) = self.set_last_used(partition_key(user, id), now).await? else {
            return Ok(false);
        };
        let record = token_from_item(&item)?;
        self.set_last_used(lookup_key(&record.hash), now).await?;
        Ok(true)
    }

    async fn revoke_api_token(&self, user: UserId, id: &ApiTokenId) -> Result<bool> {
        let Some(item) = self.get_item(partition_key(user, id)).await? else {
            return Ok(false);
        };
        let record = token_from_item(&item)?;
        // Both items in one transaction; the lookup's delete is unconditional, so a lookup item
        // already gone never keeps the user's item alive.
        let items = vec![
            self.delete_in_tx(partition_key(user, id), Some("attribute_exists(pk)"))?,
            self.delete_in_tx(lookup_key(&record.hash), None)?,
        ];
        match self.transact(items).await {
            Ok(()) => Ok(true),
            Err(TxError::Condition(_)) => Ok(false),
            Err(TxError::Store(e)) => Err(e),
        }
    }

    async fn revoke_all_api_tokens(&self, user: UserId) -> Result<usize> {
        let tokens = self.list_api_tokens(user).await?;
        // Lookup items first: if the sweep stops half-way, what remains is listed on the profile
        // (and can be revoked again) but no longer authenticates.
        self.batch_delete(tokens.iter().map(|t| lookup_key(&t.hash)).collect())
            .await?;
        self.batch_delete(tokens.iter().map(|t| partition_key(user, &t.id)).collect())
            .await?;
        Ok(tokens.len())
    }

    async fn list_api_tokens(&self, user: UserId) -> Result<Vec<ApiTokenRecord>> {
        tokens_among(&self.query_partition(user_pk(user)).await?)
    }
}
