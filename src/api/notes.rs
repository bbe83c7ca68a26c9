//! `/meetings/{id}/summary-note` (writing, circulating, approving, publishing,
//! revising, previewing) and `/summary-notes` (the published notes and their
//! Word documents).

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::registry::{MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type};
use poem_openapi::{ApiResponse, Object, OpenApi};
use serde_json::Value;
use uuid::Uuid;

use super::error::{ApiResult, ProblemField};
use super::{ApiTags, Listed, etag, parse_if_match};
use crate::auth::{BearerToken, Caller, OptionalToken};
use crate::domain::{Attribution, NoteAudience, NoteStatus, Visibility};
use crate::notes::content::{NoteContent, NoteItem, Point};
use crate::service::notes::{self, NoteInput, NoteVersionMeta, NoteView, PublishedNote};
use crate::service::page::PageParams;
use crate::startup::AppState;
use crate::{Error, Result};

/// The media type of a Word document.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

// ---------------------------------------------------------------------------
// Request and response objects.

/// A discussion point with the person who made it.
#[derive(Debug, Clone, Object)]
pub struct AttributedPoint {
    /// What was said.
    pub text: String,
    /// Who said it: someone on the meeting's attendance register, or the item's
    /// presenter. Shown in the document only as far as the note's `attribution`
    /// allows.
    pub speaker_person_id: Option<Uuid>,
}

/// A discussion point: plain text (`"Members raised…"`), or an object with `text`
/// and the `speaker_person_id` of who made the point.
#[derive(Debug, Clone)]
pub struct DiscussionPointIn(pub AttributedPoint);

// Written by hand so that the schema is a plain `oneOf: [string, AttributedPoint]`
// (poem-openapi's derived unions also declare `type: object`, which would tell
// clients that a plain string is not allowed).
impl Type for DiscussionPointIn {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "DiscussionPointIn".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Reference(Self::name().into_owned())
    }

    fn register(registry: &mut Registry) {
        AttributedPoint::register(registry);
        registry.create_schema::<Self, _>(Self::name().into_owned(), |_| MetaSchema {
            description: Some(
                "A discussion point: plain text, or an object with `text` and `speaker_person_id`.",
            ),
            one_of: vec![String::schema_ref(), AttributedPoint::schema_ref()],
            ..MetaSchema::ANY
        });
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl ParseFromJSON for DiscussionPointIn {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(text)) => Ok(Self(AttributedPoint {
                text,
                speaker_person_id: None,
            })),
            Some(value @ Value::Object(_)) => AttributedPoint::parse_from_json(Some(value))
                .map(Self)
                .map_err(ParseError::propagate),
            other => Err(ParseError::expected_type(other.unwrap_or(Value::Null))),
        }
    }
}

impl ToJSON for DiscussionPointIn {
    fn to_json(&self) -> Option<Value> {
        match self.0.speaker_person_id {
            None => Some(Value::String(self.0.text.clone())),
            Some(_) => self.0.to_json(),
        }
    }
}

/// The note's part for one agenda item.
#[derive(Debug, Object)]
pub struct NoteItemIn {
    /// An agenda item of the meeting (or of the second meeting the note covers).
    pub agenda_item_id: Uuid,
    /// A summary of the item.
    pub summary: Option<String>,
    /// The points made in discussion, one bullet each.
    #[oai(default)]
    pub discussion: Vec<DiscussionPointIn>,
    /// What officials said in response.
    pub officials_response: Option<String>,
    /// The points agreed, one bullet each.
    #[oai(default)]
    pub agreed: Vec<String>,
}

