//! The secretariat's meetings: the list across groups, scheduling in the meeting's
//! own time zone, the meeting's overview, and its life — reschedule, cancel,
//! postpone, mark held.
//!
//! People give a day and local clock times; [`values::local_moment`] turns them
//! into the moments they mean in the meeting's zone (BST in summer, GMT in winter),
//! so nobody types UTC. Every refusal of the services lands on the form: values
//! that are not acceptable with 422, a step the meeting's lifecycle does not allow
//! with 409.

use std::collections::HashMap;

use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Body, Request, Response, Route, get, handler};
use serde::Deserialize;
use uuid::Uuid;

use crate::Error;
use crate::domain::values;
use crate::domain::{GroupStatus, MeetingMode, MeetingStatus, NoteStatus, lifecycle};
use crate::service::groups;
use crate::service::meetings::{
    self, DEFAULT_TIME_ZONE, MeetingChanges, MeetingOverview, NewMeeting, PostponeTo,
};
use crate::service::sign_in::WebSession;
use crate::startup::AppState;
use crate::web::form::{Choice, Conflict, FieldErrors, FormFields, FormState};
use crate::web::view::{self, Tag};
use crate::web::{Chrome, Section, error_page, flash, render};

use super::{MeetingHeader, MeetingTab, group_choices, meeting_header, workspace, workspace_form};

/// The meeting pages' addresses.
pub fn routes(route: Route) -> Route {
    route
        .at("/secretariat/meetings", get(list))
        .at(
            "/secretariat/groups/:id/meetings/new",
            get(new_form).post(schedule),
        )
        .at("/secretariat/meetings/:id", get(show))
        .at("/secretariat/meetings/:id/edit", get(edit_form).post(edit))
        .at(
            "/secretariat/meetings/:id/cancel",
            get(cancel_form).post(cancel),
        )
        .at(
            "/secretariat/meetings/:id/postpone",
            get(postpone_form).post(postpone),
        )
        .at(
            "/secretariat/meetings/:id/mark-held",
            get(held_form).post(mark_held),
        )
}

fn chrome(title: impl Into<String>, session: &WebSession, req: &Request) -> Chrome {
    super::chrome(req, session, &title.into(), Section::Meetings)
}

/// A form shown again after the service refused it: its problems on the form's
/// fields (a lifecycle refusal above its button), or the refusal given back when
/// it is not about the form (it becomes the error page).
fn refused(form: FormFields, mut errors: FieldErrors, err: Error) -> Result<FormState, Error> {
    errors.absorb(err, &RENAMES, "save")?;
    Ok(FormState::invalid(form, errors))
}

/// A meeting's status, as a tag; scheduled meetings too, for lists.
pub fn status_tag(status: &str) -> Tag {
    let (label, class) = match status.parse::<MeetingStatus>() {
        Ok(MeetingStatus::Scheduled) => ("Scheduled", ""),
        Ok(MeetingStatus::Held) => ("Held", "tag-green"),
        Ok(MeetingStatus::Cancelled) => ("Cancelled", "tag-red"),
        Ok(MeetingStatus::Postponed) => ("Postponed", "tag-red"),
        Err(_) => (status, "tag-grey"),
    };
    Tag {
        label: label.to_owned(),
        class,
    }
}

fn mode_label(mode: &str) -> String {
    mode.parse::<MeetingMode>()
        .map(|m| m.label().to_owned())
        .unwrap_or_else(|_| mode.to_owned())
}

/// One meeting in a list.
pub struct MeetingRow {
    pub id: Uuid,
    pub when: String,
    /// "FRD meeting 5".
    pub label: String,
    pub title: String,
    pub mode: String,
    /// Whether its place or link is still to be confirmed.
    pub to_confirm: bool,
    pub status: Tag,
}

