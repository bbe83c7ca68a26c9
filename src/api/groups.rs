//! `/groups`: the main group and its special interest groups.

use chrono::{DateTime, NaiveDate, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::error::ApiResult;
use super::{ApiTags, Created, Found, Listed, optional_patch, parse_if_match, required_patch};
use crate::auth::BearerToken;
use crate::domain::{GroupKind, GroupStatus};
use crate::service::groups::{self, GroupChanges, GroupFilter, NewGroup};
use crate::service::page::PageParams;
use crate::startup::AppState;

/// A new group.
#[derive(Debug, Object)]
pub struct GroupIn {
    /// `rr3` for the main group, `sig` for a special interest group.
    pub kind: GroupKind,
    /// A SIG's parent (the main group); the main group has none.
    pub parent_id: Option<Uuid>,
    /// Full name, e.g. "Future Regime Design SIG".
    pub name: String,
    /// Short name used in action references (`FRD-5-A3`): 1–12 letters, digits or
    /// hyphens, kept in capitals.
    pub short_name: String,
    /// What the group is for.
    pub remit: Option<String>,
    /// The standing paragraph about the group that opens its summary notes.
    pub about: Option<String>,
    /// `proposed` or `active` (the default).
    pub status: Option<GroupStatus>,
}

/// Changes to a group's description; fields left out stay as they are.
#[derive(Debug, Object)]
pub struct GroupPatch {
    /// Full name.
    pub name: MaybeUndefined<String>,
    /// Short name for new action references; existing references keep theirs.
    pub short_name: MaybeUndefined<String>,
    /// What the group is for.
    pub remit: MaybeUndefined<String>,
    /// The standing paragraph for summary notes.
    pub about: MaybeUndefined<String>,
}

/// Closing a group.
#[derive(Debug, Object)]
pub struct GroupCloseIn {
    /// The day it closed (default today).
    pub closed_on: Option<NaiveDate>,
    /// Why, e.g. "Final report delivered to HMPPS"; required.
    pub reason: Option<String>,
}

/// A group.
#[derive(Debug, Object)]
pub struct GroupOut {
    /// Its id.
    pub id: Uuid,
    /// `rr3` (main group) or `sig`.
    pub kind: GroupKind,
    /// A SIG's parent group.
    pub parent_id: Option<Uuid>,
    /// Full name.
    pub name: String,
    /// Short name used in action references.
    pub short_name: String,
    /// What the group is for.
    pub remit: Option<String>,
    /// The standing paragraph for summary notes.
    pub about: Option<String>,
    /// proposed, active or closed.
    pub status: GroupStatus,
    /// When it closed.
    pub closed_on: Option<NaiveDate>,
    /// Why it closed.
    pub closed_reason: Option<String>,
    /// Edit version, also sent as the `ETag`.
    pub version: i32,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}
crate::resource!(GroupOut, "groups");

impl From<entity::group::Model> for GroupOut {
    fn from(m: entity::group::Model) -> Self {
        Self {
            id: m.id,
            kind: m.kind.parse().unwrap_or(GroupKind::Sig),
            parent_id: m.parent_id,
            name: m.name,
            short_name: m.short_name,
            remit: m.remit,
            about: m.about,
            status: m.status.parse().unwrap_or(GroupStatus::Active),
            closed_on: m.closed_on,
            closed_reason: m.closed_reason,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

pub struct GroupsApi;

#[OpenApi(tag = "ApiTags::Groups")]
impl GroupsApi {
    /// Create a group
    ///
    /// Secretariat only. A SIG names the main group as its parent.
    #[oai(path = "/groups", method = "post", operation_id = "groups.create")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        body: Json<GroupIn>,
    ) -> ApiResult<Created<GroupOut>> {
        let b = body.0;
        let model = groups::create(
            &state.db,
            &auth.0,
            NewGroup {
                kind: b.kind,
                parent_id: b.parent_id,
                name: b.name,
                short_name: b.short_name,
                remit: b.remit,
                about: b.about,
                status: b.status,
            },
        )
        .await?;
        Ok(Created::of(model.into()))
    }

    /// List groups
    ///
    /// The secretariat sees every group; a member sees the groups they currently
    /// belong to. Ordered by name.
    #[oai(path = "/groups", method = "get", operation_id = "groups.list")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// Only groups of this kind.
        kind: Query<Option<GroupKind>>,
        /// Only the SIGs of this main group.
        parent_id: Query<Option<Uuid>>,
        /// Only groups with this status.
        status: Query<Option<GroupStatus>>,
        /// How many to return (1–200, default 50).
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<GroupOut>> {
        let page = PageParams {
            limit: limit.0,
            cursor: cursor.0,
        };
        let filter = GroupFilter {
            kind: kind.0,
            parent_id: parent_id.0,
            status: status.0,
        };
        let rows = groups::list(&state.db, &auth.0, filter, &page).await?;
        Ok(Listed::of(rows, GroupOut::from))
    }

    /// Get a group
    ///
    /// Members may read the groups they belong to.
    #[oai(path = "/groups/:id", method = "get", operation_id = "groups.get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The group's id.
        id: Path<Uuid>,
    ) -> ApiResult<Found<GroupOut>> {
        let model = groups::get(&state.db, &auth.0, id.0).await?;
        Ok(Found::of(model.into()))
    }

    /// Change a group's description
    ///
    /// Secretariat only. Send the `ETag` you read in `If-Match` (412 if it changed).
    #[oai(path = "/groups/:id", method = "patch", operation_id = "groups.update")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The group's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you edited.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<GroupPatch>,
    ) -> ApiResult<Found<GroupOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let b = body.0;
        let changes = GroupChanges {
            name: required_patch(b.name, "name")?,
            short_name: required_patch(b.short_name, "short_name")?,
            remit: optional_patch(b.remit),
            about: optional_patch(b.about),
        };
        let model = groups::update(&state.db, &auth.0, id.0, expected, changes).await?;
        Ok(Found::of(model.into()))
    }

    /// Activate a proposed group
    ///
    /// Secretariat only.
    #[oai(
        path = "/groups/:id/activate",
        method = "post",
        operation_id = "groups.activate"
    )]
    async fn activate(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The group's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
    ) -> ApiResult<Found<GroupOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let model = groups::change_status(
            &state.db,
            &auth.0,
            id.0,
            expected,
            GroupStatus::Active,
            None,
            None,
        )
        .await?;
        Ok(Found::of(model.into()))
    }

    /// Close a group
    ///
    /// Secretariat only. Say why (`reason`). A closed group keeps its history but
    /// gets no new meetings.
    #[oai(
        path = "/groups/:id/close",
        method = "post",
        operation_id = "groups.close"
    )]
    async fn close(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The group's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<GroupCloseIn>,
    ) -> ApiResult<Found<GroupOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let b = body.0;
        let model = groups::change_status(
            &state.db,
            &auth.0,
            id.0,
            expected,
            GroupStatus::Closed,
            b.closed_on,
            b.reason,
        )
        .await?;
        Ok(Found::of(model.into()))
    }
}