/// The whole draft note of a meeting. `PUT` replaces what was there.
#[derive(Debug, Object)]
pub struct SummaryNoteIn {
    /// The purpose of the meeting.
    pub purpose: Option<String>,
    /// `non_attributed` (the default: no discussion point names its speaker),
    /// `officials_named` (only officials and presenters are named) or
    /// `fully_attributed`. Left out: unchanged.
    pub attribution: Option<Attribution>,
    /// Another meeting of the same group that this note also covers.
    pub second_meeting_id: Option<Uuid>,
    /// One entry per agenda item discussed; the document lists them in agenda order.
    #[oai(default)]
    pub items: Vec<NoteItemIn>,
    /// Key issues and recommendations, one bullet each.
    #[oai(default)]
    pub key_issues: Vec<String>,
    /// Next steps, one bullet each.
    #[oai(default)]
    pub next_steps: Vec<String>,
    /// Any other business.
    pub aob: Option<String>,
    /// About the next meeting, in words ("early May; date to follow"). Left out:
    /// the group's next scheduled meeting is shown.
    pub next_meeting: Option<String>,
}

/// One item of a note as stored.
#[derive(Debug, Object)]
pub struct NoteItemOut {
    /// The agenda item.
    pub agenda_item_id: Uuid,
    /// Its title.
    pub agenda_item_title: Option<String>,
    /// The summary.
    pub summary: Option<String>,
    /// The discussion points.
    pub discussion: Vec<AttributedPoint>,
    /// Officials' response.
    pub officials_response: Option<String>,
    /// Points agreed.
    pub agreed: Vec<String>,
}

/// A meeting's summary note.
#[derive(Debug, Object)]
pub struct SummaryNoteOut {
    /// The note's id (also its id under `/summary-notes` once published).
    pub id: Uuid,
    /// The meeting.
    pub meeting_id: Uuid,
    /// The second meeting it covers, if any.
    pub second_meeting_id: Option<Uuid>,
    /// The group.
    pub group_id: Uuid,
    /// draft, circulated, approved or published.
    pub status: NoteStatus,
    /// How far discussion points name their speakers.
    pub attribution: Attribution,
    /// The purpose of the meeting.
    pub purpose: Option<String>,
    /// Per agenda item.
    pub items: Vec<NoteItemOut>,
    /// Key issues and recommendations.
    pub key_issues: Vec<String>,
    /// Next steps.
    pub next_steps: Vec<String>,
    /// Any other business.
    pub aob: Option<String>,
    /// About the next meeting, when written.
    pub next_meeting: Option<String>,
    /// The last day for comments, once circulated.
    pub comment_deadline: Option<NaiveDate>,
    /// The day it was agreed.
    pub approved_on: Option<NaiveDate>,
    /// The current published version's number, once published.
    pub published_version: Option<i32>,
    /// Who the current published version is for.
    pub published_audience: Option<NoteAudience>,
    /// When the current version was published.
    pub published_at: Option<DateTime<Utc>>,
    /// Discussion points that name members although the note is not fully
    /// attributed: publishing refuses them until they are reworded.
    pub warnings: Vec<ProblemField>,
    /// Edit version, also sent as the `ETag`; send it in `If-Match`.
    pub version: i32,
    /// When the note was started.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl super::Versioned for SummaryNoteOut {
    fn version(&self) -> i32 {
        self.version
    }
}

impl From<NoteView> for SummaryNoteOut {
    fn from(view: NoteView) -> Self {
        let NoteView {
            note,
            content,
            warnings,
            titles,
        } = view;
        Self {
            id: note.id,
            meeting_id: note.meeting_id,
            second_meeting_id: note.second_meeting_id,
            group_id: note.group_id,
            status: note.status.parse().unwrap_or(NoteStatus::Draft),
            attribution: note
                .attribution
                .parse()
                .unwrap_or(Attribution::NonAttributed),
            purpose: content.purpose,
            items: content
                .items
                .into_iter()
                .map(|i| NoteItemOut {
                    agenda_item_title: titles.get(&i.agenda_item_id).cloned(),
                    agenda_item_id: i.agenda_item_id,
                    summary: i.summary,
                    discussion: i
                        .discussion
                        .into_iter()
                        .map(|p| AttributedPoint {
                            text: p.text,
                            speaker_person_id: p.speaker_person_id,
                        })
                        .collect(),
                    officials_response: i.officials_response,
                    agreed: i.agreed,
                })
                .collect(),
            key_issues: content.key_issues,
            next_steps: content.next_steps,
            aob: content.aob,
            next_meeting: content.next_meeting,
            comment_deadline: note.comment_deadline,
            approved_on: note.approved_on,
            published_version: note.published_version,
            published_audience: note.published_audience.and_then(|a| a.parse().ok()),
            published_at: note.published_at,
            warnings: warnings.into_iter().map(ProblemField::from).collect(),
            version: note.version,
            created_at: note.created_at,
            updated_at: note.updated_at,
        }
    }
}

