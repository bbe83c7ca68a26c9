//! The note editor, laid out from the agenda.

use std::collections::HashMap;

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Body, Request, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

use crate::Error;
use crate::domain::when::{format_date, format_date_time};
use crate::domain::{Attribution, CommentStatus, NoteStatus};
use crate::notes::content::{NoteContent, NoteItem, Point};
use crate::service::note_comments::{self, CommentView};
use crate::service::notes::{self, EditorView, NoteInput};
use crate::service::sign_in::WebSession;
use crate::startup::AppState;
use crate::web::flash;
use crate::web::form::{Choice, Conflict, FieldErrors, FormFields};
use crate::web::pages::workspace::{
    MeetingHeader, MeetingTab, chrome, meeting_header, workspace, workspace_form,
};
use crate::web::view::{self, Tag};
use crate::web::{Chrome, Section, error_page, render};

use super::note_path;

// ---------------------------------------------------------------------------
// The editor.

/// One box for a discussion point.
struct PointBox {
    j: usize,
    warning: Option<String>,
}

/// A comment as listed beside the editor, with its decision form.
struct CommentLine {
    id: Uuid,
    who: String,
    about: String,
    body: String,
    status: Tag,
    open: bool,
    reply: String,
    version: i32,
    decided: Option<String>,
}

/// One agenda item's part of the editor.
struct EditorItem {
    k: usize,
    id: Uuid,
    heading: String,
    about: String,
    warnings: Vec<String>,
    boxes: Vec<PointBox>,
    comments: Vec<CommentLine>,
}

/// Where the note is, and what comes next.
struct Stage {
    status: Tag,
    said: String,
    /// The lifecycle's next steps, as (href or form action, label, is_form).
    steps: Vec<Step>,
}

struct Step {
    href: String,
    label: String,
    form: bool,
    secondary: bool,
    hint: String,
}

#[derive(Template)]
#[template(path = "workspace/notes/editor.html")]
struct EditorPage {
    chrome: Chrome,
    header: MeetingHeader,
    id: Uuid,
    stage: Stage,
    editable: bool,
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
    items: Vec<EditorItem>,
    speakers: Vec<Choice>,
    attribution_rule: String,
    attribution_choices: Vec<Choice>,
    second_meetings: Vec<Choice>,
    note_comments: Vec<CommentLine>,
    open_comments: usize,
}

fn attribution_rule(attribution: Attribution) -> &'static str {
    match attribution {
        Attribution::NonAttributed => {
            "This note is not attributed: choose who made a point for your own record; the note never names them."
        }
        Attribution::OfficialsNamed => {
            "Officials and presenters are named in the note; members' points stay unattributed."
        }
        Attribution::FullyAttributed => "Every speaker you choose is named in the note.",
    }
}

fn attribution_choices() -> Vec<Choice> {
    vec![
        Choice::new(
            "non_attributed",
            "Not attributed: no point names who made it (the usual choice)",
        ),
        Choice::new(
            "officials_named",
            "Officials and presenters named; members not",
        ),
        Choice::new("fully_attributed", "Everyone named"),
    ]
}

pub(super) fn comment_tag(status: CommentStatus) -> Tag {
    let (label, class) = match status {
        CommentStatus::Open => ("Waiting for a decision", "tag-yellow"),
        CommentStatus::Withdrawn => ("Withdrawn", "tag-grey"),
        CommentStatus::Adopted => ("Adopted", "tag-green"),
        CommentStatus::NotAdopted => ("Not adopted", "tag-grey"),
    };
    Tag {
        label: label.into(),
        class,
    }
}

fn comment_line(c: &CommentView) -> CommentLine {
    let status = c.status();
    CommentLine {
        id: c.comment.id,
        who: c.person_name.clone(),
        about: c
            .item_title
            .clone()
            .unwrap_or_else(|| "The whole note".into()),
        body: c.comment.body.clone(),
        status: comment_tag(status),
        open: status != CommentStatus::Withdrawn,
        reply: c.comment.reply.clone().unwrap_or_default(),
        version: c.comment.version,
        decided: c.comment.decided_at.map(|at| {
            format!(
                "Decided by {} on {}",
                who(&c.comment.decided_by.clone().unwrap_or_default()),
                format_date(at.date_naive())
            )
        }),
    }
}

