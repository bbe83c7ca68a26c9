//! From the meeting's record and what the secretariat wrote to the document one
//! audience receives. This is where the rules of what may be shown live:
//!
//! - agenda items (and the actions raised under them) reserved to the secretariat
//!   never reach a members' or public rendition; members' items never a public one;
//! - the attribution mode decides which discussion points name their speaker;
//! - no rendition prints the joining link of an online meeting (it belongs to
//!   the invitation; a note is read long after and travels further);
//! - a meeting not yet held lists no one as present and no actions;
//! - a presenter who sent apologies or was absent is not "presented by";
//! - the actions from previous meetings follow the visibility of the agenda
//!   item that reviews them.
//!
//! Everything here is pure: the database work that gathers [`NoteSources`] is in
//! `crate::service::notes`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use crate::domain::lifecycle::meeting_taken_place;
use crate::domain::{
    ActionStatus, AgendaItemKind, AttendanceRole, AttendanceStatus, Attribution, FieldError,
    GroupKind, MeetingMode, MeetingStatus, Visibility,
};
use crate::notes::content::NoteContent;
use crate::notes::model::{
    self, ActionRow, AttendanceSection, DiscussionPoint, ItemSection, MeetingDetails, MeetingWhen,
    Missing, NoteDocument, PersonLine,
};
use entity::{action_item, agenda_item, attendance, group, meeting, person};

/// Everything from the database that a note is assembled from.
#[derive(Debug, Clone)]
pub struct NoteSources {
    pub group: group::Model,
    /// The meetings the note covers, in time order (one, or two).
    pub meetings: Vec<meeting::Model>,
    /// The agenda items of those meetings, in meeting then agenda order.
    pub agenda: Vec<agenda_item::Model>,
    /// The attendance registers of those meetings.
    pub register: Vec<(attendance::Model, person::Model)>,
    /// People named elsewhere (presenters, action owners, sponsors), by id.
    pub people: HashMap<Uuid, person::Model>,
    /// Organisation names by id.
    pub organisations: HashMap<Uuid, String>,
    /// The names of the group's sponsors (SIGs).
    pub sponsors: Vec<String>,
    /// The standing paragraph of the group's parent, for a SIG that has none.
    pub parent_name: Option<String>,
    /// Open actions from the group's earlier meetings, in reference order, then
    /// those completed since the group's last meeting.
    pub previous_actions: Vec<action_item::Model>,
    /// The visibility of the agenda items earlier actions were raised under.
    pub previous_action_items: HashMap<Uuid, String>,
    /// Actions raised at the covered meetings.
    pub actions: Vec<action_item::Model>,
    /// The group's next scheduled meeting after the covered ones.
    pub next_meeting: Option<meeting::Model>,
    /// The secretariat organisation's name.
    pub author: String,
}

/// Which rendition to assemble.
#[derive(Debug, Clone, Copy)]
pub struct Rendition {
    /// Who it is for; `Secretariat` only for previews.
    pub audience: Visibility,
    pub attribution: Attribution,
    pub status: model::NoteStatus,
    pub version: Option<u32>,
    pub draft_marking: bool,
    pub created: DateTime<Utc>,
}

fn zone_of(meeting: &meeting::Model) -> Tz {
    meeting
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::London)
}

/// The day a meeting takes place, in its own zone.
pub fn local_date(meeting: &meeting::Model) -> NaiveDate {
    meeting
        .starts_at
        .with_timezone(&zone_of(meeting))
        .date_naive()
}

fn visible(visibility: &str, audience: Visibility) -> bool {
    visibility
        .parse::<Visibility>()
        .map(|v| v.visible_to(audience))
        .unwrap_or(false)
}

