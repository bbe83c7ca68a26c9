//! The directory: organisations and people. Lists with search, forms to add and
//! edit, and a page for each person showing their groups, meetings and actions, and
//! whether they work for the secretariat.
//!
//! This module is the pattern every workspace form follows: a `GET` shows the form
//! with its starting values; the `POST` reads the fields, asks the service, and
//! either redirects with a message or shows the same form again with the problems,
//! the person's values, and (for a stale edit) what someone else saved meanwhile.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Body, Request, Response, Route, get, handler};
use serde::Deserialize;
use uuid::Uuid;

use crate::Error;
use crate::domain::OrganisationKind;
use crate::service::organisations::{self, NewOrganisation, OrganisationChanges};
use crate::service::page::PageParams;
use crate::service::people::{self, NewPerson, PeopleFilter, PersonChanges};
use crate::service::sign_in::WebSession;
use crate::startup::AppState;
use crate::web::flash;
use crate::web::form::{Choice, Conflict, FieldErrors, FormFields, FormState};
use crate::web::pages::workspace::{
    chrome, enum_choices, organisation_choices, workspace, workspace_form,
};
use crate::web::view::{self, Tag};
use crate::web::{Chrome, Section, SecureHeaders, error_page, render};
use entity::{organisation, person};
use poem::EndpointExt;

/// People and organisations shown on one page of a list.
const PAGE_SIZE: u64 = 50;

pub fn routes(route: Route) -> Route {
    route
        .at(
            "/secretariat/people",
            get(people_list).post(person_create).with(SecureHeaders),
        )
        .at(
            "/secretariat/people/new",
            get(person_new).with(SecureHeaders),
        )
        .at(
            "/secretariat/people/:id",
            get(person_show).with(SecureHeaders),
        )
        .at(
            "/secretariat/people/:id/edit",
            get(person_edit).post(person_update).with(SecureHeaders),
        )
        .at(
            "/secretariat/people/:id/access",
            poem::post(person_access).with(SecureHeaders),
        )
        .at(
            "/secretariat/organisations",
            get(organisations_list)
                .post(organisation_create)
                .with(SecureHeaders),
        )
        .at(
            "/secretariat/organisations/new",
            get(organisation_new).with(SecureHeaders),
        )
        .at(
            "/secretariat/organisations/:id",
            get(organisation_show).with(SecureHeaders),
        )
        .at(
            "/secretariat/organisations/:id/edit",
            get(organisation_edit)
                .post(organisation_update)
                .with(SecureHeaders),
        )
}

/// `?q=…&cursor=…` on the lists.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

impl ListQuery {
    fn words(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty())
    }

    /// The address of the next page, keeping the search.
    fn next_href(&self, base: &str, cursor: Option<String>) -> Option<String> {
        let cursor = cursor?;
        let mut query = vec![("cursor", cursor)];
        if let Some(q) = self.words() {
            query.insert(0, ("q", q.to_owned()));
        }
        Some(format!(
            "{base}?{}",
            serde_urlencoded::to_string(query).unwrap_or_default()
        ))
    }
}

// ---------------------------------------------------------------------------
// People

struct PersonRow {
    id: Uuid,
    name: String,
    organisation: String,
    email: String,
    job_title: String,
    secretariat: bool,
}

#[derive(Template)]
#[template(path = "workspace/directory/people.html")]
struct PeoplePage {
    chrome: Chrome,
    search: String,
    rows: Vec<PersonRow>,
    next: Option<String>,
    /// Whether this is a later page of the list.
    later_page: bool,
}

async fn organisation_names(
    state: &AppState,
    ids: impl IntoIterator<Item = Uuid>,
) -> crate::Result<std::collections::HashMap<Uuid, String>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

#[handler]
async fn people_list(req: &Request, state: Data<&AppState>, query: Query<ListQuery>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let listed = people::list(
        &state.db,
        &session.caller,
        PeopleFilter {
            search: query.words().map(str::to_owned),
            ..Default::default()
        },
        &PageParams {
            limit: Some(PAGE_SIZE),
            cursor: query.cursor.clone(),
        },
    )
    .await;
    let listed = match listed {
        Ok(l) => l,
        Err(Error::BadRequest(_)) | Err(Error::Invalid(_)) => {
            return crate::web::see_other("/secretariat/people");
        }
        Err(err) => return error_page(Some(&session), err),
    };
    let names = match organisation_names(
        &state,
        listed.items.iter().filter_map(|p| p.organisation_id),
    )
    .await
    {
        Ok(n) => n,
        Err(err) => return error_page(Some(&session), err),
    };
    let rows = listed
        .items
        .into_iter()
        .map(|p| PersonRow {
            organisation: p
                .organisation_id
                .and_then(|o| names.get(&o).cloned())
                .unwrap_or_default(),
            email: p.email.unwrap_or_default(),
            job_title: p.job_title.unwrap_or_default(),
            secretariat: p.secretariat_access,
            id: p.id,
            name: p.name,
        })
        .collect();
    render(
        StatusCode::OK,
        &PeoplePage {
            chrome: chrome(req, &session, "People", Section::Directory),
            search: query.words().unwrap_or_default().to_owned(),
            rows,
            next: query.next_href("/secretariat/people", listed.next_cursor),
            later_page: query.cursor.is_some(),
        },
    )
}

