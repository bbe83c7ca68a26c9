//! The secretariat's actions: raising them at a meeting, one action's page with its
//! history and every step the lifecycle allows (edit, status, carry forward,
//! escalate, drop), the tracker across groups with its CSV download, and the overdue
//! digest ready to copy into emails.
//!
//! Every rule (who may own an action, which steps an action can take, that dropping
//! needs a reason, that escalation needs a main-group meeting) is the service's; the
//! handlers read forms, call the same functions as the API and show what they answer.

use askama::Template;
use chrono::NaiveDate;
use poem::http::{StatusCode, header};
use poem::web::{Data, Path};
use poem::{Body, EndpointExt, Request, Response, Route, get, handler, post};
use uuid::Uuid;

use super::{
    MeetingHeader, MeetingTab, chrome, group_choices, meeting_header, organisation_choices,
    person_choices, workspace, workspace_form,
};
use crate::Error;
use crate::api::download::attachment;
use crate::domain::ActionStatus;
use crate::domain::when;
use crate::service::actions::{self, ActionChanges, ActionFilter, ActionSteps, NewAction, Owner};
use crate::service::page::PageParams;
use crate::service::sign_in::WebSession;
use crate::service::tracker::{self, TrackedAction};
use crate::service::{agenda, find_or_404};
use crate::startup::AppState;
use crate::web::form::{Choice, Conflict, FieldErrors, FormFields};
use crate::web::view::{self, Tag};
use crate::web::{Chrome, Section, SecureHeaders, error_page, flash, render};
use entity::{action_item, agenda_item, group, meeting};

/// How many actions one page of the tracker shows.
const TRACKER_PAGE: u64 = 25;

pub fn routes(route: Route) -> Route {
    route
        .at(
            "/secretariat/meetings/:id/actions",
            get(meeting_actions).post(raise).with(SecureHeaders),
        )
        .at(
            "/secretariat/actions",
            get(tracker_page).with(SecureHeaders),
        )
        .at(
            "/secretariat/actions/export.csv",
            get(export_csv).with(SecureHeaders),
        )
        .at(
            "/secretariat/actions/overdue",
            get(overdue_digest).with(SecureHeaders),
        )
        .at("/secretariat/actions/:id", get(show).with(SecureHeaders))
        .at(
            "/secretariat/actions/:id/edit",
            post(edit).with(SecureHeaders),
        )
        .at(
            "/secretariat/actions/:id/status",
            post(change_status).with(SecureHeaders),
        )
        .at(
            "/secretariat/actions/:id/carry-forward",
            post(carry_forward).with(SecureHeaders),
        )
        .at(
            "/secretariat/actions/:id/escalate",
            post(escalate).with(SecureHeaders),
        )
        .at(
            "/secretariat/actions/:id/drop",
            post(drop_action).with(SecureHeaders),
        )
}

// ---------------------------------------------------------------------------------
// One action, as the pages show it.

/// An action in a table row: its reference, wording, owner and where it stands.
pub struct ActionRow {
    pub id: Uuid,
    pub reference: String,
    pub description: String,
    pub owner: String,
    pub raised: String,
    pub due: Option<String>,
    pub overdue: bool,
    pub status: Tag,
}

impl ActionRow {
    fn new(row: &TrackedAction) -> Self {
        Self {
            id: row.action.id,
            reference: row.action.reference.clone(),
            description: row.action.description.clone(),
            owner: row.owner.clone(),
            raised: format!("{} meeting {}", row.group_short_name, row.meeting_number),
            due: row.action.due_on.map(when::format_short_date),
            overdue: row.overdue,
            status: view::action_tag(&row.action.status),
        }
    }
}

/// The owner's radios and their conditional fields, as a form holds them.
fn owner_fields(form: &mut FormFields, action: &action_item::Model) {
    if let Some(person) = action.owner_person_id {
        form.set("owner", "person");
        form.set("owner_person", person.to_string());
    } else if let Some(organisation) = action.owner_organisation_id {
        form.set("owner", "organisation");
        form.set("owner_organisation", organisation.to_string());
    } else if let Some(text) = &action.owner_text {
        form.set("owner", "text");
        form.set("owner_text", text.clone());
    }
}

