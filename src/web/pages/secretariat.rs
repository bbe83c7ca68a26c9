//! The secretariat's dashboard: what needs attention, each line linking to the
//! workspace page that acts on it.

use askama::Template;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Request, Response, handler};
use uuid::Uuid;

use crate::domain::values::now;
use crate::domain::when;
use crate::service::actions::{self, ActionFilter};
use crate::service::meetings::{self, MeetingFilter};
use crate::service::page::PageParams;
use crate::service::sign_in::WebSession;
use crate::service::{find_or_404, notes, people};
use crate::startup::AppState;
use crate::web::pages::meetings::{all_meetings, groups_of};
use crate::web::pages::workspace;
use crate::web::view;
use crate::web::{Chrome, Section, error_page, render};

/// The most upcoming meetings listed.
const UPCOMING_SHOWN: usize = 20;

struct UpcomingRow {
    id: Uuid,
    day: String,
    group: String,
    title: String,
    accepted: usize,
    apologies: usize,
    unanswered: usize,
    status: Option<view::Tag>,
}

struct OverdueRow {
    id: Uuid,
    reference: String,
    description: String,
    owner: String,
    due: String,
}

/// A note waiting for the secretariat's next step.
pub struct PendingNote {
    pub meeting_id: Uuid,
    pub label: String,
    pub day: String,
    pub stage: String,
    /// What to do next, as the link's words ("Approve the note").
    pub next_step: String,
}

/// A meeting whose time has passed but which is not yet marked held, so its
/// register and note wait.
struct UnheldRow {
    id: Uuid,
    group: String,
    title: String,
    day: String,
}

#[derive(Template)]
#[template(path = "secretariat.html")]
struct DashboardPage {
    chrome: Chrome,
    upcoming: Vec<UpcomingRow>,
    unheld: Vec<UnheldRow>,
    overdue: Vec<OverdueRow>,
    notes: Vec<PendingNote>,
    /// Notes whose members' comments wait for a decision.
    note_comments: Vec<workspace::notes::NoteCommentsRow>,
}

/// Notes circulated (awaiting approval) or approved (awaiting publication).
async fn pending_notes(state: &AppState, session: &WebSession) -> crate::Result<Vec<PendingNote>> {
    let waiting = notes::awaiting(&state.db, &session.caller).await?;
    Ok(waiting
        .into_iter()
        .map(|w| {
            let (stage, next_step) = match w.note.status.as_str() {
                "circulated" => (
                    match w.note.comment_deadline {
                        Some(day) => format!(
                            "Circulated, comments by {}; awaiting approval",
                            when::format_date(day)
                        ),
                        None => "Circulated; awaiting approval".to_owned(),
                    },
                    "Approve the note",
                ),
                _ => (
                    match w.note.approved_on {
                        Some(day) => {
                            format!("Agreed {}; awaiting publication", when::format_date(day))
                        }
                        None => "Agreed; awaiting publication".to_owned(),
                    },
                    "Publish the note",
                ),
            };
            PendingNote {
                meeting_id: w.meeting.id,
                label: format!(
                    "{} {}: {}",
                    w.group.short_name, w.meeting.number, w.meeting.title
                ),
                day: view::meeting_day(&w.meeting),
                stage,
                next_step: next_step.to_owned(),
            }
        })
        .collect())
}

async fn gather(
    req: &Request,
    state: &AppState,
    session: &WebSession,
) -> crate::Result<DashboardPage> {
    let caller = &session.caller;
    let at = now();
    let mut unheld = all_meetings(state, caller, || MeetingFilter {
        to: Some(at),
        ..Default::default()
    })
    .await?;
    unheld.retain(|m| m.status == "scheduled" && m.ends_at < at);
    unheld.reverse();
    let unheld_groups = groups_of(state, &unheld).await?;
    let unheld_rows = unheld
        .iter()
        .map(|m| UnheldRow {
            id: m.id,
            group: unheld_groups
                .get(&m.group_id)
                .map(|g| format!("{} {}", g.short_name, m.number))
                .unwrap_or_default(),
            title: m.title.clone(),
            day: view::meeting_day(m),
        })
        .collect();
    let mut upcoming = all_meetings(state, caller, || MeetingFilter {
        from: Some(at),
        ..Default::default()
    })
    .await?;
    upcoming.truncate(UPCOMING_SHOWN);
    let groups = groups_of(state, &upcoming).await?;
    let mut upcoming_rows = Vec::new();
    for meeting in &upcoming {
        let register = meetings::register(&state.db, meeting.id).await?;
        let count = |status: &str| {
            register
                .iter()
                .filter(|line| line.attendance.status == status)
                .count()
        };
        upcoming_rows.push(UpcomingRow {
            id: meeting.id,
            day: view::meeting_when(meeting),
            group: groups
                .get(&meeting.group_id)
                .map(|g| format!("{} {}", g.short_name, meeting.number))
                .unwrap_or_default(),
            title: meeting.title.clone(),
            accepted: count("accepted"),
            apologies: count("apologies"),
            unanswered: count("invited"),
            status: view::meeting_status_tag(&meeting.status),
        });
    }

    let overdue = actions::list(
        &state.db,
        caller,
        ActionFilter {
            overdue: Some(true),
            ..Default::default()
        },
        &PageParams {
            limit: Some(200),
            cursor: None,
        },
    )
    .await?
    .items;
    let owners = people::names(&state.db, overdue.iter().filter_map(|a| a.owner_person_id)).await?;
    let mut overdue_rows = Vec::new();
    for action in overdue {
        let owner = match (
            action.owner_person_id,
            action.owner_organisation_id,
            &action.owner_text,
        ) {
            (Some(person), _, _) => owners
                .get(&person)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            (_, Some(organisation), _) => {
                find_or_404::<entity::organisation::Entity>(&state.db, organisation)
                    .await
                    .map(|o| o.name)
                    .unwrap_or_default()
            }
            (_, _, Some(text)) => text.clone(),
            _ => String::new(),
        };
        overdue_rows.push(OverdueRow {
            id: action.id,
            reference: action.reference,
            description: action.description,
            owner,
            due: action.due_on.map(when::format_date).unwrap_or_default(),
        });
    }
    Ok(DashboardPage {
        chrome: workspace::chrome(req, session, "Secretariat dashboard", Section::Secretariat),
        upcoming: upcoming_rows,
        unheld: unheld_rows,
        overdue: overdue_rows,
        notes: pending_notes(state, session).await?,
        note_comments: workspace::notes::dashboard_rows(state, session).await?,
    })
}

#[handler]
pub async fn dashboard(req: &Request, state: Data<&AppState>) -> Response {
    let session = match workspace::workspace(req, &state).await {
        Ok(session) => session,
        Err(page) => return page,
    };
    match gather(req, &state, &session).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(err) => error_page(Some(&session), err),
    }
}
