//! The DynamoDB backend's invitations: one item per (team, email) in the team's partition,
//! indexed in `gsi1` under the invitee (`USER#<id>` when an account has this email, else
//! `EMAIL#<email>` until one signs in), and the counters on the team item that keep the caps.

use adboard_domain::account::{EmailAddress, UserId};
use adboard_domain::team::{TeamId, TeamRole};
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, Select, TransactWriteItem, Update};

use super::keys::{self, *};
use super::team_items::*;
use super::users::user_from_item;
use super::{DynamoStore, TxError, build, is_conditional_failure, sdk_error};
use crate::model::{now, to_micros};
use crate::team_model::{sort_invitations, sort_my_teams};
use crate::{
    Invitation, InvitationForMe, Limits, Membership, MyTeam, Result, StoreError, TeamsOverview,
    User,
};

/// How long a declined or revoked invitation is kept (DynamoDB's TTL removes it later); must be
/// longer than any [`Limits::reinvite_after`].
const CLOSED_TTL_SECS: i64 = 30 * 24 * 60 * 60;

/// Expression names and values of a transaction item.
type Names<'a> = &'a [(&'a str, &'a str)];
type Values<'a> = Vec<(&'a str, AttributeValue)>;

const PENDING_CONDITION: &str =
    "attribute_exists(pk) AND (attribute_not_exists(#status) OR #status = :pending)";

