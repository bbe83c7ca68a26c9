//! People: members, officials, co-opted experts and the secretariat.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::Validation;
use crate::domain::values::{self, now};
use crate::service::page::{Page, PageParams, fetch_page};
use crate::service::{audit, begin_write, check_version, find_or_404, update_versioned};
use crate::{Error, Result};
use entity::person::{self, Column, Entity, Model};

/// A new person, as given.
pub struct NewPerson {
    pub name: String,
    pub email: Option<String>,
    pub job_title: Option<String>,
    pub organisation_id: Option<Uuid>,
}

/// Changes to a person; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Default)]
pub struct PersonChanges {
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub job_title: Option<Option<String>>,
    pub organisation_id: Option<Option<Uuid>>,
}

fn parse_email(v: &mut Validation, email: Option<&str>) -> Option<Option<String>> {
    match email.map(str::trim).filter(|e| !e.is_empty()) {
        None => Some(None),
        Some(e) => v.check("email", values::email(e)).map(Some),
    }
}

async fn ensure_email_free(
    conn: &impl ConnectionTrait,
    email: &str,
    except: Option<Uuid>,
) -> Result<()> {
    let mut query = Entity::find().filter(Column::Email.eq(email));
    if let Some(id) = except {
        query = query.filter(Column::Id.ne(id));
    }
    if query.one(conn).await?.is_some() {
        return Err(Error::invalid(
            "email",
            "another person already has this email address",
        ));
    }
    Ok(())
}

async fn ensure_organisation(conn: &impl ConnectionTrait, id: Uuid) -> Result<()> {
    if entity::organisation::Entity::find_by_id(id)
        .one(conn)
        .await?
        .is_none()
    {
        return Err(Error::invalid(
            "organisation_id",
            "no organisation has this id",
        ));
    }
    Ok(())
}

pub async fn create(db: &DatabaseConnection, caller: &Caller, new: NewPerson) -> Result<Model> {
    caller.require_secretariat()?;
    let mut v = Validation::new();
    let name = v.check("name", values::required_text(&new.name, 200));
    let email = parse_email(&mut v, new.email.as_deref());
    let job_title = v.check(
        "job_title",
        values::optional_text(new.job_title.as_deref(), 200),
    );
    v.finish()?;
    let (name, email, job_title) = (
        name.unwrap_or_default(),
        email.flatten(),
        job_title.flatten(),
    );

    let txn = begin_write(db).await?;
    if let Some(email) = &email {
        ensure_email_free(&txn, email, None).await?;
    }
    if let Some(org) = new.organisation_id {
        ensure_organisation(&txn, org).await?;
    }
    let at = now();
    let model = person::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name),
        email: Set(email),
        job_title: Set(job_title),
        organisation_id: Set(new.organisation_id),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        caller,
        "person.create",
        "person",
        Some(model.id),
        json!({
            "name": model.name, "email": model.email, "job_title": model.job_title,
            "organisation_id": model.organisation_id,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// A person; the secretariat may read anyone, a member only themselves.
pub async fn get(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<Model> {
    if !caller.is_secretariat() && caller.member_person() != Some(id) {
        return Err(Error::forbidden("members may read only their own details"));
    }
    find_or_404::<Entity>(db, id).await
}

/// Filters for listing people.
#[derive(Debug, Default)]
pub struct PeopleFilter {
    pub organisation_id: Option<Uuid>,
}

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: PeopleFilter,
    page: &PageParams,
) -> Result<Page<Model>> {
    caller.require_secretariat()?;
    let mut query = Entity::find();
    if let Some(org) = filter.organisation_id {
        query = query.filter(Column::OrganisationId.eq(org));
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
    changes: PersonChanges,
) -> Result<Model> {
    caller.require_secretariat()?;
    let mut v = Validation::new();
    let name = changes
        .name
        .as_deref()
        .and_then(|n| v.check("name", values::required_text(n, 200)));
    let email = changes
        .email
        .as_ref()
        .map(|e| parse_email(&mut v, e.as_deref()));
    let job_title = changes
        .job_title
        .as_ref()
        .map(|t| v.check("job_title", values::optional_text(t.as_deref(), 200)));
    v.finish()?;

    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    let mut next = current.clone();
    if let Some(name) = name {
        next.name = name;
    }
    if let Some(Some(email)) = email {
        if let Some(address) = &email {
            ensure_email_free(&txn, address, Some(id)).await?;
        }
        next.email = email;
    }
    if let Some(Some(job_title)) = job_title {
        next.job_title = job_title;
    }
    if let Some(organisation_id) = changes.organisation_id {
        if let Some(org) = organisation_id {
            ensure_organisation(&txn, org).await?;
        }
        next.organisation_id = organisation_id;
    }
    next.updated_at = now();
    update_versioned::<Entity>(&txn, id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(&txn, caller, "person.update", "person", Some(id), json!({
        "before": {"name": current.name, "email": current.email, "job_title": current.job_title, "organisation_id": current.organisation_id},
        "after": {"name": next.name, "email": next.email, "job_title": next.job_title, "organisation_id": next.organisation_id},
    }))
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// Names and organisation names of the given people, for lists that show who is who.
pub async fn names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashMap<Uuid, Model>> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(Entity::find()
        .filter(Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}
