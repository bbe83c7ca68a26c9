//! Answers to repeated reads, kept while the database has not changed.
//!
//! Reading a meeting is what members do most, and it is the same answer again and
//! again between changes. On a SQLite file, minutebook keeps the serialised answer
//! (and who each token belongs to) together with the database version it was read
//! at ([`crate::service::changes`]). Every request asks for the version first; while
//! it is unchanged the kept answer is sent, and the first request that sees a new
//! version, or a new day, empties the cache. A commit made through this process is
//! seen by the very next read, exactly as without the cache: a revoked token is
//! refused at once, an answered invitation shows at once. A commit by another
//! process on the same file (a second minutebook, the `sqlite3` shell) is seen
//! within about a millisecond.
//!
//! The day is part of the version because two things in these answers turn over at
//! midnight UTC without a commit: which memberships are current, and which actions
//! are overdue.
//!
//! On PostgreSQL nothing is kept: several instances may share the database and there
//! is no cheap way to ask it whether anything changed, so every read goes to it.

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::Result;
use crate::auth::{Caller, hash_secret};
use crate::domain::values::now;
use crate::service::changes::{ChangeWatch, Stamp};
use crate::service::tokens;

/// How many bytes of answers are kept at most; past it, the cache starts again.
const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;
/// How many tokens are remembered at most; past it, the cache starts again.
const MAX_CALLERS: usize = 10_000;

/// Whose view of a resource an answer is: all the secretariat see the same, each
/// member sees their own (their own email and apologies, their own actions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Viewer {
    Secretariat,
    Member(Option<Uuid>),
}

impl Viewer {
    pub fn of(caller: &Caller) -> Self {
        if caller.is_secretariat() {
            Viewer::Secretariat
        } else {
            Viewer::Member(caller.member_person())
        }
    }
}

/// A read whose answer can be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Read {
    /// `GET /meetings/{id}`.
    Meeting(Uuid, Viewer),
}

/// A kept answer: the JSON body and its `ETag`.
#[derive(Debug, Clone)]
pub struct Answer {
    pub body: Bytes,
    pub etag: String,
}

/// The outcome of looking for a kept answer. On a miss, read the database and keep
/// the answer under the stamp given here, which was taken before the read.
pub enum Lookup {
    Hit(Answer),
    Miss(Option<Stamp>),
}

struct KnownCaller {
    caller: Caller,
    last_used: DateTime<Utc>,
}

#[derive(Default)]
struct Kept {
    stamp: Option<Stamp>,
    callers: HashMap<String, KnownCaller>,
    answers: HashMap<Read, Answer>,
    answer_bytes: usize,
}

impl Kept {
    /// What is kept under `stamp`, moving to it (and forgetting everything kept
    /// before) when it is newer; `None` when a newer stamp is already current,
    /// which happens when requests overtake one another.
    fn at(&mut self, stamp: Stamp) -> Option<&mut Self> {
        match self.stamp {
            Some(current) if current == stamp => {}
            Some(current) if !stamp.is_after(current) => return None,
            _ => {
                *self = Kept {
                    stamp: Some(stamp),
                    ..Kept::default()
                }
            }
        }
        Some(self)
    }
}

/// Kept answers and callers for one database.
pub struct ReadCache {
    watch: ChangeWatch,
    kept: Mutex<Kept>,
}

impl ReadCache {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            watch: ChangeWatch::new(db),
            kept: Mutex::new(Kept::default()),
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The caller behind a bearer token, or 401: from memory while nothing has
    /// changed and the token's last use is noted to the minute, else from the
    /// database (which notes the use). The caller carries the stamp it was checked
    /// under, for [`Self::answer`] later in the same request.
    pub async fn caller(&self, db: &DatabaseConnection, secret: &str) -> Result<Caller> {
        let hash = hash_secret(secret.trim());
        let stamp = self.watch.stamp().await;
        if let Some(stamp) = stamp {
            let mut kept = self.kept();
            if let Some(known) = kept.at(stamp).and_then(|k| k.callers.get(&hash))
                && tokens::use_is_noted(known.last_used, now())
            {
                return Ok(Caller {
                    stamp: Some(stamp),
                    ..known.caller.clone()
                });
            }
        }
        let (mut caller, last_used) = tokens::authenticate_noting_use(db, secret).await?;
        caller.stamp = stamp;
        if let Some(stamp) = stamp {
            let mut kept = self.kept();
            if kept.stamp == Some(stamp) {
                if kept.callers.len() >= MAX_CALLERS {
                    kept.callers.clear();
                }
                let known = KnownCaller {
                    caller: caller.clone(),
                    last_used,
                };
                kept.callers.insert(hash, known);
            }
        }
        Ok(caller)
    }

    /// The kept answer to `read` for a caller checked under `stamp`, if nothing had
    /// changed between keeping it and `stamp`.
    ///
    /// Taking the stamp from the token check rather than asking again makes the
    /// request answer with the database as it was at that moment, a moment within
    /// the request, and saves asking twice.
    pub fn answer(&self, stamp: Option<Stamp>, read: Read) -> Lookup {
        let Some(stamp) = stamp else {
            return Lookup::Miss(None);
        };
        match self.kept().at(stamp).and_then(|k| k.answers.get(&read)) {
            Some(answer) => Lookup::Hit(answer.clone()),
            None => Lookup::Miss(Some(stamp)),
        }
    }

    /// Keeps the answer to `read`, read from the database after `stamp` was taken.
    /// An answer whose stamp is no longer current is not kept.
    pub fn keep(&self, stamp: Option<Stamp>, read: Read, answer: Answer) {
        let Some(stamp) = stamp else { return };
        let mut kept = self.kept();
        if kept.stamp != Some(stamp) {
            return;
        }
        let size = answer.body.len();
        if kept.answer_bytes + size > MAX_ANSWER_BYTES {
            kept.answers.clear();
            kept.answer_bytes = 0;
        }
        kept.answer_bytes += size;
        if let Some(previous) = kept.answers.insert(read, answer) {
            kept.answer_bytes -= previous.body.len();
        }
    }
}
