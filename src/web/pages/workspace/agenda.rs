//! A meeting's agenda, as the secretariat plans it: the items in order with their
//! kind, presenter, time and who may see them; the time they take against the
//! meeting's length; forms to add, change and remove items; "Move up" and "Move
//! down" buttons that are plain forms; and the offer of the "Actions from previous
//! meetings" item when earlier meetings left actions open and the agenda lacks it.
//!
//! Every rule (who may change an agenda, which meetings can still change, how
//! positions close up, when the "previous actions" item is offered, that a
//! presenter is a person or a name but not both) is the agenda service's.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, EndpointExt, Request, Response, Route, get, handler, post};
use uuid::Uuid;

use crate::Error;
use crate::domain::{AgendaItemKind, FieldError, Visibility};
use crate::service::agenda::{self, AgendaItemChanges, AgendaPlan, Direction, NewAgendaItem};
use crate::service::people;
use crate::service::sign_in::WebSession;
use crate::startup::AppState;
use crate::web::flash;
use crate::web::form::{Choice, Conflict, FieldErrors, FormFields};
use crate::web::pages::workspace::{
    MeetingHeader, MeetingTab, chrome, enum_choices, meeting_header, person_choices, workspace,
    workspace_form,
};
use crate::web::{Chrome, Section, SecureHeaders, error_page, render};
use entity::agenda_item;

pub fn routes(route: Route) -> Route {
    route
        .at(
            "/secretariat/meetings/:id/agenda",
            get(agenda_page).post(item_create).with(SecureHeaders),
        )
        .at(
            "/secretariat/meetings/:id/agenda/previous-actions",
            post(previous_actions_add).with(SecureHeaders),
        )
        .at(
            "/secretariat/agenda-items/:id/edit",
            get(item_edit).post(item_update).with(SecureHeaders),
        )
        .at(
            "/secretariat/agenda-items/:id/remove",
            get(item_remove_confirm)
                .post(item_remove)
                .with(SecureHeaders),
        )
        .at(
            "/secretariat/agenda-items/:id/move",
            post(item_move).with(SecureHeaders),
        )
}

/// An item's kind in words.
pub fn kind_label(kind: AgendaItemKind) -> &'static str {
    match kind {
        AgendaItemKind::Welcome => "Welcome and introductions",
        AgendaItemKind::PreviousActions => "Actions from previous meetings",
        AgendaItemKind::Presentation => "Presentation",
        AgendaItemKind::Discussion => "Discussion",
        AgendaItemKind::Update => "Update",
        AgendaItemKind::Aob => "Any other business",
    }
}

/// Who may see an item, in words.
pub fn visibility_label(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Public => "Everyone, including published public notes",
        Visibility::Members => "Members of the group only",
        Visibility::Secretariat => "The secretariat only",
    }
}

/// The short form of [`visibility_label`] for the list of items.
fn visibility_short(visibility: &str) -> &'static str {
    match visibility.parse::<Visibility>() {
        Ok(Visibility::Public) => "Public",
        Ok(Visibility::Members) => "Members",
        _ => "Secretariat only",
    }
}

fn kind_choices() -> Vec<Choice> {
    enum_choices(
        AgendaItemKind::ALL,
        |k| k.as_str(),
        |k| kind_label(k).to_owned(),
    )
}

fn visibility_choices() -> Vec<Choice> {
    enum_choices(
        Visibility::ALL,
        |v| v.as_str(),
        |v| visibility_label(v).to_owned(),
    )
}

