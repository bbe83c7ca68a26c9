//! Action items: raised at a meeting with a reference that never changes
//! (`FRD-5-A3`), owned by a person, an organisation or a description ("All
//! members"), tracked through open → in progress → done (or dropped), with the whole
//! status history kept.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::reference::action_reference;
use crate::domain::values::{self, now};
use crate::domain::{ActionStatus, Validation, lifecycle};
use crate::service::access::{readable_groups, today};
use crate::service::meetings::{self, status_of};
use crate::service::page::{Page, PageParams, fetch_page_by};
use crate::service::{audit, begin_write, check_version, find_or_404, update_versioned};
use crate::{Error, Result};
use entity::action_item::{self, Column, Entity, Model};
use entity::action_status_change;
use entity::{agenda_item, group, meeting, organisation, person};

/// Who owns an action: exactly one of a person, an organisation or a description.
#[derive(Debug, Clone, Default)]
pub struct Owner {
    pub person_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub text: Option<String>,
}

/// A new action, as given.
#[derive(Debug, Clone)]
pub struct NewAction {
    pub description: String,
    pub owner: Owner,
    pub due_on: Option<NaiveDate>,
    pub agenda_item_id: Option<Uuid>,
}

/// Changes to an action. The secretariat may change anything; an owner only the
/// status and a progress note.
#[derive(Debug, Default)]
pub struct ActionChanges {
    pub description: Option<String>,
    pub owner: Option<Owner>,
    pub due_on: Option<Option<NaiveDate>>,
    pub status: Option<ActionStatus>,
    pub note: Option<String>,
}

async fn check_owner(
    conn: &impl ConnectionTrait,
    v: &mut Validation,
    owner: &Owner,
) -> Result<Owner> {
    let text = v
        .check(
            "owner_text",
            values::optional_text(owner.text.as_deref(), 200),
        )
        .flatten();
    let given = [
        owner.person_id.is_some(),
        owner.organisation_id.is_some(),
        text.is_some(),
    ]
    .iter()
    .filter(|g| **g)
    .count();
    if given != 1 {
        v.fail(
            "owner_person_id",
            // Read by people on the forms as well as by API clients.
            "give exactly one owner: a person, an organisation, or words such as \"All members\"",
        );
        return Ok(Owner::default());
    }
    if let Some(id) = owner.person_id
        && person::Entity::find_by_id(id).one(conn).await?.is_none()
    {
        v.fail("owner_person_id", "no person has this id");
    }
    if let Some(id) = owner.organisation_id
        && organisation::Entity::find_by_id(id)
            .one(conn)
            .await?
            .is_none()
    {
        v.fail("owner_organisation_id", "no organisation has this id");
    }
    Ok(Owner {
        person_id: owner.person_id,
        organisation_id: owner.organisation_id,
        text,
    })
}

