//! Text as the note prints it: cleaned of what XML forbids, split into
//! paragraphs and lines.

use super::*;

/// Removes characters XML 1.0 does not allow (control characters pasted in
/// from other programs would make Word refuse the whole file), turns Windows
/// and old Mac line ends into `\n` and tabs into spaces. docx-rs escapes
/// `&`, `<`, `>` and quotes itself, so text is not escaped here.
pub(super) fn clean(text: &str) -> String {
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
pub(super) fn one_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn is_blank(text: &str) -> bool {
    clean(text).trim().is_empty()
}

/// Paragraphs of free text: blank lines separate paragraphs; single line
/// breaks are kept as line breaks within a paragraph.
pub(super) fn text_blocks(text: &str) -> Vec<String> {
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

pub(super) fn text_paragraphs(text: &str) -> Vec<Paragraph> {
    text_blocks(text)
        .iter()
        .map(|block| Paragraph::new().add_run(lines_run(block)))
        .collect()
}

/// A run of text whose line breaks are kept as line breaks, typeset (see
/// [`typeset`]).
pub(super) fn lines_run(text: &str) -> Run {
    let text = clean(text);
    let mut run = Run::new();
    for (i, line) in text.trim().split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(typeset(line));
    }
    run
}

pub(super) fn table_paragraph(text: &str) -> Paragraph {
    Paragraph::new().style(TABLE_TEXT).add_run(lines_run(text))
}

/// "A", "A and B", "A, B and C".
pub(super) fn join_with_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Typesetting for every piece of text the note prints: straight quotes and
/// apostrophes become curly ones, so the note uses one kind throughout; a
/// time and its zone ("10:00 GMT") and the two halves of a postcode
/// ("SW1H 9AJ") are tied with no-break spaces so a line never splits them.
pub(super) fn typeset(text: &str) -> String {
    tie_spaces(&curly_quotes(text))
}

fn curly_quotes(text: &str) -> String {
    if !text.contains(['\'', '"']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let opens = previous.is_none_or(|p| {
            p.is_whitespace() || matches!(p, '(' | '[' | '{' | '—' | '–' | '/' | '“' | '‘')
        });
        let next_is_word = chars.peek().is_some_and(|n| n.is_alphanumeric());
        out.push(match c {
            '\'' if opens && next_is_word => '‘',
            '\'' => '’',
            '"' if opens => '“',
            '"' => '”',
            c => c,
        });
        previous = Some(c);
    }
    out
}

/// "10:00–12:00 GMT" and "SW1H 9AJ" with a no-break space in the middle.
fn tie_spaces(text: &str) -> String {
    if !text.contains(' ') {
        return text.to_owned();
    }
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            let before = words[i - 1];
            let tie = (ends_with_time(before) && starts_with_zone(word))
                || (is_outward_code(before) && starts_with_inward_code(word));
            out.push(if tie { '\u{a0}' } else { ' ' });
        }
        out.push_str(word);
    }
    out
}

/// Ends with "hh:mm".
fn ends_with_time(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() >= 5 && {
        let t = &b[b.len() - 5..];
        t[0].is_ascii_digit()
            && t[1].is_ascii_digit()
            && t[2] == b':'
            && t[3].is_ascii_digit()
            && t[4].is_ascii_digit()
    }
}

/// "GMT", "BST.", "CEST)": two to four capitals, then nothing or punctuation.
fn starts_with_zone(word: &str) -> bool {
    let letters = word.bytes().take_while(u8::is_ascii_uppercase).count();
    (2..=4).contains(&letters)
        && word[letters..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// The first half of a UK postcode: "SW1H", "M1", "EC1A", "B33".
fn is_outward_code(word: &str) -> bool {
    let word = word.trim_start_matches(['(', '[']);
    let b = word.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    (1..=2).contains(&letters)
        && (2..=4).contains(&b.len())
        && letters < b.len()
        && b[letters].is_ascii_digit()
        && b[letters + 1..]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

/// The second half of a UK postcode: a digit and two capitals ("9AJ"),
/// perhaps followed by punctuation.
fn starts_with_inward_code(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() >= 3
        && b[0].is_ascii_digit()
        && b[1].is_ascii_uppercase()
        && b[2].is_ascii_uppercase()
        && word[3..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Abbreviations a note is likely to use, with what they stand for.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("HMPPS", "HM Prison and Probation Service"),
    ("MoJ", "Ministry of Justice"),
    ("RR3", "Reducing Reoffending Third Sector Advisory Group"),
    ("SIG", "special interest group"),
    ("SIGs", "special interest groups"),
    ("CAS", "Community Accommodation Service"),
    ("VCSE", "voluntary, community and social enterprise"),
];

/// Spells out each abbreviation the first time the note's text uses it
/// ("HM Prison and Probation Service (HMPPS)"), unless the text already does.
/// Headings and the title are left as they are, and do not count as a first
/// use: a reader who meets the abbreviation in the text still gets it
/// spelled out.
#[derive(Default)]
pub(super) struct Abbreviations {
    explained: Vec<&'static str>,
}

impl Abbreviations {
    pub(super) fn explain(&mut self, text: &str) -> String {
        let mut text = text.to_owned();
        for &(short, long) in ABBREVIATIONS {
            if self.explained.contains(&short) {
                continue;
            }
            // Not where it already stands in brackets ("Carys Hughes
            // (HMPPS)"): spelling it out there would nest brackets.
            let Some(at) = find_word(&text, short, |before, after| {
                !(before.ends_with('(') && after.starts_with(')'))
                    || before.ends_with(&format!("{long} ("))
            }) else {
                continue;
            };
            self.explained.push(short);
            let before = &text[..at];
            let spelled_out = before.ends_with(&format!("{long} ("))
                || before.ends_with(&format!("{} (", capitalise(long)));
            if !spelled_out {
                let long = if at == 0 || before.trim_end().ends_with(['.', ':']) {
                    capitalise(long)
                } else {
                    long.to_owned()
                };
                text.replace_range(at..at + short.len(), &format!("{long} ({short})"));
            }
        }
        text
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The first place `word` stands as a whole word in `text` (not inside a
/// longer word, and not part of a reference such as "FRD-5-A1") where
/// `wanted` accepts the text before and after it.
fn find_word(text: &str, word: &str, wanted: impl Fn(&str, &str) -> bool) -> Option<usize> {
    let joined = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let at = from + found;
        let end = at + word.len();
        if !joined(text[..at].chars().next_back())
            && !joined(text[end..].chars().next())
            && wanted(&text[..at], &text[end..])
        {
            return Some(at);
        }
        from = end;
    }
    None
}
