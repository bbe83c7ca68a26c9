//! `/groups/{id}/meetings`, `/meetings` and `/meetings/{id}`: scheduling and the
//! meeting's life.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::agenda::AgendaItemOut;
use super::attendance::AttendanceOut;
use super::error::ApiResult;
use super::read_cache::{Answer, Lookup, Read, Viewer};
use super::{
    ApiTags, Created, Found, JsonBody, Listed, etag, optional_patch, parse_if_match, required_patch,
};
use crate::auth::BearerToken;
use crate::domain::{MeetingMode, MeetingStatus};
use crate::service::meetings::{
    self, MeetingChanges, MeetingDetail, MeetingFilter, NewMeeting, PostponeTo,
};
use crate::service::page::PageParams;
use crate::startup::AppState;

/// A meeting to schedule.
#[derive(Debug, Object)]
pub struct MeetingIn {
    /// Title or purpose, e.g. "Future regime design: sentencing and release".
    pub title: String,
    /// Start, RFC 3339 with offset.
    pub starts_at: DateTime<Utc>,
    /// End, RFC 3339 with offset; after the start, at most 24 hours later.
    pub ends_at: DateTime<Utc>,
    /// IANA time zone the meeting is held in (default `Europe/London`); it decides
    /// how times read in documents and calendars.
    pub time_zone: Option<String>,
    /// in_person, online or hybrid (in person and online).
    pub mode: MeetingMode,
    /// Where it is held; leave it out while the room is to be confirmed.
    pub location: Option<String>,
    /// The video-call link (`https://…`); leave it out while it is to be confirmed.
    pub joining_link: Option<String>,
}

/// Changes to a meeting; fields left out stay as they are. Changing the time or place
/// is a reschedule: only while the meeting is scheduled.
#[derive(Debug, Object)]
pub struct MeetingPatch {
    /// Title or purpose.
    pub title: MaybeUndefined<String>,
    /// New start.
    pub starts_at: MaybeUndefined<DateTime<Utc>>,
    /// New end.
    pub ends_at: MaybeUndefined<DateTime<Utc>>,
    /// New IANA time zone.
    pub time_zone: MaybeUndefined<String>,
    /// New mode.
    pub mode: MaybeUndefined<MeetingMode>,
    /// New location; `null` removes it.
    pub location: MaybeUndefined<String>,
    /// New joining link; `null` removes it.
    pub joining_link: MaybeUndefined<String>,
}

/// Cancelling a meeting.
#[derive(Debug, Object)]
pub struct MeetingCancelIn {
    /// Why it is cancelled; shown to members.
    pub reason: Option<String>,
}

/// Postponing a meeting: to an existing later meeting, or to new times (a new
/// meeting is scheduled with the same details, agenda and invitations).
#[derive(Debug, Object)]
pub struct MeetingPostponeIn {
    /// An existing, later, scheduled meeting of the same group.
    pub to_meeting_id: Option<Uuid>,
    /// The new start, when scheduling a replacement.
    pub starts_at: Option<DateTime<Utc>>,
    /// The new end, when scheduling a replacement.
    pub ends_at: Option<DateTime<Utc>>,
    /// Why it is postponed.
    pub reason: Option<String>,
}

