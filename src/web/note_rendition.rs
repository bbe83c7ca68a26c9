//! A summary note as HTML, for reading on a page: the secretariat's preview for
//! each audience and the members' circulated draft. It is drawn from the same
//! assembled [`NoteDocument`] the Word document is rendered from, so the page and
//! the download cannot disagree about what an audience sees; only the layout
//! differs.

use askama::Template;

use crate::domain::when::{format_meeting_time, format_short_date};
use crate::notes::model::{ActionRow, Audience, NoteDocument, PersonLine};
use crate::notes::render::document_title;

pub struct Row {
    pub label: String,
    pub value: String,
}

pub struct PeopleGroup {
    pub label: String,
    pub people: Vec<(String, String, String)>,
}

pub struct Point {
    pub speaker: Option<String>,
    pub text: String,
}

pub struct Item {
    pub heading: String,
    pub presenter: Option<String>,
    pub summary: Vec<String>,
    pub discussion: Vec<Point>,
    pub officials_response: Vec<String>,
    pub agreed: Vec<String>,
}

pub struct Action {
    pub reference: String,
    pub description: String,
    pub owner: String,
    pub due: String,
    pub status: String,
}

/// The note laid out for a page. Headings start at `h2` (the page has its `h1`).
#[derive(Template)]
#[template(path = "notes/rendition.html")]
pub struct Rendition {
    pub title: String,
    pub draft: bool,
    pub details: Vec<Row>,
    pub about: Vec<String>,
    pub remit: Option<String>,
    pub sponsors: Option<String>,
    pub purpose: Vec<String>,
    pub attendance: Vec<PeopleGroup>,
    pub apologies: Option<String>,
    pub previous_actions: Vec<Action>,
    pub items: Vec<Item>,
    pub key_issues: Vec<String>,
    pub actions: Vec<Action>,
    pub next_steps: Vec<String>,
    pub aob: Vec<String>,
    pub next_meeting: Vec<String>,
}

/// Paragraphs of a text, split at blank lines.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

fn actions(rows: &[ActionRow]) -> Vec<Action> {
    rows.iter()
        .map(|a| Action {
            reference: a.reference.clone(),
            description: a.description.clone(),
            owner: a.owner.clone(),
            due: a
                .due_on
                .map(format_short_date)
                .unwrap_or_else(|| "Not set".into()),
            status: a.status.clone(),
        })
        .collect()
}

fn people(lines: &[PersonLine]) -> Vec<(String, String, String)> {
    lines
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.organisation.clone().unwrap_or_default(),
                p.role.clone().unwrap_or_default(),
            )
        })
        .collect()
}

impl Rendition {
    pub fn of(note: &NoteDocument) -> Self {
        let mut details = Vec::new();
        for meeting in &note.meetings {
            let prefix = if note.meetings.len() > 1 {
                format!("Meeting {}: ", meeting.number)
            } else {
                String::new()
            };
            details.push(Row {
                label: format!("{prefix}Date and time").trim_start().to_owned(),
                value: format_meeting_time(meeting.starts_at, meeting.ends_at, meeting.time_zone),
            });
            let place = [Some(meeting.mode.clone()), meeting.location.clone()]
                .into_iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" — ");
            if !place.is_empty() {
                details.push(Row {
                    label: format!("{prefix}Where"),
                    value: place,
                });
            }
        }
        if let Some(version) = note.version {
            details.push(Row {
                label: "Version".into(),
                value: version.to_string(),
            });
        }
        details.push(Row {
            label: "Status".into(),
            // The same words as the Word document's status row.
            value: crate::notes::render::status_text(&note.status, note.version),
        });
        details.push(Row {
            label: "Audience".into(),
            value: match note.audience {
                Audience::Members => "Members of the group and officials",
                Audience::Public => "Public",
                Audience::Secretariat => {
                    "Secretariat only (includes items reserved to the secretariat)"
                }
            }
            .into(),
        });
        let a = &note.attendance;
        let chair = if a.chair.len() > 1 { "Chairs" } else { "Chair" };
        let attendance = [
            (chair, &a.chair),
            ("Members", &a.members),
            ("Officials", &a.officials),
            ("Guests and presenters", &a.guests),
            ("Secretariat", &a.secretariat),
        ]
        .into_iter()
        .filter(|(_, lines)| !lines.is_empty())
        .map(|(label, lines)| PeopleGroup {
            label: label.into(),
            people: people(lines),
        })
        .collect();
        let apologies = (!a.apologies.is_empty()).then(|| {
            a.apologies
                .iter()
                .map(|p| match &p.organisation {
                    Some(org) => format!("{} ({org})", p.name),
                    None => p.name.clone(),
                })
                .collect::<Vec<_>>()
                .join("; ")
        });
        let next_meeting = match (&note.next_meeting_text, &note.next_meeting) {
            (Some(text), _) => paragraphs(text),
            (None, Some(when)) => {
                let time = format_meeting_time(when.starts_at, when.ends_at, when.time_zone);
                vec![match &when.place {
                    Some(place) => format!("{time}. {}.", place.trim_end_matches('.')),
                    None => format!("{time}."),
                }]
            }
            (None, None) => vec!["To be confirmed.".into()],
        };
        Self {
            title: document_title(note),
            draft: note.draft_marking,
            details,
            about: paragraphs(&note.about),
            remit: note.remit.clone(),
            sponsors: (!note.sponsors.is_empty()).then(|| note.sponsors.join(", ")),
            purpose: paragraphs(&note.purpose),
            attendance,
            apologies,
            previous_actions: note
                .previous_actions
                .as_deref()
                .map(actions)
                .unwrap_or_default(),
            items: note
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| Item {
                    heading: format!("{}. {}", i + 1, item.title),
                    presenter: item.presenter.clone(),
                    summary: item.summary.as_deref().map(paragraphs).unwrap_or_default(),
                    discussion: item
                        .discussion
                        .iter()
                        .map(|p| Point {
                            speaker: p.speaker.clone(),
                            text: p.text.clone(),
                        })
                        .collect(),
                    officials_response: item
                        .officials_response
                        .as_deref()
                        .map(paragraphs)
                        .unwrap_or_default(),
                    agreed: item.agreed.clone(),
                })
                .collect(),
            key_issues: note.key_issues.clone(),
            actions: actions(&note.actions),
            next_steps: note.next_steps.clone(),
            aob: note.aob.as_deref().map(paragraphs).unwrap_or_default(),
            next_meeting,
        }
    }

    /// The HTML, escaped, to place inside a page.
    pub fn html(note: &NoteDocument) -> String {
        Self::of(note).render().unwrap_or_else(|err| {
            tracing::error!(error = %err, "a note could not be shown");
            String::from("<p>The note could not be shown.</p>")
        })
    }
}