/// The owner a form names: the person, organisation or words of the chosen radio.
/// An empty choice is left for the service to refuse ("give exactly one owner").
fn owner_of(form: &FormFields, errors: &mut FieldErrors) -> Owner {
    match form.value("owner") {
        "person" => Owner {
            person_id: form.choice("owner_person", errors, "a person"),
            ..Owner::default()
        },
        "organisation" => Owner {
            organisation_id: form.choice("owner_organisation", errors, "an organisation"),
            ..Owner::default()
        },
        "text" => Owner {
            text: form.optional("owner_text"),
            ..Owner::default()
        },
        _ => Owner::default(),
    }
}

/// Where the service's owner problems land on the form: the field of the chosen
/// radio, or the radios themselves when none was chosen.
fn owner_renames(form: &FormFields) -> Vec<(&'static str, &'static str)> {
    let missing = match form.value("owner") {
        "person" => "owner_person",
        "organisation" => "owner_organisation",
        "text" => "owner_text",
        _ => "owner",
    };
    vec![
        ("owner_person_id", missing),
        ("owner_organisation_id", "owner_organisation"),
        ("owner_text", "owner_text"),
        ("due_on", "due_on"),
        ("agenda_item_id", "agenda_item"),
    ]
}

/// The directory's people and organisations, to choose an owner from.
struct Choices {
    people: Vec<Choice>,
    organisations: Vec<Choice>,
}

impl Choices {
    async fn load(state: &AppState, session: &WebSession) -> crate::Result<Self> {
        Ok(Self {
            people: person_choices(state, session).await?,
            organisations: organisation_choices(state, session).await?,
        })
    }
}

/// The owner a form names, in words, for the conflict panel.
fn owner_words(form: &FormFields, choices: &Choices) -> String {
    let label = |list: &[Choice], value: &str| {
        list.iter()
            .find(|c| c.value == value)
            .map(|c| c.label.clone())
            .unwrap_or_default()
    };
    match form.value("owner") {
        "person" => label(&choices.people, form.value("owner_person")),
        "organisation" => label(&choices.organisations, form.value("owner_organisation")),
        "text" => form.text("owner_text"),
        _ => String::new(),
    }
}

// ---------------------------------------------------------------------------------
// A meeting's actions, and raising one.

#[derive(Template)]
#[template(path = "workspace/actions/meeting.html")]
struct MeetingActionsPage {
    chrome: Chrome,
    header: MeetingHeader,
    meeting_id: Uuid,
    actions: Vec<ActionRow>,
    editable: bool,
    form: FormFields,
    errors: FieldErrors,
    people: Vec<Choice>,
    organisations: Vec<Choice>,
    agenda: Vec<Choice>,
}

async fn meeting_actions_page(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    meeting_id: Uuid,
    form: FormFields,
    errors: FieldErrors,
) -> crate::Result<MeetingActionsPage> {
    let caller = &session.caller;
    let header = meeting_header(state, session, meeting_id, MeetingTab::Actions).await?;
    let rows = actions::list_for_meeting(&state.db, caller, meeting_id).await?;
    let described = tracker::describe(&state.db, rows, crate::service::access::today()).await?;
    let agenda = agenda::list(&state.db, caller, meeting_id)
        .await?
        .into_iter()
        .map(|item: agenda_item::Model| {
            Choice::new(
                item.id.to_string(),
                format!("{}. {}", item.position, item.title),
            )
        })
        .collect();
    let choices = Choices::load(state, session).await?;
    Ok(MeetingActionsPage {
        chrome: chrome(
            req,
            session,
            &format!("Actions – {}", header.meeting.title),
            Section::Meetings,
        ),
        editable: crate::service::meetings::status_of(&header.meeting)
            .map(|s| crate::domain::lifecycle::meeting_editable(s).is_ok())
            .unwrap_or(false),
        header,
        meeting_id,
        actions: described.iter().map(ActionRow::new).collect(),
        form,
        errors,
        people: choices.people,
        organisations: choices.organisations,
        agenda,
    })
}

