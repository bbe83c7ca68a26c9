//! The summary note as a Word document (.docx).
//!
//! Rendering is pure: a [`NoteDocument`] in, .docx bytes out. The document is
//! the product's face for members and the public, so it follows the house
//! style: A4 with 2.5 cm margins, Arial 11 pt, dark-blue headings in real
//! "Title", "Heading 1", "Heading 2" and "List Bullet" styles, tables with a
//! shaded header row that repeats on every page, the group's name and
//! "Page X of Y" in the footer, "DRAFT" in the header of draft renditions,
//! and the document's title, author, creation time and language (en-GB) set
//! in its properties, as accessibility rules for public-sector-facing
//! documents expect.

use std::fmt;
use std::io::Cursor;

use chrono::SecondsFormat;
use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, BreakType, Docx, Footer, Header, HeightRule,
    Hyperlink, HyperlinkData, HyperlinkType, IndentLevel, Level, LevelJc, LevelText, LineSpacing,
    LineSpacingType, NumPages, NumberFormat, Numbering, NumberingId, PageMargin, PageNum,
    Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, Shading,
    ShdType, SpecialIndentType, Start, Style, StyleType, Tab, TabValueType, Table, TableBorder,
    TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow,
    WidthType,
};

use crate::domain::when::{format_date, format_meeting_time, format_short_date};
use crate::notes::model::{
    ActionRow, AttendanceSection, Audience, ItemSection, MeetingDetails, NoteDocument, NoteStatus,
    PersonLine,
};

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
    /// (repeating header rows, hyperlink ids, document language) rely on.
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
const BODY_SIZE: usize = 22;
const TABLE_SIZE: usize = 20;
const FOOTER_SIZE: usize = 18;

const DARK_BLUE: &str = "1F3864";
const MID_BLUE: &str = "2F5496";
const LINK_BLUE: &str = "0563C1";
const HEADER_FILL: &str = "D9E2F3";
const GROUP_FILL: &str = "F2F2F2";
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
const HYPERLINK: &str = "Hyperlink";

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
    attendance_section(&mut body, &note.attendance);
    previous_actions_section(&mut body, &note.previous_actions);
    discussion_section(&mut body, &note.items);
    key_issues_section(&mut body, &note.key_issues);
    actions_section(&mut body, &note.actions);
    closing_sections(&mut body, note);

    let header_rows = body.header_rows;
    let body_links = body.links;
    let mut xml = body.docx.build();
    xml.document = mark_repeating_header_rows(&xml.document, header_rows)?;
    xml.document_rels = order_hyperlink_relationships(&xml.document_rels, body_links)?;
    xml.styles = set_default_language(&xml.styles)?;
    xml.doc_props.core = core_properties(note, &title);

    let mut out = Cursor::new(Vec::with_capacity(64 * 1024));
    xml.pack(&mut out)
        .map_err(|e| RenderError::Package(std::io::Error::other(e)))?;
    Ok(out.into_inner())
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

/// How the note's status reads in the details block.
fn status_text(status: &NoteStatus) -> String {
    match status {
        NoteStatus::Draft => "Draft".to_owned(),
        NoteStatus::Circulated { comment_deadline } => {
            format!(
                "Circulated for comment until {}",
                format_date(*comment_deadline)
            )
        }
        NoteStatus::Approved { on } => format!("Agreed {}", format_date(*on)),
        NoteStatus::Published { on } => format!("Published {}", format_date(*on)),
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

// ---------------------------------------------------------------------------
// Document set-up: page, styles, numbering, header and footer.

fn base_document(note: &NoteDocument) -> Docx {
    let fonts = RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT);
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(PageMargin {
            top: MARGIN,
            left: MARGIN,
            bottom: MARGIN,
            right: MARGIN,
            header: HEADER_FOOTER_DISTANCE,
            footer: HEADER_FOOTER_DISTANCE,
            gutter: 0,
        })
        .default_fonts(fonts)
        .default_size(BODY_SIZE)
        // docx-rs always writes an empty "Normal" style of its own, so the
        // body text's spacing lives in the document defaults it inherits.
        .default_line_spacing(
            LineSpacing::new()
                .before(0)
                .after(120)
                .line(264)
                .line_rule(LineSpacingType::Auto),
        )
        .default_tab_stop(720)
        .add_abstract_numbering(
            AbstractNumbering::new(BULLET_NUMBERING).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(Some(397), Some(SpecialIndentType::Hanging(284)), None, None)
                .paragraph_style(LIST_BULLET)
                .fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT)),
            ),
        )
        .add_numbering(Numbering::new(BULLET_NUMBERING, BULLET_NUMBERING))
        .footer(footer(note));
    for style in styles() {
        docx = docx.add_style(style);
    }
    if note.draft_marking {
        docx = docx.header(draft_header());
    }
    docx
}

fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new().before(before).after(after)
}

