//! The SQLite backend's teams, memberships and invitations.

use adboard_domain::account::{EmailAddress, UserId};
use adboard_domain::ads::{AdAccountId, ConversionEvent};
use adboard_domain::team::{TeamId, TeamName, TeamRole};
use rusqlite::{OptionalExtension, params};

use super::connectors::connectors_of;
use super::team_rows::*;
use super::user_rows::user_from_row;
use super::{SqliteStore, constraint_or_backend, db, invitations};
use crate::model::{from_micros, now, to_micros};
use crate::{
    Invitation, Limits, Member, Membership, MyTeam, Result, StoreError, Team, TeamPage,
    TeamSettings, TeamStore,
};

#[async_trait::async_trait]
impl TeamStore for SqliteStore {
    async fn create_team_with_id(&self, id: TeamId, owner: UserId, name: TeamName) -> Result<Team> {
        self.write(move |conn| {
            let team = Team { id, name, owner, settings: TeamSettings::default(), created_at: now() };
            let tx = conn.transaction().map_err(db)?;
            if !exists(&tx, "SELECT 1 FROM users WHERE id = ?1", owner.to_string())? {
                return Err(StoreError::NotFound);
            }
            if exists(&tx, "SELECT 1 FROM teams WHERE id = ?1", id.to_string())? {
                return Err(StoreError::TeamExists);
            }
            tx.execute(
                "INSERT INTO teams (id, name, owner_id, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![team.id.to_string(), team.name.as_str(), owner.to_string(), to_micros(team.created_at)],
            )
            .map_err(db)?;
            tx.execute(
                "INSERT INTO memberships (team_id, user_id, role, joined_at) VALUES (?1, ?2, 'OWNER', ?3)",
                params![team.id.to_string(), owner.to_string(), to_micros(team.created_at)],
            )
            .map_err(db)?;
            tx.commit().map_err(db)?;
            Ok(team)
        })
        .await
    }

    async fn get_team(&self, team: TeamId) -> Result<Option<Team>> {
        self.read(move |conn| get_team(conn, team)).await
    }

    async fn team_for_member(&self, team: TeamId, user: UserId) -> Result<Option<MyTeam>> {
        self.read(move |conn| {
            let found = conn
                .query_row(
                    &format!(
                        "SELECT {TEAM_COLUMNS}, memberships.role FROM teams
                         JOIN memberships ON memberships.team_id = teams.id
                         WHERE teams.id = ?1 AND memberships.user_id = ?2"
                    ),
                    params![team.to_string(), user.to_string()],
                    |row| Ok((team_from_row(row)?, row.get::<_, String>(6)?)),
                )
                .optional()
                .map_err(db)?;
            found
                .map(|(team, raw)| {
                    Ok(MyTeam {
                        team: team?,
                        role: role(&raw)?,
                    })
                })
                .transpose()
        })
        .await
    }

