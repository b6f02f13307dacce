//! The DynamoDB backend's users and identities.

use adboard_domain::account::{EmailAddress, IdentityKey, Provider, UserId, UserName};
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Put, TransactWriteItem};

use super::keys::{self, *};
use super::{DynamoStore, TxError, build, is_conditional_failure, sdk_error};
use crate::model::{now, stored_name};
use crate::{Identity, NewUser, Result, Store, StoreError, User};

pub(super) fn user_item(user: &User) -> Item {
    let mut item = key(user_pk(user.id), USER_SK);
    item.insert("id".into(), s(user.id.to_string()));
    item.insert("name".into(), s(user.name.as_str()));
    item.insert("created_at".into(), time(user.created_at));
    if let Some(email) = &user.email {
        item.insert("email".into(), s(email.as_str()));
        item.insert(GSI1PK.into(), s(email_key(email)));
        item.insert(
            GSI1SK.into(),
            s(format!("USER#{}#{}", sortable(user.created_at), user.id)),
        );
    }
    item
}

pub(super) fn user_from_item(item: &Item) -> Result<User> {
    Ok(User {
        id: UserId::parse(get_s(item, "id")?).map_err(|_| StoreError::corrupt("user id"))?,
        name: stored_name(get_s(item, "name")?),
        email: get_email(item, "email")?,
        created_at: get_time(item, "created_at")?,
    })
}

fn identity_item(user: UserId, identity: &Identity) -> Item {
    let pk = identity_pk(&identity.key);
    let mut item = key(pk.clone(), IDENTITY_SK);
    item.insert("provider".into(), s(identity.key.provider.as_str()));
    item.insert("issuer".into(), s(&identity.key.issuer));
    item.insert("subject".into(), s(&identity.key.subject));
    item.insert("user_id".into(), s(user.to_string()));
    item.insert("linked_at".into(), time(identity.linked_at));
    if let Some(email) = &identity.email {
        item.insert("email".into(), s(email.as_str()));
    }
    item.insert(GSI1PK.into(), s(user_pk(user)));
    item.insert(
        GSI1SK.into(),
        s(format!("IDENTITY#{}#{pk}", sortable(identity.linked_at))),
    );
    item
}

fn identity_from_item(item: &Item) -> Result<Identity> {
    Ok(Identity {
        key: IdentityKey {
            provider: Provider::parse(get_s(item, "provider")?)
                .map_err(|_| StoreError::corrupt("provider"))?,
            issuer: get_s(item, "issuer")?.to_owned(),
            subject: get_s(item, "subject")?.to_owned(),
        },
        email: get_email(item, "email")?,
        linked_at: get_time(item, "linked_at")?,
    })
}

impl DynamoStore {
    pub(super) fn put_new(&self, item: Item) -> Result<TransactWriteItem> {
        let put = build(
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(pk)")
                .build(),
        )?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    pub(super) fn check_exists(&self, key: Item) -> Result<TransactWriteItem> {
        let check = build(
            ConditionCheck::builder()
                .table_name(&self.table)
                .set_key(Some(key))
                .condition_expression("attribute_exists(pk)")
                .build(),
        )?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }

    pub(super) async fn get_item(&self, key: Item) -> Result<Option<Item>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(out.item)
    }

    /// All items of one GSI partition whose sort key starts with `prefix` (all of them if
    /// `prefix` is empty), following pages.
    pub(super) async fn query_gsi(
        &self,
        gsi_pk: String,
        prefix: &str,
        limit: Option<i32>,
    ) -> Result<Vec<Item>> {
        self.query_gsi_where(gsi_pk, prefix, limit, None).await
    }

