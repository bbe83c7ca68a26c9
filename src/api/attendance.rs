//! `/meetings/{id}/attendance` and `/attendance/{id}`: the attendance register.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::error::ApiResult;
use super::{ApiTags, Created, Found, optional_patch, parse_if_match, required_patch};
use crate::auth::BearerToken;
use crate::domain::{AttendanceRole, AttendanceStatus};
use crate::service::attendance::{self, AttendanceChanges, RegisterEntry};
use crate::service::meetings::RegisterLine;
use crate::startup::AppState;

/// Inviting one person.
#[derive(Debug, Object)]
pub struct InvitationIn {
    /// The person to invite.
    pub person_id: Uuid,
    /// Their role at the meeting; defaults to their role in the group, or guest.
    pub role: Option<AttendanceRole>,
}

/// An answer or a record of attendance. Members may set `accepted` or `apologies`
/// (with a reason) on their own line before the meeting; the secretariat records
/// `attended` or `absent` once it has started.
#[derive(Debug, Object)]
pub struct AttendancePatch {
    /// The new status.
    pub status: MaybeUndefined<AttendanceStatus>,
    /// The reason given with apologies; `null` removes it.
    pub reason: MaybeUndefined<String>,
    /// Their role at the meeting (secretariat only).
    pub role: MaybeUndefined<AttendanceRole>,
}

/// One line of a register recorded as a whole.
#[derive(Debug, Object)]
pub struct RegisterLineIn {
    /// The register line's id.
    pub attendance_id: Uuid,
    /// What happened: `attended` or `absent` once the meeting has started, or
    /// `apologies` written up afterwards (the reason already recorded is kept).
    pub status: AttendanceStatus,
    /// The line's version as you read it; the whole register is refused (412) if
    /// the line has changed since. Leave it out to record whatever the line says now.
    pub version: Option<i32>,
}

/// A meeting's register, recorded in one go.
#[derive(Debug, Object)]
pub struct RegisterIn {
    /// The lines to record, at least one; each line at most once. Lines left out
    /// stay as they are.
    #[oai(validator(min_items = 1, max_items = 1000))]
    pub lines: Vec<RegisterLineIn>,
}

/// One line of the attendance register.
#[derive(Debug, Object)]
pub struct AttendanceOut {
    /// Its id.
    pub id: Uuid,
    /// The meeting.
    pub meeting_id: Uuid,
    /// The person.
    pub person_id: Uuid,
    /// The person's name.
    pub person_name: String,
    /// The person's email (shown to the secretariat only).
    #[oai(skip_serializing_if_is_none)]
    pub email: Option<String>,
    /// Their role at the meeting.
    pub role: AttendanceRole,
    /// Their organisation at the time of the meeting.
    pub organisation_id: Option<Uuid>,
    /// That organisation's name, as it was then.
    pub organisation_name: Option<String>,
    /// invited, accepted, apologies, no_response, attended or absent.
    pub status: AttendanceStatus,
    /// The reason given with apologies (shown to the person and the secretariat only).
    pub reason: Option<String>,
    /// When they last answered.
    pub responded_at: Option<DateTime<Utc>>,
    /// Edit version, also sent as the `ETag`.
    pub version: i32,
    /// When they were invited.
    pub created_at: DateTime<Utc>,
    /// When the line last changed.
    pub updated_at: DateTime<Utc>,
}
crate::resource!(AttendanceOut, "attendance");

impl AttendanceOut {
    /// One register line as `viewer` may see it. Email addresses are for the
    /// secretariat only; the reason given with apologies is for the person and the
    /// secretariat; other members see only that someone sent apologies.
    pub fn for_viewer(line: RegisterLine, viewer: &crate::auth::Caller) -> Self {
        let secretariat = viewer.is_secretariat();
        let own = viewer.member_person() == Some(line.person.id);
        Self::new(line, secretariat, secretariat || own)
    }