fn blank_to_none(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

impl NoteSources {
    fn organisation(&self, id: Option<Uuid>) -> Option<String> {
        id.and_then(|id| self.organisations.get(&id).cloned())
    }

    fn person_name(&self, id: Uuid) -> Option<String> {
        self.people.get(&id).map(|p| p.name.clone()).or_else(|| {
            self.register
                .iter()
                .find(|(_, p)| p.id == id)
                .map(|(_, p)| p.name.clone())
        })
    }

    fn item(&self, id: Uuid) -> Option<&agenda_item::Model> {
        self.agenda.iter().find(|i| i.id == id)
    }

    /// People who may be named in `officials_named` mode: those who attended as
    /// officials or presenters.
    fn officials_and_presenters(&self) -> HashSet<Uuid> {
        self.register
            .iter()
            .filter(|(line, _)| {
                matches!(
                    line.role.parse::<AttendanceRole>(),
                    Ok(AttendanceRole::Official | AttendanceRole::Presenter)
                )
            })
            .map(|(_, person)| person.id)
            .collect()
    }

    fn action_owner(&self, action: &action_item::Model) -> String {
        if let Some(name) = action.owner_person_id.and_then(|id| self.person_name(id)) {
            return name;
        }
        if let Some(name) = self.organisation(action.owner_organisation_id) {
            return name;
        }
        action.owner_text.clone().unwrap_or_default()
    }

    /// An action as the note lists it; outstanding after its due date as at
    /// `as_at` (the meeting's day) makes it overdue.
    fn action_row(&self, action: &action_item::Model, as_at: Option<NaiveDate>) -> ActionRow {
        let status = action.status.parse::<ActionStatus>().ok();
        ActionRow {
            reference: action.reference.clone(),
            description: action.description.clone(),
            owner: self.action_owner(action),
            due_on: action.due_on,
            status: status
                .map(|s| s.label().to_owned())
                .unwrap_or_else(|| action.status.clone()),
            overdue: status.is_some_and(ActionStatus::is_outstanding)
                && matches!((action.due_on, as_at), (Some(due), Some(day)) if due < day),
        }
    }

    /// Whether every covered meeting has taken place by `now`.
    pub fn held(&self, now: DateTime<Utc>) -> bool {
        !self.meetings.is_empty()
            && self.meetings.iter().all(|m| {
                m.status
                    .parse::<MeetingStatus>()
                    .is_ok_and(|status| meeting_taken_place(status, m.starts_at, now))
            })
    }

    /// Why the presenter of `item` did not present, when the register of its
    /// meeting says they sent apologies or were absent. A presenter written as
    /// text ("Carys Hughes, HMPPS") is matched by the names on the register.
    fn presenter_missing(&self, item: &agenda_item::Model) -> Option<(String, Missing)> {
        let text = item.presenter_text.as_deref().unwrap_or("");
        self.register
            .iter()
            .filter(|(line, _)| line.meeting_id == item.meeting_id)
            .filter(|(_, person)| {
                item.presenter_person_id == Some(person.id)
                    || (item.presenter_person_id.is_none() && mentions(text, &person.name))
            })
            .find_map(|(line, person)| {
                let missing = match line.status.parse::<AttendanceStatus>().ok()? {
                    AttendanceStatus::Apologies => Missing::Apologies,
                    AttendanceStatus::Absent => Missing::Absent,
                    _ => return None,
                };
                Some((person.name.clone(), missing))
            })
    }
}

/// Presenters on the agenda who sent apologies or were absent, for items
/// `audience` will see: the note says what happened instead of "Presented by",
/// and the secretariat is told, in case the register or the agenda is wrong.
/// Named as `items[i].presenter`, `i` counting from 0 as the note was written.
pub fn presenter_warnings(
    sources: &NoteSources,
    content: &NoteContent,
    audience: Visibility,
) -> Vec<FieldError> {
    content
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, written)| {
            let item = sources.item(written.agenda_item_id)?;
            if !visible(&item.visibility, audience) {
                return None;
            }
            let (name, missing) = sources.presenter_missing(item)?;
            let what = match missing {
                Missing::Apologies => "sent apologies",
                Missing::Absent => "is recorded as absent",
            };
            Some(FieldError::new(
                format!("items[{i}].presenter"),
                format!(
                    "{name} is down to present \"{}\" but {what}; the note says so instead of \"Presented by\" (correct the register or the agenda if someone else presented)",
                    item.title
                ),
            ))
        })
        .collect()
}

