//! The DynamoDB backend's data deletion: an identity item (its only item: the user is found from
//! it, and it is listed through `gsi1`), the connectors a person granted (found through the
//! platform's `gsi1` partition), and deletion requests (`DELETION#<code>`, `DELETION`).

use adboard_domain::account::{IdentityKey, Provider, UserId};
use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};

use super::keys::{self, *};
use super::{DynamoStore, is_conditional_failure, sdk_error};
use crate::{DataDeletionStore, DeletionCode, DeletionRequest, Result, StoreError};

fn get_count(item: &Item, name: &str) -> Result<u32> {
    match item.get(name) {
        Some(AttributeValue::N(v)) => v.parse().map_err(|_| StoreError::corrupt(name)),
        _ => Err(StoreError::corrupt(name)),
    }
}

#[async_trait::async_trait]
impl DataDeletionStore for DynamoStore {
    async fn delete_identity(&self, key: &IdentityKey) -> Result<Option<(UserId, usize)>> {
        let pk = identity_pk(key);
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(keys::key(pk.clone(), IDENTITY_SK)))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(sdk_error)?;
        let Some(old) = out.attributes.filter(|a| !a.is_empty()) else {
            return Ok(None);
        };
        let user =
            UserId::parse(get_s(&old, "user_id")?).map_err(|_| StoreError::corrupt("user id"))?;
        // The identities left, counted on gsi1 (eventually consistent): the item just deleted is
        // left out by its key even if the index still shows it.
        let left = self
            .query_gsi(user_pk(user), "IDENTITY#", None)
            .await?
            .iter()
            .filter(|i| get_s(i, PK).is_ok_and(|p| p != pk))
            .count();
        Ok(Some((user, left)))
    }

    async fn delete_connectors_granted_by(
        &self,
        platform: Platform,
        external_user_id: &str,
    ) -> Result<Vec<TeamId>> {
        // The platform's connectors on gsi1 (eventually consistent), only this person's back.
        let granted = self
            .query_gsi_where(
                connector_sk(platform),
                "TEAM#",
                None,
                Some((
                    "external_user_id = :grantor",
                    ":grantor",
                    s(external_user_id),
                )),
            )
            .await?;
        let mut deleted = Vec::new();
        for item in granted {
            let team = TeamId::parse(get_s(&item, "team_id")?)
                .map_err(|_| StoreError::corrupt("team id"))?;
            // Only if still granted by this person: a reconnect by someone else since the index
            // was read is left alone.
            let out = self
                .client
                .delete_item()
                .table_name(&self.table)
                .set_key(Some(keys::key(team_pk(team), &connector_sk(platform))))
                .condition_expression("external_user_id = :grantor")
                .expression_attribute_values(":grantor", s(external_user_id))
                .send()
                .await;
            match out {
                Ok(_) => deleted.push(team),
                Err(err) if is_conditional_failure(&err) => {}
                Err(err) => return Err(sdk_error(err)),
            }
        }
        deleted.sort();
        Ok(deleted)
    }

    async fn put_deletion_request(&self, request: &DeletionRequest) -> Result<()> {
        let mut item = keys::key(deletion_pk(&request.code), DELETION_SK);
        item.insert("code".into(), s(request.code.as_str()));
        item.insert("provider".into(), s(request.provider.as_str()));
        item.insert("requested_at".into(), time(request.requested_at));
        if let Some(at) = request.completed_at {
            item.insert("completed_at".into(), time(at));
        }
        item.insert(
            "identities_deleted".into(),
            n(request.identities_deleted.into()),
        );
        item.insert(
            "connectors_deleted".into(),
            n(request.connectors_deleted.into()),
        );
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    async fn get_deletion_request(&self, code: &DeletionCode) -> Result<Option<DeletionRequest>> {
        let Some(item) = self
            .get_item(keys::key(deletion_pk(code), DELETION_SK))
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(DeletionRequest {
            code: DeletionCode::parse(get_s(&item, "code")?)
                .ok_or_else(|| StoreError::corrupt("deletion code"))?,
            provider: Provider::parse(get_s(&item, "provider")?)
                .map_err(|_| StoreError::corrupt("provider"))?,
            requested_at: get_time(&item, "requested_at")?,
            completed_at: get_opt_time(&item, "completed_at")?,
            identities_deleted: get_count(&item, "identities_deleted")?,
            connectors_deleted: get_count(&item, "connectors_deleted")?,
        }))
    }
}
