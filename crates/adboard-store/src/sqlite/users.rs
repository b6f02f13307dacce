//! The SQLite backend's users and identities.

use adboard_domain::account::{EmailAddress, IdentityKey, Provider, UserId, UserName};
use rusqlite::{OptionalExtension, Row, params};

use super::user_rows::{USER_COLUMNS, parse_email, user_from_row};
use super::{SqliteStore, constraint_or_backend, db};
use crate::model::{from_micros, now, to_micros};
use crate::{Identity, NewUser, Result, Store, StoreError, User};

fn identity_from_row(row: &Row<'_>) -> rusqlite::Result<Result<Identity>> {
    identity_at(row, 0)
}

/// The identity in the five columns from `first` on: provider, issuer, subject, email, linked_at.
fn identity_at(row: &Row<'_>, first: usize) -> rusqlite::Result<Result<Identity>> {
    let provider: String = row.get(first)?;
    let issuer: String = row.get(first + 1)?;
    let subject: String = row.get(first + 2)?;
    let email: Option<String> = row.get(first + 3)?;
    let linked_at: i64 = row.get(first + 4)?;
    Ok((|| {
        Ok(Identity {
            key: IdentityKey {
                provider: Provider::parse(&provider)
                    .map_err(|_| StoreError::corrupt("provider"))?,
                issuer,
                subject,
            },
            email: parse_email(email)?,
            linked_at: from_micros(linked_at)?,
        })
    })())
}

fn insert_identity(conn: &rusqlite::Connection, user: UserId, identity: &Identity) -> Result<()> {
    conn.execute(
        "INSERT INTO identities (provider, issuer, subject, user_id, email, linked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            identity.key.provider.as_str(),
            identity.key.issuer,
            identity.key.subject,
            user.to_string(),
            identity.email.as_ref().map(EmailAddress::as_str),
            to_micros(identity.linked_at),
        ],
    )
    .map_err(|e| constraint_or_backend(e, StoreError::IdentityTaken))?;
    Ok(())
}

/// The user and their identities (oldest first), in one query.
pub(super) fn user_with_identities(
    conn: &rusqlite::Connection,
    id: UserId,
) -> Result<Option<(User, Vec<Identity>)>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {USER_COLUMNS}, identities.provider, identities.issuer, identities.subject,
                        identities.email, identities.linked_at
                 FROM users LEFT JOIN identities ON identities.user_id = users.id
                 WHERE users.id = ?1 ORDER BY identities.linked_at, identities.rowid"
        ))
        .map_err(db)?;
    let mut rows = stmt.query(params![id.to_string()]).map_err(db)?;
    let Some(row) = rows.next().map_err(db)? else {
        return Ok(None);
    };
    let user = user_from_row(row).map_err(db)??;
    let mut identities = Vec::new();
    let mut next = Some(row);
    while let Some(row) = next {
        // A user without identities still has one row, with NULLs on the right.
        if row.get::<_, Option<String>>(4).map_err(db)?.is_some() {
            identities.push(identity_at(row, 4).map_err(db)??);
        }
        next = rows.next().map_err(db)?;
    }
    Ok(Some((user, identities)))
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn find_user_by_identity(&self, key: &IdentityKey) -> Result<Option<User>> {
        let key = key.clone();
        self.read(move |conn| {
            super::query_row_cached(conn,
                &format!(
                    "SELECT {USER_COLUMNS} FROM identities JOIN users ON users.id = identities.user_id
                     WHERE identities.provider = ?1 AND identities.issuer = ?2 AND identities.subject = ?3"
                ),
                params![key.provider.as_str(), key.issuer, key.subject],
                user_from_row,
            )
            .optional()
            .map_err(db)?
            .transpose()
        })
        .await
    }

    async fn create_user_with_identity(&self, user: NewUser, identity: Identity) -> Result<User> {
        self.write(move |conn| {
            let created = User {
                id: UserId::new_random(),
                name: user.name,
                email: user.email,
                created_at: now(),
            };
            let tx = conn.transaction().map_err(db)?;
            tx.execute(
                "INSERT INTO users (id, name, email, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![
                    created.id.to_string(),
                    created.name.as_str(),
                    created.email.as_ref().map(EmailAddress::as_str),
                    to_micros(created.created_at)
                ],
            )
            .map_err(db)?;
            // On IdentityTaken the transaction is dropped, rolling the user back.
            insert_identity(&tx, created.id, &identity)?;
            tx.commit().map_err(db)?;
            Ok(created)
        })
        .await
    }

    async fn get_user(&self, id: UserId) -> Result<Option<User>> {
        self.read(move |conn| {
            super::query_row_cached(
                conn,
                &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
                params![id.to_string()],
                user_from_row,
            )
            .optional()
            .map_err(db)?
            .transpose()
        })
        .await
    }

    async fn get_user_with_identities(&self, id: UserId) -> Result<Option<(User, Vec<Identity>)>> {
        self.read(move |conn| user_with_identities(conn, id)).await
    }

    async fn get_user_profile(&self, user: UserId) -> Result<Option<crate::UserProfile>> {
        self.user_profile(user).await
    }

    async fn teams_overview(&self, id: UserId) -> Result<Option<crate::TeamsOverview>> {
        self.read(move |conn| super::invitations::overview(conn, id))
            .await
    }

    async fn update_user_name(&self, id: UserId, name: &UserName) -> Result<()> {
        let name = name.as_str().to_owned();
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE users SET name = ?1 WHERE id = ?2",
                    params![name, id.to_string()],
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

    async fn link_identity(&self, user: UserId, identity: Identity) -> Result<()> {
        self.write(move |conn| {
            let tx = conn.transaction().map_err(db)?;
            let exists = tx
                .query_row(
                    "SELECT 1 FROM users WHERE id = ?1",
                    params![user.to_string()],
                    |_| Ok(()),
                )
                .optional()
                .map_err(db)?;
            if exists.is_none() {
                return Err(StoreError::NotFound);
            }
            insert_identity(&tx, user, &identity)?;
            tx.commit().map_err(db)
        })
        .await
    }

    async fn list_identities(&self, user: UserId) -> Result<Vec<Identity>> {
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT provider, issuer, subject, email, linked_at FROM identities
                     WHERE user_id = ?1 ORDER BY linked_at, rowid",
                )
                .map_err(db)?;
            let rows = stmt
                .query_map(params![user.to_string()], identity_from_row)
                .map_err(db)?;
            rows.map(|r| r.map_err(db)?).collect()
        })
        .await
    }

    async fn find_user_by_email(&self, email: &EmailAddress) -> Result<Option<User>> {
        let email = email.as_str().to_owned();
        self.read(move |conn| {
            super::query_row_cached(conn,
                &format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?1 ORDER BY created_at, rowid LIMIT 1"),
                params![email],
                user_from_row,
            )
            .optional()
            .map_err(db)?
            .transpose()
        })
        .await
    }

    async fn ping(&self) -> Result<()> {
        self.read(|conn| super::query_row_cached(conn, "SELECT 1", [], |_| Ok(())).map_err(db))
            .await
    }
}
