//! Calendar files for meetings: the invitation a member adds to their calendar
//! (`GET /meetings/{id}/invite.ics`) and the feed a member subscribes to for a
//! group's meetings (`GET /groups/{id}/calendar.ics`).
//!
//! Rendering is pure: the caller gathers the meeting (title, times, place,
//! agenda lines, attendance) into a [`MeetingEvent`], and the functions here
//! turn it into iCalendar text (RFC 5545, with the scheduling methods of
//! RFC 5546). The same input always gives the same bytes, so responses can
//! carry a stable `ETag`.
//!
//! Times are written in the meeting's own zone (`DTSTART;TZID=Europe/London:…`)
//! with a matching VTIMEZONE, so a 10:00 meeting reads 10:00 in London on
//! either side of the clock changes and calendar clients show the meeting's
//! zone; see the `zone` module for the rare cases written in UTC instead.

mod lines;
mod zone;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use lines::{Lines, Param};
use zone::{ZonePlan, format_utc};

/// `PRODID` of every calendar file minutebook writes.
pub const PRODUCT_ID: &str = "-//minutebook//minutebook//EN";

/// Media type of a group's or person's calendar feed ([`render_feed`]).
pub const FEED_CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// A meeting as it goes into a calendar file.
///
/// The caller builds the words (summary, agenda lines) and decides the status;
/// this module only writes them out.
#[derive(Debug, Clone)]
pub struct MeetingEvent {
    /// Identifies the meeting in people's calendars for its whole life, e.g.
    /// `"<meeting uuid>@minutebook"`. Every update or cancellation must carry
    /// the same UID, or clients add a second entry instead of changing the
    /// first.
    pub uid: String,
    /// Revision of the meeting's calendar entry. The service raises it on every
    /// reschedule, change of place and cancellation; clients ignore an update
    /// whose sequence is not higher than the one they hold. Negative values are
    /// written as 0.
    pub sequence: i32,
    /// Whether the meeting goes ahead or has been cancelled.
    pub status: EventStatus,
    /// Title shown in calendars, e.g. "FRD SIG meeting 5: Future regime
    /// design — sentencing".
    pub summary: String,
    /// Start of the meeting.
    pub starts_at: DateTime<Utc>,
    /// End of the meeting. If it is not after the start, no end is written and
    /// calendars show the meeting as starting at `starts_at`.
    pub ends_at: DateTime<Utc>,
    /// The meeting's IANA time zone (minutebook's default is Europe/London);
    /// it decides how the times read in calendars.
    pub time_zone: Tz,
    /// Where the meeting is held, for in-person and hybrid meetings.
    pub location: Option<String>,
    /// Link to join online. It is written as the entry's URL, added to the
    /// description, and used as the location when there is no place.
    pub joining_link: Option<String>,
    /// Agenda lines and other notes, one per line, built by the caller.
    pub description: String,
    /// Who sends the invitation: the group's secretariat. Without one (or
    /// without a usable email address) an invitation cannot be a scheduling
    /// message, and is written as a plain calendar entry instead.
    pub organizer: Option<Contact>,
    /// People invited: members, officials, guests. Only invitations list them;
    /// anyone without an email address is left out, since a calendar attendee
    /// is an email address.
    pub attendees: Vec<Attendee>,
    /// When the meeting was first recorded.
    pub created: DateTime<Utc>,
    /// When the meeting was last changed.
    pub last_modified: DateTime<Utc>,
}

/// Whether a meeting goes ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    /// Scheduled (or already held): `STATUS:CONFIRMED`.
    Confirmed,
    /// Cancelled or postponed to another meeting: `STATUS:CANCELLED`, which
    /// makes calendars remove or strike out the entry.
    Cancelled,
}

/// A named person with an email address, such as the secretariat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Name shown in calendars, e.g. "RR3 secretariat".
    pub name: String,
    /// Email address; replies to an invitation go here.
    pub email: String,
}

/// Someone invited to a meeting, with their answer so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    /// Name shown in calendars.
    pub name: String,
    /// Email address; attendees without one are not listed.
    pub email: Option<String>,
    /// Their answer: accepted, sent apologies (declined), and so on.
    pub partstat: PartStat,
    /// Their part in the meeting.
    pub role: AttendeeRole,
}

/// An attendee's answer to an invitation (`PARTSTAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartStat {
    /// Invited, no answer yet (and no response recorded).
    NeedsAction,
    /// Accepted.
    Accepted,
    /// Sent apologies.
    Declined,
    /// Might attend.
    Tentative,
}

/// An attendee's part in a meeting (`ROLE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendeeRole {
    /// Chairs the meeting.
    Chair,
    /// Expected to attend: members, co-opted experts, presenting officials.
    ReqParticipant,
    /// Welcome to attend: observers.
    OptParticipant,
    /// Kept informed but not attending, such as a minute-taker's copy.
    NonParticipant,
}

impl PartStat {
    fn as_ical(self) -> &'static str {
        match self {
            PartStat::NeedsAction => "NEEDS-ACTION",
            PartStat::Accepted => "ACCEPTED",
            PartStat::Declined => "DECLINED",
            PartStat::Tentative => "TENTATIVE",
        }
    }
}

