//! Invitations and the register of a meeting: invite every current member in one
//! step, invite officials, guests and presenters one by one, see who answered what
//! (with the reasons given with apologies, which only the secretariat and the person
//! see), change one person's answer or record apologies on their behalf, and after
//! the meeting record the whole register in one form.
//!
//! Every rule (who may be invited, which answers are allowed when, that the whole
//! register is recorded or none of it) is the attendance service's.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, EndpointExt, Request, Response, Route, get, handler, post};
use uuid::Uuid;

use crate::Error;
use crate::domain::{AttendanceRole, AttendanceStatus};
use crate::service::attendance::{
    self, AttendanceChanges, RegisterEntry, RegisterRefused, RegisterSheet,
};
use crate::service::meetings::RegisterLine;
use crate::service::sign_in::WebSession;
use crate::startup::AppState;
use crate::web::flash;
use crate::web::form::{Choice, Conflict, FieldErrors, FormFields};
use crate::web::pages::workspace::{
    MeetingHeader, MeetingTab, chrome, enum_choices, meeting_header, person_choices, workspace,
    workspace_form,
};
use crate::web::view::{self, Tag};
use crate::web::{Chrome, Section, SecureHeaders, error_page, render};

pub fn routes(route: Route) -> Route {
    route
        .at(
            "/secretariat/meetings/:id/register",
            get(register_page).with(SecureHeaders),
        )
        .at(
            "/secretariat/meetings/:id/register/invite-members",
            post(invite_members).with(SecureHeaders),
        )
        .at(
            "/secretariat/meetings/:id/register/invite",
            post(invite_one).with(SecureHeaders),
        )
        .at(
            "/secretariat/meetings/:id/register/record",
            post(record).with(SecureHeaders),
        )
        .at(
            "/secretariat/attendance/:id/edit",
            get(line_edit).post(line_update).with(SecureHeaders),
        )
}

fn role_choices() -> Vec<Choice> {
    enum_choices(
        AttendanceRole::ALL,
        |r| r.as_str(),
        |r| view::role_label(r.as_str()),
    )
}

/// The choices of the whole-register form, for one person.
fn record_choices() -> [(&'static str, &'static str); 3] {
    [
        (AttendanceStatus::Attended.as_str(), "Attended"),
        (AttendanceStatus::Absent.as_str(), "Absent"),
        (AttendanceStatus::Apologies.as_str(), "Sent apologies"),
    ]
}

/// Every answer the secretariat can record on someone's behalf, in words.
fn status_choices() -> Vec<Choice> {
    use AttendanceStatus::*;
    [
        (Accepted, "Said they will attend"),
        (Apologies, "Sent apologies"),
        (NoResponse, "Did not answer"),
        (Attended, "Attended"),
        (Absent, "Absent without apologies"),
    ]
    .into_iter()
    .map(|(s, label)| Choice::new(s.as_str(), label))
    .collect()
}

/// One person on the register.
struct Row {
    id: Uuid,
    person_id: Uuid,
    name: String,
    organisation: Option<String>,
    role: String,
    answer: Tag,
    reason: Option<String>,
    /// The field the whole-register form uses for this person ("status-…").
    field: String,
    /// The hidden field with the version of their line the form was read at.
    version_field: String,
}

#[derive(Template)]
#[template(path = "workspace/register/register.html")]
struct RegisterPage {
    chrome: Chrome,
    header: MeetingHeader,
    rows: Vec<Row>,
    /// "6 invited: 3 attending, 1 sent apologies, 2 not answered yet."
    counts: String,
    closed: Option<String>,
    not_recordable: Option<String>,
    /// The values of every form on the page (invitation and register).
    form: FormFields,
    errors: FieldErrors,
    people: Vec<Choice>,
    roles: Vec<Choice>,
}

impl RegisterPage {
    fn record_choices(&self) -> [(&'static str, &'static str); 3] {
        record_choices()
    }
}

fn count_line(lines: &[RegisterLine]) -> String {
    use AttendanceStatus::*;
    if lines.is_empty() {
        return "Nobody has been invited yet.".to_owned();
    }
    let count = |wanted: &[AttendanceStatus]| {
        lines
            .iter()
            .filter(|l| {
                l.attendance
                    .status
                    .parse::<AttendanceStatus>()
                    .is_ok_and(|s| wanted.contains(&s))
            })
            .count()
    };
    let people = |n: usize| {
        if n == 1 {
            "1 person".to_owned()
        } else {
            format!("{n} people")
        }
    };
    let mut parts = Vec::new();
    for (n, words) in [
        (count(&[Attended]), "attended"),
        (count(&[Absent]), "absent"),
        (count(&[Accepted]), "attending"),
        (count(&[Apologies]), "sent apologies"),
        (count(&[Invited, NoResponse]), "not answered"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {words}"));
        }
    }
    format!(
        "{} on the register: {}.",
        people(lines.len()),
        parts.join(", ")
    )
}