fn styles() -> Vec<Style> {
    let mut title = Style::new(TITLE, StyleType::Paragraph)
        .name("Title")
        .based_on("Normal")
        .next("Normal")
        .size(40)
        .bold()
        .color(DARK_BLUE)
        .line_spacing(spacing(0, 240).line(240).line_rule(LineSpacingType::Auto));
    title.paragraph_property = title
        .paragraph_property
        .keep_next(true)
        .set_borders(only_border(ParagraphBorderPosition::Bottom, 8, 6, MID_BLUE));

    let heading = |id: &str, name: &str, level: usize, size: usize, colour: &str| {
        let (before, after) = match level {
            0 => (360, 120),
            1 => (280, 100),
            _ => (200, 60),
        };
        let mut style = Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .size(size)
            .bold()
            .color(colour)
            .outline_lvl(level)
            .line_spacing(spacing(before, after));
        // Headings stay with the text they introduce.
        style.paragraph_property = style.paragraph_property.keep_next(true).keep_lines(true);
        style
    };

    let list_bullet = Style::new(LIST_BULLET, StyleType::Paragraph)
        .name("List Bullet")
        .based_on("Normal")
        .line_spacing(spacing(0, 80))
        .indent(Some(397), Some(SpecialIndentType::Hanging(284)), None, None);
    let mut list_bullet = list_bullet;
    list_bullet.paragraph_property = list_bullet
        .paragraph_property
        .numbering(NumberingId::new(BULLET_NUMBERING), IndentLevel::new(0));

    let table_text = Style::new(TABLE_TEXT, StyleType::Paragraph)
        .name("Table Text")
        .based_on("Normal")
        .size(TABLE_SIZE)
        .line_spacing(spacing(0, 40).line(252).line_rule(LineSpacingType::Auto));
    let mut table_heading = Style::new(TABLE_HEADING, StyleType::Paragraph)
        .name("Table Heading")
        .based_on(TABLE_TEXT)
        .bold();
    table_heading.paragraph_property = table_heading.paragraph_property.keep_next(true);

    let mut header = Style::new(HEADER_STYLE, StyleType::Paragraph)
        .name("Header")
        .based_on("Normal")
        .line_spacing(spacing(0, 0));
    header.paragraph_property = header
        .paragraph_property
        .add_tab(Tab::new().val(TabValueType::Right).pos(TEXT_WIDTH));

    let mut footer = Style::new(FOOTER_STYLE, StyleType::Paragraph)
        .name("Footer")
        .based_on("Normal")
        .size(FOOTER_SIZE)
        .color(FOOTER_GREY)
        .line_spacing(spacing(0, 0));
    footer.paragraph_property = footer
        .paragraph_property
        .add_tab(Tab::new().val(TabValueType::Right).pos(TEXT_WIDTH))
        .set_borders(only_border(
            ParagraphBorderPosition::Top,
            4,
            4,
            TABLE_BORDER,
        ));

    let hyperlink = Style::new(HYPERLINK, StyleType::Character)
        .name("Hyperlink")
        .color(LINK_BLUE)
        .underline("single");

    vec![
        title,
        heading(HEADING_1, "Heading 1", 0, 28, DARK_BLUE),
        heading(HEADING_2, "Heading 2", 1, 24, DARK_BLUE),
        heading(HEADING_3, "Heading 3", 2, 22, MID_BLUE),
        list_bullet,
        table_text,
        table_heading,
        header,
        footer,
        hyperlink,
    ]
}

/// A single rule on one side of a paragraph. (docx-rs's `set_border` starts
/// from a box on all four sides.)
fn only_border(
    position: ParagraphBorderPosition,
    size: usize,
    space: usize,
    colour: &str,
) -> ParagraphBorders {
    ParagraphBorders::with_empty().set(
        ParagraphBorder::new(position)
            .val(BorderType::Single)
            .size(size)
            .space(space)
            .color(colour),
    )
}

fn draft_header() -> Header {
    Header::new().add_paragraph(
        Paragraph::new()
            .style(HEADER_STYLE)
            .align(AlignmentType::Right)
            .add_run(
                Run::new()
                    .add_text("DRAFT")
                    .bold()
                    .size(28)
                    .color(DRAFT_RED),
            )
            .add_run(
                Run::new()
                    .add_text(" — not for publication")
                    .size(TABLE_SIZE)
                    .color(DRAFT_RED),
            ),
    )
}

fn footer(note: &NoteDocument) -> Footer {
    let numbers: Vec<i32> = note.meetings.iter().map(|m| m.number).collect();
    let mut left = one_line(&note.group_name);
    match meetings_phrase(&numbers) {
        Some(meetings) => left.push_str(&format!(" · Summary note, {meetings}")),
        None => left.push_str(" · Summary note"),
    }
    Footer::new().add_paragraph(
        Paragraph::new()
            .style(FOOTER_STYLE)
            .add_run(Run::new().add_text(left).add_tab().add_text("Page "))
            .add_page_num(PageNum::new())
            .add_run(Run::new().add_text(" of "))
            .add_num_pages(NumPages::new()),
    )
}

// ---------------------------------------------------------------------------
// The body, section by section.

/// The document being written, with what the finishing steps need to know.
struct Body {
    docx: Docx,
    /// The last thing added was a table: the next paragraph gets some space
    /// before it so text never sits tight against a table's bottom border.
    after_table: bool,
    /// How many repeating header rows were written (see
    /// [`mark_repeating_header_rows`]).
    header_rows: usize,
    /// How many hyperlinks were written; they are numbered from 1.
    links: usize,
}

impl Body {
    fn new(docx: Docx) -> Self {
        Body {
            docx,
            after_table: false,
            header_rows: 0,
            links: 0,
        }
    }

    /// A joining link, as a table paragraph.
    ///
    /// Short links show as themselves, so they can be typed from a printed
    /// copy; long ones (a video-call invitation runs to hundreds of
    /// characters) show as descriptive text naming the site, which also reads
    /// better to screen readers.
    ///
    /// The relationship id is ours, numbered within this document. docx-rs
    /// would take one from a process-wide counter that is not safe when
    /// several documents are rendered at once (two links could share an id
    /// and so a target).
    fn link(&mut self, url: &str) -> Paragraph {
        const LONGEST_SHOWN: usize = 60;
        let url = one_line(url);
        let text = if url.chars().count() <= LONGEST_SHOWN {
            url.clone()
        } else {
            match link_host(&url) {
                Some(host) => format!("Join the meeting online ({host})"),
                None => "Join the meeting online".to_owned(),
            }
        };
        self.links += 1;
        let mut link = Hyperlink::new(url.as_str(), HyperlinkType::External);
        if let HyperlinkData::External { rid, .. } = &mut link.link {
            *rid = format!("rIdHyperlink{}", self.links);
        }
        Paragraph::new()
            .style(TABLE_TEXT)
            .add_hyperlink(link.add_run(Run::new().style(HYPERLINK).add_text(text)))
    }

    fn add(&mut self, p: Paragraph) {
        let p = if self.after_table {
            p.line_spacing(LineSpacing::new().before(SPACE_AFTER_TABLE))
        } else {
            p
        };
        self.after_table = false;
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }

    /// Headings carry their own (larger) space before, so they skip the
    /// after-table spacing.
    fn heading(&mut self, style: &str, text: &str) {
        self.after_table = false;
        let p = Paragraph::new()
            .style(style)
            .add_run(Run::new().add_text(one_line(text)));
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }

    fn text(&mut self, text: &str) {
        for p in text_paragraphs(text) {
            self.add(p);
        }
    }

