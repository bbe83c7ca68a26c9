//! Which changes of state are allowed, for every aggregate, in one place.
//!
//! Each function answers `Ok(())` or a [`Refusal`] that says in the user's words why
//! not. The service layer calls these before it writes, and turns a refusal into a
//! 409 Conflict.

use chrono::{DateTime, NaiveDate, Utc};

use super::{
    ActionStatus, AttendanceStatus, CommentStatus, GroupStatus, MeetingStatus, NoteStatus,
};

/// Why a change of state is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

fn refuse<T>(message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal(message.into()))
}

/// A group is proposed, then active, then closed; a closed group stays closed.
pub fn group_transition(from: GroupStatus, to: GroupStatus) -> Result<(), Refusal> {
    use GroupStatus::*;
    match (from, to) {
        (Proposed, Active) | (Active, Closed) | (Proposed, Closed) => Ok(()),
        (a, b) if a == b => refuse(format!("the group is already {a}")),
        (Closed, _) => refuse("the group is closed; a closed group cannot be reopened"),
        (a, b) => refuse(format!("a group cannot go from {a} to {b}")),
    }
}

/// New meetings may be scheduled for proposed and active groups, not closed ones.
pub fn can_schedule_meetings(group: GroupStatus) -> Result<(), Refusal> {
    match group {
        GroupStatus::Closed => refuse("the group is closed; no new meetings can be scheduled"),
        _ => Ok(()),
    }
}

/// A meeting is scheduled until it is held, cancelled or postponed; those are final.
/// It can be marked held only once it has started.
pub fn meeting_transition(
    from: MeetingStatus,
    to: MeetingStatus,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    use MeetingStatus::*;
    match (from, to) {
        (Scheduled, Held) if starts_at > now => {
            refuse("the meeting has not started yet, so it cannot be marked held")
        }
        (Scheduled, Held | Cancelled | Postponed) => Ok(()),
        (a, b) if a == b => refuse(format!("the meeting is already {a}")),
        (Cancelled, _) => refuse("the meeting was cancelled; schedule a new meeting instead"),
        (Postponed, _) => refuse("the meeting was postponed to another meeting"),
        (Held, _) => refuse("the meeting has been held"),
        (a, b) => refuse(format!("a meeting cannot go from {a} to {b}")),
    }
}

/// The time, place, agenda and register of a meeting may change while it is
/// scheduled; after it is held the secretariat may still correct the agenda and the
/// register, but a cancelled or postponed meeting is closed to edits.
pub fn meeting_editable(status: MeetingStatus) -> Result<(), Refusal> {
    match status {
        MeetingStatus::Scheduled | MeetingStatus::Held => Ok(()),
        MeetingStatus::Cancelled => refuse("the meeting was cancelled and can no longer change"),
        MeetingStatus::Postponed => refuse("the meeting was postponed and can no longer change"),
    }
}

/// Only a scheduled meeting may be moved in time or place.
pub fn meeting_reschedulable(status: MeetingStatus) -> Result<(), Refusal> {
    match status {
        MeetingStatus::Scheduled => Ok(()),
        other => refuse(format!(
            "the meeting is {other}; only a scheduled meeting can be rescheduled"
        )),
    }
}

/// The attendance register: people answer an invitation (accept, send apologies, or
/// are marked as not responding) before the meeting, and are recorded as attended or
/// absent once it has started. Members' answers close when the meeting starts; the
/// secretariat may still record apologies afterwards, because apologies often reach
/// the secretariat by email and are written up with the register after the meeting.
pub fn attendance_transition(
    from: AttendanceStatus,
    to: AttendanceStatus,
    meeting: MeetingStatus,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
    by_secretariat: bool,
) -> Result<(), Refusal> {
    use AttendanceStatus::*;
    meeting_editable(meeting)?;
    let started = starts_at <= now || meeting == MeetingStatus::Held;
    match to {
        Invited => {
            refuse("an invitation cannot be taken back to `invited`; record the answer instead")
        }
        Apologies if started && by_secretariat => Ok(()),
        Accepted | Apologies | NoResponse => {
            if started {
                return refuse(
                    "the meeting has started; record whether the person attended or was absent",
                );
            }
            if from == to && to != Apologies {
                return refuse(format!("the attendance is already {to}"));
            }
            match from {
                Invited | Accepted | Apologies | NoResponse => Ok(()),
                Attended | Absent => refuse("attendance has already been recorded"),
            }
        }
        Attended | Absent => attendance_recordable(meeting, starts_at, now),
    }
}

