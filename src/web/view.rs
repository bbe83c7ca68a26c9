//! How the domain's words read on the pages: labels and tag colours for statuses,
//! roles and places, and the meeting's heading.

use chrono_tz::Tz;

use crate::domain::when;
use crate::domain::{ActionStatus, AttendanceStatus, MeetingMode, MeetingStatus};
use entity::{group, meeting};

/// A coloured label: the words and the CSS class of its colour.
#[derive(Debug, Clone)]
pub struct Tag {
    pub label: String,
    pub class: &'static str,
}

impl Tag {
    fn new(label: &str, class: &'static str) -> Self {
        Self {
            label: label.to_owned(),
            class,
        }
    }
}

/// A person's answer or attendance, as a tag.
pub fn attendance_tag(status: &str) -> Tag {
    match status.parse::<AttendanceStatus>() {
        Ok(AttendanceStatus::Invited) => Tag::new("Not answered yet", "tag-yellow"),
        Ok(AttendanceStatus::Accepted) => Tag::new("Attending", "tag-green"),
        Ok(AttendanceStatus::Apologies) => Tag::new("Apologies", "tag-grey"),
        Ok(AttendanceStatus::NoResponse) => Tag::new("No response", "tag-grey"),
        Ok(AttendanceStatus::Attended) => Tag::new("Attended", "tag-green"),
        Ok(AttendanceStatus::Absent) => Tag::new("Absent", "tag-grey"),
        Err(_) => Tag::new(status, "tag-grey"),
    }
}

/// An action's status, as a tag.
pub fn action_tag(status: &str) -> Tag {
    match status.parse::<ActionStatus>() {
        Ok(ActionStatus::Open) => Tag::new("Open", "tag-yellow"),
        Ok(ActionStatus::InProgress) => Tag::new("In progress", ""),
        Ok(ActionStatus::Done) => Tag::new("Done", "tag-green"),
        Ok(ActionStatus::Dropped) => Tag::new("Dropped", "tag-grey"),
        Err(_) => Tag::new(status, "tag-grey"),
    }
}

/// A meeting that is not simply going ahead, as a tag.
pub fn meeting_status_tag(status: &str) -> Option<Tag> {
    match status.parse::<MeetingStatus>() {
        Ok(MeetingStatus::Cancelled) => Some(Tag::new("Cancelled", "tag-red")),
        Ok(MeetingStatus::Postponed) => Some(Tag::new("Postponed", "tag-red")),
        _ => None,
    }
}

/// A role at a meeting, in words.
pub fn role_label(role: &str) -> String {
    match role {
        "co_chair" => "Co-chair".into(),
        "co_opted" => "Co-opted member".into(),
        other => sentence_case(&other.replace('_', " ")),
    }
}

/// The first letter in capitals.
pub fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A message from a service, made to read as a sentence on a page: capital first
/// letter, API field names in backticks unquoted, a full stop at the end.
pub fn sentence(message: &str) -> String {
    let mut text = sentence_case(&message.replace('`', ""));
    if !text.ends_with(['.', '?', '!']) {
        text.push('.');
    }
    text
}

/// The meeting's zone, falling back to London for a zone the database no longer
/// knows (it was checked when stored).
pub fn zone_of(meeting: &meeting::Model) -> Tz {
    meeting
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::London)
}

/// "Thursday 12 March 2026, 10:00–12:00 GMT", in the meeting's zone.
pub fn meeting_when(meeting: &meeting::Model) -> String {
    when::format_meeting_time(meeting.starts_at, meeting.ends_at, zone_of(meeting))
}

/// "12 March 2026", the meeting's day in its zone.
pub fn meeting_day(meeting: &meeting::Model) -> String {
    when::format_date(
        meeting
            .starts_at
            .with_timezone(&zone_of(meeting))
            .date_naive(),
    )
}

/// The day something was published, in the meeting's zone: "3 March 2026".
pub fn published_day(at: chrono::DateTime<chrono::Utc>, meeting: &meeting::Model) -> String {
    when::format_date(at.with_timezone(&zone_of(meeting)).date_naive())
}

/// "48 KB": a download's size for people.
pub fn file_size(bytes: i32) -> String {
    let bytes = bytes.max(0) as f64;
    if bytes < 1024.0 * 1024.0 {
        format!("{} KB", (bytes / 1024.0).ceil().max(1.0))
    } else {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    }
}

/// How to get there, in one line for lists.
pub fn meeting_place(meeting: &meeting::Model) -> String {
    match meeting.mode.parse::<MeetingMode>() {
        Ok(MeetingMode::Online) => "Online: the joining link is on the meeting page".into(),
        Ok(MeetingMode::InPerson) => format!(
            "In person at {}",
            meeting
                .location
                .as_deref()
                .unwrap_or("a place to be confirmed")
        ),
        Ok(MeetingMode::Hybrid) => format!(
            "In person at {}, or online",
            meeting
                .location
                .as_deref()
                .unwrap_or("a place to be confirmed")
        ),
        Err(_) => meeting.mode.clone(),
    }
}

/// "Future Regime Design SIG, meeting 5".
pub fn meeting_caption(group: &group::Model, meeting: &meeting::Model) -> String {
    format!("{}, meeting {}", group.name, meeting.number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_messages_read_as_sentences() {
        assert_eq!(
            sentence("say why the action is dropped (a `note`)"),
            "Say why the action is dropped (a note)."
        );
        assert_eq!(sentence("Done."), "Done.");
    }

    #[test]
    fn roles_read_in_words() {
        assert_eq!(role_label("co_chair"), "Co-chair");
        assert_eq!(role_label("official"), "Official");
    }
}
