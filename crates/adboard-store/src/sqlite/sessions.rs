//! The SQLite backend's sign-in sessions (table `sessions`, gone with their user).

use adboard_domain::account::UserId;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};

use super::users::user_with_identities;
use super::{SqliteStore, db};
use crate::model::{from_micros, to_micros};
use crate::sessions::sort_sessions;
use crate::{Identity, Result, SessionId, SessionRecord, SessionStore, StoreError, User};

const COLUMNS: &str = "id, user_id, created_at, last_seen_at, device";

fn session_from_row(row: &Row<'_>) -> rusqlite::Result<Result<SessionRecord>> {
    let (id, user, created, seen, device): (String, String, i64, i64, String) = (
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
    );
    Ok((|| {
        Ok(SessionRecord {
            id: SessionId::parse(&id).ok_or_else(|| StoreError::corrupt("session id"))?,
            user: UserId::parse(&user).map_err(|_| StoreError::corrupt("user id"))?,
            created_at: from_micros(created)?,
            last_seen_at: from_micros(seen)?,
            device,
        })
    })())
}

pub(super) fn sessions_of(conn: &Connection, user: UserId) -> Result<Vec<SessionRecord>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM sessions WHERE user_id = ?1"
        ))
        .map_err(db)?;
    let mut sessions = stmt
        .query_map(params![user.to_string()], session_from_row)
        .map_err(db)?
        .map(|r| r.map_err(db)?)
        .collect::<Result<Vec<_>>>()?;
    sort_sessions(&mut sessions);
    Ok(sessions)
}

#[async_trait::async_trait]
impl SessionStore for SqliteStore {
    async fn create_session(&self, record: &SessionRecord) -> Result<()> {
        let record = record.clone();
        self.write(move |conn| {
            conn.execute(
                &format!("INSERT INTO sessions ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5)"),
                params![
                    record.id.as_str(),
                    record.user.to_string(),
                    to_micros(record.created_at),
                    to_micros(record.last_seen_at),
                    record.device
                ],
            )
            .map_err(|e| super::constraint_or_backend(e, StoreError::NotFound))?;
            Ok(())
        })
        .await
    }

    async fn touch_session(
        &self,
        user: UserId,
        id: &SessionId,
        now: DateTime<Utc>,
        created_after: DateTime<Utc>,
        seen_after: DateTime<Utc>,
    ) -> Result<Option<SessionRecord>> {
        let id = id.as_str().to_owned();
        self.write(move |conn| {
            let tx = conn.transaction().map_err(db)?;
            let live = {
                let mut stmt = tx
                    .prepare_cached(&format!(
                        "UPDATE sessions SET last_seen_at = ?1
                         WHERE id = ?2 AND user_id = ?3 AND created_at >= ?4 AND last_seen_at >= ?5
                         RETURNING {COLUMNS}"
                    ))
                    .map_err(db)?;
                let mut rows = stmt
                    .query_map(
                        params![
                            to_micros(now),
                            id,
                            user.to_string(),
                            to_micros(created_after),
                            to_micros(seen_after)
                        ],
                        session_from_row,
                    )
                    .map_err(db)?;
                rows.next().transpose().map_err(db)?.transpose()?
            };
            if live.is_none() {
                tx.execute(
                    "DELETE FROM sessions WHERE id = ?1 AND user_id = ?2",
                    params![id, user.to_string()],
                )
                .map_err(db)?;
            }
            tx.commit().map_err(db)?;
            Ok(live)
        })
        .await
    }

    async fn end_session(&self, user: UserId, id: &SessionId) -> Result<bool> {
        let id = id.as_str().to_owned();
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "DELETE FROM sessions WHERE id = ?1 AND user_id = ?2",
                    params![id, user.to_string()],
                )
                .map_err(db)?;
            Ok(changed > 0)
        })
        .await
    }

    async fn end_other_sessions(&self, user: UserId, keep: &SessionId) -> Result<Vec<SessionId>> {
        let keep = keep.as_str().to_owned();
        self.write(move |conn| {
            let mut stmt = conn
                .prepare("DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2 RETURNING id")
                .map_err(db)?;
            let ended = stmt
                .query_map(params![user.to_string(), keep], |row| {
                    row.get::<_, String>(0)
                })
                .map_err(db)?
                .map(|r| {
                    let raw = r.map_err(db)?;
                    SessionId::parse(&raw).ok_or_else(|| StoreError::corrupt("session id"))
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(ended)
        })
        .await
    }

    async fn list_sessions(&self, user: UserId) -> Result<Vec<SessionRecord>> {
        self.read(move |conn| sessions_of(conn, user)).await
    }

    async fn get_user_with_identities_and_sessions(
        &self,
        user: UserId,
    ) -> Result<Option<(User, Vec<Identity>, Vec<SessionRecord>)>> {
        self.read(move |conn| {
            // One snapshot for the page (a reader only reads, so dropping it is fine).
            let tx = conn.unchecked_transaction().map_err(db)?;
            let Some((found, identities)) = user_with_identities(&tx, user)? else {
                return Ok(None);
            };
            Ok(Some((found, identities, sessions_of(&tx, user)?)))
        })
        .await
    }
}
