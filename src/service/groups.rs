//! Groups: the main advisory group (RR3) and its special interest groups (SIGs).

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::values::{self, now};
use crate::domain::{GroupKind, GroupStatus, Validation, lifecycle};
use crate::service::access::{ensure_can_read_group, readable_groups, today};
use crate::service::page::{Page, PageParams, fetch_page};
use crate::service::{audit, begin_write, check_version, find_or_404, update_versioned};
use crate::{Error, Result};
use entity::group::{self, Column, Entity, Model};

/// A new group, as given.
pub struct NewGroup {
    pub kind: GroupKind,
    pub parent_id: Option<Uuid>,
    pub name: String,
    pub short_name: String,
    pub remit: Option<String>,
    pub about: Option<String>,
    pub status: Option<GroupStatus>,
}

/// Changes to a group's description.
#[derive(Default)]
pub struct GroupChanges {
    pub name: Option<String>,
    pub short_name: Option<String>,
    pub remit: Option<Option<String>>,
    pub about: Option<Option<String>>,
}

async fn ensure_short_name_free(
    conn: &impl ConnectionTrait,
    short: &str,
    except: Option<Uuid>,
) -> Result<()> {
    let mut query = Entity::find().filter(Column::ShortName.eq(short));
    if let Some(id) = except {
        query = query.filter(Column::Id.ne(id));
    }
    if query.one(conn).await?.is_some() {
        return Err(Error::invalid(
            "short_name",
            "another group already uses this short name",
        ));
    }
    Ok(())
}

/// Checks a group's name, short name, remit and standing paragraph alone, as
/// [`create`] does: for a form that has not yet said what kind of group it is, so
/// that every problem is reported at once.
pub fn check_description(
    name: &str,
    short_name: &str,
    remit: Option<&str>,
    about: Option<&str>,
) -> Result<()> {
    let mut v = Validation::new();
    v.check("name", values::required_text(name, 200));
    v.check("short_name", values::short_name(short_name));
    v.check("remit", values::optional_text(remit, 10_000));
    v.check("about", values::optional_text(about, 10_000));
    Ok(v.finish()?)
}