/// Whether a speaker may be named under `attribution` for an item presented by
/// `presenter`.
fn may_name(
    attribution: Attribution,
    speaker: Uuid,
    presenter: Option<Uuid>,
    officials: &HashSet<Uuid>,
) -> bool {
    match attribution {
        Attribution::NonAttributed => false,
        Attribution::OfficialsNamed => officials.contains(&speaker) || presenter == Some(speaker),
        Attribution::FullyAttributed => true,
    }
}

/// Builds the document `rendition.audience` receives.
pub fn assemble(
    sources: &NoteSources,
    content: &NoteContent,
    rendition: Rendition,
) -> NoteDocument {
    let audience = rendition.audience;
    let group = &sources.group;
    let kind = match group.kind.parse::<GroupKind>() {
        Ok(GroupKind::Sig) => model::GroupKind::Sig,
        _ => model::GroupKind::MainGroup,
    };

    let meetings = sources
        .meetings
        .iter()
        .map(|m| {
            let mode = m.mode.parse::<MeetingMode>().ok();
            MeetingDetails {
                number: m.number,
                title: m.title.clone(),
                starts_at: m.starts_at,
                ends_at: m.ends_at,
                time_zone: zone_of(m),
                mode: mode.map(|m| m.label().to_owned()).unwrap_or_default(),
                location: m.location.clone(),
            }
        })
        .collect();

    let about = match blank_to_none(&group.about) {
        Some(about) => about,
        None => match (&kind, &sources.parent_name) {
            // "special interest group" is spelled out from the name's "SIG".
            (model::GroupKind::Sig, Some(parent)) => {
                format!("The {} reports to the {parent}.", group.name)
            }
            _ => String::new(),
        },
    };

    // Agenda items the audience may see, in meeting and agenda order, with what
    // the note says about each.
    let officials = sources.officials_and_presenters();
    let mut items: Vec<(usize, ItemSection)> = Vec::new();
    for written in &content.items {
        let Some(item) = sources.item(written.agenda_item_id) else {
            continue;
        };
        if !visible(&item.visibility, audience) {
            continue;
        }
        let order = sources
            .agenda
            .iter()
            .position(|i| i.id == item.id)
            .unwrap_or(usize::MAX);
        let presenter = match item.presenter_person_id {
            Some(id) => sources.person_name(id).map(|name| {
                let organisation = sources
                    .people
                    .get(&id)
                    .and_then(|p| sources.organisation(p.organisation_id));
                match organisation {
                    Some(org) => format!("{name}, {org}"),
                    None => name,
                }
            }),
            None => blank_to_none(&item.presenter_text),
        };
        let presenter_missing = presenter
            .as_ref()
            .and_then(|_| sources.presenter_missing(item))
            .map(|(_, missing)| missing);
        let discussion = written
            .discussion
            .iter()
            .map(|point| DiscussionPoint {
                text: point.text.clone(),
                speaker: point
                    .speaker_person_id
                    .filter(|speaker| {
                        may_name(
                            rendition.attribution,
                            *speaker,
                            item.presenter_person_id,
                            &officials,
                        )
                    })
                    .and_then(|speaker| sources.person_name(speaker)),
            })
            .collect();
        items.push((
            order,
            ItemSection {
                title: item.title.clone(),
                presenter,
                presenter_missing,
                summary: blank_to_none(&written.summary),
                discussion,
                officials_response: blank_to_none(&written.officials_response),
                agreed: written.agreed.clone(),
            },
        ));
    }
    items.sort_by_key(|(order, _)| *order);

    let hidden_items: HashSet<Uuid> = sources
        .agenda
        .iter()
        .filter(|i| !visible(&i.visibility, audience))
        .map(|i| i.id)
        .collect();
    // The day the first covered meeting took place: actions due before it and
    // still outstanding are overdue.
    let as_at = sources.meetings.first().map(local_date);
    // The agenda item that reviews earlier actions decides who sees them; with
    // no such item they are shown to everyone who sees the note, as the design
    // carries open actions into every next note.
    let review_hidden = sources.agenda.iter().any(|i| {
        i.kind.parse::<AgendaItemKind>() == Ok(AgendaItemKind::PreviousActions)
            && !visible(&i.visibility, audience)
    });
    let previous_actions = (!review_hidden).then(|| {
        sources
            .previous_actions
            .iter()
            .filter(|a| {
                a.agenda_item_id
                    .and_then(|id| sources.previous_action_items.get(&id))
                    .is_none_or(|v| visible(v, audience))
            })
            .map(|a| sources.action_row(a, as_at))
            .collect()
    });
    let actions = sources
        .actions
        .iter()
        .filter(|a| {
            a.agenda_item_id
                .is_none_or(|id| !hidden_items.contains(&id))
        })
        .map(|a| sources.action_row(a, as_at))
        .collect();
    let includes_reserved = items.iter().any(|(order, _)| {
        sources
            .agenda
            .get(*order)
            .is_some_and(|i| i.visibility == Visibility::Secretariat.as_str())
    });
    let held = sources.held(rendition.created);

    let next_meeting = sources.next_meeting.as_ref().map(|m| {
        let mode = m.mode.parse::<MeetingMode>().ok();
        let place = match (mode, blank_to_none(&m.location)) {
            (Some(MeetingMode::Online), _) | (_, None) => mode.map(|m| m.label().to_owned()),
            (Some(mode), Some(location)) => Some(format!("{}: {location}", mode.label())),
            (None, Some(location)) => Some(location),
        };
        MeetingWhen {
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            time_zone: zone_of(m),
            place,
        }
    });

    NoteDocument {
        group_name: group.name.clone(),
        group_short_name: group.short_name.clone(),
        group_kind: kind,
        meetings,
        held,
        status: rendition.status,
        version: rendition.version,
        audience: match audience {
            Visibility::Public => model::Audience::Public,
            Visibility::Members => model::Audience::Members,
            Visibility::Secretariat => model::Audience::Secretariat,
        },
        draft_marking: rendition.draft_marking,
        includes_reserved,
        about,
        remit: if kind == model::GroupKind::Sig {
            blank_to_none(&group.remit)
        } else {
            None
        },
        sponsors: sources.sponsors.clone(),
        purpose: blank_to_none(&content.purpose).unwrap_or_default(),
        // Before the meeting, accepted invitations are not attendance.
        attendance: if held {
            attendance_section(sources)
        } else {
            AttendanceSection::default()
        },
        previous_actions,
        items: items.into_iter().map(|(_, item)| item).collect(),
        key_issues: content.key_issues.clone(),
        actions: if held { actions } else { Vec::new() },
        next_steps: content.next_steps.clone(),
        aob: blank_to_none(&content.aob),
        next_meeting,
        next_meeting_text: blank_to_none(&content.next_meeting),
        author: sources.author.clone(),
        created: rendition.created,
    }
}