#[handler]
async fn meeting_actions(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(page) => return page,
    };
    let mut form = FormFields::default();
    form.set("owner", "person");
    match meeting_actions_page(req, &state, &session, id, form, FieldErrors::default()).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(err) => error_page(Some(&session), err),
    }
}

/// Raise an action at the meeting.
#[handler]
async fn raise(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(signed_in) => signed_in,
        Err(page) => return page,
    };
    let mut errors = FieldErrors::default();
    let new = NewAction {
        description: form.text("description"),
        owner: owner_of(&form, &mut errors),
        due_on: form.date("due_on", &mut errors, "The due date"),
        agenda_item_id: form.choice("agenda_item", &mut errors, "an agenda item"),
    };
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if errors.is_empty() {
        match actions::create(&state.db, &session.caller, id, new).await {
            Ok(action) => {
                return flash::redirect(
                    req,
                    &format!("/secretariat/meetings/{id}/actions"),
                    &format!("Action {} was raised.", action.reference),
                );
            }
            Err(err) => {
                if matches!(err, Error::Conflict(_)) {
                    status = StatusCode::CONFLICT;
                }
                if let Err(other) = errors.absorb(err, &owner_renames(&form), "raise") {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    match meeting_actions_page(req, &state, &session, id, form, errors).await {
        Ok(page) => render(status, &page),
        Err(err) => error_page(Some(&session), err),
    }
}

// ---------------------------------------------------------------------------------
// One action's page and its forms.

/// One step of the history, in words.
pub struct HistoryRow {
    pub when: String,
    pub who: String,
    pub change: String,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "workspace/actions/show.html")]
struct ActionPage {
    chrome: Chrome,
    id: Uuid,
    reference: String,
    description: String,
    owner: String,
    meeting_label: String,
    meeting_id: Uuid,
    group_name: String,
    agenda_item: Option<String>,
    due: Option<String>,
    overdue: bool,
    status: Tag,
    carried_forward: i32,
    escalated_to: Option<(Uuid, String)>,
    main_group: Option<String>,
    steps: ActionSteps,
    can_drop: bool,
    statuses: Vec<Choice>,
    history: Vec<HistoryRow>,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
    people: Vec<Choice>,
    organisations: Vec<Choice>,
}

/// What was posted to the page, to show again with its problems.
#[derive(Default)]
struct Posted {
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
    /// Whether the form was refused for someone else's change: the page then
    /// shows where the action stands now, and its forms carry the current version.
    stale: bool,
}

impl Posted {
    fn new(form: FormFields, errors: FieldErrors) -> Self {
        Self {
            form,
            errors,
            ..Self::default()
        }
    }
}

/// The values every form on the action's page starts with.
fn starting_values(action: &action_item::Model) -> FormFields {
    let mut form = FormFields::default();
    form.set("version", action.version.to_string());
    form.set("description", action.description.clone());
    if let Some(due) = action.due_on {
        form.set("due_on", due.format("%Y-%m-%d").to_string());
    }
    owner_fields(&mut form, action);
    form
}

async fn action_page(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    id: Uuid,
    posted: Option<Posted>,
) -> crate::Result<ActionPage> {
    let caller = &session.caller;
    let action = actions::get(&state.db, caller, id).await?;
    let steps = actions::steps(&state.db, caller, &action).await?;
    let meeting = find_or_404::<meeting::Entity>(&state.db, action.meeting_id).await?;
    let group = find_or_404::<group::Entity>(&state.db, action.group_id).await?;
    let main_group = match group.parent_id {
        Some(parent) => Some(
            find_or_404::<group::Entity>(&state.db, parent)
                .await?
                .short_name,
        ),
        None => None,
    };
    let escalated_to = match action.escalated_to_meeting_id {
        Some(target) => {
            let target = find_or_404::<meeting::Entity>(&state.db, target).await?;
            let target_group = find_or_404::<group::Entity>(&state.db, target.group_id).await?;
            Some((
                target.id,
                format!(
                    "{} meeting {} on {}",
                    target_group.short_name,
                    target.number,
                    view::meeting_day(&target)
                ),
            ))
        }
        None => None,
    };
    let agenda_item = match action.agenda_item_id {
        Some(item) => agenda::get(&state.db, caller, item)
            .await
            .ok()
            .map(|i| format!("{}. {}", i.position, i.title)),
        None => None,
    };
    let zone = view::zone_of(&meeting);
    let history = actions::history(&state.db, caller, id)
        .await?
        .into_iter()
        .map(|step| {
            let to = view::action_tag(&step.to_status).label;
            let change = match step.from_status.as_deref() {
                None => format!("Raised as {}", to.to_lowercase()),
                Some(from) if from == step.to_status => "No change of status".to_owned(),
                Some(from) => format!("{} → {}", view::action_tag(from).label, to),
            };
            HistoryRow {
                when: when::format_date_time(step.changed_at, zone),
                who: step.actor,
                change,
                note: step.note,
            }
        })
        .collect();
    let described = tracker::describe(
        &state.db,
        vec![action.clone()],
        crate::service::access::today(),
    )
    .await?;
    let tracked = described.into_iter().next().expect("one action described");
    let choices = Choices::load(state, session).await?;
    let posted = posted.unwrap_or_else(|| Posted {
        form: starting_values(&action),
        ..Posted::default()
    });
    let statuses = steps
        .statuses
        .iter()
        .filter(|s| **s != ActionStatus::Dropped)
        .map(|s| Choice::new(s.as_str(), s.label()))
        .collect();
    Ok(ActionPage {
        chrome: chrome(
            req,
            session,
            &format!("{}: {}", action.reference, short(&action.description)),
            Section::Actions,
        ),
        id,
        owner: tracked.owner.clone(),
        meeting_label: format!(
            "{} meeting {} on {}",
            tracked.group_short_name,
            meeting.number,
            view::meeting_day(&meeting)
        ),
        meeting_id: meeting.id,
        group_name: group.name,
        agenda_item,
        due: action.due_on.map(when::format_date),
        overdue: tracked.overdue,
        status: view::action_tag(&action.status),
        carried_forward: action.carried_forward,
        escalated_to,
        main_group,
        can_drop: steps.statuses.contains(&ActionStatus::Dropped),
        steps,
        statuses,
        history,
        form: posted.form,
        errors: posted.errors,
        conflict: posted.conflict,
        people: choices.people,
        organisations: choices.organisations,
        reference: action.reference,
        description: action.description,
    })
}

/// The first words of a long description, for the page's title.
fn short(text: &str) -> String {
    let words: String = text.chars().take(60).collect();
    if words.len() < text.len() {
        format!("{}…", words.trim_end())
    } else {
        words
    }
}

#[handler]
async fn show(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(page) => return page,
    };
    match action_page(req, &state, &session, id, None).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(err) => error_page(Some(&session), err),
    }
}

