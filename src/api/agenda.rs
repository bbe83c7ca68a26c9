//! `/meetings/{id}/agenda-items` and `/agenda-items/{id}`: the agenda.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::error::ApiResult;
use super::{ApiTags, Created, Found, Removed, optional_patch, parse_if_match, required_patch};
use crate::auth::BearerToken;
use crate::domain::{AgendaItemKind, Visibility};
use crate::service::agenda::{self, AgendaItemChanges, Direction, NewAgendaItem};
use crate::startup::AppState;

/// A new agenda item.
#[derive(Debug, Object)]
pub struct AgendaItemIn {
    /// What the item is, e.g. "Probation reform: update from HMPPS".
    pub title: String,
    /// welcome, previous_actions, presentation, discussion, update or aob.
    pub kind: AgendaItemKind,
    /// The presenter, if they are a person known to minutebook.
    pub presenter_person_id: Option<Uuid>,
    /// The presenter in words, e.g. "Jane Smith, HMPPS", when they are not in the
    /// directory. Give this or `presenter_person_id`, not both.
    pub presenter: Option<String>,
    /// Time set aside, in minutes (1–600).
    pub duration_minutes: Option<i32>,
    /// public, members (hidden from public notes) or secretariat (never shown outside
    /// the secretariat).
    pub visibility: Visibility,
    /// Papers or notes for the item.
    pub notes: Option<String>,
    /// Where to insert it (1 = first); at the end when left out.
    pub position: Option<i32>,
}

/// Changes to an agenda item; fields left out stay as they are.
#[derive(Debug, Object)]
pub struct AgendaItemPatch {
    /// Title.
    pub title: MaybeUndefined<String>,
    /// Kind.
    pub kind: MaybeUndefined<AgendaItemKind>,
    /// Presenter known to minutebook; `null` removes. Setting it removes a
    /// presenter in words unless `presenter` is sent too.
    pub presenter_person_id: MaybeUndefined<Uuid>,
    /// Presenter in words; `null` removes. Setting it removes a presenter from the
    /// directory unless `presenter_person_id` is sent too. An item has one or the
    /// other, not both.
    pub presenter: MaybeUndefined<String>,
    /// Minutes; `null` removes.
    pub duration_minutes: MaybeUndefined<i32>,
    /// Who may see the item.
    pub visibility: MaybeUndefined<Visibility>,
    /// Papers or notes; `null` removes.
    pub notes: MaybeUndefined<String>,
}

/// A new order for a meeting's agenda.
#[derive(Debug, Object)]
pub struct AgendaOrderIn {
    /// Every agenda item id of the meeting, once each, in the new order.
    pub agenda_item_ids: Vec<Uuid>,
}

/// Which way to move an agenda item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poem_openapi::Enum)]
#[oai(rename_all = "snake_case")]
pub enum MoveDirection {
    /// One place earlier.
    Up,
    /// One place later.
    Down,
}

/// Moving an agenda item one place.
#[derive(Debug, Object)]
pub struct AgendaMoveIn {
    /// `up` (earlier) or `down` (later).
    pub direction: MoveDirection,
}

/// An agenda item.
#[derive(Debug, Object)]
pub struct AgendaItemOut {
    /// Its id.
    pub id: Uuid,
    /// The meeting.
    pub meeting_id: Uuid,
    /// Its place on the agenda, from 1.
    pub position: i32,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: AgendaItemKind,
    /// Presenter known to minutebook.
    pub presenter_person_id: Option<Uuid>,
    /// Presenter in words.
    pub presenter: Option<String>,
    /// Minutes set aside.
    pub duration_minutes: Option<i32>,
    /// Who may see it.
    pub visibility: Visibility,
    /// Papers or notes.
    pub notes: Option<String>,
    /// Edit version, also sent as the `ETag`.
    pub version: i32,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}
crate::resource!(AgendaItemOut, "agenda-items");