/// Meetings as list rows; `short_names` names each meeting's group.
pub fn meeting_rows(
    meetings: &[entity::meeting::Model],
    short_names: &HashMap<Uuid, String>,
) -> Vec<MeetingRow> {
    meetings
        .iter()
        .map(|m| MeetingRow {
            id: m.id,
            when: view::meeting_when(m),
            label: format!(
                "{} meeting {}",
                short_names.get(&m.group_id).map_or("", String::as_str),
                m.number
            )
            .trim()
            .to_owned(),
            title: m.title.clone(),
            mode: mode_label(&m.mode),
            to_confirm: m.status == MeetingStatus::Scheduled.as_str()
                && meetings::place_to_confirm(m).any(),
            status: status_tag(&m.status),
        })
        .collect()
}

// ---------------------------------------------------------------- the list

/// How many past meetings the list shows before "Show all past meetings".
const PAST_SHOWN: u64 = 30;

#[derive(Deserialize)]
struct ListQuery {
    group: Option<String>,
    past: Option<String>,
}

#[derive(Template)]
#[template(path = "workspace/meetings/list.html")]
struct ListPage {
    chrome: Chrome,
    filter: FormFields,
    no_errors: FieldErrors,
    groups: Vec<Choice>,
    chosen: Option<(Uuid, String)>,
    upcoming: Vec<MeetingRow>,
    past: Vec<MeetingRow>,
    more_past: bool,
    all_past_href: String,
}

#[handler]
async fn list(req: &Request, state: Data<&AppState>, query: Query<ListQuery>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let group_id = query
        .0
        .group
        .as_deref()
        .and_then(|g| Uuid::parse_str(g.trim()).ok());
    let all_past = query.0.past.as_deref() == Some("all");
    let (state, session) = (*state, &session);
    let gathered = async {
        let all_groups = super::every(|page| async move {
            groups::list(&state.db, &session.caller, Default::default(), &page).await
        })
        .await?;
        let timeline = meetings::timeline(
            &state.db,
            &session.caller,
            group_id,
            (!all_past).then_some(PAST_SHOWN),
        )
        .await?;
        let choices = group_choices(state, session).await?;
        crate::Result::Ok((all_groups, timeline, choices))
    }
    .await;
    let (all_groups, timeline, choices) = match gathered {
        Ok(gathered) => gathered,
        Err(err) => return error_page(Some(session), err),
    };
    let short_names: HashMap<Uuid, String> = all_groups
        .iter()
        .map(|g| (g.id, g.short_name.clone()))
        .collect();
    let chosen = group_id.and_then(|id| {
        all_groups
            .iter()
            .find(|g| g.id == id && takes_meetings(g))
            .map(|g| (g.id, g.short_name.clone()))
    });
    let mut filter = FormFields::default();
    if let Some(id) = group_id {
        filter.set("group", id.to_string());
    }
    let all_past_href = match group_id {
        Some(id) => format!("/secretariat/meetings?group={id}&past=all"),
        None => "/secretariat/meetings?past=all".to_owned(),
    };
    render(
        StatusCode::OK,
        &ListPage {
            chrome: chrome("Meetings", session, req),
            filter,
            no_errors: FieldErrors::default(),
            groups: choices,
            chosen,
            upcoming: meeting_rows(&timeline.upcoming, &short_names),
            past: meeting_rows(&timeline.past, &short_names),
            more_past: timeline.more_past,
            all_past_href,
        },
    )
}

// ---------------------------------------------------------------- the form's fields

/// The zones offered; a meeting's own zone is added when it is not one of them.
const ZONES: [(&str, &str); 4] = [
    ("Europe/London", "UK time (Europe/London)"),
    ("Europe/Dublin", "Irish time (Europe/Dublin)"),
    ("Europe/Brussels", "Central European time (Europe/Brussels)"),
    ("UTC", "UTC"),
];

fn zone_choices(current: &str) -> Vec<Choice> {
    let mut zones: Vec<Choice> = ZONES
        .iter()
        .map(|(value, label)| Choice::new(*value, *label))
        .collect();
    if !current.is_empty() && !ZONES.iter().any(|(z, _)| *z == current) {
        zones.push(Choice::new(current, current));
    }
    zones
}