/// Circulating a note for comment.
#[derive(Debug, Object)]
pub struct CirculateIn {
    /// The last day for comments (`YYYY-MM-DD`), not before the meeting.
    pub comment_deadline: NaiveDate,
}

/// Revising a note.
#[derive(Debug, Object)]
pub struct ReviseIn {
    /// Why the note goes back to draft ("Correcting the date of the next
    /// meeting"): recorded, and shown beside the version the revision leads to.
    pub reason: String,
}

/// Publishing an approved note.
#[derive(Debug, Object)]
pub struct PublishIn {
    /// `members` (the group's members and the officials who attend) or `public`.
    pub audience: NoteAudience,
}

/// A published version: a frozen Word document.
#[derive(Debug, Object)]
pub struct NoteVersionOut {
    /// The version number: 1, 2, … per note.
    pub version: i32,
    /// The note.
    pub note_id: Uuid,
    /// members or public.
    pub audience: NoteAudience,
    /// SHA-256 of the document's bytes (hex); also its `ETag`.
    pub sha256: String,
    /// The document's size in bytes.
    pub size_bytes: i32,
    /// The download's file name.
    pub file_name: String,
    /// The version this one corrects.
    pub supersedes_version: Option<i32>,
    /// When it was published.
    pub published_at: DateTime<Utc>,
    /// Whether it is the current version.
    pub current: bool,
    /// Where to download it.
    pub document_url: String,
}

fn document_url(note_id: Uuid, number: i32) -> String {
    format!("/api/v1/summary-notes/{note_id}/versions/{number}/document")
}

impl NoteVersionOut {
    fn new(meta: NoteVersionMeta, current: Option<i32>) -> Self {
        Self {
            document_url: document_url(meta.note_id, meta.number),
            current: Some(meta.number) == current,
            version: meta.number,
            note_id: meta.note_id,
            audience: meta.audience.parse().unwrap_or(NoteAudience::Members),
            sha256: meta.sha256,
            size_bytes: meta.size_bytes,
            file_name: meta.file_name,
            supersedes_version: meta.supersedes_number,
            published_at: meta.published_at,
        }
    }
}

/// A published note, with its current version.
#[derive(Debug, Object)]
pub struct PublishedNoteOut {
    /// The note's id.
    pub id: Uuid,
    /// The document's title, e.g. "Summary note: Future Regime Design SIG — meeting 5".
    pub title: String,
    /// The group.
    pub group_id: Uuid,
    /// The group's name.
    pub group_name: String,
    /// The group's short name.
    pub group_short_name: String,
    /// The meeting.
    pub meeting_id: Uuid,
    /// Its number within the group.
    pub meeting_number: i32,
    /// The day it was held, in its own time zone.
    pub meeting_date: NaiveDate,
    /// The second meeting the note covers, if any.
    pub second_meeting_id: Option<Uuid>,
    /// The current version.
    pub current_version: NoteVersionOut,
}