/// The register as the note lists it. A person on the registers of both covered
/// meetings is listed once: present if they came to either.
fn attendance_section(sources: &NoteSources) -> AttendanceSection {
    let mut section = AttendanceSection::default();
    let present = |status: &str| {
        matches!(
            status.parse::<AttendanceStatus>(),
            Ok(AttendanceStatus::Attended | AttendanceStatus::Accepted)
        )
    };
    let came: HashSet<Uuid> = sources
        .register
        .iter()
        .filter(|(line, _)| present(&line.status))
        .map(|(_, p)| p.id)
        .collect();
    let mut listed: HashSet<Uuid> = HashSet::new();
    let mut chairs = Vec::new();
    for (line, person) in &sources.register {
        if listed.contains(&person.id) {
            continue;
        }
        let organisation = line
            .organisation_name
            .clone()
            .or_else(|| sources.organisation(person.organisation_id));
        let status = line.status.parse::<AttendanceStatus>().ok();
        if status == Some(AttendanceStatus::Apologies) && !came.contains(&person.id) {
            listed.insert(person.id);
            section.apologies.push(PersonLine {
                name: person.name.clone(),
                organisation,
                role: None,
            });
            continue;
        }
        if !present(&line.status) {
            // Invited, no response or absent: not listed as present.
            continue;
        }
        listed.insert(person.id);
        let role = line.role.parse::<AttendanceRole>().ok();
        let job = blank_to_none(&person.job_title);
        let entry = |role_text: Option<String>| PersonLine {
            name: person.name.clone(),
            organisation: organisation.clone(),
            role: role_text,
        };
        match role {
            Some(AttendanceRole::Chair) => chairs.push((0, entry(Some("Chair".into())))),
            Some(AttendanceRole::CoChair) => chairs.push((1, entry(Some("Co-chair".into())))),
            Some(AttendanceRole::Sponsor) => section.members.push(entry(Some("Sponsor".into()))),
            Some(AttendanceRole::CoOpted) => {
                section.members.push(entry(Some("Co-opted member".into())))
            }
            Some(AttendanceRole::Official) => section
                .officials
                .push(entry(Some(with_job("Official", job)))),
            Some(AttendanceRole::Presenter) => {
                section.guests.push(entry(Some(with_job("Presenter", job))))
            }
            Some(AttendanceRole::Guest) => section.guests.push(entry(Some(with_job("Guest", job)))),
            Some(AttendanceRole::Observer) => section.guests.push(entry(Some("Observer".into()))),
            Some(AttendanceRole::Secretariat) => section
                .secretariat
                .push(entry(Some(with_job("Secretariat", job)))),
            Some(AttendanceRole::Member) | None => {
                section.members.push(entry(Some("Member".into())))
            }
        }
    }
    chairs.sort_by_key(|(rank, _)| *rank);
    section.chair = chairs.into_iter().map(|(_, line)| line).collect();
    section
}

