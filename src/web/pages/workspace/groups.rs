//! The secretariat's groups: RR3 and its special interest groups, their details,
//! status, members and meetings.
//!
//! Every form follows the one pattern of [`crate::web::form`]: read the posted
//! fields, call the same service function as the API with the session's caller,
//! and on a refusal show the form again with the error summary and the values kept.

use askama::Template;
use chrono::NaiveDate;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Body, Request, Response, Route, get, handler};
use serde::Deserialize;
use uuid::Uuid;

use crate::Error;
use crate::domain::{GroupKind, GroupStatus, MembershipRole, lifecycle, when};
use crate::service::access::today;
use crate::service::groups::{self, GroupChanges, GroupFilter, NewGroup};
use crate::service::meetings;
use crate::service::memberships::{self, MembershipChanges, NewMembership, RosterLine};
use crate::service::sign_in::WebSession;
use crate::startup::AppState;
use crate::web::form::{Choice, Conflict, FieldErrors, FormFields, FormState};
use crate::web::pages::workspace::meetings::{MeetingRow, meeting_rows};
use crate::web::view::{self, Tag};
use crate::web::{Chrome, Section, error_page, flash, render};

use super::{every, organisation_choices, person_choices, workspace, workspace_form};

/// The group pages' addresses.
pub fn routes(route: Route) -> Route {
    route
        .at("/secretariat/groups", get(list))
        .at("/secretariat/groups/new", get(new_form).post(create))
        .at("/secretariat/groups/:id", get(show))
        .at("/secretariat/groups/:id/edit", get(edit_form).post(edit))
        .at(
            "/secretariat/groups/:id/status",
            get(status_form).post(change_status),
        )
        .at(
            "/secretariat/groups/:id/memberships/new",
            get(membership_form).post(add_membership),
        )
        .at(
            "/secretariat/groups/:id/memberships/:membership_id/end",
            get(end_form).post(end_membership),
        )
}

fn chrome(title: impl Into<String>, session: &WebSession, req: &Request) -> Chrome {
    super::chrome(req, session, &title.into(), Section::Groups)
}

/// A form shown again after the service refused it: its problems, or the error
/// refusal given back when it is not about the form (it becomes the error page).
fn refused(form: FormFields, mut errors: FieldErrors, err: Error) -> Result<FormState, Error> {
    errors.absorb(err, &[], "save")?;
    Ok(FormState::invalid(form, errors))
}

/// A group's status, as a tag.
pub fn status_tag(status: &str) -> Tag {
    let (label, class) = match status.parse::<GroupStatus>() {
        Ok(GroupStatus::Proposed) => ("Proposed", "tag-yellow"),
        Ok(GroupStatus::Active) => ("Active", "tag-green"),
        Ok(GroupStatus::Closed) => ("Closed", "tag-grey"),
        Err(_) => (status, "tag-grey"),
    };
    Tag {
        label: label.to_owned(),
        class,
    }
}

fn kind_label(kind: &str) -> &'static str {
    match kind.parse::<GroupKind>() {
        Ok(GroupKind::Rr3) => "Main group",
        _ => "Special interest group",
    }
}

fn role_choices() -> Vec<Choice> {
    MembershipRole::ALL
        .iter()
        .map(|r| Choice::new(r.as_str(), view::role_label(r.as_str())))
        .collect()
}

/// Every group, by name.
async fn all_groups(
    state: &AppState,
    session: &WebSession,
) -> crate::Result<Vec<entity::group::Model>> {
    every(|page| async move {
        groups::list(&state.db, &session.caller, GroupFilter::default(), &page).await
    })
    .await
}

// ---------------------------------------------------------------- the list

struct GroupRow {
    id: Uuid,
    name: String,
    short_name: String,
    kind: &'static str,
    is_sig: bool,
    status: Tag,
}

#[derive(Template)]
#[template(path = "workspace/groups/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<GroupRow>,
}

/// Each main group followed by its SIGs, by name; SIGs whose parent is missing last.
fn nested(all: Vec<entity::group::Model>) -> Vec<GroupRow> {
    let row = |g: &entity::group::Model| GroupRow {
        id: g.id,
        name: g.name.clone(),
        short_name: g.short_name.clone(),
        kind: kind_label(&g.kind),
        is_sig: g.parent_id.is_some(),
        status: status_tag(&g.status),
    };
    let mut rows = Vec::new();
    let mains: Vec<&entity::group::Model> = all.iter().filter(|g| g.parent_id.is_none()).collect();
    for main in &mains {
        rows.push(row(main));
        for sig in all.iter().filter(|g| g.parent_id == Some(main.id)) {
            rows.push(row(sig));
        }
    }
    for orphan in all.iter().filter(|g| {
        g.parent_id
            .is_some_and(|p| !mains.iter().any(|m| m.id == p))
    }) {
        rows.push(row(orphan));
    }
    rows
}

