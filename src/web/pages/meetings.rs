//! "Your meetings": upcoming meetings of the member's groups with their answer,
//! past meetings with their published notes, and one meeting's page with its
//! agenda, register and the form to accept or send apologies.

use std::collections::HashMap;

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};
use uuid::Uuid;

use crate::Error;
use crate::auth::Caller;
use crate::domain::values::now;
use crate::domain::{AttendanceStatus, MeetingMode, MeetingStatus};
use crate::service::attendance::{self, AttendanceChanges};
use crate::service::meetings::{self, MeetingDetail, MeetingFilter};
use crate::service::page::PageParams;
use crate::service::sign_in::WebSession;
use crate::service::{calendar, find_or_404, notes, people};
use crate::startup::AppState;
use crate::web::pages::public::NoteLink;
use crate::web::view::{self, Tag};
use crate::web::{
    Chrome, Section, error_page, message, must_sign_in, not_found_page, render, see_other, visitor,
};
use crate::web::{flash, signed_in_form};
use entity::{group, meeting};

/// The most reasons a member may give, in characters (the service's own limit).
const REASON_MAX: usize = 1000;

/// One meeting in a list.
pub struct MeetingCard {
    pub id: Uuid,
    pub title: String,
    pub caption: String,
    pub when: String,
    pub place: String,
    pub status: Option<Tag>,
    pub answer: Option<Tag>,
    pub notes: Vec<NoteLink>,
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    chrome: Chrome,
    upcoming: Vec<MeetingCard>,
    past: Vec<MeetingCard>,
}

/// Every meeting the caller may read that `filter` keeps, in time order.
pub async fn all_meetings(
    state: &AppState,
    caller: &Caller,
    filter: impl Fn() -> MeetingFilter,
) -> crate::Result<Vec<meeting::Model>> {
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = meetings::list(
            &state.db,
            caller,
            filter(),
            &PageParams {
                limit: Some(200),
                cursor,
            },
        )
        .await?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(all),
        }
    }
}

/// The groups of `meetings`, by id.
pub async fn groups_of(
    state: &AppState,
    meetings: &[meeting::Model],
) -> crate::Result<HashMap<Uuid, group::Model>> {
    let mut groups = HashMap::new();
    for meeting in meetings {
        if !groups.contains_key(&meeting.group_id) {
            let group = find_or_404::<group::Entity>(&state.db, meeting.group_id).await?;
            groups.insert(group.id, group);
        }
    }
    Ok(groups)
}

fn card(meeting: &meeting::Model, group: Option<&group::Model>) -> MeetingCard {
    MeetingCard {
        id: meeting.id,
        title: meeting.title.clone(),
        caption: group
            .map(|g| view::meeting_caption(g, meeting))
            .unwrap_or_default(),
        when: view::meeting_when(meeting),
        place: view::meeting_place(meeting),
        status: view::meeting_status_tag(&meeting.status),
        answer: None,
        notes: Vec::new(),
    }
}

/// The published notes of a past meeting that the caller may download: the current
/// version first, then older ones, newest first. Drafts never appear: only
/// published versions exist to download, and only those the caller may read.
pub async fn note_links(
    state: &AppState,
    caller: &Caller,
    meeting: &meeting::Model,
) -> crate::Result<Vec<NoteLink>> {
    let Some((note, versions)) =
        notes::published_for_meeting(&state.db, Some(caller), meeting.id).await?
    else {
        return Ok(Vec::new());
    };
    let current = note.note.published_version;
    let mut links = Vec::new();
    for version in versions.iter().rev() {
        let audience = if version.audience == "public" {
            "for everyone"
        } else {
            "for members"
        };
        let title = if Some(version.number) == current {
            format!("Summary note, version {} (Word document)", version.number)
        } else {
            format!(
                "Earlier version {} (replaced; Word document)",
                version.number
            )
        };
        links.push(NoteLink {
            title,
            detail: format!(
                "Published {}, {audience}, {}",
                view::published_day(version.published_at, meeting),
                view::file_size(version.size_bytes),
            ),
            href: format!(
                "/notes/{}/versions/{}/document",
                version.note_id, version.number
            ),
        });
    }
    // The current version leads even if an older one was published later.
    links.sort_by_key(|l| !l.title.starts_with("Summary note"));
    Ok(links)
}

