//! The public start page: summary notes published for everyone, by group, newest
//! first. Nothing else is visible without signing in.

use askama::Template;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Request, Response, handler};

use crate::domain::GroupKind;
use crate::service::notes::{self, PublishedNote};
use crate::service::page::PageParams;
use crate::startup::AppState;
use crate::web::view;
use crate::web::{Chrome, Section, error_page, render, visitor};

/// One published note to download.
#[derive(Debug, Clone)]
pub struct NoteLink {
    pub title: String,
    pub detail: String,
    pub href: String,
}

/// A group's published notes.
#[derive(Debug, Clone)]
pub struct GroupNotes {
    pub name: String,
    pub notes: Vec<NoteLink>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    groups: Vec<GroupNotes>,
}

#[handler]
pub async fn home(req: &Request, state: Data<&AppState>) -> Response {
    let session = match visitor(req, &state).await {
        Ok(session) => session,
        Err(page) => return page,
    };
    let groups = match public_notes(&state).await {
        Ok(groups) => groups,
        Err(err) => return error_page(session.as_ref(), err),
    };
    render(
        StatusCode::OK,
        &HomePage {
            chrome: Chrome::new("Published summary notes", session.as_ref(), Section::Notes),
            groups,
        },
    )
}

/// Every note published for the public, grouped: the main group first, then the
/// special interest groups by name; within a group, the newest meeting first.
async fn public_notes(state: &AppState) -> crate::Result<Vec<GroupNotes>> {
    let mut all: Vec<PublishedNote> = Vec::new();
    let mut cursor = None;
    loop {
        // No caller: exactly what an anonymous reader may read, so only notes whose
        // current version is public.
        let page = notes::list_published(
            &state.db,
            None,
            None,
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
    all.retain(|n| n.current.audience == "public");
    all.sort_by(|a, b| {
        let main = |n: &PublishedNote| n.group.kind != GroupKind::Rr3.as_str();
        (
            main(a),
            &a.group.name,
            std::cmp::Reverse(a.meeting.starts_at),
        )
            .cmp(&(
                main(b),
                &b.group.name,
                std::cmp::Reverse(b.meeting.starts_at),
            ))
    });
    let mut groups: Vec<GroupNotes> = Vec::new();
    for note in all {
        let link = public_link(&note);
        match groups.last_mut() {
            Some(last) if last.name == note.group.name => last.notes.push(link),
            _ => groups.push(GroupNotes {
                name: note.group.name.clone(),
                notes: vec![link],
            }),
        }
    }
    Ok(groups)
}

/// A public note's line: the meeting, its day in the meeting's zone, and the
/// download of the stored document (the page's own address, so that a version that
/// does not exist answers with a page, not with the API's problem document).
fn public_link(note: &PublishedNote) -> NoteLink {
    let mut day = view::meeting_day(&note.meeting);
    if let Some(second) = &note.second_meeting {
        day = format!("{day} and {}", view::meeting_day(second));
    }
    NoteLink {
        title: format!(
            "Meeting {}: {} (Word document)",
            note.meeting.number, note.meeting.title
        ),
        detail: format!(
            "Met {day}. Version {}, published {}, {}",
            note.current.number,
            view::published_day(note.current.published_at, &note.meeting),
            view::file_size(note.current.size_bytes),
        ),
        href: format!(
            "/notes/{}/versions/{}/document",
            note.note.id, note.current.number
        ),
    }
}
