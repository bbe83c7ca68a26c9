//! The renderer's own tests: what the document says and how it is built.

use super::*;
use crate::notes::model::{
    AttendanceSection, DiscussionPoint, GroupKind, ItemSection, MeetingDetails, MeetingWhen,
    PersonLine,
};
use chrono::{NaiveDate, TimeZone, Utc};
use std::io::Read;

fn person(name: &str, org: &str, role: Option<&str>) -> PersonLine {
    PersonLine {
        name: name.into(),
        organisation: Some(org.into()),
        role: role.map(Into::into),
    }
}

fn action(reference: &str, description: &str, owner: &str, status: &str) -> ActionRow {
    ActionRow {
        reference: reference.into(),
        description: description.into(),
        owner: owner.into(),
        due_on: NaiveDate::from_ymd_opt(2026, 3, 26),
        status: status.into(),
        overdue: false,
    }
}

fn sample() -> NoteDocument {
    NoteDocument {
        group_name: "Future Regime Design SIG".into(),
        group_short_name: "FRD".into(),
        group_kind: GroupKind::Sig,
        meetings: vec![MeetingDetails {
            number: 5,
            title: "Regime design principles".into(),
            starts_at: Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 3, 12, 12, 0, 0).unwrap(),
            time_zone: chrono_tz::Europe::London,
            mode: "Hybrid".into(),
            location: Some("102 Petty France, London SW1H 9AJ".into()),
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
        about: "The group advises on regime design.\n\nIt reports to RR3.".into(),
        remit: Some("To advise on daily prison regimes.".into()),
        sponsors: vec!["Fiona MacLeod".into(), "Amara Okafor".into()],
        purpose: "To hear officials' emerging principles.".into(),
        attendance: AttendanceSection {
            chair: vec![person("Fiona MacLeod", "Prison Reform Trust", None)],
            members: vec![person("Amara Okafor", "Nacro", Some("Chief Executive"))],
            officials: vec![person(
                "Gareth Pryce",
                "Ministry of Justice",
                Some("Deputy Director, Regimes"),
            )],
            guests: vec![],
            secretariat: vec![person("Sam O'Neill", "Clinks", Some("Policy Officer"))],
            apologies: vec![person("Tomasz Wójcik", "St Giles Trust", None)],
        },
        previous_actions: Some(vec![action(
            "FRD-4-A2",
            "Share the survey",
            "Secretariat",
            "Done",
        )]),
        items: vec![ItemSection {
            title: "Regime design principles".into(),
            presenter: Some("Gareth Pryce, Ministry of Justice".into()),
            presenter_missing: None,
            summary: Some("Officials set out four principles.".into()),
            discussion: vec![
                DiscussionPoint {
                    text: "Members welcomed the focus on purposeful activity.".into(),
                    speaker: None,
                },
                DiscussionPoint {
                    text: "Evidence will be shared.".into(),
                    speaker: Some("Gareth Pryce".into()),
                },
            ],
            officials_response: Some("Officials agreed to share the evidence.".into()),
            agreed: vec!["The group will respond by April.".into()],
        }],
        key_issues: vec!["Resourcing of purposeful activity".into()],
        actions: vec![
            action("FRD-5-A1", "Circulate the slides", "Secretariat", "Open"),
            action("FRD-12-A10", "Share evidence", "Priya Raman", "In progress"),
        ],
        next_steps: vec!["The secretariat will draft a response.".into()],
        aob: Some("None raised.".into()),
        next_meeting: Some(MeetingWhen {
            starts_at: Utc.with_ymd_and_hms(2026, 6, 18, 9, 30, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 6, 18, 11, 30, 0).unwrap(),
            time_zone: chrono_tz::Europe::London,
            place: Some("Online".into()),
        }),
        next_meeting_text: None,
        author: "Clinks".into(),
        created: Utc.with_ymd_and_hms(2026, 4, 9, 9, 0, 0).unwrap(),
    }
}

fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip package");
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the package"))
        .read_to_string(&mut text)
        .expect("UTF-8 XML");
    text
}

