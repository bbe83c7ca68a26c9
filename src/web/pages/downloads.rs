//! Files a signed-in browser downloads with its session cookie rather than a bearer
//! token: published summary notes, a meeting's invitation, the secretariat's draft
//! preview; and the member's personal calendar feed, created, replaced or revoked
//! with a form. Each calls the same service function as its API operation and sends
//! the same headers (media type, `Content-Disposition`, `ETag` and 304).

use askama::Template;
use poem::http::{StatusCode, header};
use poem::web::{Data, Path, Query};
use poem::{Body, Request, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use crate::Error;
use crate::api::download::{attachment, content_etag, none_match};
use crate::api::notes::{DOCX, content_disposition, matches_tag};
use crate::domain::{NoteAudience, Visibility};
use crate::service::calendar;
use crate::service::notes;
use crate::service::sign_in::WebSession;
use crate::startup::AppState;
use crate::web::session::FormFields;
use crate::web::signed_in_form;
use crate::web::{
    Chrome, Section, error_page, message, must_sign_in, not_found_page, render, visitor,
};

fn if_none_match(req: &Request) -> Option<&str> {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
}

fn not_modified(etag: &str) -> Response {
    Response::builder()
        .status(StatusCode::NOT_MODIFIED)
        .header(header::ETAG, etag)
        .finish()
}

/// A refusal for a download: a signed-out visitor is asked to sign in, a member is
/// told the file is not theirs to read. No internals either way.
fn refused(session: Option<&WebSession>, err: Error) -> Response {
    match (session, &err) {
        (None, Error::Unauthorized(_) | Error::Forbidden(_)) => message(
            StatusCode::FORBIDDEN,
            None,
            "Sign in to download this note",
            &[
                "This summary note is published for the members of its group.",
                "Members sign in with the personal link the secretariat sends them.",
            ],
            Some(("/sign-in", "How signing in works")),
        ),
        _ => error_page(session, err),
    }
}

/// `GET /notes/{id}/versions/{n}/document`: a published version's stored bytes,
/// exactly as `summary_notes.document` serves them. Public versions for anyone;
/// members' versions for current members of the group and the secretariat.
#[handler]
pub async fn note_document(
    req: &Request,
    state: Data<&AppState>,
    Path((id, number)): Path<(String, String)>,
) -> Response {
    let session = match visitor(req, &state).await {
        Ok(session) => session,
        Err(page) => return page,
    };
    let (Ok(id), Ok(number)) = (Uuid::parse_str(&id), number.parse::<i32>()) else {
        return not_found_page(session.as_ref());
    };
    let caller = session.as_ref().map(|s| &s.caller);
    match notes::document_tag(&state.db, caller, id, number).await {
        Ok(Some(sha)) => {
            let tag = format!("\"{sha}\"");
            if matches_tag(if_none_match(req), &tag) {
                return not_modified(&tag);
            }
        }
        Ok(None) => {}
        Err(err) => return refused(session.as_ref(), err),
    }
    let version = match notes::document(&state.db, caller, id, number).await {
        Ok(version) => version,
        Err(err) => return refused(session.as_ref(), err),
    };
    let cache = if version.audience == NoteAudience::Public.as_str() {
        "public, no-cache"
    } else {
        "private, no-cache"
    };
    Response::builder()
        .content_type(DOCX)
        .header(
            header::CONTENT_DISPOSITION,
            content_disposition(&version.file_name),
        )
        .header(header::ETAG, format!("\"{}\"", version.sha256))
        .header(header::CACHE_CONTROL, cache)
        .body(version.document)
}

/// `GET /meetings/{id}/invite.ics`: the invitation `calendars.invite` serves.
#[handler]
pub async fn meeting_invite(
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
    let file = match calendar::invite(&state.db, &session.caller, id).await {
        Ok(file) => file,
        Err(err) => return error_page(Some(&session), err),
    };
    let bytes = file.body.into_bytes();
    let etag = content_etag(&bytes);
    if none_match(if_none_match(req), &etag) {
        return not_modified(&etag);
    }
    Response::builder()
        .content_type(file.content_type)
        .header(header::CONTENT_DISPOSITION, attachment(&file.file_name))
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, "private, no-cache")
        .body(bytes)
}

#[derive(Deserialize)]
pub struct PreviewQuery {
    audience: Option<String>,
}

