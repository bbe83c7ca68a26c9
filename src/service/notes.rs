//! Summary notes: writing the draft, circulating, approving, publishing frozen
//! versions, revising for a correction, previews, and the published list and
//! downloads. The lifecycle rules are in [`crate::domain::lifecycle`]; what each
//! audience may see is decided in [`crate::notes::assemble`].
//!
//! A published version is rendered once, at publication, and its bytes are stored
//! with their SHA-256. Downloads serve those bytes; nothing ever renders a
//! published version again, so later edits, code changes or changes to people's
//! names cannot alter what was published.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    Order, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::values::{self, now};
use crate::domain::{
    ActionStatus, Attribution, FieldError, GroupKind, MeetingStatus, MembershipRole, NoteAudience,
    NoteStatus, OrganisationKind, Validation, Visibility, lifecycle,
};
use crate::notes::assemble::{self, NoteSources, Rendition, local_date};
use crate::notes::content::NoteContent;
use crate::notes::model;
use crate::notes::render;
use crate::service::access::{current_on, readable_groups};
use crate::service::page::{Page, PageParams, fetch_page_ordered};
use crate::service::{audit, begin_write, check_version, find_or_404, update_versioned};
use crate::{Error, Result};
use entity::summary_note::{self, Column, Entity, Model};
use entity::{
    action_item, action_status_change, agenda_item, attendance, group, meeting, membership,
    note_version, organisation, person,
};

/// The longest text accepted in any one part of a note.
const MAX_TEXT: usize = 20_000;

/// The note as the secretariat writes it (`PUT`).
#[derive(Debug, Clone, Default)]
pub struct NoteInput {
    pub second_meeting_id: Option<Uuid>,
    pub attribution: Option<Attribution>,
    pub content: NoteContent,
}

/// A note with what a reader should know before publishing it.
#[derive(Debug, Clone)]
pub struct NoteView {
    pub note: Model,
    pub content: NoteContent,
    /// Discussion points that name members in a note that must not (publishing
    /// for members would refuse them).
    pub warnings: Vec<FieldError>,
    /// Agenda item titles by id, for readers of the JSON.
    pub titles: HashMap<Uuid, String>,
}

pub(crate) fn status_of(note: &Model) -> Result<NoteStatus> {
    note.status
        .parse()
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("stored note status: {e}")))
}

fn attribution_of(note: &Model) -> Attribution {
    note.attribution
        .parse()
        .unwrap_or(Attribution::NonAttributed)
}

fn content_of(note: &Model) -> Result<NoteContent> {
    serde_json::from_value(note.content.clone())
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("stored note content: {e}")))
}

async fn note_of_meeting(conn: &impl ConnectionTrait, meeting_id: Uuid) -> Result<Option<Model>> {
    Ok(Entity::find()
        .filter(Column::MeetingId.eq(meeting_id))
        .one(conn)
        .await?)
}

async fn note_or_404(conn: &impl ConnectionTrait, meeting_id: Uuid) -> Result<Model> {
    note_of_meeting(conn, meeting_id)
        .await?
        .ok_or_else(|| Error::NotFound {
            entity: "summary note of meeting",
            id: meeting_id.to_string(),
        })
}

// ---------------------------------------------------------------------------
// Gathering what a note is assembled from.

/// Loads everything the note of `meeting` (and `second`) draws on: a handful of
/// queries, each for a whole set of rows.
pub async fn sources(
    conn: &impl ConnectionTrait,
    meeting: &meeting::Model,
    second: Option<&meeting::Model>,
) -> Result<NoteSources> {
    let mut meetings = vec![meeting.clone()];
    meetings.extend(second.cloned());
    meetings.sort_by_key(|m| m.starts_at);
    let ids: Vec<Uuid> = meetings.iter().map(|m| m.id).collect();
    let first = meetings[0].clone();
    let last = meetings[meetings.len() - 1].clone();

    let group = find_or_404::<group::Entity>(conn, meeting.group_id).await?;
    let parent_name = match group.parent_id {
        Some(parent) => group::Entity::find_by_id(parent)
            .one(conn)
            .await?
            .map(|g| g.name),
        None => None,
    };

    let mut agenda = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.is_in(ids.clone()))
        .all(conn)
        .await?;
    let meeting_order = |id: Uuid| ids.iter().position(|m| *m == id).unwrap_or(usize::MAX);
    agenda.sort_by_key(|i| (meeting_order(i.meeting_id), i.position));

    let register: Vec<(attendance::Model, person::Model)> = attendance::Entity::find()
        .filter(attendance::Column::MeetingId.is_in(ids.clone()))
        .find_also_related(person::Entity)
        .order_by_asc(person::Column::Name)
        .order_by_asc(attendance::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|(line, person)| person.map(|p| (line, p)))
        .collect();

    let sponsor_rows = membership::Entity::find()
        .filter(membership::Column::GroupId.eq(group.id))
        .filter(membership::Column::Role.eq(MembershipRole::Sponsor.as_str()))
        .filter(current_on(local_date(&first)))
        .find_also_related(person::Entity)
        .order_by_asc(person::Column::Name)
        .all(conn)
        .await?;
    let sponsors: Vec<String> = sponsor_rows
        .into_iter()
        .filter_map(|(_, p)| p.map(|p| p.name))
        .collect();

    let mut previous_actions = crate::service::actions::outstanding_before(conn, &first)
        .await?
        .into_iter()
        .filter(|a| !ids.contains(&a.meeting_id))
        .collect::<Vec<_>>();
    previous_actions.extend(completed_since_last_meeting(conn, &first).await?);
    let previous_item_ids: Vec<Uuid> = previous_actions
        .iter()
        .filter_map(|a| a.agenda_item_id)
        .collect();
    let previous_action_items = if previous_item_ids.is_empty() {
        HashMap::new()
    } else {
        agenda_item::Entity::find()
            .filter(agenda_item::Column::Id.is_in(previous_item_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|i| (i.id, i.visibility))
            .collect()
    };

    let mut actions = action_item::Entity::find()
        .filter(action_item::Column::MeetingId.is_in(ids.clone()))
        .all(conn)
        .await?;
    actions.sort_by_key(|a| (meeting_order(a.meeting_id), a.number));

    // People named outside the register: presenters and action owners.
    let on_register: HashSet<Uuid> = register.iter().map(|(_, p)| p.id).collect();
    let wanted: HashSet<Uuid> = agenda
        .iter()
        .filter_map(|i| i.presenter_person_id)
        .chain(
            actions
                .iter()
                .chain(previous_actions.iter())
                .filter_map(|a| a.owner_person_id),
        )
        .filter(|id| !on_register.contains(id))
        .collect();
    let mut people: HashMap<Uuid, person::Model> =
        register.iter().map(|(_, p)| (p.id, p.clone())).collect();
    if !wanted.is_empty() {
        for p in person::Entity::find()
            .filter(person::Column::Id.is_in(wanted))
            .all(conn)
            .await?
        {
            people.insert(p.id, p);
        }
    }

    let organisation_ids: HashSet<Uuid> = people
        .values()
        .filter_map(|p| p.organisation_id)
        .chain(
            actions
                .iter()
                .chain(previous_actions.iter())
                .filter_map(|a| a.owner_organisation_id),
        )
        .collect();
    let organisations: HashMap<Uuid, String> = if organisation_ids.is_empty() {
        HashMap::new()
    } else {
        organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(organisation_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect()
    };

    // The group's next meeting after this one that did or will take place: notes are
    // often agreed weeks later, when that meeting may already have been held.
    let next_meeting = meeting::Entity::find()
        .filter(meeting::Column::GroupId.eq(group.id))
        .filter(meeting::Column::Status.is_in([
            MeetingStatus::Scheduled.as_str(),
            MeetingStatus::Held.as_str(),
        ]))
        .filter(meeting::Column::StartsAt.gt(last.starts_at))
        .order_by_asc(meeting::Column::StartsAt)
        .one(conn)
        .await?;

    let author = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(OrganisationKind::Secretariat.as_str()))
        .order_by_asc(organisation::Column::CreatedAt)
        .order_by_asc(organisation::Column::Id)
        .one(conn)
        .await?
        .map(|o| o.name)
        .unwrap_or_else(|| "Secretariat".to_owned());

    Ok(NoteSources {
        group,
        meetings,
        agenda,
        register,
        people,
        organisations,
        sponsors,
        parent_name,
        previous_actions,
        previous_action_items,
        actions,
        next_meeting,
        author,
    })
}