/// Whether who attended (or was absent) can be recorded yet: once the meeting has
/// started, or has been marked held, and while it is not cancelled or postponed.
pub fn attendance_recordable(
    meeting: MeetingStatus,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    meeting_editable(meeting)?;
    if starts_at > now && meeting != MeetingStatus::Held {
        return refuse("the meeting has not started yet; attendance can be recorded once it has");
    }
    Ok(())
}

/// Actions move freely between open and in progress, are closed as done or dropped,
/// and can be reopened. Dropping needs a reason.
pub fn action_transition(
    from: ActionStatus,
    to: ActionStatus,
    note: Option<&str>,
) -> Result<(), Refusal> {
    use ActionStatus::*;
    if from == to {
        return refuse(format!("the action is already {to}"));
    }
    if to == Dropped && note.is_none_or(|n| n.trim().is_empty()) {
        return refuse("say why the action is dropped, in a note");
    }
    match (from, to) {
        (Done | Dropped, InProgress) => {
            refuse("reopen the action (status `open`) before starting it again")
        }
        _ => Ok(()),
    }
}

/// Only an outstanding action (open or in progress) can be carried forward to the
/// next meeting; a done or dropped one has nothing left to carry.
pub fn action_carry_forward(status: ActionStatus) -> Result<(), Refusal> {
    if status.is_outstanding() {
        Ok(())
    } else {
        refuse(format!(
            "the action is {status}; only open or in-progress actions are carried forward"
        ))
    }
}

/// A special interest group's outstanding action can be escalated to the main
/// group once. `parent` is whether the action's group is a SIG with a main group.
pub fn action_escalation(
    status: ActionStatus,
    sig_with_parent: bool,
    already_escalated: bool,
) -> Result<(), Refusal> {
    if !sig_with_parent {
        return refuse("only an action raised in a special interest group can be escalated");
    }
    if already_escalated {
        return refuse("the action has already been escalated to the main group");
    }
    if !status.is_outstanding() {
        return refuse(format!(
            "the action is {status}; only open or in-progress actions can be escalated"
        ));
    }
    Ok(())
}

/// Whether a meeting has taken place: marked held, or still marked scheduled
/// but past its start (the secretariat often writes the register up before
/// marking the meeting held). A cancelled or postponed meeting never took
/// place.
pub fn meeting_taken_place(
    status: MeetingStatus,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    match status {
        MeetingStatus::Held => true,
        MeetingStatus::Scheduled => starts_at <= now,
        MeetingStatus::Cancelled | MeetingStatus::Postponed => false,
    }
}

/// A note records what happened at a meeting, so it is circulated, approved and
/// published only once the meeting has taken place.
pub fn note_meeting_held(
    status: MeetingStatus,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if meeting_taken_place(status, starts_at, now) {
        return Ok(());
    }
    match status {
        MeetingStatus::Cancelled => {
            refuse("the meeting was cancelled, so there is nothing for its note to record")
        }
        MeetingStatus::Postponed => {
            refuse("the meeting was postponed; write the note of the meeting it was moved to")
        }
        _ => refuse(
            "the meeting has not taken place yet; a note is circulated, approved and published only once its meeting has been held",
        ),
    }
}

/// A summary note is written as a draft, and stays editable while it is circulated
/// so that the secretariat can adopt members' comments into it before approval
/// (members always read the draft as it now stands). Once approved or published it
/// says what the group agreed, so a change means taking it back to draft first
/// (`revise`).
pub fn note_editable(status: NoteStatus) -> Result<(), Refusal> {
    match status {
        NoteStatus::Draft | NoteStatus::Circulated => Ok(()),
        NoteStatus::Approved => {
            refuse("the note has been approved; revise it (back to draft) before editing")
        }
        NoteStatus::Published => refuse(
            "the note is published and its published versions never change; revise it to start a correction, which publishes as a new version",
        ),
    }
}

/// A draft is circulated for comment; a circulated note may be circulated again
/// with a new deadline.
pub fn note_circulate(status: NoteStatus) -> Result<(), Refusal> {
    match status {
        NoteStatus::Draft | NoteStatus::Circulated => Ok(()),
        NoteStatus::Approved => refuse("the note has already been approved"),
        NoteStatus::Published => {
            refuse("the note is published; revise it before circulating a correction")
        }
    }
}

