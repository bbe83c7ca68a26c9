//! What a summary note document says, ready to be rendered.
//!
//! These types carry exactly what appears on the page. Choosing what a given
//! audience may see (agenda item visibility, attribution of discussion points)
//! happens before a `NoteDocument` is built: the renderer shows everything it
//! is given.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// Everything needed to render one summary note as a Word document.
#[derive(Debug, Clone)]
pub struct NoteDocument {
    /// The group's full name, e.g. "Future Regime Design SIG".
    pub group_name: String,
    /// The group's short name used in references, e.g. "FRD".
    pub group_short_name: String,
    /// Whether this is the main advisory group or a special interest group.
    pub group_kind: GroupKind,
    /// The meeting or meetings the note covers, in order: usually one, two
    /// when a single note covers consecutive meetings.
    pub meetings: Vec<MeetingDetails>,
    /// Whether every meeting the note covers has taken place. A note of a
    /// meeting not yet held says so plainly and lists no one as present.
    pub held: bool,
    /// Where the note is in its lifecycle.
    pub status: NoteStatus,
    /// The published version number, when this rendition is a published version.
    pub version: Option<u32>,
    /// Who this rendition is for.
    pub audience: Audience,
    /// Mark every page "DRAFT" in the header (drafts and circulated drafts).
    pub draft_marking: bool,
    /// Whether items reserved to the secretariat are included (secretariat
    /// previews only).
    pub includes_reserved: bool,
    /// The group's standing paragraph about itself. Blank lines separate paragraphs.
    pub about: String,
    /// A SIG's remit, shown under "About the group".
    pub remit: Option<String>,
    /// The names of a SIG's sponsoring members.
    pub sponsors: Vec<String>,
    /// The purpose of the meeting.
    pub purpose: String,
    /// Who attended, by group, and who sent apologies.
    pub attendance: AttendanceSection,
    /// Open actions from earlier meetings of the group, and those completed
    /// since the group's last meeting, with their current status. `None` when
    /// this audience may not see them (the agenda keeps the item from it).
    pub previous_actions: Option<Vec<ActionRow>>,
    /// One section per agenda item, in agenda order.
    pub items: Vec<ItemSection>,
    /// Key issues and recommendations, one bullet each.
    pub key_issues: Vec<String>,
    /// Actions raised at the meeting(s).
    pub actions: Vec<ActionRow>,
    /// Next steps, one bullet each.
    pub next_steps: Vec<String>,
    /// Any other business, if any was recorded.
    pub aob: Option<String>,
    /// The next meeting of the group, if it has been arranged.
    pub next_meeting: Option<MeetingWhen>,
    /// What the secretariat wrote about the next meeting ("early May, date to be
    /// confirmed"); shown instead of `next_meeting` when given.
    pub next_meeting_text: Option<String>,
    /// The secretariat organisation, recorded as the document's author.
    pub author: String,
    /// When this rendition was produced, recorded as the document's creation time.
    pub created: DateTime<Utc>,
}

/// The two kinds of group minutebook serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// The main advisory group (RR3 itself).
    MainGroup,
    /// A time-limited special interest group of the main group.
    Sig,
}

/// One meeting covered by the note.
#[derive(Debug, Clone)]
pub struct MeetingDetails {
    /// The meeting's sequence number within its group (1, 2, 3…).
    pub number: i32,
    /// The meeting's title.
    pub title: String,
    /// When the meeting starts (UTC).
    pub starts_at: DateTime<Utc>,
    /// When the meeting ends (UTC).
    pub ends_at: DateTime<Utc>,
    /// The zone the meeting's times are shown in, usually Europe/London.
    pub time_zone: Tz,
    /// How people attend, as it should read: "Online", "In person", "Hybrid".
    pub mode: String,
    /// Where the meeting is held in person.
    pub location: Option<String>,
    // No joining link: a note is read long after the meeting and travels
    // further than its audience; the link belongs to the invitation.
}

