//! Members' comments on a circulated summary note
//! (`/meetings/{id}/summary-note/comments`, `/note-comments/{id}`), and the
//! circulated draft members read (`/meetings/{id}/summary-note/circulated-document`).

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::error::ApiResult;
use super::notes::content_disposition;
use super::{ApiTags, Found, Page, etag, parse_if_match};
use crate::auth::BearerToken;
use crate::domain::{CommentDecision, CommentStatus};
use crate::service::note_comments::{self, CommentInput, CommentView};
use crate::service::notes;
use crate::startup::AppState;

/// A comment on a circulated note.
#[derive(Debug, Object)]
pub struct NoteCommentIn {
    /// What the comment says.
    pub body: String,
    /// The agenda item it is about (one members can read); left out: the whole note.
    pub agenda_item_id: Option<Uuid>,
    /// Secretariat only, and then required: the member or attending official whose
    /// comment this is (one that reached the secretariat by email, say). Members
    /// leave it out: their comments are their own.
    pub person_id: Option<Uuid>,
}

/// The secretariat's decision on a comment.
#[derive(Debug, Object)]
pub struct NoteCommentDecisionIn {
    /// `adopted` (the note takes it in) or `not_adopted`.
    pub decision: CommentDecision,
    /// A reply the comment's author sees.
    pub reply: Option<String>,
}

/// A comment on a note. Comments never appear in any rendition of the note.
#[derive(Debug, Object)]
pub struct NoteCommentOut {
    /// The comment's id.
    pub id: Uuid,
    /// The note.
    pub note_id: Uuid,
    /// The meeting the note is about.
    pub meeting_id: Uuid,
    /// Who made it.
    pub person_id: Uuid,
    /// Their name.
    pub person_name: String,
    /// The agenda item it is about; `null`: the whole note.
    pub agenda_item_id: Option<Uuid>,
    /// That item's title.
    pub agenda_item_title: Option<String>,
    /// What it says.
    pub body: String,
    /// open, withdrawn, adopted or not_adopted.
    pub status: CommentStatus,
    /// The secretariat's reply.
    pub reply: Option<String>,
    /// Who wrote it down: its author, or the secretariat on their behalf.
    pub recorded_by: String,
    /// When the secretariat decided on it.
    pub decided_at: Option<DateTime<Utc>>,
    /// When its author withdrew it.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Edit version, also sent as the `ETag`; send it in `If-Match`.
    pub version: i32,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

crate::resource!(NoteCommentOut, "note-comments");

impl From<CommentView> for NoteCommentOut {
    fn from(view: CommentView) -> Self {
        let status = view.status();
        let c = view.comment;
        Self {
            id: c.id,
            note_id: c.note_id,
            meeting_id: view.meeting_id,
            person_id: c.person_id,
            person_name: view.person_name,
            agenda_item_id: c.agenda_item_id,
            agenda_item_title: view.item_title,
            body: c.body,
            status,
            reply: c.reply,
            recorded_by: c.recorded_by,
            decided_at: c.decided_at,
            withdrawn_at: c.withdrawn_at,
            version: c.version,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// The comments.
#[derive(ApiResponse)]
pub enum CommentsListed {
    /// Every comment on the note (the secretariat), or the caller's own (a member),
    /// oldest first.
    #[oai(status = 200)]
    Ok(Json<Page<NoteCommentOut>>),
}

/// A comment was made.
#[derive(ApiResponse)]
pub enum CommentCreated {
    /// The comment. `ETag` carries its version.
    #[oai(status = 201)]
    Created(
        Json<NoteCommentOut>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Location")] String,
    ),
}

/// The circulated draft.
#[derive(ApiResponse)]
pub enum CirculatedDocument {
    /// The note as members receive it, marked DRAFT.
    #[oai(
        status = 200,
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

pub struct NoteCommentsApi;

#[OpenApi(tag = "ApiTags::SummaryNotes")]
impl NoteCommentsApi {
    /// Download the circulated draft
    ///
    /// While the note is circulated and its comment deadline has not passed: the
    /// draft as members receive it (items reserved to the secretariat left out),
    /// marked DRAFT. For the group's current members, the officials who attended,
    /// and the secretariat; 409 once comments are closed.
    #[oai(
        path = "/meetings/:id/summary-note/circulated-document",
        method = "get",
        operation_id = "summary_notes.circulated_document"
    )]
    async fn circulated_document(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
    ) -> ApiResult<CirculatedDocument> {
        let (bytes, name) = notes::circulated_document(&state.db, &auth.0, id.0).await?;
        Ok(CirculatedDocument::Ok(
            Binary(bytes),
            content_disposition(&name),
            "private, no-store".into(),
        ))
    }

    /// List comments on a note
    ///
    /// The secretariat sees every comment; a member or attending official sees their
    /// own, with the secretariat's decision and reply.
    #[oai(
        path = "/meetings/:id/summary-note/comments",
        method = "get",
        operation_id = "note_comments.list"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
    ) -> ApiResult<CommentsListed> {
        let rows = note_comments::list(&state.db, &auth.0, id.0).await?;
        Ok(CommentsListed::Ok(Json(Page {
            items: rows.into_iter().map(NoteCommentOut::from).collect(),
            next_cursor: None,
        })))
    }

    /// Comment on a circulated note
    ///
    /// While the note is circulated and until the end of its comment deadline (409
    /// otherwise): the group's current members and the officials who attended comment
    /// on an agenda item or the whole note. The secretariat records a comment on
    /// someone's behalf with `person_id`.
    #[oai(
        path = "/meetings/:id/summary-note/comments",
        method = "post",
        operation_id = "note_comments.create"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        body: Json<NoteCommentIn>,
    ) -> ApiResult<CommentCreated> {
        let body = body.0;
        let view = note_comments::create(
            &state.db,
            &auth.0,
            id.0,
            CommentInput {
                person_id: body.person_id,
                agenda_item_id: body.agenda_item_id,
                body: body.body,
            },
        )
        .await?;
        let out = NoteCommentOut::from(view);
        let tag = etag(out.version);
        let location = format!("/api/v1/note-comments/{}", out.id);
        Ok(CommentCreated::Created(Json(out), tag, location))
    }