/// Actions of the group's earlier meetings completed between its last meeting
/// and `meeting`: reported once, as done, in the note of the meeting after
/// which they were completed.
async fn completed_since_last_meeting(
    conn: &impl ConnectionTrait,
    meeting: &meeting::Model,
) -> Result<Vec<action_item::Model>> {
    let earlier: Vec<(Uuid, DateTime<Utc>)> = meeting::Entity::find()
        .filter(meeting::Column::GroupId.eq(meeting.group_id))
        .filter(meeting::Column::StartsAt.lt(meeting.starts_at))
        .select_only()
        .column(meeting::Column::Id)
        .column(meeting::Column::StartsAt)
        .into_tuple()
        .all(conn)
        .await?;
    let Some(last_start) = earlier.iter().map(|(_, at)| *at).max() else {
        return Ok(Vec::new());
    };
    let completed: Vec<Uuid> = action_status_change::Entity::find()
        .filter(action_status_change::Column::ToStatus.eq(ActionStatus::Done.as_str()))
        .filter(action_status_change::Column::ChangedAt.gte(last_start))
        .filter(action_status_change::Column::ChangedAt.lt(meeting.starts_at))
        .select_only()
        .column(action_status_change::Column::ActionId)
        .into_tuple()
        .all(conn)
        .await?;
    if completed.is_empty() {
        return Ok(Vec::new());
    }
    let earlier: HashMap<Uuid, DateTime<Utc>> = earlier.into_iter().collect();
    let mut done: Vec<action_item::Model> = action_item::Entity::find()
        .filter(action_item::Column::Id.is_in(completed))
        .filter(action_item::Column::Status.eq(ActionStatus::Done.as_str()))
        .all(conn)
        .await?
        .into_iter()
        .filter(|a| earlier.contains_key(&a.meeting_id))
        .collect();
    done.sort_by_key(|a| (earlier.get(&a.meeting_id).copied(), a.number));
    Ok(done)
}

async fn sources_for(
    conn: &impl ConnectionTrait,
    meeting: &meeting::Model,
    note: Option<&Model>,
) -> Result<NoteSources> {
    let second = match note.and_then(|n| n.second_meeting_id) {
        Some(id) => Some(find_or_404::<meeting::Entity>(conn, id).await?),
        None => None,
    };
    sources(conn, meeting, second.as_ref()).await
}

// ---------------------------------------------------------------------------
// Reading and writing the draft.

/// The note of a meeting. The secretariat sees any state; members of the group
/// see a published note only, without the items reserved to the secretariat.
pub async fn get(db: &DatabaseConnection, caller: &Caller, meeting_id: Uuid) -> Result<NoteView> {
    let meeting = crate::service::meetings::get(db, caller, meeting_id).await?;
    let note = note_or_404(db, meeting_id).await?;
    if !caller.is_secretariat() && status_of(&note)? != NoteStatus::Published {
        return Err(Error::forbidden(
            "the note is not published; members see published versions (GET /api/v1/summary-notes)",
        ));
    }
    let sources = sources_for(db, &meeting, Some(&note)).await?;
    let mut content = content_of(&note)?;
    let audience = if caller.is_secretariat() {
        Visibility::Secretariat
    } else {
        Visibility::Members
    };
    let hidden: HashSet<Uuid> = sources
        .agenda
        .iter()
        .filter(|i| {
            !i.visibility
                .parse::<Visibility>()
                .is_ok_and(|v| v.visible_to(audience))
        })
        .map(|i| i.id)
        .collect();
    content
        .items
        .retain(|i| !hidden.contains(&i.agenda_item_id));
    let warnings = if caller.is_secretariat() {
        let mut warnings = assemble::naming_problems(
            &sources,
            &content,
            attribution_of(&note),
            Visibility::Members,
        );
        warnings.extend(assemble::presenter_warnings(
            &sources,
            &content,
            Visibility::Secretariat,
        ));
        warnings
    } else {
        Vec::new()
    };
    let titles = sources
        .agenda
        .iter()
        .map(|i| (i.id, i.title.clone()))
        .collect();
    Ok(NoteView {
        note,
        content,
        warnings,
        titles,
    })
}

