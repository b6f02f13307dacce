//! The SQLite backend's API tokens (table `api_tokens`, unique hash, gone with their user) and
//! the profile read that shows them.

use adboard_domain::account::UserId;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::sessions::sessions_of;
use super::users::user_with_identities;
use super::{SqliteStore, constraint_or_backend, db};
use crate::api_tokens::sort_api_tokens;
use crate::model::{from_micros, to_micros};
use crate::{
    ApiTokenHash, ApiTokenId, ApiTokenRecord, ApiTokenStore, Result, StoreError, UserProfile,
};

const COLUMNS: &str = "id, user_id, hash, label, created_at, last_used_at";

fn token_from_row(row: &Row<'_>) -> rusqlite::Result<Result<ApiTokenRecord>> {
    let (id, user, hash, label, created, used): (String, String, Vec<u8>, String, i64, i64) = (
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    );
    Ok((|| {
        Ok(ApiTokenRecord {
            id: ApiTokenId::parse(&id).ok_or_else(|| StoreError::corrupt("api token id"))?,
            user: UserId::parse(&user).map_err(|_| StoreError::corrupt("user id"))?,
            hash: ApiTokenHash::from_slice(&hash)
                .ok_or_else(|| StoreError::corrupt("api token hash"))?,
            label,
            created_at: from_micros(created)?,
            last_used_at: from_micros(used)?,
        })
    })())
}

fn tokens_of(conn: &Connection, user: UserId) -> Result<Vec<ApiTokenRecord>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE user_id = ?1"
        ))
        .map_err(db)?;
    let mut tokens = stmt
        .query_map(params![user.to_string()], token_from_row)
        .map_err(db)?
        .map(|r| r.map_err(db)?)
        .collect::<Result<Vec<_>>>()?;
    sort_api_tokens(&mut tokens);
    Ok(tokens)
}

impl SqliteStore {
    /// [`crate::Store::get_user_profile`]: one read transaction.
    pub(super) async fn user_profile(&self, user: UserId) -> Result<Option<UserProfile>> {
        self.read(move |conn| {
            // One snapshot for the page (a reader only reads, so dropping it is fine).
            let tx = conn.unchecked_transaction().map_err(db)?;
            let Some((found, identities)) = user_with_identities(&tx, user)? else {
                return Ok(None);
            };
            Ok(Some(UserProfile {
                user: found,
                identities,
                sessions: sessions_of(&tx, user)?,
                api_tokens: tokens_of(&tx, user)?,
            }))
        })
        .await
    }
}

#[async_trait::async_trait]
impl ApiTokenStore for SqliteStore {
    async fn create_api_token(&self, record: &ApiTokenRecord) -> Result<()> {
        let record = record.clone();
        self.write(move |conn| {
            let tx = conn.transaction().map_err(db)?;
            let user_exists = tx
                .query_row(
                    "SELECT 1 FROM users WHERE id = ?1",
                    params![record.user.to_string()],
                    |_| Ok(()),
                )
                .optional()
                .map_err(db)?;
            if user_exists.is_none() {
                return Err(StoreError::NotFound);
            }
            tx.execute(
                &format!("INSERT INTO api_tokens ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
                params![
                    record.id.as_str(),
                    record.user.to_string(),
                    record.hash.as_bytes().as_slice(),
                    record.label,
                    to_micros(record.created_at),
                    to_micros(record.last_used_at)
                ],
            )
            .map_err(|e| {
                constraint_or_backend(
                    e,
                    StoreError::Backend("an API token with this id or hash exists".into()),
                )
            })?;
            tx.commit().map_err(db)
        })
        .await
    }

    async fn find_api_token(&self, hash: &ApiTokenHash) -> Result<Option<ApiTokenRecord>> {
        let hash = *hash;
        self.read(move |conn| {
            super::query_row_cached(
                conn,
                &format!("SELECT {COLUMNS} FROM api_tokens WHERE hash = ?1"),
                params![hash.as_bytes().as_slice()],
                token_from_row,
            )
            .optional()
            .map_err(db)?
            .transpose()
        })
        .await
    }

    async fn touch_api_token(
        &self,
        user: UserId,
        id: &ApiTokenId,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let id = id.as_str().to_owned();
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE api_tokens SET last_used_at = ?1 WHERE id = ?2 AND user_id = ?3",
                    params![to_micros(now), id, user.to_string()],
                )
                .map_err(db)?;
            Ok(changed > 0)
        })
        .await
    }

    async fn revoke_api_token(&self, user: UserId, id: &ApiTokenId) -> Result<bool> {
        let id = id.as_str().to_owned();
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "DELETE FROM api_tokens WHERE id = ?1 AND user_id = ?2",
                    params![id, user.to_string()],
                )
                .map_err(db)?;
            Ok(changed > 0)
        })
        .await
    }

    async fn revoke_all_api_tokens(&self, user: UserId) -> Result<usize> {
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM api_tokens WHERE user_id = ?1",
                params![user.to_string()],
            )
            .map_err(db)
        })
        .await
    }

    async fn list_api_tokens(&self, user: UserId) -> Result<Vec<ApiTokenRecord>> {
        self.read(move |conn| tokens_of(conn, user)).await
    }
}