/// The form's values from what is stored.
fn stored_values(view: &EditorView) -> FormFields {
    let mut pairs: Vec<(String, String)> = vec![
        (
            "purpose".into(),
            view.content.purpose.clone().unwrap_or_default(),
        ),
        ("key_issues".into(), view.content.key_issues.join("\n")),
        ("next_steps".into(), view.content.next_steps.join("\n")),
        ("aob".into(), view.content.aob.clone().unwrap_or_default()),
        (
            "next_meeting".into(),
            view.content.next_meeting.clone().unwrap_or_default(),
        ),
        ("attribution".into(), view.attribution.as_str().to_owned()),
        (
            "second_meeting_id".into(),
            view.note
                .as_ref()
                .and_then(|n| n.second_meeting_id)
                .map(|id| id.to_string())
                .unwrap_or_default(),
        ),
    ];
    if let Some(note) = &view.note {
        pairs.push(("version".into(), note.version.to_string()));
    }
    for (k, item) in view.agenda.iter().enumerate() {
        pairs.push((format!("item-{k}-id"), item.id.to_string()));
        let written = view
            .content
            .items
            .iter()
            .find(|w| w.agenda_item_id == item.id);
        let Some(written) = written else {
            pairs.push((format!("item-{k}-points"), "1".into()));
            continue;
        };
        pairs.push((
            format!("item-{k}-summary"),
            written.summary.clone().unwrap_or_default(),
        ));
        for (j, point) in written.discussion.iter().enumerate() {
            pairs.push((format!("item-{k}-point-{j}"), point.text.clone()));
            if let Some(speaker) = point.speaker_person_id {
                pairs.push((format!("item-{k}-speaker-{j}"), speaker.to_string()));
            }
        }
        pairs.push((
            format!("item-{k}-points"),
            (written.discussion.len() + 1).to_string(),
        ));
        pairs.push((
            format!("item-{k}-response"),
            written.officials_response.clone().unwrap_or_default(),
        ));
        pairs.push((format!("item-{k}-agreed"), written.agreed.join("\n")));
    }
    FormFields::from_pairs(pairs)
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim().trim_start_matches(['-', '•', '*']).trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn boxes_of(form: &FormFields, k: usize) -> usize {
    form.get(&format!("item-{k}-points"))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 200)
}

/// What the form asks the service to store, and how the service's field names map
/// back onto the form's.
fn posted_note(
    view: &EditorView,
    form: &FormFields,
    errors: &mut FieldErrors,
) -> (NoteInput, Vec<(String, String)>) {
    let mut renames = vec![
        (
            "second_meeting_id".to_owned(),
            "second_meeting_id".to_owned(),
        ),
        ("key_issues".to_owned(), "key_issues".to_owned()),
        ("next_steps".to_owned(), "next_steps".to_owned()),
    ];
    let mut items = Vec::new();
    for (k, agenda) in view.agenda.iter().enumerate() {
        let id = form
            .get(&format!("item-{k}-id"))
            .and_then(|v| Uuid::parse_str(v).ok())
            .unwrap_or(agenda.id);
        let i = items.len();
        let mut discussion = Vec::new();
        for j in 0..boxes_of(form, k) {
            let text = form.text(&format!("item-{k}-point-{j}"));
            if text.is_empty() {
                continue;
            }
            let speaker = form.choice(&format!("item-{k}-speaker-{j}"), errors, "a person");
            let n = discussion.len();
            renames.push((
                format!("items[{i}].discussion[{n}].text"),
                format!("item-{k}-point-{j}"),
            ));
            renames.push((
                format!("items[{i}].discussion[{n}].speaker_person_id"),
                format!("item-{k}-speaker-{j}"),
            ));
            discussion.push(Point {
                text,
                speaker_person_id: speaker,
            });
        }
        let item = NoteItem {
            agenda_item_id: id,
            summary: form.optional(&format!("item-{k}-summary")),
            discussion,
            officials_response: form.optional(&format!("item-{k}-response")),
            agreed: lines(form.value(&format!("item-{k}-agreed"))),
        };
        let written = item.summary.is_some()
            || !item.discussion.is_empty()
            || item.officials_response.is_some()
            || !item.agreed.is_empty();
        if written {
            for (from, to) in [
                ("summary", "summary"),
                ("officials_response", "response"),
                ("agenda_item_id", "summary"),
            ] {
                renames.push((format!("items[{i}].{from}"), format!("item-{k}-{to}")));
            }
            for n in 0..item.agreed.len() {
                renames.push((
                    format!("items[{i}].agreed[{n}]"),
                    format!("item-{k}-agreed"),
                ));
            }
            items.push(item);
        }
    }
    for (field, list) in [("key_issues", "key_issues"), ("next_steps", "next_steps")] {
        for n in 0..lines(form.value(field)).len() {
            renames.push((format!("{list}[{n}]"), field.to_owned()));
        }
    }
    let attribution = match form.text("attribution").as_str() {
        "" => None,
        word => match word.parse::<Attribution>() {
            Ok(a) => Some(a),
            Err(_) => {
                errors.add("attribution", "Choose how far the note names speakers");
                None
            }
        },
    };
    let second = form.choice("second_meeting_id", errors, "a meeting");
    let input = NoteInput {
        second_meeting_id: second,
        attribution,
        content: NoteContent {
            purpose: form.optional("purpose"),
            items,
            key_issues: lines(form.value("key_issues")),
            next_steps: lines(form.value("next_steps")),
            aob: form.optional("aob"),
            next_meeting: form.optional("next_meeting"),
        },
    };
    (input, renames)
}

