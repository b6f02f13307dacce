//! The DynamoDB backend's sign-in sessions: items in their user's partition (`USER#<id>`,
//! `SESSION#<id>`), so one Query of the partition reads the user with their sessions.

use adboard_domain::account::UserId;
use aws_sdk_dynamodb::types::ReturnValue;
use chrono::{DateTime, Utc};

use super::keys::{self, *};
use super::users::user_from_item;
use super::{DynamoStore, is_conditional_failure, sdk_error};
use crate::sessions::sort_sessions;
use crate::{Identity, Result, SessionId, SessionRecord, SessionStore, Store, StoreError, User};

const SESSION_PREFIX: &str = "SESSION#";

fn session_key(user: UserId, id: &SessionId) -> Item {
    keys::key(user_pk(user), &format!("{SESSION_PREFIX}{}", id.as_str()))
}

fn session_item(record: &SessionRecord) -> Item {
    let mut item = session_key(record.user, &record.id);
    item.insert("id".into(), s(record.id.as_str()));
    item.insert("user_id".into(), s(record.user.to_string()));
    item.insert("created_at".into(), time(record.created_at));
    item.insert("last_seen_at".into(), time(record.last_seen_at));
    item.insert("device".into(), s(&record.device));
    item
}

fn session_from_item(item: &Item) -> Result<SessionRecord> {
    Ok(SessionRecord {
        id: SessionId::parse(get_s(item, "id")?)
            .ok_or_else(|| StoreError::corrupt("session id"))?,
        user: UserId::parse(get_s(item, "user_id")?).map_err(|_| StoreError::corrupt("user id"))?,
        created_at: get_time(item, "created_at")?,
        last_seen_at: get_time(item, "last_seen_at")?,
        device: get_s(item, "device")?.to_owned(),
    })
}

fn is_session(item: &Item) -> bool {
    get_s(item, SK).is_ok_and(|sk| sk.starts_with(SESSION_PREFIX))
}

/// A user's partition as one consistent Query returns it: the user item, their sessions (most
/// recently seen first), and every item for other readers (the API tokens).
pub(super) struct UserPartition {
    pub(super) user: Option<User>,
    pub(super) sessions: Vec<SessionRecord>,
    pub(super) items: Vec<Item>,
}

impl DynamoStore {
    /// The user's partition: the user item, their sessions and tokens (1 consistent Query).
    pub(super) async fn user_partition(&self, user: UserId) -> Result<UserPartition> {
        let items = self.query_partition(user_pk(user)).await?;
        let found = items
            .iter()
            .find(|i| get_s(i, SK).is_ok_and(|sk| sk == USER_SK))
            .map(user_from_item)
            .transpose()?;
        let mut sessions = items
            .iter()
            .filter(|i| is_session(i))
            .map(session_from_item)
            .collect::<Result<Vec<_>>>()?;
        sort_sessions(&mut sessions);
        Ok(UserPartition {
            user: found,
            sessions,
            items,
        })
    }

    async fn delete_session(&self, user: UserId, id: &SessionId) -> Result<bool> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(session_key(user, id)))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(out.attributes.is_some_and(|a| !a.is_empty()))
    }
}

#[async_trait::async_trait]
impl SessionStore for DynamoStore {
    async fn create_session(&self, record: &SessionRecord) -> Result<()> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(session_item(record)))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    async fn touch_session(
        &self,
        user: UserId,
        id: &SessionId,
        now: DateTime<Utc>,
        created_after: DateTime<Utc>,
        seen_after: DateTime<Utc>,
    ) -> Result<Option<SessionRecord>> {
        let updated = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(session_key(user, id)))
            .update_expression("SET last_seen_at = :now")
            .condition_expression(
                "attribute_exists(pk) AND created_at >= :created AND last_seen_at >= :seen",
            )
            .expression_attribute_values(":now", time(now))
            .expression_attribute_values(":created", time(created_after))
            .expression_attribute_values(":seen", time(seen_after))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match updated {
            Ok(out) => session_from_item(&out.attributes.unwrap_or_default()).map(Some),
            Err(err) if is_conditional_failure(&err) => {
                // Gone or expired: an expired record is removed (a missing one costs nothing).
                self.delete_session(user, id).await?;
                Ok(None)
            }
            Err(err) => Err(sdk_error(err)),
        }
    }

    async fn end_session(&self, user: UserId, id: &SessionId) -> Result<bool> {
        self.delete_session(user, id).await
    }

    async fn end_other_sessions(&self, user: UserId, keep: &SessionId) -> Result<Vec<SessionId>> {
        let sessions = self.user_partition(user).await?.sessions;
        let ended: Vec<SessionId> = sessions
            .into_iter()
            .map(|s| s.id)
            .filter(|id| id != keep)
            .collect();
        self.batch_delete(ended.iter().map(|id| session_key(user, id)).collect())
            .await?;
        Ok(ended)
    }

    async fn list_sessions(&self, user: UserId) -> Result<Vec<SessionRecord>> {
        Ok(self.user_partition(user).await?.sessions)
    }

    async fn get_user_with_identities_and_sessions(
        &self,
        user: UserId,
    ) -> Result<Option<(User, Vec<Identity>, Vec<SessionRecord>)>> {
        let UserPartition {
            user: found,
            sessions,
            ..
        } = self.user_partition(user).await?;
        let Some(found) = found else {
            return Ok(None);
        };
        Ok(Some((found, self.list_identities(user).await?, sessions)))
    }
}