/// What the whole-register form starts with: what is recorded, and for those who
/// said they would come, "attended", which the secretariat corrects for anyone who
/// did not.
fn register_values(lines: &[RegisterLine]) -> FormFields {
    let mut pairs = Vec::new();
    for line in lines {
        let a = &line.attendance;
        let start = match a.status.parse::<AttendanceStatus>() {
            Ok(AttendanceStatus::Accepted | AttendanceStatus::Attended) => Some("attended"),
            Ok(AttendanceStatus::Absent) => Some("absent"),
            Ok(AttendanceStatus::Apologies) => Some("apologies"),
            _ => None,
        };
        if let Some(start) = start {
            pairs.push((format!("status-{}", a.id), start.to_owned()));
        }
        pairs.push((format!("version-{}", a.id), a.version.to_string()));
    }
    FormFields::from_pairs(pairs)
}

async fn show_register(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    status: StatusCode,
    meeting_id: Uuid,
    form: Option<FormFields>,
    errors: FieldErrors,
) -> Response {
    let gathered = async {
        let header = meeting_header(state, session, meeting_id, MeetingTab::Register).await?;
        let sheet = attendance::sheet(&state.db, &session.caller, meeting_id).await?;
        let people = person_choices(state, session).await?;
        crate::Result::Ok((header, sheet, people))
    }
    .await;
    let (header, sheet, people) = match gathered {
        Ok(g) => g,
        Err(err) => return error_page(Some(session), err),
    };
    let RegisterSheet {
        lines,
        closed,
        not_recordable,
        ..
    } = sheet;
    let form = form.unwrap_or_else(|| register_values(&lines));
    let title = format!(
        "{}Invitations and register: {}",
        if errors.is_empty() { "" } else { "Error: " },
        header.meeting.title
    );
    let rows = lines
        .iter()
        .map(|l| Row {
            id: l.attendance.id,
            person_id: l.person.id,
            name: l.person.name.clone(),
            organisation: l.attendance.organisation_name.clone(),
            role: view::role_label(&l.attendance.role),
            answer: view::attendance_tag(&l.attendance.status),
            reason: l.attendance.reason.clone(),
            field: format!("status-{}", l.attendance.id),
            version_field: format!("version-{}", l.attendance.id),
        })
        .collect();
    render(
        status,
        &RegisterPage {
            chrome: chrome(req, session, &title, Section::Meetings),
            header,
            counts: count_line(&lines),
            rows,
            closed: closed.as_deref().map(view::sentence),
            not_recordable: not_recordable.as_deref().map(view::sentence),
            form,
            errors,
            people,
            roles: role_choices(),
        },
    )
}

#[handler]
async fn register_page(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    show_register(
        req,
        &state,
        &session,
        StatusCode::OK,
        id,
        None,
        FieldErrors::default(),
    )
    .await
}

fn register_href(meeting_id: Uuid) -> String {
    format!("/secretariat/meetings/{meeting_id}/register")
}

