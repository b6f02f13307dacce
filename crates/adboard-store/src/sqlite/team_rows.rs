//! Reading team rows and the small lookups the SQLite team operations share.

use adboard_domain::account::UserId;
use adboard_domain::ads::{AdAccountId, ConversionEvent};
use adboard_domain::team::{TeamId, TeamName, TeamRole};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::db;
use crate::model::from_micros;
use crate::team_model::sort_my_teams;
use crate::{MyTeam, Result, StoreError, Team, TeamSettings};

pub(super) const TEAM_COLUMNS: &str = "teams.id, teams.name, teams.owner_id, teams.ad_account_id, teams.conversion_event, teams.created_at";

pub(super) fn corrupt<T>(what: &'static str) -> impl FnOnce(T) -> StoreError {
    move |_| StoreError::corrupt(what)
}

pub(super) fn team_from_row(row: &Row<'_>) -> rusqlite::Result<Result<Team>> {
    let (id, name, owner): (String, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
    let (ad_account_id, conversion_event): (Option<String>, Option<String>) =
        (row.get(3)?, row.get(4)?);
    let created_at: i64 = row.get(5)?;
    Ok((|| {
        Ok(Team {
            id: TeamId::parse(&id).map_err(corrupt("team id"))?,
            name: TeamName::from_stored(&name),
            owner: UserId::parse(&owner).map_err(corrupt("owner id"))?,
            settings: TeamSettings {
                ad_account_id: ad_account_id
                    .map(|raw| AdAccountId::parse(&raw).map_err(corrupt("ad account id")))
                    .transpose()?,
                conversion_event: conversion_event
                    .map(|raw| ConversionEvent::parse(&raw).map_err(corrupt("conversion event")))
                    .transpose()?,
            },
            created_at: from_micros(created_at)?,
        })
    })())
}

/// The teams `user` belongs to with their role, sorted by name: one query.
pub(super) fn teams_of(conn: &Connection, user: UserId) -> Result<Vec<MyTeam>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {TEAM_COLUMNS}, memberships.role FROM memberships
             JOIN teams ON teams.id = memberships.team_id WHERE memberships.user_id = ?1"
        ))
        .map_err(db)?;
    let mut teams = stmt
        .query_map(params![user.to_string()], |row| {
            Ok((team_from_row(row)?, row.get::<_, String>(6)?))
        })
        .map_err(db)?
        .map(|r| {
            let (team, raw) = r.map_err(db)?;
            Ok(MyTeam {
                team: team?,
                role: role(&raw)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    sort_my_teams(&mut teams);
    Ok(teams)
}

pub(super) fn role(raw: &str) -> Result<TeamRole> {
    TeamRole::parse(raw).map_err(corrupt("role"))
}

pub(super) fn get_team(conn: &Connection, team: TeamId) -> Result<Option<Team>> {
    super::query_row_cached(
        conn,
        &format!("SELECT {TEAM_COLUMNS} FROM teams WHERE id = ?1"),
        params![team.to_string()],
        team_from_row,
    )
    .optional()
    .map_err(db)?
    .transpose()
}

/// The role `user` holds in `team`, if any.
pub(super) fn role_in(conn: &Connection, team: TeamId, user: UserId) -> Result<Option<TeamRole>> {
    let raw: Option<String> = conn
        .query_row(
            "SELECT role FROM memberships WHERE team_id = ?1 AND user_id = ?2",
            params![team.to_string(), user.to_string()],
            |row| row.get(0),
        )
        .optional()
        .map_err(db)?;
    raw.as_deref().map(role).transpose()
}

/// Why a change to a membership touched no row: not a member, or the owner.
pub(super) fn classify_missed_member(conn: &Connection, team: TeamId, user: UserId) -> StoreError {
    match role_in(conn, team, user) {
        Ok(Some(TeamRole::Owner)) => StoreError::OwnerProtected,
        Ok(_) => StoreError::NotFound,
        Err(e) => e,
    }
}

pub(super) fn exists(conn: &Connection, sql: &str, id: String) -> Result<bool> {
    Ok(conn
        .query_row(sql, params![id], |_| Ok(()))
        .optional()
        .map_err(db)?
        .is_some())
}