#[handler]
async fn list(req: &Request, state: Data<&AppState>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    match all_groups(&state, &session).await {
        Ok(all) => render(
            StatusCode::OK,
            &ListPage {
                chrome: chrome("Groups", &session, req),
                rows: nested(all),
            },
        ),
        Err(err) => error_page(Some(&session), err),
    }
}

// ---------------------------------------------------------------- create

#[derive(Template)]
#[template(path = "workspace/groups/new.html")]
struct NewPage {
    chrome: Chrome,
    form: FormFields,
    errors: FieldErrors,
    kinds: Vec<Choice>,
    parents: Vec<Choice>,
    statuses: Vec<Choice>,
}

async fn new_page(
    state: &AppState,
    session: &WebSession,
    req: &Request,
    shown: FormState,
) -> Response {
    let groups = match all_groups(state, session).await {
        Ok(groups) => groups,
        Err(err) => return error_page(Some(session), err),
    };
    let parents = groups
        .iter()
        .filter(|g| g.kind == GroupKind::Rr3.as_str())
        .map(|g| Choice::new(g.id.to_string(), format!("{} ({})", g.name, g.short_name)))
        .collect();
    render(
        shown.status(),
        &NewPage {
            chrome: chrome(shown.title("Create a group"), session, req),
            form: shown.form,
            errors: shown.errors,
            kinds: vec![
                Choice::new("rr3", "A main group, such as RR3"),
                Choice::new("sig", "A special interest group (SIG) of a main group"),
            ],
            parents,
            statuses: vec![
                Choice::new("active", "Yes: it is active now"),
                Choice::new("proposed", "Not yet: it is proposed"),
            ],
        },
    )
}

#[derive(Deserialize)]
struct NewQuery {
    parent_id: Option<Uuid>,
}

#[handler]
async fn new_form(req: &Request, state: Data<&AppState>, query: Query<NewQuery>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let mut form = FormFields::from_pairs([("status", "active")]);
    if let Some(parent) = query.0.parent_id {
        form.set("kind", "sig");
        form.set("parent_id", parent.to_string());
    }
    new_page(&state, &session, req, FormState::new(form)).await
}

#[handler]
async fn create(req: &Request, state: Data<&AppState>, body: Body) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(pair) => pair,
        Err(response) => return response,
    };
    let mut errors = FieldErrors::default();
    let kind = match form.text("kind").parse::<GroupKind>() {
        Ok(kind) => Some(kind),
        Err(_) => {
            errors.add("kind", "Choose what kind of group it is");
            None
        }
    };
    let parent_id = form.choice("parent_id", &mut errors, "the main group");
    let status = form.text("status").parse::<GroupStatus>().ok();
    let Some(kind) = kind else {
        // Without a kind there is no group to ask the service about; its checks of
        // the other fields still run, so that every problem shows at once.
        if let Err(err) = groups::check_description(
            &form.text("name"),
            &form.text("short_name"),
            form.optional("remit").as_deref(),
            form.optional("about").as_deref(),
        ) {
            let _ = errors.absorb(err, &[], "save");
        }
        return new_page(&state, &session, req, FormState::invalid(form, errors)).await;
    };
    // A main group has no parent: a choice left in the hidden-by-meaning list is
    // not a request for one.
    let parent_id = if kind == GroupKind::Rr3 {
        None
    } else {
        parent_id
    };
    let new = NewGroup {
        kind,
        parent_id,
        name: form.text("name"),
        short_name: form.text("short_name"),
        remit: form.optional("remit"),
        about: form.optional("about"),
        status,
    };
    if !errors.is_empty() {
        return new_page(&state, &session, req, FormState::invalid(form, errors)).await;
    }
    let shown = match groups::create(&state.db, &session.caller, new).await {
        Ok(group) => {
            return flash::redirect(
                req,
                &format!("/secretariat/groups/{}", group.id),
                &format!("{} was created.", group.name),
            );
        }
        Err(err) => match refused(form, errors, err) {
            Ok(shown) => shown,
            Err(other) => return error_page(Some(&session), other),
        },
    };
    new_page(&state, &session, req, shown).await
}

