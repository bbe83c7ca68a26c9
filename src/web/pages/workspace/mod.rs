//! The secretariat's workspace, under `/secretariat/…`: every step of running the
//! groups, their meetings, registers, actions and notes, as pages and forms.
//!
//! Each area is a module with its page handlers, its form structs and a
//! `routes(route)` that adds its addresses. Every handler starts with [`workspace`]
//! (a page) or [`workspace_form`] (a posted form): a signed-out visitor is sent to
//! sign in, a member gets a plain refusal, and a form without the session's CSRF
//! token changes nothing. What may be done is still decided by the services, with the
//! session's [`Caller`](crate::auth::Caller), exactly as for the API.

pub mod access;
pub mod actions;
pub mod agenda;
pub mod audit;
pub mod directory;
pub mod groups;
pub mod meetings;
pub mod notes;
pub mod register;

use poem::http::StatusCode;
use poem::{Body, Request, Response, Route};
use uuid::Uuid;

use crate::service::page::PageParams;
use crate::service::sign_in::WebSession;
use crate::service::{organisations, people};
use crate::startup::AppState;
use crate::web::form::{Choice, FormFields};
use crate::web::{Chrome, Section, csrf_refused, message, must_sign_in, visitor};

/// Each area's routes, in no particular order.
const AREAS: &[fn(Route) -> Route] = &[
    directory::routes,
    access::routes,
    audit::routes,
    actions::routes,
    agenda::routes,
    register::routes,
    groups::routes,
    meetings::routes,
    notes::routes,
];

/// Adds every workspace page to `route`.
pub fn routes(route: Route) -> Route {
    AREAS.iter().fold(route, |route, add| add(route))
}

/// The signed-in secretariat person behind a workspace page, or the answer to give
/// anyone else: signed-out visitors go to sign in; members are refused plainly,
/// without a glimpse of the workspace.
pub async fn workspace(req: &Request, state: &AppState) -> Result<WebSession, Response> {
    let Some(session) = visitor(req, state).await? else {
        return Err(must_sign_in());
    };
    if !session.caller.is_secretariat() {
        return Err(not_for_members(&session));
    }
    Ok(session)
}

/// A form posted from a workspace page: the session and the form's fields once the
/// person is known to be the secretariat and the CSRF token has been checked.
pub async fn workspace_form(
    req: &Request,
    state: &AppState,
    body: Body,
) -> Result<(WebSession, FormFields), Response> {
    let session = workspace(req, state).await?;
    let form = FormFields::parse(&body.into_vec().await.unwrap_or_default());
    if !form.has_csrf(&session.csrf_token) {
        return Err(csrf_refused(Some(&session)));
    }
    Ok((session, form))
}

/// The refusal a member sees on a workspace address.
pub fn not_for_members(session: &WebSession) -> Response {
    message(
        StatusCode::FORBIDDEN,
        Some(session),
        "This page is for the secretariat",
        &["You are signed in as a member, and this page is part of the secretariat's workspace."],
        Some(("/meetings", "Go to your meetings")),
    )
}

/// The frame of a workspace page, with the message the last form left.
pub fn chrome(req: &Request, session: &WebSession, title: &str, section: Section) -> Chrome {
    Chrome::new(title, Some(session), section).with_flash(req)
}

/// Every row a paged service list gives, for choices and short lists.
pub async fn every<T, F, Fut>(mut fetch: F) -> crate::Result<Vec<T>>
where
    F: FnMut(PageParams) -> Fut,
    Fut: std::future::Future<Output = crate::Result<crate::service::page::Page<T>>>,
{
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = fetch(PageParams {
            limit: Some(200),
            cursor,
        })
        .await?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(all),
        }
    }
}

/// Organisations to choose from, by name.
pub async fn organisation_choices(
    state: &AppState,
    session: &WebSession,
) -> crate::Result<Vec<Choice>> {
    let all = every(|page| async move {
        organisations::list(&state.db, &session.caller, None, &page).await
    })
    .await?;
    Ok(all
        .into_iter()
        .map(|o| Choice::new(o.id.to_string(), o.name))
        .collect())
}

