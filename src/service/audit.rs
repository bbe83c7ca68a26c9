//! The audit trail: every change records who made it, when, what it was and what
//! changed, in the same transaction as the change itself.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, Set,
};
use serde_json::Value;
use uuid::Uuid;

use crate::Result;
use crate::auth::Caller;
use crate::domain::values::now;
use crate::service::page::{Page, PageParams, fetch_page_ordered};
use entity::audit_event;

/// Records one change.
pub async fn record(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    operation: &str,
    entity: &str,
    entity_id: Option<Uuid>,
    changes: Value,
) -> Result<()> {
    audit_event::ActiveModel {
        id: Set(Uuid::new_v4()),
        at: Set(now()),
        actor: Set(caller.actor()),
        actor_token_id: Set(Some(caller.token_id)),
        operation: Set(operation.to_owned()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        changes: Set(changes),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Records a change made from the command line, where there is no token.
pub async fn record_by_operator(
    conn: &impl ConnectionTrait,
    operation: &str,
    entity: &str,
    entity_id: Option<Uuid>,
    changes: Value,
) -> Result<()> {
    audit_event::ActiveModel {
        id: Set(Uuid::new_v4()),
        at: Set(now()),
        actor: Set("command line".to_owned()),
        actor_token_id: Set(None),
        operation: Set(operation.to_owned()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        changes: Set(changes),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Filters for reading the trail.
#[derive(Debug, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<Uuid>,
    /// Words in the actor's name ("Rachel", "command line"), ignoring case.
    pub actor: Option<String>,
    /// The operation (`meeting.cancel`), or every operation on a kind of thing
    /// (`meeting`).
    pub operation: Option<String>,
    /// At or after this moment.
    pub since: Option<DateTime<Utc>>,
    /// Before this moment.
    pub until: Option<DateTime<Utc>>,
    /// Newest first (the secretariat's page), rather than oldest first.
    pub newest_first: bool,
}

/// The trail; secretariat only.
pub async fn list(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    filter: AuditFilter,
    page: &PageParams,
) -> Result<Page<audit_event::Model>> {
    caller.require_secretariat()?;
    let mut query = audit_event::Entity::find();
    if let Some(entity) = filter.entity {
        query = query.filter(audit_event::Column::Entity.eq(entity));
    }
    if let Some(id) = filter.entity_id {
        query = query.filter(audit_event::Column::EntityId.eq(id));
    }
    if let Some(actor) = filter.actor.as_deref().filter(|a| !a.trim().is_empty()) {
        query = query.filter(crate::service::name_contains(
            (audit_event::Entity, audit_event::Column::Actor),
            actor,
        ));
    }
    if let Some(operation) = filter
        .operation
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        query = query.filter(
            Condition::any()
                .add(audit_event::Column::Operation.eq(operation))
                .add(audit_event::Column::Operation.starts_with(format!("{operation}."))),
        );
    }
    if let Some(since) = filter.since {
        query = query.filter(audit_event::Column::At.gte(since));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_event::Column::At.lt(until));
    }
    fetch_page_ordered(
        conn,
        query,
        Expr::col(audit_event::Column::At),
        audit_event::Column::Id,
        if filter.newest_first {
            Order::Desc
        } else {
            Order::Asc
        },
        page,
        |row| (row.at, row.id),
    )
    .await
}
