//! The DynamoDB backend's teams, memberships and invitations (one partition per team).

use adboard_domain::account::{EmailAddress, UserId};
use adboard_domain::team::{TeamId, TeamName, TeamRole};
use aws_sdk_dynamodb::types::{ReturnValue, TransactWriteItem};

use super::connectors::connectors_among;
use super::keys::{self, *};
use super::team_items::*;
use super::users::user_from_item;
use super::{DynamoStore, TxError, is_conditional_failure, sdk_error};
use crate::model::now;
use crate::team_model::sort_my_teams;
use crate::{
    Invitation, Limits, Member, Membership, MyTeam, Result, StoreError, Team, TeamPage,
    TeamSettings, TeamStore,
};

/// The teams among `team_items` that `memberships` name, with the member's role, sorted.
fn my_teams(memberships: &[Membership], team_items: &[Item]) -> Result<Vec<MyTeam>> {
    let mut mine = Vec::with_capacity(team_items.len());
    for item in team_items {
        let team = team_from_item(item)?;
        if let Some(m) = memberships.iter().find(|m| m.team == team.id) {
            mine.push(MyTeam { team, role: m.role });
        }
    }
    sort_my_teams(&mut mine);
    Ok(mine)
}

impl DynamoStore {
    /// A user's memberships: 1 Query on gsi1 (`USER#id`, `begins_with TEAM#`).
    async fn memberships_of(&self, user: UserId) -> Result<Vec<Membership>> {
        self.query_gsi(user_pk(user), "TEAM#", None)
            .await?
            .iter()
            .map(member_from_item)
            .collect()
    }

    pub(super) fn team_key(team: TeamId) -> Item {
        key(team_pk(team), TEAM_SK)
    }

    pub(super) fn member_key(team: TeamId, user: UserId) -> Item {
        key(team_pk(team), &member_sk(user))
    }

    fn update(
        &self,
        key: Item,
        set: &str,
        condition: &str,
        values: &[(&str, &str)],
    ) -> Result<TransactWriteItem> {
        let role: &[(&str, &str)] = if set.contains("#role") || condition.contains("#role") {
            &[("#role", "role")]
        } else {
            &[]
        };
        let values = values
            .iter()
            .map(|(name, value)| (*name, s(*value)))
            .collect();
        self.tx_update(key, set, condition, role, values)
    }

    /// Why a conditional change to a membership failed: not a member, or the owner.
    async fn classify_missed_member(&self, team: TeamId, user: UserId) -> StoreError {
        match self.get_item(Self::member_key(team, user)).await {
            Ok(Some(item)) if get_s(&item, "role").ok() == Some(TeamRole::Owner.as_str()) => {
                StoreError::OwnerProtected
            }
            Ok(_) => StoreError::NotFound,
            Err(e) => e,
        }
    }
}

#[async_trait::async_trait]
impl TeamStore for DynamoStore {
    async fn create_team_with_id(&self, id: TeamId, owner: UserId, name: TeamName) -> Result<Team> {
        let team = Team {
            id,
            name,
            owner,
            settings: TeamSettings::default(),
            created_at: now(),
        };
        let membership = Membership {
            team: team.id,
            user: owner,
            role: TeamRole::Owner,
            joined_at: team.created_at,
        };
        let mut counted = team_item(&team);
        counted.insert("member_count".into(), n(1));
        counted.insert("invite_count".into(), n(0));
        let items = vec![
            self.check_exists(keys::key(user_pk(owner), USER_SK))?,
            self.put_new(counted)?,
            self.put_new(member_item(&membership))?,
        ];
        match self.transact(items).await {
            Ok(()) => Ok(team),
            Err(TxError::Condition(0)) => Err(StoreError::NotFound),
            Err(TxError::Condition(_)) => Err(StoreError::TeamExists),
            Err(TxError::Store(e)) => Err(e),
        }
    }

    async fn get_team(&self, team: TeamId) -> Result<Option<Team>> {
        self.get_item(Self::team_key(team))
            .await?
            .as_ref()
            .map(team_from_item)
            .transpose()
    }

    async fn team_for_member(&self, team: TeamId, user: UserId) -> Result<Option<MyTeam>> {
        let items = self
            .batch_get(vec![Self::team_key(team), Self::member_key(team, user)])
            .await?;
        let found = items
            .iter()
            .find(|i| sk_of(i) == TEAM_SK)
            .map(team_from_item)
            .transpose()?;
        let member = items
            .iter()
            .find(|i| sk_of(i).starts_with(MEMBER_PREFIX))
            .map(member_from_item)
            .transpose()?;
        Ok(found
            .zip(member)
            .map(|(team, m)| MyTeam { team, role: m.role }))
    }