fn mode_choices() -> Vec<Choice> {
    MeetingMode::ALL
        .iter()
        .map(|m| Choice::new(m.as_str(), m.label()))
        .collect()
}

/// The service's field names, renamed to the form's.
const RENAMES: [(&str, &str); 2] = [("starts_at", "start_time"), ("ends_at", "end_time")];

/// A day and start and end times in `zone`, as the moments they mean. Each field
/// that is missing or does not exist on that day is a problem on its own field.
fn read_span(
    form: &FormFields,
    errors: &mut FieldErrors,
    zone: Option<Tz>,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let day = form.date("date", errors, "The date");
    if day.is_none() && errors.get("date").is_none() {
        errors.add("date", "Enter the date of the meeting");
    }
    let start = form.time("start_time", errors, "The start time");
    if start.is_none() && errors.get("start_time").is_none() {
        errors.add("start_time", "Enter the time the meeting starts");
    }
    let end = form.time("end_time", errors, "The end time");
    if end.is_none() && errors.get("end_time").is_none() {
        errors.add("end_time", "Enter the time the meeting ends");
    }
    let (day, start, end, zone) = (day?, start?, end?, zone?);
    let mut moment = |name: &str, time| match values::local_moment(day, time, zone) {
        Ok(at) => Some(at),
        Err(message) => {
            errors.add(name, view::sentence(&message));
            None
        }
    };
    let starts_at = moment("start_time", start);
    let ends_at = moment("end_time", end);
    Some((starts_at?, ends_at?))
}

fn read_zone(form: &FormFields, errors: &mut FieldErrors) -> Option<Tz> {
    let text = form.optional("time_zone");
    match values::time_zone(text.as_deref().unwrap_or(DEFAULT_TIME_ZONE)) {
        Ok(zone) => Some(zone),
        Err(message) => {
            errors.add("time_zone", view::sentence(&message));
            None
        }
    }
}

fn read_mode(form: &FormFields, errors: &mut FieldErrors) -> Option<MeetingMode> {
    match form.text("mode").parse::<MeetingMode>() {
        Ok(mode) => Some(mode),
        Err(_) => {
            errors.add("mode", "Choose how people will meet");
            None
        }
    }
}

/// A meeting form whose times could not be read: the service's checks of its
/// other fields are added, so that the person sees every problem at once.
fn with_details_checked(form: FormFields, mut errors: FieldErrors) -> FormState {
    if let Err(err) = meetings::check_details(
        &form.text("title"),
        form.optional("location").as_deref(),
        form.optional("joining_link").as_deref(),
    ) {
        // Only field problems come from these checks.
        let _ = errors.absorb(err, &RENAMES, "save");
    }
    // The summary lists the problems in the order of the fields on the page.
    let mut ordered = FieldErrors::default();
    for field in FIELD_ORDER {
        if let Some(message) = errors.get(field) {
            ordered.add(field, message);
        }
    }
    FormState::invalid(form, ordered)
}

/// The meeting form's fields, top to bottom.
const FIELD_ORDER: [&str; 8] = [
    "title",
    "date",
    "start_time",
    "end_time",
    "time_zone",
    "mode",
    "location",
    "joining_link",
];

/// A meeting's values as its form shows them: the day and clock times in its zone.
fn meeting_values(meeting: &entity::meeting::Model) -> FormFields {
    let zone = view::zone_of(meeting);
    let start = meeting.starts_at.with_timezone(&zone);
    let end = meeting.ends_at.with_timezone(&zone);
    FormFields::from_pairs([
        ("title", meeting.title.clone()),
        ("date", start.format("%Y-%m-%d").to_string()),
        ("start_time", start.format("%H:%M").to_string()),
        ("end_time", end.format("%H:%M").to_string()),
        ("time_zone", meeting.time_zone.clone()),
        ("mode", meeting.mode.clone()),
        ("location", meeting.location.clone().unwrap_or_default()),
        (
            "joining_link",
            meeting.joining_link.clone().unwrap_or_default(),
        ),
        ("version", meeting.version.to_string()),
    ])
}

