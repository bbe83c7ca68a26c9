//! The preview, the lifecycle steps, the versions list and decisions on comments.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Body, Request, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use crate::Error;
use crate::domain::when::{format_date, format_date_time};
use crate::domain::{CommentDecision, NoteAudience, NoteStatus, Visibility};
use crate::service::note_comments::{self, Commenter};
use crate::service::notes::{self, VersionLine};
use crate::service::sign_in::WebSession;
use crate::startup::AppState;
use crate::web::flash;
use crate::web::form::{Choice, FieldErrors, FormFields};
use crate::web::note_rendition::Rendition;
use crate::web::pages::workspace::{
    MeetingHeader, MeetingTab, chrome, meeting_header, workspace, workspace_form,
};
use crate::web::view;
use crate::web::{Chrome, Section, error_page, render};

use super::editor::who;
use super::note_path;

// ---------------------------------------------------------------------------
// The preview.

#[derive(Template)]
#[template(path = "workspace/notes/preview.html")]
struct PreviewPage {
    chrome: Chrome,
    header: MeetingHeader,
    id: Uuid,
    audiences: Vec<(String, String, bool)>,
    audience_label: String,
    rendition: String,
    download: String,
}

#[derive(Deserialize)]
struct PreviewQuery {
    audience: Option<String>,
}

#[handler]
pub(super) async fn preview_page(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    Query(query): Query<PreviewQuery>,
) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let audience = query
        .audience
        .as_deref()
        .and_then(|a| a.parse::<Visibility>().ok())
        .unwrap_or(Visibility::Members);
    let header = match meeting_header(&state, &session, id, MeetingTab::Note).await {
        Ok(h) => h,
        Err(err) => return error_page(Some(&session), err),
    };
    let rendition = match notes::draft_rendition(&state.db, &session.caller, id, audience).await {
        Ok(r) => r,
        Err(err) => return error_page(Some(&session), err),
    };
    let label = |v: Visibility| match v {
        Visibility::Members => "Members",
        Visibility::Public => "The public",
        Visibility::Secretariat => "Secretariat",
    };
    render(
        StatusCode::OK,
        &PreviewPage {
            chrome: chrome(
                req,
                &session,
                "Preview of the summary note",
                Section::Meetings,
            ),
            id,
            audiences: [
                Visibility::Members,
                Visibility::Public,
                Visibility::Secretariat,
            ]
            .into_iter()
            .map(|v| (v.as_str().to_owned(), label(v).to_owned(), v == audience))
            .collect(),
            audience_label: label(audience).to_lowercase(),
            rendition: Rendition::html(&rendition.document),
            download: format!(
                "/meetings/{id}/summary-note/document?audience={}",
                audience.as_str()
            ),
            header,
        },
    )
}

// ---------------------------------------------------------------------------
// Circulating, approving, revising.

#[derive(Template)]
#[template(path = "workspace/notes/circulate.html")]
struct CirculatePage {
    chrome: Chrome,
    header: MeetingHeader,
    id: Uuid,
    form: FormFields,
    errors: FieldErrors,
    commenters: Vec<Commenter>,
    again: bool,
}

async fn show_circulate(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    id: Uuid,
    status: StatusCode,
    form: Option<FormFields>,
    errors: FieldErrors,
) -> Response {
    let header = match meeting_header(state, session, id, MeetingTab::Note).await {
        Ok(h) => h,
        Err(err) => return error_page(Some(session), err),
    };
    let view = match notes::editor(&state.db, &session.caller, id).await {
        Ok(v) => v,
        Err(err) => return error_page(Some(session), err),
    };
    let commenters = match note_comments::commenters(&state.db, &session.caller, id).await {
        Ok(c) => c,
        Err(err) => return error_page(Some(session), err),
    };
    let form = form.unwrap_or_else(|| {
        let mut pairs = vec![];
        if let Some(note) = &view.note {
            pairs.push(("version".to_owned(), note.version.to_string()));
            if let Some(d) = note.comment_deadline {
                pairs.push(("comment_deadline".to_owned(), d.to_string()));
            }
        }
        FormFields::from_pairs(pairs)
    });
    render(
        status,
        &CirculatePage {
            chrome: chrome(
                req,
                session,
                "Circulate the summary note",
                Section::Meetings,
            ),
            header,
            id,
            form,
            errors,
            commenters,
            again: view.status == NoteStatus::Circulated,
        },
    )
}

