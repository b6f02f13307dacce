//! The SQLite backend's invitations: pending, declined or revoked rows (one per team and email),
//! accepted in one transaction with the caps counted inside it (writes are serialised).

use adboard_domain::account::{EmailAddress, UserId};
use adboard_domain::team::{TeamId, TeamName};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::db;
use super::team_rows::{corrupt, exists, role, role_in, teams_of};
use super::user_rows::{USER_COLUMNS, user_from_row};
use crate::model::{from_micros, now, stored_name, to_micros};
use crate::team_model::sort_invitations;
use crate::{Invitation, InvitationForMe, Limits, Membership, Result, StoreError, TeamsOverview};

const PENDING: &str = "PENDING";

fn count(tx: &Transaction<'_>, sql: &str, id: String) -> Result<u32> {
    let n: i64 = tx
        .query_row(sql, params![id], |row| row.get(0))
        .map_err(db)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

pub(super) fn invite(
    conn: &mut Connection,
    invitation: &Invitation,
    limits: &Limits,
) -> Result<()> {
    let team = invitation.team.to_string();
    let email = invitation.email.as_str();
    let cutoff = to_micros(limits.reinvite_cutoff());
    let tx = conn.transaction().map_err(db)?;
    if !exists(&tx, "SELECT 1 FROM teams WHERE id = ?1", team.clone())? {
        return Err(StoreError::NotFound);
    }
    let existing: Option<(String, Option<i64>)> = tx
        .query_row(
            "SELECT status, closed_at FROM invitations WHERE team_id = ?1 AND email = ?2",
            params![team, email],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
        .map_err(db)?;
    match existing {
        Some((status, _)) if status == PENDING => return Err(StoreError::InvitationExists),
        Some((_, closed)) if closed.unwrap_or(i64::MAX) >= cutoff => {
            return Err(StoreError::InvitationCoolingDown);
        }
        _ => {}
    }
    let pending = count(
        &tx,
        "SELECT COUNT(*) FROM invitations WHERE team_id = ?1 AND status = 'PENDING'",
        team.clone(),
    )?;
    if pending >= limits.team_invitations {
        return Err(StoreError::TooManyInvitations);
    }
    // Closed rows past their cool-down are forgotten (this email's among them).
    tx.execute(
        "DELETE FROM invitations WHERE team_id = ?1 AND status <> 'PENDING' AND closed_at < ?2",
        params![team, cutoff],
    )
    .map_err(db)?;
    tx.execute(
        "INSERT INTO invitations (team_id, email, role, invited_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            team,
            email,
            invitation.role.as_str(),
            invitation.invited_by.to_string(),
            to_micros(invitation.created_at)
        ],
    )
    .map_err(|e| super::constraint_or_backend(e, StoreError::InvitationExists))?;
    tx.commit().map_err(db)
}

/// Declines or revokes (`status`) a pending invitation; `NotFound` if none is pending.
pub(super) fn close(conn: &Connection, team: TeamId, email: &str, status: &str) -> Result<()> {
    let changed = conn
        .execute(
            "UPDATE invitations SET status = ?1, closed_at = ?2
             WHERE team_id = ?3 AND email = ?4 AND status = 'PENDING'",
            params![status, to_micros(now()), team.to_string(), email],
        )
        .map_err(db)?;
    if changed == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(super) fn accept(
    conn: &mut Connection,
    team: TeamId,
    user: UserId,
    email: &str,
    limits: &Limits,
) -> Result<Membership> {
    let (team_s, user_s) = (team.to_string(), user.to_string());
    let tx = conn.transaction().map_err(db)?;
    let invited: Option<String> = tx
        .query_row(
            "SELECT role FROM invitations WHERE team_id = ?1 AND email = ?2 AND status = 'PENDING'",
            params![team_s, email],
            |row| row.get(0),
        )
        .optional()
        .map_err(db)?;
    let Some(invited) = invited else {
        return Err(StoreError::NotFound);
    };
    if !exists(&tx, "SELECT 1 FROM users WHERE id = ?1", user_s.clone())? {
        return Err(StoreError::NotFound);
    }
    let consume = |tx: &Transaction<'_>| {
        tx.execute(
            "DELETE FROM invitations WHERE team_id = ?1 AND email = ?2",
            params![team_s, email],
        )
        .map_err(db)
    };
    if role_in(&tx, team, user)?.is_some() {
        consume(&tx)?;
        tx.commit().map_err(db)?;
        return Err(StoreError::AlreadyMember);
    }
    let members = count(
        &tx,
        "SELECT COUNT(*) FROM memberships WHERE team_id = ?1",
        team_s.clone(),
    )?;
    if members >= limits.team_members {
        return Err(StoreError::TeamFull);
    }
    let teams = count(
        &tx,
        "SELECT COUNT(*) FROM memberships WHERE user_id = ?1",
        user_s.clone(),
    )?;
    if teams >= limits.user_teams {
        return Err(StoreError::TooManyTeams);
    }
    let membership = Membership {
        team,
        user,
        role: role(&invited)?,
        joined_at: now(),
    };
    tx.execute(
        "INSERT INTO memberships (team_id, user_id, role, joined_at) VALUES (?1, ?2, ?3, ?4)",
        params![
            team_s,
            user_s,
            membership.role.as_str(),
            to_micros(membership.joined_at)
        ],
    )
    .map_err(|e| super::constraint_or_backend(e, StoreError::AlreadyMember))?;
    consume(&tx)?;
    tx.commit().map_err(db)?;
    Ok(membership)
}

/// The user, their teams and the invitations pending for their email, in one read transaction.
pub(super) fn overview(conn: &Connection, user: UserId) -> Result<Option<TeamsOverview>> {
    let tx = conn.unchecked_transaction().map_err(db)?;
    let found = super::query_row_cached(
        &tx,
        &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
        params![user.to_string()],
        user_from_row,
    )
    .optional()
    .map_err(db)?
    .transpose()?;
    let Some(found) = found else { return Ok(None) };
    let teams = teams_of(&tx, user)?;
    let mut invitations = match &found.email {
        None => Vec::new(),
        Some(email) => invitations_for(&tx, email)?,
    };
    sort_invitations(&mut invitations);
    Ok(Some(TeamsOverview {
        user: found,
        teams,
        invitations,
    }))
}

fn invitations_for(conn: &Connection, email: &EmailAddress) -> Result<Vec<InvitationForMe>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT invitations.team_id, invitations.email, invitations.role, invitations.invited_by,
                    invitations.created_at, teams.name, users.name
             FROM invitations JOIN teams ON teams.id = invitations.team_id
             LEFT JOIN users ON users.id = invitations.invited_by
             WHERE invitations.email = ?1 AND invitations.status = 'PENDING'",
        )
        .map_err(db)?;
    stmt.query_map(params![email.as_str()], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, i64>(4)?,
            row.get::<_, String>(5)?,
            row.get::<_, Option<String>>(6)?,
        ))
    })
    .map_err(db)?
    .map(|r| {
        let (team, email, raw, by, at, team_name, by_name) = r.map_err(db)?;
        Ok(InvitationForMe {
            invitation: Invitation {
                team: TeamId::parse(&team).map_err(corrupt("team id"))?,
                email: EmailAddress::parse(&email).map_err(corrupt("email"))?,
                role: role(&raw)?,
                invited_by: UserId::parse(&by).map_err(corrupt("user id"))?,
                created_at: from_micros(at)?,
            },
            team_name: TeamName::from_stored(&team_name),
            invited_by_name: by_name.as_deref().map(stored_name),
        })
    })
    .collect()
}
