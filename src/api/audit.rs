//! `/audit`: the trail of every change.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::error::ApiResult;
use super::{ApiTags, Listed};
use crate::auth::BearerToken;
use crate::service::audit::{self, AuditFilter};
use crate::service::page::PageParams;
use crate::startup::AppState;

/// One recorded change.
#[derive(Debug, Object)]
pub struct AuditEventOut {
    /// Its id.
    pub id: Uuid,
    /// When the change was made.
    pub at: DateTime<Utc>,
    /// Who made it: the token's name and role, or "command line".
    pub actor: String,
    /// The token used, if any.
    pub actor_token_id: Option<Uuid>,
    /// What was done, e.g. `meeting.cancel`.
    pub operation: String,
    /// The kind of thing changed, e.g. `meeting`.
    pub entity: String,
    /// The id of the thing changed.
    pub entity_id: Option<Uuid>,
    /// What changed.
    pub changes: serde_json::Value,
}

impl From<entity::audit_event::Model> for AuditEventOut {
    fn from(m: entity::audit_event::Model) -> Self {
        Self {
            id: m.id,
            at: m.at,
            actor: m.actor,
            actor_token_id: m.actor_token_id,
            operation: m.operation,
            entity: m.entity,
            entity_id: m.entity_id,
            changes: m.changes,
        }
    }
}

/// Which end of the trail comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poem_openapi::Enum)]
#[oai(rename_all = "lowercase")]
pub enum AuditOrder {
    /// Oldest change first.
    Oldest,
    /// Newest change first.
    Newest,
}

pub struct AuditApi;

#[OpenApi(tag = "ApiTags::Audit")]
impl AuditApi {
    /// Read the audit trail
    ///
    /// Secretariat only. Oldest first unless `order=newest`; filter by the kind of
    /// thing or its id, the operation, the actor and the time.
    #[oai(path = "/audit", method = "get", operation_id = "audit.list")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// Only changes to this kind of thing (`meeting`, `action`, …).
        entity: Query<Option<String>>,
        /// Only changes to the thing with this id.
        entity_id: Query<Option<Uuid>>,
        /// Only this operation (`meeting.cancel`), or every operation on a kind of
        /// thing (`meeting`).
        operation: Query<Option<String>>,
        /// Only changes by actors whose name holds these words, ignoring case.
        actor: Query<Option<String>>,
        /// Only changes at or after this moment (RFC 3339).
        since: Query<Option<DateTime<Utc>>>,
        /// Only changes before this moment (RFC 3339).
        until: Query<Option<DateTime<Utc>>>,
        /// `oldest` (the default) or `newest` first.
        order: Query<Option<AuditOrder>>,
        /// How many to return (1–200, default 50).
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<AuditEventOut>> {
        let newest_first = matches!(order.0, Some(AuditOrder::Newest));
        let page = PageParams {
            limit: limit.0,
            cursor: cursor.0,
        };
        let filter = AuditFilter {
            entity: entity.0,
            entity_id: entity_id.0,
            actor: actor.0,
            operation: operation.0,
            since: since.0,
            until: until.0,
            newest_first,
        };
        let rows = audit::list(&state.db, &auth.0, filter, &page).await?;
        Ok(Listed::of(rows, AuditEventOut::from))
    }
}
