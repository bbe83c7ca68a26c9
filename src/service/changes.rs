//! Whether anything in the database has changed since a moment ago, cheaply enough
//! to ask on every read. [`crate::api::read_cache`] uses it to answer repeated reads
//! without going to the database while nothing has changed.
//!
//! Only SQLite files are watched, in two ways:
//!
//! - Commits through this process's own connections are counted as they begin and
//!   again the moment they land, by hooks that [`count_commits`] installs on every
//!   connection [`crate::startup::connect`] opens. This is exact: a reader that
//!   starts after a write has answered sees a new version. SQLite calls the second
//!   hook when the committing statement runs to its end; writes in minutebook are
//!   transactions ([`crate::service::begin_write`]) or single statements that do.
//!   Anything that sets `PRAGMA wal_autocheckpoint` on a pooled connection would
//!   replace the second hook: [`count_commits`] keeps the automatic checkpoint
//!   itself, so nothing should.
//! - Commits by other processes on the same file (a second minutebook, a person
//!   with the `sqlite3` shell) are seen by a read-only connection whose
//!   `PRAGMA data_version` changes whenever any other connection commits. Asking it
//!   takes a few system calls, so it is asked at most once per
//!   [`OUTSIDE_CHECK_INTERVAL`]: such commits are seen within about a millisecond.
//!
//! On PostgreSQL (and on an in-memory SQLite database, which no second connection
//! can see) there is no such signal, [`ChangeWatch::stamp`] answers `None`, and
//! every read goes to the database.

use std::ffi::{c_char, c_int, c_void};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rusqlite::ffi;
use sea_orm::sqlx::sqlite::SqliteConnection;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::OnceCell;

/// How long a reading of other processes' commits is trusted.
pub const OUTSIDE_CHECK_INTERVAL: Duration = Duration::from_millis(1);

/// SQLite's default checkpoint threshold in pages, which installing the commit hook
/// would otherwise switch off.
const AUTOCHECKPOINT_PAGES: c_int = 1000;

/// Commits that have landed through connections opened by this process.
static COMMITS_HERE: AtomicU64 = AtomicU64::new(0);

/// Counts the commits of `connection` in [`COMMITS_HERE`] as they begin and as they
/// land, and keeps SQLite's automatic checkpoint of the write-ahead log, which the
/// second hook replaces.
///
/// Counting at the start too means that an answer read while a commit is under way
/// is kept under a version the commit's landing then retires.
pub async fn count_commits(connection: &mut SqliteConnection) -> Result<(), sea_orm::sqlx::Error> {
    let mut handle = connection.lock_handle().await?;
    handle.set_commit_hook(|| {
        COMMITS_HERE.fetch_add(1, Ordering::SeqCst);
        true
    });
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is the connection's open handle, locked for us while the hook is
    // set; the hook takes no pointer of ours, so it stays valid for the connection's
    // whole life.
    unsafe { ffi::sqlite3_wal_hook(db, Some(after_commit), std::ptr::null_mut()) };
    Ok(())
}

/// Called by SQLite after each commit has landed in the write-ahead log and the
/// write lock is released, so any reader starting now sees it.
unsafe extern "C" fn after_commit(
    _: *mut c_void,
    db: *mut ffi::sqlite3,
    database: *const c_char,
    pages_in_log: c_int,
) -> c_int {
    COMMITS_HERE.fetch_add(1, Ordering::SeqCst);
    if pages_in_log >= AUTOCHECKPOINT_PAGES {
        // What SQLite's own hook does; SQLite allows a checkpoint from here.
        // SAFETY: SQLite passes its own open handle and the database's name.
        unsafe { ffi::sqlite3_wal_checkpoint(db, database) };
    }
    ffi::SQLITE_OK
}

/// A database version: equal versions mean that nothing was committed in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataVersion {
    here: u64,
    outside: u64,
}

/// What a kept answer depends on: the database version and today's date (which
/// memberships are current and which actions are overdue turn over at midnight UTC
/// without a commit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    version: DataVersion,
    day: NaiveDate,
}

impl Stamp {
    /// Whether `self` was taken no earlier than `other`.
    pub fn is_after(self, other: Stamp) -> bool {
        self.version.here >= other.version.here
            && self.version.outside >= other.version.outside
            && self.day >= other.day
    }
}

