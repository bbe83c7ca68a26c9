//! API tokens: issuing, authenticating, listing and revoking.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::{Caller, generate_secret, hash_secret};
use crate::domain::values::{self, now};
use crate::domain::{Role, Validation};
use crate::service::page::{Page, PageParams, fetch_page};
use crate::service::{audit, begin_write};
use crate::{Error, Result};
use entity::api_token::{self, Column, Entity, Model};
use entity::person;

/// How stale `last_used_at` may get before a request refreshes it. Writing it on every
/// request would turn every read into a write; a minute is precise enough to tell
/// which tokens are in use.
const LAST_USED_PRECISION: Duration = Duration::seconds(60);

/// A token just issued: the secret is shown this once and never stored.
pub struct IssuedToken {
    pub token: Model,
    pub secret: String,
}

/// The caller behind a token, or 401.
pub async fn authenticate(db: &DatabaseConnection, secret: &str) -> Result<Caller> {
    Ok(authenticate_noting_use(db, secret).await?.0)
}

/// The caller behind a token, or 401, and when the token's use was last written
/// down (now, or less than [`LAST_USED_PRECISION`] ago).
pub async fn authenticate_noting_use(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<(Caller, DateTime<Utc>)> {
    let unknown = || Error::Unauthorized("the token is not known or has been revoked".into());
    let token = Entity::find()
        .filter(Column::TokenHash.eq(hash_secret(secret.trim())))
        .one(db)
        .await?
        .ok_or_else(unknown)?;
    if token.revoked_at.is_some() {
        return Err(unknown());
    }
    let role: Role = token
        .role
        .parse()
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("stored token role: {e}")))?;
    let at = now();
    let last_used = match token.last_used_at {
        Some(last) if use_is_noted(last, at) => last,
        _ => {
            Entity::update_many()
                .col_expr(Column::LastUsedAt, sea_orm::sea_query::Expr::value(at))
                .filter(Column::Id.eq(token.id))
                .exec(db)
                .await?;
            at
        }
    };
    let caller = Caller {
        token_id: token.id,
        name: token.name,
        role,
        person_id: token.person_id,
        stamp: None,
    };
    Ok((caller, last_used))
}

/// Whether a use at `at` is close enough to the `last_used_at` already written.
pub fn use_is_noted(last_used: DateTime<Utc>, at: DateTime<Utc>) -> bool {
    at - last_used <= LAST_USED_PRECISION
}

async fn check_and_insert(
    conn: &impl ConnectionTrait,
    role: Role,
    person_id: Option<Uuid>,
    name: &str,
) -> Result<IssuedToken> {
    let mut v = Validation::new();
    let name = v.check("name", values::required_text(name, 200));
    if role == Role::Member && person_id.is_none() {
        v.fail(
            "person_id",
            "a member token must name the person it speaks for",
        );
    }
    v.finish()?;
    if let Some(person_id) = person_id
        && person::Entity::find_by_id(person_id)
            .one(conn)
            .await?
            .is_none()
    {
        return Err(Error::invalid("person_id", "no person has this id"));
    }
    let secret = generate_secret();
    let token = api_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name.unwrap_or_default()),
        role: Set(role.as_str().to_owned()),
        person_id: Set(person_id),
        token_hash: Set(hash_secret(&secret)),
        created_at: Set(now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(IssuedToken { token, secret })
}

/// Issues a token from the command line (how the first secretariat token is made).
pub async fn issue_from_command_line(
    db: &DatabaseConnection,
    role: Role,
    person_id: Option<Uuid>,
    name: &str,
) -> Result<IssuedToken> {
    let txn = begin_write(db).await?;
    let issued = check_and_insert(&txn, role, person_id, name).await?;
    audit::record_by_operator(
        &txn,
        "token.create",
        "token",
        Some(issued.token.id),
        json!({"name": issued.token.name, "role": issued.token.role, "person_id": issued.token.person_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(issued)
}

/// Issues a token over the API; secretariat only.
pub async fn issue(
    db: &DatabaseConnection,
    caller: &Caller,
    role: Role,
    person_id: Option<Uuid>,
    name: &str,
) -> Result<IssuedToken> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let issued = check_and_insert(&txn, role, person_id, name).await?;
    audit::record(
        &txn,
        caller,
        "token.create",
        "token",
        Some(issued.token.id),
        json!({"name": issued.token.name, "role": issued.token.role, "person_id": issued.token.person_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(issued)
}

/// Every token, oldest first; secretariat only. Secrets are never shown again.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    page: &PageParams,
) -> Result<Page<Model>> {
    caller.require_secretariat()?;
    fetch_page(
        db,
        Entity::find(),
        Column::CreatedAt,
        Column::Id,
        page,
        |m| (m.created_at, m.id),
    )
    .await
}

/// Revokes a token: it stops working at once. Revoking twice is harmless.
pub async fn revoke(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<()> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let token = Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found("token", id))?;
    if token.revoked_at.is_none() {
        Entity::update_many()
            .col_expr(Column::RevokedAt, sea_orm::sea_query::Expr::value(now()))
            .filter(Column::Id.eq(id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            caller,
            "token.revoke",
            "token",
            Some(id),
            json!({"name": token.name}),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