/// The stored meeting beside the person's values, for the conflict panel.
fn meeting_conflict(form: &FormFields, meeting: &entity::meeting::Model) -> Conflict {
    let stored = meeting_values(meeting);
    let labels = [
        ("Title or purpose", "title"),
        ("Date", "date"),
        ("Starts at", "start_time"),
        ("Ends at", "end_time"),
        ("Time zone", "time_zone"),
        ("How people meet", "mode"),
        ("Where", "location"),
        ("Joining link", "joining_link"),
    ];
    let rows: Vec<(&str, &str, String)> = labels
        .iter()
        .map(|(label, name)| (*label, *name, stored.text(name)))
        .collect();
    Conflict::between(form, meeting.version, &rows)
}

// ---------------------------------------------------------------- schedule

#[derive(Template)]
#[template(path = "workspace/meetings/new.html")]
struct NewPage {
    chrome: Chrome,
    group_id: Uuid,
    group_name: String,
    form: FormFields,
    errors: FieldErrors,
    zones: Vec<Choice>,
    modes: Vec<Choice>,
}

async fn new_page(
    state: &AppState,
    session: &WebSession,
    req: &Request,
    group_id: Uuid,
    shown: FormState,
) -> Response {
    let group = match groups::get(&state.db, &session.caller, group_id).await {
        Ok(group) => group,
        Err(err) => return error_page(Some(session), err),
    };
    render(
        shown.status(),
        &NewPage {
            chrome: chrome(
                shown.title(&format!("Schedule a meeting of {}", group.name)),
                session,
                req,
            ),
            group_id,
            group_name: group.name,
            zones: zone_choices(shown.form.value("time_zone")),
            modes: mode_choices(),
            form: shown.form,
            errors: shown.errors,
        },
    )
}

#[handler]
async fn new_form(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let form = FormFields::from_pairs([("time_zone", DEFAULT_TIME_ZONE)]);
    new_page(&state, &session, req, id, FormState::new(form)).await
}

#[handler]
async fn schedule(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(pair) => pair,
        Err(response) => return response,
    };
    let mut errors = FieldErrors::default();
    let zone = read_zone(&form, &mut errors);
    let span = read_span(&form, &mut errors, zone);
    let mode = read_mode(&form, &mut errors);
    let new = match (span, zone, mode) {
        (Some((starts_at, ends_at)), Some(zone), Some(mode)) if errors.is_empty() => NewMeeting {
            title: form.text("title"),
            starts_at,
            ends_at,
            time_zone: Some(zone.name().to_owned()),
            mode,
            location: form.optional("location"),
            joining_link: form.optional("joining_link"),
        },
        _ => {
            let shown = with_details_checked(form, errors);
            return new_page(&state, &session, req, id, shown).await;
        }
    };
    let shown = match meetings::schedule(&state.db, &session.caller, id, new).await {
        Ok(meeting) => {
            return flash::redirect(
                req,
                &format!("/secretariat/meetings/{}", meeting.id),
                &format!(
                    "Meeting {} was scheduled for {}.",
                    meeting.number,
                    view::meeting_when(&meeting)
                ),
            );
        }
        Err(err) => match refused(form, errors, err) {
            Ok(shown) => shown,
            Err(other) => return error_page(Some(&session), other),
        },
    };
    new_page(&state, &session, req, id, shown).await
}

// ---------------------------------------------------------------- overview

struct Count {
    href: String,
    label: &'static str,
    text: String,
}

/// A step the meeting may take next, as a link to its form.
struct Step {
    href: String,
    label: &'static str,
    warning: bool,
}

