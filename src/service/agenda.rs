//! Agenda items: added, edited, reordered and removed. Positions run 1, 2, 3… with no
//! gaps.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::values::{self, now};
use crate::domain::{AgendaItemKind, Validation, Visibility, lifecycle};
use crate::service::access::audience_of;
use crate::service::meetings::{self, status_of, visible};
use crate::service::{audit, begin_write, check_version, find_or_404, update_versioned};
use crate::{Error, Result};
use entity::agenda_item::{self, Column, Entity, Model};
use entity::{meeting, person};

/// A new agenda item, as given.
#[derive(Debug, Clone)]
pub struct NewAgendaItem {
    pub title: String,
    pub kind: AgendaItemKind,
    pub presenter_person_id: Option<Uuid>,
    pub presenter: Option<String>,
    pub duration_minutes: Option<i32>,
    pub visibility: Visibility,
    pub notes: Option<String>,
    /// 1-based; the item goes to the end when not given.
    pub position: Option<i32>,
}

/// Changes to an agenda item.
#[derive(Debug, Default)]
pub struct AgendaItemChanges {
    pub title: Option<String>,
    pub kind: Option<AgendaItemKind>,
    pub presenter_person_id: Option<Option<Uuid>>,
    pub presenter: Option<Option<String>>,
    pub duration_minutes: Option<Option<i32>>,
    pub visibility: Option<Visibility>,
    pub notes: Option<Option<String>>,
}

/// A presenter is a person from the directory or a name in words, not both: the
/// two could disagree, and the note would not know which to print.
fn check_one_presenter(v: &mut Validation, person: Option<Uuid>, text: Option<&String>) {
    if person.is_some() && text.is_some() {
        v.fail(
            "presenter",
            "choose a person from the directory or type a name, not both",
        );
    }
}

fn check_duration(v: &mut Validation, minutes: Option<i32>) {
    if minutes.is_some_and(|m| !(1..=600).contains(&m)) {
        v.fail("duration_minutes", "must be between 1 and 600 minutes");
    }
}

async fn check_presenter(conn: &impl ConnectionTrait, id: Option<Uuid>) -> Result<()> {
    if let Some(id) = id
        && person::Entity::find_by_id(id).one(conn).await?.is_none()
    {
        return Err(Error::invalid(
            "presenter_person_id",
            "no person has this id",
        ));
    }
    Ok(())
}

/// The agenda of a meeting as `audience` may see it, in order.
pub async fn items_visible(
    conn: &impl ConnectionTrait,
    meeting_id: Uuid,
    audience: Visibility,
) -> Result<Vec<Model>> {
    let items = Entity::find()
        .filter(Column::MeetingId.eq(meeting_id))
        .order_by_asc(Column::Position)
        .all(conn)
        .await?;
    Ok(items
        .into_iter()
        .filter(|i| visible(&i.visibility, audience))
        .collect())
}

/// The agenda of a meeting the caller may read.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<Vec<Model>> {
    meetings::get(db, caller, meeting_id).await?;
    items_visible(db, meeting_id, audience_of(caller)).await
}

/// One agenda item the caller may read.
pub async fn get(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<Model> {
    let item = find_or_404::<Entity>(db, id).await?;
    meetings::get(db, caller, item.meeting_id).await?;
    if !visible(&item.visibility, audience_of(caller)) {
        return Err(Error::not_found("agenda item", id));
    }
    Ok(item)
}

async fn editable_meeting(txn: &DatabaseTransaction, meeting_id: Uuid) -> Result<meeting::Model> {
    let meeting = find_or_404::<meeting::Entity>(txn, meeting_id).await?;
    lifecycle::meeting_editable(status_of(&meeting)?)?;
    Ok(meeting)
}

async fn ordered(txn: &DatabaseTransaction, meeting_id: Uuid) -> Result<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::MeetingId.eq(meeting_id))
        .order_by_asc(Column::Position)
        .order_by_asc(Column::CreatedAt)
        .all(txn)
        .await?)
}

/// Writes positions 1..n in the given order, touching only items that move.
async fn renumber(txn: &DatabaseTransaction, items: &[Model]) -> Result<()> {
    for (index, item) in items.iter().enumerate() {
        let position = index as i32 + 1;
        if item.position != position {
            Entity::update_many()
                .col_expr(Column::Position, Expr::value(position))
                .col_expr(Column::Version, Expr::col(Column::Version).add(1))
                .col_expr(Column::UpdatedAt, Expr::value(now()))
                .filter(Column::Id.eq(item.id))
                .exec(txn)
                .await?;
        }
    }
    Ok(())
}

