//! The summary note as a Word document (.docx).
//!
//! Rendering is pure: a [`NoteDocument`] in, .docx bytes out. The document is
//! the product's face for members and the public, so it follows the house
//! style: A4 with 2.5 cm margins, Arial 11 pt, dark-blue headings in real
//! "Title", "Heading 1", "Heading 2" and "List Bullet" styles, tables with a
//! shaded header row that repeats on every page, the group's name and
//! "Page X of Y" in the footer, "DRAFT" in the header of draft renditions
//! and the restriction of members' and secretariat renditions in the header
//! of every page, and the document's title, author, creation time and
//! language (en-GB) set in its properties, as accessibility rules for
//! public-sector-facing documents expect.
//!
//! The parts of the document each have a module: [`styles`] (page, styles,
//! numbering, header and footer), [`sections`] (the body), [`tables`],
//! [`text`] (cleaning and typesetting), and [`package`], which finishes the
//! XML, puts every part into schema order ([`schema`]) and zips it.

use std::fmt;
use std::io::Cursor;

use chrono::SecondsFormat;
use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, BreakType, Docx, Footer, Header, HeightRule,
    IndentLevel, Level, LevelJc, LevelText, LineSpacing, LineSpacingType, NumPages, NumberFormat,
    Numbering, NumberingId, PageMargin, PageNum, Paragraph, ParagraphBorder,
    ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, Shading, ShdType, SpecialIndentType,
    Start, Style, StyleType, Tab, TabValueType, Table, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow, WidthType,
};

use crate::domain::when::{format_date, format_meeting_time, format_short_date};

mod package;
mod schema;
mod sections;
mod styles;
mod tables;
#[cfg(test)]
mod tests;
mod text;

use crate::notes::model::{
    ActionRow, Audience, ItemSection, MeetingDetails, Missing, NoteDocument, NoteStatus, PersonLine,
};
use package::*;
use schema::schema_order;
use sections::*;
use styles::*;
use tables::*;
use text::*;

/// Why a summary note could not be rendered.
///
/// Any `NoteDocument` renders; these errors mean the document library
/// produced something this module did not expect, which is a bug here rather
/// than a problem with the note.
#[derive(Debug)]
pub enum RenderError {
    /// Writing the .docx package failed.
    Package(std::io::Error),
    /// The generated Word XML did not have the shape the finishing steps
    /// (schema order, repeating header rows, document language) rely on.
    UnexpectedXml(&'static str),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Package(e) => write!(f, "could not write the .docx package: {e}"),
            RenderError::UnexpectedXml(what) => {
                write!(
                    f,
                    "unexpected Word XML while finishing the document: {what}"
                )
            }
        }
    }
}

impl std::error::Error for RenderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RenderError::Package(e) => Some(e),
            RenderError::UnexpectedXml(_) => None,
        }
    }
}

// Page geometry, in twentieths of a point (twips, "dxa").
const PAGE_WIDTH: u32 = 11906; // A4
const PAGE_HEIGHT: u32 = 16838; // A4
const MARGIN: i32 = 1418; // 2.5 cm
const HEADER_FOOTER_DISTANCE: i32 = 709; // 1.25 cm from the page edge
/// The width between the margins, which every table fills exactly.
const TEXT_WIDTH: usize = 9070;

const FONT: &str = "Arial";
// Sizes are in half-points, as Word stores them.
// Nothing is smaller than the 11 pt body but the footer, at 10 pt.
const BODY_SIZE: usize = 22;
const TABLE_SIZE: usize = 22;
const FOOTER_SIZE: usize = 20;

const DARK_BLUE: &str = "1F3864";
const MID_BLUE: &str = "2F5496";
const HEADER_FILL: &str = "D9E2F3";
const TABLE_BORDER: &str = "8EA9DB";
const DRAFT_RED: &str = "C00000";
const FOOTER_GREY: &str = "595959";

// Cell padding in tables, in twips.
const CELL_PAD_X: usize = 85;
const CELL_PAD_Y: usize = 45;
/// Space between a table and the paragraph after it, in twips.
const SPACE_AFTER_TABLE: u32 = 200;

/// The numbering instance behind "List Bullet". docx-rs always writes its
/// own decimal numbering with id 1, so ours starts at 2 (or bullets would
/// show as "1.", "2.").
const BULLET_NUMBERING: usize = 2;