/// A meeting.
#[derive(Debug, Object)]
pub struct MeetingOut {
    /// Its id.
    pub id: Uuid,
    /// The group it belongs to.
    pub group_id: Uuid,
    /// Its number within the group (1, 2, 3…), assigned by minutebook and never reused.
    pub number: i32,
    /// Title or purpose.
    pub title: String,
    /// Start (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (UTC).
    pub ends_at: DateTime<Utc>,
    /// The IANA time zone it is held in.
    pub time_zone: String,
    /// in_person, online or hybrid.
    pub mode: MeetingMode,
    /// Where it is held.
    pub location: Option<String>,
    /// The video-call link.
    pub joining_link: Option<String>,
    /// scheduled, held, cancelled or postponed.
    pub status: MeetingStatus,
    /// Why it was cancelled or postponed.
    pub status_reason: Option<String>,
    /// The meeting it was postponed to.
    pub postponed_to_id: Option<Uuid>,
    /// Raised whenever the time or place changes (calendar SEQUENCE).
    pub schedule_sequence: i32,
    /// Edit version, also sent as the `ETag`.
    pub version: i32,
    /// When it was scheduled.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}
crate::resource!(MeetingOut, "meetings");

impl From<entity::meeting::Model> for MeetingOut {
    fn from(m: entity::meeting::Model) -> Self {
        Self {
            id: m.id,
            group_id: m.group_id,
            number: m.number,
            title: m.title,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            time_zone: m.time_zone,
            mode: m.mode.parse().unwrap_or(MeetingMode::Online),
            location: m.location,
            joining_link: m.joining_link,
            status: m.status.parse().unwrap_or(MeetingStatus::Scheduled),
            status_reason: m.status_reason,
            postponed_to_id: m.postponed_to_id,
            schedule_sequence: m.schedule_sequence,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// A meeting with its agenda and attendance register.
#[derive(Debug, Object)]
pub struct MeetingDetailOut {
    /// Its id.
    pub id: Uuid,
    /// The meeting itself.
    pub meeting: MeetingOut,
    /// The group's name.
    pub group_name: String,
    /// The group's short name.
    pub group_short_name: String,
    /// Agenda items the caller may see, in order.
    pub agenda: Vec<AgendaItemOut>,
    /// The attendance register, by name.
    pub attendance: Vec<AttendanceOut>,
    /// Outstanding actions this meeting carries: open or in progress, raised at the
    /// group's earlier meetings or escalated to it from a special interest group,
    /// with their current status. Members see the ones they own.
    pub previous_actions: Vec<super::actions::ActionOut>,
    /// The meeting's edit version, also sent as the `ETag`.
    pub version: i32,
}
crate::resource!(MeetingDetailOut, "meetings");

impl MeetingDetailOut {
    fn new(detail: MeetingDetail, viewer: &crate::auth::Caller) -> Self {
        Self {
            id: detail.meeting.id,
            version: detail.meeting.version,
            group_name: detail.group.name,
            group_short_name: detail.group.short_name,
            agenda: detail.agenda.into_iter().map(AgendaItemOut::from).collect(),
            attendance: detail
                .register
                .into_iter()
                .map(|line| AttendanceOut::for_viewer(line, viewer))
                .collect(),
            previous_actions: detail
                .previous_actions
                .into_iter()
                .map(super::actions::ActionOut::from)
                .collect(),
            meeting: detail.meeting.into(),
        }
    }
}

/// A postponed meeting and the meeting it now points to.
#[derive(Debug, Object)]
pub struct PostponedOut {
    /// The postponed meeting.
    pub postponed: MeetingOut,
    /// Where it went.
    pub replacement: MeetingOut,
}

/// The answer to postponing a meeting.
#[derive(poem_openapi::ApiResponse)]
pub enum Postponed {
    /// The meeting is postponed; `replacement` is where it went.
    #[oai(status = 200)]
    Ok(Json<PostponedOut>),
}

fn page(limit: Query<Option<u64>>, cursor: Query<Option<String>>) -> PageParams {
    PageParams {
        limit: limit.0,
        cursor: cursor.0,
    }
}

pub struct MeetingsApi;

#[OpenApi(tag = "ApiTags::Meetings")]
impl MeetingsApi {
    /// Schedule a meeting
    ///
    /// Secretariat only. The meeting gets the group's next number. The location and
    /// the joining link may each be left out while they are to be confirmed, whatever
    /// the mode; a link, when given, must be a web address.
    #[oai(
        path = "/groups/:id/meetings",
        method = "post",
        operation_id = "meetings.create"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The group's id.
        id: Path<Uuid>,
        body: Json<MeetingIn>,
    ) -> ApiResult<Created<MeetingOut>> {
        let b = body.0;
        let model = meetings::schedule(
            &state.db,
            &auth.0,
            id.0,
            NewMeeting {
                title: b.title,
                starts_at: b.starts_at,
                ends_at: b.ends_at,
                time_zone: b.time_zone,
                mode: b.mode,
                location: b.location,
                joining_link: b.joining_link,
            },
        )
        .await?;
        Ok(Created::of(model.into()))
    }

    /// List a group's meetings
    ///
    /// Members may list the meetings of their own groups. In time order.
    #[oai(
        path = "/groups/:id/meetings",
        method = "get",
        operation_id = "meetings.list_for_group"
    )]
    async fn list_for_group(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The group's id.
        id: Path<Uuid>,
        /// Only meetings with this status.
        status: Query<Option<MeetingStatus>>,
        /// Only meetings ending at or after this time.
        from: Query<Option<DateTime<Utc>>>,
        /// Only meetings starting before this time.
        to: Query<Option<DateTime<Utc>>>,
        /// How many to return (1–200, default 50).
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<MeetingOut>> {
        let filter = MeetingFilter {
            group_id: Some(id.0),
            status: status.0,
            from: from.0,
            to: to.0,
        };
        let rows = meetings::list(&state.db, &auth.0, filter, &page(limit, cursor)).await?;
        Ok(Listed::of(rows, MeetingOut::from))
    }

    /// List meetings
    ///
    /// Every meeting the caller may see (a member: those of their groups), in time
    /// order. Use `from` to see upcoming meetings.
    #[oai(path = "/meetings", method = "get", operation_id = "meetings.list")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// Only meetings of this group.
        group_id: Query<Option<Uuid>>,
        /// Only meetings with this status.
        status: Query<Option<MeetingStatus>>,
        /// Only meetings ending at or after this time.
        from: Query<Option<DateTime<Utc>>>,
        /// Only meetings starting before this time.
        to: Query<Option<DateTime<Utc>>>,
        /// How many to return (1–200, default 50).
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<MeetingOut>> {
        let filter = MeetingFilter {
            group_id: group_id.0,
            status: status.0,
            from: from.0,
            to: to.0,
        };
        let rows = meetings::list(&state.db, &auth.0, filter, &page(limit, cursor)).await?;
        Ok(Listed::of(rows, MeetingOut::from))
    }

    /// Get a meeting with its agenda and attendance
    ///
    /// Members may read meetings of their own groups; they see the agenda items meant
    /// for members and no email addresses.
    #[oai(path = "/meetings/:id", method = "get", operation_id = "meetings.get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
    ) -> ApiResult<Found<MeetingDetailOut>> {
        let read = Read::Meeting(id.0, Viewer::of(&auth.0));
        let stamp = match state.reads.answer(auth.0.stamp, read) {
            Lookup::Hit(answer) => return Ok(Found::serialized(answer.body, answer.etag)),
            Lookup::Miss(stamp) => stamp,
        };
        let detail = meetings::detail(&state.db, &auth.0, id.0).await?;
        let out = MeetingDetailOut::new(detail, &auth.0);
        let answer = Answer {
            body: JsonBody::serialize(&out),
            etag: etag(out.version),
        };
        state.reads.keep(stamp, read, answer.clone());
        Ok(Found::serialized(answer.body, answer.etag))
    }