async fn gather_list(state: &AppState, session: &WebSession) -> crate::Result<MeetingsPage> {
    let caller = &session.caller;
    let at = now();
    let upcoming = all_meetings(state, caller, || MeetingFilter {
        from: Some(at),
        ..Default::default()
    })
    .await?;
    let mut past = all_meetings(state, caller, || MeetingFilter {
        to: Some(at),
        ..Default::default()
    })
    .await?;
    past.retain(|m| m.ends_at < at);
    past.reverse();
    let mut all = upcoming.clone();
    all.extend(past.iter().cloned());
    let groups = groups_of(state, &all).await?;

    let mut upcoming_cards = Vec::new();
    for meeting in &upcoming {
        let mut card = card(meeting, groups.get(&meeting.group_id));
        if let Some(person) = caller.member_person() {
            let register = attendance::list(&state.db, caller, meeting.id).await?;
            card.answer = register
                .iter()
                .find(|line| line.person.id == person)
                .map(|line| view::attendance_tag(&line.attendance.status));
        }
        upcoming_cards.push(card);
    }
    let mut past_cards = Vec::new();
    for meeting in &past {
        let mut card = card(meeting, groups.get(&meeting.group_id));
        card.notes = note_links(state, caller, meeting).await?;
        past_cards.push(card);
    }
    Ok(MeetingsPage {
        chrome: Chrome::new("Your meetings", Some(session), Section::Meetings),
        upcoming: upcoming_cards,
        past: past_cards,
    })
}

#[handler]
pub async fn list(req: &Request, state: Data<&AppState>) -> Response {
    let session = match visitor(req, &state).await {
        Ok(Some(session)) => session,
        Ok(None) => return must_sign_in(),
        Err(page) => return page,
    };
    // The secretariat's meetings are in its workspace, in its own words.
    if session.caller.is_secretariat() {
        return see_other("/secretariat/meetings");
    }
    match gather_list(&state, &session).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(err) => error_page(Some(&session), err),
    }
}

/// One agenda item as shown.
struct AgendaLine {
    title: String,
    presenter: Option<String>,
    duration: Option<String>,
}

/// One line of the register as shown: the reason for apologies is the member's own
/// business and the secretariat's, so it is not shown to others.
struct RegisterRow {
    name: String,
    organisation: String,
    role: String,
    answer: Tag,
}

/// The answer form, with what the member typed and what was wrong with it.
#[derive(Default)]
struct AnswerForm {
    choice: String,
    reason: String,
    choice_error: Option<String>,
    reason_error: Option<String>,
    /// A refusal that is about the meeting rather than a field.
    general_error: Option<String>,
}

impl AnswerForm {
    fn has_errors(&self) -> bool {
        self.choice_error.is_some() || self.reason_error.is_some() || self.general_error.is_some()
    }
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    chrome: Chrome,
    id: Uuid,
    title: String,
    caption: String,
    when: String,
    mode: String,
    location: Option<String>,
    joining_link: Option<String>,
    /// What the mode expects that is not known yet ("To be confirmed").
    to_confirm: crate::service::meetings::PlaceToConfirm,
    status: Option<Tag>,
    status_reason: Option<String>,
    agenda: Vec<AgendaLine>,
    register: Vec<RegisterRow>,
    my_answer: Option<Tag>,
    my_reason: Option<String>,
    /// Whether the member may still answer.
    can_answer: bool,
    /// The meeting is over: no calendar link, and the register reads in the past.
    past: bool,
    /// Attendance has been recorded, so the register says who came.
    register_taken: bool,
    why_closed: Option<String>,
    form: AnswerForm,
    notes: Vec<NoteLink>,
    previous: Vec<PreviousAction>,
    /// `None` when the caller is not a person with meetings (the secretariat's
    /// own session); otherwise since when their feed works, if it does.
    feed: Option<Option<String>>,
    /// The link to the circulated draft note, with what to say beside it.
    note_round: Option<(String, String)>,
}

/// An outstanding action from an earlier meeting, as the caller may see it.
struct PreviousAction {
    reference: String,
    description: String,
    due: Option<String>,
    status: Tag,
}

