//! A meeting's summary note in the secretariat's workspace: the editor laid out from
//! the agenda, with members' comments beside each item and the warnings beside the
//! point they concern; the preview for each audience; the lifecycle as buttons
//! (circulate with a deadline, approve, publish after checking the answers, revise
//! with a reason); and the published versions.
//!
//! Every step calls the same service function as the API operation of the same name,
//! with the session's caller; the rules (who may do what, which state allows it,
//! what each audience sees) are the services'.

mod dashboard;
mod editor;
mod steps;

pub use dashboard::{DashboardComments, NoteCommentsRow, dashboard_rows};

use poem::{EndpointExt, Route, get, post};
use uuid::Uuid;

use crate::web::SecureHeaders;

pub fn routes(route: Route) -> Route {
    route
        .at(
            "/secretariat/meetings/:id/note",
            get(editor::editor_page)
                .post(editor::editor_save)
                .with(SecureHeaders),
        )
        .at(
            "/secretariat/meetings/:id/note/preview",
            get(steps::preview_page).with(SecureHeaders),
        )
        .at(
            "/secretariat/meetings/:id/note/circulate",
            get(steps::circulate_page)
                .post(steps::circulate_save)
                .with(SecureHeaders),
        )
        .at(
            "/secretariat/meetings/:id/note/approve",
            post(steps::approve_save).with(SecureHeaders),
        )
        .at(
            "/secretariat/meetings/:id/note/publish",
            get(steps::publish_page)
                .post(steps::publish_save)
                .with(SecureHeaders),
        )
        .at(
            "/secretariat/meetings/:id/note/revise",
            get(steps::revise_page)
                .post(steps::revise_save)
                .with(SecureHeaders),
        )
        .at(
            "/secretariat/meetings/:id/note/versions",
            get(steps::versions_page).with(SecureHeaders),
        )
        .at(
            "/secretariat/note-comments/:id/decision",
            post(steps::decision_save).with(SecureHeaders),
        )
}

fn note_path(id: Uuid, rest: &str) -> String {
    format!("/secretariat/meetings/{id}/note{rest}")
}