#[derive(Template)]
#[template(path = "workspace/meetings/show.html")]
struct ShowPage {
    chrome: Chrome,
    header: MeetingHeader,
    mode: String,
    location: Option<String>,
    joining_link: Option<String>,
    location_to_confirm: bool,
    link_to_confirm: bool,
    zone: String,
    status: Tag,
    status_reason: Option<String>,
    postponed_to: Option<(Uuid, String)>,
    postponed_from: Vec<(Uuid, String)>,
    counts: Vec<Count>,
    steps: Vec<Step>,
    held_waits: Option<String>,
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn note_stage(note: Option<NoteStatus>) -> String {
    match note {
        None => "Not started".into(),
        Some(NoteStatus::Draft) => "Draft".into(),
        Some(NoteStatus::Circulated) => "Circulated for comment".into(),
        Some(NoteStatus::Approved) => "Approved, not yet published".into(),
        Some(NoteStatus::Published) => "Published".into(),
    }
}

fn gather_show(overview: MeetingOverview, header: MeetingHeader, chrome: Chrome) -> ShowPage {
    let MeetingOverview {
        meeting,
        group: _,
        agenda_items,
        register,
        actions,
        note,
        postponed_to,
        postponed_from,
        to_confirm,
        next,
    } = overview;
    let id = meeting.id;
    let base = format!("/secretariat/meetings/{id}");
    let answered = format!(
        "{} invited: {} attending, {}, {} not answered yet",
        register.total(),
        register.accepted,
        plural(register.apologies, "apology", "apologies"),
        register.invited + register.no_response,
    );
    let register_text = if register.total() == 0 {
        "Nobody invited yet".to_owned()
    } else if register.attended + register.absent > 0 {
        format!(
            "{} attended, {} absent, {}",
            register.attended,
            register.absent,
            plural(register.apologies, "apology", "apologies")
        )
    } else {
        answered
    };
    let counts = vec![
        Count {
            href: format!("{base}/agenda"),
            label: "Agenda",
            text: if agenda_items == 0 {
                "No items yet".into()
            } else {
                plural(agenda_items, "item", "items")
            },
        },
        Count {
            href: format!("{base}/register"),
            label: "Invitations and register",
            text: register_text,
        },
        Count {
            href: format!("{base}/actions"),
            label: "Actions",
            text: if actions == 0 {
                "None raised".into()
            } else {
                format!("{} raised", plural(actions, "action", "actions"))
            },
        },
        Count {
            href: format!("{base}/note"),
            label: "Summary note",
            text: note_stage(note),
        },
    ];
    let mut steps = Vec::new();
    if next.edit {
        steps.push(Step {
            href: format!("{base}/edit"),
            label: if next.reschedule {
                "Change or reschedule"
            } else {
                "Correct the title"
            },
            warning: false,
        });
    }
    if next.mark_held {
        steps.push(Step {
            href: format!("{base}/mark-held"),
            label: "Mark as held",
            warning: false,
        });
    }
    if next.cancel {
        steps.push(Step {
            href: format!("{base}/postpone"),
            label: "Postpone",
            warning: false,
        });
        steps.push(Step {
            href: format!("{base}/cancel"),
            label: "Cancel the meeting",
            warning: true,
        });
    }
    let label = |m: &entity::meeting::Model| {
        (
            m.id,
            format!("Meeting {}: {}", m.number, view::meeting_when(m)),
        )
    };
    ShowPage {
        chrome,
        header,
        mode: mode_label(&meeting.mode),
        location_to_confirm: to_confirm.location,
        link_to_confirm: to_confirm.joining_link,
        zone: meeting.time_zone.clone(),
        status: status_tag(&meeting.status),
        status_reason: meeting.status_reason.clone(),
        postponed_to: postponed_to.as_ref().map(label),
        postponed_from: postponed_from.iter().map(label).collect(),
        counts,
        steps,
        held_waits: next.held_waits.map(|w| view::sentence(&w)),
        location: meeting.location,
        joining_link: meeting.joining_link,
    }
}

#[handler]
async fn show(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let gathered = async {
        let overview = meetings::overview(&state.db, &session.caller, id).await?;
        let header = meeting_header(&state, &session, id, MeetingTab::Overview).await?;
        crate::Result::Ok((overview, header))
    }
    .await;
    match gathered {
        Ok((overview, header)) => {
            let chrome = chrome(overview.meeting.title.clone(), &session, req);
            render(StatusCode::OK, &gather_show(overview, header, chrome))
        }
        Err(err) => error_page(Some(&session), err),
    }
}

// ---------------------------------------------------------------- edit

#[derive(Template)]
#[template(path = "workspace/meetings/edit.html")]
struct EditPage {
    chrome: Chrome,
    header: MeetingHeader,
    id: Uuid,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
    zones: Vec<Choice>,
    modes: Vec<Choice>,
}

/// The header of a meeting's form page, under the overview tab.
async fn header_for(
    state: &AppState,
    session: &WebSession,
    id: Uuid,
) -> crate::Result<MeetingHeader> {
    meeting_header(state, session, id, MeetingTab::Overview).await
}

async fn edit_page(
    state: &AppState,
    session: &WebSession,
    req: &Request,
    id: Uuid,
    shown: Option<FormState>,
) -> Response {
    let header = match header_for(state, session, id).await {
        Ok(header) => header,
        Err(err) => return error_page(Some(session), err),
    };
    let shown = shown.unwrap_or_else(|| FormState::new(meeting_values(&header.meeting)));
    render(
        shown.status(),
        &EditPage {
            chrome: chrome(
                shown.title(&format!("Change {}", header.meeting.title)),
                session,
                req,
            ),
            id,
            zones: zone_choices(shown.form.value("time_zone")),
            modes: mode_choices(),
            header,
            form: shown.form,
            errors: shown.errors,
            conflict: shown.conflict,
        },
    )
}

#[handler]
async fn edit_form(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    edit_page(&state, &session, req, id, None).await
}

#[handler]
async fn edit(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>, body: Body) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(pair) => pair,
        Err(response) => return response,
    };
    let mut errors = FieldErrors::default();
    let zone = read_zone(&form, &mut errors);
    let span = read_span(&form, &mut errors, zone);
    let mode = read_mode(&form, &mut errors);
    let changes = match (span, zone, mode) {
        (Some((starts_at, ends_at)), Some(zone), Some(mode)) if errors.is_empty() => {
            MeetingChanges {
                title: Some(form.text("title")),
                starts_at: Some(starts_at),
                ends_at: Some(ends_at),
                time_zone: Some(zone.name().to_owned()),
                mode: Some(mode),
                location: Some(form.optional("location")),
                joining_link: Some(form.optional("joining_link")),
            }
        }
        _ => {
            let shown = with_details_checked(form, errors);
            return edit_page(&state, &session, req, id, Some(shown)).await;
        }
    };
    let shown =
        match meetings::update(&state.db, &session.caller, id, form.version(), changes).await {
            Ok(meeting) => {
                return flash::redirect(
                    req,
                    &format!("/secretariat/meetings/{id}"),
                    &format!("The changes to meeting {} were saved.", meeting.number),
                );
            }
            Err(Error::Stale { .. }) => {
                let current = match meetings::get(&state.db, &session.caller, id).await {
                    Ok(current) => current,
                    Err(err) => return error_page(Some(&session), err),
                };
                let conflict = meeting_conflict(&form, &current);
                FormState::stale(form, conflict)
            }
            Err(err) => match refused(form, errors, err) {
                Ok(shown) => shown,
                Err(other) => return error_page(Some(&session), other),
            },
        };
    edit_page(&state, &session, req, id, Some(shown)).await
}

