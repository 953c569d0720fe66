//! The read every act starts with (its decision, `Store::load`) on SQLite
//! files, through SQLite's C API on the calling thread. sqlx runs each query
//! on its connection's own thread and hands the rows back: two thread
//! wake-ups for a primary-key read of about 20 µs, which cost about 100 µs
//! of an act's 650 on a shared two-core machine. Here the read runs where
//! the act runs, on a connection taken from a small stack of our own.
//!
//! It blocks the async worker for the read: one row by its key, from pages
//! that the act's own commits keep in the page cache. Other reads (lists,
//! searches, records) stay on sqlx's pool, where a long one blocks no task.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::rows::{self, Cols};
use super::{Loaded, StoreError};

/// Idle connections kept: about one per thread that runs acts.
const KEEP: usize = 8;

#[derive(Debug)]
pub(super) struct SqliteReader {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl SqliteReader {
    /// Read the database file at `path` (already in WAL mode). One connection is opened now, so that a path that
    /// cannot be read fails here.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let reader = SqliteReader { path: path.to_path_buf(), idle: Mutex::new(Vec::new()) };
        let first = reader.connect()?;
        reader.put_back(first);
        Ok(reader)
    }

    fn connect(&self) -> Result<Connection, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        Ok(conn)
    }

    fn put_back(&self, conn: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < KEEP {
            idle.push(conn);
        }
    }

    /// The decision `id` as the last commit left it (`rows::LOAD`), or `None`.
    pub fn load(&self, id: &str) -> Result<Option<Loaded>, StoreError> {
        let taken = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let conn = match taken {
            Some(conn) => conn,
            None => self.connect()?,
        };
        let found = read(&conn, id);
        self.put_back(conn);
        found
    }
}

fn read(conn: &Connection, id: &str) -> Result<Option<Loaded>, StoreError> {
    let mut statement = conn.prepare_cached(rows::LOAD)?;
    let mut found = statement.query([id])?;
    match found.next()? {
        Some(row) => rows::loaded(&Lite(row), id).map(Some),
        None => Ok(None),
    }
}

/// A row as [`rows`] reads one, whichever client read it.
struct Lite<'a>(&'a rusqlite::Row<'a>);

impl Cols for Lite<'_> {
    fn text(&self, col: &str) -> Result<String, StoreError> {
        Ok(self.0.get(col)?)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError> {
        Ok(self.0.get(col)?)
    }
    fn int(&self, col: &str) -> Result<i64, StoreError> {
        Ok(self.0.get(col)?)
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.0.get(col)?)
    }
}