/// Labels for the conflict panel, by form field.
fn field_label(view: &EditorView, name: &str) -> Option<String> {
    let fixed = match name {
        "purpose" => Some("Purpose of the meeting"),
        "key_issues" => Some("Key issues and recommendations"),
        "next_steps" => Some("Next steps"),
        "aob" => Some("Any other business"),
        "next_meeting" => Some("Next meeting"),
        "attribution" => Some("Attribution"),
        "second_meeting_id" => Some("Second meeting covered"),
        _ => None,
    };
    if let Some(label) = fixed {
        return Some(label.to_owned());
    }
    let rest = name.strip_prefix("item-")?;
    let (k, part) = rest.split_once('-')?;
    let title = &view.agenda.get(k.parse::<usize>().ok()?)?.title;
    let part = match part {
        "summary" => "summary".to_owned(),
        "response" => "officials' response".to_owned(),
        "agreed" => "points agreed".to_owned(),
        p if p.starts_with("point-") => format!(
            "discussion point {}",
            p.trim_start_matches("point-").parse::<usize>().ok()? + 1
        ),
        p if p.starts_with("speaker-") => format!(
            "speaker of point {}",
            p.trim_start_matches("speaker-").parse::<usize>().ok()? + 1
        ),
        _ => return None,
    };
    Some(format!("{title}: {part}"))
}

/// An audit actor as people read it: "Dev Patel (web) (secretariat)" → "Dev Patel".
pub(super) fn who(actor: &str) -> String {
    actor
        .trim_end_matches(" (secretariat)")
        .trim_end_matches(" (member)")
        .trim_end_matches(" (web)")
        .to_owned()
}

