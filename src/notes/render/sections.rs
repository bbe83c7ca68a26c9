//! The body of the note, section by section, in the order the note presents them.

use super::*;

/// The document being written, with what the finishing steps need to know.
pub(super) struct Body {
    pub(super) docx: Docx,
    /// How many repeating header rows were written (see
    /// [`mark_repeating_header_rows`]).
    pub(super) header_rows: usize,
    /// Which abbreviations the text has spelled out so far.
    abbreviations: Abbreviations,
}

impl Body {
    pub(super) fn new(docx: Docx) -> Self {
        Body {
            docx,
            header_rows: 0,
            abbreviations: Abbreviations::default(),
        }
    }

    /// Running text as the note prints it: abbreviations spelled out on
    /// first use. (Quotes and spaces are set where runs are made.)
    pub(super) fn prose(&mut self, text: &str) -> String {
        self.abbreviations.explain(text)
    }

    pub(super) fn add(&mut self, p: Paragraph) {
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }

    pub(super) fn heading(&mut self, style: &str, text: &str) {
        let p = Paragraph::new()
            .style(style)
            .add_run(Run::new().add_text(typeset(&one_line(text))));
        self.add(p);
    }

    /// Free text: paragraphs separated by blank lines.
    pub(super) fn text(&mut self, text: &str) {
        let text = self.prose(text);
        for p in text_paragraphs(&text) {
            self.add(p);
        }
    }

    /// A sentence of the note's own, in plain body text.
    pub(super) fn sentence(&mut self, text: &str) {
        let text = self.prose(text);
        self.add(Paragraph::new().add_run(lines_run(&text)));
    }

    pub(super) fn bullet(&mut self, runs: Vec<Run>) {
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

    pub(super) fn bullets<'a>(&mut self, items: impl IntoIterator<Item = &'a String>) {
        for item in items {
            if !is_blank(item) {
                let text = self.prose(item);
                self.bullet(vec![lines_run(&text)]);
            }
        }
    }

    /// A table, then a small spacer paragraph. The spacer keeps text off the
    /// table's bottom border, and it is what lets LibreOffice keep a heading
    /// that follows a table with the text under it: LibreOffice ignores
    /// keep-with-next on a paragraph directly after a table, which stranded
    /// headings at the foot of pages.
    pub(super) fn table(&mut self, table: Table, header_rows: usize) {
        self.header_rows += header_rows;
        self.docx = std::mem::take(&mut self.docx).add_table(table);
        self.add(
            Paragraph::new().line_spacing(
                LineSpacing::new()
                    .before(0)
                    .after(0)
                    .line(SPACE_AFTER_TABLE as i32)
                    .line_rule(LineSpacingType::Exact),
            ),
        );
    }

    /// Table rows with every cell's text as the note prints it.
    fn rows(&mut self, rows: Vec<Vec<String>>) -> Vec<Row> {
        rows.into_iter()
            .map(|cells| Row(cells.iter().map(|cell| self.prose(cell)).collect()))
            .collect()
    }
}

