//! Memberships: who sits in which group, in what role, for which term.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::values::now;
use crate::domain::{MembershipRole, Validation};
use crate::service::access::{current_on, ensure_can_read_group};
use crate::service::page::{Page, PageParams, fetch_page};
use crate::service::{audit, begin_write, check_version, find_or_404, update_versioned};
use crate::{Error, Result};
use entity::membership::{self, Column, Entity, Model};
use entity::{group, person};

/// A new membership, as given.
pub struct NewMembership {
    pub person_id: Uuid,
    pub role: MembershipRole,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// Defaults to the person's current organisation.
    pub organisation_id: Option<Uuid>,
}

/// Changes to a membership.
#[derive(Default)]
pub struct MembershipChanges {
    pub role: Option<MembershipRole>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<Option<NaiveDate>>,
    pub organisation_id: Option<Option<Uuid>>,
}

fn check_term(v: &mut Validation, starts_on: NaiveDate, ends_on: Option<NaiveDate>) {
    if ends_on.is_some_and(|end| end < starts_on) {
        v.fail("ends_on", "the term must not end before it starts");
    }
}

/// Two terms of the same person in the same group must not overlap.
async fn ensure_no_overlap(
    conn: &impl ConnectionTrait,
    group_id: Uuid,
    person_id: Uuid,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    except: Option<Uuid>,
) -> Result<()> {
    let mut query = Entity::find()
        .filter(Column::GroupId.eq(group_id))
        .filter(Column::PersonId.eq(person_id))
        .filter(
            Condition::any()
                .add(Column::EndsOn.is_null())
                .add(Column::EndsOn.gte(starts_on)),
        );
    if let Some(end) = ends_on {
        query = query.filter(Column::StartsOn.lte(end));
    }
    if let Some(id) = except {
        query = query.filter(Column::Id.ne(id));
    }
    if query.one(conn).await?.is_some() {
        return Err(Error::Conflict(
            "this person already has a membership of this group for part of that term; change it instead".into(),
        ));
    }
    Ok(())
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    group_id: Uuid,
    new: NewMembership,
) -> Result<Model> {
    caller.require_secretariat()?;
    let mut v = Validation::new();
    check_term(&mut v, new.starts_on, new.ends_on);
    v.finish()?;

    let txn = begin_write(db).await?;
    find_or_404::<group::Entity>(&txn, group_id).await?;
    let person = person::Entity::find_by_id(new.person_id)
        .one(&txn)
        .await?
        .ok_or_else(|| Error::invalid("person_id", "no person has this id"))?;
    let organisation_id = match new.organisation_id {
        Some(org) => {
            if entity::organisation::Entity::find_by_id(org)
                .one(&txn)
                .await?
                .is_none()
            {
                return Err(Error::invalid(
                    "organisation_id",
                    "no organisation has this id",
                ));
            }
            Some(org)
        }
        None => person.organisation_id,
    };
    ensure_no_overlap(&txn, group_id, person.id, new.starts_on, new.ends_on, None).await?;
    let at = now();
    let model = membership::ActiveModel {
        id: Set(Uuid::new_v4()),
        group_id: Set(group_id),
        person_id: Set(person.id),
        role: Set(new.role.as_str().to_owned()),
        organisation_id: Set(organisation_id),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, caller, "membership.create", "membership", Some(model.id), json!({
        "group_id": group_id, "person_id": model.person_id, "role": model.role,
        "organisation_id": model.organisation_id, "starts_on": model.starts_on, "ends_on": model.ends_on,
    }))
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// A group's memberships, ordered by start date; `current_on` keeps only those in
/// force on that day.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    group_id: Uuid,
    current: Option<NaiveDate>,
    page: &PageParams,
) -> Result<Page<Model>> {
    find_or_404::<group::Entity>(db, group_id).await?;
    ensure_can_read_group(db, caller, group_id).await?;
    let mut query = Entity::find().filter(Column::GroupId.eq(group_id));
    if let Some(day) = current {
        query = query.filter(current_on(day));
    }
    fetch_page(db, query, Column::StartsOn, Column::Id, page, |m| {
        (m.starts_on, m.id)
    })
    .await
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<Model> {
    let model = find_or_404::<Entity>(db, id).await?;
    ensure_can_read_group(db, caller, model.group_id).await?;
    Ok(model)
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
    changes: MembershipChanges,
) -> Result<Model> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    let mut next = current.clone();
    if let Some(role) = changes.role {
        next.role = role.as_str().to_owned();
    }
    if let Some(starts_on) = changes.starts_on {
        next.starts_on = starts_on;
    }
    if let Some(ends_on) = changes.ends_on {
        next.ends_on = ends_on;
    }
    if let Some(org) = changes.organisation_id {
        if let Some(org) = org
            && entity::organisation::Entity::find_by_id(org)
                .one(&txn)
                .await?
                .is_none()
        {
            return Err(Error::invalid(
                "organisation_id",
                "no organisation has this id",
            ));
        }
        next.organisation_id = org;
    }
    let mut v = Validation::new();
    check_term(&mut v, next.starts_on, next.ends_on);
    v.finish()?;
    ensure_no_overlap(
        &txn,
        next.group_id,
        next.person_id,
        next.starts_on,
        next.ends_on,
        Some(id),
    )
    .await?;
    next.updated_at = now();
    update_versioned::<Entity>(&txn, id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(&txn, caller, "membership.update", "membership", Some(id), json!({
        "before": {"role": current.role, "starts_on": current.starts_on, "ends_on": current.ends_on, "organisation_id": current.organisation_id},
        "after": {"role": next.role, "starts_on": next.starts_on, "ends_on": next.ends_on, "organisation_id": next.organisation_id},
    }))
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// One seat in a group with the person who holds it and the organisation they
/// represented when appointed.
#[derive(Debug, Clone)]
pub struct RosterLine {
    pub membership: Model,
    pub person: person::Model,
    pub organisation: Option<String>,
}

/// A group's members on a day: those in post, those whose term has not begun, and
/// those whose term has ended.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    /// In post, chair first, then by role and name.
    pub current: Vec<RosterLine>,
    /// Appointed from a later date, soonest first.
    pub upcoming: Vec<RosterLine>,
    /// Term ended, most recently ended first.
    pub past: Vec<RosterLine>,
}

/// Who sits in a group on `on`, who will, and who did.
pub async fn roster(
    db: &DatabaseConnection,
    caller: &Caller,
    group_id: Uuid,
    on: NaiveDate,
) -> Result<Roster> {
    find_or_404::<group::Entity>(db, group_id).await?;
    ensure_can_read_group(db, caller, group_id).await?;
    let rows = Entity::find()
        .filter(Column::GroupId.eq(group_id))
        .find_also_related(person::Entity)
        .all(db)
        .await?;
    let organisation_ids: Vec<Uuid> = rows.iter().filter_map(|(m, _)| m.organisation_id).collect();
    let organisations: std::collections::HashMap<Uuid, String> = if organisation_ids.is_empty() {
        Default::default()
    } else {
        entity::organisation::Entity::find()
            .filter(entity::organisation::Column::Id.is_in(organisation_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect()
    };
    let mut roster = Roster::default();
    for (membership, person) in rows {
        let Some(person) = person else { continue };
        let line = RosterLine {
            organisation: membership
                .organisation_id
                .and_then(|id| organisations.get(&id).cloned()),
            membership,
            person,
        };
        if line.membership.starts_on > on {
            roster.upcoming.push(line);
        } else if line.membership.ends_on.is_some_and(|end| end < on) {
            roster.past.push(line);
        } else {
            roster.current.push(line);
        }
    }
    let rank = |role: &str| {
        MembershipRole::ALL
            .iter()
            .position(|r| r.as_str() == role)
            .unwrap_or(usize::MAX)
    };
    roster.current.sort_by(|a, b| {
        (rank(&a.membership.role), &a.person.name, a.membership.id).cmp(&(
            rank(&b.membership.role),
            &b.person.name,
            b.membership.id,
        ))
    });
    roster.upcoming.sort_by(|a, b| {
        (a.membership.starts_on, &a.person.name).cmp(&(b.membership.starts_on, &b.person.name))
    });
    roster.past.sort_by(|a, b| {
        (b.membership.ends_on, &a.person.name).cmp(&(a.membership.ends_on, &b.person.name))
    });
    Ok(roster)
}