impl From<PublishedNote> for PublishedNoteOut {
    fn from(p: PublishedNote) -> Self {
        let mut numbers = vec![p.meeting.number];
        numbers.extend(p.second_meeting.as_ref().map(|m| m.number));
        numbers.sort_unstable();
        let meetings = match numbers.as_slice() {
            [one] => format!("meeting {one}"),
            [a, b] => format!("meetings {a} and {b}"),
            _ => String::new(),
        };
        Self {
            id: p.note.id,
            title: format!("Summary note: {} — {meetings}", p.group.name),
            group_id: p.group.id,
            group_name: p.group.name,
            group_short_name: p.group.short_name,
            meeting_id: p.meeting.id,
            meeting_number: p.meeting.number,
            meeting_date: crate::notes::assemble::local_date(&p.meeting),
            second_meeting_id: p.note.second_meeting_id,
            current_version: NoteVersionOut::new(p.current, p.note.published_version),
        }
    }
}

/// A published note with every version the caller may read.
#[derive(Debug, Object)]
pub struct PublishedNoteDetailOut {
    /// The note and its current version.
    pub note: PublishedNoteOut,
    /// Its versions, oldest first; each stays downloadable.
    pub versions: Vec<NoteVersionOut>,
}

// ---------------------------------------------------------------------------
// Responses.

/// The note was written.
#[derive(ApiResponse)]
pub enum NoteSaved {
    /// The note was created. `ETag` carries its edit version.
    #[oai(status = 201)]
    Created(
        Json<SummaryNoteOut>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Location")] String,
    ),
    /// The draft was replaced. `ETag` carries its new edit version.
    #[oai(status = 200)]
    Replaced(Json<SummaryNoteOut>, #[oai(header = "ETag")] String),
}

/// The note.
#[derive(ApiResponse)]
pub enum NoteFound {
    /// The note as it is now. `ETag` carries its edit version for `If-Match`.
    #[oai(status = 200)]
    Ok(Json<SummaryNoteOut>, #[oai(header = "ETag")] String),
}

/// A draft rendition.
#[derive(ApiResponse)]
pub enum PreviewDocument {
    /// The draft as a Word document, marked DRAFT. `X-Note-Warnings` lists the
    /// discussion points that publishing for this audience would refuse because
    /// they name members.
    #[oai(
        status = 200,
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "X-Note-Warnings")] Option<String>,
    ),
}

/// A published version's document.
#[derive(ApiResponse)]
pub enum PublishedDocument {
    /// The document exactly as published. `ETag` is its SHA-256.
    #[oai(
        status = 200,
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
    ),
    /// The copy you have (`If-None-Match`) is this version: published versions never change.
    #[oai(status = 304)]
    NotModified(#[oai(header = "ETag")] String),
}