/// "1 hour 30 minutes", "45 minutes".
fn minutes_in_words(minutes: i64) -> String {
    let plural = |n: i64, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let (hours, rest) = (minutes / 60, minutes % 60);
    match (hours, rest) {
        (0, m) => plural(m, "minute"),
        (h, 0) => plural(h, "hour"),
        (h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
    }
}

/// One item in the agenda's list.
struct ItemRow {
    id: Uuid,
    /// The id its problems are shown under ("item-…").
    field: String,
    position: i32,
    title: String,
    kind: String,
    presenter: Option<String>,
    duration: Option<String>,
    visibility: &'static str,
    first: bool,
    last: bool,
}

/// How the planned time compares with the meeting's length, in words.
struct Timing {
    /// "95 minutes planned of the meeting's 2 hours".
    summary: String,
    /// "The agenda runs 15 minutes over…", when it does.
    overrun: Option<String>,
    /// "2 items have no time set."
    untimed: Option<String>,
}

fn timing(plan: &AgendaPlan) -> Timing {
    let planned = minutes_in_words(plan.planned_minutes);
    let length = minutes_in_words(plan.meeting_minutes);
    Timing {
        summary: match plan.overrun() {
            Some(_) => format!("{planned} planned; the meeting is {length} long."),
            None => format!(
                "{planned} planned of the meeting’s {length}: {} left.",
                minutes_in_words(plan.spare())
            ),
        },
        overrun: plan.overrun().map(|over| {
            format!(
                "The agenda runs {} over the meeting’s length. Shorten or remove items, or change the meeting’s end time.",
                minutes_in_words(over)
            )
        }),
        untimed: match plan.untimed {
            0 => None,
            1 => Some("1 item has no time set, so is not counted.".to_owned()),
            n => Some(format!("{n} items have no time set, so are not counted.")),
        },
    }
}

#[derive(Template)]
#[template(path = "workspace/agenda/agenda.html")]
struct AgendaPage {
    chrome: Chrome,
    header: MeetingHeader,
    items: Vec<ItemRow>,
    timing: Timing,
    /// How many actions are outstanding, when the "previous actions" item is offered.
    offer_previous_actions: Option<usize>,
    /// Why the agenda can no longer change (a cancelled or postponed meeting).
    closed: Option<String>,
    /// Whether to show the "add an item" form: while the agenda can change, and
    /// when it was just posted (the person's values and the refusal stay in view).
    show_add_form: bool,
    form: FormFields,
    errors: FieldErrors,
    kinds: Vec<Choice>,
    visibilities: Vec<Choice>,
    people: Vec<Choice>,
}

/// The values the "add an item" form starts with.
fn new_item_values() -> FormFields {
    FormFields::from_pairs([
        ("kind", AgendaItemKind::Discussion.as_str()),
        ("visibility", Visibility::Members.as_str()),
    ])
}

async fn show_agenda(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    status: StatusCode,
    meeting_id: Uuid,
    form: FormFields,
    errors: FieldErrors,
) -> Response {
    match gather_agenda(req, state, session, meeting_id, form, errors).await {
        Ok(page) => render(status, &page),
        Err(err) => error_page(Some(session), err),
    }
}

async fn gather_agenda(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    meeting_id: Uuid,
    form: FormFields,
    errors: FieldErrors,
) -> crate::Result<AgendaPage> {
    let header = meeting_header(state, session, meeting_id, MeetingTab::Agenda).await?;
    let plan = agenda::plan(&state.db, &session.caller, meeting_id).await?;
    let presenters = people::names(
        &state.db,
        plan.items.iter().filter_map(|i| i.presenter_person_id),
    )
    .await?;
    let count = plan.items.len();
    let items = plan
        .items
        .iter()
        .enumerate()
        .map(|(index, item)| ItemRow {
            id: item.id,
            field: format!("item-{}", item.id),
            position: item.position,
            title: item.title.clone(),
            kind: item
                .kind
                .parse()
                .map(kind_label)
                .unwrap_or("Discussion")
                .to_owned(),
            presenter: item.presenter_text.clone().or_else(|| {
                item.presenter_person_id
                    .and_then(|id| presenters.get(&id).map(|p| p.name.clone()))
            }),
            duration: item
                .duration_minutes
                .map(|m| minutes_in_words(i64::from(m))),
            visibility: visibility_short(&item.visibility),
            first: index == 0,
            last: index + 1 == count,
        })
        .collect();
    let title = if errors.is_empty() {
        format!("Agenda: {}", header.meeting.title)
    } else {
        format!("Error: Agenda: {}", header.meeting.title)
    };
    Ok(AgendaPage {
        chrome: chrome(req, session, &title, Section::Meetings),
        timing: timing(&plan),
        offer_previous_actions: plan.offer_previous_actions,
        items,
        closed: plan.closed.as_deref().map(crate::web::view::sentence),
        // A posted "add" form always carries its title field; the blank one does not.
        show_add_form: plan.closed.is_none() || form.get("title").is_some(),
        form,
        errors,
        kinds: kind_choices(),
        visibilities: visibility_choices(),
        people: person_choices(state, session).await?,
        header,
    })
}

#[handler]
async fn agenda_page(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    show_agenda(
        req,
        &state,
        &session,
        StatusCode::OK,
        id,
        new_item_values(),
        FieldErrors::default(),
    )
    .await
}

/// The fields an item's form has in common, read and checked for what the page can
/// see for itself (a number that is not a number, a choice not on the list).
struct ItemFields {
    title: String,
    kind: Option<AgendaItemKind>,
    presenter_person_id: Option<Uuid>,
    presenter: Option<String>,
    duration_minutes: Option<i32>,
    visibility: Option<Visibility>,
    notes: Option<String>,
}

fn read_item(form: &FormFields, errors: &mut FieldErrors) -> ItemFields {
    let kind = match form.text("kind").parse::<AgendaItemKind>() {
        Ok(kind) => Some(kind),
        Err(_) => {
            errors.add("kind", "Choose what kind of item this is");
            None
        }
    };
    let visibility = match form.text("visibility").parse::<Visibility>() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.add("visibility", "Choose who may see this item");
            None
        }
    };
    let presenter_person_id =
        form.choice("presenter_person_id", errors, "a person from the directory");
    // A number too large for the service to hold is still refused by the service's
    // own rule on durations.
    let duration_minutes = form
        .number("duration_minutes", errors, "Time set aside")
        .map(|n| i32::try_from(n).unwrap_or(i32::MAX));
    ItemFields {
        title: form.text("title"),
        kind,
        presenter_person_id,
        presenter: form.optional("presenter"),
        duration_minutes,
        visibility,
        notes: form.optional("notes"),
    }
}