pub async fn add(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    new: NewAgendaItem,
) -> Result<Model> {
    caller.require_secretariat()?;
    let mut v = Validation::new();
    let title = v.check("title", values::required_text(&new.title, 300));
    let presenter = v.check(
        "presenter",
        values::optional_text(new.presenter.as_deref(), 300),
    );
    let notes = v.check("notes", values::optional_text(new.notes.as_deref(), 10_000));
    check_duration(&mut v, new.duration_minutes);
    check_one_presenter(
        &mut v,
        new.presenter_person_id,
        presenter.as_ref().and_then(|p| p.as_ref()),
    );
    if new.position.is_some_and(|p| p < 1) {
        v.fail("position", "positions start at 1");
    }
    v.finish()?;

    let txn = begin_write(db).await?;
    editable_meeting(&txn, meeting_id).await?;
    check_presenter(&txn, new.presenter_person_id).await?;
    let mut items = ordered(&txn, meeting_id).await?;
    let at = now();
    let index = new
        .position
        .map(|p| (p as usize - 1).min(items.len()))
        .unwrap_or(items.len());
    let model = agenda_item::ActiveModel {
        id: Set(Uuid::new_v4()),
        meeting_id: Set(meeting_id),
        position: Set(index as i32 + 1),
        title: Set(title.unwrap_or_default()),
        kind: Set(new.kind.as_str().to_owned()),
        presenter_person_id: Set(new.presenter_person_id),
        presenter_text: Set(presenter.flatten()),
        duration_minutes: Set(new.duration_minutes),
        visibility: Set(new.visibility.as_str().to_owned()),
        notes: Set(notes.flatten()),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await?;
    items.insert(index, model.clone());
    renumber(&txn, &items).await?;
    audit::record(&txn, caller, "agenda_item.add", "agenda_item", Some(model.id), json!({
        "meeting_id": meeting_id, "position": model.position, "title": model.title, "kind": model.kind,
        "visibility": model.visibility,
    }))
    .await?;
    txn.commit().await?;
    Ok(model)
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    changes: AgendaItemChanges,
) -> Result<Model> {
    caller.require_secretariat()?;
    let mut v = Validation::new();
    let title = changes
        .title
        .as_deref()
        .and_then(|t| v.check("title", values::required_text(t, 300)));
    let presenter = changes
        .presenter
        .as_ref()
        .and_then(|p| v.check("presenter", values::optional_text(p.as_deref(), 300)));
    let notes = changes
        .notes
        .as_ref()
        .and_then(|n| v.check("notes", values::optional_text(n.as_deref(), 10_000)));
    if let Some(minutes) = changes.duration_minutes {
        check_duration(&mut v, minutes);
    }
    v.finish()?;

    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    editable_meeting(&txn, current.meeting_id).await?;
    let mut next = current.clone();
    if let Some(title) = title {
        next.title = title;
    }
    if let Some(kind) = changes.kind {
        next.kind = kind.as_str().to_owned();
    }
    // Naming a presenter one way replaces one named the other way, unless the
    // change says what the other is too.
    if let Some(presenter_id) = changes.presenter_person_id {
        check_presenter(&txn, presenter_id).await?;
        next.presenter_person_id = presenter_id;
        if presenter_id.is_some() && presenter.is_none() {
            next.presenter_text = None;
        }
    }
    if let Some(presenter) = presenter {
        if presenter.is_some() && changes.presenter_person_id.is_none() {
            next.presenter_person_id = None;
        }
        next.presenter_text = presenter;
    }
    let mut v = Validation::new();
    check_one_presenter(
        &mut v,
        next.presenter_person_id,
        next.presenter_text.as_ref(),
    );
    v.finish()?;
    if let Some(minutes) = changes.duration_minutes {
        next.duration_minutes = minutes;
    }
    if let Some(visibility) = changes.visibility {
        next.visibility = visibility.as_str().to_owned();
    }
    if let Some(notes) = notes {
        next.notes = notes;
    }
    next.updated_at = now();
    update_versioned::<Entity>(&txn, id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(&txn, caller, "agenda_item.update", "agenda_item", Some(id), json!({
        "before": {"title": current.title, "kind": current.kind, "visibility": current.visibility, "presenter": current.presenter_text, "presenter_person_id": current.presenter_person_id, "duration_minutes": current.duration_minutes},
        "after": {"title": next.title, "kind": next.kind, "visibility": next.visibility, "presenter": next.presenter_text, "presenter_person_id": next.presenter_person_id, "duration_minutes": next.duration_minutes},
    }))
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// Removes an item; the rest close up. Actions raised under it keep their reference
/// and lose only the link to the item.
pub async fn remove(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
) -> Result<()> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    editable_meeting(&txn, current.meeting_id).await?;
    entity::action_item::Entity::update_many()
        .col_expr(
            entity::action_item::Column::AgendaItemId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(entity::action_item::Column::AgendaItemId.eq(id))
        .exec(&txn)
        .await?;
    Entity::delete_by_id(id).exec(&txn).await?;
    let rest = ordered(&txn, current.meeting_id).await?;
    renumber(&txn, &rest).await?;
    audit::record(
        &txn,
        caller,
        "agenda_item.remove",
        "agenda_item",
        Some(id),
        json!({
            "meeting_id": current.meeting_id, "title": current.title, "position": current.position,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Puts the agenda in the given order; the list must name every item once.
pub async fn reorder(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    order: Vec<Uuid>,
) -> Result<Vec<Model>> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    editable_meeting(&txn, meeting_id).await?;
    let items = ordered(&txn, meeting_id).await?;
    let mut sorted_given = order.clone();
    sorted_given.sort();
    sorted_given.dedup();
    let mut existing: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    existing.sort();
    if sorted_given.len() != order.len() || sorted_given != existing {
        return Err(Error::invalid(
            "agenda_item_ids",
            "must list every agenda item of this meeting exactly once",
        ));
    }
    let before: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    let reordered: Vec<Model> = order
        .iter()
        .filter_map(|id| items.iter().find(|i| i.id == *id).cloned())
        .collect();
    renumber(&txn, &reordered).await?;
    audit::record(
        &txn,
        caller,
        "agenda.reorder",
        "meeting",
        Some(meeting_id),
        json!({
            "before": before, "after": order,
        }),
    )
    .await?;
    let result = ordered(&txn, meeting_id).await?;
    txn.commit().await?;
    Ok(result)
}

/// The title of the agenda item that carries earlier meetings' open actions.
pub const PREVIOUS_ACTIONS_TITLE: &str = "Actions from previous meetings";

/// Puts a "previous actions" item first on a scheduled meeting's agenda, unless the
/// agenda already has one (the secretariat may have moved, renamed or added it
/// themselves; it is never added twice). Called when a meeting is scheduled and
/// when an action lands on a later meeting (raised earlier in the group, or
/// escalated to it), so the item is there whenever there is something to carry.
pub(crate) async fn ensure_previous_actions_item(
    txn: &DatabaseTransaction,
    caller: &Caller,
    meeting: &meeting::Model,
) -> Result<()> {
    if status_of(meeting)? != crate::domain::MeetingStatus::Scheduled {
        return Ok(());
    }
    let items = ordered(txn, meeting.id).await?;
    if has_previous_actions_item(&items) {
        return Ok(());
    }
    insert_previous_actions_item(txn, caller, meeting, items, true).await?;
    Ok(())
}

fn has_previous_actions_item(items: &[Model]) -> bool {
    items
        .iter()
        .any(|i| i.kind == AgendaItemKind::PreviousActions.as_str())
}

/// Puts the "previous actions" item first, before `items` (the agenda as it is).
async fn insert_previous_actions_item(
    txn: &DatabaseTransaction,
    caller: &Caller,
    meeting: &meeting::Model,
    items: Vec<Model>,
    automatic: bool,
) -> Result<Model> {
    let at = now();
    let model = agenda_item::ActiveModel {
        id: Set(Uuid::new_v4()),
        meeting_id: Set(meeting.id),
        position: Set(1),
        title: Set(PREVIOUS_ACTIONS_TITLE.to_owned()),
        kind: Set(AgendaItemKind::PreviousActions.as_str().to_owned()),
        presenter_person_id: Set(None),
        presenter_text: Set(None),
        duration_minutes: Set(None),
        visibility: Set(Visibility::Members.as_str().to_owned()),
        notes: Set(None),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(txn)
    .await?;
    let mut all = vec![model.clone()];
    all.extend(items);
    renumber(txn, &all).await?;
    audit::record(
        txn,
        caller,
        "agenda_item.add",
        "agenda_item",
        Some(model.id),
        json!({
            "meeting_id": meeting.id, "position": 1, "title": model.title, "kind": model.kind,
            "visibility": model.visibility, "automatic": automatic,
        }),
    )
    .await?;
    Ok(model)
}

/// Whether the secretariat should be offered the "previous actions" item: the
/// meeting is still scheduled, its agenda has no such item (someone removed it, or
/// the actions were left open after it was planned), and earlier meetings of the
/// group left actions outstanding. Answers how many, when it should.
async fn previous_actions_offer(
    conn: &impl ConnectionTrait,
    meeting: &meeting::Model,
    items: &[Model],
) -> Result<Option<usize>> {
    if status_of(meeting)? != crate::domain::MeetingStatus::Scheduled
        || has_previous_actions_item(items)
    {
        return Ok(None);
    }
    let outstanding = crate::service::actions::outstanding_before(conn, meeting)
        .await?
        .len();
    Ok((outstanding > 0).then_some(outstanding))
}

/// Adds the "Actions from previous meetings" item at the top of the agenda, when
/// [`plan`] offers it; refused when the agenda already has one, when the meeting is
/// no longer scheduled, or when no earlier meeting left actions outstanding.
pub async fn add_previous_actions(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<Model> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let meeting = editable_meeting(&txn, meeting_id).await?;
    let items = ordered(&txn, meeting_id).await?;
    if has_previous_actions_item(&items) {
        return Err(Error::Conflict(
            "the agenda already has an item for actions from previous meetings".into(),
        ));
    }
    if status_of(&meeting)? != crate::domain::MeetingStatus::Scheduled {
        return Err(Error::Conflict(
            "the meeting has been held; actions from previous meetings are added before it".into(),
        ));
    }
    if previous_actions_offer(&txn, &meeting, &items)
        .await?
        .is_none()
    {
        return Err(Error::Conflict(
            "no earlier meeting of the group left actions outstanding".into(),
        ));
    }
    let model = insert_previous_actions_item(&txn, caller, &meeting, items, false).await?;
    txn.commit().await?;
    Ok(model)
}

/// A meeting's agenda as the secretariat plans it: the items in order, the time
/// they take against the meeting's length, and whether to offer the "previous
/// actions" item.
#[derive(Debug, Clone)]
pub struct AgendaPlan {
    pub meeting: meeting::Model,
    pub items: Vec<Model>,
    /// Minutes set aside for the items that have a duration.
    pub planned_minutes: i64,
    /// How many items have no duration yet.
    pub untimed: usize,
    /// The meeting's length from its start to its end, in minutes.
    pub meeting_minutes: i64,
    /// `Some(n)` when the "previous actions" item should be offered: `n` actions
    /// are outstanding from earlier meetings.
    pub offer_previous_actions: Option<usize>,
    /// Why the agenda can no longer change (a cancelled or postponed meeting).
    pub closed: Option<String>,
}

impl AgendaPlan {
    /// Minutes by which the items run over the meeting's length, if they do.
    pub fn overrun(&self) -> Option<i64> {
        let over = self.planned_minutes - self.meeting_minutes;
        (over > 0).then_some(over)
    }

    /// Minutes of the meeting not yet given to an item.
    pub fn spare(&self) -> i64 {
        Ord::max(self.meeting_minutes - self.planned_minutes, 0)
    }
}

/// The whole agenda of a meeting with its timing, for the secretariat.
pub async fn plan(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<AgendaPlan> {
    caller.require_secretariat()?;
    let meeting = meetings::get(db, caller, meeting_id).await?;
    let items = Entity::find()
        .filter(Column::MeetingId.eq(meeting_id))
        .order_by_asc(Column::Position)
        .order_by_asc(Column::CreatedAt)
        .all(db)
        .await?;
    let planned_minutes = items
        .iter()
        .filter_map(|i| i.duration_minutes)
        .map(i64::from)
        .sum();
    let untimed = items
        .iter()
        .filter(|i| i.duration_minutes.is_none())
        .count();
    let meeting_minutes = (meeting.ends_at - meeting.starts_at).num_minutes();
    let offer_previous_actions = previous_actions_offer(db, &meeting, &items).await?;
    let closed = lifecycle::meeting_editable(status_of(&meeting)?)
        .err()
        .map(|refusal| refusal.0);
    Ok(AgendaPlan {
        closed,
        meeting,
        items,
        planned_minutes,
        untimed,
        meeting_minutes,
        offer_previous_actions,
    })
}

/// Which way an item moves on the agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// Moves an item one place up or down the agenda, swapping it with its neighbour;
/// the first item cannot move up, nor the last down. Answers the agenda in its new
/// order.
pub async fn move_item(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    direction: Direction,
) -> Result<Vec<Model>> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    editable_meeting(&txn, current.meeting_id).await?;
    let mut items = ordered(&txn, current.meeting_id).await?;
    let index = items
        .iter()
        .position(|i| i.id == id)
        .ok_or_else(|| Error::not_found("agenda item", id))?;
    let other = match direction {
        Direction::Up if index == 0 => {
            return Err(Error::Conflict(
                "the item is already first on the agenda".into(),
            ));
        }
        Direction::Down if index + 1 == items.len() => {
            return Err(Error::Conflict(
                "the item is already last on the agenda".into(),
            ));
        }
        Direction::Up => index - 1,
        Direction::Down => index + 1,
    };
    let before: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    items.swap(index, other);
    renumber(&txn, &items).await?;
    audit::record(
        &txn,
        caller,
        "agenda.reorder",
        "meeting",
        Some(current.meeting_id),
        json!({
            "before": before, "after": items.iter().map(|i| i.id).collect::<Vec<_>>(),
            "moved": id, "direction": match direction { Direction::Up => "up", Direction::Down => "down" },
        }),
    )
    .await?;
    let result = ordered(&txn, current.meeting_id).await?;
    txn.commit().await?;
    Ok(result)
}
