//! Meetings: scheduling with a number per group, rescheduling, cancelling,
//! postponing and marking held. The lifecycle rules are in
//! [`crate::domain::lifecycle`].

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::values::{self, now};
use crate::domain::{
    AttendanceStatus, GroupStatus, MeetingMode, MeetingStatus, NoteStatus, Validation, Visibility,
    lifecycle,
};
use crate::service::access::{audience_of, ensure_can_read_group, readable_groups};
use crate::service::page::{Page, PageParams, fetch_page};
use crate::service::{audit, begin_write, check_version, find_or_404, update_versioned};
use crate::{Error, Result};
use entity::meeting::{self, Column, Entity, Model};
use entity::{action_item, agenda_item, attendance, group, organisation, person, summary_note};

/// The zone meetings are in unless told otherwise.
pub const DEFAULT_TIME_ZONE: &str = "Europe/London";

/// A new meeting, as given.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: Option<String>,
    pub mode: MeetingMode,
    pub location: Option<String>,
    pub joining_link: Option<String>,
}

/// Changes to a meeting; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct MeetingChanges {
    pub title: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub time_zone: Option<String>,
    pub mode: Option<MeetingMode>,
    pub location: Option<Option<String>>,
    pub joining_link: Option<Option<String>>,
}

/// A meeting's place and joining link, each checked when given. Either may be left
/// out ("to be confirmed") whatever the mode: a room is often booked, or a call set
/// up, weeks after the date is fixed, and the secretariat schedules the meeting as
/// soon as the date is known. Pages and documents say "To be confirmed" for what is
/// missing; [`place_to_confirm`] says what the mode still expects.
fn check_place(
    v: &mut Validation,
    location: Option<&str>,
    joining_link: Option<&str>,
) -> (Option<String>, Option<String>) {
    let location = v
        .check("location", values::optional_text(location, 500))
        .flatten();
    let joining_link = match joining_link.map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(link) => v.check("joining_link", values::web_address(link)),
    };
    (location, joining_link)
}

/// What a meeting's mode expects and it does not have yet: a location for a meeting
/// in person, a joining link for one online, both for a hybrid one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlaceToConfirm {
    pub location: bool,
    pub joining_link: bool,
}

impl PlaceToConfirm {
    /// Whether anything is still to be confirmed.
    pub fn any(self) -> bool {
        self.location || self.joining_link
    }
}

/// What of the meeting's place is still to be confirmed, given its mode.
pub fn place_to_confirm(model: &Model) -> PlaceToConfirm {
    let mode: MeetingMode = model.mode.parse().unwrap_or(MeetingMode::Online);
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    PlaceToConfirm {
        location: matches!(mode, MeetingMode::InPerson | MeetingMode::Hybrid)
            && blank(&model.location),
        joining_link: matches!(mode, MeetingMode::Online | MeetingMode::Hybrid)
            && blank(&model.joining_link),
    }
}

/// A meeting's title or purpose, which every meeting has.
fn check_title(v: &mut Validation, title: &str) -> Option<String> {
    let checked = values::required_text(title, 300).map_err(|message| {
        if title.trim().is_empty() {
            "enter the title or purpose of the meeting".to_owned()
        } else {
            message
        }
    });
    v.check("title", checked)
}

fn check_zone(v: &mut Validation, zone: Option<&str>) -> Option<Tz> {
    v.check(
        "time_zone",
        values::time_zone(zone.unwrap_or(DEFAULT_TIME_ZONE)),
    )
}

fn check_span(
    v: &mut Validation,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    v.check("ends_at", values::meeting_span(starts_at, ends_at))
}

pub(crate) fn status_of(model: &Model) -> Result<MeetingStatus> {
    model
        .status
        .parse()
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("stored meeting status: {e}")))
}

