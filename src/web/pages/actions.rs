//! "Your actions": the actions a member owns, with a form on each to change its
//! status and add a progress note. The secretariat works on actions in its
//! workspace (`/secretariat/actions`), where this page sends it.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Body, Request, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use crate::Error;
use crate::domain::values::now;
use crate::domain::when;
use crate::domain::{ActionStatus, FieldError};
use crate::service::actions::{self, ActionChanges, ActionFilter};
use crate::service::find_or_404;
use crate::service::page::PageParams;
use crate::service::sign_in::WebSession;
use crate::startup::AppState;
use crate::web::signed_in_form;
use crate::web::view::{self, Tag};
use crate::web::{Chrome, Section, error_page, must_sign_in, render, see_other, visitor};
use entity::{action_item, group, meeting};

/// The longest progress note, in characters (the service's own limit).
const NOTE_MAX: usize = 2000;

/// One status in the form's list.
pub struct StatusOption {
    pub value: &'static str,
    pub label: &'static str,
}

/// One action as shown, with its form.
pub struct ActionCard {
    pub id: Uuid,
    pub reference: String,
    pub description: String,
    pub raised: String,
    pub due: Option<String>,
    pub overdue: bool,
    pub status: Tag,
    pub latest_note: Option<String>,
    /// The status chosen in the form (the current one unless the member changed it).
    pub chosen: String,
    pub note: String,
    pub status_error: Option<String>,
    pub note_error: Option<String>,
}

#[derive(Template)]
#[template(path = "actions.html")]
struct ActionsPage {
    chrome: Chrome,
    outstanding: Vec<ActionCard>,
    closed: Vec<ActionCard>,
    statuses: Vec<StatusOption>,
    confirmation: Option<String>,
    /// Problems to list at the top: the words and the field they link to.
    errors: Vec<(String, String)>,
}

/// What a member posted for one action, kept to show again with its problems.
struct Attempt {
    id: Option<Uuid>,
    chosen: String,
    note: String,
    status_error: Option<String>,
    note_error: Option<String>,
    /// A problem that belongs to no field, e.g. an unknown action.
    general: Option<String>,
}

async fn every_action(
    state: &AppState,
    session: &WebSession,
) -> crate::Result<Vec<action_item::Model>> {
    let caller = &session.caller;
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = actions::list(
            &state.db,
            caller,
            ActionFilter::default(),
            &PageParams {
                limit: Some(200),
                cursor,
            },
        )
        .await?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    all.sort_by(|a, b| {
        (a.due_on.is_none(), a.due_on, &a.reference).cmp(&(
            b.due_on.is_none(),
            b.due_on,
            &b.reference,
        ))
    });
    Ok(all)
}

async fn card(
    state: &AppState,
    session: &WebSession,
    action: action_item::Model,
) -> crate::Result<ActionCard> {
    let meeting = find_or_404::<meeting::Entity>(&state.db, action.meeting_id).await?;
    let group = find_or_404::<group::Entity>(&state.db, action.group_id).await?;
    let history = actions::history(&state.db, &session.caller, action.id).await?;
    let latest_note = history.iter().rev().find_map(|change| {
        change.note.as_ref().map(|note| {
            format!(
                "{} ({})",
                note,
                when::format_date(
                    change
                        .changed_at
                        .with_timezone(&view::zone_of(&meeting))
                        .date_naive()
                )
            )
        })
    });
    let status: ActionStatus = action.status.parse().unwrap_or(ActionStatus::Open);
    let today = now().date_naive();
    Ok(ActionCard {
        id: action.id,
        raised: format!(
            "Raised at {}, meeting {} on {}",
            group.name,
            meeting.number,
            view::meeting_day(&meeting)
        ),
        due: action.due_on.map(when::format_date),
        overdue: status.is_outstanding() && action.due_on.is_some_and(|due| due < today),
        status: view::action_tag(&action.status),
        latest_note,
        chosen: action.status.clone(),
        note: String::new(),
        status_error: None,
        note_error: None,
        reference: action.reference,
        description: action.description,
    })
}

async fn gather(
    state: &AppState,
    session: &WebSession,
    attempt: Option<Attempt>,
    confirmation: Option<String>,
) -> crate::Result<ActionsPage> {
    let mut outstanding = Vec::new();
    let mut closed = Vec::new();
    let mut errors = Vec::new();
    for action in every_action(state, session).await? {
        let is_outstanding = action
            .status
            .parse::<ActionStatus>()
            .map(ActionStatus::is_outstanding)
            .unwrap_or(true);
        let mut card = card(state, session, action).await?;
        if let Some(attempt) = attempt.as_ref().filter(|a| a.id == Some(card.id)) {
            card.chosen = attempt.chosen.clone();
            card.note = attempt.note.clone();
            card.status_error = attempt.status_error.clone();
            card.note_error = attempt.note_error.clone();
            if let Some(message) = &card.status_error {
                errors.push((message.clone(), format!("status-{}", card.id)));
            }
            if let Some(message) = &card.note_error {
                errors.push((message.clone(), format!("note-{}", card.id)));
            }
        }
        if is_outstanding {
            outstanding.push(card);
        } else {
            closed.push(card);
        }
    }
    if let Some(general) = attempt.and_then(|a| a.general) {
        errors.insert(0, (general, "actions".to_owned()));
    }
    Ok(ActionsPage {
        chrome: Chrome::new("Your actions", Some(session), Section::Actions),
        outstanding,
        closed,
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| StatusOption {
                value: s.as_str(),
                label: s.label(),
            })
            .collect(),
        confirmation,
        errors,
    })
}