impl DynamoStore {
    /// An Update in a transaction.
    pub(super) fn tx_update(
        &self,
        key: Item,
        set: &str,
        condition: &str,
        names: Names<'_>,
        values: Values<'_>,
    ) -> Result<TransactWriteItem> {
        let mut update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key))
            .update_expression(set)
            .condition_expression(condition);
        for (name, attr) in names {
            update = update.expression_attribute_names(*name, *attr);
        }
        // DynamoDB refuses values the expressions do not use.
        for (name, value) in values {
            if set.contains(name) || condition.contains(name) {
                update = update.expression_attribute_values(name, value);
            }
        }
        Ok(TransactWriteItem::builder()
            .update(build(update.build())?)
            .build())
    }

    /// A conditional Delete in a transaction.
    pub(super) fn tx_delete(
        &self,
        key: Item,
        condition: &str,
        names: Names<'_>,
        values: Values<'_>,
    ) -> Result<TransactWriteItem> {
        let mut delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key))
            .condition_expression(condition);
        for (name, attr) in names {
            delete = delete.expression_attribute_names(*name, *attr);
        }
        for (name, value) in values {
            delete = delete.expression_attribute_values(name, value);
        }
        Ok(TransactWriteItem::builder()
            .delete(build(delete.build())?)
            .build())
    }

    /// Adds `delta` to a counter on the team item, refusing to pass `cap` (when growing).
    fn count_on_team(
        &self,
        team: TeamId,
        set: &str,
        cap: Option<(&str, u32)>,
    ) -> Result<TransactWriteItem> {
        let condition = match cap {
            Some((counter, _)) => format!(
                "attribute_exists(pk) AND (attribute_not_exists({counter}) OR {counter} < :cap)"
            ),
            None => "attribute_exists(pk)".to_owned(),
        };
        let mut values = vec![(":zero", n(0)), (":one", n(1))];
        if let Some((_, cap)) = cap {
            values.push((":cap", n(cap.into())));
        }
        self.tx_update(Self::team_key(team), set, &condition, &[], values)
    }

    /// Why a team counter refused: `err` (a cap), or `NotFound` if the team is gone.
    async fn unless_team_gone(&self, team: TeamId, err: StoreError) -> StoreError {
        match self.get_item(Self::team_key(team)).await {
            Ok(Some(_)) => err,
            Ok(None) => StoreError::NotFound,
            Err(e) => e,
        }
    }

    fn invite_key(team: TeamId, email: &EmailAddress) -> Item {
        keys::key(team_pk(team), &invite_sk(email))
    }

    pub(super) async fn put_invitation(
        &self,
        team: TeamId,
        email: &EmailAddress,
        role: TeamRole,
        invited_by: UserId,
        limits: &Limits,
    ) -> Result<Invitation> {
        let invitation = Invitation::new(team, email, role, invited_by)?;
        let mut item = invite_item(&invitation);
        // Filed under the invitee's account if one has this email; the inviter is never told.
        let invitee = self.query_gsi(email_key(email), "USER#", Some(1)).await?;
        if let Some(user) = invitee.first().map(user_from_item).transpose()? {
            item.insert(GSI1PK.into(), s(user_pk(user.id)));
        }
        let put = build(
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression(
                    "attribute_not_exists(pk) OR (#status <> :pending AND closed_at < :cutoff)",
                )
                .expression_attribute_names("#status", "status")
                .expression_attribute_values(":pending", s(PENDING))
                .expression_attribute_values(":cutoff", n(to_micros(limits.reinvite_cutoff())))
                .build(),
        )?;
        let items = vec![
            TransactWriteItem::builder().put(put).build(),
            self.count_on_team(
                team,
                "SET invite_count = if_not_exists(invite_count, :zero) + :one",
                Some(("invite_count", limits.team_invitations)),
            )?,
        ];
        match self.transact(items).await {
            Ok(()) => Ok(invitation),
            Err(TxError::Condition(0)) => {
                match self.get_item(Self::invite_key(team, email)).await? {
                    Some(item) if !is_pending(&item) => Err(StoreError::InvitationCoolingDown),
                    _ => Err(StoreError::InvitationExists),
                }
            }
            Err(TxError::Condition(_)) => Err(self
                .unless_team_gone(team, StoreError::TooManyInvitations)
                .await),
            Err(TxError::Store(e)) => Err(e),
        }
    }

    /// Declines or revokes a pending invitation: it stays, closed and out of the index, to block
    /// a re-invite during the cool-down.
    pub(super) async fn close_invitation(
        &self,
        team: TeamId,
        email: &EmailAddress,
        status: &str,
    ) -> Result<()> {
        let closed_at = now();
        let items = vec![
            self.tx_update(
                Self::invite_key(team, email),
                "SET #status = :status, closed_at = :now, #ttl = :ttl REMOVE gsi1pk, gsi1sk",
                PENDING_CONDITION,
                &[("#status", "status"), ("#ttl", "ttl")],
                vec![
                    (":status", s(status)),
                    (":pending", s(PENDING)),
                    (":now", time(closed_at)),
                    (":ttl", n(closed_at.timestamp() + CLOSED_TTL_SECS)),
                ],
            )?,
            self.count_on_team(
                team,
                "SET invite_count = if_not_exists(invite_count, :one) - :one",
                None,
            )?,
        ];
        match self.transact(items).await {
            Ok(()) => Ok(()),
            Err(TxError::Condition(_)) => Err(StoreError::NotFound),
            Err(TxError::Store(e)) => Err(e),
        }
    }

    /// Removes a pending invitation without a trace (it became, or already was, a membership).
    fn consume(&self, team: TeamId, email: &EmailAddress) -> Result<Vec<TransactWriteItem>> {
        Ok(vec![
            self.tx_delete(
                Self::invite_key(team, email),
                PENDING_CONDITION,
                &[("#status", "status")],
                vec![(":pending", s(PENDING))],
            )?,
            self.count_on_team(
                team,
                "SET invite_count = if_not_exists(invite_count, :one) - :one",
                None,
            )?,
        ])
    }

    pub(super) async fn accept_invitation_of(
        &self,
        team: TeamId,
        user: UserId,
        email: &EmailAddress,
        limits: &Limits,
    ) -> Result<Membership> {
        let Some(item) = self
            .get_item(Self::invite_key(team, email))
            .await?
            .filter(is_pending)
        else {
            return Err(StoreError::NotFound);
        };
        let invitation = invite_from_item(&item)?;
        // The user's teams are counted on the index (eventually consistent; see DESIGN.md).
        if self.count_gsi(user_pk(user), "TEAM#").await? >= limits.user_teams {
            return Err(StoreError::TooManyTeams);
        }
        let membership = Membership {
            team,
            user,
            role: invitation.role,
            joined_at: now(),
        };
        let mut items = self.consume(team, email)?;
        items[1] = self.count_on_team(
            team,
            "SET member_count = if_not_exists(member_count, :zero) + :one, \
             invite_count = if_not_exists(invite_count, :one) - :one",
            Some(("member_count", limits.team_members)),
        )?;
        items.push(self.put_new(member_item(&membership))?);
        items.push(self.check_exists(keys::key(user_pk(user), USER_SK))?);
        match self.transact(items).await {
            Ok(()) => Ok(membership),
            Err(TxError::Condition(0 | 3)) => Err(StoreError::NotFound),
            Err(TxError::Condition(2)) => {
                // Already a member: the invitation is only consumed.
                match self.transact(self.consume(team, email)?).await {
                    Ok(()) | Err(TxError::Condition(_)) => Err(StoreError::AlreadyMember),
                    Err(TxError::Store(e)) => Err(e),
                }
            }
            Err(TxError::Condition(_)) => {
                Err(self.unless_team_gone(team, StoreError::TeamFull).await)
            }
            Err(TxError::Store(e)) => Err(e),
        }
    }

    /// Files the invitations sent to `email` before `user` existed under `user`.
    pub(super) async fn claim_invitations_of(
        &self,
        user: UserId,
        email: &EmailAddress,
    ) -> Result<()> {
        let waiting = self
            .query_gsi(email_key(email), INVITE_PREFIX, None)
            .await?;
        for item in waiting {
            let updated = self
                .client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(keys::key(
                    get_s(&item, PK)?.to_owned(),
                    get_s(&item, SK)?,
                )))
                .update_expression("SET gsi1pk = :user")
                .condition_expression("gsi1pk = :email")
                .expression_attribute_values(":user", s(user_pk(user)))
                .expression_attribute_values(":email", s(email_key(email)))
                .send()
                .await;
            match updated {
                // Answered or filed meanwhile: nothing to do.
                Err(err) if is_conditional_failure(&err) => {}
                Err(err) => return Err(sdk_error(err)),
                Ok(_) => {}
            }
        }
        Ok(())
    }

    /// How many items of `gsi_pk` on `gsi1` have a sort key starting with `prefix`.
    async fn count_gsi(&self, gsi_pk: String, prefix: &str) -> Result<u32> {
        let (mut total, mut start) = (0i32, None);
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(GSI1)
                .key_condition_expression("gsi1pk = :pk AND begins_with(gsi1sk, :prefix)")
                .expression_attribute_values(":pk", s(gsi_pk.clone()))
                .expression_attribute_values(":prefix", s(prefix))
                .select(Select::Count)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(sdk_error)?;
            total += out.count;
            start = out.last_evaluated_key;
            if start.is_none() {
                return Ok(u32::try_from(total).unwrap_or(0));
            }
        }
    }

    /// The teams list: 1 Query of `USER#<id>` on gsi1 (memberships and invitations together),
    /// then 1 BatchGetItem of the user, the teams and the inviters.
    pub(super) async fn overview(&self, user: UserId) -> Result<Option<TeamsOverview>> {
        // Everything filed under the user: identities, invitations, memberships.
        let filed = self.query_gsi(user_pk(user), "", None).await?;
        let under = |prefix: &'static str| {
            filed
                .iter()
                .filter(move |i| get_s(i, GSI1SK).is_ok_and(|sk| sk.starts_with(prefix)))
        };
        let memberships = under("TEAM#")
            .map(member_from_item)
            .collect::<Result<Vec<_>>>()?;
        let invitations = under(INVITE_PREFIX)
            .filter(|i| is_pending(i))
            .map(invite_from_item)
            .collect::<Result<Vec<_>>>()?;
        let mut wanted: Vec<(String, &str)> = vec![(user_pk(user), USER_SK)];
        wanted.extend(memberships.iter().map(|m| (team_pk(m.team), TEAM_SK)));
        wanted.extend(invitations.iter().map(|i| (team_pk(i.team), TEAM_SK)));
        wanted.extend(invitations.iter().map(|i| (user_pk(i.invited_by), USER_SK)));
        wanted.sort();
        wanted.dedup();
        let found = self
            .batch_get(
                wanted
                    .into_iter()
                    .map(|(pk, sk)| keys::key(pk, sk))
                    .collect(),
            )
            .await?;
        let users = found
            .iter()
            .filter(|i| sk_of(i) == USER_SK)
            .map(user_from_item)
            .collect::<Result<Vec<User>>>()?;
        let teams = found
            .iter()
            .filter(|i| sk_of(i) == TEAM_SK)
            .map(team_from_item)
            .collect::<Result<Vec<_>>>()?;
        let Some(me) = users.iter().find(|u| u.id == user).cloned() else {
            return Ok(None);
        };
        let mut mine: Vec<MyTeam> = memberships
            .iter()
            .filter_map(|m| {
                let team = teams.iter().find(|t| t.id == m.team)?.clone();
                Some(MyTeam { team, role: m.role })
            })
            .collect();
        sort_my_teams(&mut mine);
        let my_email = me.email.as_ref().map(|e| e.as_str().to_ascii_lowercase());
        let mut waiting: Vec<InvitationForMe> = invitations
            .into_iter()
            .filter(|i| Some(i.email.as_str().to_ascii_lowercase()) == my_email)
            .filter_map(|invitation| {
                let team = teams.iter().find(|t| t.id == invitation.team)?;
                let by = users.iter().find(|u| u.id == invitation.invited_by);
                Some(InvitationForMe {
                    team_name: team.name.clone(),
                    invited_by_name: by.map(|u| u.name.clone()),
                    invitation,
                })
            })
            .collect();
        sort_invitations(&mut waiting);
        Ok(Some(TeamsOverview {
            user: me,
            teams: mine,
            invitations: waiting,
        }))
    }
}