async fn record_status(
    txn: &DatabaseTransaction,
    caller: &Caller,
    action_id: Uuid,
    from: Option<ActionStatus>,
    to: ActionStatus,
    note: Option<String>,
) -> Result<()> {
    action_status_change::ActiveModel {
        id: Set(Uuid::new_v4()),
        action_id: Set(action_id),
        from_status: Set(from.map(|s| s.as_str().to_owned())),
        to_status: Set(to.as_str().to_owned()),
        note: Set(note),
        actor: Set(caller.actor()),
        actor_token_id: Set(Some(caller.token_id)),
        changed_at: Set(now()),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Raises an action at a meeting and gives it the meeting's next action number.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
    new: NewAction,
) -> Result<Model> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let meeting = find_or_404::<meeting::Entity>(&txn, meeting_id).await?;
    lifecycle::meeting_editable(status_of(&meeting)?)?;
    let mut v = Validation::new();
    let description = v.check("description", values::required_text(&new.description, 2000));
    let owner = check_owner(&txn, &mut v, &new.owner).await?;
    if let Some(item_id) = new.agenda_item_id {
        let item = agenda_item::Entity::find_by_id(item_id).one(&txn).await?;
        if item.is_none_or(|i| i.meeting_id != meeting_id) {
            v.fail("agenda_item_id", "must be an agenda item of this meeting");
        }
    }
    v.finish()?;

    let group = find_or_404::<group::Entity>(&txn, meeting.group_id).await?;
    meeting::Entity::update_many()
        .col_expr(
            meeting::Column::ActionsNumbered,
            Expr::col(meeting::Column::ActionsNumbered).add(1),
        )
        .filter(meeting::Column::Id.eq(meeting_id))
        .exec(&txn)
        .await?;
    let number = find_or_404::<meeting::Entity>(&txn, meeting_id)
        .await?
        .actions_numbered;
    let at = now();
    let model = action_item::ActiveModel {
        id: Set(Uuid::new_v4()),
        meeting_id: Set(meeting_id),
        group_id: Set(meeting.group_id),
        agenda_item_id: Set(new.agenda_item_id),
        number: Set(number),
        reference: Set(action_reference(&group.short_name, meeting.number, number)),
        description: Set(description.unwrap_or_default()),
        owner_person_id: Set(owner.person_id),
        owner_organisation_id: Set(owner.organisation_id),
        owner_text: Set(owner.text),
        due_on: Set(new.due_on),
        status: Set(ActionStatus::Open.as_str().to_owned()),
        carried_forward: Set(0),
        escalated_to_meeting_id: Set(None),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await?;
    record_status(&txn, caller, model.id, None, ActionStatus::Open, None).await?;
    audit::record(&txn, caller, "action.create", "action", Some(model.id), json!({
        "meeting_id": meeting_id, "reference": model.reference, "description": model.description,
        "owner_person_id": model.owner_person_id, "owner_organisation_id": model.owner_organisation_id,
        "owner_text": model.owner_text, "due_on": model.due_on,
    }))
    .await?;
    // The group's later meetings already scheduled will carry this action.
    let later = meeting::Entity::find()
        .filter(meeting::Column::GroupId.eq(meeting.group_id))
        .filter(meeting::Column::StartsAt.gt(meeting.starts_at))
        .filter(meeting::Column::Status.eq(crate::domain::MeetingStatus::Scheduled.as_str()))
        .all(&txn)
        .await?;
    for next in &later {
        crate::service::agenda::ensure_previous_actions_item(&txn, caller, next).await?;
    }
    txn.commit().await?;
    Ok(model)
}

/// Filters for the action tracker.
#[derive(Debug, Default, Clone)]
pub struct ActionFilter {
    pub group_id: Option<Uuid>,
    /// With `group_id`: the group's special interest groups too.
    pub include_sigs: bool,
    pub meeting_id: Option<Uuid>,
    pub owner_person_id: Option<Uuid>,
    pub status: Option<ActionStatus>,
    /// Due on or before this date.
    pub due_before: Option<NaiveDate>,
    /// Due on or after this date.
    pub due_after: Option<NaiveDate>,
    pub overdue: Option<bool>,
}

impl ActionFilter {
    /// Refuses filters that contradict each other and so could only ever select
    /// nothing: a caller who asks for them has made a mistake worth hearing about.
    pub fn check(&self) -> Result<()> {
        let mut v = Validation::new();
        if let (Some(after), Some(before)) = (self.due_after, self.due_before)
            && after > before
        {
            v.fail(
                "due_after",
                format!("{after} is later than due_before ({before}), so nothing could match"),
            );
        }
        if self.overdue == Some(true) && self.status.is_some_and(|s| !s.is_outstanding()) {
            v.fail(
                "overdue",
                "only open or in-progress actions can be overdue; drop `status` or `overdue`",
            );
        }
        if self.include_sigs && self.group_id.is_none() {
            v.fail("include_sigs", "needs a group_id (the main group)");
        }
        Ok(v.finish()?)
    }
}

/// The actions a caller may see that match `filter`, not yet ordered.
async fn selection(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: &ActionFilter,
) -> Result<sea_orm::Select<Entity>> {
    filter.check()?;
    let mut query = Entity::find();
    if !caller.is_secretariat() {
        let person = caller
            .member_person()
            .ok_or_else(|| Error::forbidden("this token speaks for no person"))?;
        query = query.filter(Column::OwnerPersonId.eq(person));
        if let Some(groups) = readable_groups(db, caller).await?
            && let Some(group) = filter.group_id
            && !groups.contains(&group)
        {
            return Err(Error::forbidden(
                "you are not a current member of this group",
            ));
        }
    }
    if let Some(group) = filter.group_id {
        if filter.include_sigs {
            let mut groups: Vec<Uuid> = group::Entity::find()
                .filter(group::Column::ParentId.eq(group))
                .all(db)
                .await?
                .into_iter()
                .map(|g| g.id)
                .collect();
            groups.push(group);
            query = query.filter(Column::GroupId.is_in(groups));
        } else {
            query = query.filter(Column::GroupId.eq(group));
        }
    }
    if let Some(meeting) = filter.meeting_id {
        query = query.filter(Column::MeetingId.eq(meeting));
    }
    if let Some(owner) = filter.owner_person_id {
        query = query.filter(Column::OwnerPersonId.eq(owner));
    }
    if let Some(status) = filter.status {
        query = query.filter(Column::Status.eq(status.as_str()));
    }
    if let Some(before) = filter.due_before {
        query = query.filter(Column::DueOn.lte(before));
    }
    if let Some(after) = filter.due_after {
        query = query.filter(Column::DueOn.gte(after));
    }
    match filter.overdue {
        Some(true) => {
            query = query
                .filter(Column::DueOn.lt(today()))
                .filter(Column::Status.is_in([
                    ActionStatus::Open.as_str(),
                    ActionStatus::InProgress.as_str(),
                ]));
        }
        Some(false) => {
            query = query.filter(
                Condition::any()
                    .add(Column::DueOn.is_null())
                    .add(Column::DueOn.gte(today()))
                    .add(
                        Column::Status
                            .is_in([ActionStatus::Done.as_str(), ActionStatus::Dropped.as_str()]),
                    ),
            );
        }
        None => {}
    }
    Ok(query)
}

/// The tracker's sort key: the due date, with undated actions after every dated one.
fn due_key() -> Expr {
    Expr::cust("COALESCE(CAST(action_items.due_on AS TEXT), '9999-12-31')")
}

/// Actions sorted by due date (undated last), then id. Members see only the actions
/// they own.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: ActionFilter,
    page: &PageParams,
) -> Result<Page<Model>> {
    let query = selection(db, caller, &filter).await?;
    fetch_page_by(db, query, due_key(), Column::Id, page, |m| {
        (
            m.due_on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "9999-12-31".into()),
            m.id,
        )
    })
    .await
}