// ---------------------------------------------------------------- cancel and mark held

#[derive(Template)]
#[template(path = "workspace/meetings/cancel.html")]
struct CancelPage {
    chrome: Chrome,
    header: MeetingHeader,
    id: Uuid,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
}

#[derive(Template)]
#[template(path = "workspace/meetings/held.html")]
struct HeldPage {
    chrome: Chrome,
    header: MeetingHeader,
    id: Uuid,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
}

/// The small forms of a meeting's life that carry only its version (and a reason).
#[derive(Clone, Copy, PartialEq, Eq)]
enum SmallForm {
    Cancel,
    Held,
}

async fn step_page(
    state: &AppState,
    session: &WebSession,
    req: &Request,
    id: Uuid,
    which: SmallForm,
    shown: Option<FormState>,
) -> Response {
    let header = match header_for(state, session, id).await {
        Ok(header) => header,
        Err(err) => return error_page(Some(session), err),
    };
    let shown = shown.unwrap_or_else(|| {
        FormState::new(FormFields::from_pairs([(
            "version",
            header.meeting.version.to_string(),
        )]))
    });
    let status = shown.status();
    match which {
        SmallForm::Cancel => render(
            status,
            &CancelPage {
                chrome: chrome(
                    shown.title(&format!("Cancel {}", header.meeting.title)),
                    session,
                    req,
                ),
                header,
                id,
                form: shown.form,
                errors: shown.errors,
                conflict: shown.conflict,
            },
        ),
        SmallForm::Held => render(
            status,
            &HeldPage {
                chrome: chrome(
                    shown.title(&format!("Mark {} as held", header.meeting.title)),
                    session,
                    req,
                ),
                header,
                id,
                form: shown.form,
                errors: shown.errors,
                conflict: shown.conflict,
            },
        ),
    }
}

