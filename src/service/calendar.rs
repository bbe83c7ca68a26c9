//! Calendar files for meetings: gathering a meeting (its group, the agenda the
//! reader may see, the register, the secretariat as organizer) into a
//! [`MeetingEvent`] for the pure renderer in [`crate::calendar`], and the personal
//! feeds that calendar apps subscribe to at a secret address.
//!
//! Every file is rendered with a DTSTAMP taken from the data (the latest change to
//! anything it shows), never the clock, so the same data always gives the same bytes
//! and the same `ETag`.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::{Caller, generate_feed_secret, hash_secret};
use crate::calendar::{
    Attendee, AttendeeRole, Contact, EventStatus, FEED_CONTENT_TYPE, MeetingEvent, PartStat,
    invite_content_type, render_feed, render_invite,
};
use crate::domain::values::now;
use crate::domain::{
    AttendanceRole, AttendanceStatus, MeetingStatus, OrganisationKind, Visibility,
};
use crate::service::access::{audience_of, ensure_can_read_group};
use crate::service::meetings::{self, visible};
use crate::service::{audit, begin_write, find_or_404};
use crate::{Error, Result};
use entity::{agenda_item, attendance, calendar_feed, group, meeting, organisation, person};

/// A rendered calendar file, ready to send.
#[derive(Debug, Clone)]
pub struct CalendarFile {
    pub body: String,
    pub content_type: &'static str,
    /// A readable file name, e.g. `2026-03-12-frd-meeting-5.ics`.
    pub file_name: String,
}

/// The organizer of every invitation: the secretariat. That is the first
/// organisation of kind `secretariat` (the oldest), with the address of the first
/// person recorded in it who has an email address. With none, invitations are plain
/// calendar entries (no METHOD, no attendees), since a scheduling message needs an
/// organizer.
pub async fn organizer(conn: &impl ConnectionTrait) -> Result<Option<Contact>> {
    let Some(secretariat) = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(OrganisationKind::Secretariat.as_str()))
        .order_by_asc(organisation::Column::CreatedAt)
        .order_by_asc(organisation::Column::Id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let contact = person::Entity::find()
        .filter(person::Column::OrganisationId.eq(secretariat.id))
        .filter(person::Column::Email.is_not_null())
        .order_by_asc(person::Column::CreatedAt)
        .order_by_asc(person::Column::Id)
        .one(conn)
        .await?;
    Ok(contact.and_then(|p| {
        p.email.map(|email| Contact {
            name: secretariat.name.clone(),
            email,
        })
    }))
}

/// How each attendance answer reads in a calendar.
fn partstat(status: &str) -> PartStat {
    match status.parse::<AttendanceStatus>() {
        Ok(AttendanceStatus::Accepted | AttendanceStatus::Attended) => PartStat::Accepted,
        Ok(AttendanceStatus::Apologies) => PartStat::Declined,
        _ => PartStat::NeedsAction,
    }
}

/// How each part at a meeting reads in a calendar.
fn attendee_role(role: &str) -> AttendeeRole {
    match role.parse::<AttendanceRole>() {
        Ok(AttendanceRole::Chair | AttendanceRole::CoChair) => AttendeeRole::Chair,
        Ok(AttendanceRole::Observer | AttendanceRole::Guest) => AttendeeRole::OptParticipant,
        _ => AttendeeRole::ReqParticipant,
    }
}

/// The agenda and joining details as calendar description text.
fn description(meeting: &meeting::Model, agenda: &[&agenda_item::Model]) -> String {
    let mut text = meeting.title.clone();
    match meeting.status.parse::<MeetingStatus>() {
        Ok(MeetingStatus::Cancelled) => {
            text.push_str("\n\nThis meeting has been cancelled.");
            if let Some(reason) = &meeting.status_reason {
                text.push_str(&format!(" {reason}"));
            }
        }
        Ok(MeetingStatus::Postponed) => {
            text.push_str("\n\nThis meeting has been postponed.");
            if let Some(reason) = &meeting.status_reason {
                text.push_str(&format!(" {reason}"));
            }
        }
        _ => {}
    }
    if !agenda.is_empty() {
        text.push_str("\n\nAgenda:");
        for (index, item) in agenda.iter().enumerate() {
            text.push_str(&format!("\n{}. {}", index + 1, item.title));
            let mut extra = Vec::new();
            if let Some(presenter) = &item.presenter_text {
                extra.push(presenter.clone());
            }
            if let Some(minutes) = item.duration_minutes {
                extra.push(format!("{minutes} min"));
            }
            if !extra.is_empty() {
                text.push_str(&format!(" ({})", extra.join(", ")));
            }
        }
    }
    text
}

