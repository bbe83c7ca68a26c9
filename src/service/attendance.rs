//! The attendance register: invitations, answers (accepted, apologies), and who
//! attended. Its lifecycle is [`crate::domain::lifecycle::attendance_transition`].

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::values::{self, now};
use crate::domain::{
    AttendanceRole, AttendanceStatus, FieldError, MembershipRole, Validation, lifecycle,
};
use crate::service::access::current_on;
use crate::service::meetings::{self, RegisterLine, organisation_name, status_of};
use crate::service::{audit, begin_write, check_version, find_or_404, update_versioned};
use crate::{Error, Result};
use entity::attendance::{self, Column, Entity, Model};
use entity::{meeting, membership, person};

/// Changes to one line of the register.
#[derive(Debug, Default)]
pub struct AttendanceChanges {
    pub status: Option<AttendanceStatus>,
    pub reason: Option<Option<String>>,
    pub role: Option<AttendanceRole>,
}

/// The register of a meeting the caller may read.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<Vec<RegisterLine>> {
    meetings::get(db, caller, meeting_id).await?;
    meetings::register(db, meeting_id).await
}

/// One line of a register the caller may read, with the person.
pub async fn get(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<RegisterLine> {
    let line = find_or_404::<Entity>(db, id).await?;
    meetings::get(db, caller, line.meeting_id).await?;
    let person = find_or_404::<person::Entity>(db, line.person_id).await?;
    Ok(RegisterLine {
        attendance: line,
        person,
    })
}

async fn open_meeting(txn: &DatabaseTransaction, meeting_id: Uuid) -> Result<meeting::Model> {
    let meeting = find_or_404::<meeting::Entity>(txn, meeting_id).await?;
    lifecycle::meeting_editable(status_of(&meeting)?)?;
    Ok(meeting)
}

/// The day of the meeting where it is held: a 00:30 BST meeting is on the later day
/// even though it is still the day before in UTC.
fn meeting_day(meeting: &meeting::Model) -> chrono::NaiveDate {
    let zone: chrono_tz::Tz = meeting
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::London);
    meeting.starts_at.with_timezone(&zone).date_naive()
}

/// The person's membership of the meeting's group on the meeting day, if any.
async fn membership_on(
    conn: &impl ConnectionTrait,
    meeting: &meeting::Model,
    person_id: Uuid,
) -> Result<Option<membership::Model>> {
    Ok(membership::Entity::find()
        .filter(membership::Column::GroupId.eq(meeting.group_id))
        .filter(membership::Column::PersonId.eq(person_id))
        .filter(current_on(meeting_day(meeting)))
        .one(conn)
        .await?)
}

