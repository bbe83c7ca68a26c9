//! Content lines as RFC 5545 §3.1 writes them: `NAME;PARAM=value:value`, TEXT
//! escaping, parameter quoting, folding at 75 octets and CRLF line ends.

/// Longest physical line, in octets, not counting the CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// One property parameter, such as `TZID=Europe/London` or `CN="Doe, Jane"`.
pub(super) struct Param<'a> {
    name: &'static str,
    value: &'a str,
    always_quote: bool,
}

impl<'a> Param<'a> {
    /// A parameter whose value is quoted only when it has to be.
    pub(super) fn new(name: &'static str, value: &'a str) -> Self {
        Param {
            name,
            value,
            always_quote: false,
        }
    }

    /// A parameter whose value is always quoted; used for people's names, which
    /// may hold any character.
    pub(super) fn quoted(name: &'static str, value: &'a str) -> Self {
        Param {
            name,
            value,
            always_quote: true,
        }
    }
}

/// An iCalendar object being written, one content line at a time.
#[derive(Default)]
pub(super) struct Lines {
    out: String,
}

impl Lines {
    /// `BEGIN:<component>`.
    pub(super) fn begin(&mut self, component: &str) {
        self.raw("BEGIN", &[], component);
    }

    /// `END:<component>`.
    pub(super) fn end(&mut self, component: &str) {
        self.raw("END", &[], component);
    }

    /// A property whose value is written as given. Only for values this module
    /// builds itself (dates, numbers, keywords), which never need escaping.
    pub(super) fn raw(&mut self, name: &str, params: &[Param<'_>], value: &str) {
        let mut line = String::with_capacity(name.len() + value.len() + 16);
        line.push_str(name);
        for param in params {
            line.push(';');
            line.push_str(param.name);
            line.push('=');
            push_param_value(&mut line, param.value, param.always_quote);
        }
        line.push(':');
        line.push_str(value);
        push_folded(&mut self.out, &line);
    }

    /// A TEXT property (RFC 5545 §3.3.11): backslash, semicolon, comma and line
    /// breaks are escaped.
    pub(super) fn text(&mut self, name: &str, params: &[Param<'_>], value: &str) {
        self.raw(name, params, &escape_text(value));
    }

    /// A URI or CAL-ADDRESS property. These values are not escaped in iCalendar,
    /// so control characters are dropped: a line break in a stored link must not
    /// be able to start a property of its own.
    pub(super) fn uri(&mut self, name: &str, params: &[Param<'_>], value: &str) {
        let clean: String = value.chars().filter(|c| !c.is_control()).collect();
        self.raw(name, params, clean.trim());
    }

    /// The finished object.
    pub(super) fn finish(self) -> String {
        self.out
    }
}

/// Escapes a TEXT value. CRLF, CR and LF all become `\n`; other control
/// characters (except tab) are not allowed in TEXT and are dropped.
pub(super) fn escape_text(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len() + value.len() / 8);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                escaped.push_str("\\n");
            }
            '\t' => escaped.push('\t'),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Writes a parameter value. RFC 5545 has no escape inside parameter values:
/// a value may not hold a double quote or a control character at all, and must
/// be quoted if it holds `:`, `;` or `,`. So double quotes become apostrophes
/// and control characters (a line break in a name) become spaces.
fn push_param_value(line: &mut String, value: &str, always_quote: bool) {
    let clean: String = value
        .chars()
        .map(|c| match c {
            '"' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let clean = clean.trim();
    if always_quote || clean.contains([':', ';', ',']) {
        line.push('"');
        line.push_str(clean);
        line.push('"');
    } else {
        line.push_str(clean);
    }
}

/// Appends one content line folded to at most 75 octets per physical line,
/// each continuation starting with a single space, never splitting a UTF-8
/// character, and ending in CRLF.
pub(super) fn push_folded(out: &mut String, line: &str) {
    let mut rest = line;
    // The first physical line has all 75 octets; a continuation line spends
    // one of them on its leading space.
    let mut room = MAX_LINE_OCTETS;
    while rest.len() > room {
        let mut cut = room;
        // A UTF-8 character is at most four octets, so this steps back at
        // most three times and never reaches zero.
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = MAX_LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}