#[handler]
async fn cancel_form(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    step_page(&state, &session, req, id, SmallForm::Cancel, None).await
}

#[handler]
async fn held_form(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    step_page(&state, &session, req, id, SmallForm::Held, None).await
}

/// A step refused by the service: its problems, or, when the meeting changed since
/// the form was read, the conflict panel (the form then carries the new version, so
/// that trying again is a choice made knowing the meeting as it is now).
fn step_refused(form: FormFields, errors: FieldErrors, err: Error) -> Result<FormState, Error> {
    match err {
        Error::Stale { current, .. } => {
            let conflict = Conflict::between(&form, current, &[]);
            Ok(FormState::stale(form, conflict))
        }
        err => refused(form, errors, err),
    }
}

#[handler]
async fn cancel(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(pair) => pair,
        Err(response) => return response,
    };
    let cancelled = meetings::cancel(
        &state.db,
        &session.caller,
        id,
        form.version(),
        form.optional("reason"),
    )
    .await;
    let shown = match cancelled {
        Ok(meeting) => {
            return flash::redirect(
                req,
                &format!("/secretariat/meetings/{id}"),
                &format!("Meeting {} was cancelled.", meeting.number),
            );
        }
        Err(err) => match step_refused(form, FieldErrors::default(), err) {
            Ok(shown) => shown,
            Err(other) => return error_page(Some(&session), other),
        },
    };
    step_page(&state, &session, req, id, SmallForm::Cancel, Some(shown)).await
}

#[handler]
async fn mark_held(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(pair) => pair,
        Err(response) => return response,
    };
    let shown = match meetings::mark_held(&state.db, &session.caller, id, form.version()).await {
        Ok(meeting) => {
            return flash::redirect(
                req,
                &format!("/secretariat/meetings/{id}/register"),
                &format!(
                    "Meeting {} is marked as held. Record who attended.",
                    meeting.number
                ),
            );
        }
        Err(err) => match step_refused(form, FieldErrors::default(), err) {
            Ok(shown) => shown,
            Err(other) => return error_page(Some(&session), other),
        },
    };
    step_page(&state, &session, req, id, SmallForm::Held, Some(shown)).await
}

// ---------------------------------------------------------------- postpone

#[derive(Template)]
#[template(path = "workspace/meetings/postpone.html")]
struct PostponePage {
    chrome: Chrome,
    header: MeetingHeader,
    id: Uuid,
    zone: String,
    destinations: Vec<Choice>,
    targets: Vec<Choice>,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
}