/// The fields of the action's forms that are shown again as posted.
const POSTED_FIELDS: &[&str] = &[
    "description",
    "owner",
    "owner_person",
    "owner_organisation",
    "owner_text",
    "due_on",
    "status",
    "status_note",
    "carry_note",
    "escalate_note",
    "drop_reason",
];

/// Shows the action's page again with what was posted and its problems.
async fn again(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    id: Uuid,
    status: StatusCode,
    posted: Posted,
) -> Response {
    // The other forms on the page start from the stored values; the posted form
    // keeps what the person typed.
    let mut form = match actions::get(&state.db, &session.caller, id).await {
        Ok(action) => starting_values(&action),
        Err(err) => return error_page(Some(session), err),
    };
    for name in POSTED_FIELDS {
        if let Some(value) = posted.form.get(name) {
            form.set(name, value);
        }
    }
    // The forms keep the version they were read at, so that a change made meanwhile
    // is never overwritten unseen; once the page has shown the change (the conflict
    // panel, or the current state after a stale step) they move on to it.
    match (&posted.conflict, posted.stale, posted.form.version()) {
        (Some(conflict), _, _) => form.set("version", conflict.current_version.to_string()),
        (None, false, Some(read_at)) => form.set("version", read_at.to_string()),
        _ => {}
    }
    let posted = Posted { form, ..posted };
    match action_page(req, state, session, id, Some(posted)).await {
        Ok(page) => render(status, &page),
        Err(err) => error_page(Some(session), err),
    }
}

