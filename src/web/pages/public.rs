//! The public start page: summary notes published for everyone, by group, newest
//! first. Nothing else is visible without signing in.

use askama::Template;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Request, Response, handler};

use crate::startup::AppState;
use crate::web::{Chrome, Section, render, visitor};

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
    let groups = Vec::new();
    render(
        StatusCode::OK,
        &HomePage {
            chrome: Chrome::new("Published summary notes", session.as_ref(), Section::Notes),
            groups,
        },
    )
}
