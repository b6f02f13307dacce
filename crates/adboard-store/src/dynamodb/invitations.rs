//! The DynamoDB backend's invitations: one item per (team, email) in the team's partition, found
//! by email through `gsi1` at sign-in.

use adboard_domain::account::{EmailAddress, UserId};
use adboard_domain::team::{TeamId, TeamRole};
use aws_sdk_dynamodb::types::{Delete, TransactWriteItem};

use super::keys::{self, *};
use super::team_items::*;
use super::{DynamoStore, TxError, build, is_conditional_failure, sdk_error};
use crate::model::now;
use crate::{Invitation, Membership, Result, StoreError};

impl DynamoStore {
    pub(super) async fn put_invitation(
        &self,
        team: TeamId,
        email: &EmailAddress,
        role: TeamRole,
        invited_by: UserId,
    ) -> Result<Invitation> {
        let invitation = Invitation::new(team, email, role, invited_by)?;
        let items = vec![
            self.check_exists(Self::team_key(team))?,
            self.put_new(invite_item(&invitation))?,
        ];
        match self.transact(items).await {
            Ok(()) => Ok(invitation),
            Err(TxError::Condition(0)) => Err(StoreError::NotFound),
            Err(TxError::Condition(_)) => Err(StoreError::InvitationExists),
            Err(TxError::Store(e)) => Err(e),
        }
    }

    pub(super) async fn delete_invitation(&self, team: TeamId, email: &EmailAddress) -> Result<()> {
        let deleted = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(keys::key(team_pk(team), &invite_sk(email))))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await;
        match deleted {
            Ok(_) => Ok(()),
            Err(err) if is_conditional_failure(&err) => Err(StoreError::NotFound),
            Err(err) => Err(sdk_error(err)),
        }
    }

    pub(super) async fn accept_invitations_of(
        &self,
        user: UserId,
        email: &EmailAddress,
    ) -> Result<Vec<TeamId>> {
        let invitations = self
            .query_gsi(email_key(email), INVITE_PREFIX, None)
            .await?
            .iter()
            .map(invite_from_item)
            .collect::<Result<Vec<_>>>()?;
        let mut joined = Vec::new();
        for invitation in invitations {
            let invite_key = keys::key(team_pk(invitation.team), &invite_sk(&invitation.email));
            let membership = Membership {
                team: invitation.team,
                user,
                role: invitation.role,
                joined_at: now(),
            };
            let consume = build(
                Delete::builder()
                    .table_name(&self.table)
                    .set_key(Some(invite_key.clone()))
                    .condition_expression("attribute_exists(pk)")
                    .build(),
            )?;
            let items = vec![
                self.check_exists(Self::team_key(invitation.team))?,
                TransactWriteItem::builder().delete(consume).build(),
                self.put_new(member_item(&membership))?,
            ];
            match self.transact(items).await {
                Ok(()) => joined.push(invitation.team),
                // The team is being deleted, or the invitation was revoked meanwhile: nothing to do.
                Err(TxError::Condition(0 | 1)) => {}
                // Already a member: the invitation is simply consumed.
                Err(TxError::Condition(_)) => {
                    self.client
                        .delete_item()
                        .table_name(&self.table)
                        .set_key(Some(invite_key))
                        .send()
                        .await
                        .map_err(sdk_error)?;
                }
                Err(TxError::Store(e)) => return Err(e),
            }
        }
        Ok(joined)
    }
}
