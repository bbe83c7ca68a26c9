//! Tables: full-width data tables with a repeating header row, and column
//! widths fitted to their content by measuring text.

use super::*;

/// A column of a data table.
pub(super) struct Column {
    pub(super) header: &'static str,
    /// Short codes, dates and statuses are never wrapped: the column is made
    /// wide enough for its longest entry.
    pub(super) nowrap: bool,
}

impl Column {
    pub(super) const fn wraps(header: &'static str) -> Self {
        Column {
            header,
            nowrap: false,
        }
    }

    pub(super) const fn nowrap(header: &'static str) -> Self {
        Column {
            header,
            nowrap: true,
        }
    }
}

/// A body row of a data table: one entry per column.
pub(super) struct Row(pub(super) Vec<String>);

/// A full-width table with a shaded header row that repeats on every page,
/// rows that never split across pages, and column widths fitted to the
/// content. Returns the table and the number of header rows written.
pub(super) fn data_table(columns: &[Column], rows: &[Row]) -> (Table, usize) {
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
        let table_row = TableRow::new(
            row.0
                .iter()
                .zip(&widths)
                .map(|(text, &width)| {
                    TableCell::new()
                        .add_paragraph(table_paragraph(text))
                        .width(width, WidthType::Dxa)
                })
                .collect(),
        );
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

pub(super) fn shade(fill: &str) -> Shading {
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
pub(super) fn fit_columns(columns: &[Column], rows: &[Row], total: usize) -> Vec<usize> {
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
            let text = row.0.get(i).map(String::as_str).unwrap_or("");
            full = full.max(
                text.lines()
                    .map(|line| text_width(line, TABLE_SIZE, false))
                    .max()
                    .unwrap_or(0),
            );
            word = word.max(longest_word_width(text, TABLE_SIZE, false));
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
pub(super) fn round_to_total(widths: Vec<f64>, total: usize) -> Vec<usize> {
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

// ---------------------------------------------------------------------------
// Measuring text, to fit table columns to their content.

/// Advance widths of Arial (and its metric twin Liberation Sans) for ASCII
/// 32–126, in thousandths of an em: regular, then bold.
#[rustfmt::skip]
pub(super) const ARIAL_WIDTHS: [[u16; 95]; 2] = [
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

pub(super) fn char_width(c: char, bold: bool) -> u32 {
    let table = &ARIAL_WIDTHS[usize::from(bold)];
    match c {
        ' '..='~' => u32::from(table[c as usize - 32]),
        '—' => 1000,
        '\u{a0}' => 278,
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
pub(super) fn text_width(text: &str, size: usize, bold: bool) -> usize {
    let units: u32 = text.chars().map(|c| char_width(c, bold)).sum();
    // units/1000 em × size/2 pt × 20 twips/pt
    (units as usize * size).div_ceil(100)
}

pub(super) fn longest_word_width(text: &str, size: usize, bold: bool) -> usize {
    // A no-break space joins the words either side of it.
    text.split([' ', '\n'])
        .map(|word| text_width(word, size, bold))
        .max()
        .unwrap_or(0)
}
