//! A member's side of a circulated summary note, at `/meetings/{id}/note`: the
//! draft as members receive it (the same assembled rendition as the DRAFT Word
//! document), the form to comment on an item or the whole note, and the member's
//! own comments with the secretariat's decisions and replies, each withdrawable
//! until the deadline.

use askama::Template;
use poem::http::{StatusCode, header};
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};
use uuid::Uuid;

use crate::Error;
use crate::api::notes::{DOCX, content_disposition};
use crate::domain::CommentStatus;
use crate::domain::when::format_date;
use crate::service::note_comments::{self, CommentInput};
use crate::service::sign_in::WebSession;
use crate::service::{meetings, notes};
use crate::startup::AppState;
use crate::web::flash;
use crate::web::form::{Choice, FieldErrors, FormFields};
use crate::web::note_rendition::Rendition;
use crate::web::view::{self, Tag};
use crate::web::{
    Chrome, Section, error_page, must_sign_in, not_found_page, render, signed_in_form, visitor,
};

struct OwnComment {
    id: Uuid,
    about: String,
    body: String,
    status: Tag,
    reply: Option<String>,
    withdrawable: bool,
    version: i32,
}

#[derive(Template)]
#[template(path = "note_comments.html")]
struct NotePage {
    chrome: Chrome,
    id: Uuid,
    caption: String,
    title: String,
    /// Why comments are closed, or `None` while open.
    closed: Option<String>,
    deadline: String,
    form: FormFields,
    errors: FieldErrors,
    items: Vec<Choice>,
    comments: Vec<OwnComment>,
    rendition: Option<String>,
}

fn status_tag(status: CommentStatus) -> Tag {
    let (label, class) = match status {
        CommentStatus::Open => ("Sent: waiting for the secretariat", "tag-yellow"),
        CommentStatus::Withdrawn => ("Withdrawn", "tag-grey"),
        CommentStatus::Adopted => ("Adopted", "tag-green"),
        CommentStatus::NotAdopted => ("Not adopted", "tag-grey"),
    };
    Tag {
        label: label.into(),
        class,
    }
}

async fn show(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    id: Uuid,
    status: StatusCode,
    form: FormFields,
    errors: FieldErrors,
) -> Response {
    let caller = &session.caller;
    let meeting = match meetings::get(&state.db, caller, id).await {
        Ok(m) => m,
        Err(Error::Forbidden(_)) => {
            // Officials who attended are not members of the group: they reach the
            // note through its own rules below.
            match crate::service::find_or_404::<entity::meeting::Entity>(&state.db, id).await {
                Ok(m) => m,
                Err(err) => return error_page(Some(session), err),
            }
        }
        Err(err) => return error_page(Some(session), err),
    };
    let own = match note_comments::list(&state.db, caller, id).await {
        Ok(c) => c,
        Err(err) => return error_page(Some(session), err),
    };
    let (rendition, closed) = match notes::circulated_rendition(&state.db, caller, id).await {
        Ok(r) => (Some(r), None),
        Err(Error::Conflict(why)) => (None, Some(view::sentence(&why))),
        Err(Error::Forbidden(_)) => (
            None,
            Some("You can no longer read the draft: it is for the group's current members and the officials who attended.".into()),
        ),
        Err(err) => return error_page(Some(session), err),
    };
    let items = if closed.is_none() {
        match note_comments::commentable_items(&state.db, caller, id).await {
            Ok(items) => items
                .into_iter()
                .map(|(id, title)| Choice::new(id.to_string(), title))
                .collect(),
            Err(err) => return error_page(Some(session), err),
        }
    } else {
        Vec::new()
    };
    let group =
        match crate::service::find_or_404::<entity::group::Entity>(&state.db, meeting.group_id)
            .await
        {
            Ok(g) => g,
            Err(err) => return error_page(Some(session), err),
        };
    let deadline = rendition
        .as_ref()
        .and_then(|r| match r.document.status {
            crate::notes::model::NoteStatus::Circulated { comment_deadline } => {
                Some(format_date(comment_deadline))
            }
            _ => None,
        })
        .unwrap_or_default();
    let page = NotePage {
        chrome: Chrome::new("Draft summary note", Some(session), Section::Meetings).with_flash(req),
        id,
        caption: view::meeting_caption(&group, &meeting),
        title: meeting.title.clone(),
        deadline,
        form,
        errors,
        items,
        comments: own
            .iter()
            .map(|c| {
                let status = c.status();
                OwnComment {
                    id: c.comment.id,
                    about: c
                        .item_title
                        .clone()
                        .unwrap_or_else(|| "The whole note".into()),
                    body: c.comment.body.clone(),
                    status: status_tag(status),
                    reply: c.comment.reply.clone(),
                    withdrawable: closed.is_none() && status == CommentStatus::Open,
                    version: c.comment.version,
                }
            })
            .collect(),
        rendition: rendition.map(|r| Rendition::html(&r.document)),
        closed,
    };
    render(status, &page)
}