/// Checks what was written and returns it cleaned (trimmed, blanks dropped).
fn check_content(
    v: &mut Validation,
    content: NoteContent,
    agenda: &[agenda_item::Model],
    speakers: &HashSet<Uuid>,
) -> NoteContent {
    let text = |v: &mut Validation, field: &str, value: Option<&str>| {
        v.check(field, values::optional_text(value, MAX_TEXT))
            .flatten()
    };
    let list = |v: &mut Validation, field: &str, values: Vec<String>| -> Vec<String> {
        values
            .iter()
            .enumerate()
            .filter_map(|(i, t)| text(v, &format!("{field}[{i}]"), Some(t)))
            .collect()
    };
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for (i, item) in content.items.into_iter().enumerate() {
        let at = |name: &str| format!("items[{i}].{name}");
        match agenda.iter().find(|a| a.id == item.agenda_item_id) {
            None => v.fail(
                &at("agenda_item_id"),
                "must be an agenda item of this meeting (or of the second meeting the note covers)",
            ),
            Some(_) if !seen.insert(item.agenda_item_id) => v.fail(
                &at("agenda_item_id"),
                "this agenda item is already in the note",
            ),
            Some(_) => {}
        }
        let mut discussion = Vec::new();
        for (j, point) in item.discussion.into_iter().enumerate() {
            let field = format!("items[{i}].discussion[{j}]");
            let Some(point_text) = text(v, &format!("{field}.text"), Some(&point.text)) else {
                continue;
            };
            if let Some(speaker) = point.speaker_person_id
                && !speakers.contains(&speaker)
            {
                v.fail(
                    &format!("{field}.speaker_person_id"),
                    "must be someone on the attendance register or the item's presenter",
                );
            }
            discussion.push(crate::notes::content::Point {
                text: point_text,
                speaker_person_id: point.speaker_person_id,
            });
        }
        items.push(crate::notes::content::NoteItem {
            agenda_item_id: item.agenda_item_id,
            summary: text(v, &at("summary"), item.summary.as_deref()),
            discussion,
            officials_response: text(
                v,
                &at("officials_response"),
                item.officials_response.as_deref(),
            ),
            agreed: list(v, &at("agreed"), item.agreed),
        });
    }
    NoteContent {
        purpose: text(v, "purpose", content.purpose.as_deref()),
        items,
        key_issues: list(v, "key_issues", content.key_issues),
        next_steps: list(v, "next_steps", content.next_steps),
        aob: text(v, "aob", content.aob.as_deref()),
        next_meeting: v
            .check(
                "next_meeting",
                values::optional_text(content.next_meeting.as_deref(), 500),
            )
            .flatten(),
    }
}