/// `GET /meetings/{id}/summary-note/document?audience=`: the draft preview
/// `summary_notes.preview` serves, for the secretariat's session only.
#[handler]
pub async fn note_preview(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<String>,
    Query(query): Query<PreviewQuery>,
) -> Response {
    let session = match visitor(req, &state).await {
        Ok(Some(session)) => session,
        Ok(None) => return must_sign_in(),
        Err(page) => return page,
    };
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found_page(Some(&session));
    };
    if !session.caller.is_secretariat() {
        // Drafts are the secretariat's: to anyone else they do not exist.
        return not_found_page(Some(&session));
    }
    let audience = match query.audience.as_deref().map(str::trim) {
        None | Some("") => Visibility::Members,
        Some(word) => match word.parse::<Visibility>() {
            Ok(audience) => audience,
            Err(_) => return not_found_page(Some(&session)),
        },
    };
    match notes::preview(&state.db, &session.caller, id, audience).await {
        Ok((bytes, name, _warnings)) => Response::builder()
            .content_type(DOCX)
            .header(header::CONTENT_DISPOSITION, content_disposition(&name))
            .header(header::CACHE_CONTROL, "no-store")
            .body(bytes),
        Err(err) => error_page(Some(&session), err),
    }
}

/// The page that shows a new feed's address, this once.
#[derive(Template)]
#[template(path = "feed_issued.html")]
struct FeedIssuedPage {
    chrome: Chrome,
    https_url: String,
    webcal_url: String,
    back: Option<Uuid>,
}

/// The meeting page to go back to, from the form's hidden field.
fn back_to(fields: &FormFields) -> Option<Uuid> {
    fields.get("back").and_then(|v| Uuid::parse_str(v).ok())
}

/// Reads the form of a feed request; the session and the person it is for, or the
/// page to answer with instead.
async fn feed_form(
    req: &Request,
    state: &AppState,
    body: Body,
) -> Result<(WebSession, Uuid, FormFields), Response> {
    let (session, fields) = signed_in_form(req, state, body).await?;
    let Some(person) = session.caller.member_person() else {
        return Err(message(
            StatusCode::FORBIDDEN,
            Some(&session),
            "Calendar feeds are for members",
            &[
                "A personal calendar feed lists the meetings a person is invited to. The secretariat issues one for a person over the API.",
            ],
            Some(("/meetings", "Go to the meetings")),
        ));
    };
    Ok((session, person, fields))
}

/// `POST /calendar-feed`: issues the member's personal feed (revoking any earlier
/// one) and shows its address once.
#[handler]
pub async fn feed_create(req: &Request, state: Data<&AppState>, body: Body) -> Response {
    let (session, person, fields) = match feed_form(req, &state, body).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let issued = match calendar::issue_feed(&state.db, &session.caller, person).await {
        Ok(issued) => issued,
        Err(err) => return error_page(Some(&session), err),
    };
    let base = crate::api::sign_in::public_base(&state, req);
    let path = format!("/api/v1/calendar-feeds/{}/calendar.ics", issued.secret);
    let https_url = format!("{base}{path}");
    let host = base.split_once("://").map_or(base.as_str(), |(_, h)| h);
    let webcal_url = format!("webcal://{host}{path}");
    let mut response = render(
        StatusCode::OK,
        &FeedIssuedPage {
            chrome: Chrome::new("Your calendar feed", Some(&session), Section::Meetings),
            https_url,
            webcal_url,
            back: back_to(&fields),
        },
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("a header"));
    response
}

/// `POST /calendar-feed/revoke`: stops the member's feed at once.
#[handler]
pub async fn feed_revoke(req: &Request, state: Data<&AppState>, body: Body) -> Response {
    let (session, person, fields) = match feed_form(req, &state, body).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let feed = match calendar::active_feed(&state.db, &session.caller, person).await {
        Ok(feed) => feed,
        Err(err) => return error_page(Some(&session), err),
    };
    if let Some(feed) = feed
        && let Err(err) = calendar::revoke_feed(&state.db, &session.caller, feed.id).await
    {
        return error_page(Some(&session), err);
    }
    let back = back_to(&fields)
        .map(|id| format!("/meetings/{id}#calendar"))
        .unwrap_or_else(|| "/meetings".to_owned());
    crate::web::flash::redirect(
        req,
        &back,
        "Your calendar feed is revoked: its address no longer works. Remove the subscription from your calendar app.",
    )
}
