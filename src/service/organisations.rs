//! Organisations: the charities, departments and bodies people come from.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::values::{self, now};
use crate::domain::{OrganisationKind, Validation};
use crate::service::page::{Page, PageParams, fetch_page};
use crate::service::{audit, begin_write, check_version, find_or_404, update_versioned};
use crate::{Error, Result};
use entity::organisation::{self, Column, Entity, Model};
use sea_orm::DatabaseConnection;

/// A new organisation, as given.
pub struct NewOrganisation {
    pub name: String,
    pub kind: OrganisationKind,
    pub website: Option<String>,
}

/// Changes to an organisation; `None` leaves a field as it is.
#[derive(Default)]
pub struct OrganisationChanges {
    pub name: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub website: Option<Option<String>>,
}

fn parse_name(v: &mut Validation, name: &str) -> Option<String> {
    v.check("name", values::required_text(name, 200))
}

fn parse_website(v: &mut Validation, website: Option<&str>) -> Option<Option<String>> {
    match website.map(str::trim).filter(|w| !w.is_empty()) {
        None => Some(None),
        Some(w) => v.check("website", values::web_address(w)).map(Some),
    }
}

async fn ensure_name_free(
    conn: &impl ConnectionTrait,
    name: &str,
    except: Option<Uuid>,
) -> Result<()> {
    let mut query = Entity::find().filter(Column::Name.eq(name));
    if let Some(id) = except {
        query = query.filter(Column::Id.ne(id));
    }
    if query.one(conn).await?.is_some() {
        return Err(Error::invalid(
            "name",
            "an organisation with this name already exists",
        ));
    }
    Ok(())
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    new: NewOrganisation,
) -> Result<Model> {
    caller.require_secretariat()?;
    let mut v = Validation::new();
    let name = parse_name(&mut v, &new.name);
    let website = parse_website(&mut v, new.website.as_deref());
    v.finish()?;
    let (name, website) = (name.unwrap_or_default(), website.unwrap_or_default());

    let txn = begin_write(db).await?;
    ensure_name_free(&txn, &name, None).await?;
    let at = now();
    let model = organisation::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name),
        kind: Set(new.kind.as_str().to_owned()),
        website: Set(website),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        caller,
        "organisation.create",
        "organisation",
        Some(model.id),
        json!({
            "name": model.name, "kind": model.kind, "website": model.website,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<Model> {
    caller.require_secretariat()?;
    find_or_404::<Entity>(db, id).await
}

/// Organisations by name; with `search`, only those whose name holds those words
/// (ignoring case).
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    search: Option<&str>,
    page: &PageParams,
) -> Result<Page<Model>> {
    caller.require_secretariat()?;
    let mut query = Entity::find();
    if let Some(words) = search.map(str::trim).filter(|w| !w.is_empty()) {
        query = query.filter(crate::service::name_contains((Entity, Column::Name), words));
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
    changes: OrganisationChanges,
) -> Result<Model> {
    caller.require_secretariat()?;
    let mut v = Validation::new();
    let name = changes.name.as_deref().map(|n| parse_name(&mut v, n));
    let website = changes
        .website
        .as_ref()
        .map(|w| parse_website(&mut v, w.as_deref()));
    v.finish()?;

    let txn = begin_write(db).await?;
    let current = find_or_404::<Entity>(&txn, id).await?;
    check_version::<Entity>(expected_version, current.version)?;
    let mut next = current.clone();
    if let Some(Some(name)) = name {
        ensure_name_free(&txn, &name, Some(id)).await?;
        next.name = name;
    }
    if let Some(kind) = changes.kind {
        next.kind = kind.as_str().to_owned();
    }
    if let Some(Some(website)) = website {
        next.website = website;
    }
    next.updated_at = now();
    update_versioned::<Entity>(&txn, id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(
        &txn,
        caller,
        "organisation.update",
        "organisation",
        Some(id),
        json!({
            "before": {"name": current.name, "kind": current.kind, "website": current.website},
            "after": {"name": next.name, "kind": next.kind, "website": next.website},
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(next)
}
