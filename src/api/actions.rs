//! `/meetings/{id}/actions`, `/actions` and `/actions/{id}`: the action tracker.

use chrono::{DateTime, NaiveDate, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::error::ApiResult;
use super::{ApiTags, Created, Found, Listed, optional_patch, parse_if_match, required_patch};
use crate::auth::BearerToken;
use crate::domain::ActionStatus;
use crate::service::actions::{self, ActionChanges, ActionFilter, NewAction, Owner};
use crate::service::page::PageParams;
use crate::startup::AppState;

/// A new action. Give exactly one owner.
#[derive(Debug, Object)]
pub struct ActionIn {
    /// What is to be done.
    pub description: String,
    /// The person who owns it.
    pub owner_person_id: Option<Uuid>,
    /// The organisation that owns it.
    pub owner_organisation_id: Option<Uuid>,
    /// The owner in words, e.g. "All members" or "Secretariat".
    pub owner_text: Option<String>,
    /// When it is due.
    pub due_on: Option<NaiveDate>,
    /// The agenda item it was raised under (of the same meeting).
    pub agenda_item_id: Option<Uuid>,
}

/// Changes to an action. The secretariat may change anything; the person who owns
/// it may change only `status` and add a `note`. Dropping needs a `note` saying why.
#[derive(Debug, Object)]
pub struct ActionPatch {
    /// What is to be done.
    pub description: MaybeUndefined<String>,
    /// A new owning person (replaces the owner).
    pub owner_person_id: MaybeUndefined<Uuid>,
    /// A new owning organisation (replaces the owner).
    pub owner_organisation_id: MaybeUndefined<Uuid>,
    /// A new owner in words (replaces the owner).
    pub owner_text: MaybeUndefined<String>,
    /// When it is due; `null` removes the date.
    pub due_on: MaybeUndefined<NaiveDate>,
    /// open, in_progress, done or dropped.
    pub status: MaybeUndefined<ActionStatus>,
    /// A progress note, kept in the status history.
    pub note: MaybeUndefined<String>,
}

/// An action.
#[derive(Debug, Object)]
pub struct ActionOut {
    /// Its id.
    pub id: Uuid,
    /// Its reference for life, e.g. `FRD-5-A3`.
    pub reference: String,
    /// The meeting it was raised at.
    pub meeting_id: Uuid,
    /// The group of that meeting.
    pub group_id: Uuid,
    /// The agenda item it was raised under.
    pub agenda_item_id: Option<Uuid>,
    /// What is to be done.
    pub description: String,
    /// The person who owns it.
    pub owner_person_id: Option<Uuid>,
    /// The organisation that owns it.
    pub owner_organisation_id: Option<Uuid>,
    /// The owner in words.
    pub owner_text: Option<String>,
    /// When it is due.
    pub due_on: Option<NaiveDate>,
    /// open, in_progress, done or dropped.
    pub status: ActionStatus,
    /// Whether it is past its due date and still outstanding.
    pub overdue: bool,
    /// Edit version, also sent as the `ETag`.
    pub version: i32,
    /// When it was raised.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}
crate::resource!(ActionOut, "actions");

impl From<entity::action_item::Model> for ActionOut {
    fn from(m: entity::action_item::Model) -> Self {
        let status: ActionStatus = m.status.parse().unwrap_or(ActionStatus::Open);
        Self {
            overdue: status.is_outstanding()
                && m.due_on
                    .is_some_and(|due| due < crate::service::access::today()),
            id: m.id,
            reference: m.reference,
            meeting_id: m.meeting_id,
            group_id: m.group_id,
            agenda_item_id: m.agenda_item_id,
            description: m.description,
            owner_person_id: m.owner_person_id,
            owner_organisation_id: m.owner_organisation_id,
            owner_text: m.owner_text,
            due_on: m.due_on,
            status,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// One step of an action's status history.
#[derive(Debug, Object)]
pub struct ActionStatusChangeOut {
    /// The status before (none for the first step).
    pub from_status: Option<ActionStatus>,
    /// The status after; the same as before for a progress note alone.
    pub to_status: ActionStatus,
    /// The note given.
    pub note: Option<String>,
    /// Who made the change.
    pub actor: String,
    /// When.
    pub changed_at: DateTime<Utc>,
}

impl From<entity::action_status_change::Model> for ActionStatusChangeOut {
    fn from(m: entity::action_status_change::Model) -> Self {
        Self {
            from_status: m.from_status.and_then(|s| s.parse().ok()),
            to_status: m.to_status.parse().unwrap_or(ActionStatus::Open),
            note: m.note,
            actor: m.actor,
            changed_at: m.changed_at,
        }
    }
}

/// A meeting's actions.
#[derive(ApiResponse)]
pub enum MeetingActions {
    /// The actions raised at the meeting, in reference order.
    #[oai(status = 200)]
    Ok(Json<Vec<ActionOut>>),
}

/// An action's history.
#[derive(ApiResponse)]
pub enum ActionHistory {
    /// Every status change and progress note, oldest first.
    #[oai(status = 200)]
    Ok(Json<Vec<ActionStatusChangeOut>>),
}

pub struct ActionsApi;

#[OpenApi(tag = "ApiTags::Actions")]
impl ActionsApi {
    /// Raise an action
    ///
    /// Secretariat only. The action gets the meeting's next number and a reference
    /// such as `FRD-5-A1` that it keeps for life.
    #[oai(
        path = "/meetings/:id/actions",
        method = "post",
        operation_id = "actions.create"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        body: Json<ActionIn>,
    ) -> ApiResult<Created<ActionOut>> {
        let b = body.0;
        let model = actions::create(
            &state.db,
            &auth.0,
            id.0,
            NewAction {
                description: b.description,
                owner: Owner {
                    person_id: b.owner_person_id,
                    organisation_id: b.owner_organisation_id,
                    text: b.owner_text,
                },
                due_on: b.due_on,
                agenda_item_id: b.agenda_item_id,
            },
        )
        .await?;
        Ok(Created::of(model.into()))
    }

    /// List a meeting's actions
    ///
    /// The secretariat sees all; a member of the group sees the ones they own.
    #[oai(
        path = "/meetings/:id/actions",
        method = "get",
        operation_id = "actions.list_for_meeting"
    )]
    async fn list_for_meeting(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
    ) -> ApiResult<MeetingActions> {
        let rows = actions::list_for_meeting(&state.db, &auth.0, id.0).await?;
        Ok(MeetingActions::Ok(Json(
            rows.into_iter().map(ActionOut::from).collect(),
        )))
    }

    /// The action tracker
    ///
    /// Actions sorted by due date (undated last). The secretariat sees all; a member
    /// sees the actions they own.
    #[oai(path = "/actions", method = "get", operation_id = "actions.list")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// Only actions raised in this group.
        group_id: Query<Option<Uuid>>,
        /// Only actions raised at this meeting.
        meeting_id: Query<Option<Uuid>>,
        /// Only actions owned by this person.
        owner_person_id: Query<Option<Uuid>>,
        /// Only actions with this status.
        status: Query<Option<ActionStatus>>,
        /// `true`: only outstanding actions past their due date; `false`: only the rest.
        overdue: Query<Option<bool>>,
        /// How many to return (1–200, default 50).
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<ActionOut>> {
        let filter = ActionFilter {
            group_id: group_id.0,
            meeting_id: meeting_id.0,
            owner_person_id: owner_person_id.0,
            status: status.0,
            overdue: overdue.0,
        };
        let page = PageParams {
            limit: limit.0,
            cursor: cursor.0,
        };
        let rows = actions::list(&state.db, &auth.0, filter, &page).await?;
        Ok(Listed::of(rows, ActionOut::from))
    }

    /// Get an action
    ///
    /// The secretariat, or the person who owns it.
    #[oai(path = "/actions/:id", method = "get", operation_id = "actions.get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The action's id.
        id: Path<Uuid>,
    ) -> ApiResult<Found<ActionOut>> {
        let model = actions::get(&state.db, &auth.0, id.0).await?;
        Ok(Found::of(model.into()))
    }

    /// Read an action's status history
    ///
    /// The secretariat, or the person who owns it.
    #[oai(
        path = "/actions/:id/history",
        method = "get",
        operation_id = "actions.history"
    )]
    async fn history(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The action's id.
        id: Path<Uuid>,
    ) -> ApiResult<ActionHistory> {
        let rows = actions::history(&state.db, &auth.0, id.0).await?;
        Ok(ActionHistory::Ok(Json(
            rows.into_iter().map(ActionStatusChangeOut::from).collect(),
        )))
    }

    /// Update an action
    ///
    /// The secretariat may change anything; the person who owns it may change its
    /// status and add a progress note. Send the `ETag` you read in `If-Match` (412 if
    /// it changed).
    #[oai(
        path = "/actions/:id",
        method = "patch",
        operation_id = "actions.update"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The action's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you edited.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<ActionPatch>,
    ) -> ApiResult<Found<ActionOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let b = body.0;
        let owner_given = !b.owner_person_id.is_undefined()
            || !b.owner_organisation_id.is_undefined()
            || !b.owner_text.is_undefined();
        let owner = owner_given.then(|| Owner {
            person_id: b.owner_person_id.take(),
            organisation_id: b.owner_organisation_id.take(),
            text: b.owner_text.take(),
        });
        let changes = ActionChanges {
            description: required_patch(b.description, "description")?,
            owner,
            due_on: optional_patch(b.due_on),
            status: required_patch(b.status, "status")?,
            note: b.note.take(),
        };
        let model = actions::update(&state.db, &auth.0, id.0, expected, changes).await?;
        Ok(Found::of(model.into()))
    }
}