    fn new(line: RegisterLine, show_email: bool, show_reason: bool) -> Self {
        let a = line.attendance;
        Self {
            id: a.id,
            meeting_id: a.meeting_id,
            person_id: a.person_id,
            person_name: line.person.name,
            email: if show_email { line.person.email } else { None },
            role: a.role.parse().unwrap_or(AttendanceRole::Guest),
            organisation_id: a.organisation_id,
            organisation_name: a.organisation_name,
            status: a.status.parse().unwrap_or(AttendanceStatus::Invited),
            reason: if show_reason { a.reason } else { None },
            responded_at: a.responded_at,
            version: a.version,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// The result of inviting every current member.
#[derive(Debug, Object)]
pub struct InvitedMembersOut {
    /// The lines added to the register.
    pub invited: Vec<AttendanceOut>,
    /// How many current members were already on the register.
    pub already_invited: u32,
}

/// A meeting's attendance register.
#[derive(ApiResponse)]
pub enum RegisterListed {
    /// Everyone on the register, by name.
    #[oai(status = 200)]
    Ok(Json<Vec<AttendanceOut>>),
}

/// A register recorded as a whole.
#[derive(ApiResponse)]
pub enum RegisterRecorded {
    /// The whole register as it now stands, by name.
    #[oai(status = 200)]
    Ok(Json<Vec<AttendanceOut>>),
}

/// Invitations sent to every current member.
#[derive(ApiResponse)]
pub enum MembersInvited {
    /// The members newly invited, and how many were already on the register.
    #[oai(status = 200)]
    Ok(Json<InvitedMembersOut>),
}

pub struct AttendanceApi;

#[OpenApi(tag = "ApiTags::Attendance")]
impl AttendanceApi {
    /// Invite someone to a meeting
    ///
    /// Secretariat only. Officials, guests and presenters are invited this way.
    #[oai(
        path = "/meetings/:id/attendance",
        method = "post",
        operation_id = "attendance.invite"
    )]
    async fn invite(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        body: Json<InvitationIn>,
    ) -> ApiResult<Created<AttendanceOut>> {
        let line =
            attendance::invite(&state.db, &auth.0, id.0, body.0.person_id, body.0.role).await?;
        Ok(Created::of(AttendanceOut::for_viewer(line, &auth.0)))
    }

    /// Invite every current member
    ///
    /// Secretariat only. Everyone whose membership of the group covers the meeting day
    /// and who is not on the register yet is invited, in their group role.
    #[oai(
        path = "/meetings/:id/attendance/invite-members",
        method = "post",
        operation_id = "attendance.invite_members"
    )]
    async fn invite_members(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
    ) -> ApiResult<MembersInvited> {
        let result = attendance::invite_members(&state.db, &auth.0, id.0).await?;
        Ok(MembersInvited::Ok(Json(InvitedMembersOut {
            invited: result
                .invited
                .into_iter()
                .map(|l| AttendanceOut::for_viewer(l, &auth.0))
                .collect(),
            already_invited: result.already_invited as u32,
        })))
    }

    /// Record a meeting's register in one go
    ///
    /// Secretariat only. Typically after the meeting: marks each line given as
    /// attended or absent (or apologies written up afterwards), with the same rules as
    /// recording one line at a time, and audits each change on its own line. Either
    /// every line is recorded or none is: a line that is not on this meeting's
    /// register is refused with 422 (`lines[i].attendance_id`), a line the register
    /// does not allow (for example `attended` before the meeting has started) with
    /// 409 naming the line and the person, a line changed since its `version` with
    /// 412. Lines already at the status given are left as they are.
    #[oai(
        path = "/meetings/:id/attendance/record",
        method = "post",
        operation_id = "attendance.record_register"
    )]
    async fn record_register(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        body: Json<RegisterIn>,
    ) -> ApiResult<RegisterRecorded> {
        let entries = body
            .0
            .lines
            .into_iter()
            .map(|l| RegisterEntry {
                attendance_id: l.attendance_id,
                status: l.status,
                version: l.version,
            })
            .collect();
        let lines = attendance::record_register(&state.db, &auth.0, id.0, entries)
            .await
            .map_err(crate::Error::from)?;
        Ok(RegisterRecorded::Ok(Json(
            lines
                .into_iter()
                .map(|l| AttendanceOut::for_viewer(l, &auth.0))
                .collect(),
        )))
    }

    /// Read a meeting's attendance register
    ///
    /// Members of the group may read it, without email addresses.
    #[oai(
        path = "/meetings/:id/attendance",
        method = "get",
        operation_id = "attendance.list"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
    ) -> ApiResult<RegisterListed> {
        let lines = attendance::list(&state.db, &auth.0, id.0).await?;
        Ok(RegisterListed::Ok(Json(
            lines
                .into_iter()
                .map(|l| AttendanceOut::for_viewer(l, &auth.0))
                .collect(),
        )))
    }

    /// Get one line of a register
    ///
    /// Members of the group may read it.
    #[oai(
        path = "/attendance/:id",
        method = "get",
        operation_id = "attendance.get"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The register line's id.
        id: Path<Uuid>,
    ) -> ApiResult<Found<AttendanceOut>> {
        let line = attendance::get(&state.db, &auth.0, id.0).await?;
        Ok(Found::of(AttendanceOut::for_viewer(line, &auth.0)))
    }

    /// Answer an invitation or record attendance
    ///
    /// A member may accept or send apologies (with a reason) on their own line until
    /// the meeting starts; the secretariat records anything the register allows,
    /// including attended and absent once the meeting has started.
    #[oai(
        path = "/attendance/:id",
        method = "patch",
        operation_id = "attendance.update"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The register line's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you edited.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<AttendancePatch>,
    ) -> ApiResult<Found<AttendanceOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let b = body.0;
        let changes = AttendanceChanges {
            status: required_patch(b.status, "status")?,
            reason: optional_patch(b.reason),
            role: required_patch(b.role, "role")?,
        };
        let line = attendance::update(&state.db, &auth.0, id.0, expected, changes).await?;
        Ok(Found::of(AttendanceOut::for_viewer(line, &auth.0)))
    }
}
