//! The dashboard's list of notes with unanswered comments.

use askama::Template;

use crate::domain::NoteStatus;
use crate::domain::when::format_date;
use crate::service::note_comments;
use crate::service::sign_in::WebSession;
use crate::startup::AppState;
use crate::web::view;

use super::note_path;

/// One line of the dashboard's "Comments waiting for a decision".
pub struct NoteCommentsRow {
    pub href: String,
    pub label: String,
    pub day: String,
    pub unanswered: usize,
    pub stage: String,
}

/// The dashboard's partial on its own, for a page that renders it as a block
/// (`{{ comments|safe }}`) rather than including the template.
#[derive(Template)]
#[template(path = "workspace/notes/dashboard_comments.html")]
pub struct DashboardComments {
    pub note_comments: Vec<NoteCommentsRow>,
}

/// Notes with comments the secretariat has not decided on, for the dashboard
/// (`templates/workspace/notes/dashboard_comments.html` renders them from a page
/// field named `note_comments`).
pub async fn dashboard_rows(
    state: &AppState,
    session: &WebSession,
) -> crate::Result<Vec<NoteCommentsRow>> {
    Ok(
        note_comments::notes_awaiting_replies(&state.db, &session.caller)
            .await?
            .into_iter()
            .map(|n| NoteCommentsRow {
                href: format!("{}#comments", note_path(n.meeting.id, "")),
                label: format!(
                    "{} {}: {}",
                    n.group.short_name, n.meeting.number, n.meeting.title
                ),
                day: view::meeting_day(&n.meeting),
                unanswered: n.unanswered,
                stage: match (n.note_status, n.comment_deadline) {
                    (NoteStatus::Circulated, Some(d)) => {
                        format!("Circulated, comments close {}", format_date(d))
                    }
                    (status, _) => view::sentence_case(status.as_str()),
                },
            })
            .collect(),
    )
}