fn has_part(docx: &[u8], name: &str) -> bool {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip package");
    archive.by_name(name).is_ok()
}

/// The text of every paragraph with the given style id, in order.
fn styled_paragraphs(docx: &[u8], style: &str) -> Vec<String> {
    let doc = docx_rs::read_docx(docx).expect("a readable .docx");
    doc.document
        .children
        .iter()
        .filter_map(|child| match child {
            docx_rs::DocumentChild::Paragraph(p) => Some(p),
            _ => None,
        })
        .filter(|p| p.property.style.as_ref().map(|s| s.val.as_str()) == Some(style))
        .map(|p| p.raw_text())
        .collect()
}

#[test]
fn styles_exist_with_the_names_word_and_screen_readers_expect() {
    let styles = part(&render(&sample()).unwrap(), "word/styles.xml");
    for (id, name) in [
        ("Title", "Title"),
        ("Heading1", "Heading 1"),
        ("Heading2", "Heading 2"),
        ("ListBullet", "List Bullet"),
    ] {
        assert!(
            styles.contains(&format!(
                r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}" />"#
            )),
            "style {id} named {name}"
        );
    }
    assert!(styles.contains(r#"<w:outlineLvl w:val="0" />"#));
    assert!(styles.contains(r#"<w:outlineLvl w:val="1" />"#));
    assert!(styles.contains(r#"w:ascii="Arial""#));
    assert!(styles.contains(r#"<w:sz w:val="22" />"#));
    assert!(styles.contains(r#"<w:lang w:val="en-GB""#));
    // The bullet list style points at our bullet numbering, not docx-rs's
    // decimal numbering 1.
    let numbering = part(&render(&sample()).unwrap(), "word/numbering.xml");
    assert!(numbering.contains(r#"<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1" /><w:numFmt w:val="bullet" /><w:pStyle w:val="ListBullet" /><w:lvlText w:val="•" />"#));
    assert!(numbering.contains(r#"<w:num w:numId="2"><w:abstractNumId w:val="2" /></w:num>"#));
}

#[test]
fn page_is_a4_with_two_and_a_half_centimetre_margins() {
    let document = part(&render(&sample()).unwrap(), "word/document.xml");
    assert!(document.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#));
    assert!(
        document.contains(r#"<w:pgMar w:top="1418" w:right="1418" w:bottom="1418" w:left="1418""#)
    );
}

#[test]
fn sections_come_in_order_with_real_heading_styles() {
    let docx = render(&sample()).unwrap();
    assert_eq!(
        styled_paragraphs(&docx, "Title"),
        vec!["Summary note: Future Regime Design SIG — meeting 5"]
    );
    assert_eq!(
        styled_paragraphs(&docx, "Heading1"),
        vec![
            ABOUT_HEADING,
            PURPOSE_HEADING,
            ATTENDANCE_HEADING,
            PREVIOUS_ACTIONS_HEADING,
            DISCUSSION_HEADING,
            KEY_ISSUES_HEADING,
            ACTIONS_HEADING,
            NEXT_STEPS_HEADING,
            AOB_HEADING,
            NEXT_MEETING_HEADING,
        ]
    );
    assert_eq!(
        styled_paragraphs(&docx, "Heading2"),
        vec!["1. Regime design principles"]
    );
    assert_eq!(
        styled_paragraphs(&docx, "Heading3"),
        vec!["Officials’ response on item 1", "Agreed on item 1"]
    );
    assert_eq!(
        styled_paragraphs(&docx, "ListBullet"),
        vec![
            "Members welcomed the focus on purposeful activity.",
            "Gareth Pryce: Evidence will be shared.",
            "The group will respond by April.",
            "Resourcing of purposeful activity",
            "The secretariat will draft a response.",
        ]
    );
}

#[test]
fn bullets_use_the_bullet_numbering_and_speakers_are_bold() {
    let document = part(&render(&sample()).unwrap(), "word/document.xml");
    assert!(document.contains(
        r#"<w:pStyle w:val="ListBullet" /><w:numPr><w:ilvl w:val="0" /><w:numId w:val="2" /></w:numPr>"#
    ));
    assert!(document.contains(
        r#"<w:rPr><w:b /><w:bCs /></w:rPr><w:t xml:space="preserve">Gareth Pryce: </w:t>"#
    ));
}

#[test]
fn details_block_gives_time_in_the_meeting_zone_and_the_true_status() {
    let docx = render(&sample()).unwrap();
    let document = part(&docx, "word/document.xml");
    for text in [
        "Thursday 12 March 2026, 10:00–12:00\u{a0}GMT",
        "Hybrid",
        "102 Petty France, London SW1H\u{a0}9AJ",
        "Agreed 2 April 2026 · Published 9 April 2026, version 1",
        "Thursday 18 June 2026, 10:30–12:30\u{a0}BST.",
    ] {
        assert!(document.contains(text), "{text}");
    }
    // A note never hands out the meeting's joining link.
    assert!(!document.contains("hyperlink"));
    assert!(!part(&docx, "word/_rels/document.xml.rels").contains("hyperlink"));
}

fn two_meeting_note() -> NoteDocument {
    let mut note = sample();
    let mut fourth = note.meetings[0].clone();
    fourth.number = 4;
    note.meetings.insert(0, fourth);
    note
}

#[test]
fn the_same_note_always_renders_the_same_bytes() {
    let note = two_meeting_note();
    let first = render(&note).unwrap();
    for _ in 0..10 {
        assert!(
            render(&note).unwrap() == first,
            "two renders of one note differ"
        );
    }
}

#[test]
fn notes_rendered_at_once_come_out_as_rendered_alone() {
    let alone = render(&two_meeting_note()).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                (0..10)
                    .map(|_| render(&two_meeting_note()).unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for handle in handles {
        for docx in handle.join().unwrap() {
            assert!(docx == alone, "a note rendered alongside others differs");
        }
    }
}

#[test]
fn status_reads_as_the_lifecycle_says() {
    let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    assert_eq!(status_text(&NoteStatus::Draft, None), "Draft");
    assert_eq!(
        status_text(
            &NoteStatus::Circulated {
                comment_deadline: day(26)
            },
            None
        ),
        "Draft, circulated for comment until 26 March 2026"
    );
    assert_eq!(
        status_text(&NoteStatus::Approved { on: day(3) }, None),
        "Agreed 3 March 2026, not yet published"
    );
    assert_eq!(
        status_text(
            &NoteStatus::Published {
                agreed: Some(day(3)),
                on: day(10)
            },
            Some(2)
        ),
        "Agreed 3 March 2026 · Published 10 March 2026, version 2"
    );
    assert_eq!(
        status_text(
            &NoteStatus::Published {
                agreed: None,
                on: day(10)
            },
            None
        ),
        "Published 10 March 2026"
    );
}

#[test]
fn one_note_for_two_meetings_names_both() {
    let mut note = sample();
    let mut fourth = note.meetings[0].clone();
    fourth.number = 4;
    fourth.starts_at = Utc.with_ymd_and_hms(2026, 2, 26, 10, 0, 0).unwrap();
    fourth.ends_at = Utc.with_ymd_and_hms(2026, 2, 26, 11, 0, 0).unwrap();
    note.meetings.insert(0, fourth);
    assert_eq!(
        document_title(&note),
        "Summary note: Future Regime Design SIG — meetings 4 and 5"
    );
    let docx = render(&note).unwrap();
    let document = part(&docx, "word/document.xml");
    assert!(document.contains("Meeting 4"));
    assert!(document.contains("Thursday 26 February 2026, 10:00–11:00\u{a0}GMT"));
    assert!(part(&docx, "word/footer1.xml").contains("Summary note, meetings 4 and 5"));
    assert_eq!(meetings_phrase(&[4, 5, 6]).unwrap(), "meetings 4, 5 and 6");
}

#[test]
fn every_table_header_row_repeats_and_no_row_splits() {
    let document = part(&render(&sample()).unwrap(), "word/document.xml");
    // Attendance, previous actions and actions tables.
    assert_eq!(document.matches("<w:tblHeader />").count(), 3);
    assert!(!document.contains(HEADER_ROW_MARKER_XML));
    for table in document.split("<w:tbl>").skip(1) {
        let rows = table.matches("<w:tr>").count();
        assert_eq!(table.matches("<w:cantSplit />").count(), rows);
    }
    assert!(document.contains(
        r#"<w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr><w:tc><w:tcPr><w:tcW w:w="#
    ));
    assert!(document.contains(r#"<w:shd w:val="clear" w:color="auto" w:fill="D9E2F3" />"#));
    assert!(document.contains(r#"<w:tblLayout w:type="fixed" />"#));
    // Every table is followed by an empty spacer paragraph of fixed height,
    // which keeps text off the table and headings with their text.
    for after in document.split("</w:tbl>").skip(1) {
        let spacer = after.split("</w:p>").next().unwrap();
        assert!(
            spacer.contains(
                r#"<w:spacing w:before="0" w:after="0" w:line="200" w:lineRule="exact" />"#
            ),
            "{spacer}"
        );
        assert!(!spacer.contains("<w:t"), "{spacer}");
    }
}

#[test]
fn table_grids_fill_the_text_width_and_fit_their_content() {
    let document = part(&render(&sample()).unwrap(), "word/document.xml");
    let grids: Vec<Vec<usize>> = document
        .split("<w:tblGrid>")
        .skip(1)
        .map(|rest| {
            rest.split("</w:tblGrid>")
                .next()
                .unwrap()
                .split("w:w=\"")
                .skip(1)
                .map(|w| w.split('"').next().unwrap().parse().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(grids.len(), 4);
    for grid in &grids {
        assert_eq!(grid.iter().sum::<usize>(), TEXT_WIDTH, "{grid:?}");
    }
    let actions = grids.last().unwrap();
    let widest = actions.iter().max().unwrap();
    assert_eq!(
        actions[1], *widest,
        "the Action column is widest: {actions:?}"
    );
    // "FRD-12-A10" and "12 Mar 2026" fit on one line at 10 pt.
    assert!(actions[0] >= text_width("FRD-12-A10", TABLE_SIZE, false) + 2 * CELL_PAD_X);
    assert!(actions[3] >= text_width("26 Mar 2026", TABLE_SIZE, false) + 2 * CELL_PAD_X);
    assert!(actions[4] >= text_width("In progress", TABLE_SIZE, false) + 2 * CELL_PAD_X);
}

#[test]
fn column_fitting_copes_with_long_and_short_content() {
    let columns = ACTION_COLUMNS;
    let long = "word ".repeat(200);
    let rows = vec![Row(vec![
        "FRD-5-A1".into(),
        long.clone(),
        long,
        "1 Jan 2026".into(),
        "Open".into(),
    ])];
    let widths = fit_columns(&columns, &rows, TEXT_WIDTH);
    assert_eq!(widths.iter().sum::<usize>(), TEXT_WIDTH);
    let huge = "x".repeat(500);
    let rows = vec![Row(vec![
        huge.clone(),
        huge.clone(),
        huge.clone(),
        huge.clone(),
        huge,
    ])];
    let widths = fit_columns(&columns, &rows, TEXT_WIDTH);
    assert_eq!(widths.iter().sum::<usize>(), TEXT_WIDTH);
    let widths = fit_columns(&columns, &[], TEXT_WIDTH);
    assert_eq!(widths.iter().sum::<usize>(), TEXT_WIDTH);
}

#[test]
fn document_properties_name_title_author_creation_and_language() {
    let core = part(&render(&sample()).unwrap(), "docProps/core.xml");
    assert!(
        core.contains("<dc:title>Summary note: Future Regime Design SIG — meeting 5</dc:title>")
    );
    assert!(core.contains("<dc:creator>Clinks</dc:creator>"));
    assert!(core.contains(
        r#"<dcterms:created xsi:type="dcterms:W3CDTF">2026-04-09T09:00:00Z</dcterms:created>"#
    ));
    assert!(core.contains("<dc:language>en-GB</dc:language>"));
    assert!(core.contains("<cp:contentStatus>Published</cp:contentStatus>"));
}

#[test]
fn user_text_survives_intact() {
    let tricky = "Tom & Jerry <script> \"quoted\" 'single' “curly” ‘quotes’ — café Köln";
    let mut note = sample();
    note.group_name = format!("SIG {tricky}");
    note.author = format!("Clinks {tricky}");
    note.purpose = tricky.into();
    note.items[0].discussion[0].text = tricky.into();
    note.actions[0].description = tricky.into();
    note.attendance.members[0].organisation = Some(tricky.into());
    let docx = render(&note).unwrap();

    let doc = docx_rs::read_docx(&docx).expect("a readable .docx");
    let texts: Vec<String> = doc
        .document
        .children
        .iter()
        .filter_map(|child| match child {
            docx_rs::DocumentChild::Paragraph(p) => Some(p.raw_text()),
            _ => None,
        })
        .collect();
    // Straight quotes come out curly, like the rest of the note's.
    let printed = "Tom & Jerry <script> “quoted” ‘single’ “curly” ‘quotes’ — café Köln";
    assert!(texts.contains(&printed.to_owned()), "{texts:?}");
    assert!(texts.contains(&format!("Summary note: SIG {printed} — meeting 5")));

    let document = part(&docx, "word/document.xml");
    let escaped = "Tom &amp; Jerry &lt;script&gt; “quoted” ‘single’ “curly” ‘quotes’ — café Köln";
    // Purpose, discussion point, action and organisation, escaped once.
    assert!(document.matches(escaped).count() >= 4);
    assert!(!document.contains("&amp;amp;"));

    let core = part(&docx, "docProps/core.xml");
    assert!(core.contains(
        "<dc:creator>Clinks Tom &amp; Jerry &lt;script&gt; &quot;quoted&quot; 'single' “curly” ‘quotes’ — café Köln</dc:creator>"
    ));
    let footer = part(&docx, "word/footer1.xml");
    assert!(footer.contains("SIG Tom &amp; Jerry"));
}

#[test]
fn control_characters_cannot_corrupt_the_file() {
    let mut note = sample();
    note.purpose = "Line one\u{0B}still one\u{0C}\r\nline two\u{1}".into();
    let docx = render(&note).unwrap();
    let document = part(&docx, "word/document.xml");
    assert!(document.contains("Line onestill one</w:t><w:br w:type=\"textWrapping\" /><w:t xml:space=\"preserve\">line two</w:t>"));
    assert!(
        !document
            .bytes()
            .any(|b| b < 0x20 && b != b'\n' && b != b'\r' && b != b'\t')
    );
}

#[test]
fn blank_lines_separate_paragraphs() {
    assert_eq!(
        text_blocks("One.\r\n\r\nTwo,\nstill two.\n\n\n  \nThree."),
        vec!["One.", "Two,\nstill two.", "Three."]
    );
    assert!(text_blocks(" \n \n").is_empty());
}

#[test]
fn draft_header_only_when_marked() {
    let published = render(&sample()).unwrap();
    assert!(!has_part(&published, "word/header1.xml"));
    assert!(!part(&published, "word/document.xml").contains("headerReference"));

    let mut note = sample();
    note.draft_marking = true;
    note.status = NoteStatus::Draft;
    let draft = render(&note).unwrap();
    assert!(part(&draft, "word/header1.xml").contains(">DRAFT<"));
    assert!(part(&draft, "word/document.xml").contains(r#"<w:headerReference w:type="default""#));
}

#[test]
fn footer_names_the_group_and_counts_pages() {
    let docx = render(&sample()).unwrap();
    let footer = part(&docx, "word/footer1.xml");
    assert!(footer.contains("Future Regime Design SIG · Summary note, meeting 5"));
    assert!(footer.contains("<w:instrText>PAGE</w:instrText>"));
    assert!(footer.contains("<w:instrText>NUMPAGES</w:instrText>"));
    assert!(footer.contains(">Page </w:t>"));
    assert!(footer.contains("> of </w:t>"));
    assert!(part(&docx, "word/document.xml").contains(r#"<w:footerReference w:type="default""#));
}

#[test]
fn empty_parts_are_left_out_and_empty_lists_say_so() {
    let mut note = sample();
    note.previous_actions = Some(Vec::new());
    note.actions.clear();
    note.key_issues.clear();
    note.next_steps.clear();
    note.aob = None;
    note.next_meeting = None;
    note.attendance.officials.clear();
    note.items[0].officials_response = None;
    note.items[0].agreed.clear();
    note.items[0].presenter = None;
    let docx = render(&note).unwrap();
    let headings = styled_paragraphs(&docx, "Heading1");
    assert!(!headings.contains(&KEY_ISSUES_HEADING.to_owned()));
    assert!(!headings.contains(&NEXT_STEPS_HEADING.to_owned()));
    assert!(!headings.contains(&AOB_HEADING.to_owned()));
    assert!(styled_paragraphs(&docx, "Heading3").is_empty());
    let document = part(&docx, "word/document.xml");
    assert!(document.contains("There were no open actions from previous meetings."));
    assert!(document.contains("No new actions were agreed at this meeting."));
    assert!(document.contains("To be confirmed."));
    assert!(!document.contains(">Officials<"));
    assert!(!document.contains("Presented by"));
    // Only the attendance table is left with a header row.
    assert_eq!(document.matches("<w:tblHeader />").count(), 1);
}

#[test]
fn a_bare_note_still_renders() {
    let mut note = sample();
    note.meetings.clear();
    note.attendance = AttendanceSection::default();
    note.items.clear();
    note.about = String::new();
    note.purpose = "  ".into();
    note.remit = None;
    note.sponsors.clear();
    note.version = None;
    let docx = render(&note).unwrap();
    assert_eq!(
        styled_paragraphs(&docx, "Title"),
        vec!["Summary note: Future Regime Design SIG"]
    );
    assert!(part(&docx, "word/document.xml").contains("No attendance was recorded."));
}

/// Every `w:sz` value (half-points) in a part.
fn sizes(xml: &str) -> Vec<usize> {
    xml.split("<w:sz w:val=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn nothing_is_smaller_than_eleven_point_but_the_ten_point_footer() {
    let mut note = sample();
    note.audience = Audience::Members;
    note.draft_marking = true;
    let docx = render(&note).unwrap();
    for name in [
        "word/document.xml",
        "word/header1.xml",
        "word/numbering.xml",
    ] {
        let xml = part(&docx, name);
        assert!(
            sizes(&xml).iter().all(|&size| size >= 22),
            "{name}: {:?}",
            sizes(&xml)
        );
    }
    let styles = part(&docx, "word/styles.xml");
    for style in styles.split("<w:style ").skip(1) {
        let least = if style.contains(r#"w:styleId="Footer""#) {
            20
        } else {
            22
        };
        assert!(sizes(style).iter().all(|&size| size >= least), "{style}");
    }
    assert!(styles.contains(r#"w:styleId="Footer""#));
    assert!(sizes(&styles).contains(&20), "the footer is 10 pt");
}

#[test]
fn the_attendance_table_merges_no_cells_and_names_each_role() {
    let document = part(&render(&sample()).unwrap(), "word/document.xml");
    assert!(!document.contains("gridSpan"));
    assert!(!document.contains("vMerge"));
    assert!(!document.contains("hMerge"));
    let rows: Vec<&str> = document.split("<w:tr>").skip(1).collect();
    let texts = |row: &str| -> Vec<String> {
        row.split("<w:t xml:space=\"preserve\">")
            .skip(1)
            .map(|t| t.split("</w:t>").next().unwrap().to_owned())
            .collect()
    };
    let attendance: Vec<Vec<String>> = rows
        .iter()
        .map(|r| texts(r.split("</w:tr>").next().unwrap()))
        .collect();
    assert!(attendance.contains(&vec!["Name".into(), "Organisation".into(), "Role".into()]));
    // A person without a recorded role gets their group's.
    assert!(attendance.contains(&vec![
        "Fiona MacLeod".into(),
        "Prison Reform Trust".into(),
        "Chair".into()
    ]));
    assert!(attendance.contains(&vec![
        "Sam O’Neill".into(),
        "Clinks".into(),
        "Policy Officer".into()
    ]));
}

#[test]
fn restricted_renditions_say_so_in_the_header_of_every_page() {
    let mut note = sample();
    note.audience = Audience::Members;
    let docx = render(&note).unwrap();
    let header = part(&docx, "word/header1.xml");
    assert!(
        header
            .contains("Members of the Future Regime Design SIG only — not for onward circulation")
    );
    assert!(
        !header.contains("DRAFT"),
        "a published members' note is not a draft"
    );
    assert!(part(&docx, "word/document.xml").contains(r#"<w:headerReference w:type="default""#));

    note.audience = Audience::Secretariat;
    note.draft_marking = true;
    let header = part(&render(&note).unwrap(), "word/header1.xml");
    assert!(header.contains(">DRAFT<"));
    assert!(header.contains("Secretariat only — not for circulation"));
}

#[test]
fn the_audience_row_claims_reserved_items_only_when_there_are_some() {
    let mut note = sample();
    note.audience = Audience::Secretariat;
    let document = part(&render(&note).unwrap(), "word/document.xml");
    assert!(document.contains(">Secretariat only<"));
    assert!(!document.contains("includes items reserved"));
    note.includes_reserved = true;
    let document = part(&render(&note).unwrap(), "word/document.xml");
    assert!(document.contains("Secretariat only (includes items reserved to the secretariat)"));
}

#[test]
fn a_meeting_not_yet_held_is_said_plainly_and_lists_no_one_present() {
    let mut note = sample();
    note.held = false;
    note.status = NoteStatus::Draft;
    note.draft_marking = true;
    let docx = render(&note).unwrap();
    let document = part(&docx, "word/document.xml");
    assert!(document.contains(NOT_HELD_NOTICE));
    assert!(document.contains("Attendance is recorded once the meeting has taken place."));
    assert!(document.contains("Actions are recorded once the meeting has taken place."));
    assert!(!document.contains(">Organisation<"), "no attendance table");
    assert!(!document.contains("Sam O"), "no one listed as present");
    assert!(!document.contains("Apologies"));
    assert!(!document.contains("No new actions were agreed"));
    // Only the previous actions keep a table with a header row.
    assert_eq!(document.matches("<w:tblHeader />").count(), 1);
    assert_eq!(styled_paragraphs(&docx, "Notice"), vec![NOT_HELD_NOTICE]);
}

#[test]
fn a_presenter_who_was_not_there_is_not_said_to_have_presented() {
    let mut note = sample();
    note.items[0].presenter_missing = Some(Missing::Apologies);
    let document = part(&render(&note).unwrap(), "word/document.xml");
    assert!(!document.contains("Presented by"));
    assert!(
        document.contains(
            "Gareth Pryce, Ministry of Justice (MoJ) was to present this item but sent apologies."
        ) || document.contains(
            "Gareth Pryce, Ministry of Justice was to present this item but sent apologies."
        ),
        "{document}"
    );
    note.items[0].presenter_missing = Some(Missing::Absent);
    let document = part(&render(&note).unwrap(), "word/document.xml");
    assert!(document.contains("was to present this item but was not at the meeting."));
}

#[test]
fn previous_actions_say_overdue_in_words_and_can_be_left_out() {
    let mut note = sample();
    if let Some(previous) = note.previous_actions.as_mut() {
        previous[0].status = "In progress".into();
        previous[0].overdue = true;
    }
    let document = part(&render(&note).unwrap(), "word/document.xml");
    assert!(document.contains(
        r#"In progress</w:t><w:br w:type="textWrapping" /><w:t xml:space="preserve">Overdue</w:t>"#
    ));
    note.previous_actions = None;
    let docx = render(&note).unwrap();
    assert!(!styled_paragraphs(&docx, "Heading1").contains(&PREVIOUS_ACTIONS_HEADING.to_owned()));
}

#[test]
fn quotes_are_curly_and_times_and_postcodes_stay_together() {
    assert_eq!(
        typeset(r#"Members' "early" view: 'in time' (it's 10:00 GMT) at SW1H 9AJ."#),
        "Members’ “early” view: ‘in time’ (it’s 10:00\u{a0}GMT) at SW1H\u{a0}9AJ."
    );
    assert_eq!(typeset("10:00–12:00 BST."), "10:00–12:00\u{a0}BST.");
    assert_eq!(typeset("in 2026 BST"), "in 2026 BST");
    assert_eq!(typeset("M1 1AE, EC1A 1BB"), "M1\u{a0}1AE, EC1A\u{a0}1BB");
    assert_eq!(typeset("GROUP A1 list"), "GROUP A1 list");
    for awkward in ["AB 1CD", "A 1", "W1 9", "1 2", "é 9ÀB", ": x", "' \""] {
        typeset(awkward);
    }
}

#[test]
fn abbreviations_are_spelled_out_the_first_time_only() {
    let mut abbreviations = Abbreviations::default();
    assert_eq!(
        abbreviations.explain("Officials from HMPPS and the MoJ attended."),
        "Officials from HM Prison and Probation Service (HMPPS) and the Ministry of Justice (MoJ) attended."
    );
    assert_eq!(
        abbreviations.explain("HMPPS will reply."),
        "HMPPS will reply."
    );
    assert_eq!(
        abbreviations.explain("SIG members met. FRD-5-A1 stays."),
        "Special interest group (SIG) members met. FRD-5-A1 stays."
    );
    let mut abbreviations = Abbreviations::default();
    assert_eq!(
        abbreviations.explain(
            "The Reducing Reoffending Third Sector Advisory Group (RR3) advises. RR3 meets."
        ),
        "The Reducing Reoffending Third Sector Advisory Group (RR3) advises. RR3 meets."
    );
    assert_eq!(abbreviations.explain("RR3-7-A1"), "RR3-7-A1");
    // Not spelled out inside brackets; the next use outside them is.
    assert_eq!(
        abbreviations.explain("Carys Hughes (HMPPS) sent apologies. HMPPS will reply."),
        "Carys Hughes (HMPPS) sent apologies. HM Prison and Probation Service (HMPPS) will reply."
    );
}

#[test]
fn the_package_is_deflated_with_normal_as_the_default_style() {
    let docx = render(&sample()).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(&docx[..])).unwrap();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        assert_eq!(
            entry.compression(),
            zip::CompressionMethod::Deflated,
            "{}",
            entry.name()
        );
    }
    assert!(docx.len() < 20_000, "{} bytes", docx.len());
    assert!(
        part(&docx, "word/styles.xml")
            .contains(r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal">"#)
    );
}

#[test]
fn every_part_is_already_in_schema_order() {
    let docx = render(&sample()).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(&docx[..])).unwrap();
    let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    for name in names
        .iter()
        .filter(|n| n.starts_with("word/") && n.ends_with(".xml"))
    {
        let mut xml = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let again = String::from_utf8(schema::schema_order(xml.as_bytes()).unwrap()).unwrap();
        assert!(again == xml, "{name} changes when ordered again");
        assert!(
            !xml.contains("w:type=\"dxa\" /></w:tblGrid>")
                && !xml.contains("<w:gridCol w:w=\"1\" w:type")
        );
    }
    let document = part(&docx, "word/document.xml");
    assert!(document.contains(r#"<w:pPr><w:pStyle w:val="ListBullet" /><w:numPr><w:ilvl w:val="0" /><w:numId w:val="2" /></w:numPr>"#));
}
