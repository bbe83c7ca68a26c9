//! The audit trail: every change records who made it, when, what it was and what
//! changed, in the same transaction as the change itself.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;
use uuid::Uuid;

use crate::Result;
use crate::auth::Caller;
use crate::domain::values::now;
use crate::service::page::{Page, PageParams, fetch_page};
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
}

/// The trail, oldest first.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: AuditFilter,
    page: &PageParams,
) -> Result<Page<audit_event::Model>> {
    let mut query = audit_event::Entity::find();
    if let Some(entity) = filter.entity {
        query = query.filter(audit_event::Column::Entity.eq(entity));
    }
    if let Some(id) = filter.entity_id {
        query = query.filter(audit_event::Column::EntityId.eq(id));
    }
    fetch_page(
        conn,
        query,
        audit_event::Column::At,
        audit_event::Column::Id,
        page,
        |row| (row.at, row.id),
    )
    .await
}