/// One of the step forms of the action's page (status, carry forward, escalate,
/// drop): where the service's problems land, and what the message says when done.
struct Step<'a> {
    /// The service's field names and the form's.
    renames: &'a [(&'a str, &'a str)],
    /// The field that carries refusals belonging to no field.
    general: &'a str,
    /// "was dropped": the end of the message after a redirect.
    done: &'a str,
}

/// The outcome of a step form: back to the action's page with a message, or the
/// page again with the problems on the form's fields.
async fn finish(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    id: Uuid,
    mut posted: Posted,
    outcome: crate::Result<action_item::Model>,
    step: Step<'_>,
) -> Response {
    let status = match outcome {
        Ok(action) => {
            return flash::redirect(
                req,
                &format!("/secretariat/actions/{id}"),
                &format!("Action {} {}.", action.reference, step.done),
            );
        }
        Err(Error::Stale { .. }) => {
            posted.errors.add(
                step.general,
                "Someone else changed this action after you opened this page. Check where it \
                 stands now, then try again.",
            );
            posted.stale = true;
            StatusCode::CONFLICT
        }
        Err(err) => {
            let status = if matches!(err, Error::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            if let Err(other) = posted.errors.absorb(err, step.renames, step.general) {
                return error_page(Some(session), other);
            }
            status
        }
    };
    again(req, state, session, id, status, posted).await
}

/// Edit the wording, owner and due date.
#[handler]
async fn edit(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>, body: Body) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(signed_in) => signed_in,
        Err(page) => return page,
    };
    let mut errors = FieldErrors::default();
    let owner = owner_of(&form, &mut errors);
    let due_on = form.date("due_on", &mut errors, "The due date");
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return again(req, &state, &session, id, status, Posted::new(form, errors)).await;
    }
    let changes = ActionChanges {
        description: Some(form.text("description")),
        owner: Some(owner),
        due_on: Some(due_on),
        ..ActionChanges::default()
    };
    let (status, posted) =
        match actions::update(&state.db, &session.caller, id, form.version(), changes).await {
            Ok(action) => {
                return flash::redirect(
                    req,
                    &format!("/secretariat/actions/{id}"),
                    &format!("Action {} was changed.", action.reference),
                );
            }
            Err(Error::Stale { .. }) => match edit_conflict(&state, &session, id, &form).await {
                Ok(conflict) => (
                    StatusCode::CONFLICT,
                    Posted {
                        conflict: Some(conflict),
                        ..Posted::new(form, errors)
                    },
                ),
                Err(err) => return error_page(Some(&session), err),
            },
            Err(err) => {
                let status = if matches!(err, Error::Conflict(_)) {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                if let Err(other) = errors.absorb(err, &owner_renames(&form), "save") {
                    return error_page(Some(&session), other);
                }
                (status, Posted::new(form, errors))
            }
        };
    again(req, &state, &session, id, status, posted).await
}

/// What someone else saved, beside what this person typed, in words (names, not
/// ids; dates as people read them).
async fn edit_conflict(
    state: &AppState,
    session: &WebSession,
    id: Uuid,
    posted: &FormFields,
) -> crate::Result<Conflict> {
    let current = actions::get(&state.db, &session.caller, id).await?;
    let choices = Choices::load(state, session).await?;
    let stored = starting_values(&current);
    let in_words = |form: &FormFields| {
        let mut errors = FieldErrors::default();
        form.date("due_on", &mut errors, "")
            .map(when::format_date)
            .unwrap_or_default()
    };
    let mut compared = posted.clone();
    compared.set("owner_words", owner_words(posted, &choices));
    compared.set("due_words", in_words(posted));
    Ok(Conflict::between(
        &compared,
        current.version,
        &[
            ("Action", "description", current.description.clone()),
            ("Owner", "owner_words", owner_words(&stored, &choices)),
            ("Due date", "due_words", in_words(&stored)),
        ],
    ))
}