/// A note is approved once it has been circulated for comment.
pub fn note_approve(status: NoteStatus) -> Result<(), Refusal> {
    match status {
        NoteStatus::Circulated => Ok(()),
        NoteStatus::Draft => refuse("circulate the note for comment before approving it"),
        NoteStatus::Approved => refuse("the note is already approved"),
        NoteStatus::Published => refuse("the note is already published"),
    }
}

/// Only an approved note is published.
pub fn note_publish(status: NoteStatus) -> Result<(), Refusal> {
    match status {
        NoteStatus::Approved => Ok(()),
        NoteStatus::Draft | NoteStatus::Circulated => refuse(format!(
            "the note is {status}; only an approved note can be published"
        )),
        NoteStatus::Published => {
            refuse("this version is already published; revise the note to publish a correction")
        }
    }
}

/// A circulated, approved or published note goes back to draft for changes. The
/// versions already published stay as they are.
pub fn note_revise(status: NoteStatus) -> Result<(), Refusal> {
    match status {
        NoteStatus::Circulated | NoteStatus::Approved | NoteStatus::Published => Ok(()),
        NoteStatus::Draft => refuse("the note is already a draft"),
    }
}

/// Members comment on a note while it is circulated, up to and including the day
/// of its comment deadline (`today` is the day where the meeting is).
pub fn note_comments_open(
    status: NoteStatus,
    deadline: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), Refusal> {
    match (status, deadline) {
        (NoteStatus::Circulated, Some(deadline)) if today <= deadline => Ok(()),
        (NoteStatus::Circulated, Some(_)) => {
            refuse("the deadline for comments on this note has passed")
        }
        (NoteStatus::Circulated, None) | (NoteStatus::Draft, _) => {
            refuse("the note has not been circulated for comment")
        }
        (NoteStatus::Approved | NoteStatus::Published, _) => {
            refuse("the note has been agreed; comments are closed")
        }
    }
}

/// A comment can be withdrawn by its author while comments are open and the
/// secretariat has not yet decided on it.
pub fn comment_withdrawable(status: CommentStatus) -> Result<(), Refusal> {
    match status {
        CommentStatus::Open => Ok(()),
        CommentStatus::Withdrawn => refuse("the comment has already been withdrawn"),
        CommentStatus::Adopted | CommentStatus::NotAdopted => {
            refuse("the secretariat has already decided on this comment")
        }
    }
}