/// Which attendees an invitation names.
enum Attendees<'a> {
    /// Everyone on the register (the secretariat's copy).
    All(&'a [meetings::RegisterLine]),
    /// Only this person: members do not see each other's email addresses.
    Only(&'a [meetings::RegisterLine], Option<Uuid>),
    /// None: feeds never list attendees.
    None,
}

fn event(
    meeting: &meeting::Model,
    group: &group::Model,
    agenda: &[&agenda_item::Model],
    attendees: Attendees<'_>,
    organizer: Option<Contact>,
) -> MeetingEvent {
    let status = match meeting.status.parse::<MeetingStatus>() {
        Ok(MeetingStatus::Cancelled | MeetingStatus::Postponed) => EventStatus::Cancelled,
        _ => EventStatus::Confirmed,
    };
    let lines: Vec<Attendee> = match attendees {
        Attendees::None => Vec::new(),
        Attendees::All(register) => register.iter().map(|l| attendee(l, true)).collect(),
        Attendees::Only(register, me) => register
            .iter()
            .map(|l| attendee(l, Some(l.person.id) == me))
            .collect(),
    };
    MeetingEvent {
        uid: format!("{}@minutebook", meeting.id),
        sequence: meeting.schedule_sequence,
        status,
        summary: format!(
            "{} meeting {}: {}",
            group.name, meeting.number, meeting.title
        ),
        starts_at: meeting.starts_at,
        ends_at: meeting.ends_at,
        time_zone: meeting
            .time_zone
            .parse::<Tz>()
            .unwrap_or(chrono_tz::Europe::London),
        location: meeting.location.clone(),
        joining_link: meeting.joining_link.clone(),
        description: description(meeting, agenda),
        organizer,
        attendees: lines,
        created: meeting.created_at,
        last_modified: meeting.updated_at,
    }
}

fn attendee(line: &meetings::RegisterLine, with_email: bool) -> Attendee {
    Attendee {
        name: line.person.name.clone(),
        email: line.person.email.clone().filter(|_| with_email),
        partstat: partstat(&line.attendance.status),
        role: attendee_role(&line.attendance.role),
    }
}

/// Lower-case words joined by hyphens, for file names.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// The latest of a set of change times: the DTSTAMP that stays put while nothing
/// changes.
fn latest(times: impl IntoIterator<Item = DateTime<Utc>>) -> DateTime<Utc> {
    times.into_iter().max().unwrap_or(DateTime::UNIX_EPOCH)
}

/// Agenda items of these meetings that `audience` may see, by meeting, in order.
async fn agendas(
    conn: &impl ConnectionTrait,
    meeting_ids: Vec<Uuid>,
    audience: Visibility,
) -> Result<HashMap<Uuid, Vec<agenda_item::Model>>> {
    let mut by_meeting: HashMap<Uuid, Vec<agenda_item::Model>> = HashMap::new();
    if meeting_ids.is_empty() {
        return Ok(by_meeting);
    }
    let items = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.is_in(meeting_ids))
        .order_by_asc(agenda_item::Column::Position)
        .all(conn)
        .await?;
    for item in items {
        if visible(&item.visibility, audience) {
            by_meeting.entry(item.meeting_id).or_default().push(item);
        }
    }
    Ok(by_meeting)
}

