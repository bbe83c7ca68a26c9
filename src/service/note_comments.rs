//! Members' comments on a circulated summary note.
//!
//! While a note is circulated and its comment deadline has not passed, the group's
//! current members and the officials who attended the meeting (or the second
//! meeting the note covers) may comment on an agenda item or on the whole note, and
//! withdraw their own comments. The secretariat may record a comment on someone's
//! behalf (one that arrived by email), and marks each comment adopted or not
//! adopted with an optional reply that its author sees. Comments never reach any
//! rendition of the note: the note's documents are assembled from its content
//! alone. Every comment and decision is audited.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::values::{self, now};
use crate::domain::{
    AttendanceRole, AttendanceStatus, CommentDecision, CommentStatus, NoteStatus, Validation,
    Visibility, lifecycle,
};
use crate::service::access::current_on;
use crate::service::{audit, begin_write, check_version, find_or_404, update_versioned};
use crate::{Error, Result};
use entity::note_comment::{self, Column, Entity, Model};
use entity::{agenda_item, attendance, group, meeting, membership, person, summary_note};

/// The longest comment or reply accepted, in characters.
pub const MAX_COMMENT: usize = 5_000;

/// A comment as someone writes it.
#[derive(Debug, Clone, Default)]
pub struct CommentInput {
    /// Whose comment it is. Members leave it out (it is theirs); the secretariat
    /// names the person it records a comment for.
    pub person_id: Option<Uuid>,
    /// The agenda item it is about; `None`: the whole note.
    pub agenda_item_id: Option<Uuid>,
    pub body: String,
}

/// A comment with the names a reader needs.
#[derive(Debug, Clone)]
pub struct CommentView {
    pub comment: Model,
    pub meeting_id: Uuid,
    pub person_name: String,
    /// The title of the agenda item it is about.
    pub item_title: Option<String>,
}

impl CommentView {
    pub fn status(&self) -> CommentStatus {
        self.comment.status.parse().unwrap_or(CommentStatus::Open)
    }
}

/// Someone who may read the circulated draft and comment on it.
#[derive(Debug, Clone)]
pub struct Commenter {
    pub person: person::Model,
    /// "Member", "Chair", "Official (attended)".
    pub why: String,
}

/// The note a comment belongs to, with its meeting.
struct NoteContext {
    note: summary_note::Model,
    meeting: meeting::Model,
}

impl NoteContext {
    fn meeting_ids(&self) -> Vec<Uuid> {
        let mut ids = vec![self.note.meeting_id];
        ids.extend(self.note.second_meeting_id);
        ids
    }

    fn status(&self) -> NoteStatus {
        self.note.status.parse().unwrap_or(NoteStatus::Draft)
    }

    /// Whether comments may be made (or withdrawn) today.
    fn open(&self, at: DateTime<Utc>) -> std::result::Result<(), lifecycle::Refusal> {
        lifecycle::note_comments_open(
            self.status(),
            self.note.comment_deadline,
            today_where(&self.meeting, at),
        )
    }
}

/// The day `at` falls on where the meeting is: deadlines are the secretariat's days.
pub fn today_where(meeting: &meeting::Model, at: DateTime<Utc>) -> NaiveDate {
    let zone: chrono_tz::Tz = meeting
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::London);
    at.with_timezone(&zone).date_naive()
}

async fn context_of_meeting(conn: &impl ConnectionTrait, meeting_id: Uuid) -> Result<NoteContext> {
    let meeting = find_or_404::<meeting::Entity>(conn, meeting_id).await?;
    let note = summary_note::Entity::find()
        .filter(summary_note::Column::MeetingId.eq(meeting_id))
        .one(conn)
        .await?
        .ok_or_else(|| Error::not_found("summary note of meeting", meeting_id))?;
    Ok(NoteContext { note, meeting })
}

async fn context_of_note(conn: &impl ConnectionTrait, note_id: Uuid) -> Result<NoteContext> {
    let note = find_or_404::<summary_note::Entity>(conn, note_id).await?;
    let meeting = find_or_404::<meeting::Entity>(conn, note.meeting_id).await?;
    Ok(NoteContext { note, meeting })
}