async fn gather_meeting(
    state: &AppState,
    session: &WebSession,
    detail: MeetingDetail,
    form: AnswerForm,
) -> crate::Result<MeetingPage> {
    let caller = &session.caller;
    let MeetingDetail {
        meeting,
        group,
        agenda,
        register,
        previous_actions,
    } = detail;
    let previous = previous_actions
        .into_iter()
        .map(|action| PreviousAction {
            status: view::action_tag(&action.status),
            due: action.due_on.map(crate::domain::when::format_date),
            reference: action.reference,
            description: action.description,
        })
        .collect();
    let feed = match caller.member_person() {
        Some(person) => Some(
            calendar::active_feed(&state.db, caller, person)
                .await?
                .map(|f| view::published_day(f.created_at, &meeting)),
        ),
        None => None,
    };
    let presenters = people::names(
        &state.db,
        agenda.iter().filter_map(|item| item.presenter_person_id),
    )
    .await?;
    let agenda = agenda
        .into_iter()
        .map(|item| AgendaLine {
            presenter: item.presenter_text.clone().or_else(|| {
                item.presenter_person_id
                    .and_then(|id| presenters.get(&id).map(|p| p.name.clone()))
            }),
            duration: item.duration_minutes.map(|m| format!("{m} minutes")),
            title: item.title,
        })
        .collect();
    let mine = caller
        .member_person()
        .and_then(|person| register.iter().find(|line| line.person.id == person));
    let status: MeetingStatus = meeting.status.parse().unwrap_or(MeetingStatus::Scheduled);
    let started = meeting.starts_at <= now() || status == MeetingStatus::Held;
    let why_closed = match (mine, status) {
        (None, _) => None,
        (Some(_), MeetingStatus::Cancelled) => Some("The meeting was cancelled.".to_owned()),
        (Some(_), MeetingStatus::Postponed) => Some("The meeting was postponed.".to_owned()),
        (Some(_), _) if started => Some(
            "Answers closed when the meeting started. If you need to change yours, contact the secretariat."
                .to_owned(),
        ),
        _ => None,
    };
    let can_answer = mine.is_some() && why_closed.is_none();
    let mut form = form;
    if !form.has_errors()
        && let Some(line) = mine
    {
        form.choice = match line.attendance.status.as_str() {
            "accepted" | "apologies" => line.attendance.status.clone(),
            _ => String::new(),
        };
        form.reason = line.attendance.reason.clone().unwrap_or_default();
    }
    let notes = if started {
        note_links(state, caller, &meeting).await?
    } else {
        Vec::new()
    };
    let note_round = crate::service::note_comments::round_for(&state.db, caller, meeting.id)
        .await?
        .map(|round| match (round.open, round.deadline) {
            (true, Some(deadline)) => (
                "Read and comment on the draft summary note".to_owned(),
                format!(
                    "Comments close at the end of {}.",
                    crate::domain::when::format_date(deadline)
                ),
            ),
            _ => (
                "Your comments on the draft summary note".to_owned(),
                "Comments are closed; see the secretariat's replies.".to_owned(),
            ),
        });
    Ok(MeetingPage {
        note_round,
        chrome: Chrome::new(meeting.title.clone(), Some(session), Section::Meetings),
        id: meeting.id,
        caption: view::meeting_caption(&group, &meeting),
        when: view::meeting_when(&meeting),
        mode: meeting
            .mode
            .parse::<MeetingMode>()
            .map(|m| m.label().to_owned())
            .unwrap_or_else(|_| meeting.mode.clone()),
        location: meeting.location.clone(),
        joining_link: meeting.joining_link.clone(),
        to_confirm: crate::service::meetings::place_to_confirm(&meeting),
        status: view::meeting_status_tag(&meeting.status),
        status_reason: meeting.status_reason.clone(),
        agenda,
        my_answer: mine.map(|line| view::attendance_tag(&line.attendance.status)),
        my_reason: mine.and_then(|line| line.attendance.reason.clone()),
        register: register
            .iter()
            .map(|line| RegisterRow {
                name: line.person.name.clone(),
                organisation: line
                    .attendance
                    .organisation_name
                    .clone()
                    .unwrap_or_default(),
                role: view::role_label(&line.attendance.role),
                answer: view::attendance_tag(&line.attendance.status),
            })
            .collect(),
        can_answer,
        why_closed,
        past: started && (meeting.ends_at <= now() || status == MeetingStatus::Held),
        register_taken: register
            .iter()
            .any(|line| matches!(line.attendance.status.as_str(), "attended" | "absent")),
        form,
        notes,
        previous,
        feed,
        title: meeting.title,
    })
}

fn parse_id(raw: &str) -> Option<Uuid> {
    Uuid::parse_str(raw).ok()
}