    async fn team_page(&self, team: TeamId) -> Result<Option<TeamPage>> {
        self.read(move |conn| {
            // One snapshot for the whole page (a reader only ever reads, so dropping it is fine).
            let tx = conn.unchecked_transaction().map_err(db)?;
            let conn = &*tx;
            let Some(found) = get_team(conn, team)? else { return Ok(None) };
            let mut stmt = conn
                .prepare_cached(
                    "SELECT users.id, users.name, users.email, users.created_at, memberships.role, memberships.joined_at
                     FROM memberships JOIN users ON users.id = memberships.user_id
                     WHERE memberships.team_id = ?1 ORDER BY memberships.joined_at, users.id",
                )
                .map_err(db)?;
            let members = stmt
                .query_map(params![team.to_string()], |row| {
                    Ok((user_from_row(row)?, row.get::<_, String>(4)?, row.get::<_, i64>(5)?))
                })
                .map_err(db)?
                .map(|r| {
                    let (user, raw, joined) = r.map_err(db)?;
                    Ok(Member { user: user?, role: role(&raw)?, joined_at: from_micros(joined)? })
                })
                .collect::<Result<Vec<_>>>()?;
            let mut stmt = conn
                .prepare_cached(
                    "SELECT email, role, invited_by, created_at FROM invitations
                     WHERE team_id = ?1 AND status = 'PENDING' ORDER BY created_at, email",
                )
                .map_err(db)?;
            let invitations = stmt
                .query_map(params![team.to_string()], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?, row.get::<_, i64>(3)?))
                })
                .map_err(db)?
                .map(|r| {
                    let (email, raw, by, at) = r.map_err(db)?;
                    Ok(Invitation {
                        team,
                        email: EmailAddress::parse(&email).map_err(corrupt("email"))?,
                        role: role(&raw)?,
                        invited_by: UserId::parse(&by).map_err(corrupt("user id"))?,
                        created_at: from_micros(at)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let connectors = connectors_of(conn, team)?;
            Ok(Some(TeamPage { team: found, members, invitations, connectors }))
        })
        .await
    }

    async fn list_teams_for_user(&self, user: UserId) -> Result<Vec<MyTeam>> {
        self.read(move |conn| teams_of(conn, user)).await
    }

    async fn update_team(
        &self,
        team: TeamId,
        name: TeamName,
        settings: TeamSettings,
    ) -> Result<Team> {
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE teams SET name = ?1, ad_account_id = ?2, conversion_event = ?3 WHERE id = ?4",
                    params![
                        name.as_str(),
                        settings.ad_account_id.as_ref().map(AdAccountId::as_str),
                        settings.conversion_event.as_ref().map(ConversionEvent::as_str),
                        team.to_string()
                    ],
                )
                .map_err(db)?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            get_team(conn, team)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn add_member(&self, team: TeamId, user: UserId, role: TeamRole) -> Result<Membership> {
        if role == TeamRole::Owner {
            return Err(StoreError::OwnerProtected);
        }
        self.write(move |conn| {
            let tx = conn.transaction().map_err(db)?;
            if !exists(&tx, "SELECT 1 FROM teams WHERE id = ?1", team.to_string())?
                || !exists(&tx, "SELECT 1 FROM users WHERE id = ?1", user.to_string())?
            {
                return Err(StoreError::NotFound);
            }
            let membership = Membership { team, user, role, joined_at: now() };
            tx.execute(
                "INSERT INTO memberships (team_id, user_id, role, joined_at) VALUES (?1, ?2, ?3, ?4)",
                params![team.to_string(), user.to_string(), role.as_str(), to_micros(membership.joined_at)],
            )
            .map_err(|e| constraint_or_backend(e, StoreError::AlreadyMember))?;
            tx.commit().map_err(db)?;
            Ok(membership)
        })
        .await
    }

    async fn set_member_role(&self, team: TeamId, user: UserId, role: TeamRole) -> Result<()> {
        if role == TeamRole::Owner {
            return Err(StoreError::OwnerProtected);
        }
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE memberships SET role = ?1 WHERE team_id = ?2 AND user_id = ?3 AND role <> 'OWNER'",
                    params![role.as_str(), team.to_string(), user.to_string()],
                )
                .map_err(db)?;
            if changed == 0 { Err(classify_missed_member(conn, team, user)) } else { Ok(()) }
        })
        .await
    }

    async fn remove_member(&self, team: TeamId, user: UserId) -> Result<()> {
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "DELETE FROM memberships WHERE team_id = ?1 AND user_id = ?2 AND role <> 'OWNER'",
                    params![team.to_string(), user.to_string()],
                )
                .map_err(db)?;
            if changed == 0 { Err(classify_missed_member(conn, team, user)) } else { Ok(()) }
        })
        .await
    }

    async fn transfer_ownership(&self, team: TeamId, from: UserId, to: UserId) -> Result<()> {
        if from == to {
            return Err(StoreError::OwnerProtected);
        }
        self.write(move |conn| {
            let tx = conn.transaction().map_err(db)?;
            let Some(current) = get_team(&tx, team)? else {
                return Err(StoreError::NotFound);
            };
            if current.owner != from {
                return Err(StoreError::OwnerProtected);
            }
            if role_in(&tx, team, to)?.is_none() {
                return Err(StoreError::NotFound);
            }
            let (t, f, o) = (team.to_string(), from.to_string(), to.to_string());
            tx.execute(
                "UPDATE memberships SET role = 'ADMIN' WHERE team_id = ?1 AND user_id = ?2",
                params![t, f],
            )
            .map_err(db)?;
            tx.execute(
                "UPDATE memberships SET role = 'OWNER' WHERE team_id = ?1 AND user_id = ?2",
                params![t, o],
            )
            .map_err(db)?;
            tx.execute(
                "UPDATE teams SET owner_id = ?1 WHERE id = ?2",
                params![o, t],
            )
            .map_err(db)?;
            tx.commit().map_err(db)
        })
        .await
    }

    async fn delete_team(&self, team: TeamId) -> Result<()> {
        self.write(move |conn| {
            // Memberships, invitations and connectors go by ON DELETE CASCADE.
            let changed = conn
                .execute("DELETE FROM teams WHERE id = ?1", params![team.to_string()])
                .map_err(db)?;
            if changed == 0 {
                Err(StoreError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }

    async fn invite(
        &self,
        team: TeamId,
        email: &EmailAddress,
        role: TeamRole,
        invited_by: UserId,
        limits: &Limits,
    ) -> Result<Invitation> {
        let invitation = Invitation::new(team, email, role, invited_by)?;
        let limits = *limits;
        self.write(move |conn| {
            invitations::invite(conn, &invitation, &limits)?;
            Ok(invitation)
        })
        .await
    }

    async fn revoke_invitation(&self, team: TeamId, email: &EmailAddress) -> Result<()> {
        let email = email.as_str().to_owned();
        self.write(move |conn| invitations::close(conn, team, &email, "REVOKED"))
            .await
    }

    async fn decline_invitation(&self, team: TeamId, email: &EmailAddress) -> Result<()> {
        let email = email.as_str().to_owned();
        self.write(move |conn| invitations::close(conn, team, &email, "DECLINED"))
            .await
    }

    async fn accept_invitation(
        &self,
        team: TeamId,
        user: UserId,
        email: &EmailAddress,
        limits: &Limits,
    ) -> Result<Membership> {
        let (email, limits) = (email.as_str().to_owned(), *limits);
        self.write(move |conn| invitations::accept(conn, team, user, &email, &limits))
            .await
    }

    async fn claim_invitations(&self, _user: UserId, _email: &EmailAddress) -> Result<()> {
        // Invitations are matched to the user's email when read.
        Ok(())
    }
}