/// Change the status, with a note for the history.
#[handler]
async fn change_status(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(signed_in) => signed_in,
        Err(page) => return page,
    };
    let mut errors = FieldErrors::default();
    let outcome = match form.text("status").parse::<ActionStatus>() {
        Ok(status) => {
            let changes = ActionChanges {
                status: Some(status),
                note: form.optional("status_note"),
                ..ActionChanges::default()
            };
            actions::update(&state.db, &session.caller, id, form.version(), changes).await
        }
        Err(_) => {
            errors.add("status", "Choose the action's new status");
            Err(Error::Invalid(Vec::new()))
        }
    };
    let step = Step {
        renames: &[("note", "status_note")],
        general: "status",
        done: "has its new status",
    };
    let posted = Posted::new(form, errors);
    finish(req, &state, &session, id, posted, outcome, step).await
}

/// Carry the action forward to the next meeting.
#[handler]
async fn carry_forward(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(signed_in) => signed_in,
        Err(page) => return page,
    };
    let note = form.optional("carry_note");
    let outcome =
        actions::carry_forward(&state.db, &session.caller, id, form.version(), note).await;
    let step = Step {
        renames: &[("note", "carry_note")],
        general: "carry",
        done: "is carried forward",
    };
    let posted = Posted::new(form, FieldErrors::default());
    finish(req, &state, &session, id, posted, outcome, step).await
}

/// Escalate a special interest group's action to the main group.
#[handler]
async fn escalate(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(signed_in) => signed_in,
        Err(page) => return page,
    };
    let note = form.optional("escalate_note");
    let outcome = actions::escalate(&state.db, &session.caller, id, form.version(), note).await;
    // The service's 409 when the main group has no meeting scheduled lands on the
    // button, in its own words.
    let step = Step {
        renames: &[("note", "escalate_note")],
        general: "escalate",
        done: "is escalated to the main group's next meeting",
    };
    let posted = Posted::new(form, FieldErrors::default());
    finish(req, &state, &session, id, posted, outcome, step).await
}

/// Drop the action, saying why.
#[handler]
async fn drop_action(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(signed_in) => signed_in,
        Err(page) => return page,
    };
    let changes = ActionChanges {
        status: Some(ActionStatus::Dropped),
        note: form.optional("drop_reason"),
        ..ActionChanges::default()
    };
    let outcome = actions::update(&state.db, &session.caller, id, form.version(), changes).await;
    // The service's refusal of a drop without a reason lands on the reason's field.
    let step = Step {
        renames: &[("note", "drop_reason")],
        general: "drop_reason",
        done: "was dropped",
    };
    let posted = Posted::new(form, FieldErrors::default());
    finish(req, &state, &session, id, posted, outcome, step).await
}

// ---------------------------------------------------------------------------------
// The tracker, its download and the overdue digest.

/// A link to another page of the tracker.
pub struct PageLink {
    pub href: String,
}

#[derive(Template)]
#[template(path = "workspace/actions/tracker.html")]
struct TrackerPage {
    chrome: Chrome,
    form: FormFields,
    errors: FieldErrors,
    groups: Vec<Choice>,
    people: Vec<Choice>,
    statuses: Vec<Choice>,
    overdue_choices: Vec<Choice>,
    rows: Vec<ActionRow>,
    page_number: usize,
    previous: Option<PageLink>,
    next: Option<PageLink>,
    download: String,
    filtered: bool,
}

/// The tracker's filters as the address carries them, read into the service's
/// filter; problems with the values land on the filter form's fields.
fn tracker_filter(query: &FormFields, errors: &mut FieldErrors) -> ActionFilter {
    let status = match query.text("status").as_str() {
        "" => None,
        text => match text.parse::<ActionStatus>() {
            Ok(status) => Some(status),
            Err(_) => {
                errors.add("status", "Choose a status from the list");
                None
            }
        },
    };
    let overdue = match query.text("overdue").as_str() {
        "" => None,
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.add(
                "overdue",
                "Choose from the list whether the actions are overdue",
            );
            None
        }
    };
    ActionFilter {
        group_id: query.choice("group", errors, "a group"),
        include_sigs: query.checked("include_sigs"),
        meeting_id: None,
        owner_person_id: query.choice("owner", errors, "a person"),
        status,
        due_before: query.date("due_to", errors, "The latest due date"),
        due_after: query.date("due_from", errors, "The earliest due date"),
        overdue,
    }
}