pub(super) fn title_block(body: &mut Body, note: &NoteDocument, title: &str) {
    body.heading(TITLE, title);

    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    match note.meetings.as_slice() {
        [] => {}
        [meeting] => {
            if !is_blank(&meeting.title) {
                rows.push(("Meeting".into(), vec![meeting.title.clone()]));
            }
            rows.push(("Date and time".into(), vec![meeting_time(meeting)]));
            if !is_blank(&meeting.mode) {
                rows.push(("Mode".into(), vec![meeting.mode.clone()]));
            }
            if let Some(location) = meeting.location.as_deref().filter(|l| !is_blank(l)) {
                rows.push(("Location".into(), vec![location.to_owned()]));
            }
        }
        several => {
            for meeting in several {
                let mut value = Vec::new();
                if !is_blank(&meeting.title) {
                    value.push(meeting.title.clone());
                }
                value.push(meeting_time(meeting));
                let place = [Some(meeting.mode.as_str()), meeting.location.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|s| !is_blank(s))
                    .map(one_line)
                    .collect::<Vec<_>>()
                    .join(" — ");
                if !place.is_empty() {
                    value.push(place);
                }
                rows.push((format!("Meeting {}", meeting.number), value));
            }
        }
    }
    rows.push((
        "Status".into(),
        vec![status_text(&note.status, note.version)],
    ));
    rows.push((
        "Audience".into(),
        vec![
            match note.audience {
                Audience::Members => "Members of the group and officials",
                Audience::Public => "Public",
                Audience::Secretariat if note.includes_reserved => {
                    "Secretariat only (includes items reserved to the secretariat)"
                }
                Audience::Secretariat => "Secretariat only",
            }
            .to_owned(),
        ],
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
            for text in value {
                let text = body.prose(&one_line(&text));
                value_cell = value_cell.add_paragraph(table_paragraph(&text));
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

    if !note.held {
        body.add(
            Paragraph::new()
                .style(NOTICE)
                .add_run(Run::new().add_text(NOT_HELD_NOTICE)),
        );
    }
}

/// What a note of a meeting that has not taken place says at its top.
pub(super) const NOT_HELD_NOTICE: &str = "This meeting has not taken place yet. This preview \
     shows the note as drafted so far; attendance and actions are recorded once the meeting \
     has been held.";

pub(super) fn meeting_time(meeting: &MeetingDetails) -> String {
    format_meeting_time(meeting.starts_at, meeting.ends_at, meeting.time_zone)
}

pub(super) fn about_section(body: &mut Body, note: &NoteDocument) {
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
        body.sentence(&format!("Sponsored by {}.", join_with_and(&sponsors)));
    }
}

/// A paragraph led by a bold label ("Remit: …"); later paragraphs of the
/// same text follow as plain paragraphs.
pub(super) fn labelled_text(body: &mut Body, label: &str, text: &str) {
    let text = body.prose(text);
    let mut blocks = text_blocks(&text).into_iter();
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

pub(super) fn purpose_section(body: &mut Body, note: &NoteDocument) {
    if is_blank(&note.purpose) {
        return;
    }
    body.heading(HEADING_1, PURPOSE_HEADING);
    body.text(&note.purpose);
}

/// Who attended, as one table with a Role column (no merged cells: screen
/// readers lose the column headers in rows that span the table), then the
/// apologies. A meeting not yet held lists no one as present.
pub(super) fn attendance_section(body: &mut Body, note: &NoteDocument) {
    body.heading(HEADING_1, ATTENDANCE_HEADING);
    if !note.held {
        body.sentence("Attendance is recorded once the meeting has taken place.");
        return;
    }
    let attendance = &note.attendance;
    let groups: [(&str, &[PersonLine]); 5] = [
        ("Chair", &attendance.chair),
        ("Member", &attendance.members),
        ("Official", &attendance.officials),
        ("Guest", &attendance.guests),
        ("Secretariat", &attendance.secretariat),
    ];
    let mut rows = Vec::new();
    for (role, people) in groups {
        for person in people {
            rows.push(vec![
                one_line(&person.name),
                person
                    .organisation
                    .as_deref()
                    .map(one_line)
                    .unwrap_or_default(),
                person
                    .role
                    .as_deref()
                    .filter(|r| !is_blank(r))
                    .map(one_line)
                    .unwrap_or_else(|| role.to_owned()),
            ]);
        }
    }
    if rows.is_empty() {
        body.sentence("No attendance was recorded.");
    } else {
        const COLUMNS: [Column; 3] = [
            Column::wraps("Name"),
            Column::wraps("Organisation"),
            Column::wraps("Role"),
        ];
        let rows = body.rows(rows);
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
        // Semicolons, because organisation names may contain commas.
        let list = body.prose(&format!("{}.", apologies.join("; ")));
        body.add(
            Paragraph::new()
                .add_run(Run::new().add_text("Apologies: ").bold())
                .add_run(lines_run(&list)),
        );
    }
}

pub(super) const ACTION_COLUMNS: [Column; 5] = [
    Column::nowrap("Reference"),
    Column::wraps("Action"),
    Column::wraps("Owner"),
    Column::nowrap("Due"),
    Column::nowrap("Status"),
];

pub(super) fn action_rows(body: &mut Body, actions: &[ActionRow]) -> Vec<Row> {
    let rows = actions
        .iter()
        .map(|a| {
            let status = one_line(&a.status);
            vec![
                one_line(&a.reference),
                clean(&a.description).trim().to_owned(),
                one_line(&a.owner),
                a.due_on
                    .map(format_short_date)
                    .unwrap_or_else(|| "Not set".into()),
                // Overdue in words, on a line of its own so the column
                // stays narrow.
                if a.overdue {
                    format!("{status}\nOverdue")
                } else {
                    status
                },
            ]
        })
        .collect();
    body.rows(rows)
}

pub(super) fn previous_actions_section(body: &mut Body, actions: &[ActionRow]) {
    body.heading(HEADING_1, PREVIOUS_ACTIONS_HEADING);
    if actions.is_empty() {
        body.sentence("There were no open actions from previous meetings.");
        return;
    }
    let rows = action_rows(body, actions);
    let (table, header_rows) = data_table(&ACTION_COLUMNS, &rows);
    body.table(table, header_rows);
}

pub(super) fn discussion_section(body: &mut Body, items: &[ItemSection]) {
    if items.is_empty() {
        return;
    }
    body.heading(HEADING_1, DISCUSSION_HEADING);
    for (index, item) in items.iter().enumerate() {
        let number = index + 1;
        body.heading(HEADING_2, &format!("{number}. {}", one_line(&item.title)));
        if let Some(presenter) = item.presenter.as_deref().filter(|p| !is_blank(p)) {
            let presenter = one_line(presenter);
            // What happened, not what the agenda planned.
            let line = match item.presenter_missing {
                None => format!("Presented by {presenter}"),
                Some(Missing::Apologies) => {
                    format!("{presenter} was to present this item but sent apologies.")
                }
                Some(Missing::Absent) => {
                    format!("{presenter} was to present this item but was not at the meeting.")
                }
            };
            let line = body.prose(&line);
            // The presenter line stays with the summary under it, as the
            // heading stays with the presenter line.
            body.add(
                Paragraph::new()
                    .keep_next(true)
                    .add_run(lines_run(&line).italic()),
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
                        .add_text(typeset(&format!("{}: ", one_line(speaker))))
                        .bold(),
                );
            }
            let text = body.prose(&point.text);
            runs.push(lines_run(&text));
            body.bullet(runs);
        }
        // Headings that differ from item to item, so a reader moving by
        // headings (Word's navigation pane, a screen reader) knows where
        // they are.
        if let Some(response) = item.officials_response.as_deref().filter(|r| !is_blank(r)) {
            body.heading(HEADING_3, &format!("Officials' response on item {number}"));
            body.text(response);
        }
        if item.agreed.iter().any(|a| !is_blank(a)) {
            body.heading(HEADING_3, &format!("Agreed on item {number}"));
            body.bullets(&item.agreed);
        }
    }
}

pub(super) fn key_issues_section(body: &mut Body, key_issues: &[String]) {
    if key_issues.iter().all(|k| is_blank(k)) {
        return;
    }
    body.heading(HEADING_1, KEY_ISSUES_HEADING);
    body.bullets(key_issues);
}

pub(super) fn actions_section(body: &mut Body, note: &NoteDocument) {
    body.heading(HEADING_1, ACTIONS_HEADING);
    if !note.held {
        body.sentence("Actions are recorded once the meeting has taken place.");
        return;
    }
    if note.actions.is_empty() {
        body.sentence("No new actions were agreed at this meeting.");
        return;
    }
    let rows = action_rows(body, &note.actions);
    let (table, header_rows) = data_table(&ACTION_COLUMNS, &rows);
    body.table(table, header_rows);
}

pub(super) fn closing_sections(body: &mut Body, note: &NoteDocument) {
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
    body.sentence(&next);
}