    /// Change or reschedule a meeting
    ///
    /// Secretariat only. A change of time or place raises `schedule_sequence` so that
    /// calendars update. Send the `ETag` you read in `If-Match` (412 if it changed).
    #[oai(
        path = "/meetings/:id",
        method = "patch",
        operation_id = "meetings.update"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you edited.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<MeetingPatch>,
    ) -> ApiResult<Found<MeetingOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let b = body.0;
        let changes = MeetingChanges {
            title: required_patch(b.title, "title")?,
            starts_at: required_patch(b.starts_at, "starts_at")?,
            ends_at: required_patch(b.ends_at, "ends_at")?,
            time_zone: required_patch(b.time_zone, "time_zone")?,
            mode: required_patch(b.mode, "mode")?,
            location: optional_patch(b.location),
            joining_link: optional_patch(b.joining_link),
        };
        let model = meetings::update(&state.db, &auth.0, id.0, expected, changes).await?;
        Ok(Found::of(model.into()))
    }

    /// Cancel a meeting
    ///
    /// Secretariat only; a scheduled meeting only.
    #[oai(
        path = "/meetings/:id/cancel",
        method = "post",
        operation_id = "meetings.cancel"
    )]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<MeetingCancelIn>,
    ) -> ApiResult<Found<MeetingOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let model = meetings::cancel(&state.db, &auth.0, id.0, expected, body.0.reason).await?;
        Ok(Found::of(model.into()))
    }

    /// Mark a meeting as held
    ///
    /// Secretariat only; once the meeting has started, and never a cancelled or
    /// postponed one.
    #[oai(
        path = "/meetings/:id/mark-held",
        method = "post",
        operation_id = "meetings.mark_held"
    )]
    async fn mark_held(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
    ) -> ApiResult<Found<MeetingOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let model = meetings::mark_held(&state.db, &auth.0, id.0, expected).await?;
        Ok(Found::of(model.into()))
    }

    /// Postpone a meeting
    ///
    /// Secretariat only. Give `to_meeting_id`, or `starts_at` and `ends_at` to
    /// schedule a replacement with the same details, agenda and invitations.
    #[oai(
        path = "/meetings/:id/postpone",
        method = "post",
        operation_id = "meetings.postpone"
    )]
    async fn postpone(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<MeetingPostponeIn>,
    ) -> ApiResult<Postponed> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let b = body.0;
        let to = match (b.to_meeting_id, b.starts_at, b.ends_at) {
            (Some(target), None, None) => PostponeTo::Meeting(target),
            (None, Some(starts_at), Some(ends_at)) => PostponeTo::NewTimes { starts_at, ends_at },
            _ => {
                return Err(crate::Error::invalid(
                    "to_meeting_id",
                    "give either to_meeting_id, or both starts_at and ends_at",
                )
                .into());
            }
        };
        let (postponed, replacement) =
            meetings::postpone(&state.db, &auth.0, id.0, expected, to, b.reason).await?;
        Ok(Postponed::Ok(Json(PostponedOut {
            postponed: postponed.into(),
            replacement: replacement.into(),
        })))
    }
}