#[handler]
async fn item_create(
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
    let fields = read_item(&form, &mut errors);
    let status = if let (true, Some(kind), Some(visibility)) =
        (errors.is_empty(), fields.kind, fields.visibility)
    {
        let new = NewAgendaItem {
            title: fields.title,
            kind,
            presenter_person_id: fields.presenter_person_id,
            presenter: fields.presenter,
            duration_minutes: fields.duration_minutes,
            visibility,
            notes: fields.notes,
            position: None,
        };
        match agenda::add(&state.db, &session.caller, id, new).await {
            Ok(item) => {
                return flash::redirect(
                    req,
                    &format!("/secretariat/meetings/{id}/agenda#item-{}", item.id),
                    &format!("“{}” was added to the agenda.", item.title),
                );
            }
            Err(err) => match absorb(&mut errors, err) {
                Ok(status) => status,
                Err(other) => return error_page(Some(&session), other),
            },
        }
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    show_agenda(req, &state, &session, status, id, form, errors).await
}

/// Takes a service's refusal into the form's problems; answers the status to show
/// the form again with (409 for a refusal by the lifecycle, 422 for values), or the
/// error page for anything that is not about the form.
fn absorb(errors: &mut FieldErrors, err: Error) -> Result<StatusCode, Error> {
    absorb_on(errors, in_the_forms_words(err), "save")
}

/// The service's messages about an item's fields, in the words of the form's labels
/// ("Enter the item’s title" rather than "must not be empty").
fn in_the_forms_words(err: Error) -> Error {
    let Error::Invalid(fields) = err else {
        return err;
    };
    Error::Invalid(
        fields
            .into_iter()
            .map(|f| {
                let message = match (f.field.as_str(), f.message.as_str()) {
                    ("title", "must not be empty") => "enter the item’s title".to_owned(),
                    ("title", m) => format!("the title {m}"),
                    ("duration_minutes", m) => format!("time set aside {m}"),
                    ("notes", m) => format!("papers or notes {m}"),
                    (_, m) => m.to_owned(),
                };
                FieldError::new(f.field, message)
            })
            .collect(),
    )
}

#[handler]
async fn previous_actions_add(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, _form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    match agenda::add_previous_actions(&state.db, &session.caller, id).await {
        Ok(item) => flash::redirect(
            req,
            &format!("/secretariat/meetings/{id}/agenda#item-{}", item.id),
            &format!("“{}” was added at the top of the agenda.", item.title),
        ),
        Err(err) => {
            let mut errors = FieldErrors::default();
            let status = match absorb_on(&mut errors, err, "previous-actions") {
                Ok(s) => s,
                Err(other) => return error_page(Some(&session), other),
            };
            show_agenda(req, &state, &session, status, id, new_item_values(), errors).await
        }
    }
}

/// [`absorb`], with a refusal landing on `field` rather than the form's button.
fn absorb_on(errors: &mut FieldErrors, err: Error, field: &str) -> Result<StatusCode, Error> {
    let status = match err {
        Error::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    errors.absorb(err, &[], field).map(|()| status)
}

#[handler]
async fn item_move(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let item = match agenda::get(&state.db, &session.caller, id).await {
        Ok(i) => i,
        Err(err) => return error_page(Some(&session), err),
    };
    let direction = match form.text("direction").as_str() {
        "up" => Direction::Up,
        "down" => Direction::Down,
        // Only the page's own buttons send this form.
        _ => return crate::web::see_other(&agenda_href(&item)),
    };
    match agenda::move_item(&state.db, &session.caller, id, direction).await {
        Ok(_) => flash::redirect(
            req,
            &format!("{}#item-{id}", agenda_href(&item)),
            &format!(
                "“{}” was moved {}.",
                item.title,
                if direction == Direction::Up {
                    "up"
                } else {
                    "down"
                }
            ),
        ),
        Err(err) => {
            let mut errors = FieldErrors::default();
            let field = format!("item-{id}");
            let status = match absorb_on(&mut errors, err, &field) {
                Ok(s) => s,
                Err(other) => return error_page(Some(&session), other),
            };
            show_agenda(
                req,
                &state,
                &session,
                status,
                item.meeting_id,
                new_item_values(),
                errors,
            )
            .await
        }
    }
}

fn agenda_href(item: &agenda_item::Model) -> String {
    format!("/secretariat/meetings/{}/agenda", item.meeting_id)
}

// ---------------------------------------------------------------------------
// Changing an item

#[derive(Template)]
#[template(path = "workspace/agenda/item_form.html")]
struct ItemForm {
    chrome: Chrome,
    header: MeetingHeader,
    item: agenda_item::Model,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
    kinds: Vec<Choice>,
    visibilities: Vec<Choice>,
    people: Vec<Choice>,
}

/// The form's values for a stored item.
fn item_values(item: &agenda_item::Model) -> FormFields {
    FormFields::from_pairs([
        ("title", item.title.clone()),
        ("kind", item.kind.clone()),
        (
            "presenter_person_id",
            item.presenter_person_id
                .map(|p| p.to_string())
                .unwrap_or_default(),
        ),
        ("presenter", item.presenter_text.clone().unwrap_or_default()),
        (
            "duration_minutes",
            item.duration_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
        ),
        ("visibility", item.visibility.clone()),
        ("notes", item.notes.clone().unwrap_or_default()),
        ("version", item.version.to_string()),
    ])
}

#[allow(clippy::too_many_arguments)]
async fn show_item_form(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    status: StatusCode,
    item: agenda_item::Model,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
) -> Response {
    let gathered = async {
        let header = meeting_header(state, session, item.meeting_id, MeetingTab::Agenda).await?;
        let people = person_choices(state, session).await?;
        crate::Result::Ok((header, people))
    }
    .await;
    let (header, people) = match gathered {
        Ok(g) => g,
        Err(err) => return error_page(Some(session), err),
    };
    let kinds = kind_choices();
    let visibilities = visibility_choices();
    let conflict = conflict.map(|c| {
        c.label_choices("kind", &kinds)
            .label_choices("visibility", &visibilities)
            .label_choices("presenter_person_id", &people)
    });
    let title = format!(
        "{}Change an agenda item: {}",
        if errors.is_empty() && conflict.is_none() {
            ""
        } else {
            "Error: "
        },
        item.title
    );
    render(
        status,
        &ItemForm {
            chrome: chrome(req, session, &title, Section::Meetings),
            header,
            item,
            form,
            errors,
            conflict,
            kinds,
            visibilities,
            people,
        },
    )
}

#[handler]
async fn item_edit(req: &Request, state: Data<&AppState>, Path(id): Path<Uuid>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let item = match agenda::get(&state.db, &session.caller, id).await {
        Ok(i) => i,
        Err(err) => return error_page(Some(&session), err),
    };
    let form = item_values(&item);
    show_item_form(
        req,
        &state,
        &session,
        StatusCode::OK,
        item,
        form,
        FieldErrors::default(),
        None,
    )
    .await
}

#[handler]
async fn item_update(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, mut form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let item = match agenda::get(&state.db, &session.caller, id).await {
        Ok(i) => i,
        Err(err) => return error_page(Some(&session), err),
    };
    let mut errors = FieldErrors::default();
    let fields = read_item(&form, &mut errors);
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if errors.is_empty() {
        let changes = AgendaItemChanges {
            title: Some(fields.title),
            kind: fields.kind,
            presenter_person_id: Some(fields.presenter_person_id),
            presenter: Some(fields.presenter),
            duration_minutes: Some(fields.duration_minutes),
            visibility: fields.visibility,
            notes: Some(fields.notes),
        };
        match agenda::update(&state.db, &session.caller, id, form.version(), changes).await {
            Ok(saved) => {
                return flash::redirect(
                    req,
                    &format!("{}#item-{id}", agenda_href(&saved)),
                    &format!("“{}” was saved.", saved.title),
                );
            }
            Err(Error::Stale { .. }) => {
                // Someone saved first: show what they saved beside what this person
                // typed, and carry the new version so that saving again is a choice.
                let stored = item_values(&item);
                let conflict = Conflict::between(
                    &form,
                    item.version,
                    &[
                        ("Title", "title", stored.text("title")),
                        ("Kind of item", "kind", stored.text("kind")),
                        (
                            "Presenter from the directory",
                            "presenter_person_id",
                            stored.text("presenter_person_id"),
                        ),
                        ("Presenter’s name", "presenter", stored.text("presenter")),
                        (
                            "Time set aside, in minutes",
                            "duration_minutes",
                            stored.text("duration_minutes"),
                        ),
                        ("Who may see it", "visibility", stored.text("visibility")),
                        ("Papers or notes", "notes", stored.text("notes")),
                    ],
                );
                form.set("version", item.version.to_string());
                return show_item_form(
                    req,
                    &state,
                    &session,
                    StatusCode::CONFLICT,
                    item,
                    form,
                    errors,
                    Some(conflict),
                )
                .await;
            }
            Err(err) => match absorb(&mut errors, err) {
                Ok(s) => status = s,
                Err(other) => return error_page(Some(&session), other),
            },
        }
    }
    show_item_form(req, &state, &session, status, item, form, errors, None).await
}

// ---------------------------------------------------------------------------
// Removing an item

#[derive(Template)]
#[template(path = "workspace/agenda/remove.html")]
struct RemovePage {
    chrome: Chrome,
    header: MeetingHeader,
    item: agenda_item::Model,
    form: FormFields,
    errors: FieldErrors,
}

async fn show_remove(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    status: StatusCode,
    item: agenda_item::Model,
    errors: FieldErrors,
) -> Response {
    let header = match meeting_header(state, session, item.meeting_id, MeetingTab::Agenda).await {
        Ok(h) => h,
        Err(err) => return error_page(Some(session), err),
    };
    let title = format!(
        "{}Remove “{}” from the agenda?",
        if errors.is_empty() { "" } else { "Error: " },
        item.title
    );
    render(
        status,
        &RemovePage {
            chrome: chrome(req, session, &title, Section::Meetings),
            header,
            form: FormFields::from_pairs([("version", item.version.to_string())]),
            item,
            errors,
        },
    )
}

#[handler]
async fn item_remove_confirm(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    match agenda::get(&state.db, &session.caller, id).await {
        Ok(item) => {
            show_remove(
                req,
                &state,
                &session,
                StatusCode::OK,
                item,
                FieldErrors::default(),
            )
            .await
        }
        Err(err) => error_page(Some(&session), err),
    }
}

#[handler]
async fn item_remove(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let item = match agenda::get(&state.db, &session.caller, id).await {
        Ok(i) => i,
        Err(err) => return error_page(Some(&session), err),
    };
    let mut errors = FieldErrors::default();
    let err = match agenda::remove(&state.db, &session.caller, id, form.version()).await {
        Ok(()) => {
            return flash::redirect(
                req,
                &agenda_href(&item),
                &format!("“{}” was removed from the agenda.", item.title),
            );
        }
        Err(err) => err,
    };
    let status = match err {
        Error::Stale { .. } => {
            errors.add(
                "save",
                "Someone else changed this item after you opened this page. Check it below before you remove it.",
            );
            StatusCode::CONFLICT
        }
        err => match absorb(&mut errors, err) {
            Ok(s) => s,
            Err(other) => return error_page(Some(&session), other),
        },
    };
    show_remove(req, &state, &session, status, item, errors).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_hours_and_minutes() {
        assert_eq!(minutes_in_words(1), "1 minute");
        assert_eq!(minutes_in_words(45), "45 minutes");
        assert_eq!(minutes_in_words(60), "1 hour");
        assert_eq!(minutes_in_words(120), "2 hours");
        assert_eq!(minutes_in_words(61), "1 hour 1 minute");
        assert_eq!(minutes_in_words(150), "2 hours 30 minutes");
        assert_eq!(minutes_in_words(0), "0 minutes");
    }

    #[test]
    fn the_services_words_become_the_forms_words() {
        let refused = Error::Invalid(vec![
            FieldError::new("title", "must not be empty"),
            FieldError::new("duration_minutes", "must be between 1 and 600 minutes"),
            FieldError::new("presenter", "choose one"),
        ]);
        let Error::Invalid(fields) = in_the_forms_words(refused) else {
            panic!("still invalid");
        };
        let messages: Vec<&str> = fields.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "enter the item’s title",
                "time set aside must be between 1 and 600 minutes",
                "choose one"
            ]
        );
    }
}