pub async fn create(db: &DatabaseConnection, caller: &Caller, new: NewGroup) -> Result<Model> {
    caller.require_secretariat()?;
    let mut v = Validation::new();
    let name = v.check("name", values::required_text(&new.name, 200));
    let short_name = v.check("short_name", values::short_name(&new.short_name));
    let remit = v.check("remit", values::optional_text(new.remit.as_deref(), 10_000));
    let about = v.check("about", values::optional_text(new.about.as_deref(), 10_000));
    match (new.kind, new.parent_id) {
        (GroupKind::Rr3, Some(_)) => v.fail("parent_id", "the main group has no parent"),
        (GroupKind::Sig, None) => v.fail(
            "parent_id",
            "a special interest group needs its parent group",
        ),
        _ => {}
    }
    if new.status == Some(GroupStatus::Closed) {
        v.fail("status", "a new group is proposed or active");
    }
    v.finish()?;

    let txn = begin_write(db).await?;
    let short_name = short_name.unwrap_or_default();
    ensure_short_name_free(&txn, &short_name, None).await?;
    if let Some(parent_id) = new.parent_id {
        let parent = Entity::find_by_id(parent_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::invalid("parent_id", "no group has this id"))?;
        if parent.kind != GroupKind::Rr3.as_str() {
            return Err(Error::invalid(
                "parent_id",
                "a special interest group's parent must be a main group",
            ));
        }
    }
    let at = now();
    let model = group::ActiveModel {
        id: Set(Uuid::new_v4()),
        kind: Set(new.kind.as_str().to_owned()),
        parent_id: Set(new.parent_id),
        name: Set(name.unwrap_or_default()),
        short_name: Set(short_name),
        remit: Set(remit.flatten()),
        about: Set(about.flatten()),
        status: Set(new
            .status
            .unwrap_or(GroupStatus::Active)
            .as_str()
            .to_owned()),
        closed_on: Set(None),
        closed_reason: Set(None),
        meetings_numbered: Set(0),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        caller,
        "group.create",
        "group",
        Some(model.id),
        json!({
            "kind": model.kind, "parent_id": model.parent_id, "name": model.name,
            "short_name": model.short_name, "status": model.status,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<Model> {
    let group = find_or_404::<Entity>(db, id).await?;
    ensure_can_read_group(db, caller, id).await?;
    Ok(group)
}

/// Filters for listing groups.
#[derive(Debug, Default)]
pub struct GroupFilter {
    pub kind: Option<GroupKind>,
    pub parent_id: Option<Uuid>,
    pub status: Option<GroupStatus>,
}

/// Groups ordered by name; a member sees only the groups they belong to.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: GroupFilter,
    page: &PageParams,
) -> Result<Page<Model>> {
    let mut query = Entity::find();
    if let Some(groups) = readable_groups(db, caller).await? {
        query = query.filter(Column::Id.is_in(groups));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(Column::Kind.eq(kind.as_str()));
    }
    if let Some(parent) = filter.parent_id {
        query = query.filter(Column::ParentId.eq(parent));
    }
    if let Some(status) = filter.status {
        query = query.filter(Column::Status.eq(status.as_str()));
    }
    fetch_page(db, query, Column::Name, Column::Id, page, |m| {
        (m.name.clone(), m.id)
    })
    .await
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    changes: GroupChanges,
) -> Result<Model> {
    caller.require_secretariat()?;
    let mut v = Validation::new();
    let name = changes
        .name
        .as_deref()
        .and_then(|n| v.check("name", values::required_text(n, 200)));
    let short_name = changes
        .short_name
        .as_deref()
        .and_then(|s| v.check("short_name", values::short_name(s)));
    let remit = changes
        .remit
        .as_ref()
        .and_then(|r| v.check("remit", values::optional_text(r.as_deref(), 10_000)));
    let about = changes
        .about
        .as_ref()
        .and_then(|a| v.check("about", values::optional_text(a.as_deref(), 10_000)));
    v.finish()?;

    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    let mut next = current.clone();
    if let Some(name) = name {
        next.name = name;
    }
    if let Some(short) = short_name {
        // References already handed out keep the old short name: they are stored, not
        // recomputed.
        ensure_short_name_free(&txn, &short, Some(id)).await?;
        next.short_name = short;
    }
    if let Some(remit) = remit {
        next.remit = remit;
    }
    if let Some(about) = about {
        next.about = about;
    }
    next.updated_at = now();
    update_versioned::<Entity>(&txn, id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(&txn, caller, "group.update", "group", Some(id), json!({
        "before": {"name": current.name, "short_name": current.short_name, "remit": current.remit, "about": current.about},
        "after": {"name": next.name, "short_name": next.short_name, "remit": next.remit, "about": next.about},
    }))
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// Moves a group along its lifecycle (proposed → active → closed). Closing needs a
/// reason.
pub async fn change_status(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    to: GroupStatus,
    closed_on: Option<NaiveDate>,
    reason: Option<String>,
) -> Result<Model> {
    caller.require_secretariat()?;
    let mut v = Validation::new();
    let reason = v.check("reason", values::optional_text(reason.as_deref(), 2000));
    v.finish()?;
    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    let from: GroupStatus = current
        .status
        .parse()
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("{e}")))?;
    lifecycle::group_transition(from, to)?;
    // A closed group's record says why it ended (its final report, its remit
    // overtaken); the reason is asked for once the move itself is allowed, so that
    // closing a closed group still says that it is closed.
    let reason = reason.flatten();
    if to == GroupStatus::Closed && reason.is_none() {
        return Err(Error::invalid("reason", "say why the group is closed"));
    }
    let mut next = current.clone();
    next.status = to.as_str().to_owned();
    if to == GroupStatus::Closed {
        next.closed_on = Some(closed_on.unwrap_or_else(today));
        next.closed_reason = reason;
    }
    next.updated_at = now();
    update_versioned::<Entity>(&txn, id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(&txn, caller, &format!("group.{}", verb(to)), "group", Some(id), json!({
        "from": from.as_str(), "to": to.as_str(), "closed_on": next.closed_on, "reason": next.closed_reason,
    }))
    .await?;
    txn.commit().await?;
    Ok(next)
}

fn verb(to: GroupStatus) -> &'static str {
    match to {
        GroupStatus::Proposed => "propose",
        GroupStatus::Active => "activate",
        GroupStatus::Closed => "close",
    }
}