/// Takes a service's refusal into the form's problems, on `field` when it names
/// none; answers the status to show the page again with, or the error page for
/// anything that is not about the form.
fn absorb(errors: &mut FieldErrors, err: Error, field: &str) -> Result<StatusCode, Error> {
    let status = match err {
        Error::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    errors.absorb(err, &[], field).map(|()| status)
}

#[handler]
async fn invite_members(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, _form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    match attendance::invite_members(&state.db, &session.caller, id).await {
        Ok(result) => {
            let invited = match result.invited.len() {
                0 => "Nobody new was invited".to_owned(),
                1 => "1 member was invited".to_owned(),
                n => format!("{n} members were invited"),
            };
            let already = match result.already_invited {
                0 => String::new(),
                1 => "; 1 was already on the register".to_owned(),
                n => format!("; {n} were already on the register"),
            };
            flash::redirect(req, &register_href(id), &format!("{invited}{already}."))
        }
        Err(err) => {
            let mut errors = FieldErrors::default();
            let status = match absorb(&mut errors, err, "invite-members") {
                Ok(s) => s,
                Err(other) => return error_page(Some(&session), other),
            };
            show_register(req, &state, &session, status, id, None, errors).await
        }
    }
}

#[handler]
async fn invite_one(
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
    let person_id = form.choice("person_id", &mut errors, "a person");
    if person_id.is_none() && errors.is_empty() {
        errors.add("person_id", "Choose the person to invite");
    }
    let role = match form.text("role").as_str() {
        "" => None,
        text => match text.parse::<AttendanceRole>() {
            Ok(role) => Some(role),
            Err(_) => {
                errors.add("role", "Choose their role from the list");
                None
            }
        },
    };
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if let (true, Some(person_id)) = (errors.is_empty(), person_id) {
        match attendance::invite(&state.db, &session.caller, id, person_id, role).await {
            Ok(line) => {
                return flash::redirect(
                    req,
                    &register_href(id),
                    &format!(
                        "{} was invited as {}.",
                        line.person.name,
                        view::role_label(&line.attendance.role).to_lowercase()
                    ),
                );
            }
            Err(err) => match absorb(&mut errors, err, "invite") {
                Ok(s) => status = s,
                Err(other) => return error_page(Some(&session), other),
            },
        }
    }
    // The register form starts afresh; the invitation form keeps what was chosen.
    let mut values = match attendance::sheet(&state.db, &session.caller, id).await {
        Ok(sheet) => register_values(&sheet.lines),
        Err(err) => return error_page(Some(&session), err),
    };
    values.set("person_id", form.text("person_id"));
    values.set("role", form.text("role"));
    show_register(req, &state, &session, status, id, Some(values), errors).await
}

#[handler]
async fn record(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, mut form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let sheet = match attendance::sheet(&state.db, &session.caller, id).await {
        Ok(s) => s,
        Err(err) => return error_page(Some(&session), err),
    };
    let name_of = |line_id: Uuid| {
        sheet
            .lines
            .iter()
            .find(|l| l.attendance.id == line_id)
            .map(|l| l.person.name.clone())
            .unwrap_or_else(|| "this person".to_owned())
    };
    let mut errors = FieldErrors::default();
    let mut entries = Vec::new();
    for line in form.all("line") {
        let Ok(line_id) = Uuid::parse_str(line.trim()) else {
            continue;
        };
        let field = format!("status-{line_id}");
        let status = match form.text(&field).parse::<AttendanceStatus>() {
            Ok(s) if record_choices().iter().any(|(v, _)| *v == s.as_str()) => s,
            _ => {
                errors.add(
                    &field,
                    format!(
                        "Choose whether {} attended, was absent or sent apologies",
                        name_of(line_id)
                    ),
                );
                continue;
            }
        };
        entries.push(RegisterEntry {
            attendance_id: line_id,
            status,
            version: form
                .get(&format!("version-{line_id}"))
                .and_then(|v| v.trim().parse().ok()),
        });
    }
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if errors.is_empty() {
        match attendance::record_register(&state.db, &session.caller, id, entries.clone()).await {
            Ok(lines) => {
                return flash::redirect(
                    req,
                    &register_href(id),
                    &format!("The register was saved: {}", count_line(&lines)),
                );
            }
            Err(RegisterRefused::Whole(err)) => match absorb(&mut errors, err, "record") {
                Ok(s) => status = s,
                Err(other) => return error_page(Some(&session), other),
            },
            Err(RegisterRefused::Lines(refused)) => {
                status = StatusCode::CONFLICT;
                for line in refused {
                    let field = format!("status-{}", line.attendance_id);
                    let who = line.person.clone().unwrap_or_else(|| "This person".into());
                    let message = match line.error {
                        Error::Invalid(fields) => {
                            status = StatusCode::UNPROCESSABLE_ENTITY;
                            let why = fields.into_iter().map(|f| f.message).next();
                            errors.add(
                                &field,
                                view::sentence(&format!("{who} {}", why.unwrap_or_default())),
                            );
                            continue;
                        }
                        Error::Stale { .. } => {
                            // Saving again is then a choice: the line's version moves on
                            // and the person's choice stays.
                            let now = sheet
                                .lines
                                .iter()
                                .find(|l| l.attendance.id == line.attendance_id);
                            if let Some(now) = now {
                                form.set(
                                    &format!("version-{}", now.attendance.id),
                                    now.attendance.version.to_string(),
                                );
                                format!(
                                    "someone else changed this line after you opened the page; it now says “{}”. Check your choice and save again",
                                    view::attendance_tag(&now.attendance.status).label
                                )
                            } else {
                                "someone else changed this line; check it and save again".into()
                            }
                        }
                        Error::Conflict(message) => message,
                        other => return error_page(Some(&session), other),
                    };
                    errors.add(&field, view::sentence(&format!("{who}: {message}")));
                }
            }
        }
    }
    show_register(req, &state, &session, status, id, Some(form), errors).await
}

// ---------------------------------------------------------------------------
// One person's line

#[derive(Template)]
#[template(path = "workspace/register/line_form.html")]
struct LineForm {
    chrome: Chrome,
    header: MeetingHeader,
    line: RegisterLine,
    answer: Tag,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
    statuses: Vec<Choice>,
    roles: Vec<Choice>,
}

/// The form's values for a stored line.
fn line_values(line: &RegisterLine) -> FormFields {
    let a = &line.attendance;
    let mut form = FormFields::from_pairs([
        ("reason", a.reason.clone().unwrap_or_default()),
        ("role", a.role.clone()),
        ("version", a.version.to_string()),
    ]);
    // "Not answered yet" is where every line starts, not an answer to record.
    if a.status != AttendanceStatus::Invited.as_str() {
        form.set("status", a.status.clone());
    }
    form
}

#[allow(clippy::too_many_arguments)]
async fn show_line_form(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    status: StatusCode,
    line: RegisterLine,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
) -> Response {
    let header = match meeting_header(
        state,
        session,
        line.attendance.meeting_id,
        MeetingTab::Register,
    )
    .await
    {
        Ok(h) => h,
        Err(err) => return error_page(Some(session), err),
    };
    let statuses = status_choices();
    let roles = role_choices();
    let conflict = conflict.map(|c| {
        c.label_choices("status", &statuses)
            .label_choices("role", &roles)
    });
    let title = format!(
        "{}{}’s answer: {}",
        if errors.is_empty() && conflict.is_none() {
            ""
        } else {
            "Error: "
        },
        line.person.name,
        header.meeting.title
    );
    render(
        status,
        &LineForm {
            chrome: chrome(req, session, &title, Section::Meetings),
            header,
            answer: view::attendance_tag(&line.attendance.status),
            line,
            form,
            errors,
            conflict,
            statuses,
            roles,
        },
    )
}

#[handler]
async fn line_edit(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let line = match attendance::get(&state.db, &session.caller, id).await {
        Ok(l) => l,
        Err(err) => return error_page(Some(&session), err),
    };
    let form = line_values(&line);
    show_line_form(
        req,
        &state,
        &session,
        StatusCode::OK,
        line,
        form,
        FieldErrors::default(),
        None,
    )
    .await
}

#[handler]
async fn line_update(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, mut form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let line = match attendance::get(&state.db, &session.caller, id).await {
        Ok(l) => l,
        Err(err) => return error_page(Some(&session), err),
    };
    let mut errors = FieldErrors::default();
    let status = match form.text("status").parse::<AttendanceStatus>() {
        Ok(s) if s != AttendanceStatus::Invited => Some(s),
        _ => {
            errors.add("status", "Choose their answer or whether they attended");
            None
        }
    };
    let role = match form.text("role").parse::<AttendanceRole>() {
        Ok(r) => Some(r),
        Err(_) => {
            errors.add("role", "Choose their role at the meeting");
            None
        }
    };
    let mut code = StatusCode::UNPROCESSABLE_ENTITY;
    if errors.is_empty() {
        let changes = AttendanceChanges {
            // An unchanged answer is not sent again, so that changing only the reason
            // or the role is not refused as "already accepted".
            status: status.filter(|s| s.as_str() != line.attendance.status),
            reason: Some(form.optional("reason")),
            role: role.filter(|r| r.as_str() != line.attendance.role),
        };
        match attendance::update(&state.db, &session.caller, id, form.version(), changes).await {
            Ok(saved) => {
                return flash::redirect(
                    req,
                    &register_href(saved.attendance.meeting_id),
                    &format!(
                        "{} is recorded as “{}”.",
                        saved.person.name,
                        view::attendance_tag(&saved.attendance.status).label
                    ),
                );
            }
            Err(Error::Stale { .. }) => {
                let stored = line_values(&line);
                let conflict = Conflict::between(
                    &form,
                    line.attendance.version,
                    &[
                        ("Answer or attendance", "status", stored.text("status")),
                        ("Reason for apologies", "reason", stored.text("reason")),
                        ("Role at the meeting", "role", stored.text("role")),
                    ],
                );
                form.set("version", line.attendance.version.to_string());
                return show_line_form(
                    req,
                    &state,
                    &session,
                    StatusCode::CONFLICT,
                    line,
                    form,
                    errors,
                    Some(conflict),
                )
                .await;
            }
            Err(err) => match absorb(&mut errors, err, "status") {
                Ok(s) => code = s,
                Err(other) => return error_page(Some(&session), other),
            },
        }
    }
    show_line_form(req, &state, &session, code, line, form, errors, None).await
}