fn stage_of(view: &EditorView, id: Uuid, history: &[notes::NoteEvent]) -> Stage {
    let last = |op: &str| history.iter().rev().find(|e| e.operation == op);
    let by = |e: Option<&notes::NoteEvent>| {
        e.map(|e| {
            format!(
                " by {} on {}",
                who(&e.actor),
                format_date_time(e.at, view::zone_of(&view.meeting))
            )
        })
        .unwrap_or_default()
    };
    let note = view.note.as_ref();
    let step = |href: String, label: &str, form: bool, secondary: bool, hint: &str| Step {
        href,
        label: label.into(),
        form,
        secondary,
        hint: hint.into(),
    };
    let preview = step(
        note_path(id, "/preview"),
        "Preview the note",
        false,
        true,
        "See it as members, the public or the secretariat would, and download the DRAFT Word document.",
    );
    match view.status {
        NoteStatus::Draft => {
            let revised = note.and_then(|n| n.published_version).map(|v| {
                let reason = last("summary_note.revise")
                    .and_then(|e| e.reason.clone())
                    .map(|r| format!(" Reason: {r}"))
                    .unwrap_or_default();
                format!(" Version {v} stays published until a new version replaces it.{reason}")
            });
            Stage {
                status: Tag {
                    label: "Draft".into(),
                    class: "tag-yellow",
                },
                said: match (note, revised) {
                    (None, _) => "Nothing has been written yet. Write the note below, laid out from the agenda, and save it as a draft.".into(),
                    (Some(_), Some(revised)) => format!("The note is back in draft for a correction.{revised}"),
                    (Some(_), None) => "The note is a draft. When it is ready, circulate it to members for comment.".into(),
                },
                steps: if note.is_some() {
                    vec![
                        step(
                            note_path(id, "/circulate"),
                            "Circulate for comment",
                            false,
                            false,
                            "Choose a comment deadline and see who will read it.",
                        ),
                        preview,
                    ]
                } else {
                    vec![preview]
                },
            }
        }
        NoteStatus::Circulated => Stage {
            status: Tag {
                label: "Circulated".into(),
                class: "",
            },
            said: format!(
                "Circulated for comment{}; comments close at the end of {}. You can still adopt comments into the text below before approving it.",
                by(last("summary_note.circulate")),
                note.and_then(|n| n.comment_deadline)
                    .map(format_date)
                    .unwrap_or_default()
            ),
            steps: vec![
                step(
                    note_path(id, "/approve"),
                    "Approve the note",
                    true,
                    false,
                    "Records that the group agreed it, with your name and today's date.",
                ),
                step(
                    note_path(id, "/circulate"),
                    "Change the comment deadline",
                    false,
                    true,
                    "",
                ),
                preview,
                step(
                    note_path(id, "/revise"),
                    "Take it back to draft",
                    false,
                    true,
                    "Ends the comment round.",
                ),
            ],
        },
        NoteStatus::Approved => Stage {
            status: Tag {
                label: "Approved".into(),
                class: "tag-green",
            },
            said: format!(
                "Approved{}. Publish it for members or for the public.",
                by(last("summary_note.approve"))
            ),
            steps: vec![
                step(
                    note_path(id, "/publish"),
                    "Publish the note",
                    false,
                    false,
                    "You will check your answers before anything is published.",
                ),
                preview,
                step(
                    note_path(id, "/revise"),
                    "Revise the note",
                    false,
                    true,
                    "Takes it back to draft.",
                ),
            ],
        },
        NoteStatus::Published => Stage {
            status: Tag {
                label: "Published".into(),
                class: "tag-green",
            },
            said: format!(
                "Version {} is published for {}{}. Published versions never change; a correction is published as a new version.",
                note.and_then(|n| n.published_version).unwrap_or_default(),
                match note.and_then(|n| n.published_audience.as_deref()) {
                    Some("public") => "the public",
                    _ => "members",
                },
                by(last("summary_note.publish"))
            ),
            steps: vec![
                step(
                    note_path(id, "/versions"),
                    "See the published versions",
                    false,
                    false,
                    "",
                ),
                step(
                    note_path(id, "/revise"),
                    "Revise for a correction",
                    false,
                    true,
                    "Takes it back to draft; the next publication supersedes this version.",
                ),
            ],
        },
    }
}

struct EditorState {
    form: FormFields,
    errors: FieldErrors,
    conflict: Option<Conflict>,
    /// The item that asked for another point box.
    more: Option<usize>,
}