    fn bullet(&mut self, runs: Vec<Run>) {
        let mut p = Paragraph::new()
            .style(LIST_BULLET)
            // The style carries the numbering too; repeating it on the
            // paragraph is what Word itself does and keeps every reader
            // showing a bullet.
            .numbering(NumberingId::new(BULLET_NUMBERING), IndentLevel::new(0));
        for run in runs {
            p = p.add_run(run);
        }
        self.add(p);
    }

    fn bullets<'a>(&mut self, items: impl IntoIterator<Item = &'a String>) {
        for item in items {
            if !is_blank(item) {
                self.bullet(vec![lines_run(item)]);
            }
        }
    }

    fn table(&mut self, table: Table, header_rows: usize) {
        self.header_rows += header_rows;
        self.docx = std::mem::take(&mut self.docx).add_table(table);
        self.after_table = true;
    }
}

fn title_block(body: &mut Body, note: &NoteDocument, title: &str) {
    body.heading(TITLE, title);

    let mut rows: Vec<(String, Vec<Paragraph>)> = Vec::new();
    match note.meetings.as_slice() {
        [] => {}
        [meeting] => {
            if !is_blank(&meeting.title) {
                rows.push(("Meeting".into(), vec![table_paragraph(&meeting.title)]));
            }
            rows.push((
                "Date and time".into(),
                vec![table_paragraph(&meeting_time(meeting))],
            ));
            if !is_blank(&meeting.mode) {
                rows.push(("Mode".into(), vec![table_paragraph(&meeting.mode)]));
            }
            if let Some(location) = meeting.location.as_deref().filter(|l| !is_blank(l)) {
                rows.push(("Location".into(), vec![table_paragraph(location)]));
            }
            if let Some(link) = meeting.joining_link.as_deref().filter(|l| !is_blank(l)) {
                rows.push(("Joining link".into(), vec![body.link(link)]));
            }
        }
        several => {
            for meeting in several {
                let mut value = Vec::new();
                if !is_blank(&meeting.title) {
                    value.push(table_paragraph(&meeting.title));
                }
                value.push(table_paragraph(&meeting_time(meeting)));
                let place = [Some(meeting.mode.as_str()), meeting.location.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|s| !is_blank(s))
                    .map(one_line)
                    .collect::<Vec<_>>()
                    .join(" — ");
                if !place.is_empty() {
                    value.push(table_paragraph(&place));
                }
                if let Some(link) = meeting.joining_link.as_deref().filter(|l| !is_blank(l)) {
                    value.push(body.link(link));
                }
                rows.push((format!("Meeting {}", meeting.number), value));
            }
        }
    }
    if let Some(version) = note.version {
        rows.push((
            "Version".into(),
            vec![table_paragraph(&version.to_string())],
        ));
    }
    rows.push((
        "Status".into(),
        vec![table_paragraph(&status_text(&note.status))],
    ));
    rows.push((
        "Audience".into(),
        vec![table_paragraph(match note.audience {
            Audience::Members => "Members of the group and officials",
            Audience::Public => "Public",
            Audience::Secretariat => {
                "Secretariat only (includes items reserved to the secretariat)"
            }
        })],
    ));

    // A compact, borderless two-column block: labels just wide enough for
    // the longest label, values take the rest.
    let label_width = rows
        .iter()
        .map(|(label, _)| text_width(label, TABLE_SIZE, true))
        .max()
        .unwrap_or(0)
        + CELL_PAD_X
        + 200;
    let value_width = TEXT_WIDTH - label_width;
    let table_rows = rows
        .into_iter()
        .map(|(label, value)| {
            let label_cell = TableCell::new()
                .add_paragraph(
                    Paragraph::new()
                        .style(TABLE_TEXT)
                        .add_run(Run::new().add_text(label).bold()),
                )
                .width(label_width, WidthType::Dxa);
            let mut value_cell = TableCell::new().width(value_width, WidthType::Dxa);
            for p in value {
                value_cell = value_cell.add_paragraph(p);
            }
            TableRow::new(vec![label_cell, value_cell]).cant_split()
        })
        .collect();
    let table = Table::without_borders(table_rows)
        .set_grid(vec![label_width, value_width])
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .indent(0)
        // No left padding, so labels line up with the text below.
        .margins(TableCellMargins::new().margin(20, CELL_PAD_X, 20, 0));
    body.table(table, 0);
}

fn meeting_time(meeting: &MeetingDetails) -> String {
    format_meeting_time(meeting.starts_at, meeting.ends_at, meeting.time_zone)
}

fn about_section(body: &mut Body, note: &NoteDocument) {
    body.heading(HEADING_1, ABOUT_HEADING);
    body.text(&note.about);
    if let Some(remit) = note.remit.as_deref().filter(|r| !is_blank(r)) {
        labelled_text(body, "Remit: ", remit);
    }
    let sponsors: Vec<String> = note
        .sponsors
        .iter()
        .filter(|s| !is_blank(s))
        .map(|s| one_line(s))
        .collect();
    if !sponsors.is_empty() {
        body.add(
            Paragraph::new().add_run(
                Run::new().add_text(format!("Sponsored by {}.", join_with_and(&sponsors))),
            ),
        );
    }
}

/// A paragraph led by a bold label ("Remit: …"); later paragraphs of the
/// same text follow as plain paragraphs.
fn labelled_text(body: &mut Body, label: &str, text: &str) {
    let mut blocks = text_blocks(text).into_iter();
    if let Some(first) = blocks.next() {
        body.add(
            Paragraph::new()
                .add_run(Run::new().add_text(label).bold())
                .add_run(lines_run(&first)),
        );
    }
    for block in blocks {
        body.add(Paragraph::new().add_run(lines_run(&block)));
    }
}

fn purpose_section(body: &mut Body, note: &NoteDocument) {
    if is_blank(&note.purpose) {
        return;
    }
    body.heading(HEADING_1, PURPOSE_HEADING);
    body.text(&note.purpose);
}

