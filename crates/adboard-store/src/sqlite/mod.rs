//! The SQLite backend: opening the file, migrations, and the blocking-call plumbing.

mod api_tokens;
mod connectors;
mod data_deletion;
mod invitations;
mod migrations;
mod sessions;
mod team_rows;
mod teams;
mod user_rows;
mod users;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use crate::{Result, StoreError, Timeouts};

/// How many read-only connections serve reads next to the single writer.
const READERS: usize = 4;

/// The SQLite store: one file, one writer connection and a few readers (WAL mode).
#[derive(Debug, Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    timeouts: Timeouts,
}

impl SqliteStore {
    /// Opens (creating it and its parent folders if needed) the database at `path` and applies
    /// pending migrations.
    pub async fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, Timeouts::default()).await
    }

    /// [`SqliteStore::open`] with these timeouts: `read` bounds the wait for a connection,
    /// `operation` is SQLite's busy timeout (the wait for another process's lock).
    pub async fn open_with(path: &Path, timeouts: Timeouts) -> Result<Self> {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || Self::open_blocking(&path, timeouts))
            .await
            .map_err(StoreError::backend)?
    }

    fn open_blocking(path: &Path, timeouts: Timeouts) -> Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(StoreError::backend)?;
        }
        let mut writer = Connection::open(path).map_err(StoreError::backend)?;
        configure(&writer, timeouts)?;
        writer
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(StoreError::backend)?;
        migrations::apply(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| {
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI;
                let conn = Connection::open_with_flags(path, flags).map_err(StoreError::backend)?;
                configure(&conn, timeouts)?;
                Ok(Mutex::new(conn))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            inner: Arc::new(Inner {
                writer: Mutex::new(writer),
                readers,
                next_reader: AtomicUsize::new(0),
                timeouts,
            }),
        })
    }

    /// Runs `f` on a reader connection. Fast path: an idle reader answers on the calling thread —
    /// the reads are point lookups through cached statements on a WAL database, microseconds,
    /// cheaper than a thread hop (the web bench showed the hop dominating `GET /profile`). When
    /// every reader is busy, the call waits for one on the blocking pool instead of the runtime.
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        let start = inner.next_reader.fetch_add(1, Ordering::Relaxed);
        let n = inner.readers.len();
        for i in 0..n {
            if let Ok(conn) = inner.readers[(start + i) % n].try_lock() {
                return f(&conn);
            }
        }
        tokio::task::spawn_blocking(move || {
            let conn = lock_within(&inner.readers[start % n], inner.timeouts.read)?;
            f(&conn)
        })
        .await
        .map_err(StoreError::backend)?
    }

    /// Runs `f` on the writer connection, off the async runtime.
    async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            // Waiting for the writer is bounded; once it is ours, the transaction runs whole or
            // not at all (busy timeout = the operation timeout), so a timeout never half-writes.
            let mut conn = lock_within(&inner.writer, inner.timeouts.read)?;
            f(&mut conn)
        })
        .await
        .map_err(StoreError::backend)?
    }
}

/// The connection behind `mutex`, or [`StoreError::Unavailable`] if it stays busy for `wait`.
fn lock_within(
    mutex: &Mutex<Connection>,
    wait: Duration,
) -> Result<std::sync::MutexGuard<'_, Connection>> {
    let deadline = std::time::Instant::now() + wait;
    loop {
        match mutex.try_lock() {
            Ok(guard) => return Ok(guard),
            Err(std::sync::TryLockError::Poisoned(_)) => return Err(poisoned()),
            Err(std::sync::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(std::sync::TryLockError::WouldBlock) => {
                return Err(StoreError::Unavailable(
                    "every SQLite connection stayed busy".into(),
                ));
            }
        }
    }
}

fn configure(conn: &Connection, timeouts: Timeouts) -> Result<()> {
    conn.busy_timeout(timeouts.operation)
        .map_err(StoreError::backend)?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(StoreError::backend)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(StoreError::backend)?;
    // Query-planner stability: a plan never depends on bound values, so a cached statement is
    // not re-prepared on every run (SQLite's STAT4 build otherwise does that for every query
    // whose parameter it could look at — most of a page view's cost).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
        .map_err(StoreError::backend)?;
    Ok(())
}

/// `query_row` through the connection's statement cache, so hot reads prepare nothing.
fn query_row_cached<T, P, F>(conn: &Connection, sql: &str, params: P, f: F) -> rusqlite::Result<T>
where
    P: rusqlite::Params,
    F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
{
    conn.prepare_cached(sql)?.query_row(params, f)
}

fn poisoned() -> StoreError {
    StoreError::Backend("a SQLite connection mutex was poisoned by a panic".into())
}

/// True if `err` is a UNIQUE / PRIMARY KEY / CHECK / FOREIGN KEY violation.
fn is_constraint(err: &rusqlite::Error) -> bool {
    err.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
}

/// Maps a rusqlite error, turning a constraint violation into `on_constraint`.
fn constraint_or_backend(err: rusqlite::Error, on_constraint: StoreError) -> StoreError {
    if is_constraint(&err) {
        on_constraint
    } else {
        StoreError::backend(err)
    }
}

fn db(err: rusqlite::Error) -> StoreError {
    StoreError::backend(err)
}