async fn show_editor(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    id: Uuid,
    status: StatusCode,
    editor_state: Option<EditorState>,
) -> Response {
    let caller = &session.caller;
    let header = match meeting_header(state, session, id, MeetingTab::Note).await {
        Ok(h) => h,
        Err(err) => return error_page(Some(session), err),
    };
    let view = match notes::editor(&state.db, caller, id).await {
        Ok(v) => v,
        Err(err) => return error_page(Some(session), err),
    };
    let history = match notes::history(&state.db, caller, id).await {
        Ok(h) => h,
        Err(err) => return error_page(Some(session), err),
    };
    let comments = if view.note.is_some() {
        match note_comments::list(&state.db, caller, id).await {
            Ok(c) => c,
            Err(err) => return error_page(Some(session), err),
        }
    } else {
        Vec::new()
    };
    let EditorState {
        mut form,
        errors,
        conflict,
        more,
    } = editor_state.unwrap_or_else(|| EditorState {
        form: stored_values(&view),
        errors: FieldErrors::default(),
        conflict: None,
        more: None,
    });
    if let Some(k) = more {
        let n = boxes_of(&form, k) + 1;
        form.set(&format!("item-{k}-points"), n.to_string());
    }
    let items =
        view.agenda
            .iter()
            .enumerate()
            .map(|(k, item)| {
                let written_index = view
                    .content
                    .items
                    .iter()
                    .position(|w| w.agenda_item_id == item.id);
                let warnings_here: Vec<&notes::EditorWarning> = view
                    .warnings
                    .iter()
                    .filter(|w| w.agenda_item_id == item.id)
                    .collect();
                let presenter = item
                    .presenter_person_id
                    .and_then(|p| view.speakers.iter().find(|s| s.id == p))
                    .map(|s| s.name.clone())
                    .or_else(|| item.presenter_text.clone());
                let mut about = vec![view::sentence_case(&item.kind.replace('_', " "))];
                if let Some(p) = presenter {
                    about.push(format!("presented by {p}"));
                }
                about.push(match item.visibility.as_str() {
                    "public" => "in every rendition".to_owned(),
                    "members" => "members only: left out of the public note".to_owned(),
                    _ => "secretariat only: left out of every note members or the public see"
                        .to_owned(),
                });
                EditorItem {
                    k,
                    id: item.id,
                    heading: format!("{}. {}", k + 1, item.title),
                    about: about.join(" · "),
                    warnings: warnings_here
                        .iter()
                        .filter(|w| w.point.is_none())
                        .map(|w| w.message.clone())
                        .collect(),
                    boxes: (0..boxes_of(&form, k))
                        .map(|j| PointBox {
                            j,
                            warning: written_index.and(
                                warnings_here
                                    .iter()
                                    .find(|w| w.point == Some(j))
                                    .map(|w| w.message.clone()),
                            ),
                        })
                        .collect(),
                    comments: comments
                        .iter()
                        .filter(|c| c.comment.agenda_item_id == Some(item.id))
                        .map(comment_line)
                        .collect(),
                }
            })
            .collect();
    let speakers = view
        .speakers
        .iter()
        .map(|s| {
            Choice::new(
                s.id.to_string(),
                format!(
                    "{} ({}{})",
                    s.name,
                    s.role,
                    if s.named { ", named in the note" } else { "" }
                ),
            )
        })
        .collect();
    let second_meetings = view
        .other_meetings
        .iter()
        .map(|m| {
            Choice::new(
                m.id.to_string(),
                format!(
                    "Meeting {}: {} ({})",
                    m.number,
                    m.title,
                    view::meeting_day(m)
                ),
            )
        })
        .collect();
    let stage = stage_of(&view, id, &history);
    let open_comments = comments
        .iter()
        .filter(|c| c.status() == CommentStatus::Open)
        .count();
    let page = EditorPage {
        chrome: chrome(
            req,
            session,
            &format!("Summary note: {}", header.meeting.title),
            Section::Meetings,
        ),
        id,
        editable: matches!(view.status, NoteStatus::Draft | NoteStatus::Circulated),
        attribution_rule: attribution_rule(view.attribution).to_owned(),
        attribution_choices: attribution_choices(),
        stage,
        form,
        errors,
        conflict,
        items,
        speakers,
        second_meetings,
        note_comments: comments.iter().map(comment_line).collect(),
        open_comments,
        header,
    };
    render(status, &page)
}

#[derive(Deserialize)]
struct EditorQuery {
    more: Option<usize>,
}

#[handler]
pub(super) async fn editor_page(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    Query(query): Query<EditorQuery>,
) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    if let Some(k) = query.more {
        let view = match notes::editor(&state.db, &session.caller, id).await {
            Ok(v) => v,
            Err(err) => return error_page(Some(&session), err),
        };
        return show_editor(
            req,
            &state,
            &session,
            id,
            StatusCode::OK,
            Some(EditorState {
                form: stored_values(&view),
                errors: FieldErrors::default(),
                conflict: None,
                more: Some(k),
            }),
        )
        .await;
    }
    show_editor(req, &state, &session, id, StatusCode::OK, None).await
}

