//! The SQLite backend's connectors: one row per (team, platform), gone with the team (cascade).

use adboard_domain::account::UserId;
use adboard_domain::ads::AdAccountId;
use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::team_rows::corrupt;
use super::{SqliteStore, constraint_or_backend, db};
use crate::model::{from_micros, to_micros};
use crate::{
    ConnectedAccount, Connector, ConnectorHealth, ConnectorStore, Result, SealedToken, StoreError,
};

const CONNECTOR_COLUMNS: &str = "team_id, platform, key_id, ciphertext, external_user_id, \
    external_user_name, scopes, expires_at, data_access_expires_at, connected_by, connected_at, \
    account_id, account_name, account_currency, account_timezone, checked_at, invalid_reason";

fn opt_time(micros: Option<i64>) -> Result<Option<DateTime<Utc>>> {
    micros.map(from_micros).transpose()
}

fn connector_from_row(row: &Row<'_>) -> rusqlite::Result<Result<Connector>> {
    let text = |i: usize| row.get::<_, String>(i);
    let opt_text = |i: usize| row.get::<_, Option<String>>(i);
    let opt_int = |i: usize| row.get::<_, Option<i64>>(i);
    let (team, platform, key_id, ciphertext) = (text(0)?, text(1)?, text(2)?, text(3)?);
    let (user_id, user_name, scopes) = (text(4)?, text(5)?, text(6)?);
    let (expires_at, data_access_expires_at) = (opt_int(7)?, opt_int(8)?);
    let (connected_by, connected_at) = (text(9)?, row.get::<_, i64>(10)?);
    let account = (opt_text(11)?, opt_text(12)?, opt_text(13)?, opt_text(14)?);
    let (checked_at, invalid_reason) = (opt_int(15)?, opt_text(16)?);
    Ok((|| {
        let account = match account {
            (Some(id), Some(name), Some(currency), Some(timezone)) => Some(ConnectedAccount {
                id: AdAccountId::parse(&id).map_err(corrupt("ad account id"))?,
                name,
                currency,
                timezone,
            }),
            (None, None, None, None) => None,
            _ => return Err(StoreError::corrupt("connected account")),
        };
        Ok(Connector {
            team: TeamId::parse(&team).map_err(corrupt("team id"))?,
            platform: Platform::parse(&platform).map_err(corrupt("platform"))?,
            token: SealedToken { key_id, ciphertext },
            external_user_id: user_id,
            external_user_name: user_name,
            scopes: serde_json::from_str(&scopes).map_err(corrupt("scopes"))?,
            expires_at: opt_time(expires_at)?,
            data_access_expires_at: opt_time(data_access_expires_at)?,
            connected_by: UserId::parse(&connected_by).map_err(corrupt("user id"))?,
            connected_at: from_micros(connected_at)?,
            account,
            health: ConnectorHealth {
                checked_at: opt_time(checked_at)?,
                invalid_reason,
            },
        })
    })())
}

fn collect(
    rows: impl Iterator<Item = rusqlite::Result<Result<Connector>>>,
) -> Result<Vec<Connector>> {
    rows.map(|r| r.map_err(db)?).collect()
}

/// A team's connectors, sorted by platform (for the team page, in its read transaction).
pub(super) fn connectors_of(conn: &Connection, team: TeamId) -> Result<Vec<Connector>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {CONNECTOR_COLUMNS} FROM connectors WHERE team_id = ?1 ORDER BY platform"
        ))
        .map_err(db)?;
    collect(
        stmt.query_map(params![team.to_string()], connector_from_row)
            .map_err(db)?,
    )
}