/// A published version.
#[derive(ApiResponse)]
pub enum Published {
    /// Published: the new version.
    #[oai(status = 201)]
    Created(Json<NoteVersionOut>, #[oai(header = "Location")] String),
}

/// A published note.
#[derive(ApiResponse)]
pub enum PublishedFound {
    /// The note and its versions.
    #[oai(status = 200)]
    Ok(Json<PublishedNoteDetailOut>),
}

fn found(view: NoteView) -> NoteFound {
    let out = SummaryNoteOut::from(view);
    let tag = etag(out.version);
    NoteFound::Ok(Json(out), tag)
}

/// The caller behind an optional token. A token that was sent but is not valid is
/// refused rather than treated as no token, so a mistyped token never silently
/// shows a member only the public notes.
fn optional_caller(auth: OptionalToken, req: &Request) -> Result<Option<Caller>> {
    match auth {
        OptionalToken::Token(token) => Ok(Some(token.0)),
        OptionalToken::Anonymous if req.headers().contains_key("authorization") => {
            Err(Error::Unauthorized(
                "the token is not valid: send a valid token, or none for public notes".into(),
            ))
        }
        OptionalToken::Anonymous => Ok(None),
    }
}

/// `attachment` with an ASCII `filename` for old clients and the exact name in
/// `filename*` (RFC 6266 / RFC 8187).
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .flat_map(|c| {
            let plain = match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' | '_' => Some(c.to_string()),
                'à'..='å' | 'ā' => Some("a".into()),
                'æ' => Some("ae".into()),
                'ç' | 'č' | 'ć' => Some("c".into()),
                'è'..='ë' | 'ē' | 'ę' | 'ě' => Some("e".into()),
                'ì'..='ï' | 'ī' => Some("i".into()),
                'ñ' | 'ń' => Some("n".into()),
                'ò'..='ö' | 'ø' | 'ō' | 'ő' => Some("o".into()),
                'œ' => Some("oe".into()),
                'ß' => Some("ss".into()),
                'ù'..='ü' | 'ū' | 'ů' | 'ű' => Some("u".into()),
                'ý' | 'ÿ' => Some("y".into()),
                'ł' => Some("l".into()),
                'ś' | 'š' => Some("s".into()),
                'ź' | 'ż' | 'ž' => Some("z".into()),
                _ => None,
            };
            plain
                .unwrap_or_else(|| "-".into())
                .chars()
                .collect::<Vec<_>>()
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Whether an `If-None-Match` header names `tag` (or `*`).
pub fn matches_tag(header: Option<&str>, tag: &str) -> bool {
    header.is_some_and(|h| {
        h.split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == tag)
    })
}

fn page(limit: Query<Option<u64>>, cursor: Query<Option<String>>) -> PageParams {
    PageParams {
        limit: limit.0,
        cursor: cursor.0,
    }
}

fn into_content(b: SummaryNoteIn) -> NoteInput {
    NoteInput {
        second_meeting_id: b.second_meeting_id,
        attribution: b.attribution,
        content: NoteContent {
            purpose: b.purpose,
            items: b
                .items
                .into_iter()
                .map(|i| NoteItem {
                    agenda_item_id: i.agenda_item_id,
                    summary: i.summary,
                    discussion: i
                        .discussion
                        .into_iter()
                        .map(|p| Point {
                            text: p.0.text,
                            speaker_person_id: p.0.speaker_person_id,
                        })
                        .collect(),
                    officials_response: i.officials_response,
                    agreed: i.agreed,
                })
                .collect(),
            key_issues: b.key_issues,
            next_steps: b.next_steps,
            aob: b.aob,
            next_meeting: b.next_meeting,
        },
    }
}

pub struct NotesApi;

#[OpenApi(tag = "ApiTags::SummaryNotes")]
impl NotesApi {
    /// Write the draft summary note
    ///
    /// Secretariat only. Creates the meeting's note (201) or replaces its draft (200).
    /// Only a draft can be written: a circulated, approved or published note answers
    /// 409 until it is revised. Send the `ETag` you read in `If-Match` (412 if it
    /// changed). Every `agenda_item_id` must be an item of this meeting or of
    /// `second_meeting_id`.
    #[oai(
        path = "/meetings/:id/summary-note",
        method = "put",
        operation_id = "summary_notes.put"
    )]
    async fn put(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you edited.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<SummaryNoteIn>,
    ) -> ApiResult<NoteSaved> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let (_, created) =
            notes::save(&state.db, &auth.0, id.0, expected, into_content(body.0)).await?;
        let view = notes::get(&state.db, &auth.0, id.0).await?;
        let out = SummaryNoteOut::from(view);
        let tag = etag(out.version);
        Ok(if created {
            NoteSaved::Created(
                Json(out),
                tag,
                format!("/api/v1/meetings/{}/summary-note", id.0),
            )
        } else {
            NoteSaved::Replaced(Json(out), tag)
        })
    }

    /// Get a meeting's summary note
    ///
    /// The secretariat sees the note in any state, with `warnings` for discussion
    /// points that name members. Members of the group may read a published note
    /// (without items reserved to the secretariat); drafts answer 403.
    #[oai(
        path = "/meetings/:id/summary-note",
        method = "get",
        operation_id = "summary_notes.get"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
    ) -> ApiResult<NoteFound> {
        Ok(found(notes::get(&state.db, &auth.0, id.0).await?))
    }

    /// Circulate the note for comment
    ///
    /// Secretariat only; a draft (or an already circulated note, to set a new deadline).
    #[oai(
        path = "/meetings/:id/summary-note/circulate",
        method = "post",
        operation_id = "summary_notes.circulate"
    )]
    async fn circulate(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<CirculateIn>,
    ) -> ApiResult<NoteFound> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        notes::circulate(&state.db, &auth.0, id.0, expected, body.0.comment_deadline).await?;
        Ok(found(notes::get(&state.db, &auth.0, id.0).await?))
    }

    /// Approve the note
    ///
    /// Secretariat only; a circulated note. Records today as the day it was agreed.
    #[oai(
        path = "/meetings/:id/summary-note/approve",
        method = "post",
        operation_id = "summary_notes.approve"
    )]
    async fn approve(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
    ) -> ApiResult<NoteFound> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        notes::approve(&state.db, &auth.0, id.0, expected).await?;
        Ok(found(notes::get(&state.db, &auth.0, id.0).await?))
    }

    /// Publish the note
    ///
    /// Secretariat only; an approved note (409 otherwise). Renders the note for the
    /// `audience` once and stores it as the next version (1, 2, …), which never
    /// changes afterwards. A note that is not fully attributed is refused (422) while
    /// a discussion point names a member.
    #[oai(
        path = "/meetings/:id/summary-note/publish",
        method = "post",
        operation_id = "summary_notes.publish"
    )]
    async fn publish(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<PublishIn>,
    ) -> ApiResult<Published> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let (note, version) =
            notes::publish(&state.db, &auth.0, id.0, expected, body.0.audience).await?;
        let meta = NoteVersionMeta {
            id: version.id,
            note_id: version.note_id,
            number: version.number,
            audience: version.audience,
            sha256: version.sha256,
            size_bytes: version.size_bytes,
            file_name: version.file_name,
            supersedes_number: version.supersedes_id.map(|_| version.number - 1),
            published_at: version.published_at,
            published_by: version.published_by,
        };
        let location = document_url(meta.note_id, meta.number);
        Ok(Published::Created(
            Json(NoteVersionOut::new(meta, note.published_version)),
            location,
        ))
    }

    /// Revise a note for a correction
    ///
    /// Secretariat only. Takes a circulated, approved or published note back to
    /// draft, saying why (`reason`). Published versions stay as they are and stay
    /// downloadable; publishing again makes a new version that supersedes the
    /// current one.
    #[oai(
        path = "/meetings/:id/summary-note/revise",
        method = "post",
        operation_id = "summary_notes.revise"
    )]
    async fn revise(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<ReviseIn>,
    ) -> ApiResult<NoteFound> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        notes::revise(&state.db, &auth.0, id.0, expected, &body.0.reason).await?;
        Ok(found(notes::get(&state.db, &auth.0, id.0).await?))
    }

    /// Preview the note as a Word document
    ///
    /// Secretariat only. Renders the note as it now stands for `audience`
    /// (`members`, `public`, or `secretariat` to include items reserved to the
    /// secretariat), marked DRAFT in every page's header. Works before a note is
    /// written, from the meeting's record alone.
    #[oai(
        path = "/meetings/:id/summary-note/document",
        method = "get",
        operation_id = "summary_notes.preview"
    )]
    async fn preview(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        /// `members` (default), `public` or `secretariat`.
        audience: Query<Option<String>>,
    ) -> ApiResult<PreviewDocument> {
        let audience = match audience.0.as_deref().map(str::trim) {
            None | Some("") => Visibility::Members,
            Some(word) => word.parse::<Visibility>().map_err(|_| {
                Error::invalid("audience", "must be one of: members, public, secretariat")
            })?,
        };
        let (bytes, name, warnings) = notes::preview(&state.db, &auth.0, id.0, audience).await?;
        let warnings = (!warnings.is_empty()).then(|| {
            warnings
                .iter()
                .map(|w| w.field.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        });
        Ok(PreviewDocument::Ok(
            Binary(bytes),
            content_disposition(&name),
            "no-store".into(),
            warnings,
        ))
    }

    /// List published summary notes
    ///
    /// The notes a caller may read, newest publication first, each with its current
    /// version and where to download it. No token: public notes only. A member: also
    /// the members' notes of their own groups. The secretariat: all.
    #[oai(
        path = "/summary-notes",
        method = "get",
        operation_id = "summary_notes.list"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        req: &Request,
        auth: OptionalToken,
        /// Only notes of this group.
        group_id: Query<Option<Uuid>>,
        /// How many to return (1–200, default 50).
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<PublishedNoteOut>> {
        let caller = optional_caller(auth, req)?;
        let rows =
            notes::list_published(&state.db, caller.as_ref(), group_id.0, &page(limit, cursor))
                .await?;
        Ok(Listed::of(rows, PublishedNoteOut::from))
    }

    /// Get a published summary note
    ///
    /// The note's current version and every version the caller may read, oldest first.
    #[oai(
        path = "/summary-notes/:id",
        method = "get",
        operation_id = "summary_notes.published"
    )]
    async fn published(
        &self,
        state: Data<&AppState>,
        req: &Request,
        auth: OptionalToken,
        /// The note's id.
        id: Path<Uuid>,
    ) -> ApiResult<PublishedFound> {
        let caller = optional_caller(auth, req)?;
        let (note, versions) = notes::published(&state.db, caller.as_ref(), id.0).await?;
        let current = note.note.published_version;
        Ok(PublishedFound::Ok(Json(PublishedNoteDetailOut {
            note: note.into(),
            versions: versions
                .into_iter()
                .map(|v| NoteVersionOut::new(v, current))
                .collect(),
        })))
    }

    /// Download a published version
    ///
    /// The Word document exactly as it was published; it never changes. `ETag` is
    /// its SHA-256 (quoted): send it in `If-None-Match` to get 304 when you already
    /// have it.
    #[oai(
        path = "/summary-notes/:id/versions/:number/document",
        method = "get",
        operation_id = "summary_notes.document"
    )]
    async fn document(
        &self,
        state: Data<&AppState>,
        req: &Request,
        auth: OptionalToken,
        /// The note's id.
        id: Path<Uuid>,
        /// The version number.
        number: Path<i32>,
        /// The `ETag` of a copy you already have.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
    ) -> ApiResult<PublishedDocument> {
        let caller = optional_caller(auth, req)?;
        if let Some(sha) = notes::document_tag(&state.db, caller.as_ref(), id.0, number.0).await? {
            let tag = format!("\"{sha}\"");
            if matches_tag(if_none_match.0.as_deref(), &tag) {
                return Ok(PublishedDocument::NotModified(tag));
            }
        }
        let version = notes::document(&state.db, caller.as_ref(), id.0, number.0).await?;
        let cache = if version.audience == NoteAudience::Public.as_str() {
            "public, no-cache"
        } else {
            "private, no-cache"
        };
        Ok(PublishedDocument::Ok(
            Binary(version.document),
            content_disposition(&version.file_name),
            format!("\"{}\"", version.sha256),
            cache.into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_have_an_ascii_fallback_and_the_exact_name() {
        assert_eq!(
            content_disposition("2026-03-12-rr3-frd-sig-meeting-5-summary-note-v1.docx"),
            "attachment; filename=\"2026-03-12-rr3-frd-sig-meeting-5-summary-note-v1.docx\"; \
             filename*=UTF-8''2026-03-12-rr3-frd-sig-meeting-5-summary-note-v1.docx"
        );
        assert_eq!(
            content_disposition("réunion-v1.docx"),
            "attachment; filename=\"reunion-v1.docx\"; filename*=UTF-8''r%C3%A9union-v1.docx"
        );
    }

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        assert!(matches_tag(Some("\"abc\""), "\"abc\""));
        assert!(matches_tag(Some("\"x\", W/\"abc\""), "\"abc\""));
        assert!(matches_tag(Some("*"), "\"abc\""));
        assert!(!matches_tag(Some("\"x\""), "\"abc\""));
        assert!(!matches_tag(None, "\"abc\""));
    }
}
