//! How teams, memberships and invitations are written as DynamoDB items and read back.

use adboard_domain::account::{EmailAddress, UserId};
use adboard_domain::ads::{AdAccountId, ConversionEvent};
use adboard_domain::team::{TeamId, TeamName, TeamRole};

use super::keys::*;
use crate::{Invitation, Membership, Result, StoreError, Team, TeamSettings};

/// The status of an invitation waiting for an answer.
pub(super) const PENDING: &str = "PENDING";

pub(super) fn corrupt<T>(what: &'static str) -> impl FnOnce(T) -> StoreError {
    move |_| StoreError::corrupt(what)
}

pub(super) fn team_item(team: &Team) -> Item {
    let mut item = key(team_pk(team.id), TEAM_SK);
    item.insert("id".into(), s(team.id.to_string()));
    item.insert("name".into(), s(team.name.as_str()));
    item.insert("owner_id".into(), s(team.owner.to_string()));
    item.insert("created_at".into(), time(team.created_at));
    item
}

pub(super) fn team_from_item(item: &Item) -> Result<Team> {
    Ok(Team {
        id: TeamId::parse(get_s(item, "id")?).map_err(corrupt("team id"))?,
        name: TeamName::from_stored(get_s(item, "name")?),
        owner: UserId::parse(get_s(item, "owner_id")?).map_err(corrupt("owner id"))?,
        settings: TeamSettings {
            ad_account_id: get_opt_s(item, "ad_account_id")?
                .map(|raw| AdAccountId::parse(raw).map_err(corrupt("ad account id")))
                .transpose()?,
            conversion_event: get_opt_s(item, "conversion_event")?
                .map(|raw| ConversionEvent::parse(raw).map_err(corrupt("conversion event")))
                .transpose()?,
        },
        created_at: get_time(item, "created_at")?,
    })
}

pub(super) fn member_item(m: &Membership) -> Item {
    let mut item = key(team_pk(m.team), &member_sk(m.user));
    item.insert("team_id".into(), s(m.team.to_string()));
    item.insert("user_id".into(), s(m.user.to_string()));
    item.insert("role".into(), s(m.role.as_str()));
    item.insert("joined_at".into(), time(m.joined_at));
    item.insert(GSI1PK.into(), s(user_pk(m.user)));
    item.insert(GSI1SK.into(), s(format!("TEAM#{}", m.team)));
    item
}

pub(super) fn member_from_item(item: &Item) -> Result<Membership> {
    Ok(Membership {
        team: TeamId::parse(get_s(item, "team_id")?).map_err(corrupt("team id"))?,
        user: UserId::parse(get_s(item, "user_id")?).map_err(corrupt("user id"))?,
        role: TeamRole::parse(get_s(item, "role")?).map_err(corrupt("role"))?,
        joined_at: get_time(item, "joined_at")?,
    })
}

pub(super) fn invite_item(i: &Invitation) -> Item {
    let mut item = key(team_pk(i.team), &invite_sk(&i.email));
    item.insert("team_id".into(), s(i.team.to_string()));
    item.insert("email".into(), s(i.email.as_str()));
    item.insert("role".into(), s(i.role.as_str()));
    item.insert("invited_by".into(), s(i.invited_by.to_string()));
    item.insert("created_at".into(), time(i.created_at));
    item.insert("status".into(), s(PENDING));
    item.insert(GSI1PK.into(), s(email_key(&i.email)));
    item.insert(GSI1SK.into(), s(format!("{INVITE_PREFIX}{}", i.team)));
    item
}

pub(super) fn invite_from_item(item: &Item) -> Result<Invitation> {
    Ok(Invitation {
        team: TeamId::parse(get_s(item, "team_id")?).map_err(corrupt("team id"))?,
        email: EmailAddress::parse(get_s(item, "email")?).map_err(corrupt("email"))?,
        role: TeamRole::parse(get_s(item, "role")?).map_err(corrupt("role"))?,
        invited_by: UserId::parse(get_s(item, "invited_by")?).map_err(corrupt("user id"))?,
        created_at: get_time(item, "created_at")?,
    })
}

/// An invitation still waiting for an answer (items written before invitations had a status are).
pub(super) fn is_pending(item: &Item) -> bool {
    get_opt_s(item, "status")
        .ok()
        .flatten()
        .is_none_or(|s| s == PENDING)
}

pub(super) fn sk_of(item: &Item) -> &str {
    get_s(item, SK).unwrap_or_default()
}