/// The service's names for the filters, and the form's.
const FILTER_RENAMES: &[(&str, &str)] = &[
    ("group_id", "group"),
    ("owner_person_id", "owner"),
    ("due_after", "due_from"),
    ("due_before", "due_to"),
    ("cursor", "filters"),
    ("limit", "filters"),
];

/// The filters of the address, without the paging, as query pairs.
fn filter_pairs(query: &FormFields) -> Vec<(&'static str, String)> {
    [
        "group",
        "include_sigs",
        "owner",
        "status",
        "overdue",
        "due_from",
        "due_to",
    ]
    .into_iter()
    .filter_map(|name| query.optional(name).map(|value| (name, value)))
    .collect()
}

fn address(path: &str, pairs: &[(&'static str, String)]) -> String {
    if pairs.is_empty() {
        path.to_owned()
    } else {
        format!(
            "{path}?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }
}

/// The query string of the request, read like a form.
fn query_of(req: &Request) -> FormFields {
    FormFields::parse(req.uri().query().unwrap_or("").as_bytes())
}

#[handler]
async fn tracker_page(req: &Request, state: Data<&AppState>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(page) => return page,
    };
    let query = query_of(req);
    let mut errors = FieldErrors::default();
    let filter = tracker_filter(&query, &mut errors);
    // The cursor is the service's; the earlier pages' cursors travel in `trail` so
    // that "Previous page" can go back without the service paging backwards.
    let cursor = query.optional("cursor");
    let trail: Vec<String> = query
        .optional("trail")
        .map(|t| t.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    let mut rows = Vec::new();
    let mut next_cursor = None;
    let mut status = StatusCode::OK;
    if errors.is_empty() {
        let page = PageParams {
            limit: Some(TRACKER_PAGE),
            cursor: cursor.clone(),
        };
        match actions::list(&state.db, &session.caller, filter, &page).await {
            Ok(page) => {
                next_cursor = page.next_cursor;
                match tracker::describe(&state.db, page.items, crate::service::access::today())
                    .await
                {
                    Ok(described) => rows = described.iter().map(ActionRow::new).collect(),
                    Err(err) => return error_page(Some(&session), err),
                }
            }
            Err(err) => {
                if let Err(other) = errors.absorb(err, FILTER_RENAMES, "filters") {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    if !errors.is_empty() {
        status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    let filters = filter_pairs(&query);
    let previous = cursor.as_ref().map(|_| {
        let mut pairs = filters.clone();
        if let Some((last, rest)) = trail.split_last() {
            pairs.push(("cursor", last.clone()));
            if !rest.is_empty() {
                pairs.push(("trail", rest.join(",")));
            }
        }
        PageLink {
            href: address("/secretariat/actions", &pairs),
        }
    });
    let next = next_cursor.map(|next| {
        let mut pairs = filters.clone();
        pairs.push(("cursor", next));
        let mut earlier = trail.clone();
        if let Some(current) = &cursor {
            earlier.push(current.clone());
        }
        if !earlier.is_empty() {
            pairs.push(("trail", earlier.join(",")));
        }
        PageLink {
            href: address("/secretariat/actions", &pairs),
        }
    });
    let (groups, people) = match (
        group_choices(&state, &session).await,
        person_choices(&state, &session).await,
    ) {
        (Ok(groups), Ok(people)) => (groups, people),
        (Err(err), _) | (_, Err(err)) => return error_page(Some(&session), err),
    };
    let page = TrackerPage {
        chrome: chrome(req, &session, "Actions", Section::Actions),
        page_number: if cursor.is_some() { trail.len() + 2 } else { 1 },
        download: address("/secretariat/actions/export.csv", &filters),
        filtered: !filters.is_empty(),
        form: query,
        errors,
        groups,
        people,
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| Choice::new(s.as_str(), s.label()))
            .collect(),
        overdue_choices: vec![
            Choice::new("yes", "Only overdue actions"),
            Choice::new("no", "Only actions not overdue"),
        ],
        rows,
        previous,
        next,
    };
    render(status, &page)
}

/// The tracker's selection as a CSV file, every row at once.
#[handler]
async fn export_csv(req: &Request, state: Data<&AppState>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(page) => return page,
    };
    let query = query_of(req);
    let mut errors = FieldErrors::default();
    let filter = tracker_filter(&query, &mut errors);
    if !errors.is_empty() {
        // The tracker page says what is wrong with the filters.
        return crate::web::see_other(&address("/secretariat/actions", &filter_pairs(&query)));
    }
    let group = match filter.group_id {
        Some(id) => match find_or_404::<group::Entity>(&state.db, id).await {
            Ok(group) => Some(group.short_name),
            Err(err) => return error_page(Some(&session), err),
        },
        None => None,
    };
    let include_sigs = filter.include_sigs;
    let bytes = match tracker::export(&state.db, &session.caller, filter).await {
        Ok(rows) => tracker::render_csv(&rows),
        Err(err) => Err(err),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(Error::Invalid(_)) => {
            return crate::web::see_other(&address("/secretariat/actions", &filter_pairs(&query)));
        }
        Err(err) => return error_page(Some(&session), err),
    };
    let name = csv_file_name(
        group.as_deref(),
        include_sigs,
        crate::service::access::today(),
    );
    Response::builder()
        .content_type("text/csv; charset=utf-8")
        .header(header::CONTENT_DISPOSITION, attachment(&name))
        .body(bytes)
}

/// "rr3-and-sigs-actions-2026-12-02.csv": what the file holds and when it was made.
fn csv_file_name(group: Option<&str>, include_sigs: bool, today: NaiveDate) -> String {
    let slug = |text: &str| {
        text.to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    };
    let what = match group {
        Some(group) if include_sigs => format!("{}-and-sigs-actions", slug(group)),
        Some(group) => format!("{}-actions", slug(group)),
        None => "actions".to_owned(),
    };
    format!("{what}-{}.csv", today.format("%Y-%m-%d"))
}

/// One owner's part of the digest, ready to copy into an email.
pub struct DigestView {
    pub index: usize,
    pub owner: String,
    pub to: Option<String>,
    pub not_a_person: bool,
    pub overdue: Vec<ActionRow>,
    pub due_this_week: Vec<ActionRow>,
    pub subject: String,
    pub body: String,
    pub body_rows: usize,
}

#[derive(Template)]
#[template(path = "workspace/actions/overdue.html")]
struct OverduePage {
    chrome: Chrome,
    today: String,
    entries: Vec<DigestView>,
}

#[handler]
async fn overdue_digest(req: &Request, state: Data<&AppState>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(page) => return page,
    };
    let today = crate::service::access::today();
    let entries = match tracker::overdue_digest(&state.db, &session.caller, today).await {
        Ok(entries) => entries,
        Err(err) => return error_page(Some(&session), err),
    };
    let entries = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let body = tracker::digest_body(entry, today);
            DigestView {
                index: i + 1,
                owner: entry.owner.clone(),
                to: entry.person.as_ref().and_then(|p| {
                    p.email
                        .as_ref()
                        .map(|email| format!("{} <{email}>", p.name))
                }),
                not_a_person: entry.person.is_none(),
                overdue: entry.overdue.iter().map(ActionRow::new).collect(),
                due_this_week: entry.due_this_week.iter().map(ActionRow::new).collect(),
                subject: tracker::digest_subject(entry),
                // Room for the whole message, lines wrapping at about 60 characters.
                body_rows: body
                    .lines()
                    .map(|line| line.chars().count().div_ceil(60).max(1))
                    .sum::<usize>()
                    .clamp(6, 40),
                body,
            }
        })
        .collect();
    let page = OverduePage {
        chrome: chrome(req, &session, "Overdue actions digest", Section::Actions),
        today: when::format_long_date(today),
        entries,
    };
    render(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_file_names_say_what_they_hold_and_when() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(csv_file_name(None, false, day), "actions-2026-12-02.csv");
        assert_eq!(
            csv_file_name(Some("FRD SIG"), false, day),
            "frd-sig-actions-2026-12-02.csv"
        );
        assert_eq!(
            csv_file_name(Some("RR3"), true, day),
            "rr3-and-sigs-actions-2026-12-02.csv"
        );
    }
}