    /// Get a comment
    ///
    /// Its author or the secretariat.
    #[oai(
        path = "/note-comments/:id",
        method = "get",
        operation_id = "note_comments.get"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The comment's id.
        id: Path<Uuid>,
    ) -> ApiResult<Found<NoteCommentOut>> {
        let view = note_comments::get(&state.db, &auth.0, id.0).await?;
        Ok(Found::of(NoteCommentOut::from(view)))
    }

    /// Withdraw a comment
    ///
    /// Its author (or the secretariat for them), while comments are open and before
    /// the secretariat has decided on it.
    #[oai(
        path = "/note-comments/:id/withdraw",
        method = "post",
        operation_id = "note_comments.withdraw"
    )]
    async fn withdraw(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The comment's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
    ) -> ApiResult<Found<NoteCommentOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let view = note_comments::withdraw(&state.db, &auth.0, id.0, expected).await?;
        Ok(Found::of(NoteCommentOut::from(view)))
    }

    /// Decide on a comment
    ///
    /// Secretariat only: mark the comment `adopted` or `not_adopted`, with an
    /// optional `reply` its author sees. A decision may be changed; a withdrawn
    /// comment answers 409.
    #[oai(
        path = "/note-comments/:id/decision",
        method = "post",
        operation_id = "note_comments.decide"
    )]
    async fn decide(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The comment's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<NoteCommentDecisionIn>,
    ) -> ApiResult<Found<NoteCommentOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let view = note_comments::decide(
            &state.db,
            &auth.0,
            id.0,
            expected,
            body.0.decision,
            body.0.reply.as_deref(),
        )
        .await?;
        Ok(Found::of(NoteCommentOut::from(view)))
    }
}