/// Hands out the group's next meeting number. Numbers are counted on the group row,
/// so a number is never reused even if a meeting were removed.
async fn next_number(txn: &DatabaseTransaction, group_id: Uuid) -> Result<i32> {
    group::Entity::update_many()
        .col_expr(
            group::Column::MeetingsNumbered,
            Expr::col(group::Column::MeetingsNumbered).add(1),
        )
        .filter(group::Column::Id.eq(group_id))
        .exec(txn)
        .await?;
    let group = find_or_404::<group::Entity>(txn, group_id).await?;
    Ok(group.meetings_numbered)
}

/// Refuses new meetings in a closed group (or a group that does not exist).
async fn ensure_group_takes_meetings(txn: &DatabaseTransaction, group_id: Uuid) -> Result<()> {
    let group = find_or_404::<group::Entity>(txn, group_id).await?;
    let status: GroupStatus = group
        .status
        .parse()
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("{e}")))?;
    lifecycle::can_schedule_meetings(status)?;
    Ok(())
}

async fn insert_meeting(
    txn: &DatabaseTransaction,
    group_id: Uuid,
    title: String,
    span: (DateTime<Utc>, DateTime<Utc>),
    zone: Tz,
    mode: MeetingMode,
    place: (Option<String>, Option<String>),
) -> Result<Model> {
    let number = next_number(txn, group_id).await?;
    let at = now();
    Ok(meeting::ActiveModel {
        id: Set(Uuid::new_v4()),
        group_id: Set(group_id),
        number: Set(number),
        title: Set(title),
        starts_at: Set(span.0),
        ends_at: Set(span.1),
        time_zone: Set(zone.name().to_owned()),
        mode: Set(mode.as_str().to_owned()),
        location: Set(place.0),
        joining_link: Set(place.1),
        status: Set(MeetingStatus::Scheduled.as_str().to_owned()),
        status_reason: Set(None),
        postponed_to_id: Set(None),
        actions_numbered: Set(0),
        schedule_sequence: Set(0),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(txn)
    .await?)
}

/// Checks a meeting's title, place and joining link alone, as [`schedule`] and
/// [`update`] do: for a form that cannot yet give its times, so that every problem
/// is reported at once.
pub fn check_details(
    title: &str,
    location: Option<&str>,
    joining_link: Option<&str>,
) -> Result<()> {
    let mut v = Validation::new();
    check_title(&mut v, title);
    check_place(&mut v, location, joining_link);
    Ok(v.finish()?)
}

/// Schedules a meeting and gives it the group's next number.
pub async fn schedule(
    db: &DatabaseConnection,
    caller: &Caller,
    group_id: Uuid,
    new: NewMeeting,
) -> Result<Model> {
    caller.require_secretariat()?;
    let mut v = Validation::new();
    let title = check_title(&mut v, &new.title);
    let span = check_span(&mut v, new.starts_at, new.ends_at);
    let zone = check_zone(&mut v, new.time_zone.as_deref());
    let place = check_place(&mut v, new.location.as_deref(), new.joining_link.as_deref());
    v.finish()?;
    let (Some(title), Some(span), Some(zone)) = (title, span, zone) else {
        unreachable!("validation passed")
    };

    let txn = begin_write(db).await?;
    ensure_group_takes_meetings(&txn, group_id).await?;
    let model = insert_meeting(&txn, group_id, title, span, zone, new.mode, place).await?;
    // The agenda opens with the actions earlier meetings left open, if there are any.
    if !crate::service::actions::outstanding_before(&txn, &model)
        .await?
        .is_empty()
    {
        crate::service::agenda::ensure_previous_actions_item(&txn, caller, &model).await?;
    }
    audit::record(
        &txn,
        caller,
        "meeting.schedule",
        "meeting",
        Some(model.id),
        json!({
            "group_id": group_id, "number": model.number, "title": model.title,
            "starts_at": model.starts_at, "ends_at": model.ends_at, "time_zone": model.time_zone,
            "mode": model.mode, "location": model.location, "joining_link": model.joining_link,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Filters for listing meetings.
#[derive(Debug, Default)]
pub struct MeetingFilter {
    pub group_id: Option<Uuid>,
    pub status: Option<MeetingStatus>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Meetings in time order; a member sees only those of their groups.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: MeetingFilter,
    page: &PageParams,
) -> Result<Page<Model>> {
    let mut query = Entity::find();
    if let Some(group_id) = filter.group_id {
        find_or_404::<group::Entity>(db, group_id).await?;
        ensure_can_read_group(db, caller, group_id).await?;
        query = query.filter(Column::GroupId.eq(group_id));
    } else if let Some(groups) = readable_groups(db, caller).await? {
        query = query.filter(Column::GroupId.is_in(groups));
    }
    if let Some(status) = filter.status {
        query = query.filter(Column::Status.eq(status.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(Column::EndsAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(Column::StartsAt.lt(to));
    }
    fetch_page(db, query, Column::StartsAt, Column::Id, page, |m| {
        (m.starts_at, m.id)
    })
    .await
}

/// A meeting the caller may read.
pub async fn get(conn: &impl ConnectionTrait, caller: &Caller, id: Uuid) -> Result<Model> {
    let model = find_or_404::<Entity>(conn, id).await?;
    ensure_can_read_group(conn, caller, model.group_id).await?;
    Ok(model)
}

/// One line of the attendance register with the person's name.
#[derive(Debug, Clone)]
pub struct RegisterLine {
    pub attendance: attendance::Model,
    pub person: person::Model,
}

/// A meeting with its group, the agenda the caller may see and its register.
#[derive(Debug, Clone)]
pub struct MeetingDetail {
    pub meeting: Model,
    pub group: group::Model,
    pub agenda: Vec<agenda_item::Model>,
    pub register: Vec<RegisterLine>,
    /// The outstanding actions this meeting carries from earlier ones (a member sees
    /// only those they own).
    pub previous_actions: Vec<entity::action_item::Model>,
}

/// A meeting with its agenda (only items the caller may see) and attendance register.
pub async fn detail(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<MeetingDetail> {
    // Reading a meeting is the members' most frequent request: the meeting and its
    // group come in one query, then the agenda and the register.
    let (meeting, group) = Entity::find_by_id(id)
        .find_also_related(group::Entity)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("meeting", id))?;
    let group = group.ok_or_else(|| Error::not_found("group", meeting.group_id))?;
    ensure_can_read_group(db, caller, meeting.group_id).await?;
    let agenda = crate::service::agenda::items_visible(db, id, audience_of(caller)).await?;
    let register = register(db, id).await?;
    let mut previous_actions = crate::service::actions::outstanding_before(db, &meeting).await?;
    if !caller.is_secretariat() {
        let me = caller.member_person();
        previous_actions.retain(|a| a.owner_person_id.is_some() && a.owner_person_id == me);
    }
    Ok(MeetingDetail {
        meeting,
        group,
        agenda,
        register,
        previous_actions,
    })
}

/// The attendance register of a meeting, ordered by name.
pub async fn register(conn: &impl ConnectionTrait, meeting_id: Uuid) -> Result<Vec<RegisterLine>> {
    let rows = attendance::Entity::find()
        .filter(attendance::Column::MeetingId.eq(meeting_id))
        .find_also_related(person::Entity)
        .order_by_asc(person::Column::Name)
        .order_by_asc(attendance::Column::Id)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(attendance, person)| person.map(|person| RegisterLine { attendance, person }))
        .collect())
}

/// Changes a meeting's details. Moving it in time or place is allowed only while it
/// is scheduled, and raises its calendar sequence so that calendar apps update.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    changes: MeetingChanges,
) -> Result<Model> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    let status = status_of(&current)?;
    lifecycle::meeting_editable(status)?;

    let mut v = Validation::new();
    let mut next = current.clone();
    if let Some(title) = changes.title.as_deref()
        && let Some(title) = check_title(&mut v, title)
    {
        next.title = title;
    }
    let starts_at = changes.starts_at.unwrap_or(current.starts_at);
    let ends_at = changes.ends_at.unwrap_or(current.ends_at);
    if (changes.starts_at.is_some() || changes.ends_at.is_some())
        && let Some((s, e)) = check_span(&mut v, starts_at, ends_at)
    {
        next.starts_at = s;
        next.ends_at = e;
    }
    if let Some(zone) = changes.time_zone.as_deref()
        && let Some(zone) = check_zone(&mut v, Some(zone))
    {
        next.time_zone = zone.name().to_owned();
    }
    let mode = changes
        .mode
        .unwrap_or_else(|| current.mode.parse().unwrap_or(MeetingMode::Online));
    let location = changes.location.clone().unwrap_or(current.location.clone());
    let link = changes
        .joining_link
        .clone()
        .unwrap_or(current.joining_link.clone());
    let place_changed =
        changes.mode.is_some() || changes.location.is_some() || changes.joining_link.is_some();
    if place_changed {
        let (location, link) = check_place(&mut v, location.as_deref(), link.as_deref());
        next.mode = mode.as_str().to_owned();
        next.location = location;
        next.joining_link = link;
    }
    v.finish()?;

    let moved = next.starts_at != current.starts_at
        || next.ends_at != current.ends_at
        || next.time_zone != current.time_zone
        || next.mode != current.mode
        || next.location != current.location
        || next.joining_link != current.joining_link;
    if moved {
        lifecycle::meeting_reschedulable(status)?;
        next.schedule_sequence = current.schedule_sequence + 1;
    }
    next.updated_at = now();
    update_versioned::<Entity>(&txn, id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(&txn, caller, if moved { "meeting.reschedule" } else { "meeting.update" }, "meeting", Some(id), json!({
        "before": {"title": current.title, "starts_at": current.starts_at, "ends_at": current.ends_at, "time_zone": current.time_zone, "mode": current.mode, "location": current.location, "joining_link": current.joining_link},
        "after": {"title": next.title, "starts_at": next.starts_at, "ends_at": next.ends_at, "time_zone": next.time_zone, "mode": next.mode, "location": next.location, "joining_link": next.joining_link},
    }))
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// Cancels a scheduled meeting.
pub async fn cancel(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    reason: Option<String>,
) -> Result<Model> {
    let mut v = Validation::new();
    let reason = v
        .check("reason", values::optional_text(reason.as_deref(), 2000))
        .flatten();
    v.finish()?;
    transition(
        db,
        caller,
        id,
        expected_version,
        MeetingStatus::Cancelled,
        reason,
        None,
    )
    .await
}

/// Marks a meeting as held, once it has started.
pub async fn mark_held(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
) -> Result<Model> {
    transition(
        db,
        caller,
        id,
        expected_version,
        MeetingStatus::Held,
        None,
        None,
    )
    .await
}

/// Where a postponed meeting goes.
#[derive(Debug)]
pub enum PostponeTo {
    /// An existing, later, scheduled meeting of the same group.
    Meeting(Uuid),
    /// A new meeting at these times, with the same details, agenda and invitations.
    NewTimes {
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    },
}

/// Postpones a scheduled meeting to another meeting, which may be created here.
/// Returns the postponed meeting and the one it now points to.
pub async fn postpone(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    to: PostponeTo,
    reason: Option<String>,
) -> Result<(Model, Model)> {
    caller.require_secretariat()?;
    let mut v = Validation::new();
    let reason = v
        .check("reason", values::optional_text(reason.as_deref(), 2000))
        .flatten();
    let span = match &to {
        PostponeTo::NewTimes { starts_at, ends_at } => check_span(&mut v, *starts_at, *ends_at),
        PostponeTo::Meeting(_) => None,
    };
    v.finish()?;

    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    let target = match to {
        PostponeTo::Meeting(target_id) => {
            let target = Entity::find_by_id(target_id)
                .one(&txn)
                .await?
                .ok_or_else(|| Error::invalid("to_meeting_id", "no meeting has this id"))?;
            if target.id == current.id || target.group_id != current.group_id {
                return Err(Error::invalid(
                    "to_meeting_id",
                    "must be another meeting of the same group",
                ));
            }
            if status_of(&target)? != MeetingStatus::Scheduled
                || target.starts_at <= current.starts_at
            {
                return Err(Error::invalid(
                    "to_meeting_id",
                    "must be a later meeting that is still scheduled",
                ));
            }
            target
        }
        PostponeTo::NewTimes { .. } => {
            lifecycle::meeting_transition(
                status_of(&current)?,
                MeetingStatus::Postponed,
                current.starts_at,
                now(),
            )?;
            // A replacement is a new meeting, which a closed group does not get.
            ensure_group_takes_meetings(&txn, current.group_id).await?;
            let span = span.expect("validated");
            let zone: Tz = current
                .time_zone
                .parse()
                .unwrap_or(chrono_tz::Europe::London);
            let mode: MeetingMode = current.mode.parse().unwrap_or(MeetingMode::Online);
            let target = insert_meeting(
                &txn,
                current.group_id,
                current.title.clone(),
                span,
                zone,
                mode,
                (current.location.clone(), current.joining_link.clone()),
            )
            .await?;
            copy_agenda_and_invitations(&txn, current.id, target.id).await?;
            audit::record(&txn, caller, "meeting.schedule", "meeting", Some(target.id), json!({
                "group_id": target.group_id, "number": target.number, "title": target.title,
                "starts_at": target.starts_at, "ends_at": target.ends_at, "postponed_from": current.id,
            }))
            .await?;
            target
        }
    };
    let postponed = transition_in(
        &txn,
        caller,
        current,
        expected_version,
        MeetingStatus::Postponed,
        reason,
        Some(target.id),
    )
    .await?;
    txn.commit().await?;
    Ok((postponed, target))
}

/// Gives the replacement meeting the postponed meeting's agenda and invitations
/// (answers start again: people may not be free at the new time).
async fn copy_agenda_and_invitations(
    txn: &DatabaseTransaction,
    from: Uuid,
    to: Uuid,
) -> Result<()> {
    let at = now();
    let items = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(from))
        .all(txn)
        .await?;
    for item in items {
        agenda_item::ActiveModel {
            id: Set(Uuid::new_v4()),
            meeting_id: Set(to),
            version: Set(1),
            created_at: Set(at),
            updated_at: Set(at),
            ..item.into()
        }
        .insert(txn)
        .await?;
    }
    let invitations = attendance::Entity::find()
        .filter(attendance::Column::MeetingId.eq(from))
        .all(txn)
        .await?;
    for line in invitations {
        attendance::ActiveModel {
            id: Set(Uuid::new_v4()),
            meeting_id: Set(to),
            status: Set(AttendanceStatus::Invited.as_str().to_owned()),
            reason: Set(None),
            responded_at: Set(None),
            version: Set(1),
            created_at: Set(at),
            updated_at: Set(at),
            ..line.into()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

async fn transition(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    to: MeetingStatus,
    reason: Option<String>,
    postponed_to: Option<Uuid>,
) -> Result<Model> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    let model = transition_in(
        &txn,
        caller,
        current,
        expected_version,
        to,
        reason,
        postponed_to,
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// The one place a meeting's status changes.
async fn transition_in(
    txn: &DatabaseTransaction,
    caller: &Caller,
    current: Model,
    expected_version: Option<i32>,
    to: MeetingStatus,
    reason: Option<String>,
    postponed_to: Option<Uuid>,
) -> Result<Model> {
    check_version::<Entity>(expected_version, current.version)?;
    let from = status_of(&current)?;
    lifecycle::meeting_transition(from, to, current.starts_at, now())?;
    let mut next = current.clone();
    next.status = to.as_str().to_owned();
    next.status_reason = reason;
    next.postponed_to_id = postponed_to;
    if to != MeetingStatus::Held {
        // Calendar apps learn of a cancellation by a higher sequence number.
        next.schedule_sequence = current.schedule_sequence + 1;
    }
    next.updated_at = now();
    update_versioned::<Entity>(txn, current.id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    let operation = match to {
        MeetingStatus::Held => "meeting.mark_held",
        MeetingStatus::Cancelled => "meeting.cancel",
        MeetingStatus::Postponed => "meeting.postpone",
        MeetingStatus::Scheduled => "meeting.schedule",
    };
    audit::record(txn, caller, operation, "meeting", Some(current.id), json!({
        "from": from.as_str(), "to": to.as_str(), "reason": next.status_reason, "postponed_to_id": next.postponed_to_id,
    }))
    .await?;
    Ok(next)
}

/// Organisation names by id, for attendance snapshots.
pub async fn organisation_name(
    conn: &impl ConnectionTrait,
    id: Option<Uuid>,
) -> Result<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    Ok(organisation::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(|o| o.name))
}

/// Whether the audience may see items of `visibility`.
pub fn visible(visibility: &str, audience: Visibility) -> bool {
    visibility
        .parse::<Visibility>()
        .map(|v| v.visible_to(audience))
        .unwrap_or(false)
}

/// What may happen next to a meeting, as its lifecycle allows now.
#[derive(Debug, Clone, Default)]
pub struct NextSteps {
    /// Its title may change (scheduled or held).
    pub edit: bool,
    /// Its time and place may change (scheduled only).
    pub reschedule: bool,
    /// It may be cancelled or postponed (scheduled only).
    pub cancel: bool,
    /// It may be marked held (scheduled and started).
    pub mark_held: bool,
    /// Why it cannot be marked held yet, when it is scheduled but has not started.
    pub held_waits: Option<String>,
}

/// How many people stand at each point of the register.
#[derive(Debug, Clone, Default)]
pub struct RegisterCounts {
    pub invited: u64,
    pub accepted: u64,
    pub apologies: u64,
    pub no_response: u64,
    pub attended: u64,
    pub absent: u64,
}

impl RegisterCounts {
    /// Everyone on the register.
    pub fn total(&self) -> u64 {
        self.invited
            + self.accepted
            + self.apologies
            + self.no_response
            + self.attended
            + self.absent
    }
}

/// A meeting as the secretariat sees it at a glance: where it stands, how much of its
/// agenda, register, actions and note exists, and what can happen next.
#[derive(Debug, Clone)]
pub struct MeetingOverview {
    pub meeting: Model,
    pub group: group::Model,
    pub agenda_items: u64,
    pub register: RegisterCounts,
    /// Actions raised at this meeting.
    pub actions: u64,
    /// The stage of the summary note covering this meeting, if one was started.
    pub note: Option<NoteStatus>,
    /// The meeting this one was postponed to.
    pub postponed_to: Option<Model>,
    /// Meetings that were postponed to this one.
    pub postponed_from: Vec<Model>,
    pub to_confirm: PlaceToConfirm,
    pub next: NextSteps,
}

/// What the lifecycle allows a meeting now.
pub fn next_steps(model: &Model) -> Result<NextSteps> {
    let status = status_of(model)?;
    let at = now();
    let held = lifecycle::meeting_transition(status, MeetingStatus::Held, model.starts_at, at);
    Ok(NextSteps {
        edit: lifecycle::meeting_editable(status).is_ok(),
        reschedule: lifecycle::meeting_reschedulable(status).is_ok(),
        cancel: lifecycle::meeting_transition(
            status,
            MeetingStatus::Cancelled,
            model.starts_at,
            at,
        )
        .is_ok(),
        mark_held: held.is_ok(),
        held_waits: match (status, held) {
            (MeetingStatus::Scheduled, Err(refusal)) => Some(refusal.0),
            _ => None,
        },
    })
}

/// A meeting's overview for the secretariat.
pub async fn overview(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> Result<MeetingOverview> {
    caller.require_secretariat()?;
    let (meeting, group) = Entity::find_by_id(id)
        .find_also_related(group::Entity)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("meeting", id))?;
    let group = group.ok_or_else(|| Error::not_found("group", meeting.group_id))?;
    let agenda_items = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(id))
        .count(db)
        .await?;
    let statuses: Vec<String> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::Status)
        .filter(attendance::Column::MeetingId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    let mut register = RegisterCounts::default();
    for status in statuses {
        match status.parse::<AttendanceStatus>() {
            Ok(AttendanceStatus::Invited) => register.invited += 1,
            Ok(AttendanceStatus::Accepted) => register.accepted += 1,
            Ok(AttendanceStatus::Apologies) => register.apologies += 1,
            Ok(AttendanceStatus::NoResponse) => register.no_response += 1,
            Ok(AttendanceStatus::Attended) => register.attended += 1,
            Ok(AttendanceStatus::Absent) => register.absent += 1,
            Err(_) => {}
        }
    }
    let actions = action_item::Entity::find()
        .filter(action_item::Column::MeetingId.eq(id))
        .count(db)
        .await?;
    let note = summary_note::Entity::find()
        .filter(
            Condition::any()
                .add(summary_note::Column::MeetingId.eq(id))
                .add(summary_note::Column::SecondMeetingId.eq(id)),
        )
        .one(db)
        .await?
        .and_then(|n| n.status.parse::<NoteStatus>().ok());
    let postponed_to = match meeting.postponed_to_id {
        Some(to) => Entity::find_by_id(to).one(db).await?,
        None => None,
    };
    let postponed_from = Entity::find()
        .filter(Column::PostponedToId.eq(id))
        .order_by_asc(Column::StartsAt)
        .all(db)
        .await?;
    Ok(MeetingOverview {
        to_confirm: place_to_confirm(&meeting),
        next: next_steps(&meeting)?,
        meeting,
        group,
        agenda_items,
        register,
        actions,
        note,
        postponed_to,
        postponed_from,
    })
}

/// The meetings a meeting may be postponed to: the group's later meetings that are
/// still scheduled, soonest first.
pub async fn postpone_targets(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> Result<Vec<Model>> {
    caller.require_secretariat()?;
    let current = find_or_404::<Entity>(db, id).await?;
    Ok(Entity::find()
        .filter(Column::GroupId.eq(current.group_id))
        .filter(Column::Id.ne(id))
        .filter(Column::Status.eq(MeetingStatus::Scheduled.as_str()))
        .filter(Column::StartsAt.gt(current.starts_at))
        .order_by_asc(Column::StartsAt)
        .all(db)
        .await?)
}

/// Upcoming and past meetings, for the secretariat's lists.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Meetings that have not ended, soonest first.
    pub upcoming: Vec<Model>,
    /// Meetings that have ended, most recent first (at most `past_limit`).
    pub past: Vec<Model>,
    /// Whether there are more past meetings than shown.
    pub more_past: bool,
}

/// The meetings of every group, or of one group, split at the present moment.
pub async fn timeline(
    db: &DatabaseConnection,
    caller: &Caller,
    group_id: Option<Uuid>,
    past_limit: Option<u64>,
) -> Result<Timeline> {
    caller.require_secretariat()?;
    let at = now();
    let mut upcoming = Entity::find().filter(Column::EndsAt.gt(at));
    let mut past = Entity::find().filter(Column::EndsAt.lte(at));
    if let Some(group_id) = group_id {
        find_or_404::<group::Entity>(db, group_id).await?;
        upcoming = upcoming.filter(Column::GroupId.eq(group_id));
        past = past.filter(Column::GroupId.eq(group_id));
    }
    let upcoming = upcoming
        .order_by_asc(Column::StartsAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    let mut past_query = past
        .order_by_desc(Column::StartsAt)
        .order_by_desc(Column::Id);
    if let Some(limit) = past_limit {
        past_query = past_query.limit(limit + 1);
    }
    let mut past = past_query.all(db).await?;
    let more_past = past_limit.is_some_and(|limit| past.len() as u64 > limit);
    if let Some(limit) = past_limit {
        past.truncate(limit as usize);
    }
    Ok(Timeline {
        upcoming,
        past,
        more_past,
    })
}
