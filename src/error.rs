//! The one error type of minutebook's services. It says what went wrong in the
//! domain's terms; [`crate::api::error`] turns it into an HTTP problem response.

use sea_orm::{DbErr, SqlErr};

use crate::domain::FieldError;
use crate::domain::lifecycle::Refusal;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No token, or a token that is unknown or revoked.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The thing named does not exist (or the caller may not know that it does).
    #[error("{entity} {id} was not found")]
    NotFound { entity: &'static str, id: String },
    /// The thing named existed but has been withdrawn for good (a revoked calendar
    /// feed): calendar apps stop polling on 410 where they might retry a 404.
    #[error("{0}")]
    Gone(String),
    /// The request is understood but the current state does not allow it.
    #[error("{0}")]
    Conflict(String),
    /// The caller edited an older version than the one stored.
    #[error("the {entity} has changed: it is at version {current}")]
    Stale { entity: &'static str, current: i32 },
    /// Values that are well-formed but not acceptable.
    #[error("some values are not valid: {}", describe(.0))]
    Invalid(Vec<FieldError>),
    /// The request itself cannot be understood.
    #[error("{0}")]
    BadRequest(String),
    #[error("database error")]
    Database(#[source] DbErr),
    #[error("unexpected error")]
    Unexpected(#[from] anyhow::Error),
}

fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{} {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Error {
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        // The services check uniqueness before they write, so a violation here means
        // two requests raced for the same value: the loser hears that it conflicts.
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::Conflict("this conflicts with a record that already exists".into())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => Self::Conflict(
                "this refers to a record that does not exist, or is still referred to".into(),
            ),
            _ => Self::Database(err),
        }
    }
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Self {
        Self::Conflict(refusal.0)
    }
}

impl From<Vec<FieldError>> for Error {
    fn from(errors: Vec<FieldError>) -> Self {
        Self::Invalid(errors)
    }
}