#[handler]
pub async fn show(req: &Request, state: Data<&AppState>, Path(id): Path<String>) -> Response {
    let session = match visitor(req, &state).await {
        Ok(Some(session)) => session,
        Ok(None) => return must_sign_in(),
        Err(page) => return page,
    };
    let Some(id) = parse_id(&id) else {
        return not_found_page(Some(&session));
    };
    if session.caller.is_secretariat() {
        return see_other(&format!("/secretariat/meetings/{id}"));
    }
    let detail = match meetings::detail(&state.db, &session.caller, id).await {
        Ok(detail) => detail,
        Err(err) => return error_page(Some(&session), err),
    };
    match gather_meeting(&state, &session, detail, AnswerForm::default()).await {
        Ok(mut page) => {
            page.chrome = page.chrome.with_flash(req);
            render(StatusCode::OK, &page)
        }
        Err(err) => error_page(Some(&session), err),
    }
}

/// Accept, or send apologies with a reason.
#[handler]
pub async fn answer(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<String>,
    body: Body,
) -> Response {
    let (session, form_fields) = match signed_in_form(req, &state, body).await {
        Ok(signed_in) => signed_in,
        Err(page) => return page,
    };
    let Some(id) = parse_id(&id) else {
        return not_found_page(Some(&session));
    };
    let caller = &session.caller;
    let detail = match meetings::detail(&state.db, caller, id).await {
        Ok(detail) => detail,
        Err(err) => return error_page(Some(&session), err),
    };
    let Some(line) = caller.member_person().and_then(|person| {
        detail
            .register
            .iter()
            .find(|line| line.person.id == person)
            .map(|line| line.attendance.id)
    }) else {
        return message(
            StatusCode::FORBIDDEN,
            Some(&session),
            "You are not on this meeting's register",
            &[
                "Only people invited to a meeting can answer for it. If you should be invited, contact the secretariat.",
            ],
            Some((&format!("/meetings/{id}"), "Back to the meeting")),
        );
    };

    let mut form = AnswerForm {
        choice: form_fields.get("answer").unwrap_or_default().to_owned(),
        reason: form_fields.get("reason").unwrap_or_default().to_owned(),
        ..Default::default()
    };
    let status = match form.choice.as_str() {
        "accepted" => Some(AttendanceStatus::Accepted),
        "apologies" => Some(AttendanceStatus::Apologies),
        _ => {
            form.choice_error = Some("Choose whether you can come to the meeting".into());
            None
        }
    };
    let reason = form.reason.trim().to_owned();
    if status == Some(AttendanceStatus::Apologies) {
        if reason.is_empty() {
            form.reason_error = Some("Give a reason for your apologies".into());
        } else if reason.chars().count() > REASON_MAX {
            form.reason_error = Some(format!(
                "Your reason must be {REASON_MAX} characters or fewer; it has {}",
                reason.chars().count()
            ));
        }
    }
    let outcome = match (status, form.has_errors()) {
        (Some(status), false) => {
            let changes = AttendanceChanges {
                status: Some(status),
                reason: (status == AttendanceStatus::Apologies).then(|| Some(reason.clone())),
                role: None,
            };
            attendance::update(&state.db, caller, line, None, changes)
                .await
                .map(|stored| stored.attendance.status.parse().unwrap_or(status))
        }
        _ => Err(Error::Invalid(Vec::new())),
    };
    let status_code = match outcome {
        Ok(stored) => {
            let said = match stored {
                AttendanceStatus::Accepted => "Thank you. You are down as attending.",
                _ => "Thank you. Your apologies have been sent to the secretariat.",
            };
            return flash::redirect(req, &format!("/meetings/{id}"), said);
        }
        Err(Error::Invalid(errors)) => {
            for error in errors {
                let text = view::sentence(&format!("Your reason {}", error.message));
                match error.field.as_str() {
                    "reason" => form.reason_error = Some(text),
                    _ => form.general_error = Some(view::sentence(&error.message)),
                }
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(Error::Conflict(refusal)) => {
            // The lifecycle's refusal is worded for whoever keeps the register; a
            // member hears what it means for them.
            let started = detail.meeting.starts_at <= now() || detail.meeting.status != "scheduled";
            form.general_error = Some(if started {
                "Answers closed when the meeting started, so your answer was not changed. If you cannot come after all, email the secretariat.".to_owned()
            } else {
                view::sentence(&refusal)
            });
            StatusCode::CONFLICT
        }
        Err(err) => return error_page(Some(&session), err),
    };
    // The register is read again so the page shows what is stored now.
    let detail = match meetings::detail(&state.db, caller, id).await {
        Ok(detail) => detail,
        Err(err) => return error_page(Some(&session), err),
    };
    match gather_meeting(&state, &session, detail, form).await {
        Ok(page) => render(status_code, &page),
        Err(err) => error_page(Some(&session), err),
    }
}