#[derive(Deserialize)]
pub struct ListQuery {
    updated: Option<String>,
}

#[handler]
pub async fn list(
    req: &Request,
    state: Data<&AppState>,
    Query(query): Query<ListQuery>,
) -> Response {
    let session = match visitor(req, &state).await {
        Ok(Some(session)) => session,
        Ok(None) => return must_sign_in(),
        Err(page) => return page,
    };
    // The secretariat's view of actions is its tracker, with every owner's.
    if session.caller.is_secretariat() {
        return see_other("/secretariat/actions");
    }
    // The reference is only echoed back as text, never trusted.
    let confirmation = query
        .updated
        .filter(|r| r.len() <= 40)
        .map(|reference| format!("Action {reference} has been updated."));
    match gather(&state, &session, None, confirmation).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(err) => error_page(Some(&session), err),
    }
}

fn field_errors(attempt: &mut Attempt, errors: Vec<FieldError>) {
    for error in errors {
        match error.field.as_str() {
            "note" => {
                attempt.note_error = Some(view::sentence(&format!(
                    "Your progress note {}",
                    error.message
                )))
            }
            "status" => attempt.status_error = Some(view::sentence(&error.message)),
            _ => attempt.general = Some(view::sentence(&error.message)),
        }
    }
}

/// Change an action's status and/or add a progress note.
#[handler]
pub async fn update(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<String>,
    body: Body,
) -> Response {
    let (session, form) = match signed_in_form(req, &state, body).await {
        Ok(signed_in) => signed_in,
        Err(page) => return page,
    };
    let caller = &session.caller;
    let mut attempt = Attempt {
        id: Uuid::parse_str(&id).ok(),
        chosen: form.get("status").unwrap_or_default().to_owned(),
        note: form.get("note").unwrap_or_default().to_owned(),
        status_error: None,
        note_error: None,
        general: None,
    };
    let unknown = "That action is not one of yours, or no longer exists. Choose an action from the list below.";
    let current = match attempt.id {
        None => None,
        Some(id) => match actions::get(&state.db, caller, id).await {
            Ok(action) => Some(action),
            Err(Error::NotFound { .. } | Error::Forbidden(_)) => None,
            Err(err) => return error_page(Some(&session), err),
        },
    };
    let status_code = match current {
        None => {
            attempt.general = Some(unknown.to_owned());
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some(action) => {
            let chosen = attempt.chosen.parse::<ActionStatus>().ok();
            let note = attempt.note.trim().to_owned();
            if chosen.is_none() {
                attempt.status_error = Some("Choose a status from the list".into());
            }
            if note.chars().count() > NOTE_MAX {
                attempt.note_error = Some(format!(
                    "Your progress note must be {NOTE_MAX} characters or fewer; it has {}",
                    note.chars().count()
                ));
            }
            let changed = chosen.filter(|s| s.as_str() != action.status);
            if chosen.is_some() && changed.is_none() && note.is_empty() {
                attempt.status_error = Some("Choose a new status or write a progress note".into());
            }
            if changed == Some(ActionStatus::Dropped) && note.is_empty() {
                attempt.note_error =
                    Some("Say in the progress note why the action is dropped".into());
            }
            if attempt.status_error.is_some() || attempt.note_error.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                let changes = ActionChanges {
                    status: changed,
                    note: (!note.is_empty()).then_some(note),
                    ..Default::default()
                };
                match actions::update(&state.db, caller, action.id, None, changes).await {
                    Ok(updated) => {
                        return see_other(&format!(
                            "/actions?updated={}#action-{}",
                            updated.reference, updated.id
                        ));
                    }
                    Err(Error::Invalid(errors)) => {
                        field_errors(&mut attempt, errors);
                        StatusCode::UNPROCESSABLE_ENTITY
                    }
                    Err(Error::Conflict(refusal)) => {
                        attempt.status_error = Some(view::sentence(&refusal));
                        StatusCode::CONFLICT
                    }
                    Err(Error::Stale { .. }) => {
                        attempt.general = Some(
                            "Someone else changed this action at the same moment. Check it below and try again."
                                .into(),
                        );
                        StatusCode::CONFLICT
                    }
                    Err(err) => return error_page(Some(&session), err),
                }
            }
        }
    };
    match gather(&state, &session, Some(attempt), None).await {
        Ok(page) => render(status_code, &page),
        Err(err) => error_page(Some(&session), err),
    }
}