/// Writes the draft note of a meeting, creating it if there is none. Only a draft
/// may be written; `expected_version` guards against overwriting someone else's
/// edit. Returns the note and whether it was created.
pub async fn save(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    expected_version: Option<i32>,
    input: NoteInput,
) -> Result<(Model, bool)> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let meeting = find_or_404::<meeting::Entity>(&txn, meeting_id).await?;
    let current = note_of_meeting(&txn, meeting_id).await?;
    if let Some(current) = &current {
        check_version::<Entity>(expected_version, current.version)?;
        lifecycle::note_editable(status_of(current)?)?;
    }

    let mut v = Validation::new();
    let second = match input.second_meeting_id {
        None => None,
        Some(id) => match meeting::Entity::find_by_id(id).one(&txn).await? {
            Some(m) if m.id != meeting.id && m.group_id == meeting.group_id => Some(m),
            _ => {
                v.fail(
                    "second_meeting_id",
                    "must be another meeting of the same group",
                );
                None
            }
        },
    };
    if let Some(second) = &second
        && let Some(other) = note_of_meeting(&txn, second.id).await?
        && Some(other.id) != current.as_ref().map(|c| c.id)
    {
        v.fail(
            "second_meeting_id",
            "that meeting has a summary note of its own",
        );
    }
    let mut ids = vec![meeting.id];
    ids.extend(second.as_ref().map(|m| m.id));
    let agenda = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.is_in(ids.clone()))
        .all(&txn)
        .await?;
    let mut speakers: HashSet<Uuid> = attendance::Entity::find()
        .filter(attendance::Column::MeetingId.is_in(ids))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    speakers.extend(agenda.iter().filter_map(|a| a.presenter_person_id));
    let content = check_content(&mut v, input.content, &agenda, &speakers);
    v.finish()?;

    let attribution = input.attribution.unwrap_or_else(|| {
        current
            .as_ref()
            .map(attribution_of)
            .unwrap_or(Attribution::NonAttributed)
    });
    let stored = serde_json::to_value(&content)
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("note content: {e}")))?;
    let at = now();
    let (model, created) = match current {
        None => {
            let model = summary_note::ActiveModel {
                id: Set(Uuid::new_v4()),
                meeting_id: Set(meeting.id),
                second_meeting_id: Set(second.as_ref().map(|m| m.id)),
                group_id: Set(meeting.group_id),
                status: Set(NoteStatus::Draft.as_str().to_owned()),
                attribution: Set(attribution.as_str().to_owned()),
                content: Set(stored.clone()),
                comment_deadline: Set(None),
                approved_on: Set(None),
                published_version: Set(None),
                published_audience: Set(None),
                published_at: Set(None),
                version: Set(1),
                created_at: Set(at),
                updated_at: Set(at),
            }
            .insert(&txn)
            .await?;
            (model, true)
        }
        Some(current) => {
            let mut next = current.clone();
            next.second_meeting_id = second.as_ref().map(|m| m.id);
            next.attribution = attribution.as_str().to_owned();
            next.content = stored.clone();
            next.updated_at = at;
            update_versioned::<Entity>(&txn, current.id, current.version, next.clone()).await?;
            next.version = current.version + 1;
            (next, false)
        }
    };
    audit::record(
        &txn,
        caller,
        if created {
            "summary_note.create"
        } else {
            "summary_note.update"
        },
        "summary_note",
        Some(model.id),
        json!({
            "meeting_id": meeting.id, "second_meeting_id": model.second_meeting_id,
            "attribution": model.attribution, "content": stored,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok((model, created))
}

// ---------------------------------------------------------------------------
// The lifecycle.

/// Loads the note for a transition, checks the version and the rule, and writes
/// the change with its audit event. `apply` sets the new state on a copy.
async fn transition(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    expected_version: Option<i32>,
    operation: &str,
    rule: fn(NoteStatus) -> std::result::Result<(), lifecycle::Refusal>,
    apply: impl FnOnce(&mut Model),
) -> Result<Model> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let current = note_or_404(&txn, meeting_id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    let from = status_of(&current)?;
    rule(from)?;
    let mut next = current.clone();
    apply(&mut next);
    next.updated_at = now();
    update_versioned::<Entity>(&txn, current.id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(
        &txn,
        caller,
        operation,
        "summary_note",
        Some(current.id),
        json!({
            "from": from.as_str(), "to": next.status,
            "comment_deadline": next.comment_deadline, "approved_on": next.approved_on,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// The meetings a note covers: the meeting, and the second one its note names.
async fn covered_meetings(
    conn: &impl ConnectionTrait,
    meeting: &meeting::Model,
) -> Result<Vec<meeting::Model>> {
    let mut meetings = vec![meeting.clone()];
    if let Some(second) = note_of_meeting(conn, meeting.id)
        .await?
        .and_then(|n| n.second_meeting_id)
    {
        meetings.push(find_or_404::<meeting::Entity>(conn, second).await?);
    }
    Ok(meetings)
}

/// Refuses (409) to move a note on while a meeting it covers has not taken place.
fn require_held(meetings: &[meeting::Model]) -> Result<()> {
    let at = now();
    for meeting in meetings {
        let status = meeting
            .status
            .parse::<MeetingStatus>()
            .map_err(|e| Error::Unexpected(anyhow::anyhow!("stored meeting status: {e}")))?;
        lifecycle::note_meeting_held(status, meeting.starts_at, at)?;
    }
    Ok(())
}

/// Sends the draft to members for comment until `comment_deadline`.
pub async fn circulate(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    expected_version: Option<i32>,
    comment_deadline: NaiveDate,
) -> Result<Model> {
    caller.require_secretariat()?;
    let meeting = find_or_404::<meeting::Entity>(db, meeting_id).await?;
    require_held(&covered_meetings(db, &meeting).await?)?;
    if comment_deadline < local_date(&meeting) {
        return Err(Error::invalid(
            "comment_deadline",
            "must not be before the meeting",
        ));
    }
    transition(
        db,
        caller,
        meeting_id,
        expected_version,
        "summary_note.circulate",
        lifecycle::note_circulate,
        |note| {
            note.status = NoteStatus::Circulated.as_str().to_owned();
            note.comment_deadline = Some(comment_deadline);
        },
    )
    .await
}

/// Records that the group agreed the note, today.
pub async fn approve(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    expected_version: Option<i32>,
) -> Result<Model> {
    caller.require_secretariat()?;
    let meeting = find_or_404::<meeting::Entity>(db, meeting_id).await?;
    require_held(&covered_meetings(db, &meeting).await?)?;
    let today = today_at(&meeting, now());
    transition(
        db,
        caller,
        meeting_id,
        expected_version,
        "summary_note.approve",
        lifecycle::note_approve,
        |note| {
            note.status = NoteStatus::Approved.as_str().to_owned();
            note.approved_on = Some(today);
        },
    )
    .await
}

/// Takes the note back to draft for a correction, saying why. Published versions
/// stay as they are; the next publication is a new version that supersedes them.
/// The reason is kept in the audit trail and shown beside the version it leads to.
pub async fn revise(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    expected_version: Option<i32>,
    reason: &str,
) -> Result<Model> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let current = note_or_404(&txn, meeting_id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    let from = status_of(&current)?;
    lifecycle::note_revise(from)?;
    let mut v = Validation::new();
    let reason = v.check("reason", values::required_text(reason, 1000));
    v.finish()?;
    let mut next = current.clone();
    next.status = NoteStatus::Draft.as_str().to_owned();
    next.approved_on = None;
    next.updated_at = now();
    update_versioned::<Entity>(&txn, current.id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(
        &txn,
        caller,
        "summary_note.revise",
        "summary_note",
        Some(current.id),
        json!({"from": from.as_str(), "to": next.status, "reason": reason}),
    )
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// The day `at` falls on where the meeting is, so that "Agreed …" and
/// "Published …" name the secretariat's day, not UTC's.
fn today_at(meeting: &meeting::Model, at: DateTime<Utc>) -> NaiveDate {
    let zone: chrono_tz::Tz = meeting
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::London);
    at.with_timezone(&zone).date_naive()
}

/// The renderer's view of where the note is.
fn rendered_status(
    note: &Model,
    status: NoteStatus,
    meeting: &meeting::Model,
    today: NaiveDate,
) -> model::NoteStatus {
    match status {
        NoteStatus::Draft => model::NoteStatus::Draft,
        NoteStatus::Circulated => match note.comment_deadline {
            Some(deadline) => model::NoteStatus::Circulated {
                comment_deadline: deadline,
            },
            None => model::NoteStatus::Draft,
        },
        NoteStatus::Approved => model::NoteStatus::Approved {
            on: note.approved_on.unwrap_or(today),
        },
        // A preview of a published note shows it as published: its text is
        // the published text until the note is revised.
        NoteStatus::Published => model::NoteStatus::Published {
            agreed: note.approved_on,
            on: note
                .published_at
                .map(|at| today_at(meeting, at))
                .unwrap_or(today),
        },
    }
}

/// The readable download name of a rendition:
/// `2026-03-12-rr3-frd-sig-meeting-5-summary-note-v1.docx`.
pub fn file_name(sources: &NoteSources, main_short_name: Option<&str>, suffix: &str) -> String {
    let group = &sources.group;
    let mut parts: Vec<String> = Vec::new();
    parts.push(
        local_date(&sources.meetings[0])
            .format("%Y-%m-%d")
            .to_string(),
    );
    if let Some(main) = main_short_name {
        parts.push(main.to_owned());
    }
    parts.push(group.short_name.clone());
    let is_sig = group.kind.parse::<GroupKind>() == Ok(GroupKind::Sig);
    if is_sig && !group.short_name.to_lowercase().ends_with("sig") {
        parts.push("sig".to_owned());
    }
    let numbers: Vec<String> = sources
        .meetings
        .iter()
        .map(|m| m.number.to_string())
        .collect();
    match numbers.as_slice() {
        [one] => parts.push(format!("meeting-{one}")),
        many => parts.push(format!("meetings-{}", many.join("-and-"))),
    }
    parts.push(format!("summary-note-{suffix}"));
    format!("{}.docx", slug(&parts.join(" ")))
}

/// Lower-case words joined by hyphens; letters of any script are kept (the ASCII
/// fallback is made at download).
fn slug(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The short name of the main group, for file names of SIG notes.
async fn main_short_name(
    conn: &impl ConnectionTrait,
    group: &group::Model,
) -> Result<Option<String>> {
    Ok(match group.parent_id {
        Some(parent) => group::Entity::find_by_id(parent)
            .one(conn)
            .await?
            .map(|g| g.short_name),
        None => None,
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Publishes the approved note for `audience` as its next version: renders it
/// once, stores the bytes with their SHA-256, and marks the note published. A note
/// that must not name members is refused if a discussion point does.
pub async fn publish(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    expected_version: Option<i32>,
    audience: NoteAudience,
) -> Result<(Model, note_version::Model)> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let current = note_or_404(&txn, meeting_id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    let from = status_of(&current)?;
    lifecycle::note_publish(from)?;

    let meeting = find_or_404::<meeting::Entity>(&txn, meeting_id).await?;
    let sources = sources_for(&txn, &meeting, Some(&current)).await?;
    require_held(&sources.meetings)?;
    let content = content_of(&current)?;
    let attribution = attribution_of(&current);
    let problems =
        assemble::naming_problems(&sources, &content, attribution, audience.visibility());
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }

    let previous = note_version::Entity::find()
        .filter(note_version::Column::NoteId.eq(current.id))
        .order_by_desc(note_version::Column::Number)
        .select_only()
        .column(note_version::Column::Id)
        .column(note_version::Column::Number)
        .into_tuple::<(Uuid, i32)>()
        .one(&txn)
        .await?;
    let number = previous.map_or(1, |(_, n)| n + 1);
    let at = now();
    let mut next = current.clone();
    next.status = NoteStatus::Published.as_str().to_owned();
    next.published_version = Some(number);
    next.published_audience = Some(audience.as_str().to_owned());
    next.published_at = Some(at);
    next.updated_at = at;

    let document = assemble::assemble(
        &sources,
        &content,
        Rendition {
            audience: audience.visibility(),
            attribution,
            status: model::NoteStatus::Published {
                agreed: current.approved_on,
                on: today_at(&meeting, at),
            },
            version: Some(number as u32),
            draft_marking: false,
            created: at,
        },
    );
    let bytes = render::render(&document)
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("rendering the note: {e}")))?;
    let main = main_short_name(&txn, &sources.group).await?;
    let version = note_version::ActiveModel {
        id: Set(Uuid::new_v4()),
        note_id: Set(current.id),
        number: Set(number),
        audience: Set(audience.as_str().to_owned()),
        sha256: Set(sha256_hex(&bytes)),
        size_bytes: Set(bytes.len() as i32),
        file_name: Set(file_name(&sources, main.as_deref(), &format!("v{number}"))),
        document: Set(bytes),
        supersedes_id: Set(previous.map(|(id, _)| id)),
        published_at: Set(at),
        published_by: Set(caller.actor()),
        published_by_token_id: Set(Some(caller.token_id)),
    }
    .insert(&txn)
    .await?;

    update_versioned::<Entity>(&txn, current.id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(
        &txn,
        caller,
        "summary_note.publish",
        "summary_note",
        Some(current.id),
        json!({
            "from": from.as_str(), "to": next.status, "version": number, "audience": audience.as_str(),
            "sha256": version.sha256, "supersedes_id": version.supersedes_id,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok((next, version))
}

/// A draft rendition of the note (or of an empty note, before one is written) for
/// `audience`, marked DRAFT, for the secretariat to check. Returns the bytes, the
/// file name and the naming warnings publishing would refuse.
pub async fn preview(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    audience: Visibility,
) -> Result<(Vec<u8>, String, Vec<FieldError>)> {
    caller.require_secretariat()?;
    let meeting = find_or_404::<meeting::Entity>(db, meeting_id).await?;
    let note = note_of_meeting(db, meeting_id).await?;
    let sources = sources_for(db, &meeting, note.as_ref()).await?;
    let (content, attribution, status) = match &note {
        Some(note) => (content_of(note)?, attribution_of(note), status_of(note)?),
        None => (
            NoteContent::default(),
            Attribution::NonAttributed,
            NoteStatus::Draft,
        ),
    };
    let at = now();
    let shown = match &note {
        Some(note) => rendered_status(note, status, &meeting, today_at(&meeting, at)),
        None => model::NoteStatus::Draft,
    };
    let mut warnings = assemble::naming_problems(&sources, &content, attribution, audience);
    warnings.extend(assemble::presenter_warnings(&sources, &content, audience));
    let published = status == NoteStatus::Published;
    let document = assemble::assemble(
        &sources,
        &content,
        Rendition {
            audience,
            attribution,
            status: shown,
            version: if published {
                note.as_ref()
                    .and_then(|n| n.published_version)
                    .map(|v| v as u32)
            } else {
                None
            },
            draft_marking: !published,
            created: at,
        },
    );
    let bytes = render::render(&document)
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("rendering the note: {e}")))?;
    let main = main_short_name(db, &sources.group).await?;
    let name = file_name(
        &sources,
        main.as_deref(),
        &format!("draft-{}", audience.as_str()),
    );
    Ok((bytes, name, warnings))
}

// ---------------------------------------------------------------------------
// Published notes: the list and the downloads. Anyone may read public versions;
// members read members' versions of their own groups; the secretariat reads all.

/// Whether `caller` (or an anonymous reader) may read a version for `audience` of a
/// note of `group_id`.
async fn may_read(
    conn: &impl ConnectionTrait,
    caller: Option<&Caller>,
    audience: &str,
    group_id: Uuid,
) -> Result<bool> {
    if audience == NoteAudience::Public.as_str() {
        return Ok(true);
    }
    let Some(caller) = caller else {
        return Ok(false);
    };
    Ok(match readable_groups(conn, caller).await? {
        None => true,
        Some(groups) => groups.contains(&group_id),
    })
}

fn refuse_read(caller: Option<&Caller>) -> Error {
    match caller {
        None => {
            Error::Unauthorized("this note is published for members: send a member's token".into())
        }
        Some(_) => Error::forbidden("this note is published for the members of its group"),
    }
}

/// A published note as listed, with its group and meeting.
#[derive(Debug, Clone)]
pub struct PublishedNote {
    pub note: Model,
    pub group: group::Model,
    pub meeting: meeting::Model,
    pub second_meeting: Option<meeting::Model>,
    pub current: NoteVersionMeta,
}

/// A published version without its bytes.
#[derive(Debug, Clone)]
pub struct NoteVersionMeta {
    pub id: Uuid,
    pub note_id: Uuid,
    pub number: i32,
    pub audience: String,
    pub sha256: String,
    pub size_bytes: i32,
    pub file_name: String,
    pub supersedes_number: Option<i32>,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

type MetaRow = (
    Uuid,
    Uuid,
    i32,
    String,
    String,
    i32,
    String,
    Option<Uuid>,
    DateTime<Utc>,
    String,
);

async fn version_metas(
    conn: &impl ConnectionTrait,
    note_ids: Vec<Uuid>,
) -> Result<Vec<NoteVersionMeta>> {
    use note_version::Column as V;
    if note_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<MetaRow> = note_version::Entity::find()
        .select_only()
        .columns([
            V::Id,
            V::NoteId,
            V::Number,
            V::Audience,
            V::Sha256,
            V::SizeBytes,
            V::FileName,
            V::SupersedesId,
            V::PublishedAt,
            V::PublishedBy,
        ])
        .filter(V::NoteId.is_in(note_ids))
        .order_by_asc(V::Number)
        .into_tuple()
        .all(conn)
        .await?;
    let numbers: HashMap<Uuid, i32> = rows.iter().map(|r| (r.0, r.2)).collect();
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                note_id,
                number,
                audience,
                sha256,
                size_bytes,
                file_name,
                supersedes,
                published_at,
                published_by,
            )| NoteVersionMeta {
                id,
                note_id,
                number,
                audience,
                sha256,
                size_bytes,
                file_name,
                supersedes_number: supersedes.and_then(|s| numbers.get(&s).copied()),
                published_at,
                published_by,
            },
        )
        .collect())
}

/// Published notes the caller may read, newest publication first, each with its
/// current version.
pub async fn list_published(
    db: &DatabaseConnection,
    caller: Option<&Caller>,
    group_id: Option<Uuid>,
    page: &PageParams,
) -> Result<Page<PublishedNote>> {
    let mut query = Entity::find().filter(Column::PublishedVersion.is_not_null());
    let public = Column::PublishedAudience.eq(NoteAudience::Public.as_str());
    let groups = match caller {
        None => Some(Vec::new()),
        Some(caller) => readable_groups(db, caller).await?,
    };
    if let Some(groups) = groups {
        query = query.filter(
            Condition::any()
                .add(public)
                .add(Column::GroupId.is_in(groups)),
        );
    }
    if let Some(group_id) = group_id {
        query = query.filter(Column::GroupId.eq(group_id));
    }
    let notes = fetch_page_ordered(
        db,
        query,
        Expr::col(Column::PublishedAt),
        Column::Id,
        Order::Desc,
        page,
        |n: &Model| (n.published_at.unwrap_or_default(), n.id),
    )
    .await?;
    let ids: Vec<Uuid> = notes.items.iter().map(|n| n.id).collect();
    let metas = version_metas(db, ids).await?;
    let meeting_ids: Vec<Uuid> = notes
        .items
        .iter()
        .flat_map(|n| std::iter::once(n.meeting_id).chain(n.second_meeting_id))
        .collect();
    let group_ids: Vec<Uuid> = notes.items.iter().map(|n| n.group_id).collect();
    let meetings: HashMap<Uuid, meeting::Model> = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(meeting_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let groups: HashMap<Uuid, group::Model> = group::Entity::find()
        .filter(group::Column::Id.is_in(group_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut items = Vec::new();
    for note in notes.items {
        let current = metas
            .iter()
            .find(|m| m.note_id == note.id && Some(m.number) == note.published_version)
            .cloned();
        let (Some(current), Some(meeting), Some(group)) = (
            current,
            meetings.get(&note.meeting_id).cloned(),
            groups.get(&note.group_id).cloned(),
        ) else {
            continue;
        };
        let second_meeting = note
            .second_meeting_id
            .and_then(|id| meetings.get(&id).cloned());
        items.push(PublishedNote {
            note,
            group,
            meeting,
            second_meeting,
            current,
        });
    }
    Ok(Page {
        items,
        next_cursor: notes.next_cursor,
    })
}

/// A published note with every version the caller may read, oldest first.
pub async fn published(
    db: &DatabaseConnection,
    caller: Option<&Caller>,
    note_id: Uuid,
) -> Result<(PublishedNote, Vec<NoteVersionMeta>)> {
    let note = find_or_404::<Entity>(db, note_id).await?;
    let not_published = || Error::NotFound {
        entity: "published summary note",
        id: note_id.to_string(),
    };
    if note.published_version.is_none() {
        return Err(not_published());
    }
    let all = version_metas(db, vec![note.id]).await?;
    let mut readable = Vec::new();
    for meta in &all {
        if may_read(db, caller, &meta.audience, note.group_id).await? {
            readable.push(meta.clone());
        }
    }
    if readable.is_empty() {
        return Err(refuse_read(caller));
    }
    let current = all
        .iter()
        .find(|m| Some(m.number) == note.published_version)
        .cloned()
        .ok_or_else(not_published)?;
    let meeting = find_or_404::<meeting::Entity>(db, note.meeting_id).await?;
    let group = find_or_404::<group::Entity>(db, note.group_id).await?;
    let second_meeting = match note.second_meeting_id {
        Some(id) => meeting::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    Ok((
        PublishedNote {
            note,
            group,
            meeting,
            second_meeting,
            current,
        },
        readable,
    ))
}

/// The stored bytes of version `number` of a note, as published.
pub async fn document(
    db: &DatabaseConnection,
    caller: Option<&Caller>,
    note_id: Uuid,
    number: i32,
) -> Result<note_version::Model> {
    let note = find_or_404::<Entity>(db, note_id).await?;
    let version = note_version::Entity::find()
        .filter(note_version::Column::NoteId.eq(note_id))
        .filter(note_version::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound {
            entity: "published version",
            id: format!("{number} of summary note {note_id}"),
        })?;
    if !may_read(db, caller, &version.audience, note.group_id).await? {
        return Err(refuse_read(caller));
    }
    Ok(version)
}

/// The SHA-256 of a stored version, without loading its bytes: enough to answer a
/// conditional request.
pub async fn document_tag(
    db: &DatabaseConnection,
    caller: Option<&Caller>,
    note_id: Uuid,
    number: i32,
) -> Result<Option<String>> {
    let note = find_or_404::<Entity>(db, note_id).await?;
    let row: Option<(String, String)> = note_version::Entity::find()
        .select_only()
        .column(note_version::Column::Sha256)
        .column(note_version::Column::Audience)
        .filter(note_version::Column::NoteId.eq(note_id))
        .filter(note_version::Column::Number.eq(number))
        .into_tuple()
        .one(db)
        .await?;
    match row {
        Some((sha, audience)) if may_read(db, caller, &audience, note.group_id).await? => {
            Ok(Some(sha))
        }
        Some(_) => Err(refuse_read(caller)),
        None => Ok(None),
    }
}

/// The published note of `meeting_id` (the meeting it covers first or second) with
/// the versions the caller (or an anonymous reader) may read, oldest first; `None`
/// when nothing is published or nothing published is for this reader. Drafts are
/// never returned: only published versions exist to read.
pub async fn published_for_meeting(
    db: &DatabaseConnection,
    caller: Option<&Caller>,
    meeting_id: Uuid,
) -> Result<Option<(PublishedNote, Vec<NoteVersionMeta>)>> {
    let note = Entity::find()
        .filter(
            Condition::any()
                .add(Column::MeetingId.eq(meeting_id))
                .add(Column::SecondMeetingId.eq(meeting_id)),
        )
        .filter(Column::PublishedVersion.is_not_null())
        .one(db)
        .await?;
    let Some(note) = note else { return Ok(None) };
    match published(db, caller, note.id).await {
        Ok(found) => Ok(Some(found)),
        Err(Error::Forbidden(_) | Error::Unauthorized(_) | Error::NotFound { .. }) => Ok(None),
        Err(err) => Err(err),
    }
}

/// A note waiting for the secretariat: circulated (awaiting approval) or approved
/// (awaiting publication), with its meeting and group.
#[derive(Debug, Clone)]
pub struct AwaitingNote {
    pub note: Model,
    pub meeting: meeting::Model,
    pub group: group::Model,
}

/// The meetings and groups of `notes`, by id, in two queries: for lists of notes.
pub async fn meetings_and_groups(
    conn: &impl ConnectionTrait,
    notes: &[Model],
) -> Result<(HashMap<Uuid, meeting::Model>, HashMap<Uuid, group::Model>)> {
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(notes.iter().map(|n| n.meeting_id).collect::<Vec<_>>()))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let groups = group::Entity::find()
        .filter(group::Column::Id.is_in(notes.iter().map(|n| n.group_id).collect::<Vec<_>>()))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    Ok((meetings, groups))
}

/// Notes circulated or approved and not yet published in that state, oldest meeting
/// first. Secretariat only.
pub async fn awaiting(db: &DatabaseConnection, caller: &Caller) -> Result<Vec<AwaitingNote>> {
    caller.require_secretariat()?;
    let notes = Entity::find()
        .filter(Column::Status.is_in([
            NoteStatus::Circulated.as_str(),
            NoteStatus::Approved.as_str(),
        ]))
        .all(db)
        .await?;
    let (meetings, groups) = meetings_and_groups(db, &notes).await?;
    let mut out: Vec<AwaitingNote> = notes
        .into_iter()
        .filter_map(|note| {
            Some(AwaitingNote {
                meeting: meetings.get(&note.meeting_id)?.clone(),
                group: groups.get(&note.group_id)?.clone(),
                note,
            })
        })
        .collect();
    out.sort_by_key(|a| (a.meeting.starts_at, a.note.id));
    Ok(out)
}

// ---------------------------------------------------------------------------
// The secretariat's note editor and the members' circulated draft, in the web
// workspace. Everything a page shows of a note's text comes from the same
// assembled rendition the Word document is rendered from.

/// A rendition of the note as it now stands, assembled for one audience.
#[derive(Debug, Clone)]
pub struct DraftRendition {
    pub document: model::NoteDocument,
    /// The name its `.docx` download carries.
    pub file_name: String,
}

/// Assembles the note of `meeting` (or an empty note, before one is written) for
/// `audience`, marked DRAFT, exactly as [`preview`] does before rendering.
async fn assemble_draft(
    conn: &impl ConnectionTrait,
    meeting: &meeting::Model,
    note: Option<&Model>,
    audience: Visibility,
) -> Result<DraftRendition> {
    let sources = sources_for(conn, meeting, note).await?;
    let (content, attribution, status) = match note {
        Some(note) => (content_of(note)?, attribution_of(note), status_of(note)?),
        None => (
            NoteContent::default(),
            Attribution::NonAttributed,
            NoteStatus::Draft,
        ),
    };
    let at = now();
    let shown = match note {
        Some(note) => rendered_status(note, status, meeting, today_at(meeting, at)),
        None => model::NoteStatus::Draft,
    };
    let document = assemble::assemble(
        &sources,
        &content,
        Rendition {
            audience,
            attribution,
            status: shown,
            version: None,
            draft_marking: true,
            created: at,
        },
    );
    let main = main_short_name(conn, &sources.group).await?;
    let file_name = file_name(
        &sources,
        main.as_deref(),
        &format!("draft-{}", audience.as_str()),
    );
    Ok(DraftRendition {
        document,
        file_name,
    })
}

/// The note as `audience` would receive it now, for the secretariat's preview on
/// the page. Secretariat only.
pub async fn draft_rendition(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    audience: Visibility,
) -> Result<DraftRendition> {
    caller.require_secretariat()?;
    let meeting = find_or_404::<meeting::Entity>(db, meeting_id).await?;
    let note = note_of_meeting(db, meeting_id).await?;
    assemble_draft(db, &meeting, note.as_ref(), audience).await
}

/// The circulated draft as members receive it: for the group's members and the
/// officials who attended (and the secretariat), while comments are open.
pub async fn circulated_rendition(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<DraftRendition> {
    let meeting = find_or_404::<meeting::Entity>(db, meeting_id).await?;
    let note = note_or_404(db, meeting_id).await?;
    if !crate::service::note_comments::may_read_circulated(db, caller, &note, &meeting).await? {
        return Err(Error::forbidden(
            "the circulated draft is for the group's members and the officials who attended",
        ));
    }
    if let Some(why) = crate::service::note_comments::closed_because(&note, &meeting) {
        return Err(Error::Conflict(why));
    }
    assemble_draft(db, &meeting, Some(&note), Visibility::Members).await
}

/// The circulated draft as a Word document marked DRAFT, for the same readers as
/// [`circulated_rendition`].
pub async fn circulated_document(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<(Vec<u8>, String)> {
    let rendition = circulated_rendition(db, caller, meeting_id).await?;
    let bytes = render::render(&rendition.document)
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("rendering the note: {e}")))?;
    Ok((bytes, rendition.file_name))
}

/// Something the secretariat should look at before publishing, placed beside the
/// agenda item (and discussion point) it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorWarning {
    pub agenda_item_id: Uuid,
    /// The discussion point, counting from 0 as written.
    pub point: Option<usize>,
    pub message: String,
}

/// A person who may be credited with a discussion point: on the register of a
/// covered meeting, or presenting an item.
#[derive(Debug, Clone)]
pub struct Speaker {
    pub id: Uuid,
    pub name: String,
    /// Their role at the meeting, in words ("Official", "Member").
    pub role: String,
    /// Whether the note's attribution mode lets the document name them.
    pub named: bool,
}

/// What the note editor needs: the meeting, its agenda (and the second meeting's),
/// what has been written, who may be credited, and the warnings.
#[derive(Debug, Clone)]
pub struct EditorView {
    pub meeting: meeting::Model,
    pub group: group::Model,
    pub note: Option<Model>,
    pub status: NoteStatus,
    pub attribution: Attribution,
    pub content: NoteContent,
    /// The agenda items of the covered meetings, in meeting then agenda order.
    pub agenda: Vec<agenda_item::Model>,
    pub speakers: Vec<Speaker>,
    pub warnings: Vec<EditorWarning>,
    /// Other meetings of the group the note could also cover.
    pub other_meetings: Vec<meeting::Model>,
}

/// The note editor's view of a meeting's note (or of the note still to write).
/// Secretariat only.
pub async fn editor(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<EditorView> {
    caller.require_secretariat()?;
    let meeting = find_or_404::<meeting::Entity>(db, meeting_id).await?;
    let group = find_or_404::<group::Entity>(db, meeting.group_id).await?;
    let note = note_of_meeting(db, meeting_id).await?;
    let sources = sources_for(db, &meeting, note.as_ref()).await?;
    let (content, attribution, status) = match &note {
        Some(note) => (content_of(note)?, attribution_of(note), status_of(note)?),
        None => (
            NoteContent::default(),
            Attribution::NonAttributed,
            NoteStatus::Draft,
        ),
    };
    let warnings = editor_warnings(&sources, &content, attribution);
    let speakers = speakers_of(&sources, attribution);
    let other_meetings = meeting::Entity::find()
        .filter(meeting::Column::GroupId.eq(meeting.group_id))
        .filter(meeting::Column::Id.ne(meeting.id))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    Ok(EditorView {
        meeting,
        group,
        note,
        status,
        attribution,
        content,
        agenda: sources.agenda,
        speakers,
        warnings,
        other_meetings,
    })
}

/// A role at a meeting in words: "Co-chair", "Official".
fn role_words(role: &str) -> String {
    let words = match role {
        "co_chair" => "co-chair".to_owned(),
        "co_opted" => "co-opted member".to_owned(),
        other => other.replace('_', " "),
    };
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn speakers_of(sources: &NoteSources, attribution: Attribution) -> Vec<Speaker> {
    use crate::domain::AttendanceRole;
    let mut out: Vec<Speaker> = Vec::new();
    let presenters: HashSet<Uuid> = sources
        .agenda
        .iter()
        .filter_map(|i| i.presenter_person_id)
        .collect();
    for (line, person) in &sources.register {
        if out.iter().any(|s| s.id == person.id) {
            continue;
        }
        let role = line.role.parse::<AttendanceRole>().ok();
        let official = matches!(
            role,
            Some(AttendanceRole::Official | AttendanceRole::Presenter)
        ) || presenters.contains(&person.id);
        out.push(Speaker {
            id: person.id,
            name: person.name.clone(),
            role: role_words(&line.role),
            named: match attribution {
                Attribution::NonAttributed => false,
                Attribution::OfficialsNamed => official,
                Attribution::FullyAttributed => true,
            },
        });
    }
    for id in presenters {
        if out.iter().any(|s| s.id == id) {
            continue;
        }
        if let Some(person) = sources.people.get(&id) {
            out.push(Speaker {
                id,
                name: person.name.clone(),
                role: "Presenter".into(),
                named: attribution != Attribution::NonAttributed,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The editor's warnings: a member named in a note that must not name them, a
/// presenter credited who sent apologies or was absent, an item with nothing
/// written.
fn editor_warnings(
    sources: &NoteSources,
    content: &NoteContent,
    attribution: Attribution,
) -> Vec<EditorWarning> {
    let mut out = Vec::new();
    for problem in assemble::naming_problems(sources, content, attribution, Visibility::Members) {
        // `items[i].discussion[j]`, counted as written.
        let numbers: Vec<usize> = problem
            .field
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        if let [i, j] = numbers.as_slice()
            && let Some(item) = content.items.get(*i)
        {
            out.push(EditorWarning {
                agenda_item_id: item.agenda_item_id,
                point: Some(*j),
                message: format!("This point {}.", problem.message),
            });
        }
    }
    for item in &sources.agenda {
        if let Some(presenter) = item.presenter_person_id
            && let Some((line, person)) = sources
                .register
                .iter()
                .find(|(line, p)| p.id == presenter && line.meeting_id == item.meeting_id)
        {
            let missing = match line.status.parse::<crate::domain::AttendanceStatus>() {
                Ok(crate::domain::AttendanceStatus::Apologies) => Some("sent apologies"),
                Ok(crate::domain::AttendanceStatus::Absent) => Some("was recorded as absent"),
                _ => None,
            };
            if let Some(missing) = missing {
                out.push(EditorWarning {
                    agenda_item_id: item.id,
                    point: None,
                    message: format!(
                        "{} is credited as the presenter but {missing}: check who presented, or correct the register.",
                        person.name
                    ),
                });
            }
        }
        let written = content
            .items
            .iter()
            .find(|w| w.agenda_item_id == item.id)
            .is_some_and(|w| {
                w.summary.is_some()
                    || !w.discussion.is_empty()
                    || w.officials_response.is_some()
                    || !w.agreed.is_empty()
            });
        if !written {
            out.push(EditorWarning {
                agenda_item_id: item.id,
                point: None,
                message: "Nothing is written for this item yet, so the note leaves it out.".into(),
            });
        }
    }
    out
}

/// A step in a note's life, from the audit trail.
#[derive(Debug, Clone)]
pub struct NoteEvent {
    /// `summary_note.circulate`, `summary_note.approve`, …
    pub operation: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    /// Why it was revised, for a revision.
    pub reason: Option<String>,
}

/// The note's circulations, approvals, publications and revisions, oldest first.
/// Secretariat only.
pub async fn history(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<Vec<NoteEvent>> {
    caller.require_secretariat()?;
    let Some(note) = note_of_meeting(db, meeting_id).await? else {
        return Ok(Vec::new());
    };
    let events = entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Entity.eq("summary_note"))
        .filter(entity::audit_event::Column::EntityId.eq(note.id))
        .order_by_asc(entity::audit_event::Column::At)
        .order_by_asc(entity::audit_event::Column::Id)
        .all(db)
        .await?;
    Ok(events
        .into_iter()
        .filter(|e| e.operation != "summary_note.create" && e.operation != "summary_note.update")
        .map(|e| NoteEvent {
            reason: e
                .changes
                .get("reason")
                .and_then(|r| r.as_str())
                .map(str::to_owned),
            operation: e.operation,
            actor: e.actor,
            at: e.at,
        })
        .collect())
}

/// A published version as the versions list shows it.
#[derive(Debug, Clone)]
pub struct VersionLine {
    pub meta: NoteVersionMeta,
    pub note_id: Uuid,
    pub current: bool,
    /// The version that replaced this one.
    pub superseded_by: Option<i32>,
    /// Why the note was revised before this version was published.
    pub reason: Option<String>,
}

/// Every published version of a meeting's note, oldest first. Secretariat only.
pub async fn versions(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<Vec<VersionLine>> {
    caller.require_secretariat()?;
    let Some(note) = note_of_meeting(db, meeting_id).await? else {
        return Ok(Vec::new());
    };
    let metas = version_metas(db, vec![note.id]).await?;
    let events = history(db, caller, meeting_id).await?;
    let mut out = Vec::new();
    for (i, meta) in metas.iter().enumerate() {
        let after = i.checked_sub(1).map(|p| metas[p].published_at);
        let reason = events
            .iter()
            .filter(|e| e.operation == "summary_note.revise")
            .filter(|e| e.at <= meta.published_at && after.is_none_or(|a| e.at > a))
            .filter_map(|e| e.reason.clone())
            .next_back();
        out.push(VersionLine {
            superseded_by: metas
                .iter()
                .find(|m| m.supersedes_number == Some(meta.number))
                .map(|m| m.number),
            current: note.published_version == Some(meta.number),
            note_id: note.id,
            reason,
            meta: meta.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_and_digits_only() {
        assert_eq!(
            slug("2026-03-12 RR3 FRD sig meeting-5"),
            "2026-03-12-rr3-frd-sig-meeting-5"
        );
        assert_eq!(slug("Café & Co"), "café-co");
    }
}