/// Everyone who may comment on the note: the group's members on the day, and the
/// officials recorded as having attended the meetings it covers.
async fn commenters_of(
    conn: &impl ConnectionTrait,
    ctx: &NoteContext,
    on: NaiveDate,
) -> Result<Vec<Commenter>> {
    let seats = membership::Entity::find()
        .filter(membership::Column::GroupId.eq(ctx.note.group_id))
        .filter(current_on(on))
        .find_also_related(person::Entity)
        .all(conn)
        .await?;
    let mut out: Vec<Commenter> = Vec::new();
    let mut seen = HashSet::new();
    for (seat, person) in seats {
        let Some(person) = person else { continue };
        if seen.insert(person.id) {
            out.push(Commenter {
                why: seat_label(&seat.role),
                person,
            });
        }
    }
    let officials = attendance::Entity::find()
        .filter(attendance::Column::MeetingId.is_in(ctx.meeting_ids()))
        .filter(attendance::Column::Role.eq(AttendanceRole::Official.as_str()))
        .filter(attendance::Column::Status.eq(AttendanceStatus::Attended.as_str()))
        .find_also_related(person::Entity)
        .all(conn)
        .await?;
    for (_, person) in officials {
        let Some(person) = person else { continue };
        if seen.insert(person.id) {
            out.push(Commenter {
                person,
                why: "Official who attended".into(),
            });
        }
    }
    out.sort_by(|a, b| a.person.name.cmp(&b.person.name));
    Ok(out)
}

/// A membership role in words.
fn seat_label(role: &str) -> String {
    match role {
        "co_chair" => "Co-chair".into(),
        "co_opted" => "Co-opted member".into(),
        other => {
            let words = other.replace('_', " ");
            let mut chars = words.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        }
    }
}

async fn may_comment(
    conn: &impl ConnectionTrait,
    ctx: &NoteContext,
    person_id: Uuid,
    at: DateTime<Utc>,
) -> Result<bool> {
    Ok(commenters_of(conn, ctx, today_where(&ctx.meeting, at))
        .await?
        .iter()
        .any(|c| c.person.id == person_id))
}

