//! Action items: raised at a meeting with a reference that never changes
//! (`FRD-5-A3`), owned by a person, an organisation or a description ("All
//! members"), tracked through open → in progress → done (or dropped), with the whole
//! status history kept.

use chrono::NaiveDate;
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
            "give exactly one owner: owner_person_id, owner_organisation_id or owner_text",
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
    txn.commit().await?;
    Ok(model)
}

/// Filters for the action tracker.
#[derive(Debug, Default, Clone)]
pub struct ActionFilter {
    pub group_id: Option<Uuid>,
    pub meeting_id: Option<Uuid>,
    pub owner_person_id: Option<Uuid>,
    pub status: Option<ActionStatus>,
    pub overdue: Option<bool>,
}

/// Actions sorted by due date (undated last), then reference order. Members see only
/// the actions they own.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: ActionFilter,
    page: &PageParams,
) -> Result<Page<Model>> {
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
        query = query.filter(Column::GroupId.eq(group));
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
    // Undated actions sort after every dated one.
    let due_key = Expr::cust("COALESCE(CAST(action_items.due_on AS TEXT), '9999-12-31')");
    fetch_page_by(db, query, due_key, Column::Id, page, |m| {
        (
            m.due_on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "9999-12-31".into()),
            m.id,
        )
    })
    .await
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

/// The actions still outstanding (open or in progress) from meetings of `group_id`
/// held before `meeting`: the "actions from previous meetings" that the next agenda
/// and summary note carry, with their current status. Ordered by meeting, then
/// action number.
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
    let mut rows = Entity::find()
        .filter(Column::MeetingId.in_subquery(earlier))
        .filter(Column::Status.is_in([
            ActionStatus::Open.as_str(),
            ActionStatus::InProgress.as_str(),
        ]))
        .all(conn)
        .await?;
    let numbers: std::collections::HashMap<Uuid, i32> = meeting::Entity::find()
        .filter(meeting::Column::GroupId.eq(meeting.group_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m.number))
        .collect();
    rows.sort_by_key(|a| (numbers.get(&a.meeting_id).copied().unwrap_or(0), a.number));
    Ok(rows)
}