    async fn team_page(&self, team: TeamId) -> Result<Option<TeamPage>> {
        let items = self.query_partition(team_pk(team)).await?;
        let Some(found) = items
            .iter()
            .find(|i| sk_of(i) == TEAM_SK)
            .map(team_from_item)
            .transpose()?
        else {
            return Ok(None);
        };
        let memberships = items
            .iter()
            .filter(|i| sk_of(i).starts_with(MEMBER_PREFIX))
            .map(member_from_item)
            .collect::<Result<Vec<_>>>()?;
        let mut invitations = items
            .iter()
            .filter(|i| sk_of(i).starts_with(INVITE_PREFIX) && is_pending(i))
            .map(invite_from_item)
            .collect::<Result<Vec<_>>>()?;
        invitations.sort_by(|a, b| {
            (a.created_at, a.email.as_str()).cmp(&(b.created_at, b.email.as_str()))
        });
        let connectors = connectors_among(&items)?;
        let user_keys = memberships
            .iter()
            .map(|m| keys::key(user_pk(m.user), USER_SK))
            .collect();
        let users = self
            .batch_get(user_keys)
            .await?
            .iter()
            .map(user_from_item)
            .collect::<Result<Vec<_>>>()?;
        let mut members: Vec<Member> = memberships
            .into_iter()
            .filter_map(|m| {
                let user = users.iter().find(|u| u.id == m.user)?.clone();
                Some(Member {
                    user,
                    role: m.role,
                    joined_at: m.joined_at,
                })
            })
            .collect();
        members.sort_by_key(|m| (m.joined_at, m.user.id));
        Ok(Some(TeamPage {
            team: found,
            members,
            invitations,
            connectors,
        }))
    }

    async fn list_teams_for_user(&self, user: UserId) -> Result<Vec<MyTeam>> {
        let memberships = self.memberships_of(user).await?;
        let team_keys = memberships.iter().map(|m| Self::team_key(m.team)).collect();
        let teams = self.batch_get(team_keys).await?;
        my_teams(&memberships, &teams)
    }