/// `GET /meetings/{id}/note`.
#[handler]
pub async fn note_page(req: &Request, state: Data<&AppState>, Path(id): Path<String>) -> Response {
    let session = match visitor(req, &state).await {
        Ok(Some(session)) => session,
        Ok(None) => return must_sign_in(),
        Err(page) => return page,
    };
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found_page(Some(&session));
    };
    if session.caller.is_secretariat() {
        // The secretariat reads and answers comments beside its editor.
        return crate::web::see_other(&format!("/secretariat/meetings/{id}/note#comments"));
    }
    show(
        req,
        &state,
        &session,
        id,
        StatusCode::OK,
        FormFields::default(),
        FieldErrors::default(),
    )
    .await
}

/// `POST /meetings/{id}/note/comments`: a new comment.
#[handler]
pub async fn comment_create(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<String>,
    body: Body,
) -> Response {
    let (session, form) = match signed_in_form(req, &state, body).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found_page(Some(&session));
    };
    let mut errors = FieldErrors::default();
    let item = form.choice("agenda_item_id", &mut errors, "an item");
    if errors.is_empty() {
        let input = CommentInput {
            person_id: None,
            agenda_item_id: item,
            body: form.text("body"),
        };
        match note_comments::create(&state.db, &session.caller, id, input).await {
            Ok(_) => {
                return flash::redirect(
                    req,
                    &format!("/meetings/{id}/note#your-comments"),
                    "Thank you. Your comment was sent to the secretariat.",
                );
            }
            Err(err) => {
                let err = match err {
                    Error::Invalid(fields) => Error::Invalid(
                        fields
                            .into_iter()
                            .map(|mut f| {
                                if f.field == "body" {
                                    f.message = format!("Your comment {}", f.message);
                                }
                                f
                            })
                            .collect(),
                    ),
                    other => other,
                };
                if let Err(other) = errors.absorb(err, &[], "send") {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    let status = if errors.get("send").is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    show(req, &state, &session, id, status, form, errors).await
}

/// `POST /meetings/{id}/note/comments/{comment}/withdraw`.
#[handler]
pub async fn comment_withdraw(
    req: &Request,
    state: Data<&AppState>,
    Path((id, comment)): Path<(String, String)>,
    body: Body,
) -> Response {
    let (session, form) = match signed_in_form(req, &state, body).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let (Ok(id), Ok(comment)) = (Uuid::parse_str(&id), Uuid::parse_str(&comment)) else {
        return not_found_page(Some(&session));
    };
    let back = format!("/meetings/{id}/note#your-comments");
    match note_comments::withdraw(&state.db, &session.caller, comment, form.version()).await {
        Ok(_) => flash::redirect(req, &back, "Your comment was withdrawn."),
        Err(Error::Conflict(why)) => flash::redirect(
            req,
            &back,
            &format!("Your comment was not withdrawn: {}", view::sentence(&why)),
        ),
        Err(Error::Stale { .. }) => flash::redirect(
            req,
            &back,
            "Your comment was not withdrawn: the secretariat has just looked at it. Check its status below.",
        ),
        Err(err) => error_page(Some(&session), err),
    }
}

/// `GET /meetings/{id}/note/document`: the circulated draft as a DRAFT Word
/// document, as `summary_notes.circulated_document` serves it.
#[handler]
pub async fn draft_document(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<String>,
) -> Response {
    let session = match visitor(req, &state).await {
        Ok(Some(session)) => session,
        Ok(None) => return must_sign_in(),
        Err(page) => return page,
    };
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found_page(Some(&session));
    };
    match notes::circulated_document(&state.db, &session.caller, id).await {
        Ok((bytes, name)) => Response::builder()
            .content_type(DOCX)
            .header(header::CONTENT_DISPOSITION, content_disposition(&name))
            .header(header::CACHE_CONTROL, "private, no-store")
            .body(bytes),
        Err(Error::Conflict(_)) => flash::redirect(
            req,
            &format!("/meetings/{id}/note"),
            "The draft can no longer be downloaded: comments on it are closed.",
        ),
        Err(err) => error_page(Some(&session), err),
    }
}