/// Every action matching `filter`, in the tracker's order: the whole selection at
/// once, for exports.
pub async fn list_all(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: ActionFilter,
) -> Result<Vec<Model>> {
    use sea_orm::Order;
    let query = selection(db, caller, &filter).await?;
    Ok(query
        .order_by(due_key(), Order::Asc)
        .order_by(Column::Id, Order::Asc)
        .all(db)
        .await?)
}

/// The actions raised at one meeting, in reference order.
pub async fn list_for_meeting(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Uuid,
) -> Result<Vec<Model>> {
    meetings::get(db, caller, meeting_id).await?;
    let mut query = Entity::find().filter(Column::MeetingId.eq(meeting_id));
    if !caller.is_secretariat() {
        query = query.filter(Column::OwnerPersonId.eq(caller.member_person()));
    }
    Ok(query.order_by_asc(Column::Number).all(db).await?)
}

fn ensure_can_see(caller: &Caller, action: &Model) -> Result<()> {
    if caller.is_secretariat()
        || (action.owner_person_id.is_some() && action.owner_person_id == caller.member_person())
    {
        Ok(())
    } else {
        Err(Error::forbidden(
            "members may see only the actions they own",
        ))
    }
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<Model> {
    let action = find_or_404::<Entity>(db, id).await?;
    ensure_can_see(caller, &action)?;
    Ok(action)
}

/// An action's status history, oldest first.
pub async fn history(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> Result<Vec<action_status_change::Model>> {
    get(db, caller, id).await?;
    Ok(action_status_change::Entity::find()
        .filter(action_status_change::Column::ActionId.eq(id))
        .order_by_asc(action_status_change::Column::ChangedAt)
        .order_by_asc(action_status_change::Column::Id)
        .all(db)
        .await?)
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    changes: ActionChanges,
) -> Result<Model> {
    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    ensure_can_see(caller, &current)?;
    if !caller.is_secretariat()
        && (changes.description.is_some() || changes.owner.is_some() || changes.due_on.is_some())
    {
        return Err(Error::forbidden(
            "an action's owner may change only its status and add a progress note",
        ));
    }
    check_version::<Entity>(expected_version, current.version)?;

    let mut v = Validation::new();
    let description = changes
        .description
        .as_deref()
        .and_then(|d| v.check("description", values::required_text(d, 2000)));
    let note = changes
        .note
        .as_deref()
        .and_then(|n| v.check("note", values::optional_text(Some(n), 2000)))
        .flatten();
    let owner = match &changes.owner {
        Some(owner) => Some(check_owner(&txn, &mut v, owner).await?),
        None => None,
    };
    v.finish()?;

    let from: ActionStatus = current
        .status
        .parse()
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("stored action status: {e}")))?;
    let mut next = current.clone();
    if let Some(description) = description {
        next.description = description;
    }
    if let Some(owner) = owner {
        next.owner_person_id = owner.person_id;
        next.owner_organisation_id = owner.organisation_id;
        next.owner_text = owner.text;
    }
    if let Some(due_on) = changes.due_on {
        next.due_on = due_on;
    }
    match changes.status {
        Some(to) => {
            lifecycle::action_transition(from, to, note.as_deref())?;
            next.status = to.as_str().to_owned();
            record_status(&txn, caller, id, Some(from), to, note.clone()).await?;
        }
        // A progress note without a change of status is kept in the history too.
        None if note.is_some() => {
            record_status(&txn, caller, id, Some(from), from, note.clone()).await?;
        }
        None => {}
    }
    next.updated_at = now();
    update_versioned::<Entity>(&txn, id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(&txn, caller, "action.update", "action", Some(id), json!({
        "reference": current.reference,
        "before": {"description": current.description, "status": current.status, "due_on": current.due_on, "owner_person_id": current.owner_person_id, "owner_organisation_id": current.owner_organisation_id, "owner_text": current.owner_text},
        "after": {"description": next.description, "status": next.status, "due_on": next.due_on, "owner_person_id": next.owner_person_id, "owner_organisation_id": next.owner_organisation_id, "owner_text": next.owner_text},
        "note": note,
    }))
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// The actions still outstanding (open or in progress) that `meeting` carries: those
/// raised at its group's earlier meetings, and those escalated (from a special
/// interest group) to this meeting or to an earlier meeting of its group. These are
/// the "actions from previous meetings" of the agenda and summary note, with their
/// current status. The group's own come first, by meeting then action number; then
/// escalated ones in the same order.
pub async fn outstanding_before(
    conn: &impl ConnectionTrait,
    meeting: &meeting::Model,
) -> Result<Vec<Model>> {
    use sea_orm::{QuerySelect, QueryTrait};
    let earlier = meeting::Entity::find()
        .select_only()
        .column(meeting::Column::Id)
        .filter(meeting::Column::GroupId.eq(meeting.group_id))
        .filter(meeting::Column::StartsAt.lt(meeting.starts_at))
        .into_query();
    let escalated_to = meeting::Entity::find()
        .select_only()
        .column(meeting::Column::Id)
        .filter(meeting::Column::GroupId.eq(meeting.group_id))
        .filter(meeting::Column::StartsAt.lte(meeting.starts_at))
        .into_query();
    let mut rows = Entity::find()
        .filter(
            Condition::any()
                .add(Column::MeetingId.in_subquery(earlier))
                .add(Column::EscalatedToMeetingId.in_subquery(escalated_to)),
        )
        .filter(Column::Status.is_in([
            ActionStatus::Open.as_str(),
            ActionStatus::InProgress.as_str(),
        ]))
        .all(conn)
        .await?;
    // Most meetings carry nothing; reading a meeting is the members' most frequent
    // request, so the ordering query runs only when there is something to order.
    if rows.is_empty() {
        return Ok(rows);
    }
    let mut meeting_ids: Vec<Uuid> = rows.iter().map(|a| a.meeting_id).collect();
    meeting_ids.sort();
    meeting_ids.dedup();
    let raised_at: std::collections::HashMap<Uuid, (DateTime<Utc>, i32)> = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(meeting_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, (m.starts_at, m.number)))
        .collect();
    rows.sort_by_key(|a| {
        (
            a.group_id != meeting.group_id,
            a.group_id,
            raised_at.get(&a.meeting_id).copied(),
            a.number,
        )
    });
    Ok(rows)
}

/// The steps the lifecycle still allows for an action, so that a page offers only
/// those: the statuses it can move to, whether it can be carried forward, and
/// whether it can be escalated to the main group.
#[derive(Debug, Clone)]
pub struct ActionSteps {
    /// Statuses the action can move to (dropping also needs a note saying why).
    pub statuses: Vec<ActionStatus>,
    pub carry_forward: bool,
    pub escalate: bool,
}

/// What the secretariat can still do with `action`. Secretariat only.
pub async fn steps(
    db: &DatabaseConnection,
    caller: &Caller,
    action: &Model,
) -> Result<ActionSteps> {
    caller.require_secretariat()?;
    let status = stored_status(action)?;
    let group = find_or_404::<group::Entity>(db, action.group_id).await?;
    let sig_with_parent =
        group.parent_id.is_some() && group.kind == crate::domain::GroupKind::Sig.as_str();
    Ok(ActionSteps {
        statuses: ActionStatus::ALL
            .iter()
            .copied()
            .filter(|to| lifecycle::action_transition(status, *to, Some("reason")).is_ok())
            .collect(),
        carry_forward: lifecycle::action_carry_forward(status).is_ok(),
        escalate: lifecycle::action_escalation(
            status,
            sig_with_parent,
            action.escalated_to_meeting_id.is_some(),
        )
        .is_ok(),
    })
}

fn stored_status(action: &Model) -> Result<ActionStatus> {
    action
        .status
        .parse()
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("stored action status: {e}")))
}