// ---------------------------------------------------------------- the group

struct MemberRow {
    id: Uuid,
    person_id: Uuid,
    name: String,
    role: String,
    organisation: String,
    term: String,
}

fn term(starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> String {
    match ends_on {
        Some(end) => format!(
            "{} to {}",
            when::format_date(starts_on),
            when::format_date(end)
        ),
        None => format!("From {}", when::format_date(starts_on)),
    }
}

fn member_row(line: RosterLine) -> MemberRow {
    MemberRow {
        id: line.membership.id,
        person_id: line.person.id,
        role: view::role_label(&line.membership.role),
        organisation: line.organisation.unwrap_or_default(),
        term: term(line.membership.starts_on, line.membership.ends_on),
        name: line.person.name,
    }
}

struct SigRow {
    id: Uuid,
    name: String,
    short_name: String,
    status: Tag,
}

#[derive(Template)]
#[template(path = "workspace/groups/show.html")]
struct ShowPage {
    chrome: Chrome,
    id: Uuid,
    name: String,
    short_name: String,
    kind: &'static str,
    is_main: bool,
    parent: Option<(Uuid, String)>,
    status: Tag,
    closed: Option<String>,
    remit: Option<String>,
    about: Option<String>,
    can_change_status: bool,
    status_button: &'static str,
    can_schedule: bool,
    sigs: Vec<SigRow>,
    current: Vec<MemberRow>,
    upcoming: Vec<MemberRow>,
    past: Vec<MemberRow>,
    upcoming_meetings: Vec<MeetingRow>,
    past_meetings: Vec<MeetingRow>,
}

async fn gather_show(
    state: &AppState,
    session: &WebSession,
    req: &Request,
    id: Uuid,
) -> crate::Result<ShowPage> {
    let caller = &session.caller;
    let group = groups::get(&state.db, caller, id).await?;
    let all = all_groups(state, session).await?;
    let parent = group.parent_id.and_then(|p| {
        all.iter()
            .find(|g| g.id == p)
            .map(|g| (g.id, g.name.clone()))
    });
    let sigs = all
        .iter()
        .filter(|g| g.parent_id == Some(id))
        .map(|g| SigRow {
            id: g.id,
            name: g.name.clone(),
            short_name: g.short_name.clone(),
            status: status_tag(&g.status),
        })
        .collect();
    let roster = memberships::roster(&state.db, caller, id, today()).await?;
    let timeline = meetings::timeline(&state.db, caller, Some(id), None).await?;
    let names = [(group.id, group.short_name.clone())].into_iter().collect();
    let status: GroupStatus = group.status.parse().unwrap_or(GroupStatus::Active);
    let closed = (status == GroupStatus::Closed).then(|| {
        let on = group
            .closed_on
            .map(|d| format!(" on {}", when::format_date(d)))
            .unwrap_or_default();
        match &group.closed_reason {
            Some(reason) => format!("The group closed{on}: {reason}"),
            None => format!("The group closed{on}."),
        }
    });
    Ok(ShowPage {
        chrome: chrome(group.name.clone(), session, req),
        id,
        kind: kind_label(&group.kind),
        is_main: group.kind == GroupKind::Rr3.as_str(),
        parent,
        status: status_tag(&group.status),
        closed,
        can_change_status: status != GroupStatus::Closed,
        status_button: match status {
            GroupStatus::Proposed => "Activate or close the group",
            _ => "Close the group",
        },
        can_schedule: lifecycle::can_schedule_meetings(status).is_ok(),
        sigs,
        current: roster.current.into_iter().map(member_row).collect(),
        upcoming: roster.upcoming.into_iter().map(member_row).collect(),
        past: roster.past.into_iter().map(member_row).collect(),
        upcoming_meetings: meeting_rows(&timeline.upcoming, &names),
        past_meetings: meeting_rows(&timeline.past, &names),
        name: group.name,
        short_name: group.short_name,
        remit: group.remit,
        about: group.about,
    })
}

#[handler]
async fn show(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    match gather_show(&state, &session, req, id).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(err) => error_page(Some(&session), err),
    }
}

// ---------------------------------------------------------------- edit

#[derive(Template)]
#[template(path = "workspace/groups/edit.html")]
struct EditPage {
    chrome: Chrome,
    id: Uuid,
    group_name: String,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
}