/// The invitation for one meeting: the secretariat, or a member of its group.
pub async fn invite(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<CalendarFile> {
    let meeting = meetings::get(db, caller, meeting_id).await?;
    let group = find_or_404::<group::Entity>(db, meeting.group_id).await?;
    let audience = audience_of(caller);
    let agenda = agendas(db, vec![meeting.id], audience).await?;
    let agenda: Vec<&agenda_item::Model> = agenda.get(&meeting.id).into_iter().flatten().collect();
    let register = meetings::register(db, meeting.id).await?;
    let attendees = if caller.is_secretariat() {
        Attendees::All(&register)
    } else {
        Attendees::Only(&register, caller.member_person())
    };
    let stamp = latest(
        [meeting.updated_at, group.updated_at]
            .into_iter()
            .chain(agenda.iter().map(|i| i.updated_at))
            .chain(register.iter().map(|l| l.attendance.updated_at))
            .chain(register.iter().map(|l| l.person.updated_at)),
    );
    let event = event(&meeting, &group, &agenda, attendees, organizer(db).await?);
    Ok(CalendarFile {
        body: render_invite(&event, stamp),
        content_type: invite_content_type(&event),
        file_name: format!(
            "{}-{}-meeting-{}.ics",
            meeting.starts_at.format("%Y-%m-%d"),
            slug(&group.short_name),
            meeting.number
        ),
    })
}

/// Renders a feed of `meetings` (in time order) for `audience`.
async fn feed(
    conn: &impl ConnectionTrait,
    name: &str,
    meetings: Vec<meeting::Model>,
    audience: Visibility,
) -> Result<String> {
    let group_ids: Vec<Uuid> = meetings.iter().map(|m| m.group_id).collect();
    let groups: HashMap<Uuid, group::Model> = if group_ids.is_empty() {
        HashMap::new()
    } else {
        group::Entity::find()
            .filter(group::Column::Id.is_in(group_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|g| (g.id, g))
            .collect()
    };
    let agendas = agendas(conn, meetings.iter().map(|m| m.id).collect(), audience).await?;
    let organizer = organizer(conn).await?;
    let mut events = Vec::with_capacity(meetings.len());
    let mut stamps = Vec::new();
    for meeting in &meetings {
        let Some(group) = groups.get(&meeting.group_id) else {
            continue;
        };
        let agenda: Vec<&agenda_item::Model> =
            agendas.get(&meeting.id).into_iter().flatten().collect();
        stamps.push(meeting.updated_at);
        stamps.push(group.updated_at);
        stamps.extend(agenda.iter().map(|i| i.updated_at));
        events.push(event(
            meeting,
            group,
            &agenda,
            Attendees::None,
            organizer.clone(),
        ));
    }
    Ok(render_feed(name, &events, latest(stamps)))
}

/// A group's meetings as a feed: the secretariat, or a member of the group.
pub async fn group_feed(
    db: &DatabaseConnection,
    caller: &Caller,
    group_id: Uuid,
) -> Result<CalendarFile> {
    let group = find_or_404::<group::Entity>(db, group_id).await?;
    ensure_can_read_group(db, caller, group_id).await?;
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::GroupId.eq(group_id))
        .order_by_asc(meeting::Column::StartsAt)
        .order_by_asc(meeting::Column::Id)
        .all(db)
        .await?;
    let body = feed(db, &group.name, meetings, audience_of(caller)).await?;
    Ok(CalendarFile {
        body,
        content_type: FEED_CONTENT_TYPE,
        file_name: format!("{}-meetings.ics", slug(&group.short_name)),
    })
}

/// A personal feed just issued: its secret is shown this once.
pub struct IssuedFeed {
    pub feed: calendar_feed::Model,
    pub secret: String,
}

fn ensure_self_or_secretariat(caller: &Caller, person_id: Uuid) -> Result<()> {
    if caller.is_secretariat() || caller.member_person() == Some(person_id) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "members may manage only their own calendar feed",
        ))
    }
}