fn attendance_section(body: &mut Body, attendance: &AttendanceSection) {
    body.heading(HEADING_1, ATTENDANCE_HEADING);
    let chair_label = if attendance.chair.len() > 1 {
        "Chairs"
    } else {
        "Chair"
    };
    let groups: [(&str, &[PersonLine]); 5] = [
        (chair_label, &attendance.chair),
        ("Members", &attendance.members),
        ("Officials", &attendance.officials),
        ("Guests and presenters", &attendance.guests),
        ("Secretariat", &attendance.secretariat),
    ];
    let mut rows = Vec::new();
    for (label, people) in groups {
        if people.is_empty() {
            continue;
        }
        rows.push(Row::Group(label.to_owned()));
        for person in people {
            rows.push(Row::Data(vec![
                one_line(&person.name),
                person
                    .organisation
                    .as_deref()
                    .map(one_line)
                    .unwrap_or_default(),
                person.role.as_deref().map(one_line).unwrap_or_default(),
            ]));
        }
    }
    if rows.is_empty() {
        body.add(Paragraph::new().add_run(Run::new().add_text("No attendance was recorded.")));
    } else {
        const COLUMNS: [Column; 3] = [
            Column::wraps("Name"),
            Column::wraps("Organisation"),
            Column::wraps("Role"),
        ];
        let (table, header_rows) = data_table(&COLUMNS, &rows);
        body.table(table, header_rows);
    }

    let apologies: Vec<String> = attendance
        .apologies
        .iter()
        .map(
            |p| match p.organisation.as_deref().filter(|o| !is_blank(o)) {
                Some(org) => format!("{} ({})", one_line(&p.name), one_line(org)),
                None => one_line(&p.name),
            },
        )
        .collect();
    if !apologies.is_empty() {
        body.add(
            Paragraph::new()
                .add_run(Run::new().add_text("Apologies: ").bold())
                // Semicolons, because organisation names may contain commas.
                .add_run(Run::new().add_text(format!("{}.", apologies.join("; ")))),
        );
    }
}

const ACTION_COLUMNS: [Column; 5] = [
    Column::nowrap("Reference"),
    Column::wraps("Action"),
    Column::wraps("Owner"),
    Column::nowrap("Due"),
    Column::nowrap("Status"),
];

fn action_rows(actions: &[ActionRow]) -> Vec<Row> {
    actions
        .iter()
        .map(|a| {
            Row::Data(vec![
                one_line(&a.reference),
                clean(&a.description).trim().to_owned(),
                one_line(&a.owner),
                a.due_on
                    .map(format_short_date)
                    .unwrap_or_else(|| "Not set".into()),
                one_line(&a.status),
            ])
        })
        .collect()
}

fn previous_actions_section(body: &mut Body, actions: &[ActionRow]) {
    body.heading(HEADING_1, PREVIOUS_ACTIONS_HEADING);
    if actions.is_empty() {
        body.add(
            Paragraph::new()
                .add_run(Run::new().add_text("There were no open actions from previous meetings.")),
        );
        return;
    }
    let (table, header_rows) = data_table(&ACTION_COLUMNS, &action_rows(actions));
    body.table(table, header_rows);
}

fn discussion_section(body: &mut Body, items: &[ItemSection]) {
    if items.is_empty() {
        return;
    }
    body.heading(HEADING_1, DISCUSSION_HEADING);
    for (index, item) in items.iter().enumerate() {
        body.heading(
            HEADING_2,
            &format!("{}. {}", index + 1, one_line(&item.title)),
        );
        if let Some(presenter) = item.presenter.as_deref().filter(|p| !is_blank(p)) {
            body.add(
                Paragraph::new().add_run(
                    Run::new()
                        .add_text(format!("Presented by {}", one_line(presenter)))
                        .italic(),
                ),
            );
        }
        if let Some(summary) = &item.summary {
            body.text(summary);
        }
        for point in item.discussion.iter().filter(|p| !is_blank(&p.text)) {
            let mut runs = Vec::new();
            if let Some(speaker) = point.speaker.as_deref().filter(|s| !is_blank(s)) {
                runs.push(
                    Run::new()
                        .add_text(format!("{}: ", one_line(speaker)))
                        .bold(),
                );
            }
            runs.push(lines_run(&point.text));
            body.bullet(runs);
        }
        if let Some(response) = item.officials_response.as_deref().filter(|r| !is_blank(r)) {
            body.heading(HEADING_3, "Officials' response");
            body.text(response);
        }
        if item.agreed.iter().any(|a| !is_blank(a)) {
            body.heading(HEADING_3, "Points agreed");
            body.bullets(&item.agreed);
        }
    }
}

fn key_issues_section(body: &mut Body, key_issues: &[String]) {
    if key_issues.iter().all(|k| is_blank(k)) {
        return;
    }
    body.heading(HEADING_1, KEY_ISSUES_HEADING);
    body.bullets(key_issues);
}

fn actions_section(body: &mut Body, actions: &[ActionRow]) {
    body.heading(HEADING_1, ACTIONS_HEADING);
    if actions.is_empty() {
        body.add(
            Paragraph::new()
                .add_run(Run::new().add_text("No new actions were agreed at this meeting.")),
        );
        return;
    }
    let (table, header_rows) = data_table(&ACTION_COLUMNS, &action_rows(actions));
    body.table(table, header_rows);
}

fn closing_sections(body: &mut Body, note: &NoteDocument) {
    if note.next_steps.iter().any(|s| !is_blank(s)) {
        body.heading(HEADING_1, NEXT_STEPS_HEADING);
        body.bullets(&note.next_steps);
    }
    if let Some(aob) = note.aob.as_deref().filter(|a| !is_blank(a)) {
        body.heading(HEADING_1, AOB_HEADING);
        body.text(aob);
    }
    body.heading(HEADING_1, NEXT_MEETING_HEADING);
    if let Some(text) = note.next_meeting_text.as_deref().filter(|t| !is_blank(t)) {
        body.text(text);
        return;
    }
    let next = match &note.next_meeting {
        Some(when) => {
            let time = format_meeting_time(when.starts_at, when.ends_at, when.time_zone);
            match when.place.as_deref().filter(|p| !is_blank(p)) {
                Some(place) => format!("{time}. {}.", one_line(place).trim_end_matches('.')),
                None => format!("{time}."),
            }
        }
        None => "To be confirmed.".to_owned(),
    };
    body.add(Paragraph::new().add_run(Run::new().add_text(next)));
}