/// The read-only connection that notices other processes' commits.
struct Probe {
    connection: rusqlite::Connection,
    /// Its `data_version` when last asked, and when that was.
    seen: i64,
    checked: Instant,
}

struct Outside {
    probe: Mutex<Probe>,
    /// Raised each time the probe sees another process's commit.
    generation: AtomicU64,
}

/// Watches one database for commits.
pub struct ChangeWatch {
    db: DatabaseConnection,
    /// Opened on first use, because finding the file needs a query. `None` inside
    /// means the database cannot be watched.
    outside: OnceCell<Option<Outside>>,
}

impl ChangeWatch {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            outside: OnceCell::new(),
        }
    }

    /// The database's version now, or `None` when it cannot be told (PostgreSQL,
    /// in-memory SQLite, or the probe failing), in which case callers must read the
    /// database.
    ///
    /// Ask *before* reading what the version is meant to vouch for: a commit that
    /// lands between the two then only makes the version look older than the data,
    /// never newer.
    async fn version(&self) -> Option<DataVersion> {
        let outside = self
            .outside
            .get_or_init(|| async { open_probe(&self.db).await })
            .await
            .as_ref()?;
        let here = COMMITS_HERE.load(Ordering::SeqCst);
        // One request at a time asks the probe; the others use its last answer,
        // which is at most a moment old.
        if let Ok(mut probe) = outside.probe.try_lock()
            && probe.checked.elapsed() >= OUTSIDE_CHECK_INTERVAL
        {
            match data_version(&probe.connection) {
                Ok(now) => {
                    if now != probe.seen {
                        probe.seen = now;
                        outside.generation.fetch_add(1, Ordering::SeqCst);
                    }
                    probe.checked = Instant::now();
                }
                Err(err) => {
                    tracing::warn!(error = %err, "cannot read the database's data version");
                    return None;
                }
            }
        }
        Some(DataVersion {
            here,
            outside: outside.generation.load(Ordering::SeqCst),
        })
    }

    /// The database version and today's date, taken together; see [`Self::version`].
    pub async fn stamp(&self) -> Option<Stamp> {
        let version = self.version().await?;
        Some(Stamp {
            version,
            day: crate::service::access::today(),
        })
    }
}

fn data_version(connection: &rusqlite::Connection) -> rusqlite::Result<i64> {
    connection
        .prepare_cached("PRAGMA data_version")?
        .query_row([], |row| row.get(0))
}

/// Opens the probe on the file the pool uses, as SQLite itself names it. An
/// in-memory database has no file, and a database not in write-ahead-log mode
/// never calls the commit hook: neither is watched.
async fn open_probe(db: &DatabaseConnection) -> Option<Outside> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return None;
    }
    let file = match main_database_file(db).await {
        Ok(Some(file)) => file,
        Ok(None) => return None,
        Err(err) => {
            tracing::warn!(error = %err, "cannot find the database file to watch");
            return None;
        }
    };
    match open_probe_on(&file) {
        Ok(Some(probe)) => Some(Outside {
            probe: Mutex::new(probe),
            generation: AtomicU64::new(0),
        }),
        Ok(None) => None,
        Err(err) => {
            tracing::warn!(file = %file.display(), error = %err, "cannot watch the database file for changes");
            None
        }
    }
}

fn open_probe_on(file: &Path) -> rusqlite::Result<Option<Probe>> {
    let connection = rusqlite::Connection::open_with_flags(
        file,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Reading the version waits only while SQLite recovers the write-ahead log; a
    // request that would wait longer reads the database instead.
    connection.busy_timeout(Duration::from_millis(10))?;
    let mode: String = connection.query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Ok(None);
    }
    let seen = data_version(&connection)?;
    Ok(Some(Probe {
        connection,
        seen,
        checked: Instant::now(),
    }))
}

async fn main_database_file(db: &DatabaseConnection) -> Result<Option<PathBuf>, sea_orm::DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA database_list",
        ))
        .await?;
    for row in rows {
        let name: String = row.try_get_by("name")?;
        if name == "main" {
            let file: String = row.try_get_by("file")?;
            return Ok((!file.is_empty()).then(|| PathBuf::from(file)));
        }
    }
    Ok(None)
}
