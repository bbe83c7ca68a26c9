//! The large summary note that the benchmark renders and the document tests
//! check page by page: long enough to break across pages in many places.
//! Shared by `benches/render_note.rs` and the integration suite (included
//! with `#[path]`), so both measure and check the same document.

#![allow(dead_code)]

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use minutebook::notes::model::{
    ActionRow, AttendanceSection, Audience, DiscussionPoint, GroupKind, ItemSection,
    MeetingDetails, MeetingWhen, NoteDocument, NoteStatus, PersonLine,
};

const ORGANISATIONS: [&str; 8] = [
    "Nacro",
    "Prison Reform Trust",
    "St Giles Trust",
    "Women in Prison",
    "Clinks",
    "Ministry of Justice",
    "HM Prison and Probation Service",
    "Revolving Doors",
];

pub fn people(count: usize, offset: usize, role: Option<&str>) -> Vec<PersonLine> {
    (0..count)
        .map(|i| PersonLine {
            name: format!("Attendee Number{}", offset + i),
            organisation: Some(ORGANISATIONS[(offset + i) % ORGANISATIONS.len()].to_owned()),
            role: role.map(str::to_owned),
        })
        .collect()
}

pub fn actions(count: usize, meeting: i32) -> Vec<ActionRow> {
    let statuses = ["Open", "In progress", "Done", "Dropped"];
    (0..count)
        .map(|i| ActionRow {
            reference: format!("FRD-{meeting}-A{}", i + 1),
            description: format!(
                "Share the evidence behind principle {} with members, including the \
                 data on purposeful activity & time out of cell, before the next meeting",
                i + 1
            ),
            owner: if i % 3 == 0 {
                "All members".to_owned()
            } else {
                format!("Attendee Number{i}")
            },
            due_on: NaiveDate::from_ymd_opt(2026, 4, 1).map(|d| d + Duration::days(i as i64)),
            status: statuses[i % statuses.len()].to_owned(),
            overdue: i % 4 < 2 && i % 5 == 0,
        })
        .collect()
}

/// The large note: 40 attendees, 12 agenda items with 6 discussion points
/// each, 10 previous actions and 30 new ones, published for the public.
pub fn large_note() -> NoteDocument {
    let starts_at = Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap();
    let items = (0..12)
        .map(|i| ItemSection {
            title: format!("Agenda item {} on regime design", i + 1),
            presenter: Some("Gareth Pryce, Ministry of Justice".to_owned()),
            presenter_missing: None,
            summary: Some(
                "Officials set out the emerging principles for regime design and the \
                 evidence behind them, and asked for members' views."
                    .to_owned(),
            ),
            discussion: (0..6)
                .map(|j| DiscussionPoint {
                    text: format!(
                        "Members raised point {} about continuity of care between prisons, \
                         the resourcing of purposeful activity and the role of the voluntary sector.",
                        j + 1
                    ),
                    speaker: (j % 3 == 0).then(|| "Gareth Pryce".to_owned()),
                })
                .collect(),
            officials_response: Some(
                "Officials agreed to share the evidence base behind the principles.".to_owned(),
            ),
            agreed: vec!["The group will respond in writing by April.".to_owned()],
        })
        .collect();

    NoteDocument {
        group_name: "Future Regime Design SIG".to_owned(),
        group_short_name: "FRD".to_owned(),
        group_kind: GroupKind::Sig,
        meetings: vec![MeetingDetails {
            number: 5,
            title: "Regime design principles".to_owned(),
            starts_at,
            ends_at: starts_at + Duration::hours(2),
            time_zone: chrono_tz::Europe::London,
            mode: "Hybrid".to_owned(),
            location: Some("102 Petty France, London SW1H 9AJ".to_owned()),
        }],
        held: true,
        status: NoteStatus::Published {
            agreed: NaiveDate::from_ymd_opt(2026, 4, 2),
            on: NaiveDate::from_ymd_opt(2026, 4, 9).unwrap(),
        },
        version: Some(1),
        audience: Audience::Public,
        draft_marking: false,
        includes_reserved: false,
        about: "The Future Regime Design special interest group brings RR3 members and \
                co-opted experts together to advise on how daily prison regimes should be designed."
            .to_owned(),
        remit: Some("To advise HMPPS on the design of future prison regimes.".to_owned()),
        sponsors: vec!["Fiona MacLeod".to_owned(), "Amara Okafor".to_owned()],
        purpose: "To hear officials' emerging principles for regime design.".to_owned(),
        attendance: AttendanceSection {
            chair: people(1, 0, Some("Chair")),
            members: people(24, 1, None),
            officials: people(8, 25, Some("Deputy Director")),
            guests: people(4, 33, Some("Presenter")),
            secretariat: people(3, 37, Some("Policy Officer")),
            apologies: people(5, 40, None),
        },
        previous_actions: Some(actions(10, 4)),
        items,
        key_issues: (0..6)
            .map(|i| format!("Key issue {} for the group", i + 1))
            .collect(),
        actions: actions(30, 5),
        next_steps: vec!["The secretariat will draft the group's written response.".to_owned()],
        aob: Some("None raised.".to_owned()),
        next_meeting: Some(MeetingWhen {
            starts_at: Utc.with_ymd_and_hms(2026, 6, 18, 9, 30, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 6, 18, 11, 30, 0).unwrap(),
            time_zone: chrono_tz::Europe::London,
            place: Some("Online".to_owned()),
        }),
        next_meeting_text: None,
        author: "Clinks".to_owned(),
        created: Utc.with_ymd_and_hms(2026, 4, 9, 9, 0, 0).unwrap(),
    }
}
