//! Document set-up: page, styles, numbering, header and footer.

use super::*;

pub(super) fn base_document(note: &NoteDocument) -> Docx {
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
    if let Some(header) = header(note) {
        docx = docx.header(header);
    }
    docx
}

pub(super) fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new().before(before).after(after)
}

pub(super) fn styles() -> Vec<Style> {
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

    // A notice the reader must not miss ("This meeting has not taken place
    // yet"): bold, in the draft red, boxed.
    let mut notice = Style::new(NOTICE, StyleType::Paragraph)
        .name("Notice")
        .based_on("Normal")
        .next("Normal")
        .bold()
        .color(DRAFT_RED)
        .line_spacing(spacing(120, 240));
    notice.paragraph_property = notice.paragraph_property.set_borders(
        ParagraphBorders::with_empty()
            .set(notice_border(ParagraphBorderPosition::Top))
            .set(notice_border(ParagraphBorderPosition::Left))
            .set(notice_border(ParagraphBorderPosition::Bottom))
            .set(notice_border(ParagraphBorderPosition::Right)),
    );

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
        notice,
    ]
}

fn notice_border(position: ParagraphBorderPosition) -> ParagraphBorder {
    ParagraphBorder::new(position)
        .val(BorderType::Single)
        .size(8)
        .space(4)
        .color(DRAFT_RED)
}

/// A single rule on one side of a paragraph. (docx-rs's `set_border` starts
/// from a box on all four sides.)
pub(super) fn only_border(
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

/// The header on every page: who the note is for when it is restricted
/// ("Members of the Future Regime Design SIG only — not for onward
/// circulation"), and DRAFT on drafts. A published public note has none.
pub(super) fn header(note: &NoteDocument) -> Option<Header> {
    let restriction = match note.audience {
        Audience::Public => None,
        Audience::Members => Some(format!(
            "Members of the {} only — not for onward circulation",
            one_line(&note.group_name)
        )),
        Audience::Secretariat => Some("Secretariat only — not for circulation".to_owned()),
    };
    if restriction.is_none() && !note.draft_marking {
        return None;
    }
    let mut header = Header::new();
    if note.draft_marking {
        header = header.add_paragraph(
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
                        .color(DRAFT_RED),
                ),
        );
    }
    if let Some(restriction) = restriction {
        header = header.add_paragraph(
            Paragraph::new().style(HEADER_STYLE).add_run(
                Run::new()
                    .add_text(typeset(&restriction))
                    .bold()
                    .color(DARK_BLUE),
            ),
        );
    }
    Some(header)
}

pub(super) fn footer(note: &NoteDocument) -> Footer {
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