/// Who will be able to read the circulated draft of a meeting's note and comment on
/// it. Secretariat only: it is what the circulate button says.
pub async fn commenters(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<Vec<Commenter>> {
    caller.require_secretariat()?;
    let meeting = find_or_404::<meeting::Entity>(db, meeting_id).await?;
    let note = summary_note::Entity::find()
        .filter(summary_note::Column::MeetingId.eq(meeting_id))
        .one(db)
        .await?;
    // Before a note exists, the people are those of the meeting alone.
    let note = note.unwrap_or_else(|| summary_note::Model {
        id: Uuid::nil(),
        meeting_id,
        second_meeting_id: None,
        group_id: meeting.group_id,
        status: NoteStatus::Draft.as_str().into(),
        attribution: String::new(),
        content: serde_json::Value::Null,
        comment_deadline: None,
        approved_on: None,
        published_version: None,
        published_audience: None,
        published_at: None,
        version: 0,
        created_at: now(),
        updated_at: now(),
    });
    let ctx = NoteContext { note, meeting };
    commenters_of(db, &ctx, today_where(&ctx.meeting, now())).await
}

/// Whether `caller` may read the circulated draft of this note and comment on it:
/// the secretariat, or a member who is one of its commenters.
pub async fn may_read_circulated(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    note: &summary_note::Model,
    meeting: &meeting::Model,
) -> Result<bool> {
    if caller.is_secretariat() {
        return Ok(true);
    }
    let Some(person) = caller.member_person() else {
        return Ok(false);
    };
    let ctx = NoteContext {
        note: note.clone(),
        meeting: meeting.clone(),
    };
    may_comment(conn, &ctx, person, now()).await
}

/// Why comments on this note are closed today, or `None` while they are open.
pub fn closed_because(note: &summary_note::Model, meeting: &meeting::Model) -> Option<String> {
    let ctx = NoteContext {
        note: note.clone(),
        meeting: meeting.clone(),
    };
    ctx.open(now()).err().map(|r| r.0)
}

async fn views(conn: &impl ConnectionTrait, rows: Vec<Model>) -> Result<Vec<CommentView>> {
    let people =
        crate::service::people::names(conn, rows.iter().map(|c| c.person_id).collect::<Vec<_>>())
            .await?;
    let item_ids: Vec<Uuid> = rows.iter().filter_map(|c| c.agenda_item_id).collect();
    let items: HashMap<Uuid, String> = if item_ids.is_empty() {
        HashMap::new()
    } else {
        agenda_item::Entity::find()
            .filter(agenda_item::Column::Id.is_in(item_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|i| (i.id, i.title))
            .collect()
    };
    let note_ids: Vec<Uuid> = rows.iter().map(|c| c.note_id).collect();
    let meetings: HashMap<Uuid, Uuid> = if note_ids.is_empty() {
        HashMap::new()
    } else {
        summary_note::Entity::find()
            .filter(summary_note::Column::Id.is_in(note_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|n| (n.id, n.meeting_id))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|comment| CommentView {
            person_name: people
                .get(&comment.person_id)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            item_title: comment
                .agenda_item_id
                .and_then(|id| items.get(&id).cloned()),
            meeting_id: meetings.get(&comment.note_id).copied().unwrap_or_default(),
            comment,
        })
        .collect())
}

/// The comments on a meeting's note, oldest first: all of them for the secretariat,
/// a member's own for a member.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<Vec<CommentView>> {
    let ctx = context_of_meeting(db, meeting_id).await?;
    let mut query = Entity::find().filter(Column::NoteId.eq(ctx.note.id));
    if !caller.is_secretariat() {
        let Some(person) = caller.member_person() else {
            return Err(Error::forbidden("only members may read their comments"));
        };
        query = query.filter(Column::PersonId.eq(person));
        let rows = query
            .order_by_asc(Column::CreatedAt)
            .order_by_asc(Column::Id)
            .all(db)
            .await?;
        if rows.is_empty() && !may_comment(db, &ctx, person, now()).await? {
            return Err(Error::forbidden(
                "only the group's members and the officials who attended may comment on this note",
            ));
        }
        return views(db, rows).await;
    }
    let rows = query
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    views(db, rows).await
}

/// One comment: its author or the secretariat.
pub async fn get(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<CommentView> {
    let comment = find_or_404::<Entity>(db, id).await?;
    ensure_own(caller, &comment)?;
    Ok(views(db, vec![comment]).await?.remove(0))
}

fn ensure_own(caller: &Caller, comment: &Model) -> Result<()> {
    if caller.is_secretariat() || caller.member_person() == Some(comment.person_id) {
        Ok(())
    } else {
        Err(Error::forbidden("this comment is someone else's"))
    }
}

/// Adds a comment to a circulated note while comments are open.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    input: CommentInput,
) -> Result<CommentView> {
    let txn = begin_write(db).await?;
    let ctx = context_of_meeting(&txn, meeting_id).await?;
    let at = now();
    let mut v = Validation::new();
    let person = if caller.is_secretariat() {
        match input.person_id {
            Some(person) => {
                if !may_comment(&txn, &ctx, person, at).await? {
                    v.fail(
                        "person_id",
                        "must be a member of the group or an official who attended",
                    );
                }
                Some(person)
            }
            None => {
                v.fail(
                    "person_id",
                    "say whose comment this is (the secretariat records comments on someone's behalf)",
                );
                None
            }
        }
    } else {
        let Some(me) = caller.member_person() else {
            return Err(Error::forbidden("only members may comment"));
        };
        if input.person_id.is_some_and(|p| p != me) {
            return Err(Error::forbidden(
                "members comment for themselves; leave out person_id",
            ));
        }
        if !may_comment(&txn, &ctx, me, at).await? {
            return Err(Error::forbidden(
                "only the group's members and the officials who attended may comment on this note",
            ));
        }
        Some(me)
    };
    ctx.open(at)?;
    let body = v.check("body", values::required_text(&input.body, MAX_COMMENT));
    if let Some(item) = input.agenda_item_id {
        let found = agenda_item::Entity::find_by_id(item).one(&txn).await?;
        let commentable = found.is_some_and(|i| {
            ctx.meeting_ids().contains(&i.meeting_id)
                && i.visibility
                    .parse::<Visibility>()
                    .is_ok_and(|v| v.visible_to(Visibility::Members))
        });
        if !commentable {
            v.fail(
                "agenda_item_id",
                "must be an agenda item of the note that members can read",
            );
        }
    }
    v.finish()?;
    let (Some(person), Some(body)) = (person, body) else {
        return Err(Error::Unexpected(anyhow::anyhow!(
            "validated comment without a person or body"
        )));
    };
    let model = note_comment::ActiveModel {
        id: Set(Uuid::new_v4()),
        note_id: Set(ctx.note.id),
        person_id: Set(person),
        agenda_item_id: Set(input.agenda_item_id),
        body: Set(body),
        status: Set(CommentStatus::Open.as_str().to_owned()),
        reply: Set(None),
        recorded_by: Set(caller.actor()),
        decided_by: Set(None),
        decided_at: Set(None),
        withdrawn_at: Set(None),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        caller,
        "note_comment.create",
        "note_comment",
        Some(model.id),
        json!({
            "note_id": model.note_id, "person_id": model.person_id,
            "agenda_item_id": model.agenda_item_id, "body": model.body,
        }),
    )
    .await?;
    let view = views(&txn, vec![model]).await?.remove(0);
    txn.commit().await?;
    Ok(view)
}

/// Withdraws a comment: its author (or the secretariat for them), while comments
/// are open and before the secretariat has decided on it.
pub async fn withdraw(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
) -> Result<CommentView> {
    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    ensure_own(caller, &current)?;
    check_version::<Entity>(expected_version, current.version)?;
    let status: CommentStatus = current.status.parse().unwrap_or(CommentStatus::Open);
    lifecycle::comment_withdrawable(status)?;
    let ctx = context_of_note(&txn, current.note_id).await?;
    let at = now();
    ctx.open(at)?;
    let mut next = current.clone();
    next.status = CommentStatus::Withdrawn.as_str().to_owned();
    next.withdrawn_at = Some(at);
    next.updated_at = at;
    update_versioned::<Entity>(&txn, current.id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(
        &txn,
        caller,
        "note_comment.withdraw",
        "note_comment",
        Some(current.id),
        json!({"note_id": current.note_id, "from": status.as_str(), "to": next.status}),
    )
    .await?;
    let view = views(&txn, vec![next]).await?.remove(0);
    txn.commit().await?;
    Ok(view)
}

/// The secretariat's decision on a comment, with an optional reply its author sees.
pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    decision: CommentDecision,
    reply: Option<&str>,
) -> Result<CommentView> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    let status: CommentStatus = current.status.parse().unwrap_or(CommentStatus::Open);
    lifecycle::comment_decidable(status)?;
    let mut v = Validation::new();
    let reply = v
        .check("reply", values::optional_text(reply, MAX_COMMENT))
        .flatten();
    v.finish()?;
    let at = now();
    let mut next = current.clone();
    next.status = decision.status().as_str().to_owned();
    next.reply = reply;
    next.decided_by = Some(caller.actor());
    next.decided_at = Some(at);
    next.updated_at = at;
    update_versioned::<Entity>(&txn, current.id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(
        &txn,
        caller,
        "note_comment.decide",
        "note_comment",
        Some(current.id),
        json!({
            "note_id": current.note_id, "from": status.as_str(), "to": next.status,
            "reply": next.reply,
        }),
    )
    .await?;
    let view = views(&txn, vec![next]).await?.remove(0);
    txn.commit().await?;
    Ok(view)
}

/// A note with comments the secretariat has not decided on yet.
#[derive(Debug, Clone)]
pub struct NoteAwaitingReplies {
    pub meeting: meeting::Model,
    pub group: group::Model,
    pub note_status: NoteStatus,
    pub comment_deadline: Option<NaiveDate>,
    /// How many comments stand undecided.
    pub unanswered: usize,
}

/// Notes with undecided comments, oldest meeting first: what the dashboard lists.
/// Secretariat only.
pub async fn notes_awaiting_replies(
    db: &DatabaseConnection,
    caller: &Caller,
) -> Result<Vec<NoteAwaitingReplies>> {
    caller.require_secretariat()?;
    let open = Entity::find()
        .filter(Column::Status.eq(CommentStatus::Open.as_str()))
        .all(db)
        .await?;
    let mut counts: HashMap<Uuid, usize> = HashMap::new();
    for comment in &open {
        *counts.entry(comment.note_id).or_default() += 1;
    }
    if counts.is_empty() {
        return Ok(Vec::new());
    }
    let notes = summary_note::Entity::find()
        .filter(summary_note::Column::Id.is_in(counts.keys().copied().collect::<Vec<_>>()))
        .all(db)
        .await?;
    let (meetings, groups) = crate::service::notes::meetings_and_groups(db, &notes).await?;
    let mut out: Vec<NoteAwaitingReplies> = notes
        .into_iter()
        .filter_map(|note| {
            Some(NoteAwaitingReplies {
                meeting: meetings.get(&note.meeting_id)?.clone(),
                group: groups.get(&note.group_id)?.clone(),
                note_status: note.status.parse().unwrap_or(NoteStatus::Draft),
                comment_deadline: note.comment_deadline,
                unanswered: counts.get(&note.id).copied().unwrap_or_default(),
            })
        })
        .collect();
    out.sort_by_key(|n| (n.meeting.starts_at, n.meeting.id));
    Ok(out)
}

/// The agenda items of a note that members may comment on (those they can read),
/// in meeting then agenda order, as (id, title).
pub async fn commentable_items(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<Vec<(Uuid, String)>> {
    let ctx = context_of_meeting(db, meeting_id).await?;
    if !may_read_circulated(db, caller, &ctx.note, &ctx.meeting).await? {
        return Err(Error::forbidden(
            "only the group's members and the officials who attended may comment on this note",
        ));
    }
    let ids = ctx.meeting_ids();
    let mut items = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.is_in(ids.clone()))
        .all(db)
        .await?;
    items.retain(|i| {
        i.visibility
            .parse::<Visibility>()
            .is_ok_and(|v| v.visible_to(Visibility::Members))
    });
    items.sort_by_key(|i| (ids.iter().position(|m| *m == i.meeting_id), i.position));
    Ok(items.into_iter().map(|i| (i.id, i.title)).collect())
}

/// What a member's meeting page says about the note's comment round.
#[derive(Debug, Clone)]
pub struct CommentRound {
    /// Whether the member may comment now.
    pub open: bool,
    pub deadline: Option<NaiveDate>,
    /// How many comments the member has made on the note.
    pub own: usize,
}

/// The comment round of the note covering `meeting_id` as `caller` sees it: `None`
/// when there is nothing for them (no note, never circulated to them, not theirs).
pub async fn round_for(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<Option<CommentRound>> {
    let Some(person) = caller.member_person() else {
        return Ok(None);
    };
    let Some(note) = summary_note::Entity::find()
        .filter(summary_note::Column::MeetingId.eq(meeting_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let meeting = find_or_404::<meeting::Entity>(db, note.meeting_id).await?;
    let ctx = NoteContext { note, meeting };
    let own = Entity::find()
        .filter(Column::NoteId.eq(ctx.note.id))
        .filter(Column::PersonId.eq(person))
        .all(db)
        .await?
        .len();
    let open = ctx.open(now()).is_ok() && may_comment(db, &ctx, person, now()).await?;
    if !open && own == 0 {
        return Ok(None);
    }
    Ok(Some(CommentRound {
        open,
        deadline: ctx.note.comment_deadline,
        own,
    }))
}