/// Where a summary note is in its lifecycle, with the date that goes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteStatus {
    /// Being written by the secretariat.
    Draft,
    /// Sent to members for comment until the deadline.
    Circulated {
        /// The last day for comments.
        comment_deadline: NaiveDate,
    },
    /// Agreed by the group.
    Approved {
        /// The day it was agreed.
        on: NaiveDate,
    },
    /// Published.
    Published {
        /// The day the group agreed it, when recorded.
        agreed: Option<NaiveDate>,
        /// The day it was published.
        on: NaiveDate,
    },
}

/// Who a rendition of the note is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Members of the group, attending officials and co-opted experts.
    Members,
    /// Anyone: the note as published on the web.
    Public,
    /// The secretariat's own preview, with items reserved to the secretariat.
    Secretariat,
}

/// The attendance record, grouped as the note lists it. Empty groups are left out.
#[derive(Debug, Clone, Default)]
pub struct AttendanceSection {
    /// The chair or co-chairs.
    pub chair: Vec<PersonLine>,
    /// Members, including co-opted members and sponsors.
    pub members: Vec<PersonLine>,
    /// Officials (MoJ, HMPPS, other government).
    pub officials: Vec<PersonLine>,
    /// Guests and presenters.
    pub guests: Vec<PersonLine>,
    /// The secretariat.
    pub secretariat: Vec<PersonLine>,
    /// People who sent apologies.
    pub apologies: Vec<PersonLine>,
}

/// One person as listed in the attendance.
#[derive(Debug, Clone)]
pub struct PersonLine {
    /// The person's name.
    pub name: String,
    /// Their organisation at the time of the meeting.
    pub organisation: Option<String>,
    /// Their job title or role at the meeting.
    pub role: Option<String>,
}

/// One agenda item's part of the note.
#[derive(Debug, Clone)]
pub struct ItemSection {
    /// The agenda item's title.
    pub title: String,
    /// Who presented the item, as it should read ("Gareth Pryce, Ministry of Justice").
    pub presenter: Option<String>,
    /// Why the presenter named on the agenda did not present, when the
    /// register says they were not there.
    pub presenter_missing: Option<Missing>,
    /// A summary of the item.
    pub summary: Option<String>,
    /// The points made in discussion, one bullet each.
    pub discussion: Vec<DiscussionPoint>,
    /// What officials said in response.
    pub officials_response: Option<String>,
    /// What the group agreed, one bullet each.
    pub agreed: Vec<String>,
}

/// One point made in discussion.
#[derive(Debug, Clone)]
pub struct DiscussionPoint {
    /// What was said.
    pub text: String,
    /// Who said it, when the note's attribution allows naming them.
    pub speaker: Option<String>,
}

/// One action, as listed in the actions tables.
#[derive(Debug, Clone)]
pub struct ActionRow {
    /// The action's stable reference, e.g. "FRD-5-A3".
    pub reference: String,
    /// What is to be done.
    pub description: String,
    /// Who owns it: a person, an organisation, or text such as "All members".
    pub owner: String,
    /// When it is due, if a date was set.
    pub due_on: Option<NaiveDate>,
    /// Its current status as it should read: "Open", "In progress", "Done", "Dropped".
    pub status: String,
    /// Still outstanding after its due date (as at the meeting).
    pub overdue: bool,
}

/// Why someone on the agenda was not at the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// They sent apologies.
    Apologies,
    /// They were recorded as absent.
    Absent,
}

/// When a meeting takes place, for the "Next meeting" section.
#[derive(Debug, Clone)]
pub struct MeetingWhen {
    /// When it starts (UTC).
    pub starts_at: DateTime<Utc>,
    /// When it ends (UTC).
    pub ends_at: DateTime<Utc>,
    /// The zone its times are shown in.
    pub time_zone: Tz,
    /// Where, as it should read: "Online", "In person: 10 Downing Street".
    pub place: Option<String>,
}