async fn insert_invitation(
    txn: &DatabaseTransaction,
    meeting: &meeting::Model,
    person: &person::Model,
    role: AttendanceRole,
    organisation_id: Option<Uuid>,
) -> Result<Model> {
    let at = now();
    Ok(attendance::ActiveModel {
        id: Set(Uuid::new_v4()),
        meeting_id: Set(meeting.id),
        person_id: Set(person.id),
        role: Set(role.as_str().to_owned()),
        organisation_id: Set(organisation_id),
        organisation_name: Set(organisation_name(txn, organisation_id).await?),
        status: Set(AttendanceStatus::Invited.as_str().to_owned()),
        reason: Set(None),
        responded_at: Set(None),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(txn)
    .await?)
}

/// Invites one person. Their role defaults to their role in the group, or guest; their
/// organisation is remembered as it is today.
pub async fn invite(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    person_id: Uuid,
    role: Option<AttendanceRole>,
) -> Result<RegisterLine> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let meeting = open_meeting(&txn, meeting_id).await?;
    let person = person::Entity::find_by_id(person_id)
        .one(&txn)
        .await?
        .ok_or_else(|| Error::invalid("person_id", "no person has this id"))?;
    let already = Entity::find()
        .filter(Column::MeetingId.eq(meeting_id))
        .filter(Column::PersonId.eq(person_id))
        .one(&txn)
        .await?;
    if already.is_some() {
        return Err(Error::Conflict(format!(
            "{} is already on this meeting's register",
            person.name
        )));
    }
    let membership = membership_on(&txn, &meeting, person_id).await?;
    let role = role.unwrap_or_else(|| {
        membership
            .as_ref()
            .and_then(|m| m.role.parse::<MembershipRole>().ok())
            .map(AttendanceRole::from)
            .unwrap_or(AttendanceRole::Guest)
    });
    let organisation_id = membership
        .and_then(|m| m.organisation_id)
        .or(person.organisation_id);
    let line = insert_invitation(&txn, &meeting, &person, role, organisation_id).await?;
    audit::record(
        &txn,
        caller,
        "attendance.invite",
        "attendance",
        Some(line.id),
        json!({
            "meeting_id": meeting_id, "person_id": person_id, "role": line.role,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(RegisterLine {
        attendance: line,
        person,
    })
}

/// What inviting all members did.
pub struct InvitedMembers {
    pub invited: Vec<RegisterLine>,
    pub already_invited: usize,
}

/// Invites everyone whose membership of the group covers the meeting day and who is
/// not yet on the register.
pub async fn invite_members(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<InvitedMembers> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let meeting = open_meeting(&txn, meeting_id).await?;
    let members = membership::Entity::find()
        .filter(membership::Column::GroupId.eq(meeting.group_id))
        .filter(current_on(meeting_day(&meeting)))
        .find_also_related(person::Entity)
        .all(&txn)
        .await?;
    let on_register: Vec<Uuid> = Entity::find()
        .filter(Column::MeetingId.eq(meeting_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    let mut invited = Vec::new();
    let mut already_invited = 0;
    for (membership, person) in members {
        let Some(person) = person else { continue };
        if on_register.contains(&person.id)
            || invited
                .iter()
                .any(|l: &RegisterLine| l.person.id == person.id)
        {
            already_invited += 1;
            continue;
        }
        let role = membership
            .role
            .parse::<MembershipRole>()
            .map(AttendanceRole::from)
            .unwrap_or(AttendanceRole::Member);
        let organisation_id = membership.organisation_id.or(person.organisation_id);
        let line = insert_invitation(&txn, &meeting, &person, role, organisation_id).await?;
        invited.push(RegisterLine {
            attendance: line,
            person,
        });
    }
    audit::record(
        &txn,
        caller,
        "attendance.invite_members",
        "meeting",
        Some(meeting_id),
        json!({
            "invited": invited.iter().map(|l| l.person.id).collect::<Vec<_>>(),
            "already_invited": already_invited,
        }),
    )
    .await?;
    txn.commit().await?;
    invited.sort_by(|a, b| a.person.name.cmp(&b.person.name));
    Ok(InvitedMembers {
        invited,
        already_invited,
    })
}

/// Records an answer or attendance. A member may only answer their own invitation
/// (accept or send apologies); the secretariat may record anything the lifecycle
/// allows.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    changes: AttendanceChanges,
) -> Result<RegisterLine> {
    let mut v = Validation::new();
    let reason = changes
        .reason
        .as_ref()
        .and_then(|r| v.check("reason", values::optional_text(r.as_deref(), 1000)));
    v.finish()?;

    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    let meeting = meetings::get(&txn, caller, current.meeting_id).await?;
    if !caller.is_secretariat() {
        if caller.member_person() != Some(current.person_id) {
            return Err(Error::forbidden(
                "members may answer only their own invitation",
            ));
        }
        if changes.role.is_some() {
            return Err(Error::forbidden(
                "only the secretariat may change a role at a meeting",
            ));
        }
        if changes
            .status
            .is_some_and(|s| !matches!(s, AttendanceStatus::Accepted | AttendanceStatus::Apologies))
        {
            return Err(Error::forbidden(
                "members may accept or send apologies; the secretariat records attendance",
            ));
        }
    }
    check_version::<Entity>(expected_version, current.version)?;
    let mut next = current.clone();
    let at = now();
    if let Some(to) = changes.status {
        next = with_status(&current, to, &meeting, at, caller.is_secretariat())?;
    } else {
        lifecycle::meeting_editable(status_of(&meeting)?)?;
    }
    if let Some(reason) = reason {
        if next.status != AttendanceStatus::Apologies.as_str() && reason.is_some() {
            return Err(Error::invalid("reason", "a reason goes with apologies"));
        }
        next.reason = reason;
    }
    if let Some(role) = changes.role {
        next.role = role.as_str().to_owned();
    }
    next.updated_at = at;
    update_versioned::<Entity>(&txn, id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(
        &txn,
        caller,
        "attendance.update",
        "attendance",
        Some(id),
        json!({
            "meeting_id": current.meeting_id, "person_id": current.person_id,
            "before": {"status": current.status, "reason": current.reason, "role": current.role},
            "after": {"status": next.status, "reason": next.reason, "role": next.role},
        }),
    )
    .await?;
    let person = find_or_404::<person::Entity>(&txn, current.person_id).await?;
    txn.commit().await?;
    Ok(RegisterLine {
        attendance: next,
        person,
    })
}

/// `line` moved to status `to`, if the register's lifecycle allows it: an answer
/// stamps when it was given, and only apologies keep a reason.
fn with_status(
    line: &Model,
    to: AttendanceStatus,
    meeting: &meeting::Model,
    at: chrono::DateTime<chrono::Utc>,
    by_secretariat: bool,
) -> Result<Model> {
    let from: AttendanceStatus = line
        .status
        .parse()
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("stored attendance status: {e}")))?;
    lifecycle::attendance_transition(
        from,
        to,
        status_of(meeting)?,
        meeting.starts_at,
        at,
        by_secretariat,
    )?;
    let mut next = line.clone();
    next.status = to.as_str().to_owned();
    if matches!(to, AttendanceStatus::Accepted | AttendanceStatus::Apologies) {
        next.responded_at = Some(at);
    }
    if to != AttendanceStatus::Apologies {
        next.reason = None;
    }
    next.updated_at = at;
    Ok(next)
}

/// One line of a register recorded as a whole: the line, what it is now, and
/// (optionally) the version it was read at.
#[derive(Debug, Clone)]
pub struct RegisterEntry {
    pub attendance_id: Uuid,
    pub status: AttendanceStatus,
    pub version: Option<i32>,
}

/// Why a whole register was not recorded: something about the meeting or the
/// request as a whole, or the lines at fault.
#[derive(Debug)]
pub enum RegisterRefused {
    Whole(Error),
    Lines(Vec<LineRefused>),
}

/// One line of a register that could not be recorded: its place in the request
/// (from 0), whose line it is, and why; a form puts the message beside that person.
#[derive(Debug)]
pub struct LineRefused {
    pub index: usize,
    pub attendance_id: Uuid,
    pub person: Option<String>,
    pub error: Error,
}

impl LineRefused {
    fn prefix(&self) -> String {
        match &self.person {
            Some(name) => format!("lines[{}] ({name})", self.index),
            None => format!("lines[{}]", self.index),
        }
    }
}

impl From<Error> for RegisterRefused {
    fn from(error: Error) -> Self {
        Self::Whole(error)
    }
}

impl From<sea_orm::DbErr> for RegisterRefused {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Whole(error.into())
    }
}

impl From<RegisterRefused> for Error {
    /// One error for the whole request that says which lines it was about: invalid
    /// values come first (as `lines[i].field`), then stale lines, then lines the
    /// lifecycle refuses, each message starting with the line and the person.
    fn from(refused: RegisterRefused) -> Self {
        let lines = match refused {
            RegisterRefused::Whole(error) => return error,
            RegisterRefused::Lines(lines) => lines,
        };
        let mut invalid = Vec::new();
        let mut stale = None;
        let mut conflicts = Vec::new();
        for line in lines {
            let prefix = line.prefix();
            match line.error {
                Error::Invalid(fields) => invalid.extend(fields.into_iter().map(|f| {
                    FieldError::new(format!("lines[{}].{}", line.index, f.field), f.message)
                })),
                error @ Error::Stale { .. } => {
                    stale.get_or_insert(error);
                }
                Error::Conflict(message) => conflicts.push(format!("{prefix}: {message}")),
                other => return other,
            }
        }
        if !invalid.is_empty() {
            Error::Invalid(invalid)
        } else if let Some(stale) = stale {
            stale
        } else {
            Error::Conflict(conflicts.join("; "))
        }
    }
}

/// Records a meeting's register in one go, typically after the meeting: every
/// line given moves to its new status (attended, absent, or apologies written up
/// afterwards) under the same lifecycle rules as one line at a time, and each change
/// is audited on its own line. Either every line is recorded or none is: every line
/// is checked first, and all the lines at fault are named. Lines already at the
/// status given are left as they are. Answers the whole register afterwards.
pub async fn record_register(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    entries: Vec<RegisterEntry>,
) -> Result<Vec<RegisterLine>, RegisterRefused> {
    caller.require_secretariat()?;
    if entries.is_empty() {
        return Err(Error::invalid("lines", "name at least one line of the register").into());
    }
    let txn = begin_write(db).await?;
    let meeting = find_or_404::<meeting::Entity>(&txn, meeting_id).await?;
    lifecycle::meeting_editable(status_of(&meeting)?).map_err(Error::from)?;
    let register = meetings::register(&txn, meeting_id).await?;
    let at = now();

    // Every line is checked before anything is written, so that all the lines at
    // fault are named at once.
    let mut refused = Vec::new();
    let mut changes: Vec<(&RegisterLine, Model)> = Vec::new();
    let mut seen: Vec<Uuid> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let line = register
            .iter()
            .find(|l| l.attendance.id == entry.attendance_id);
        let mut refuse = |error: Error| {
            refused.push(LineRefused {
                index,
                attendance_id: entry.attendance_id,
                person: line.map(|l| l.person.name.clone()),
                error,
            })
        };
        let Some(line) = line else {
            refuse(Error::invalid(
                "attendance_id",
                "is not on this meeting's register",
            ));
            continue;
        };
        if seen.contains(&entry.attendance_id) {
            refuse(Error::invalid("attendance_id", "appears more than once"));
            continue;
        }
        seen.push(entry.attendance_id);
        let current = &line.attendance;
        let checked = check_version::<Entity>(entry.version, current.version)
            .and_then(|()| with_status(current, entry.status, &meeting, at, true));
        match checked {
            Ok(next) if next.status == current.status => {}
            Ok(next) => changes.push((line, next)),
            Err(error) => refuse(error),
        }
    }
    if !refused.is_empty() {
        return Err(RegisterRefused::Lines(refused));
    }

    for (line, next) in changes {
        let current = &line.attendance;
        if let Err(error) =
            update_versioned::<Entity>(&txn, current.id, current.version, next.clone()).await
        {
            let index = entries
                .iter()
                .position(|e| e.attendance_id == current.id)
                .unwrap_or_default();
            return Err(RegisterRefused::Lines(vec![LineRefused {
                index,
                attendance_id: current.id,
                person: Some(line.person.name.clone()),
                error,
            }]));
        }
        audit::record(
            &txn,
            caller,
            "attendance.record",
            "attendance",
            Some(current.id),
            json!({
                "meeting_id": meeting_id, "person_id": current.person_id,
                "before": {"status": current.status, "reason": current.reason},
                "after": {"status": next.status, "reason": next.reason},
            }),
        )
        .await?;
    }
    let register = meetings::register(&txn, meeting_id).await?;
    txn.commit().await?;
    Ok(register)
}

/// A meeting's register as the secretariat works on it: the lines by name, and what
/// can be done with it now.
#[derive(Debug, Clone)]
pub struct RegisterSheet {
    pub meeting: meeting::Model,
    pub lines: Vec<RegisterLine>,
    /// Why nobody can be invited or recorded any more (a cancelled or postponed
    /// meeting), if so.
    pub closed: Option<String>,
    /// Why attendance cannot be recorded yet (the meeting has not started), if so.
    pub not_recordable: Option<String>,
}

/// The register of a meeting, for the secretariat.
pub async fn sheet(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<RegisterSheet> {
    caller.require_secretariat()?;
    let meeting = meetings::get(db, caller, meeting_id).await?;
    let status = status_of(&meeting)?;
    let closed = lifecycle::meeting_editable(status).err().map(|r| r.0);
    let not_recordable = lifecycle::attendance_recordable(status, meeting.starts_at, now())
        .err()
        .map(|r| r.0);
    let lines = meetings::register(db, meeting_id).await?;
    Ok(RegisterSheet {
        meeting,
        lines,
        closed,
        not_recordable,
    })
}
