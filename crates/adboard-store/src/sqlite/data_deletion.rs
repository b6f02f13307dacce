//! The SQLite backend's data deletion: one identity, the connectors a person granted, and the
//! deletion requests (table `deletion_requests`).

use adboard_domain::account::{IdentityKey, Provider, UserId};
use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, db};
use crate::model::{from_micros, to_micros};
use crate::{DataDeletionStore, DeletionCode, DeletionRequest, Result, StoreError};

#[async_trait::async_trait]
impl DataDeletionStore for SqliteStore {
    async fn delete_identity(&self, key: &IdentityKey) -> Result<Option<(UserId, usize)>> {
        let key = key.clone();
        self.write(move |conn| {
            let tx = conn.transaction().map_err(db)?;
            let owner: Option<String> = tx
                .query_row(
                    "DELETE FROM identities WHERE provider = ?1 AND issuer = ?2 AND subject = ?3
                     RETURNING user_id",
                    params![key.provider.as_str(), key.issuer, key.subject],
                    |row| row.get(0),
                )
                .optional()
                .map_err(db)?;
            let Some(owner) = owner else {
                return Ok(None);
            };
            let left: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM identities WHERE user_id = ?1",
                    params![owner],
                    |row| row.get(0),
                )
                .map_err(db)?;
            tx.commit().map_err(db)?;
            let owner = UserId::parse(&owner).map_err(|_| StoreError::corrupt("user id"))?;
            let left = usize::try_from(left).map_err(|_| StoreError::corrupt("count"))?;
            Ok(Some((owner, left)))
        })
        .await
    }

    async fn delete_connectors_granted_by(
        &self,
        platform: Platform,
        external_user_id: &str,
    ) -> Result<Vec<TeamId>> {
        let external_user_id = external_user_id.to_owned();
        self.write(move |conn| {
            let mut stmt = conn
                .prepare_cached(
                    "DELETE FROM connectors WHERE platform = ?1 AND external_user_id = ?2
                     RETURNING team_id",
                )
                .map_err(db)?;
            let mut teams = stmt
                .query_map(params![platform.as_str(), external_user_id], |row| {
                    row.get::<_, String>(0)
                })
                .map_err(db)?
                .map(|r| TeamId::parse(&r.map_err(db)?).map_err(|_| StoreError::corrupt("team id")))
                .collect::<Result<Vec<_>>>()?;
            teams.sort();
            Ok(teams)
        })
        .await
    }

    async fn put_deletion_request(&self, request: &DeletionRequest) -> Result<()> {
        let r = request.clone();
        self.write(move |conn| {
            conn.execute(
                "INSERT OR REPLACE INTO deletion_requests
                 (code, provider, requested_at, completed_at, identities_deleted, connectors_deleted)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    r.code.as_str(),
                    r.provider.as_str(),
                    to_micros(r.requested_at),
                    r.completed_at.map(to_micros),
                    r.identities_deleted,
                    r.connectors_deleted
                ],
            )
            .map_err(db)?;
            Ok(())
        })
        .await
    }

    async fn get_deletion_request(&self, code: &DeletionCode) -> Result<Option<DeletionRequest>> {
        let code = code.clone();
        self.read(move |conn| {
            let row = super::query_row_cached(
                conn,
                "SELECT provider, requested_at, completed_at, identities_deleted, connectors_deleted
                 FROM deletion_requests WHERE code = ?1",
                params![code.as_str()],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, Option<i64>>(2)?,
                        row.get::<_, u32>(3)?,
                        row.get::<_, u32>(4)?,
                    ))
                },
            )
            .optional()
            .map_err(db)?;
            let Some((provider, requested, completed, identities, connectors)) = row else {
                return Ok(None);
            };
            Ok(Some(DeletionRequest {
                code,
                provider: Provider::parse(&provider)
                    .map_err(|_| StoreError::corrupt("provider"))?,
                requested_at: from_micros(requested)?,
                completed_at: completed.map(from_micros).transpose()?,
                identities_deleted: identities,
                connectors_deleted: connectors,
            }))
        })
        .await
    }
}