// ---------------------------------------------------------------------------
// Tables.

/// A column of a data table.
struct Column {
    header: &'static str,
    /// Short codes, dates and statuses are never wrapped: the column is made
    /// wide enough for its longest entry.
    nowrap: bool,
}

impl Column {
    const fn wraps(header: &'static str) -> Self {
        Column {
            header,
            nowrap: false,
        }
    }

    const fn nowrap(header: &'static str) -> Self {
        Column {
            header,
            nowrap: true,
        }
    }
}

/// A body row of a data table.
enum Row {
    /// One entry per column.
    Data(Vec<String>),
    /// A label spanning the whole table, introducing the rows below it
    /// ("Members", "Officials").
    Group(String),
}

/// A full-width table with a shaded header row that repeats on every page,
/// rows that never split across pages, and column widths fitted to the
/// content. Returns the table and the number of header rows written.
fn data_table(columns: &[Column], rows: &[Row]) -> (Table, usize) {
    let widths = fit_columns(columns, rows, TEXT_WIDTH);

    let header_cells = columns
        .iter()
        .zip(&widths)
        .map(|(column, &width)| {
            TableCell::new()
                .add_paragraph(
                    Paragraph::new()
                        .style(TABLE_HEADING)
                        .add_run(Run::new().add_text(column.header)),
                )
                .width(width, WidthType::Dxa)
                .shading(shade(HEADER_FILL))
        })
        .collect();
    let mut table_rows = vec![
        TableRow::new(header_cells)
            .cant_split()
            .row_height(HEADER_ROW_MARKER)
            .height_rule(HeightRule::AtLeast),
    ];

    for row in rows {
        let table_row = match row {
            Row::Data(cells) => TableRow::new(
                cells
                    .iter()
                    .zip(&widths)
                    .map(|(text, &width)| {
                        TableCell::new()
                            .add_paragraph(table_paragraph(text))
                            .width(width, WidthType::Dxa)
                    })
                    .collect(),
            ),
            Row::Group(label) => TableRow::new(vec![
                TableCell::new()
                    .add_paragraph(
                        // "Table Heading" keeps the label with the first row
                        // it introduces.
                        Paragraph::new()
                            .style(TABLE_HEADING)
                            .add_run(Run::new().add_text(label.as_str())),
                    )
                    .grid_span(columns.len())
                    .width(TEXT_WIDTH, WidthType::Dxa)
                    .shading(shade(GROUP_FILL)),
            ]),
        };
        table_rows.push(table_row.cant_split());
    }

    let border = |position| {
        TableBorder::new(position)
            .border_type(BorderType::Single)
            .size(4)
            .color(TABLE_BORDER)
    };
    let table = Table::new(table_rows)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .indent(0)
        .margins(TableCellMargins::new().margin(CELL_PAD_Y, CELL_PAD_X, CELL_PAD_Y, CELL_PAD_X))
        .set_borders(
            TableBorders::new()
                .set(border(TableBorderPosition::Top))
                .set(border(TableBorderPosition::Left))
                .set(border(TableBorderPosition::Bottom))
                .set(border(TableBorderPosition::Right))
                .set(border(TableBorderPosition::InsideH))
                .set(border(TableBorderPosition::InsideV)),
        );
    (table, 1)
}

fn shade(fill: &str) -> Shading {
    Shading::new()
        .shd_type(ShdType::Clear)
        .color("auto")
        .fill(fill)
}

/// Column widths (dxa) that add up to `total`, following the content.
///
/// No-wrap columns (references, dates, statuses) get their longest entry.
/// Then, shortest first, any column whose longest entry fits within an even
/// share of the room left gets exactly that, so short names and owners stay
/// on one line. The remaining columns share what is left the way a browser
/// lays out an automatic table: each gets at least its longest word, and the
/// rest goes to those whose text would otherwise wrap most, so the "Action"
/// column ends up widest.
fn fit_columns(columns: &[Column], rows: &[Row], total: usize) -> Vec<usize> {
    // Padding on both sides, plus a little slack for differences between
    // Arial and the fonts readers substitute for it.
    let pad = 2 * CELL_PAD_X + 60;
    let count = columns.len();
    let mut least = Vec::with_capacity(count);
    let mut natural = Vec::with_capacity(count);
    for (i, column) in columns.iter().enumerate() {
        let mut full = text_width(column.header, TABLE_SIZE, true);
        let mut word = longest_word_width(column.header, TABLE_SIZE, true);
        for row in rows {
            if let Row::Data(cells) = row {
                let text = cells.get(i).map(String::as_str).unwrap_or("");
                full = full.max(
                    text.lines()
                        .map(|line| text_width(line, TABLE_SIZE, false))
                        .max()
                        .unwrap_or(0),
                );
                word = word.max(longest_word_width(text, TABLE_SIZE, false));
            }
        }
        natural.push(full + pad);
        least.push(if column.nowrap {
            full + pad
        } else {
            word + pad
        });
    }

    let mut widths: Vec<Option<f64>> = vec![None; count];
    let mut room = total as f64;
    for i in (0..count).filter(|&i| columns[i].nowrap) {
        widths[i] = Some(natural[i] as f64);
        room -= natural[i] as f64;
    }
    if room < 0.0 {
        // Not even the no-wrap columns fit (absurdly long references):
        // shrink everything in proportion and let Word break inside words.
        let sum_least: usize = least.iter().sum();
        return round_to_total(
            least
                .iter()
                .map(|&w| w as f64 * total as f64 / sum_least as f64)
                .collect(),
            total,
        );
    }
    loop {
        let open: Vec<usize> = (0..count).filter(|&i| widths[i].is_none()).collect();
        let Some(&shortest) = open.iter().min_by_key(|&&i| natural[i]) else {
            break;
        };
        if natural[shortest] as f64 <= room / open.len() as f64 {
            widths[shortest] = Some(natural[shortest] as f64);
            room -= natural[shortest] as f64;
        } else {
            break;
        }
    }

    let open: Vec<usize> = (0..count).filter(|&i| widths[i].is_none()).collect();
    if open.is_empty() {
        // Everything fits on one line: share the spare room among the
        // columns that may wrap, in proportion to their content.
        let growable: Vec<usize> = (0..count).filter(|&i| !columns[i].nowrap).collect();
        let growable = if growable.is_empty() {
            (0..count).collect()
        } else {
            growable
        };
        let weight: usize = growable.iter().map(|&i| natural[i]).sum();
        for &i in &growable {
            let share = room * natural[i] as f64 / weight.max(1) as f64;
            widths[i] = widths[i].map(|w| w + share);
        }
    } else {
        let sum_least: usize = open.iter().map(|&i| least[i]).sum();
        if sum_least as f64 <= room {
            let spare = room - sum_least as f64;
            let want: usize = open.iter().map(|&i| natural[i] - least[i]).sum();
            for &i in &open {
                let share = spare * (natural[i] - least[i]) as f64 / want.max(1) as f64;
                widths[i] = Some(least[i] as f64 + share);
            }
        } else {
            // Even single words do not fit: shrink these columns in
            // proportion and let Word break inside words.
            for &i in &open {
                widths[i] = Some(least[i] as f64 * room / sum_least as f64);
            }
        }
    }
    round_to_total(
        widths.into_iter().map(Option::unwrap_or_default).collect(),
        total,
    )
}