#[handler]
pub(super) async fn editor_save(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, mut form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let view = match notes::editor(&state.db, &session.caller, id).await {
        Ok(v) => v,
        Err(err) => return error_page(Some(&session), err),
    };
    let mut errors = FieldErrors::default();
    let (input, renames) = posted_note(&view, &form, &mut errors);
    let add_point = form.get("add_point").and_then(|k| k.parse::<usize>().ok());
    if errors.is_empty() {
        match notes::save(&state.db, &session.caller, id, form.version(), input).await {
            Ok(_) => {
                return match add_point {
                    Some(k) => flash::redirect(
                        req,
                        &format!("{}?more={k}#item-{k}-points", note_path(id, "")),
                        "The draft was saved. There is another box for a discussion point.",
                    ),
                    None => flash::redirect(req, &note_path(id, ""), "The draft was saved."),
                };
            }
            Err(Error::Stale { .. }) => {
                let stored = stored_values(&view);
                let mut names: Vec<String> = Vec::new();
                for name in stored_names(&stored).into_iter().chain(stored_names(&form)) {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                let rows: Vec<(String, String, String)> = names
                    .into_iter()
                    .filter_map(|name| {
                        let label = field_label(&view, &name)?;
                        let theirs = stored.text(&name);
                        Some((label, name, theirs))
                    })
                    .collect();
                let refs: Vec<(&str, &str, String)> = rows
                    .iter()
                    .map(|(l, n, t)| (l.as_str(), n.as_str(), t.clone()))
                    .collect();
                let current = view.note.as_ref().map_or(0, |n| n.version);
                let conflict = Conflict::between(&form, current, &refs).label_choices_all(&view);
                form.set("version", current.to_string());
                return show_editor(
                    req,
                    &state,
                    &session,
                    id,
                    StatusCode::CONFLICT,
                    Some(EditorState {
                        form,
                        errors,
                        conflict: Some(conflict),
                        more: None,
                    }),
                )
                .await;
            }
            Err(err) => {
                let pairs: Vec<(&str, &str)> = renames
                    .iter()
                    .map(|(a, b)| (a.as_str(), b.as_str()))
                    .collect();
                // Name each problem by what the person sees ("Regime principles:
                // speaker of point 1 must be …"), not by the form's field names.
                let err = match err {
                    Error::Invalid(fields) => Error::Invalid(
                        fields
                            .into_iter()
                            .map(|mut f| {
                                let name = pairs
                                    .iter()
                                    .find(|(from, _)| *from == f.field)
                                    .map_or(f.field.as_str(), |(_, to)| to);
                                if let Some(label) = field_label(&view, name) {
                                    f.message = format!("{label} {}", f.message);
                                }
                                f
                            })
                            .collect(),
                    ),
                    other => other,
                };
                if let Err(other) = errors.absorb(err, &pairs, "save") {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    let errors = in_page_order(errors, &form);
    let status = if errors.items().iter().any(|(f, _)| f == "save") {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    show_editor(
        req,
        &state,
        &session,
        id,
        status,
        Some(EditorState {
            form,
            errors,
            conflict: None,
            more: None,
        }),
    )
    .await
}

/// The editor's problems in the order its fields appear, so that the error
/// summary reads from the top of the page down.
fn in_page_order(errors: FieldErrors, form: &FormFields) -> FieldErrors {
    let mut order = vec!["purpose".to_owned()];
    order.extend(
        stored_names(form)
            .into_iter()
            .filter(|n| n.starts_with("item-")),
    );
    for name in [
        "key_issues",
        "next_steps",
        "aob",
        "next_meeting",
        "attribution",
        "second_meeting_id",
        "save",
    ] {
        order.push(name.to_owned());
    }
    let mut items: Vec<(String, String)> = errors.items().to_vec();
    items.sort_by_key(|(field, _)| order.iter().position(|o| o == field).unwrap_or(usize::MAX));
    let mut sorted = FieldErrors::default();
    for (field, message) in items {
        sorted.add(&field, message);
    }
    sorted
}

/// The names of the note's fields a form holds.
fn stored_names(form: &FormFields) -> Vec<String> {
    let mut names = Vec::new();
    for name in [
        "purpose",
        "key_issues",
        "next_steps",
        "aob",
        "next_meeting",
        "attribution",
        "second_meeting_id",
    ] {
        names.push(name.to_owned());
    }
    for k in 0..200 {
        if form.get(&format!("item-{k}-id")).is_none() {
            break;
        }
        names.push(format!("item-{k}-summary"));
        for j in 0..boxes_of(form, k) {
            names.push(format!("item-{k}-point-{j}"));
            names.push(format!("item-{k}-speaker-{j}"));
        }
        names.push(format!("item-{k}-response"));
        names.push(format!("item-{k}-agreed"));
    }
    names
}

trait LabelAll {
    fn label_choices_all(self, view: &EditorView) -> Self;
}

impl LabelAll for Conflict {
    /// Shows speakers and the second meeting by name, not by id.
    fn label_choices_all(mut self, view: &EditorView) -> Self {
        let names: HashMap<String, String> = view
            .speakers
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .chain(view.other_meetings.iter().map(|m| {
                (
                    m.id.to_string(),
                    format!("Meeting {}: {}", m.number, m.title),
                )
            }))
            .collect();
        for row in self.rows.iter_mut() {
            if let Some(n) = names.get(&row.theirs) {
                row.theirs = n.clone();
            }
            if let Some(n) = names.get(&row.yours) {
                row.yours = n.clone();
            }
        }
        self
    }
}