impl From<entity::agenda_item::Model> for AgendaItemOut {
    fn from(m: entity::agenda_item::Model) -> Self {
        Self {
            id: m.id,
            meeting_id: m.meeting_id,
            position: m.position,
            title: m.title,
            kind: m.kind.parse().unwrap_or(AgendaItemKind::Discussion),
            presenter_person_id: m.presenter_person_id,
            presenter: m.presenter_text,
            duration_minutes: m.duration_minutes,
            visibility: m.visibility.parse().unwrap_or(Visibility::Secretariat),
            notes: m.notes,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// A meeting's agenda.
#[derive(ApiResponse)]
pub enum AgendaListed {
    /// The items the caller may see, in order.
    #[oai(status = 200)]
    Ok(Json<Vec<AgendaItemOut>>),
}

pub struct AgendaApi;

#[OpenApi(tag = "ApiTags::Agenda")]
impl AgendaApi {
    /// Add an agenda item
    ///
    /// Secretariat only. Not for cancelled or postponed meetings.
    #[oai(
        path = "/meetings/:id/agenda-items",
        method = "post",
        operation_id = "agenda.create"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        body: Json<AgendaItemIn>,
    ) -> ApiResult<Created<AgendaItemOut>> {
        let b = body.0;
        let model = agenda::add(
            &state.db,
            &auth.0,
            id.0,
            NewAgendaItem {
                title: b.title,
                kind: b.kind,
                presenter_person_id: b.presenter_person_id,
                presenter: b.presenter,
                duration_minutes: b.duration_minutes,
                visibility: b.visibility,
                notes: b.notes,
                position: b.position,
            },
        )
        .await?;
        Ok(Created::of(model.into()))
    }

    /// Read a meeting's agenda
    ///
    /// Members of the group see the items meant for members and the public.
    #[oai(
        path = "/meetings/:id/agenda-items",
        method = "get",
        operation_id = "agenda.list"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
    ) -> ApiResult<AgendaListed> {
        let items = agenda::list(&state.db, &auth.0, id.0).await?;
        Ok(AgendaListed::Ok(Json(
            items.into_iter().map(AgendaItemOut::from).collect(),
        )))
    }

    /// Reorder a meeting's agenda
    ///
    /// Secretariat only. Send every item id once, in the new order.
    #[oai(
        path = "/meetings/:id/agenda-items/order",
        method = "put",
        operation_id = "agenda.reorder"
    )]
    async fn reorder(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        body: Json<AgendaOrderIn>,
    ) -> ApiResult<AgendaListed> {
        let items = agenda::reorder(&state.db, &auth.0, id.0, body.0.agenda_item_ids).await?;
        Ok(AgendaListed::Ok(Json(
            items.into_iter().map(AgendaItemOut::from).collect(),
        )))
    }

    /// Add the "Actions from previous meetings" item
    ///
    /// Secretariat only. Puts the item first on a scheduled meeting's agenda when
    /// earlier meetings of the group left actions outstanding and the agenda has no
    /// such item (minutebook adds it by itself when it schedules a meeting or an
    /// action lands on one; this brings it back after it was removed). 409 when the
    /// agenda already has one, the meeting is no longer scheduled, or nothing is
    /// outstanding.
    #[oai(
        path = "/meetings/:id/agenda-items/previous-actions",
        method = "post",
        operation_id = "agenda.add_previous_actions"
    )]
    async fn add_previous_actions(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
    ) -> ApiResult<Created<AgendaItemOut>> {
        let model = agenda::add_previous_actions(&state.db, &auth.0, id.0).await?;
        Ok(Created::of(model.into()))
    }

    /// Move an agenda item one place
    ///
    /// Secretariat only. Swaps the item with the one before (`up`) or after
    /// (`down`) it; 409 when it is already first or last. Answers the whole agenda in
    /// its new order.
    #[oai(
        path = "/agenda-items/:id/move",
        method = "post",
        operation_id = "agenda.move"
    )]
    async fn move_item(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The agenda item's id.
        id: Path<Uuid>,
        body: Json<AgendaMoveIn>,
    ) -> ApiResult<AgendaListed> {
        let direction = match body.0.direction {
            MoveDirection::Up => Direction::Up,
            MoveDirection::Down => Direction::Down,
        };
        let items = agenda::move_item(&state.db, &auth.0, id.0, direction).await?;
        Ok(AgendaListed::Ok(Json(
            items.into_iter().map(AgendaItemOut::from).collect(),
        )))
    }

    /// Get an agenda item
    ///
    /// Members of the group may read items meant for members and the public.
    #[oai(
        path = "/agenda-items/:id",
        method = "get",
        operation_id = "agenda.get"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The agenda item's id.
        id: Path<Uuid>,
    ) -> ApiResult<Found<AgendaItemOut>> {
        let model = agenda::get(&state.db, &auth.0, id.0).await?;
        Ok(Found::of(model.into()))
    }

    /// Change an agenda item
    ///
    /// Secretariat only. Send the `ETag` you read in `If-Match` (412 if it changed).
    #[oai(
        path = "/agenda-items/:id",
        method = "patch",
        operation_id = "agenda.update"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The agenda item's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you edited.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<AgendaItemPatch>,
    ) -> ApiResult<Found<AgendaItemOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let b = body.0;
        let changes = AgendaItemChanges {
            title: required_patch(b.title, "title")?,
            kind: required_patch(b.kind, "kind")?,
            presenter_person_id: optional_patch(b.presenter_person_id),
            presenter: optional_patch(b.presenter),
            duration_minutes: optional_patch(b.duration_minutes),
            visibility: required_patch(b.visibility, "visibility")?,
            notes: optional_patch(b.notes),
        };
        let model = agenda::update(&state.db, &auth.0, id.0, expected, changes).await?;
        Ok(Found::of(model.into()))
    }

    /// Remove an agenda item
    ///
    /// Secretariat only. The items after it move up. Actions raised under it keep
    /// their references.
    #[oai(
        path = "/agenda-items/:id",
        method = "delete",
        operation_id = "agenda.remove"
    )]
    async fn remove(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The agenda item's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you removed.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
    ) -> ApiResult<Removed> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        agenda::remove(&state.db, &auth.0, id.0, expected).await?;
        Ok(Removed::NoContent)
    }
}
