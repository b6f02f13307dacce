//! Schema migrations, tracked with `PRAGMA user_version` and applied in one transaction each.

use rusqlite::Connection;

use crate::{Result, StoreError};

/// Migration `i` takes the schema from version `i` to `i + 1`. Append only; never edit one.
const MIGRATIONS: &[&str] = &[
    // 1: users and their provider identities.
    "CREATE TABLE users (
        id          TEXT PRIMARY KEY NOT NULL,
        name        TEXT NOT NULL,
        email       TEXT COLLATE NOCASE,
        created_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX users_by_email ON users (email, created_at);
    CREATE TABLE identities (
        provider    TEXT NOT NULL,
        issuer      TEXT NOT NULL,
        subject     TEXT NOT NULL,
        user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        email       TEXT,
        linked_at   INTEGER NOT NULL,
        PRIMARY KEY (provider, issuer, subject)
    ) STRICT;
    CREATE INDEX identities_by_user ON identities (user_id, linked_at);",
    // 2: teams, memberships and invitations; a team's rows go with it.
    "CREATE TABLE teams (
        id                TEXT PRIMARY KEY NOT NULL,
        name              TEXT NOT NULL,
        owner_id          TEXT NOT NULL REFERENCES users (id),
        ad_account_id     TEXT,
        conversion_event  TEXT,
        created_at        INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE memberships (
        team_id    TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role       TEXT NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'EDIT', 'READ')),
        joined_at  INTEGER NOT NULL,
        PRIMARY KEY (team_id, user_id)
    ) STRICT;
    CREATE INDEX memberships_by_user ON memberships (user_id);
    CREATE UNIQUE INDEX one_owner_per_team ON memberships (team_id) WHERE role = 'OWNER';
    CREATE TABLE invitations (
        team_id     TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        email       TEXT NOT NULL COLLATE NOCASE,
        role        TEXT NOT NULL CHECK (role IN ('ADMIN', 'EDIT', 'READ')),
        invited_by  TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (team_id, email)
    ) STRICT;
    CREATE INDEX invitations_by_email ON invitations (email);",
    // 3: connectors, one per (team, platform), holding only the sealed token; gone with the team.
    "CREATE TABLE connectors (
        team_id                 TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        platform                TEXT NOT NULL,
        key_id                  TEXT NOT NULL,
        ciphertext              TEXT NOT NULL,
        external_user_id        TEXT NOT NULL,
        external_user_name      TEXT NOT NULL,
        scopes                  TEXT NOT NULL,
        expires_at              INTEGER,
        data_access_expires_at  INTEGER,
        connected_by            TEXT NOT NULL,
        connected_at            INTEGER NOT NULL,
        account_id              TEXT,
        account_name            TEXT,
        account_currency        TEXT,
        account_timezone        TEXT,
        checked_at              INTEGER,
        invalid_reason          TEXT,
        PRIMARY KEY (team_id, platform)
    ) STRICT;",
    // 4: server-side sign-in sessions, gone with their user.
    "CREATE TABLE sessions (
        id            TEXT PRIMARY KEY NOT NULL,
        user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at    INTEGER NOT NULL,
        last_seen_at  INTEGER NOT NULL,
        device        TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sessions_by_user ON sessions (user_id);",
    // 5: invitations are answered: a declined or revoked one stays (closed) to block a re-invite.
    "ALTER TABLE invitations ADD COLUMN status TEXT NOT NULL DEFAULT 'PENDING'
        CHECK (status IN ('PENDING', 'DECLINED', 'REVOKED'));
    ALTER TABLE invitations ADD COLUMN closed_at INTEGER;",
    // 6: API bearer tokens (only their SHA-256 is kept), gone with their user.
    "CREATE TABLE api_tokens (
        id            TEXT PRIMARY KEY NOT NULL,
        user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        hash          BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
        label         TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        last_used_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX api_tokens_by_user ON api_tokens (user_id);",
    // 7: provider data-deletion requests (nothing about the person), and connectors found by
    // who granted them.
    "CREATE TABLE deletion_requests (
        code                TEXT PRIMARY KEY NOT NULL,
        provider            TEXT NOT NULL,
        requested_at        INTEGER NOT NULL,
        completed_at        INTEGER,
        identities_deleted  INTEGER NOT NULL CHECK (identities_deleted >= 0),
        connectors_deleted  INTEGER NOT NULL CHECK (connectors_deleted >= 0)
    ) STRICT;
    CREATE INDEX connectors_by_grantor ON connectors (platform, external_user_id);",
];

/// Brings the database up to the newest schema.
pub(super) fn apply(conn: &mut Connection) -> Result<()> {
    let current: usize = conn
        .pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))
        .map_err(StoreError::backend)?
        .try_into()
        .map_err(|_| StoreError::corrupt("user_version"))?;
    if current > MIGRATIONS.len() {
        return Err(StoreError::Backend(
            format!(
                "database schema version {current} is newer than this build knows ({})",
                MIGRATIONS.len()
            )
            .into(),
        ));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction().map_err(StoreError::backend)?;
        tx.execute_batch(sql).map_err(StoreError::backend)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)
            .map_err(StoreError::backend)?;
        tx.commit().map_err(StoreError::backend)?;
        tracing::info!(schema.version = index + 1, "applied SQLite migration");
    }
    Ok(())
}