    async fn update_team(
        &self,
        team: TeamId,
        name: TeamName,
        settings: TeamSettings,
    ) -> Result<Team> {
        let mut set = vec!["#name = :name"];
        let mut remove = vec![];
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::team_key(team)));
        update = update
            .expression_attribute_names("#name", "name")
            .expression_attribute_values(":name", s(name.as_str()));
        for (attr, value) in [
            ("ad_account_id", settings.ad_account_id.map(String::from)),
            (
                "conversion_event",
                settings.conversion_event.map(|e| e.as_str().to_owned()),
            ),
        ] {
            match value {
                Some(v) => {
                    set.push(if attr == "ad_account_id" {
                        "ad_account_id = :ad"
                    } else {
                        "conversion_event = :ev"
                    });
                    update = update.expression_attribute_values(
                        if attr == "ad_account_id" {
                            ":ad"
                        } else {
                            ":ev"
                        },
                        s(v),
                    );
                }
                None => remove.push(attr),
            }
        }
        let mut expression = format!("SET {}", set.join(", "));
        if !remove.is_empty() {
            expression.push_str(&format!(" REMOVE {}", remove.join(", ")));
        }
        let out = update
            .update_expression(expression)
            .condition_expression("attribute_exists(pk)")
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match out {
            Ok(out) => team_from_item(&out.attributes.unwrap_or_default()),
            Err(err) if is_conditional_failure(&err) => Err(StoreError::NotFound),
            Err(err) => Err(sdk_error(err)),
        }
    }

    async fn add_member(&self, team: TeamId, user: UserId, role: TeamRole) -> Result<Membership> {
        if role == TeamRole::Owner {
            return Err(StoreError::OwnerProtected);
        }
        let membership = Membership {
            team,
            user,
            role,
            joined_at: now(),
        };
        let items = vec![
            self.tx_update(
                Self::team_key(team),
                "SET member_count = if_not_exists(member_count, :zero) + :one",
                "attribute_exists(pk)",
                &[],
                vec![(":zero", n(0)), (":one", n(1))],
            )?,
            self.check_exists(keys::key(user_pk(user), USER_SK))?,
            self.put_new(member_item(&membership))?,
        ];
        match self.transact(items).await {
            Ok(()) => Ok(membership),
            Err(TxError::Condition(2)) => Err(StoreError::AlreadyMember),
            Err(TxError::Condition(_)) => Err(StoreError::NotFound),
            Err(TxError::Store(e)) => Err(e),
        }
    }

    async fn set_member_role(&self, team: TeamId, user: UserId, role: TeamRole) -> Result<()> {
        if role == TeamRole::Owner {
            return Err(StoreError::OwnerProtected);
        }
        let updated = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::member_key(team, user)))
            .update_expression("SET #role = :role")
            .condition_expression("attribute_exists(pk) AND #role <> :owner")
            .expression_attribute_names("#role", "role")
            .expression_attribute_values(":role", s(role.as_str()))
            .expression_attribute_values(":owner", s(TeamRole::Owner.as_str()))
            .send()
            .await;
        match updated {
            Ok(_) => Ok(()),
            Err(err) if is_conditional_failure(&err) => {
                Err(self.classify_missed_member(team, user).await)
            }
            Err(err) => Err(sdk_error(err)),
        }
    }

    async fn remove_member(&self, team: TeamId, user: UserId) -> Result<()> {
        let items = vec![
            self.tx_delete(
                Self::member_key(team, user),
                "attribute_exists(pk) AND #role <> :owner",
                &[("#role", "role")],
                vec![(":owner", s(TeamRole::Owner.as_str()))],
            )?,
            self.tx_update(
                Self::team_key(team),
                "SET member_count = if_not_exists(member_count, :one) - :one",
                "attribute_exists(pk)",
                &[],
                vec![(":one", n(1))],
            )?,
        ];
        match self.transact(items).await {
            Ok(()) => Ok(()),
            Err(TxError::Condition(0)) => Err(self.classify_missed_member(team, user).await),
            Err(TxError::Condition(_)) => Err(StoreError::NotFound),
            Err(TxError::Store(e)) => Err(e),
        }
    }

    async fn transfer_ownership(&self, team: TeamId, from: UserId, to: UserId) -> Result<()> {
        if from == to {
            return Err(StoreError::OwnerProtected);
        }
        let (owner, admin, from_s, to_s) = (
            TeamRole::Owner.as_str(),
            TeamRole::Admin.as_str(),
            from.to_string(),
            to.to_string(),
        );
        let items = vec![
            self.update(
                Self::team_key(team),
                "SET owner_id = :to",
                "owner_id = :from",
                &[(":to", &to_s), (":from", &from_s)],
            )?,
            self.update(
                Self::member_key(team, from),
                "SET #role = :admin",
                "#role = :owner",
                &[(":admin", admin), (":owner", owner)],
            )?,
            self.update(
                Self::member_key(team, to),
                "SET #role = :owner",
                "attribute_exists(pk)",
                &[(":owner", owner)],
            )?,
        ];
        match self.transact(items).await {
            Ok(()) => Ok(()),
            Err(TxError::Condition(2)) => Err(StoreError::NotFound),
            Err(TxError::Condition(_)) => match self.get_team(team).await? {
                None => Err(StoreError::NotFound),
                Some(_) => Err(StoreError::OwnerProtected),
            },
            Err(TxError::Store(e)) => Err(e),
        }
    }

    async fn delete_team(&self, team: TeamId) -> Result<()> {
        // The team item goes first: every write that adds to a team's partition checks that item
        // in its transaction, so nothing new can appear after this; then the rest (memberships,
        // invitations, connectors) is swept.
        let deleted = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::team_key(team)))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await;
        match deleted {
            Ok(_) => {}
            Err(err) if is_conditional_failure(&err) => return Err(StoreError::NotFound),
            Err(err) => return Err(sdk_error(err)),
        }
        let rest = self.query_partition(team_pk(team)).await?;
        let keys = rest
            .iter()
            .map(|i| keys::key(team_pk(team), sk_of(i)))
            .collect();
        self.batch_delete(keys).await
    }

    async fn invite(
        &self,
        team: TeamId,
        email: &EmailAddress,
        role: TeamRole,
        invited_by: UserId,
        limits: &Limits,
    ) -> Result<Invitation> {
        self.put_invitation(team, email, role, invited_by, limits)
            .await
    }

    async fn revoke_invitation(&self, team: TeamId, email: &EmailAddress) -> Result<()> {
        self.close_invitation(team, email, "REVOKED").await
    }

    async fn decline_invitation(&self, team: TeamId, email: &EmailAddress) -> Result<()> {
        self.close_invitation(team, email, "DECLINED").await
    }

    async fn accept_invitation(
        &self,
        team: TeamId,
        user: UserId,
        email: &EmailAddress,
        limits: &Limits,
    ) -> Result<Membership> {
        self.accept_invitation_of(team, user, email, limits).await
    }

    async fn claim_invitations(&self, user: UserId, email: &EmailAddress) -> Result<()> {
        self.claim_invitations_of(user, email).await
    }
}