// Style ids. Names (what Word shows) are set where the styles are defined.
const TITLE: &str = "Title";
const HEADING_1: &str = "Heading1";
const HEADING_2: &str = "Heading2";
const HEADING_3: &str = "Heading3";
const LIST_BULLET: &str = "ListBullet";
const TABLE_TEXT: &str = "TableText";
const TABLE_HEADING: &str = "TableHeading";
const HEADER_STYLE: &str = "Header";
const FOOTER_STYLE: &str = "Footer";
const NOTICE: &str = "Notice";

// Section headings, in the order the note presents them.
const ABOUT_HEADING: &str = "About the group";
const PURPOSE_HEADING: &str = "Purpose of the meeting";
const ATTENDANCE_HEADING: &str = "Attendance";
const PREVIOUS_ACTIONS_HEADING: &str = "Actions from previous meetings";
const DISCUSSION_HEADING: &str = "Discussion";
const KEY_ISSUES_HEADING: &str = "Key issues and recommendations";
const ACTIONS_HEADING: &str = "Actions";
const NEXT_STEPS_HEADING: &str = "Next steps";
const AOB_HEADING: &str = "Any other business";
const NEXT_MEETING_HEADING: &str = "Next meeting";

/// Renders a summary note as the bytes of a .docx file.
///
/// The same note always gives the same bytes, so a published version's
/// SHA-256 can be checked by rendering it again with the same build.
pub fn render(note: &NoteDocument) -> Result<Vec<u8>, RenderError> {
    let title = document_title(note);
    let mut body = Body::new(base_document(note));

    title_block(&mut body, note, &title);
    about_section(&mut body, note);
    purpose_section(&mut body, note);
    attendance_section(&mut body, note);
    if let Some(previous) = &note.previous_actions {
        previous_actions_section(&mut body, previous);
    }
    discussion_section(&mut body, &note.items);
    key_issues_section(&mut body, &note.key_issues);
    actions_section(&mut body, note);
    closing_sections(&mut body, note);

    let header_rows = body.header_rows;
    let mut xml = body.docx.build();
    xml.document = mark_repeating_header_rows(&xml.document, header_rows)?;
    xml.styles = mark_normal_as_default(&set_default_language(&xml.styles)?)?;
    xml.doc_props.core = core_properties(note, &title);
    pack(xml)
}

/// The document's title, as shown at the top of the note and in its
/// properties: "Summary note: Future Regime Design SIG — meeting 5", or
/// "… — meetings 4 and 5" when one note covers two meetings.
pub fn document_title(note: &NoteDocument) -> String {
    let group = one_line(&note.group_name);
    let numbers: Vec<i32> = note.meetings.iter().map(|m| m.number).collect();
    match meetings_phrase(&numbers) {
        Some(meetings) => format!("Summary note: {group} — {meetings}"),
        None => format!("Summary note: {group}"),
    }
}

/// "meeting 5", "meetings 4 and 5", "meetings 4, 5 and 6".
fn meetings_phrase(numbers: &[i32]) -> Option<String> {
    match numbers {
        [] => None,
        [one] => Some(format!("meeting {one}")),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(i32::to_string).collect();
            Some(format!("meetings {} and {last}", init.join(", ")))
        }
    }
}

/// How the note's status reads in the details block: the state with its
/// dates, as the reference sketch shows them ("Agreed 3 March 2026 ·
/// Published 10 March 2026, version 2").
pub fn status_text(status: &NoteStatus, version: Option<u32>) -> String {
    match status {
        NoteStatus::Draft => "Draft".to_owned(),
        NoteStatus::Circulated { comment_deadline } => {
            format!(
                "Draft, circulated for comment until {}",
                format_date(*comment_deadline)
            )
        }
        NoteStatus::Approved { on } => format!("Agreed {}, not yet published", format_date(*on)),
        NoteStatus::Published { agreed, on } => {
            let mut text = String::new();
            if let Some(agreed) = agreed {
                text.push_str(&format!("Agreed {} · ", format_date(*agreed)));
            }
            text.push_str(&format!("Published {}", format_date(*on)));
            if let Some(version) = version {
                text.push_str(&format!(", version {version}"));
            }
            text
        }
    }
}

/// The status in the document properties' "content status" field.
fn content_status(status: &NoteStatus) -> &'static str {
    match status {
        NoteStatus::Draft => "Draft",
        NoteStatus::Circulated { .. } => "Circulated for comment",
        NoteStatus::Approved { .. } => "Agreed",
        NoteStatus::Published { .. } => "Published",
    }
}