impl AttendeeRole {
    fn as_ical(self) -> &'static str {
        match self {
            AttendeeRole::Chair => "CHAIR",
            AttendeeRole::ReqParticipant => "REQ-PARTICIPANT",
            AttendeeRole::OptParticipant => "OPT-PARTICIPANT",
            AttendeeRole::NonParticipant => "NON-PARTICIPANT",
        }
    }
}

/// The invitation for one meeting, as an iCalendar object with one VEVENT.
///
/// With an organizer it is an RFC 5546 scheduling message: `METHOD:REQUEST`
/// for a meeting that goes ahead (sent again, with a higher sequence, after a
/// change) and `METHOD:CANCEL` with `STATUS:CANCELLED` for a cancelled one, and
/// it lists the attendees with their answers. Without an organizer it is a
/// plain calendar entry with no METHOD and no attendees, since RFC 5546 needs
/// an organizer for every scheduling method.
///
/// `now` becomes the DTSTAMP, the moment this file was produced.
#[must_use]
pub fn render_invite(event: &MeetingEvent, now: DateTime<Utc>) -> String {
    let organizer = usable_organizer(event);
    let method = invite_method(event);
    let zones = ZonePlan::new([(event.time_zone, instants(event).as_slice())]);

    let mut lines = Lines::default();
    lines.begin("VCALENDAR");
    write_calendar_header(&mut lines, method);
    zones.write_vtimezones(&mut lines);
    write_event(
        &mut lines,
        event,
        now,
        &zones,
        &EventParts {
            organizer,
            attendees: method.is_some(),
            mark_cancelled_in_summary: false,
        },
    );
    lines.end("VCALENDAR");
    lines.finish()
}

/// The `Content-Type` for an invitation from [`render_invite`]: the calendar
/// media type with the same `method` parameter as the file, which mail and
/// calendar clients use to recognise a meeting request or cancellation.
#[must_use]
pub fn invite_content_type(event: &MeetingEvent) -> &'static str {
    match invite_method(event) {
        Some("REQUEST") => "text/calendar; charset=utf-8; method=REQUEST",
        Some(_) => "text/calendar; charset=utf-8; method=CANCEL",
        None => FEED_CONTENT_TYPE,
    }
}

/// A subscribable calendar of meetings: a group's meetings, or a person's.
///
/// `name` is what calendar clients call the subscription, e.g. "RR3 Future
/// Regime Design SIG". The feed is `METHOD:PUBLISH` with one VEVENT per
/// meeting, in the order given, and asks clients to refresh hourly. Cancelled
/// meetings stay in the feed with `STATUS:CANCELLED` (and "Cancelled: " before
/// the title, for clients that show cancelled entries as if nothing happened),
/// so subscribers see the cancellation rather than a silent disappearance.
///
/// Following RFC 5546 for published calendars, entries name the organizer but
/// not the attendees, which also keeps members' email addresses out of a feed
/// that may be shared by link.
///
/// `now` becomes every entry's DTSTAMP. The clock changes the bytes on every
/// request, so for a feed served with an `ETag` pass a time that moves only
/// when the content does, such as the latest `last_modified` of the meetings.
#[must_use]
pub fn render_feed(name: &str, events: &[MeetingEvent], now: DateTime<Utc>) -> String {
    let all_instants: Vec<Vec<DateTime<Utc>>> = events.iter().map(instants).collect();
    let zones = ZonePlan::new(
        events
            .iter()
            .zip(&all_instants)
            .map(|(event, instants)| (event.time_zone, instants.as_slice())),
    );

    let mut lines = Lines::default();
    lines.begin("VCALENDAR");
    write_calendar_header(&mut lines, Some("PUBLISH"));
    // NAME is the RFC 7986 property; X-WR-CALNAME and X-WR-TIMEZONE are what
    // Apple, Google and Outlook read.
    lines.text("NAME", &[], name);
    lines.text("X-WR-CALNAME", &[], name);
    if let Some(tz) = zones.only_zone() {
        lines.text("X-WR-TIMEZONE", &[], tz.name());
    }
    lines.raw(
        "REFRESH-INTERVAL",
        &[Param::new("VALUE", "DURATION")],
        "PT1H",
    );
    lines.raw("X-PUBLISHED-TTL", &[], "PT1H");
    zones.write_vtimezones(&mut lines);
    for event in events {
        write_event(
            &mut lines,
            event,
            now,
            &zones,
            &EventParts {
                organizer: usable_organizer(event),
                attendees: false,
                mark_cancelled_in_summary: true,
            },
        );
    }
    lines.end("VCALENDAR");
    lines.finish()
}

/// The RFC 5546 method of a meeting's invitation, if it can be a scheduling
/// message at all.
fn invite_method(event: &MeetingEvent) -> Option<&'static str> {
    usable_organizer(event)?;
    Some(match event.status {
        EventStatus::Confirmed => "REQUEST",
        EventStatus::Cancelled => "CANCEL",
    })
}