/// People to choose from, by name, with their organisation where they have one
/// ("Ana Costa (Nacro)"), so that two people of one name can be told apart.
pub async fn person_choices(state: &AppState, session: &WebSession) -> crate::Result<Vec<Choice>> {
    let everyone = every(|page| async move {
        people::list(&state.db, &session.caller, Default::default(), &page).await
    })
    .await?;
    let organisations: std::collections::HashMap<Uuid, String> = every(|page| async move {
        organisations::list(&state.db, &session.caller, None, &page).await
    })
    .await?
    .into_iter()
    .map(|o| (o.id, o.name))
    .collect();
    Ok(everyone
        .into_iter()
        .map(|p| {
            let label = match p.organisation_id.and_then(|o| organisations.get(&o)) {
                Some(org) => format!("{} ({org})", p.name),
                None => p.name.clone(),
            };
            Choice::new(p.id.to_string(), label)
        })
        .collect())
}

/// Groups to choose from: RR3 first, then its SIGs, by name.
pub async fn group_choices(state: &AppState, session: &WebSession) -> crate::Result<Vec<Choice>> {
    let mut all = every(|page| async move {
        crate::service::groups::list(&state.db, &session.caller, Default::default(), &page).await
    })
    .await?;
    all.sort_by(|a, b| (a.kind != "rr3", &a.name).cmp(&(b.kind != "rr3", &b.name)));
    Ok(all
        .into_iter()
        .map(|g| Choice::new(g.id.to_string(), format!("{} ({})", g.name, g.short_name)))
        .collect())
}

/// The values of an enumeration as choices, labelled in words.
pub fn enum_choices<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
) -> Vec<Choice> {
    all.iter()
        .map(|&item| Choice::new(value(item), label(item)))
        .collect()
}

/// The parts of a meeting's workspace, each its own page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingTab {
    Overview,
    Agenda,
    Register,
    Actions,
    Note,
}

impl MeetingTab {
    const ALL: [MeetingTab; 5] = [
        MeetingTab::Overview,
        MeetingTab::Agenda,
        MeetingTab::Register,
        MeetingTab::Actions,
        MeetingTab::Note,
    ];

    fn label(self) -> &'static str {
        match self {
            MeetingTab::Overview => "Overview",
            MeetingTab::Agenda => "Agenda",
            MeetingTab::Register => "Invitations and register",
            MeetingTab::Actions => "Actions",
            MeetingTab::Note => "Summary note",
        }
    }

    fn path(self) -> &'static str {
        match self {
            MeetingTab::Overview => "",
            MeetingTab::Agenda => "/agenda",
            MeetingTab::Register => "/register",
            MeetingTab::Actions => "/actions",
            MeetingTab::Note => "/note",
        }
    }
}

/// One link of a meeting's navigation.
#[derive(Debug, Clone)]
pub struct TabLink {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

/// What heads every page of a meeting's workspace: which meeting, when and where,
/// its status, and the links to its other pages. Rendered by
/// `templates/workspace/meeting_header.html` from a page's `header` field.
#[derive(Debug, Clone)]
pub struct MeetingHeader {
    pub meeting: entity::meeting::Model,
    pub group: entity::group::Model,
    /// "Future Regime Design SIG, meeting 5".
    pub caption: String,
    /// "Thursday 12 March 2026, 10:00–12:00 GMT".
    pub when: String,
    pub status: Option<crate::web::view::Tag>,
    pub tabs: Vec<TabLink>,
    /// The page's own heading, under the meeting's title ("Agenda").
    pub page: &'static str,
}

impl MeetingHeader {
    /// The address of this meeting's workspace page.
    pub fn href(&self) -> String {
        format!("/secretariat/meetings/{}", self.meeting.id)
    }
}

/// The header of a meeting's workspace page, `tab` being the page shown.
pub async fn meeting_header(
    state: &AppState,
    session: &WebSession,
    meeting_id: Uuid,
    tab: MeetingTab,
) -> crate::Result<MeetingHeader> {
    use crate::web::view;
    let meeting = crate::service::meetings::get(&state.db, &session.caller, meeting_id).await?;
    let group = crate::service::groups::get(&state.db, &session.caller, meeting.group_id).await?;
    let tabs = MeetingTab::ALL
        .iter()
        .map(|&t| TabLink {
            href: format!("/secretariat/meetings/{meeting_id}{}", t.path()),
            label: t.label(),
            current: t == tab,
        })
        .collect();
    Ok(MeetingHeader {
        caption: view::meeting_caption(&group, &meeting),
        when: view::meeting_when(&meeting),
        status: view::meeting_status_tag(&meeting.status).or_else(|| {
            (meeting.status == "held").then(|| view::Tag {
                label: "Held".into(),
                class: "tag-green",
            })
        }),
        tabs,
        page: tab.label(),
        meeting,
        group,
    })
}