/// Whole twips that add up to `total` exactly; rounding leftovers go to the
/// widest column.
fn round_to_total(widths: Vec<f64>, total: usize) -> Vec<usize> {
    let mut widths: Vec<usize> = widths
        .into_iter()
        .map(|w| w.max(0.0).floor() as usize)
        .collect();
    let assigned: usize = widths.iter().sum();
    if let Some(widest) = (0..widths.len()).max_by_key(|&i| widths[i]) {
        widths[widest] = (widths[widest] + total).saturating_sub(assigned);
    }
    widths
}

/// The row height docx-rs writes for header rows, so they can be found and
/// marked as repeating header rows once the XML is built.
const HEADER_ROW_MARKER: f32 = 1.0;
const HEADER_ROW_MARKER_XML: &str = r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#;
const TABLE_HEADER_XML: &str = "<w:tblHeader />";

/// Marks every table's header row as a header row that repeats at the top of
/// each page (`<w:tblHeader/>`). Screen readers and Word's accessibility
/// checker also use it to tell header cells from data.
///
/// docx-rs 0.4.22 has no setter for `w:tblHeader`, and its row properties
/// only serialise `w:cantSplit`, `w:trHeight` and revision marks. So header
/// rows are built with a sentinel minimum height of one twip (harmless if
/// left in place), and here, in the built document XML, each sentinel
/// `w:trHeight` becomes `w:tblHeader`. Only row properties can produce the
/// sentinel: user text is escaped, so it cannot contain `<w:trHeight`. The
/// number of replacements must match the header rows written.
fn mark_repeating_header_rows(document: &[u8], expected: usize) -> Result<Vec<u8>, RenderError> {
    let xml = std::str::from_utf8(document)
        .map_err(|_| RenderError::UnexpectedXml("document.xml is not UTF-8"))?;
    let found = xml.matches(HEADER_ROW_MARKER_XML).count();
    if found != expected {
        return Err(RenderError::UnexpectedXml(
            "header row markers do not match the header rows written",
        ));
    }
    Ok(xml
        .replace(HEADER_ROW_MARKER_XML, TABLE_HEADER_XML)
        .into_bytes())
}

/// Puts the hyperlink relationships in document.xml.rels in the order of
/// their ids.
///
/// docx-rs gathers hyperlink targets in a hash map, so they come out in a
/// different order from one render to the next. Sorting them makes rendering
/// repeatable: the same note always gives the same bytes (and the same
/// SHA-256). docx-rs writes them as one run of `<Relationship/>` elements
/// whose ids we chose (see [`Body::link`]); a target cannot contain `/>`
/// because docx-rs escapes `>` in it.
fn order_hyperlink_relationships(rels: &[u8], expected: usize) -> Result<Vec<u8>, RenderError> {
    const START: &str = r#"<Relationship Id="rIdHyperlink"#;
    let rels = std::str::from_utf8(rels)
        .map_err(|_| RenderError::UnexpectedXml("document.xml.rels is not UTF-8"))?;
    let Some(first) = rels.find(START) else {
        return if expected == 0 {
            Ok(rels.as_bytes().to_vec())
        } else {
            Err(RenderError::UnexpectedXml(
                "hyperlink relationships are missing",
            ))
        };
    };
    let mut entries: Vec<(usize, &str)> = Vec::new();
    let mut at = first;
    while rels[at..].starts_with(START) {
        let end = rels[at..]
            .find("/>")
            .map(|i| at + i + 2)
            .ok_or(RenderError::UnexpectedXml(
                "unterminated hyperlink relationship",
            ))?;
        let number = rels[at + START.len()..]
            .split('"')
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or(RenderError::UnexpectedXml(
                "hyperlink relationship without a number",
            ))?;
        entries.push((number, &rels[at..end]));
        at = end;
    }
    if entries.len() != expected || rels[at..].contains(START) {
        return Err(RenderError::UnexpectedXml(
            "hyperlink relationships do not match the links written",
        ));
    }
    entries.sort_by_key(|&(number, _)| number);
    let mut out = String::with_capacity(rels.len());
    out.push_str(&rels[..first]);
    for (_, entry) in entries {
        out.push_str(entry);
    }
    out.push_str(&rels[at..]);
    Ok(out.into_bytes())
}

/// Sets British English as the language of all text, in the document
/// defaults (`<w:lang w:val="en-GB"/>`), so spelling checks and screen
/// readers use it. docx-rs 0.4.22 has no setter for `w:lang`; its default run
/// properties end with `</w:rPr></w:rPrDefault>`, and `w:lang` belongs after
/// the font and size it writes there.
fn set_default_language(styles: &[u8]) -> Result<Vec<u8>, RenderError> {
    const END_OF_DEFAULT_RUN_PROPERTIES: &str = "</w:rPr></w:rPrDefault>";
    let xml = std::str::from_utf8(styles)
        .map_err(|_| RenderError::UnexpectedXml("styles.xml is not UTF-8"))?;
    if xml.matches(END_OF_DEFAULT_RUN_PROPERTIES).count() != 1 {
        return Err(RenderError::UnexpectedXml(
            "styles.xml has no single default run properties element",
        ));
    }
    Ok(xml
        .replacen(
            END_OF_DEFAULT_RUN_PROPERTIES,
            concat!(
                r#"<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA" />"#,
                "</w:rPr></w:rPrDefault>"
            ),
            1,
        )
        .into_bytes())
}