fn group_values(group: &entity::group::Model) -> FormFields {
    FormFields::from_pairs([
        ("name", group.name.clone()),
        ("short_name", group.short_name.clone()),
        ("remit", group.remit.clone().unwrap_or_default()),
        ("about", group.about.clone().unwrap_or_default()),
        ("version", group.version.to_string()),
    ])
}

async fn edit_page(
    state: &AppState,
    session: &WebSession,
    req: &Request,
    id: Uuid,
    shown: Option<FormState>,
) -> Response {
    let group = match groups::get(&state.db, &session.caller, id).await {
        Ok(group) => group,
        Err(err) => return error_page(Some(session), err),
    };
    let shown = shown.unwrap_or_else(|| FormState::new(group_values(&group)));
    render(
        shown.status(),
        &EditPage {
            chrome: chrome(shown.title(&format!("Edit {}", group.name)), session, req),
            id,
            group_name: group.name,
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
    let changes = GroupChanges {
        name: Some(form.text("name")),
        short_name: Some(form.text("short_name")),
        remit: Some(form.optional("remit")),
        about: Some(form.optional("about")),
    };
    let shown = match groups::update(&state.db, &session.caller, id, form.version(), changes).await
    {
        Ok(group) => {
            return flash::redirect(
                req,
                &format!("/secretariat/groups/{id}"),
                &format!("The details of {} were saved.", group.name),
            );
        }
        Err(Error::Stale { .. }) => {
            let current = match groups::get(&state.db, &session.caller, id).await {
                Ok(current) => current,
                Err(err) => return error_page(Some(&session), err),
            };
            let conflict = Conflict::between(
                &form,
                current.version,
                &[
                    ("Name", "name", current.name.clone()),
                    ("Short name", "short_name", current.short_name.clone()),
                    ("Remit", "remit", current.remit.clone().unwrap_or_default()),
                    (
                        "Standing paragraph",
                        "about",
                        current.about.clone().unwrap_or_default(),
                    ),
                ],
            );
            FormState::stale(form, conflict)
        }
        Err(err) => match refused(form, FieldErrors::default(), err) {
            Ok(shown) => shown,
            Err(other) => return error_page(Some(&session), other),
        },
    };
    edit_page(&state, &session, req, id, Some(shown)).await
}

// ---------------------------------------------------------------- status

#[derive(Template)]
#[template(path = "workspace/groups/status.html")]
struct StatusPage {
    chrome: Chrome,
    id: Uuid,
    group_name: String,
    status: Tag,
    moves: Vec<Choice>,
    /// Only closing is left (an active group): the form asks for that alone.
    closing_only: bool,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
}

async fn status_page(
    state: &AppState,
    session: &WebSession,
    req: &Request,
    id: Uuid,
    shown: Option<FormState>,
) -> Response {
    let group = match groups::get(&state.db, &session.caller, id).await {
        Ok(group) => group,
        Err(err) => return error_page(Some(session), err),
    };
    let current: GroupStatus = group.status.parse().unwrap_or(GroupStatus::Active);
    // The moves offered are the ones the lifecycle allows from here.
    let moves = [
        (
            GroupStatus::Active,
            "activate",
            "Activate it: the group starts its work",
        ),
        (
            GroupStatus::Closed,
            "close",
            "Close it: the group has finished its work",
        ),
    ]
    .into_iter()
    .filter(|(to, _, _)| lifecycle::group_transition(current, *to).is_ok())
    .map(|(_, value, label)| Choice::new(value, label))
    .collect::<Vec<_>>();
    let shown = shown.unwrap_or_else(|| {
        FormState::new(FormFields::from_pairs([(
            "version",
            group.version.to_string(),
        )]))
    });
    render(
        shown.status(),
        &StatusPage {
            chrome: chrome(
                shown.title(&format!("Change the status of {}", group.name)),
                session,
                req,
            ),
            id,
            status: status_tag(&group.status),
            group_name: group.name,
            closing_only: moves.len() == 1 && moves[0].value == "close",
            moves,
            form: shown.form,
            errors: shown.errors,
            conflict: shown.conflict,
        },
    )
}

#[handler]
async fn status_form(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    status_page(&state, &session, req, id, None).await
}

#[handler]
async fn change_status(
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
    let to = match form.text("to").as_str() {
        "activate" => Some(GroupStatus::Active),
        "close" => Some(GroupStatus::Closed),
        _ => {
            errors.add("to", "Choose what should happen to the group");
            None
        }
    };
    let closed_on = form.date("closed_on", &mut errors, "The closing date");
    let to = match to {
        Some(to) if errors.is_empty() => to,
        _ => {
            let shown = FormState::invalid(form, errors);
            return status_page(&state, &session, req, id, Some(shown)).await;
        }
    };
    // Only a closing carries a date and a reason.
    let (closed_on, reason) = if to == GroupStatus::Closed {
        (closed_on, form.optional("reason"))
    } else {
        (None, None)
    };
    let changed = groups::change_status(
        &state.db,
        &session.caller,
        id,
        form.version(),
        to,
        closed_on,
        reason,
    )
    .await;
    let shown = match changed {
        Ok(group) => {
            let done = if to == GroupStatus::Closed {
                "closed"
            } else {
                "is now active"
            };
            return flash::redirect(
                req,
                &format!("/secretariat/groups/{id}"),
                &format!("{} {done}.", group.name),
            );
        }
        Err(Error::Stale { current, .. }) => {
            let conflict = Conflict::between(&form, current, &[]);
            FormState::stale(form, conflict)
        }
        Err(err) => match refused(form, errors, err) {
            Ok(shown) => shown,
            Err(other) => return error_page(Some(&session), other),
        },
    };
    status_page(&state, &session, req, id, Some(shown)).await
}

// ---------------------------------------------------------------- memberships

#[derive(Template)]
#[template(path = "workspace/groups/membership_new.html")]
struct MembershipPage {
    chrome: Chrome,
    id: Uuid,
    group_name: String,
    people: Vec<Choice>,
    roles: Vec<Choice>,
    organisations: Vec<Choice>,
    form: FormFields,
    errors: FieldErrors,
}

async fn membership_page(
    state: &AppState,
    session: &WebSession,
    req: &Request,
    id: Uuid,
    shown: FormState,
) -> Response {
    let gathered = async {
        let group = groups::get(&state.db, &session.caller, id).await?;
        let people = person_choices(state, session).await?;
        let organisations = organisation_choices(state, session).await?;
        crate::Result::Ok((group, people, organisations))
    }
    .await;
    let (group, people, organisations) = match gathered {
        Ok(gathered) => gathered,
        Err(err) => return error_page(Some(session), err),
    };
    render(
        shown.status(),
        &MembershipPage {
            chrome: chrome(
                shown.title(&format!("Add a member to {}", group.name)),
                session,
                req,
            ),
            id,
            group_name: group.name,
            people,
            roles: role_choices(),
            organisations,
            form: shown.form,
            errors: shown.errors,
        },
    )
}

#[handler]
async fn membership_form(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let form = FormFields::from_pairs([
        ("role", "member".to_owned()),
        ("starts_on", today().to_string()),
    ]);
    membership_page(&state, &session, req, id, FormState::new(form)).await
}

#[handler]
async fn add_membership(
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
    let person_id = form.choice("person_id", &mut errors, "a person");
    if person_id.is_none() && errors.get("person_id").is_none() {
        errors.add("person_id", "Choose the person who joins the group");
    }
    let role = match form.text("role").parse::<MembershipRole>() {
        Ok(role) => Some(role),
        Err(_) => {
            errors.add("role", "Choose their role in the group");
            None
        }
    };
    let organisation_id = form.choice("organisation_id", &mut errors, "an organisation");
    let starts_on = form.date("starts_on", &mut errors, "The start of the term");
    if starts_on.is_none() && errors.get("starts_on").is_none() {
        errors.add("starts_on", "Enter the day the term starts");
    }
    let ends_on = form.date("ends_on", &mut errors, "The end of the term");
    let new = match (person_id, role, starts_on) {
        (Some(person_id), Some(role), Some(starts_on)) if errors.is_empty() => NewMembership {
            person_id,
            role,
            starts_on,
            ends_on,
            organisation_id,
        },
        _ => {
            let shown = FormState::invalid(form, errors);
            return membership_page(&state, &session, req, id, shown).await;
        }
    };
    let shown = match memberships::create(&state.db, &session.caller, id, new).await {
        Ok(_) => {
            return flash::redirect(
                req,
                &format!("/secretariat/groups/{id}"),
                "The member was added.",
            );
        }
        Err(err) => match refused(form, errors, err) {
            Ok(shown) => shown,
            Err(other) => return error_page(Some(&session), other),
        },
    };
    membership_page(&state, &session, req, id, shown).await
}

#[derive(Template)]
#[template(path = "workspace/groups/membership_end.html")]
struct EndPage {
    chrome: Chrome,
    id: Uuid,
    membership_id: Uuid,
    group_name: String,
    person_name: String,
    role: String,
    term: String,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
}

/// The membership, its group and its person, for the end form; a membership of
/// another group is not found here.
async fn membership_of(
    state: &AppState,
    session: &WebSession,
    group_id: Uuid,
    membership_id: Uuid,
) -> crate::Result<(entity::membership::Model, entity::group::Model, String)> {
    let membership = memberships::get(&state.db, &session.caller, membership_id).await?;
    if membership.group_id != group_id {
        return Err(Error::not_found("membership", membership_id));
    }
    let group = groups::get(&state.db, &session.caller, group_id).await?;
    let person =
        crate::service::people::get(&state.db, &session.caller, membership.person_id).await?;
    Ok((membership, group, person.name))
}

async fn end_page(
    state: &AppState,
    session: &WebSession,
    req: &Request,
    (id, membership_id): (Uuid, Uuid),
    shown: Option<FormState>,
) -> Response {
    let (membership, group, person_name) =
        match membership_of(state, session, id, membership_id).await {
            Ok(found) => found,
            Err(err) => return error_page(Some(session), err),
        };
    let shown = shown.unwrap_or_else(|| {
        FormState::new(FormFields::from_pairs([
            (
                "ends_on",
                membership.ends_on.unwrap_or_else(today).to_string(),
            ),
            ("version", membership.version.to_string()),
        ]))
    });
    render(
        shown.status(),
        &EndPage {
            chrome: chrome(
                shown.title(&format!("End {person_name}'s membership")),
                session,
                req,
            ),
            id,
            membership_id,
            group_name: group.name,
            role: view::role_label(&membership.role),
            term: term(membership.starts_on, membership.ends_on),
            person_name,
            form: shown.form,
            errors: shown.errors,
            conflict: shown.conflict,
        },
    )
}

#[handler]
async fn end_form(
    req: &Request,
    state: Data<&AppState>,
    Path((id, membership_id)): Path<(Uuid, Uuid)>,
) -> Response {
    let session = match workspace(req, &state).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    end_page(&state, &session, req, (id, membership_id), None).await
}

#[handler]
async fn end_membership(
    req: &Request,
    state: Data<&AppState>,
    Path((id, membership_id)): Path<(Uuid, Uuid)>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(pair) => pair,
        Err(response) => return response,
    };
    if let Err(err) = membership_of(&state, &session, id, membership_id).await {
        return error_page(Some(&session), err);
    }
    let mut errors = FieldErrors::default();
    let ends_on = form.date("ends_on", &mut errors, "The last day of the term");
    if ends_on.is_none() && errors.get("ends_on").is_none() {
        errors.add("ends_on", "Enter the last day of the term");
    }
    let ends_on = match ends_on {
        Some(ends_on) if errors.is_empty() => ends_on,
        _ => {
            let shown = FormState::invalid(form, errors);
            return end_page(&state, &session, req, (id, membership_id), Some(shown)).await;
        }
    };
    let changes = MembershipChanges {
        ends_on: Some(Some(ends_on)),
        ..MembershipChanges::default()
    };
    let ended = memberships::update(
        &state.db,
        &session.caller,
        membership_id,
        form.version(),
        changes,
    )
    .await;
    let shown = match ended {
        Ok(_) => {
            return flash::redirect(
                req,
                &format!("/secretariat/groups/{id}"),
                &format!("The membership ends on {}.", when::format_date(ends_on)),
            );
        }
        Err(Error::Stale { current, .. }) => {
            let stored = memberships::get(&state.db, &session.caller, membership_id)
                .await
                .ok()
                .and_then(|m| m.ends_on)
                .map(|d| d.to_string())
                .unwrap_or_default();
            let conflict = Conflict::between(
                &form,
                current,
                &[("Last day of the term", "ends_on", stored)],
            );
            FormState::stale(form, conflict)
        }
        Err(err) => match refused(form, errors, err) {
            Ok(shown) => shown,
            Err(other) => return error_page(Some(&session), other),
        },
    };
    end_page(&state, &session, req, (id, membership_id), Some(shown)).await
}