    /// [`DynamoStore::query_gsi`] returning only the items that pass `filter` (a filter
    /// expression, the name of its one value, the value): DynamoDB still reads every item of the
    /// range.
    pub(super) async fn query_gsi_where(
        &self,
        gsi_pk: String,
        prefix: &str,
        limit: Option<i32>,
        filter: Option<(&str, &str, AttributeValue)>,
    ) -> Result<Vec<Item>> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(GSI1)
                .key_condition_expression("gsi1pk = :pk")
                .expression_attribute_values(":pk", AttributeValue::S(gsi_pk.clone()));
            if !prefix.is_empty() {
                query = query
                    .key_condition_expression("gsi1pk = :pk AND begins_with(gsi1sk, :prefix)")
                    .expression_attribute_values(":prefix", s(prefix));
            }
            if let Some((expression, name, value)) = &filter {
                query = query
                    .filter_expression(*expression)
                    .expression_attribute_values(*name, value.clone());
            }
            let out = query
                .set_limit(limit)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(sdk_error)?;
            items.extend(out.items.unwrap_or_default());
            start = out.last_evaluated_key;
            if start.is_none() || limit.is_some() {
                return Ok(items);
            }
        }
    }
}

#[async_trait::async_trait]
impl Store for DynamoStore {
    async fn find_user_by_identity(&self, key: &IdentityKey) -> Result<Option<User>> {
        let Some(identity) = self
            .get_item(keys::key(identity_pk(key), IDENTITY_SK))
            .await?
        else {
            return Ok(None);
        };
        let user = UserId::parse(get_s(&identity, "user_id")?)
            .map_err(|_| StoreError::corrupt("user id"))?;
        self.get_user(user).await
    }

    async fn create_user_with_identity(&self, user: NewUser, identity: Identity) -> Result<User> {
        let created = User {
            id: UserId::new_random(),
            name: user.name,
            email: user.email,
            created_at: now(),
        };
        let items = vec![
            self.put_new(user_item(&created))?,
            self.put_new(identity_item(created.id, &identity))?,
        ];
        match self.transact(items).await {
            Ok(()) => Ok(created),
            Err(TxError::Condition(1)) => Err(StoreError::IdentityTaken),
            Err(TxError::Condition(_)) => Err(StoreError::Backend(
                "a fresh user id already existed".into(),
            )),
            Err(TxError::Store(e)) => Err(e),
        }
    }

    async fn get_user(&self, id: UserId) -> Result<Option<User>> {
        self.get_item(keys::key(user_pk(id), USER_SK))
            .await?
            .map(|item| user_from_item(&item))
            .transpose()
    }

    async fn get_user_profile(&self, user: UserId) -> Result<Option<crate::UserProfile>> {
        self.user_profile(user).await
    }

    async fn teams_overview(&self, id: UserId) -> Result<Option<crate::TeamsOverview>> {
        self.overview(id).await
    }

    async fn update_user_name(&self, id: UserId, name: &UserName) -> Result<()> {
        let updated = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::key(user_pk(id), USER_SK)))
            .update_expression("SET #name = :name")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_names("#name", "name")
            .expression_attribute_values(":name", s(name.as_str()))
            .send()
            .await;
        match updated {
            Ok(_) => Ok(()),
            Err(err) if is_conditional_failure(&err) => Err(StoreError::NotFound),
            Err(err) => Err(sdk_error(err)),
        }
    }

    async fn link_identity(&self, user: UserId, identity: Identity) -> Result<()> {
        let items = vec![
            self.check_exists(keys::key(user_pk(user), USER_SK))?,
            self.put_new(identity_item(user, &identity))?,
        ];
        match self.transact(items).await {
            Ok(()) => Ok(()),
            Err(TxError::Condition(0)) => Err(StoreError::NotFound),
            Err(TxError::Condition(_)) => Err(StoreError::IdentityTaken),
            Err(TxError::Store(e)) => Err(e),
        }
    }

    async fn list_identities(&self, user: UserId) -> Result<Vec<Identity>> {
        let items = self.query_gsi(user_pk(user), "IDENTITY#", None).await?;
        items.iter().map(identity_from_item).collect()
    }

    async fn find_user_by_email(&self, email: &EmailAddress) -> Result<Option<User>> {
        let items = self.query_gsi(email_key(email), "USER#", Some(1)).await?;
        items.first().map(user_from_item).transpose()
    }

    async fn ping(&self) -> Result<()> {
        // A point read of a key no item has: one cheap request that needs the table.
        self.get_item(keys::key("PING".into(), "PING"))
            .await
            .map(drop)
    }
}