/// The document properties (docProps/core.xml): title, subject, author (the
/// secretariat organisation), creation time, language and status. docx-rs
/// 0.4.22 only sets the creation and modification times, so the whole part
/// is written here.
fn core_properties(note: &NoteDocument, title: &str) -> Vec<u8> {
    let created = note.created.to_rfc3339_opts(SecondsFormat::Secs, true);
    let author = xml_escape(&one_line(&note.author));
    let subject = xml_escape(&format!(
        "Summary note of the {}",
        one_line(&note.group_name)
    ));
    let revision = note.version.unwrap_or(1);
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title>",
            "<dc:subject>{subject}</dc:subject>",
            "<dc:creator>{author}</dc:creator>",
            "<dc:language>en-GB</dc:language>",
            "<cp:lastModifiedBy>{author}</cp:lastModifiedBy>",
            "<cp:revision>{revision}</cp:revision>",
            "<cp:contentStatus>{status}</cp:contentStatus>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{created}</dcterms:modified>"#,
            "</cp:coreProperties>"
        ),
        title = xml_escape(title),
        subject = subject,
        author = author,
        revision = revision,
        status = content_status(&note.status),
        created = created,
    )
    .into_bytes()
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Text.

/// Removes characters XML 1.0 does not allow (control characters pasted in
/// from other programs would make Word refuse the whole file), turns Windows
/// and old Mac line ends into `\n` and tabs into spaces. docx-rs escapes
/// `&`, `<`, `>` and quotes itself, so text is not escaped here.
fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if (c as u32) < 0x20 => None,
            '\u{FFFE}' | '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect()
}

/// Text for a single line (names, titles, table entries): line breaks become
/// spaces and runs of spaces collapse.
fn one_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_blank(text: &str) -> bool {
    clean(text).trim().is_empty()
}

/// Paragraphs of free text: blank lines separate paragraphs; single line
/// breaks are kept as line breaks within a paragraph.
fn text_blocks(text: &str) -> Vec<String> {
    let text = clean(text);
    let mut blocks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line.trim_end());
        }
    }
    if !current.is_empty() {
        blocks.push(current.join("\n"));
    }
    blocks
}

fn text_paragraphs(text: &str) -> Vec<Paragraph> {
    text_blocks(text)
        .iter()
        .map(|block| Paragraph::new().add_run(lines_run(block)))
        .collect()
}