async fn postpone_page(
    state: &AppState,
    session: &WebSession,
    req: &Request,
    id: Uuid,
    shown: Option<FormState>,
) -> Response {
    let gathered = async {
        let header = header_for(state, session, id).await?;
        let targets = meetings::postpone_targets(&state.db, &session.caller, id).await?;
        crate::Result::Ok((header, targets))
    }
    .await;
    let (header, targets) = match gathered {
        Ok(gathered) => gathered,
        Err(err) => return error_page(Some(session), err),
    };
    let targets: Vec<Choice> = targets
        .iter()
        .map(|m| {
            Choice::new(
                m.id.to_string(),
                format!("Meeting {}: {}", m.number, view::meeting_when(m)),
            )
        })
        .collect();
    let mut destinations = vec![Choice::new("new", "A new date and time")];
    if !targets.is_empty() {
        destinations.insert(
            0,
            Choice::new("meeting", "A later meeting that is already scheduled"),
        );
    }
    let shown = shown.unwrap_or_else(|| {
        FormState::new(FormFields::from_pairs([
            ("version", header.meeting.version.to_string()),
            (
                "to",
                if targets.is_empty() { "new" } else { "meeting" }.to_owned(),
            ),
        ]))
    });
    render(
        shown.status(),
        &PostponePage {
            chrome: chrome(
                shown.title(&format!("Postpone {}", header.meeting.title)),
                session,
                req,
            ),
            zone: header.meeting.time_zone.clone(),
            header,
            id,
            destinations,
            targets,
            form: shown.form,
            errors: shown.errors,
            conflict: shown.conflict,
        },
    )
}

#[handler]
async fn postpone_form(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    postpone_page(&state, &session, req, id, None).await
}

#[handler]
async fn postpone(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(pair) => pair,
        Err(response) => return response,
    };
    let current = match meetings::get(&state.db, &session.caller, id).await {
        Ok(current) => current,
        Err(err) => return error_page(Some(&session), err),
    };
    let mut errors = FieldErrors::default();
    let to = match form.text("to").as_str() {
        "meeting" => {
            let target = form.choice("to_meeting_id", &mut errors, "a meeting");
            if target.is_none() && errors.get("to_meeting_id").is_none() {
                errors.add("to_meeting_id", "Choose the meeting it is postponed to");
            }
            target.map(PostponeTo::Meeting)
        }
        "new" => read_span(&form, &mut errors, Some(view::zone_of(&current)))
            .map(|(starts_at, ends_at)| PostponeTo::NewTimes { starts_at, ends_at }),
        _ => {
            errors.add(
                "to",
                "Choose whether it moves to a later meeting or to a new date",
            );
            None
        }
    };
    let to = match to {
        Some(to) if errors.is_empty() => to,
        _ => {
            let shown = FormState::invalid(form, errors);
            return postpone_page(&state, &session, req, id, Some(shown)).await;
        }
    };
    let postponed = meetings::postpone(
        &state.db,
        &session.caller,
        id,
        form.version(),
        to,
        form.optional("reason"),
    )
    .await;
    let shown = match postponed {
        Ok((postponed, replacement)) => {
            return flash::redirect(
                req,
                &format!("/secretariat/meetings/{}", replacement.id),
                &format!(
                    "Meeting {} was postponed to this meeting, {}.",
                    postponed.number,
                    view::meeting_when(&replacement)
                ),
            );
        }
        Err(err) => match step_refused(form, errors, err) {
            Ok(shown) => shown,
            Err(other) => return error_page(Some(&session), other),
        },
    };
    postpone_page(&state, &session, req, id, Some(shown)).await
}

/// Whether a group may have a meeting scheduled now, for the list's button.
pub fn takes_meetings(group: &entity::group::Model) -> bool {
    group
        .status
        .parse::<GroupStatus>()
        .is_ok_and(|s| lifecycle::can_schedule_meetings(s).is_ok())
}