/// The secretariat decides on a comment that stands (and may change its decision
/// or reply); a withdrawn comment is left alone.
pub fn comment_decidable(status: CommentStatus) -> Result<(), Refusal> {
    match status {
        CommentStatus::Withdrawn => refuse("the comment was withdrawn by the person who made it"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 12, h, 0, 0).unwrap()
    }

    #[test]
    fn a_cancelled_meeting_cannot_be_marked_held() {
        let r = meeting_transition(
            MeetingStatus::Cancelled,
            MeetingStatus::Held,
            at(10),
            at(12),
        );
        assert!(r.unwrap_err().0.contains("cancelled"));
    }

    #[test]
    fn a_meeting_cannot_be_marked_held_before_it_starts() {
        assert!(
            meeting_transition(MeetingStatus::Scheduled, MeetingStatus::Held, at(10), at(9))
                .is_err()
        );
        assert!(
            meeting_transition(
                MeetingStatus::Scheduled,
                MeetingStatus::Held,
                at(10),
                at(10)
            )
            .is_ok()
        );
    }

    #[test]
    fn a_closed_group_cannot_be_reopened_or_get_meetings() {
        assert!(group_transition(GroupStatus::Closed, GroupStatus::Active).is_err());
        assert!(group_transition(GroupStatus::Proposed, GroupStatus::Active).is_ok());
        assert!(can_schedule_meetings(GroupStatus::Closed).is_err());
    }

    #[test]
    fn answers_change_until_the_meeting_starts_then_attendance_is_recorded() {
        use AttendanceStatus::*;
        let s = MeetingStatus::Scheduled;
        let (member, secretariat) = (false, true);
        assert!(attendance_transition(Invited, Apologies, s, at(10), at(8), member).is_ok());
        assert!(attendance_transition(Apologies, Accepted, s, at(10), at(8), member).is_ok());
        assert!(attendance_transition(Accepted, Attended, s, at(10), at(8), secretariat).is_err());
        assert!(attendance_transition(Accepted, Attended, s, at(10), at(11), secretariat).is_ok());
        assert!(attendance_transition(Invited, Apologies, s, at(10), at(11), member).is_err());
        let held = MeetingStatus::Held;
        assert!(attendance_transition(Attended, Absent, held, at(10), at(11), secretariat).is_ok());
        let cancelled = MeetingStatus::Cancelled;
        assert!(
            attendance_transition(Invited, Accepted, cancelled, at(10), at(8), member).is_err()
        );
    }

    #[test]
    fn the_secretariat_may_write_up_apologies_after_the_meeting_but_members_may_not() {
        use AttendanceStatus::*;
        let held = MeetingStatus::Held;
        assert!(attendance_transition(Invited, Apologies, held, at(10), at(13), true).is_ok());
        assert!(attendance_transition(Invited, Apologies, held, at(10), at(13), false).is_err());
        assert!(attendance_transition(Invited, Accepted, held, at(10), at(13), true).is_err());
    }

    #[test]
    fn dropping_an_action_needs_a_reason_and_closed_actions_reopen_first() {
        use ActionStatus::*;
        assert!(action_transition(Open, Dropped, None).is_err());
        assert!(action_transition(Open, Dropped, Some("  ")).is_err());
        assert!(action_transition(Open, Dropped, Some("overtaken by events")).is_ok());
        assert!(action_transition(Done, InProgress, None).is_err());
        assert!(action_transition(Done, Open, None).is_ok());
        assert!(action_transition(Open, Open, None).is_err());
    }

    #[test]
    fn only_outstanding_sig_actions_are_carried_forward_or_escalated_once() {
        use ActionStatus::*;
        assert!(action_carry_forward(Open).is_ok());
        assert!(action_carry_forward(InProgress).is_ok());
        assert!(action_carry_forward(Done).is_err());
        assert!(action_escalation(Open, true, false).is_ok());
        assert!(action_escalation(Open, false, false).is_err());
        assert!(action_escalation(Open, true, true).is_err());
        assert!(action_escalation(Dropped, true, false).is_err());
    }

    #[test]
    fn a_note_goes_round_only_once_its_meeting_has_taken_place() {
        use MeetingStatus::*;
        assert!(
            note_meeting_held(Held, at(10), at(9)).is_ok(),
            "marked held"
        );
        assert!(note_meeting_held(Scheduled, at(10), at(10)).is_ok());
        let early = note_meeting_held(Scheduled, at(10), at(9)).unwrap_err();
        assert!(early.0.contains("has not taken place yet"), "{early}");
        assert!(note_meeting_held(Cancelled, at(10), at(12)).is_err());
        assert!(note_meeting_held(Postponed, at(10), at(12)).is_err());
        assert!(!meeting_taken_place(Scheduled, at(10), at(9)));
    }

    #[test]
    fn a_note_is_edited_as_a_draft_and_published_only_once_approved() {
        use NoteStatus::*;
        assert!(note_editable(Draft).is_ok());
        assert!(
            note_editable(Circulated).is_ok(),
            "comments are adopted into it"
        );
        for status in [Approved, Published] {
            assert!(note_editable(status).is_err());
        }
        for status in [Circulated, Approved, Published] {
            assert!(note_revise(status).is_ok());
        }
        assert!(note_revise(Draft).is_err());
        assert!(note_circulate(Draft).is_ok());
        assert!(note_circulate(Circulated).is_ok(), "a new deadline");
        assert!(note_circulate(Published).is_err());
        assert!(note_approve(Draft).is_err());
        assert!(note_approve(Circulated).is_ok());
        assert!(note_publish(Draft).unwrap_err().0.contains("approved"));
        assert!(note_publish(Circulated).is_err());
        assert!(note_publish(Approved).is_ok());
        assert!(note_publish(Published).is_err());
    }

    #[test]
    fn comments_are_open_while_circulated_until_the_end_of_the_deadline_day() {
        use NoteStatus::*;
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        assert!(note_comments_open(Circulated, Some(day(20)), day(20)).is_ok());
        assert!(note_comments_open(Circulated, Some(day(20)), day(19)).is_ok());
        let late = note_comments_open(Circulated, Some(day(20)), day(21)).unwrap_err();
        assert!(late.0.contains("deadline"));
        assert!(note_comments_open(Draft, None, day(1)).is_err());
        assert!(note_comments_open(Approved, Some(day(20)), day(1)).is_err());
        assert!(comment_withdrawable(CommentStatus::Open).is_ok());
        assert!(comment_withdrawable(CommentStatus::Adopted).is_err());
        assert!(comment_decidable(CommentStatus::Adopted).is_ok());
        assert!(comment_decidable(CommentStatus::Withdrawn).is_err());
    }
}