/// A role at the meeting with the person's job: "Official, Head of Regime Design".
fn with_job(role: &str, job: Option<String>) -> String {
    match job {
        Some(job) => format!("{role}, {job}"),
        None => role.to_owned(),
    }
}

/// Discussion points that would name a member in a note that must not: the full
/// name of someone on the register who is not an official or presenter (nor the
/// item's presenter), in a point of an item `audience` will see. Named as
/// `items[i].discussion[j]`, `i` and `j` counting from 0 as the note was written.
pub fn naming_problems(
    sources: &NoteSources,
    content: &NoteContent,
    attribution: Attribution,
    audience: Visibility,
) -> Vec<FieldError> {
    if attribution == Attribution::FullyAttributed {
        return Vec::new();
    }
    let officials = sources.officials_and_presenters();
    let mut members: Vec<&person::Model> = Vec::new();
    for (_, person) in &sources.register {
        if !officials.contains(&person.id) && !members.iter().any(|p| p.id == person.id) {
            members.push(person);
        }
    }
    let mut problems = Vec::new();
    for (i, written) in content.items.iter().enumerate() {
        let Some(item) = sources.item(written.agenda_item_id) else {
            continue;
        };
        if !visible(&item.visibility, audience) {
            continue;
        }
        for (j, point) in written.discussion.iter().enumerate() {
            let named: Vec<&str> = members
                .iter()
                .filter(|p| Some(p.id) != item.presenter_person_id)
                .filter(|p| mentions(&point.text, &p.name))
                .map(|p| p.name.as_str())
                .collect();
            if !named.is_empty() {
                problems.push(FieldError::new(
                    format!("items[{i}].discussion[{j}]"),
                    format!(
                        "names {} in a note that is {}: summarise the point without naming members (\"members raised…\")",
                        named.join(" and "),
                        match attribution {
                            Attribution::NonAttributed => "not attributed",
                            _ => "attributed to officials only",
                        }
                    ),
                ));
            }
        }
    }
    problems
}

/// Whether `text` contains `name` as whole words, ignoring case.
fn mentions(text: &str, name: &str) -> bool {
    let name = name.trim().to_lowercase();
    if name.is_empty() {
        return false;
    }
    let text = text.to_lowercase();
    let mut from = 0;
    while let Some(found) = text[from..].find(&name) {
        let start = from + found;
        let end = start + name.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_as_whole_words_whatever_the_case() {
        assert!(mentions("Ben Okafor said so", "Ben Okafor"));
        assert!(mentions("as BEN OKAFOR noted", "Ben Okafor"));
        assert!(!mentions("Ben Okaforson said so", "Ben Okafor"));
        assert!(!mentions("Members raised concerns", "Ben Okafor"));
        assert!(mentions("Zoë Brontë’s point", "Zoë Brontë"));
    }
}