/// A run of text whose line breaks are kept as line breaks.
fn lines_run(text: &str) -> Run {
    let text = clean(text);
    let mut run = Run::new();
    for (i, line) in text.trim().split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

fn table_paragraph(text: &str) -> Paragraph {
    Paragraph::new().style(TABLE_TEXT).add_run(lines_run(text))
}

/// The host part of a URL: "teams.microsoft.com".
fn link_host(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    (!host.is_empty()).then_some(host)
}

/// "A", "A and B", "A, B and C".
fn join_with_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

// ---------------------------------------------------------------------------
// Measuring text, to fit table columns to their content.

/// Advance widths of Arial (and its metric twin Liberation Sans) for ASCII
/// 32–126, in thousandths of an em: regular, then bold.
#[rustfmt::skip]
const ARIAL_WIDTHS: [[u16; 95]; 2] = [
    [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
        278, 278, 584, 584, 584, 556, 1015, // :;<=>?@
        667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A-M
        722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
        278, 278, 278, 469, 556, 333, // [\]^_`
        556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a-m
        556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n-z
        334, 260, 334, 584, // {|}~
    ],
    [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
        333, 333, 584, 584, 584, 611, 975, // :;<=>?@
        722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, // A-M
        722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
        333, 278, 333, 584, 556, 333, // [\]^_`
        556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, // a-m
        611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, // n-z
        389, 280, 389, 584, // {|}~
    ],
];

fn char_width(c: char, bold: bool) -> u32 {
    let table = &ARIAL_WIDTHS[usize::from(bold)];
    match c {
        ' '..='~' => u32::from(table[c as usize - 32]),
        '—' => 1000,
        '–' => 556,
        '‘' | '’' => 222,
        '“' | '”' => 333,
        '…' => 1000,
        // Accented Latin letters are about as wide as their base letters;
        // this errs on the wide side.
        _ => 611,
    }
}

/// The width of `text` on one line, in twips, at `size` half-points.
fn text_width(text: &str, size: usize, bold: bool) -> usize {
    let units: u32 = text.chars().map(|c| char_width(c, bold)).sum();
    // units/1000 em × size/2 pt × 20 twips/pt
    (units as usize * size).div_ceil(100)
}

fn longest_word_width(text: &str, size: usize, bold: bool) -> usize {
    text.split_whitespace()
        .map(|word| text_width(word, size, bold))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::model::{
        DiscussionPoint, GroupKind, ItemSection, MeetingDetails, MeetingWhen, PersonLine,
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
                location: Some("102 Petty France, London".into()),
                joining_link: Some("https://example.org/join?id=1&pwd=2".into()),
            }],
            status: NoteStatus::Published {
                on: NaiveDate::from_ymd_opt(2026, 4, 9).unwrap(),
            },
            version: Some(1),
            audience: Audience::Public,
            draft_marking: false,
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
            previous_actions: vec![action(
                "FRD-4-A2",
                "Share the survey",
                "Secretariat",
                "Done",
            )],
            items: vec![ItemSection {
                title: "Regime design principles".into(),
                presenter: Some("Gareth Pryce, Ministry of Justice".into()),
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
        assert!(numbering.contains(r#"<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1" /><w:numFmt w:val="bullet" /><w:lvlText w:val="•" />"#));
        assert!(numbering.contains(r#"<w:num w:numId="2"><w:abstractNumId w:val="2" /></w:num>"#));
    }

    #[test]
    fn page_is_a4_with_two_and_a_half_centimetre_margins() {
        let document = part(&render(&sample()).unwrap(), "word/document.xml");
        assert!(document.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#));
        assert!(
            document
                .contains(r#"<w:pgMar w:top="1418" w:right="1418" w:bottom="1418" w:left="1418""#)
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
            vec!["Officials' response", "Points agreed"]
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
            r#"<w:pStyle w:val="ListBullet" /><w:numPr><w:numId w:val="2" /><w:ilvl w:val="0" /></w:numPr>"#
        ));
        assert!(document.contains(
            r#"<w:rPr><w:b /><w:bCs /></w:rPr><w:t xml:space="preserve">Gareth Pryce: </w:t>"#
        ));
    }

    #[test]
    fn details_block_gives_time_in_the_meeting_zone_status_and_a_real_link() {
        let docx = render(&sample()).unwrap();
        let document = part(&docx, "word/document.xml");
        for text in [
            "Thursday 12 March 2026, 10:00–12:00 GMT",
            "Hybrid",
            "102 Petty France, London",
            "Published 9 April 2026",
            "Thursday 18 June 2026, 10:30–12:30 BST.",
        ] {
            assert!(document.contains(text), "{text}");
        }
        let rels = part(&docx, "word/_rels/document.xml.rels");
        assert!(rels.contains(r#"Target="https://example.org/join?id=1&amp;pwd=2""#));
        assert!(rels.contains(r#"TargetMode="External""#));
        assert!(document.contains("<w:hyperlink r:id=\"rIdHyperlink"));
    }

    #[test]
    fn long_joining_links_read_as_words_and_short_ones_as_themselves() {
        let long = format!(
            "https://teams.microsoft.com/l/meetup-join/{}",
            "x".repeat(120)
        );
        let mut note = sample();
        note.meetings[0].joining_link = Some(long.clone());
        let docx = render(&note).unwrap();
        let document = part(&docx, "word/document.xml");
        assert!(document.contains(">Join the meeting online (teams.microsoft.com)<"));
        assert!(part(&docx, "word/_rels/document.xml.rels").contains(&long));

        let short = part(&render(&sample()).unwrap(), "word/document.xml");
        assert!(short.contains(">https://example.org/join?id=1&amp;pwd=2<"));
        assert_eq!(
            link_host("https://user@host.example:8443/a?b#c"),
            Some("host.example:8443")
        );
        assert_eq!(link_host("not a url"), None);
    }

    fn two_meeting_note() -> NoteDocument {
        let mut note = sample();
        let mut fourth = note.meetings[0].clone();
        fourth.number = 4;
        fourth.joining_link = Some("https://example.org/join/4".into());
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
        let rels = part(&first, "word/_rels/document.xml.rels");
        let one = rels.find(r#"Id="rIdHyperlink1""#).unwrap();
        let two = rels.find(r#"Id="rIdHyperlink2""#).unwrap();
        assert!(one < two);
    }

    #[test]
    fn links_keep_their_own_targets_when_notes_render_at_once() {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                std::thread::spawn(|| {
                    (0..20)
                        .map(|_| render(&two_meeting_note()).unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            for docx in handle.join().unwrap() {
                let rels = part(&docx, "word/_rels/document.xml.rels");
                assert!(rels.contains(
                    r#"Id="rIdHyperlink1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/join/4""#
                ));
                assert!(rels.contains(
                    r#"Id="rIdHyperlink2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/join?id=1&amp;pwd=2""#
                ));
                let document = part(&docx, "word/document.xml");
                let first = document.find(r#"r:id="rIdHyperlink1""#).unwrap();
                let second = document.find(r#"r:id="rIdHyperlink2""#).unwrap();
                assert!(first < second);
            }
        }
    }

    #[test]
    fn status_reads_as_the_lifecycle_says() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 26).unwrap();
        assert_eq!(status_text(&NoteStatus::Draft), "Draft");
        assert_eq!(
            status_text(&NoteStatus::Circulated {
                comment_deadline: day
            }),
            "Circulated for comment until 26 March 2026"
        );
        assert_eq!(
            status_text(&NoteStatus::Approved {
                on: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()
            }),
            "Agreed 3 March 2026"
        );
        assert_eq!(
            status_text(&NoteStatus::Published { on: day }),
            "Published 26 March 2026"
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
        assert!(document.contains("Thursday 26 February 2026, 10:00–11:00 GMT"));
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
        // Text after a table keeps its distance from the table.
        assert!(document.contains(r#"</w:tbl><w:p w14:paraId="#));
        let after_attendance = document.split("</w:tbl>").nth(2).unwrap();
        assert!(after_attendance.contains("Apologies: "));
        assert!(
            after_attendance
                .split("Apologies: ")
                .next()
                .unwrap()
                .contains(r#"<w:spacing w:before="200" />"#)
        );
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
        let rows = vec![Row::Data(vec![
            "FRD-5-A1".into(),
            long.clone(),
            long,
            "1 Jan 2026".into(),
            "Open".into(),
        ])];
        let widths = fit_columns(&columns, &rows, TEXT_WIDTH);
        assert_eq!(widths.iter().sum::<usize>(), TEXT_WIDTH);
        let huge = "x".repeat(500);
        let rows = vec![Row::Data(vec![
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
            core.contains(
                "<dc:title>Summary note: Future Regime Design SIG — meeting 5</dc:title>"
            )
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
        assert!(texts.contains(&tricky.to_owned()), "{texts:?}");
        assert!(texts.contains(&format!("Summary note: SIG {tricky} — meeting 5")));
        assert!(texts.contains(&tricky.to_owned()));

        let document = part(&docx, "word/document.xml");
        let escaped = "Tom &amp; Jerry &lt;script&gt; &quot;quoted&quot; &apos;single&apos; “curly” ‘quotes’ — café Köln";
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
        assert!(
            part(&draft, "word/document.xml").contains(r#"<w:headerReference w:type="default""#)
        );
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
        assert!(
            part(&docx, "word/document.xml").contains(r#"<w:footerReference w:type="default""#)
        );
    }

    #[test]
    fn empty_parts_are_left_out_and_empty_lists_say_so() {
        let mut note = sample();
        note.previous_actions.clear();
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
}
