//! People: members, officials, co-opted experts and the secretariat.

use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
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
    /// Whether they work for the secretariat (see [`set_secretariat_access`]).
    pub secretariat_access: bool,
}

/// Changes to a person; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Default)]
pub struct PersonChanges {
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub job_title: Option<Option<String>>,
    pub organisation_id: Option<Option<Uuid>>,
    pub secretariat_access: Option<bool>,
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
        secretariat_access: Set(new.secretariat_access),
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
            "secretariat_access": model.secretariat_access,
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
    /// Words to find in the person's name or their organisation's name (any case).
    pub search: Option<String>,
    /// Only people with (or without) secretariat access.
    pub secretariat_access: Option<bool>,
}

/// The condition that finds `words` in a person's name or their organisation's name.
fn search_condition(words: &str) -> Condition {
    use entity::organisation;
    let organisations = Query::select()
        .column(organisation::Column::Id)
        .from(organisation::Entity)
        .cond_where(crate::service::name_contains(
            (organisation::Entity, organisation::Column::Name),
            words,
        ))
        .to_owned();
    Condition::any()
        .add(crate::service::name_contains((Entity, Column::Name), words))
        .add(Column::OrganisationId.in_subquery(organisations))
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
    if let Some(words) = filter.search.as_deref().filter(|w| !w.trim().is_empty()) {
        query = query.filter(search_condition(words));
    }
    if let Some(access) = filter.secretariat_access {
        query = query.filter(Column::SecretariatAccess.eq(access));
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
    if let Some(access) = changes.secretariat_access {
        if current.secretariat_access && !access {
            ensure_not_last_secretariat_person(&txn, id).await?;
        }
        next.secretariat_access = access;
    }
    next.updated_at = now();
    update_versioned::<Entity>(&txn, id, current.version, next.clone()).await?;
    next.version = current.version + 1;
    audit::record(&txn, caller, "person.update", "person", Some(id), json!({
        "before": {"name": current.name, "email": current.email, "job_title": current.job_title, "organisation_id": current.organisation_id, "secretariat_access": current.secretariat_access},
        "after": {"name": next.name, "email": next.email, "job_title": next.job_title, "organisation_id": next.organisation_id, "secretariat_access": next.secretariat_access},
    }))
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// Refuses to take secretariat access from the last person who has it: nobody
/// could then sign in to the workspace to give it back (only the command line could).
async fn ensure_not_last_secretariat_person(conn: &impl ConnectionTrait, id: Uuid) -> Result<()> {
    let others = Entity::find()
        .filter(Column::SecretariatAccess.eq(true))
        .filter(Column::Id.ne(id))
        .count(conn)
        .await?;
    if others == 0 {
        return Err(Error::Conflict(
            "this is the last person with secretariat access; give someone else access first"
                .into(),
        ));
    }
    Ok(())
}

/// Adds a person with secretariat access from the command line: how the first
/// secretariat person of a new installation is made. With an organisation name, the
/// person belongs to that organisation, which is created (as the secretariat's) when
/// no organisation has that name yet.
pub async fn add_secretariat_person_from_command_line(
    db: &DatabaseConnection,
    name: &str,
    email: Option<&str>,
    organisation: Option<&str>,
) -> Result<Model> {
    let mut v = Validation::new();
    let name = v.check("name", values::required_text(name, 200));
    let email = parse_email(&mut v, email);
    let organisation = organisation
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .and_then(|o| v.check("organisation", values::required_text(o, 200)));
    v.finish()?;
    let (name, email) = (name.unwrap_or_default(), email.flatten());

    let txn = begin_write(db).await?;
    if let Some(email) = &email {
        ensure_email_free(&txn, email, None).await?;
    }
    let at = now();
    let organisation_id = match organisation {
        None => None,
        Some(org_name) => {
            use entity::organisation;
            let existing = organisation::Entity::find()
                .filter(organisation::Column::Name.eq(org_name.as_str()))
                .one(&txn)
                .await?;
            Some(match existing {
                Some(org) => org.id,
                None => {
                    let org = organisation::ActiveModel {
                        id: Set(Uuid::new_v4()),
                        name: Set(org_name.clone()),
                        kind: Set(crate::domain::OrganisationKind::Secretariat
                            .as_str()
                            .to_owned()),
                        website: Set(None),
                        version: Set(1),
                        created_at: Set(at),
                        updated_at: Set(at),
                    }
                    .insert(&txn)
                    .await?;
                    audit::record_by_operator(
                        &txn,
                        "organisation.create",
                        "organisation",
                        Some(org.id),
                        json!({"name": org.name, "kind": org.kind}),
                    )
                    .await?;
                    org.id
                }
            })
        }
    };
    let model = person::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name),
        email: Set(email),
        job_title: Set(None),
        organisation_id: Set(organisation_id),
        secretariat_access: Set(true),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await?;
    audit::record_by_operator(
        &txn,
        "person.create",
        "person",
        Some(model.id),
        json!({
            "name": model.name, "email": model.email,
            "organisation_id": model.organisation_id, "secretariat_access": true,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
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

/// Where a person takes part: their memberships, the meetings they are on the
/// register of, and the actions they own. For the secretariat's page about them.
pub struct Involvement {
    /// Memberships with their group, current ones first, then by start date (newest first).
    pub memberships: Vec<(entity::membership::Model, entity::group::Model)>,
    /// Register lines with their meeting and its group, newest meeting first.
    pub meetings: Vec<(
        entity::attendance::Model,
        entity::meeting::Model,
        entity::group::Model,
    )>,
    /// Actions they own, by due date.
    pub actions: Vec<entity::action_item::Model>,
}

/// A person's memberships, meetings and actions; secretariat only.
pub async fn involvement(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> Result<Involvement> {
    use entity::{attendance, group, meeting, membership};
    caller.require_secretariat()?;
    find_or_404::<Entity>(db, id).await?;
    let today = crate::service::access::today();
    let memberships = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(id))
        .all(db)
        .await?;
    let lines = attendance::Entity::find()
        .filter(attendance::Column::PersonId.eq(id))
        .all(db)
        .await?;
    let meetings: std::collections::HashMap<Uuid, meeting::Model> = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(lines.iter().map(|l| l.meeting_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let group_ids = memberships
        .iter()
        .map(|m| m.group_id)
        .chain(meetings.values().map(|m| m.group_id));
    let groups: std::collections::HashMap<Uuid, group::Model> = group::Entity::find()
        .filter(group::Column::Id.is_in(group_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let is_current =
        |m: &membership::Model| m.starts_on <= today && m.ends_on.is_none_or(|end| end >= today);
    let mut memberships: Vec<_> = memberships
        .into_iter()
        .filter_map(|m| {
            let g = groups.get(&m.group_id)?.clone();
            Some((m, g))
        })
        .collect();
    memberships.sort_by_key(|(m, _)| (!is_current(m), std::cmp::Reverse(m.starts_on)));
    let mut meetings: Vec<_> = lines
        .into_iter()
        .filter_map(|line| {
            let m = meetings.get(&line.meeting_id)?.clone();
            let g = groups.get(&m.group_id)?.clone();
            Some((line, m, g))
        })
        .collect();
    meetings.sort_by_key(|(_, m, _)| std::cmp::Reverse(m.starts_at));
    let actions = crate::service::actions::list_all(
        db,
        caller,
        crate::service::actions::ActionFilter {
            owner_person_id: Some(id),
            ..Default::default()
        },
    )
    .await?;
    Ok(Involvement {
        memberships,
        meetings,
        actions,
    })
}