fn check_note(note: Option<&str>) -> Result<Option<String>> {
    let mut v = Validation::new();
    let note = v.check("note", values::optional_text(note, 2000)).flatten();
    v.finish()?;
    Ok(note)
}

/// Carries an outstanding action forward to the next meeting on purpose, and counts
/// how often that has happened: an action carried three times is one the
/// secretariat should ask about. The step is kept in the status history.
pub async fn carry_forward(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    note: Option<String>,
) -> Result<Model> {
    caller.require_secretariat()?;
    let note = check_note(note.as_deref())?;
    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    let status = stored_status(&current)?;
    lifecycle::action_carry_forward(status)?;

    let mut next = current.clone();
    next.carried_forward = current.carried_forward + 1;
    next.updated_at = now();
    update_versioned::<Entity>(&txn, id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    let step = match &note {
        Some(note) => format!("Carried forward (time {}): {note}", next.carried_forward),
        None => format!("Carried forward (time {})", next.carried_forward),
    };
    record_status(&txn, caller, id, Some(status), status, Some(step)).await?;
    audit::record(
        &txn,
        caller,
        "action.carry_forward",
        "action",
        Some(id),
        json!({
            "reference": current.reference, "carried_forward": next.carried_forward, "note": note,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// Escalates an outstanding action of a special interest group to the main group's
/// next scheduled meeting: that meeting (and the main group's later ones, while the
/// action stays open) carries it among its previous actions.
pub async fn escalate(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    note: Option<String>,
) -> Result<Model> {
    caller.require_secretariat()?;
    let note = check_note(note.as_deref())?;
    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    let status = stored_status(&current)?;
    let group = find_or_404::<group::Entity>(&txn, current.group_id).await?;
    let parent = group
        .parent_id
        .filter(|_| group.kind == crate::domain::GroupKind::Sig.as_str());
    lifecycle::action_escalation(
        status,
        parent.is_some(),
        current.escalated_to_meeting_id.is_some(),
    )?;
    let parent = find_or_404::<group::Entity>(&txn, parent.expect("checked")).await?;
    let target = meeting::Entity::find()
        .filter(meeting::Column::GroupId.eq(parent.id))
        .filter(meeting::Column::Status.eq(crate::domain::MeetingStatus::Scheduled.as_str()))
        .filter(meeting::Column::StartsAt.gt(now()))
        .order_by_asc(meeting::Column::StartsAt)
        .one(&txn)
        .await?
        .ok_or_else(|| {
            Error::Conflict(format!(
                "{} has no meeting scheduled yet; schedule its next meeting, then escalate",
                parent.short_name
            ))
        })?;

    let mut next = current.clone();
    next.escalated_to_meeting_id = Some(target.id);
    next.updated_at = now();
    update_versioned::<Entity>(&txn, id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    let step = format!(
        "Escalated to {} meeting {}{}",
        parent.short_name,
        target.number,
        note.as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default()
    );
    record_status(&txn, caller, id, Some(status), status, Some(step)).await?;
    crate::service::agenda::ensure_previous_actions_item(&txn, caller, &target).await?;
    audit::record(
        &txn,
        caller,
        "action.escalate",
        "action",
        Some(id),
        json!({
            "reference": current.reference, "escalated_to_meeting_id": target.id,
            "main_group_id": parent.id, "note": note,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(next)
}