/// Issues a personal feed for `person_id` and revokes any earlier one, so that a
/// person has one working address at a time: issuing again is how a leaked address
/// is replaced.
pub async fn issue_feed(
    db: &DatabaseConnection,
    caller: &Caller,
    person_id: Uuid,
) -> Result<IssuedFeed> {
    ensure_self_or_secretariat(caller, person_id)?;
    let txn = begin_write(db).await?;
    find_or_404::<person::Entity>(&txn, person_id).await?;
    let at = now();
    let earlier = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::PersonId.eq(person_id))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .all(&txn)
        .await?;
    for old in &earlier {
        calendar_feed::Entity::update_many()
            .col_expr(calendar_feed::Column::RevokedAt, Expr::value(at))
            .filter(calendar_feed::Column::Id.eq(old.id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            caller,
            "calendar_feed.revoke",
            "calendar_feed",
            Some(old.id),
            json!({
                "person_id": person_id, "replaced": true,
            }),
        )
        .await?;
    }
    let secret = generate_feed_secret();
    let feed = calendar_feed::ActiveModel {
        id: Set(Uuid::new_v4()),
        person_id: Set(person_id),
        token_hash: Set(hash_secret(&secret)),
        created_at: Set(at),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        caller,
        "calendar_feed.issue",
        "calendar_feed",
        Some(feed.id),
        json!({
            "person_id": person_id, "revoked": earlier.iter().map(|f| f.id).collect::<Vec<_>>(),
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(IssuedFeed { feed, secret })
}

/// The person's working feed, if they have one (its secret is not kept, so only
/// that it exists and since when).
pub async fn active_feed(
    db: &DatabaseConnection,
    caller: &Caller,
    person_id: Uuid,
) -> Result<Option<calendar_feed::Model>> {
    ensure_self_or_secretariat(caller, person_id)?;
    Ok(calendar_feed::Entity::find()
        .filter(calendar_feed::Column::PersonId.eq(person_id))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .one(db)
        .await?)
}

/// Revokes a personal feed: the secretariat, or the person it belongs to. Its
/// address answers 410 from then on. Revoking twice is harmless.
pub async fn revoke_feed(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<()> {
    let txn = begin_write(db).await?;
    let feed = calendar_feed::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found("calendar feed", id))?;
    if ensure_self_or_secretariat(caller, feed.person_id).is_err() {
        // Someone else's feed: as far as this caller knows, it does not exist.
        return Err(Error::not_found("calendar feed", id));
    }
    if feed.revoked_at.is_none() {
        calendar_feed::Entity::update_many()
            .col_expr(calendar_feed::Column::RevokedAt, Expr::value(now()))
            .filter(calendar_feed::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            caller,
            "calendar_feed.revoke",
            "calendar_feed",
            Some(id),
            json!({
                "person_id": feed.person_id,
            }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// How stale `last_used_at` may get before a fetch refreshes it (calendar apps poll
/// often; a write per poll is not worth it).
const LAST_USED_PRECISION: Duration = Duration::seconds(60);

/// The feed behind a secret address: every meeting the person is on the register
/// for, cancelled ones included (marked cancelled), with the agenda members may see.
/// No bearer token: the secret in the address is the credential.
pub async fn personal_feed(db: &DatabaseConnection, secret: &str) -> Result<CalendarFile> {
    let feed = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(hash_secret(secret.trim())))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("calendar feed", "at this address"))?;
    if feed.revoked_at.is_some() {
        return Err(Error::Gone(
            "this calendar feed has been revoked; ask for a new address".into(),
        ));
    }
    let at = now();
    if feed
        .last_used_at
        .is_none_or(|last| at - last > LAST_USED_PRECISION)
    {
        calendar_feed::Entity::update_many()
            .col_expr(calendar_feed::Column::LastUsedAt, Expr::value(at))
            .filter(calendar_feed::Column::Id.eq(feed.id))
            .exec(db)
            .await?;
    }
    let person = find_or_404::<person::Entity>(db, feed.person_id).await?;
    let meeting_ids: Vec<Uuid> = attendance::Entity::find()
        .filter(attendance::Column::PersonId.eq(person.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.meeting_id)
        .collect();
    let meetings = if meeting_ids.is_empty() {
        Vec::new()
    } else {
        meeting::Entity::find()
            .filter(meeting::Column::Id.is_in(meeting_ids))
            .order_by_asc(meeting::Column::StartsAt)
            .order_by_asc(meeting::Column::Id)
            .all(db)
            .await?
    };
    let name = format!("Meetings for {}", person.name);
    let body = feed_for_person(db, &name, meetings).await?;
    Ok(CalendarFile {
        body,
        content_type: FEED_CONTENT_TYPE,
        file_name: "meetings.ics".into(),
    })
}

async fn feed_for_person(
    conn: &impl ConnectionTrait,
    name: &str,
    meetings: Vec<meeting::Model>,
) -> Result<String> {
    // A personal feed may be opened by anyone who has the address, so it shows what
    // members see and never secretariat-only agenda items.
    feed(conn, name, meetings, Visibility::Members).await
}

/// Personal calendar feeds that still work, newest first; secretariat only.
pub async fn list_feeds(
    db: &DatabaseConnection,
    caller: &Caller,
    page: &crate::service::page::PageParams,
) -> Result<crate::service::page::Page<calendar_feed::Model>> {
    caller.require_secretariat()?;
    crate::service::page::fetch_page_ordered(
        db,
        calendar_feed::Entity::find().filter(calendar_feed::Column::RevokedAt.is_null()),
        Expr::col(calendar_feed::Column::CreatedAt),
        calendar_feed::Column::Id,
        sea_orm::Order::Desc,
        page,
        |feed| (feed.created_at, feed.id),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_lower_case_words_joined_by_hyphens() {
        assert_eq!(slug("FRD SIG"), "frd-sig");
        assert_eq!(slug("RR3"), "rr3");
        assert_eq!(slug("  Probation / Reform! "), "probation-reform");
    }

    #[test]
    fn apologies_decline_and_observers_are_optional() {
        assert_eq!(partstat("apologies"), PartStat::Declined);
        assert_eq!(partstat("accepted"), PartStat::Accepted);
        assert_eq!(partstat("attended"), PartStat::Accepted);
        assert_eq!(partstat("invited"), PartStat::NeedsAction);
        assert_eq!(attendee_role("chair"), AttendeeRole::Chair);
        assert_eq!(attendee_role("official"), AttendeeRole::ReqParticipant);
        assert_eq!(attendee_role("guest"), AttendeeRole::OptParticipant);
    }
}