#[derive(Template)]
#[template(path = "workspace/directory/person_form.html")]
struct PersonForm {
    chrome: Chrome,
    /// `None` for a new person.
    person: Option<person::Model>,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
    organisations: Vec<Choice>,
}

impl PersonForm {
    fn action(&self) -> String {
        match &self.person {
            Some(p) => format!("/secretariat/people/{}/edit", p.id),
            None => "/secretariat/people".into(),
        }
    }
}

/// The form's values for a stored person.
fn person_values(p: &person::Model) -> FormFields {
    FormFields::from_pairs([
        ("name", p.name.clone()),
        ("email", p.email.clone().unwrap_or_default()),
        ("job_title", p.job_title.clone().unwrap_or_default()),
        (
            "organisation_id",
            p.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
        ),
        ("version", p.version.to_string()),
    ])
}

async fn show_person_form(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    person: Option<person::Model>,
    shown: FormState,
) -> Response {
    let organisations = match organisation_choices(state, session).await {
        Ok(o) => o,
        Err(err) => return error_page(Some(session), err),
    };
    let title = match &person {
        Some(p) => format!("Change {}’s details", p.name),
        None => "Add a person".to_owned(),
    };
    render(
        shown.status(),
        &PersonForm {
            chrome: chrome(req, session, &shown.title(&title), Section::Directory),
            person,
            conflict: shown
                .conflict
                .map(|c| c.label_choices("organisation_id", &organisations)),
            form: shown.form,
            errors: shown.errors,
            organisations,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
struct NewPersonQuery {
    #[serde(default)]
    organisation: Option<Uuid>,
}

#[handler]
async fn person_new(
    req: &Request,
    state: Data<&AppState>,
    query: Query<NewPersonQuery>,
) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let mut form = FormFields::default();
    if let Some(org) = query.organisation {
        form.set("organisation_id", org.to_string());
    }
    show_person_form(req, &state, &session, None, FormState::new(form)).await
}

#[handler]
async fn person_create(req: &Request, state: Data<&AppState>, body: Body) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let mut errors = FieldErrors::default();
    let organisation_id = form.choice("organisation_id", &mut errors, "an organisation");
    if errors.is_empty() {
        let new = NewPerson {
            name: form.text("name"),
            email: form.optional("email"),
            job_title: form.optional("job_title"),
            organisation_id,
            secretariat_access: form.checked("secretariat_access"),
        };
        match people::create(&state.db, &session.caller, new).await {
            Ok(p) => {
                return flash::redirect(
                    req,
                    &format!("/secretariat/people/{}", p.id),
                    &format!("{} was added to the directory.", p.name),
                );
            }
            Err(err) => {
                if let Err(other) = errors.absorb(err, &[], "save") {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    show_person_form(
        req,
        &state,
        &session,
        None,
        FormState::invalid(form, errors),
    )
    .await
}

#[handler]
async fn person_edit(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let person = match people::get(&state.db, &session.caller, id).await {
        Ok(p) => p,
        Err(err) => return error_page(Some(&session), err),
    };
    let form = person_values(&person);
    show_person_form(req, &state, &session, Some(person), FormState::new(form)).await
}

#[handler]
async fn person_update(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, mut form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let person = match people::get(&state.db, &session.caller, id).await {
        Ok(p) => p,
        Err(err) => return error_page(Some(&session), err),
    };
    let mut errors = FieldErrors::default();
    let organisation_id = form.choice("organisation_id", &mut errors, "an organisation");
    if errors.is_empty() {
        let changes = PersonChanges {
            name: Some(form.text("name")),
            email: Some(form.optional("email")),
            job_title: Some(form.optional("job_title")),
            organisation_id: Some(organisation_id),
            secretariat_access: None,
        };
        match people::update(&state.db, &session.caller, id, form.version(), changes).await {
            Ok(p) => {
                return flash::redirect(
                    req,
                    &format!("/secretariat/people/{id}"),
                    &format!("{}’s details were saved.", p.name),
                );
            }
            Err(Error::Stale { .. }) => {
                // Someone saved first: show what they saved beside what this person
                // typed, and carry the new version so that saving again is a choice.
                let stored = person_values(&person);
                let conflict = Conflict::between(
                    &form,
                    person.version,
                    &[
                        ("Full name", "name", stored.text("name")),
                        ("Email address", "email", stored.text("email")),
                        ("Job title", "job_title", stored.text("job_title")),
                        (
                            "Organisation",
                            "organisation_id",
                            stored.text("organisation_id"),
                        ),
                    ],
                );
                return show_person_form(
                    req,
                    &state,
                    &session,
                    Some(person),
                    FormState::stale(form, conflict),
                )
                .await;
            }
            Err(err) => {
                if let Err(other) = errors.absorb(err, &[], "save") {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    show_person_form(
        req,
        &state,
        &session,
        Some(person),
        FormState::invalid(form, errors),
    )
    .await
}

struct MembershipLine {
    group_id: Uuid,
    group: String,
    role: String,
    term: String,
    current: bool,
}

struct MeetingLine {
    id: Uuid,
    caption: String,
    title: String,
    day: String,
    answer: Tag,
    reason: Option<String>,
}

struct ActionLine {
    id: Uuid,
    reference: String,
    description: String,
    status: Tag,
    due: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "workspace/directory/person.html")]
struct PersonPage {
    chrome: Chrome,
    person: person::Model,
    organisation: Option<organisation::Model>,
    memberships: Vec<MembershipLine>,
    meetings: Vec<MeetingLine>,
    actions: Vec<ActionLine>,
    errors: FieldErrors,
}

async fn person_page(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    id: Uuid,
    errors: FieldErrors,
) -> crate::Result<PersonPage> {
    use crate::domain::when;
    let caller = &session.caller;
    let person = people::get(&state.db, caller, id).await?;
    let organisation = match person.organisation_id {
        Some(org) => Some(organisations::get(&state.db, caller, org).await?),
        None => None,
    };
    let involvement = people::involvement(&state.db, caller, id).await?;
    let today = crate::service::access::today();
    let memberships = involvement
        .memberships
        .into_iter()
        .map(|(m, g)| MembershipLine {
            group_id: g.id,
            group: g.name,
            role: view::role_label(&m.role),
            term: match m.ends_on {
                Some(end) => format!(
                    "{} to {}",
                    when::format_date(m.starts_on),
                    when::format_date(end)
                ),
                None => format!("Since {}", when::format_date(m.starts_on)),
            },
            current: m.starts_on <= today && m.ends_on.is_none_or(|end| end >= today),
        })
        .collect();
    let meetings = involvement
        .meetings
        .into_iter()
        .map(|(line, m, g)| MeetingLine {
            id: m.id,
            caption: view::meeting_caption(&g, &m),
            day: view::meeting_day(&m),
            title: m.title,
            answer: view::attendance_tag(&line.status),
            reason: line.reason,
        })
        .collect();
    let actions = involvement
        .actions
        .into_iter()
        .map(|a| {
            let outstanding = matches!(a.status.as_str(), "open" | "in_progress");
            ActionLine {
                id: a.id,
                status: view::action_tag(&a.status),
                due: a.due_on.map(when::format_date).unwrap_or_default(),
                overdue: outstanding && a.due_on.is_some_and(|d| d < today),
                reference: a.reference,
                description: a.description,
            }
        })
        .collect();
    let title = if errors.is_empty() {
        person.name.clone()
    } else {
        format!("Error: {}", person.name)
    };
    Ok(PersonPage {
        chrome: chrome(req, session, &title, Section::Directory),
        person,
        organisation,
        memberships,
        meetings,
        actions,
        errors,
    })
}

#[handler]
async fn person_show(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    match person_page(req, &state, &session, id, FieldErrors::default()).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(err) => error_page(Some(&session), err),
    }
}

/// Gives or takes away secretariat access (`access=give|remove`).
#[handler]
async fn person_access(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let mut errors = FieldErrors::default();
    let give = match form.value("access") {
        "give" => Some(true),
        "remove" => Some(false),
        _ => {
            errors.add("access", "Choose whether to give or remove access");
            None
        }
    };
    if let Some(give) = give {
        let changes = PersonChanges {
            secretariat_access: Some(give),
            ..Default::default()
        };
        match people::update(&state.db, &session.caller, id, form.version(), changes).await {
            Ok(p) => {
                let said = if give {
                    format!(
                        "{} now has secretariat access. Their next sign-in opens the secretariat’s workspace.",
                        p.name
                    )
                } else {
                    format!(
                        "{} no longer has secretariat access. They see only the member pages.",
                        p.name
                    )
                };
                return flash::redirect(req, &format!("/secretariat/people/{id}"), &said);
            }
            Err(Error::Stale { .. }) => errors.add(
                "access",
                "Someone else changed this person’s details meanwhile. Check the page and try again",
            ),
            Err(err) => {
                if let Err(other) = errors.absorb(err, &[], "access") {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    match person_page(req, &state, &session, id, errors).await {
        Ok(page) => render(StatusCode::CONFLICT, &page),
        Err(err) => error_page(Some(&session), err),
    }
}

// ---------------------------------------------------------------------------
// Organisations

struct OrganisationRow {
    id: Uuid,
    name: String,
    kind: String,
    website: String,
}

#[derive(Template)]
#[template(path = "workspace/directory/organisations.html")]
struct OrganisationsPage {
    chrome: Chrome,
    search: String,
    rows: Vec<OrganisationRow>,
    next: Option<String>,
    later_page: bool,
}

/// "Voluntary sector", "HM Prison and Probation Service"…
pub fn kind_label(kind: &str) -> String {
    match kind.parse::<OrganisationKind>() {
        Ok(OrganisationKind::VoluntarySector) => "Voluntary sector".into(),
        Ok(OrganisationKind::Moj) => "Ministry of Justice".into(),
        Ok(OrganisationKind::Hmpps) => "HM Prison and Probation Service".into(),
        Ok(OrganisationKind::OtherGovernment) => "Other government".into(),
        Ok(OrganisationKind::Secretariat) => "Secretariat".into(),
        Ok(OrganisationKind::Academic) => "Academic".into(),
        Ok(OrganisationKind::Other) | Err(_) => "Other".into(),
    }
}

fn kind_choices() -> Vec<Choice> {
    enum_choices(
        OrganisationKind::ALL,
        |k| k.as_str(),
        |k| kind_label(k.as_str()),
    )
}

#[handler]
async fn organisations_list(
    req: &Request,
    state: Data<&AppState>,
    query: Query<ListQuery>,
) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let listed = match organisations::list(
        &state.db,
        &session.caller,
        query.words(),
        &PageParams {
            limit: Some(PAGE_SIZE),
            cursor: query.cursor.clone(),
        },
    )
    .await
    {
        Ok(l) => l,
        Err(Error::BadRequest(_)) | Err(Error::Invalid(_)) => {
            return crate::web::see_other("/secretariat/organisations");
        }
        Err(err) => return error_page(Some(&session), err),
    };
    let rows = listed
        .items
        .into_iter()
        .map(|o| OrganisationRow {
            kind: kind_label(&o.kind),
            website: o.website.unwrap_or_default(),
            id: o.id,
            name: o.name,
        })
        .collect();
    render(
        StatusCode::OK,
        &OrganisationsPage {
            chrome: chrome(req, &session, "Organisations", Section::Directory),
            search: query.words().unwrap_or_default().to_owned(),
            rows,
            next: query.next_href("/secretariat/organisations", listed.next_cursor),
            later_page: query.cursor.is_some(),
        },
    )
}

#[derive(Template)]
#[template(path = "workspace/directory/organisation_form.html")]
struct OrganisationForm {
    chrome: Chrome,
    organisation: Option<organisation::Model>,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
    kinds: Vec<Choice>,
}

impl OrganisationForm {
    fn action(&self) -> String {
        match &self.organisation {
            Some(o) => format!("/secretariat/organisations/{}/edit", o.id),
            None => "/secretariat/organisations".into(),
        }
    }
}

fn organisation_values(o: &organisation::Model) -> FormFields {
    FormFields::from_pairs([
        ("name", o.name.clone()),
        ("kind", o.kind.clone()),
        ("website", o.website.clone().unwrap_or_default()),
        ("version", o.version.to_string()),
    ])
}

fn show_organisation_form(
    req: &Request,
    session: &WebSession,
    organisation: Option<organisation::Model>,
    shown: FormState,
) -> Response {
    let kinds = kind_choices();
    let title = match &organisation {
        Some(o) => format!("Change {}", o.name),
        None => "Add an organisation".to_owned(),
    };
    render(
        shown.status(),
        &OrganisationForm {
            chrome: chrome(req, session, &shown.title(&title), Section::Directory),
            organisation,
            conflict: shown.conflict.map(|c| c.label_choices("kind", &kinds)),
            form: shown.form,
            errors: shown.errors,
            kinds,
        },
    )
}

/// The kind chosen on the form; a value that is not a kind is a problem on the field.
fn chosen_kind(form: &FormFields, errors: &mut FieldErrors) -> Option<OrganisationKind> {
    match form.text("kind") {
        k if k.is_empty() => {
            errors.add("kind", "Choose what kind of organisation it is");
            None
        }
        k => match k.parse() {
            Ok(kind) => Some(kind),
            Err(_) => {
                errors.add("kind", "Choose a kind of organisation from the list");
                None
            }
        },
    }
}

#[handler]
async fn organisation_new(req: &Request, state: Data<&AppState>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    show_organisation_form(req, &session, None, FormState::default())
}

#[handler]
async fn organisation_create(req: &Request, state: Data<&AppState>, body: Body) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let mut errors = FieldErrors::default();
    let kind = chosen_kind(&form, &mut errors);
    if let Some(kind) = kind {
        let new = NewOrganisation {
            name: form.text("name"),
            kind,
            website: form.optional("website"),
        };
        match organisations::create(&state.db, &session.caller, new).await {
            Ok(o) => {
                return flash::redirect(
                    req,
                    &format!("/secretariat/organisations/{}", o.id),
                    &format!("{} was added to the directory.", o.name),
                );
            }
            Err(err) => {
                if let Err(other) = errors.absorb(err, &[], "save") {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    show_organisation_form(req, &session, None, FormState::invalid(form, errors))
}

#[handler]
async fn organisation_edit(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    match organisations::get(&state.db, &session.caller, id).await {
        Ok(o) => {
            let form = organisation_values(&o);
            show_organisation_form(req, &session, Some(o), FormState::new(form))
        }
        Err(err) => error_page(Some(&session), err),
    }
}

#[handler]
async fn organisation_update(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, mut form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let current = match organisations::get(&state.db, &session.caller, id).await {
        Ok(o) => o,
        Err(err) => return error_page(Some(&session), err),
    };
    let mut errors = FieldErrors::default();
    let kind = chosen_kind(&form, &mut errors);
    if let Some(kind) = kind {
        let changes = OrganisationChanges {
            name: Some(form.text("name")),
            kind: Some(kind),
            website: Some(form.optional("website")),
        };
        match organisations::update(&state.db, &session.caller, id, form.version(), changes).await {
            Ok(o) => {
                return flash::redirect(
                    req,
                    &format!("/secretariat/organisations/{id}"),
                    &format!("{} was saved.", o.name),
                );
            }
            Err(Error::Stale { .. }) => {
                let stored = organisation_values(&current);
                let conflict = Conflict::between(
                    &form,
                    current.version,
                    &[
                        ("Name", "name", stored.text("name")),
                        ("Kind", "kind", stored.text("kind")),
                        ("Website", "website", stored.text("website")),
                    ],
                );
                return show_organisation_form(
                    req,
                    &session,
                    Some(current),
                    FormState::stale(form, conflict),
                );
            }
            Err(err) => {
                if let Err(other) = errors.absorb(err, &[], "save") {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    show_organisation_form(
        req,
        &session,
        Some(current),
        FormState::invalid(form, errors),
    )
}

#[derive(Template)]
#[template(path = "workspace/directory/organisation.html")]
struct OrganisationPage {
    chrome: Chrome,
    organisation: organisation::Model,
    kind: String,
    people: Vec<PersonRow>,
}

#[handler]
async fn organisation_show(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let caller = &session.caller;
    let organisation = match organisations::get(&state.db, caller, id).await {
        Ok(o) => o,
        Err(err) => return error_page(Some(&session), err),
    };
    let everyone = crate::web::pages::workspace::every(|page| {
        let caller = caller.clone();
        let db = state.db.clone();
        async move {
            people::list(
                &db,
                &caller,
                PeopleFilter {
                    organisation_id: Some(id),
                    ..Default::default()
                },
                &page,
            )
            .await
        }
    })
    .await;
    let people = match everyone {
        Ok(p) => p,
        Err(err) => return error_page(Some(&session), err),
    };
    let people = people
        .into_iter()
        .map(|p| PersonRow {
            organisation: organisation.name.clone(),
            email: p.email.unwrap_or_default(),
            job_title: p.job_title.unwrap_or_default(),
            secretariat: p.secretariat_access,
            id: p.id,
            name: p.name,
        })
        .collect();
    render(
        StatusCode::OK,
        &OrganisationPage {
            chrome: chrome(req, &session, &organisation.name, Section::Directory),
            kind: kind_label(&organisation.kind),
            organisation,
            people,
        },
    )
}