#[async_trait::async_trait]
impl ConnectorStore for SqliteStore {
    async fn put_connector(&self, connector: Connector) -> Result<Connector> {
        let c = connector.at_micros();
        let scopes = serde_json::to_string(&c.scopes).map_err(StoreError::backend)?;
        self.write(move |conn| {
            let account = c.account.as_ref();
            // REPLACE = delete the (team, platform) row if any, then insert, in one statement on
            // the one writer: racing reconnects leave exactly one row. A missing team fails the
            // foreign key.
            conn.execute(
                &format!(
                    "INSERT OR REPLACE INTO connectors ({CONNECTOR_COLUMNS})
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
                ),
                params![
                    c.team.to_string(),
                    c.platform.as_str(),
                    c.token.key_id,
                    c.token.ciphertext,
                    c.external_user_id,
                    c.external_user_name,
                    scopes,
                    c.expires_at.map(to_micros),
                    c.data_access_expires_at.map(to_micros),
                    c.connected_by.to_string(),
                    to_micros(c.connected_at),
                    account.map(|a| a.id.as_str()),
                    account.map(|a| a.name.as_str()),
                    account.map(|a| a.currency.as_str()),
                    account.map(|a| a.timezone.as_str()),
                    c.health.checked_at.map(to_micros),
                    c.health.invalid_reason,
                ],
            )
            .map_err(|e| constraint_or_backend(e, StoreError::NotFound))?;
            Ok(c)
        })
        .await
    }

    async fn get_connector(&self, team: TeamId, platform: Platform) -> Result<Option<Connector>> {
        self.read(move |conn| {
            super::query_row_cached(
                conn,
                &format!(
                    "SELECT {CONNECTOR_COLUMNS} FROM connectors WHERE team_id = ?1 AND platform = ?2"
                ),
                params![team.to_string(), platform.as_str()],
                connector_from_row,
            )
            .optional()
            .map_err(db)?
            .transpose()
        })
        .await
    }

    async fn delete_connector(&self, team: TeamId, platform: Platform) -> Result<bool> {
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM connectors WHERE team_id = ?1 AND platform = ?2",
                params![team.to_string(), platform.as_str()],
            )
            .map(|changed| changed > 0)
            .map_err(db)
        })
        .await
    }

    async fn set_connector_account(
        &self,
        team: TeamId,
        platform: Platform,
        account: ConnectedAccount,
    ) -> Result<()> {
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE connectors SET account_id = ?1, account_name = ?2, account_currency = ?3,
                     account_timezone = ?4 WHERE team_id = ?5 AND platform = ?6",
                    params![
                        account.id.as_str(),
                        account.name,
                        account.currency,
                        account.timezone,
                        team.to_string(),
                        platform.as_str()
                    ],
                )
                .map_err(db)?;
            if changed == 0 {
                Err(StoreError::NotFound)
            } else {
                Ok(())
            }
        })
        .await
    }

    async fn record_connector_check(
        &self,
        team: TeamId,
        platform: Platform,
        connected_at: DateTime<Utc>,
        checked_at: DateTime<Utc>,
        invalid_reason: Option<String>,
    ) -> Result<bool> {
        self.write(move |conn| {
            conn.execute(
                "UPDATE connectors SET checked_at = ?1, invalid_reason = ?2
                 WHERE team_id = ?3 AND platform = ?4 AND connected_at = ?5",
                params![
                    to_micros(checked_at),
                    invalid_reason,
                    team.to_string(),
                    platform.as_str(),
                    to_micros(connected_at)
                ],
            )
            .map(|changed| changed > 0)
            .map_err(db)
        })
        .await
    }

    async fn list_connectors(&self) -> Result<Vec<Connector>> {
        self.read(move |conn| {
            let mut stmt = conn
                .prepare(&format!("SELECT {CONNECTOR_COLUMNS} FROM connectors"))
                .map_err(db)?;
            collect(stmt.query_map([], connector_from_row).map_err(db)?)
        })
        .await
    }

    async fn replace_connector_token(
        &self,
        team: TeamId,
        platform: Platform,
        old: &SealedToken,
        new: SealedToken,
    ) -> Result<bool> {
        let old = old.ciphertext.clone();
        self.write(move |conn| {
            conn.execute(
                "UPDATE connectors SET key_id = ?1, ciphertext = ?2
                 WHERE team_id = ?3 AND platform = ?4 AND ciphertext = ?5",
                params![
                    new.key_id,
                    new.ciphertext,
                    team.to_string(),
                    platform.as_str(),
                    old
                ],
            )
            .map(|changed| changed > 0)
            .map_err(db)
        })
        .await
    }
}