/// The organizer, with the `mailto:` address it is written with, when there is
/// one with a usable email address.
fn usable_organizer(event: &MeetingEvent) -> Option<(&Contact, String)> {
    let contact = event.organizer.as_ref()?;
    Some((contact, mailto(&contact.email)?))
}

/// The instants of a meeting that are written in its zone.
fn instants(event: &MeetingEvent) -> Vec<DateTime<Utc>> {
    vec![event.starts_at, event.ends_at]
}

/// Which optional parts of a VEVENT to write.
struct EventParts<'a> {
    organizer: Option<(&'a Contact, String)>,
    attendees: bool,
    mark_cancelled_in_summary: bool,
}

fn write_calendar_header(lines: &mut Lines, method: Option<&str>) {
    lines.text("PRODID", &[], PRODUCT_ID);
    lines.raw("VERSION", &[], "2.0");
    lines.raw("CALSCALE", &[], "GREGORIAN");
    if let Some(method) = method {
        lines.raw("METHOD", &[], method);
    }
}

fn write_event(
    lines: &mut Lines,
    event: &MeetingEvent,
    now: DateTime<Utc>,
    zones: &ZonePlan,
    parts: &EventParts<'_>,
) {
    let cancelled = event.status == EventStatus::Cancelled;
    lines.begin("VEVENT");
    lines.text("UID", &[], &event.uid);
    lines.raw("DTSTAMP", &[], &format_utc(now));
    lines.raw("SEQUENCE", &[], &event.sequence.max(0).to_string());
    lines.raw(
        "STATUS",
        &[],
        if cancelled { "CANCELLED" } else { "CONFIRMED" },
    );

    let summary = if cancelled
        && parts.mark_cancelled_in_summary
        && !event.summary.to_lowercase().starts_with("cancelled")
    {
        format!("Cancelled: {}", event.summary)
    } else {
        event.summary.clone()
    };
    lines.text("SUMMARY", &[], &summary);

    zones.write_time(lines, "DTSTART", event.starts_at, event.time_zone);
    if event.ends_at > event.starts_at {
        zones.write_time(lines, "DTEND", event.ends_at, event.time_zone);
    }

    let link = event
        .joining_link
        .as_deref()
        .map(str::trim)
        .filter(|link| !link.is_empty());
    let place = event
        .location
        .as_deref()
        .map(str::trim)
        .filter(|place| !place.is_empty());
    if let Some(location) = place.or(link) {
        lines.text("LOCATION", &[], location);
    }
    if let Some(link) = link {
        lines.uri("URL", &[], link);
    }
    let description = description_with_link(&event.description, link);
    if !description.is_empty() {
        lines.text("DESCRIPTION", &[], &description);
    }

    if let Some((contact, address)) = &parts.organizer {
        lines.uri("ORGANIZER", &name_param(&contact.name), address);
    }
    if parts.attendees {
        write_attendees(lines, &event.attendees);
    }

    lines.raw("CREATED", &[], &format_utc(event.created));
    lines.raw("LAST-MODIFIED", &[], &format_utc(event.last_modified));
    // A cancelled meeting no longer makes anyone busy.
    lines.raw(
        "TRANSP",
        &[],
        if cancelled { "TRANSPARENT" } else { "OPAQUE" },
    );
    lines.end("VEVENT");
}

fn write_attendees(lines: &mut Lines, attendees: &[Attendee]) {
    let mut seen: Vec<String> = Vec::new();
    for attendee in attendees {
        let Some(address) = attendee.email.as_deref().and_then(mailto) else {
            continue;
        };
        // Someone listed twice (say, as member and as presenter) would get
        // two answer buttons for one meeting.
        let key = address.to_lowercase();
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);

        let mut params = name_param(&attendee.name);
        params.push(Param::new("ROLE", attendee.role.as_ical()));
        params.push(Param::new("PARTSTAT", attendee.partstat.as_ical()));
        // Answers are recorded in minutebook, not collected by email replies.
        params.push(Param::new("RSVP", "FALSE"));
        lines.uri("ATTENDEE", &params, &address);
    }
}

/// `CN="<name>"`, or nothing for a blank name.
fn name_param(name: &str) -> Vec<Param<'_>> {
    let name = name.trim();
    if name.is_empty() {
        Vec::new()
    } else {
        vec![Param::quoted("CN", name)]
    }
}

/// `mailto:<address>` for something that looks like one email address, or
/// `None`. Anything with spaces, quotes or separators is refused rather than
/// written into a calendar address.
fn mailto(email: &str) -> Option<String> {
    let email = email.trim();
    let (local, domain) = email.split_once('@')?;
    let plausible = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"<>()[],;:\\".contains(c));
    plausible.then(|| format!("mailto:{email}"))
}

/// The caller's description with the joining link added on its own line,
/// unless the description already gives it.
fn description_with_link(description: &str, link: Option<&str>) -> String {
    let description = description.trim_end();
    match link {
        Some(link) if !description.contains(link) => {
            if description.is_empty() {
                format!("Join online: {link}")
            } else {
                format!("{description}\n\nJoin online: {link}")
            }
        }
        _ => description.to_owned(),
    }
}
