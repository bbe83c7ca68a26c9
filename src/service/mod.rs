//! Database work, one module per aggregate. Every function takes a connection or a
//! transaction and returns domain errors; nothing here knows about HTTP.
//!
//! Writes follow one pattern: [`begin_write`], load and check (lifecycle rules live
//! in [`crate::domain::lifecycle`]), write with the version guard
//! ([`update_versioned`]), record an [`audit`] event, commit. Kept answers to
//! repeated reads rely on every commit being seen as it lands ([`changes`]): write
//! in such a transaction, or with a single statement (`update_many().exec(…)`),
//! not with an `ActiveModel` saved outside a transaction.

pub mod access;
pub mod actions;
pub mod agenda;
pub mod attendance;
pub mod audit;
pub mod calendar;
pub mod changes;
pub mod groups;
pub mod meetings;
pub mod memberships;
pub mod note_comments;
pub mod notes;
pub mod organisations;
pub mod page;
pub mod people;
pub mod sign_in;
pub mod tokens;
pub mod tracker;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use crate::{Error, Result};

/// Starts a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so that a transaction which reads and then writes never fails
/// with "database is locked" half-way; other databases ignore the setting.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction> {
    Ok(db
        .begin_with_options(TransactionOptions {
            isolation_level: None,
            access_mode: None,
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        })
        .await?)
}

/// An entity whose rows carry an `id` and an edit `version`.
pub trait Versioned: EntityTrait {
    /// The entity's name in error messages and the audit trail.
    const NAME: &'static str;
    fn id_column() -> Self::Column;
    fn version_column() -> Self::Column;
}

macro_rules! versioned {
    ($($module:ident => $name:literal),+ $(,)?) => {
        $(impl Versioned for entity::$module::Entity {
            const NAME: &'static str = $name;
            fn id_column() -> Self::Column {
                entity::$module::Column::Id
            }
            fn version_column() -> Self::Column {
                entity::$module::Column::Version
            }
        })+
    };
}

versioned! {
    organisation => "organisation",
    person => "person",
    group => "group",
    membership => "membership",
    meeting => "meeting",
    agenda_item => "agenda item",
    attendance => "attendance",
    action_item => "action",
    summary_note => "summary note",
    note_comment => "comment",
}

/// Finds a row by id or answers 404 in the entity's name.
pub async fn find_or_404<E>(conn: &impl ConnectionTrait, id: Uuid) -> Result<E::Model>
where
    E: Versioned,
{
    E::find()
        .filter(E::id_column().eq(id))
        .one(conn)
        .await?
        .ok_or_else(|| Error::not_found(E::NAME, id))
}

/// Refuses an edit based on an older version than the one stored (the `If-Match`
/// header's promise).
pub fn check_version<E: Versioned>(expected: Option<i32>, current: i32) -> Result<()> {
    match expected {
        Some(expected) if expected != current => Err(Error::Stale {
            entity: E::NAME,
            current,
        }),
        _ => Ok(()),
    }
}

/// Writes `changed` (a whole row, already holding its new values) over the stored row
/// if the stored row is still at `read_version`, and raises the version by one. A
/// concurrent edit that got there first makes this answer 412 rather than overwrite
/// it.
pub async fn update_versioned<E>(
    txn: &DatabaseTransaction,
    id: Uuid,
    read_version: i32,
    changed: E::Model,
) -> Result<()>
where
    E: Versioned,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let mut active = changed.into_active_model().reset_all();
    active.set(E::version_column(), (read_version + 1).into());
    let result = E::update_many()
        .set(active)
        .filter(E::id_column().eq(id))
        .filter(E::version_column().eq(read_version))
        .exec(txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(Error::Stale {
            entity: E::NAME,
            current: read_version + 1,
        });
    }
    Ok(())
}

/// The condition that `column` holds `words`, ignoring case on both databases
/// (PostgreSQL's `LIKE` heeds case and SQLite's does not, so both sides are lowered),
/// with `%` and `_` in the words taken literally.
pub fn name_contains<C>(column: C, words: &str) -> sea_orm::Condition
where
    C: sea_orm::sea_query::IntoColumnRef,
{
    use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
    let pattern = format!(
        "%{}%",
        words
            .trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    sea_orm::Condition::all()
        .add(Expr::expr(Func::lower(Expr::col(column))).like(LikeExpr::new(pattern).escape('\\')))
}