#[handler]
pub(super) async fn circulate_page(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    show_circulate(
        req,
        &state,
        &session,
        id,
        StatusCode::OK,
        None,
        FieldErrors::default(),
    )
    .await
}

#[handler]
pub(super) async fn circulate_save(
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
    let deadline = form.date("comment_deadline", &mut errors, "The comment deadline");
    if errors.is_empty() && deadline.is_none() {
        errors.add("comment_deadline", "Enter the last day for comments");
    }
    if let (true, Some(deadline)) = (errors.is_empty(), deadline) {
        match notes::circulate(&state.db, &session.caller, id, form.version(), deadline).await {
            Ok(_) => {
                return flash::redirect(
                    req,
                    &note_path(id, ""),
                    &format!(
                        "The note was circulated for comment until the end of {}.",
                        format_date(deadline)
                    ),
                );
            }
            Err(Error::Stale { .. }) => errors.add(
                "circulate",
                "Someone else changed the note since you opened this page. Check the note, then circulate it again.",
            ),
            Err(err) => {
                if let Err(other) = errors.absorb(err, &[], "circulate") {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    let status = if errors.get("circulate").is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    show_circulate(req, &state, &session, id, status, Some(form), errors).await
}

/// A lifecycle button's refusal: back to the note with the reason.
fn refused_step(req: &Request, id: Uuid, err: Error, session: &WebSession) -> Response {
    match err {
        Error::Conflict(why) => flash::redirect(
            req,
            &note_path(id, ""),
            &format!("Nothing was changed: {}", view::sentence(&why)),
        ),
        Error::Stale { .. } => flash::redirect(
            req,
            &note_path(id, ""),
            "Nothing was changed: someone else changed the note since you opened the page. Check it and try again.",
        ),
        other => error_page(Some(session), other),
    }
}

#[handler]
pub(super) async fn approve_save(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    match notes::approve(&state.db, &session.caller, id, form.version()).await {
        Ok(note) => flash::redirect(
            req,
            &note_path(id, ""),
            &format!(
                "The note was approved by {} on {}.",
                session.display_name,
                note.approved_on.map(format_date).unwrap_or_default()
            ),
        ),
        Err(err) => refused_step(req, id, err, &session),
    }
}

#[derive(Template)]
#[template(path = "workspace/notes/revise.html")]
struct RevisePage {
    chrome: Chrome,
    header: MeetingHeader,
    id: Uuid,
    form: FormFields,
    errors: FieldErrors,
    published: Option<i32>,
}

async fn show_revise(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    id: Uuid,
    status: StatusCode,
    form: Option<FormFields>,
    errors: FieldErrors,
) -> Response {
    let header = match meeting_header(state, session, id, MeetingTab::Note).await {
        Ok(h) => h,
        Err(err) => return error_page(Some(session), err),
    };
    let view = match notes::editor(&state.db, &session.caller, id).await {
        Ok(v) => v,
        Err(err) => return error_page(Some(session), err),
    };
    let form = form.unwrap_or_else(|| {
        FormFields::from_pairs(
            view.note
                .as_ref()
                .map(|n| ("version", n.version.to_string())),
        )
    });
    render(
        status,
        &RevisePage {
            chrome: chrome(req, session, "Revise the summary note", Section::Meetings),
            header,
            id,
            form,
            errors,
            published: view.note.and_then(|n| n.published_version),
        },
    )
}

#[handler]
pub(super) async fn revise_page(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    show_revise(
        req,
        &state,
        &session,
        id,
        StatusCode::OK,
        None,
        FieldErrors::default(),
    )
    .await
}

#[handler]
pub(super) async fn revise_save(
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
    match notes::revise(
        &state.db,
        &session.caller,
        id,
        form.version(),
        &form.text("reason"),
    )
    .await
    {
        Ok(_) => {
            return flash::redirect(
                req,
                &note_path(id, ""),
                "The note is back in draft. Make your changes, then take it through approval again.",
            );
        }
        Err(Error::Stale { .. }) => errors.add(
            "revise",
            "Someone else changed the note since you opened this page. Check the note, then try again.",
        ),
        Err(err) => {
            if let Err(other) = errors.absorb(err, &[], "revise") {
                return error_page(Some(&session), other);
            }
        }
    }
    let status = if errors.get("revise").is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    show_revise(req, &state, &session, id, status, Some(form), errors).await
}

// ---------------------------------------------------------------------------
// Publishing: choose the audience, check your answers, publish.

#[derive(Template)]
#[template(path = "workspace/notes/publish.html")]
struct PublishPage {
    chrome: Chrome,
    header: MeetingHeader,
    id: Uuid,
    form: FormFields,
    errors: FieldErrors,
    audiences: Vec<Choice>,
    /// Set on the "check your answers" step.
    check: Option<PublishCheck>,
}

struct PublishCheck {
    audience: String,
    audience_label: String,
    button: String,
    number: i32,
    supersedes: Option<i32>,
    file_name: String,
    reason: Option<String>,
}

async fn show_publish(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    id: Uuid,
    form: Option<FormFields>,
    errors: FieldErrors,
    check_audience: Option<NoteAudience>,
) -> Response {
    let header = match meeting_header(state, session, id, MeetingTab::Note).await {
        Ok(h) => h,
        Err(err) => return error_page(Some(session), err),
    };
    let view = match notes::editor(&state.db, &session.caller, id).await {
        Ok(v) => v,
        Err(err) => return error_page(Some(session), err),
    };
    let history = match notes::history(&state.db, &session.caller, id).await {
        Ok(h) => h,
        Err(err) => return error_page(Some(session), err),
    };
    let versions = match notes::versions(&state.db, &session.caller, id).await {
        Ok(v) => v,
        Err(err) => return error_page(Some(session), err),
    };
    let form = form.unwrap_or_else(|| {
        FormFields::from_pairs(
            view.note
                .as_ref()
                .map(|n| ("version", n.version.to_string())),
        )
    });
    let check = match check_audience {
        Some(audience) => {
            let rendition =
                match notes::draft_rendition(&state.db, &session.caller, id, audience.visibility())
                    .await
                {
                    Ok(r) => r,
                    Err(err) => return error_page(Some(session), err),
                };
            let number = versions.last().map_or(1, |v| v.meta.number + 1);
            Some(PublishCheck {
                audience: audience.as_str().to_owned(),
                audience_label: match audience {
                    NoteAudience::Members => {
                        "Members of the group and the officials who attend".into()
                    }
                    NoteAudience::Public => "The public: anyone, without signing in".into(),
                },
                button: match audience {
                    NoteAudience::Members => "Publish for members".into(),
                    NoteAudience::Public => "Publish for the public".into(),
                },
                number,
                supersedes: versions.last().map(|v| v.meta.number),
                file_name: rendition.file_name.replace(
                    &format!("draft-{}", audience.as_str()),
                    &format!("v{number}"),
                ),
                reason: history
                    .iter()
                    .rev()
                    .find(|e| e.operation == "summary_note.revise")
                    .filter(|_| !versions.is_empty())
                    .and_then(|e| e.reason.clone()),
            })
        }
        None => None,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &PublishPage {
            chrome: chrome(req, session, "Publish the summary note", Section::Meetings),
            header,
            id,
            form,
            errors,
            audiences: vec![
                Choice::new(
                    "members",
                    "For members: the group's members and the officials who attend, signed in",
                ),
                Choice::new("public", "For the public: anyone may download it"),
            ],
            check,
        },
    )
}

fn chosen_audience(form: &FormFields, errors: &mut FieldErrors) -> Option<NoteAudience> {
    match form.text("audience").parse::<NoteAudience>() {
        Ok(a) => Some(a),
        Err(_) => {
            errors.add("audience", "Choose who the note is published for");
            None
        }
    }
}

#[handler]
pub(super) async fn publish_page(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    show_publish(
        req,
        &state,
        &session,
        id,
        None,
        FieldErrors::default(),
        None,
    )
    .await
}

#[handler]
pub(super) async fn publish_save(
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
    let audience = chosen_audience(&form, &mut errors);
    let Some(audience) = audience else {
        return show_publish(req, &state, &session, id, Some(form), errors, None).await;
    };
    // The first press shows what will be published; only the second publishes.
    if form.get("confirm") != Some("yes") {
        return show_publish(
            req,
            &state,
            &session,
            id,
            Some(form),
            errors,
            Some(audience),
        )
        .await;
    }
    match notes::publish(&state.db, &session.caller, id, form.version(), audience).await {
        Ok((_, version)) => flash::redirect(
            req,
            &note_path(id, "/versions"),
            &format!(
                "Version {} was published for {}.",
                version.number,
                match audience {
                    NoteAudience::Members => "members",
                    NoteAudience::Public => "the public",
                }
            ),
        ),
        Err(Error::Invalid(problems)) => {
            for p in problems {
                errors.add(
                    "publish",
                    view::sentence(&format!("{}: {}", p.field, p.message)),
                );
            }
            show_publish(
                req,
                &state,
                &session,
                id,
                Some(form),
                errors,
                Some(audience),
            )
            .await
        }
        Err(err) => refused_step(req, id, err, &session),
    }
}

// ---------------------------------------------------------------------------
// The published versions.

struct VersionRow {
    number: i32,
    audience: String,
    published: String,
    sha256: String,
    superseded_by: Option<i32>,
    supersedes: Option<i32>,
    reason: Option<String>,
    current: bool,
    href: String,
    size: String,
}

#[derive(Template)]
#[template(path = "workspace/notes/versions.html")]
struct VersionsPage {
    chrome: Chrome,
    header: MeetingHeader,
    id: Uuid,
    versions: Vec<VersionRow>,
}

fn version_row(v: &VersionLine, meeting: &entity::meeting::Model) -> VersionRow {
    VersionRow {
        number: v.meta.number,
        audience: match v.meta.audience.as_str() {
            "public" => "The public".into(),
            _ => "Members".into(),
        },
        published: format!(
            "{} by {}",
            format_date_time(v.meta.published_at, view::zone_of(meeting)),
            who(&v.meta.published_by)
        ),
        sha256: v.meta.sha256.clone(),
        superseded_by: v.superseded_by,
        supersedes: v.meta.supersedes_number,
        reason: v.reason.clone(),
        current: v.current,
        href: format!("/notes/{}/versions/{}/document", v.note_id, v.meta.number),
        size: view::file_size(v.meta.size_bytes),
    }
}

#[handler]
pub(super) async fn versions_page(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let header = match meeting_header(&state, &session, id, MeetingTab::Note).await {
        Ok(h) => h,
        Err(err) => return error_page(Some(&session), err),
    };
    let versions = match notes::versions(&state.db, &session.caller, id).await {
        Ok(v) => v,
        Err(err) => return error_page(Some(&session), err),
    };
    render(
        StatusCode::OK,
        &VersionsPage {
            chrome: chrome(req, &session, "Published versions", Section::Meetings),
            versions: versions
                .iter()
                .rev()
                .map(|v| version_row(v, &header.meeting))
                .collect(),
            header,
            id,
        },
    )
}

// ---------------------------------------------------------------------------
// Deciding on a comment.

#[handler]
pub(super) async fn decision_save(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let comment = match note_comments::get(&state.db, &session.caller, id).await {
        Ok(c) => c,
        Err(err) => return error_page(Some(&session), err),
    };
    let back = format!("{}#comment-{id}", note_path(comment.meeting_id, ""));
    let decision = match form.text("decision").parse::<CommentDecision>() {
        Ok(d) => d,
        Err(_) => {
            return flash::redirect(
                req,
                &back,
                &format!(
                    "Nothing was saved: choose whether {}’s comment is adopted or not.",
                    comment.person_name
                ),
            );
        }
    };
    match note_comments::decide(
        &state.db,
        &session.caller,
        id,
        form.version(),
        decision,
        form.optional("reply").as_deref(),
    )
    .await
    {
        Ok(c) => flash::redirect(
            req,
            &back,
            &format!(
                "{}’s comment was marked {}.",
                c.person_name,
                match decision {
                    CommentDecision::Adopted => "adopted",
                    CommentDecision::NotAdopted => "not adopted",
                }
            ),
        ),
        Err(Error::Stale { .. }) => flash::redirect(
            req,
            &back,
            "Nothing was saved: the comment changed since you opened the page (it may have been withdrawn or decided). Check it and try again.",
        ),
        Err(Error::Conflict(why) | Error::BadRequest(why)) => flash::redirect(
            req,
            &back,
            &format!("Nothing was saved: {}", view::sentence(&why)),
        ),
        Err(Error::Invalid(problems)) => flash::redirect(
            req,
            &back,
            &format!(
                "Nothing was saved: the reply {}",
                problems
                    .first()
                    .map(|p| view::sentence(&p.message))
                    .unwrap_or_default()
            ),
        ),
        Err(err) => error_page(Some(&session), err),
    }
}
