//! The calendar files are read back with the `icalendar` crate's parser, so
//! these tests check what a calendar client would read, not just the text.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::London;
use chrono_tz::Tz;

use super::lines::{escape_text, push_folded};
use super::*;

// ---------------------------------------------------------------------------
// Reading calendar files back

#[derive(Debug)]
struct Comp {
    name: String,
    props: Vec<Prop>,
    children: Vec<Comp>,
}

#[derive(Debug)]
struct Prop {
    name: String,
    value: String,
    params: Vec<(String, Option<String>)>,
}

impl Prop {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .and_then(|(_, value)| value.as_deref())
    }
}

impl Comp {
    fn all(&self, name: &str) -> Vec<&Prop> {
        self.props.iter().filter(|p| p.name == name).collect()
    }

    fn get(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }

    fn prop(&self, name: &str) -> &Prop {
        self.get(name)
            .unwrap_or_else(|| panic!("{} has no {name}", self.name))
    }

    fn value(&self, name: &str) -> &str {
        &self.prop(name).value
    }

    fn children(&self, name: &str) -> Vec<&Comp> {
        self.children.iter().filter(|c| c.name == name).collect()
    }

    fn only_event(&self) -> &Comp {
        let events = self.children("VEVENT");
        assert_eq!(events.len(), 1, "expected exactly one VEVENT");
        events[0]
    }
}

fn own_props(props: &[icalendar::parser::Property<'_>]) -> Vec<Prop> {
    props
        .iter()
        .map(|p| Prop {
            name: p.name.as_str().to_owned(),
            value: p.val.as_str().to_owned(),
            params: p
                .params
                .iter()
                .map(|param| {
                    (
                        param.key.as_str().to_owned(),
                        param.val.as_ref().map(|v| v.as_str().to_owned()),
                    )
                })
                .collect(),
        })
        .collect()
}

fn own_component(c: &icalendar::parser::Component<'_>) -> Comp {
    Comp {
        name: c.name.as_str().to_owned(),
        props: own_props(&c.properties),
        children: c.components.iter().map(own_component).collect(),
    }
}

/// Unfolds and parses a calendar file, giving its VCALENDAR.
fn parse(ics: &str) -> Comp {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("output parses");
    Comp {
        name: "VCALENDAR".to_owned(),
        props: own_props(&calendar.properties),
        children: calendar.components.iter().map(own_component).collect(),
    }
}

/// The instant a client reads from a DTSTART/DTEND: UTC if it ends in `Z`,
/// otherwise the local time resolved through the file's own VTIMEZONE.
fn read_instant(calendar: &Comp, prop: &Prop) -> DateTime<Utc> {
    if let Some(utc) = prop.value.strip_suffix('Z') {
        return parse_local(utc).and_utc();
    }
    let tzid = prop.param("TZID").expect("a local time names its zone");
    resolve(calendar, tzid, parse_local(&prop.value))
}

fn parse_local(value: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").expect("date-time value")
}

fn parse_offset(value: &str) -> i64 {
    let sign = if value.starts_with('-') { -1 } else { 1 };
    let digits = &value[1..];
    let hours: i64 = digits[0..2].parse().unwrap();
    let minutes: i64 = digits[2..4].parse().unwrap();
    let seconds: i64 = digits.get(4..6).map_or(0, |s| s.parse().unwrap());
    sign * (hours * 3600 + minutes * 60 + seconds)
}

/// The onset in `year` of an observance's yearly rule.
fn yearly_onset(rule: &str, year: i32, first: NaiveDateTime) -> NaiveDateTime {
    let part = |key: &str| {
        rule.split(';')
            .find_map(|p| p.strip_prefix(key))
            .unwrap_or_else(|| panic!("{rule} has no {key}"))
    };
    assert_eq!(part("FREQ="), "YEARLY");
    let month: u32 = part("BYMONTH=").parse().unwrap();
    let byday = part("BYDAY=");
    let (week, day) = byday.split_at(byday.len() - 2);
    let weekday = match day {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        other => panic!("weekday {other}"),
    };
    let week: i32 = week.parse().unwrap();
    let date = if week > 0 {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, u8::try_from(week).unwrap())
            .unwrap()
    } else {
        assert_eq!(week, -1);
        let mut day = NaiveDate::from_ymd_opt(year, month + 1, 1)
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap())
            - Duration::days(1);
        while day.weekday() != weekday {
            day -= Duration::days(1);
        }
        day
    };
    date.and_time(first.time())
}

/// What a calendar client that trusts the file's VTIMEZONE makes of a local
/// time in `tzid`.
fn resolve(calendar: &Comp, tzid: &str, local: NaiveDateTime) -> DateTime<Utc> {
    let vtimezone = calendar
        .children("VTIMEZONE")
        .into_iter()
        .find(|c| c.value("TZID") == tzid)
        .unwrap_or_else(|| panic!("no VTIMEZONE for {tzid}"));
    let mut onsets: Vec<(NaiveDateTime, i64)> = Vec::new();
    for observance in &vtimezone.children {
        assert!(["STANDARD", "DAYLIGHT"].contains(&observance.name.as_str()));
        let first = parse_local(observance.value("DTSTART"));
        let from = parse_offset(observance.value("TZOFFSETFROM"));
        let to = parse_offset(observance.value("TZOFFSETTO"));
        let dates = match observance.get("RRULE") {
            None => vec![first],
            Some(rule) => (first.year()..=local.year() + 1)
                .map(|year| yearly_onset(&rule.value, year, first))
                .filter(|onset| *onset >= first)
                .collect(),
        };
        // Onsets are local times before the change; as UTC:
        onsets.extend(dates.into_iter().map(|d| (d - Duration::seconds(from), to)));
    }
    onsets.sort();
    // The offset in force at an instant is the one set by the latest onset.
    let offset_at = |instant: NaiveDateTime| {
        onsets
            .iter()
            .rev()
            .find(|(at, _)| *at <= instant)
            .map(|(_, to)| *to)
    };
    // A local time maps to local − offset for whichever offsets agree with
    // themselves; when two do (clocks going back), RFC 5545 means the first.
    onsets
        .iter()
        .map(|(_, to)| local - Duration::seconds(*to))
        .filter(|instant| offset_at(*instant) == Some((local - *instant).num_seconds()))
        .min()
        .expect("an observance covers the time")
        .and_utc()
}

// ---------------------------------------------------------------------------
// Meetings to render

fn at(tz: Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    tz.with_ymd_and_hms(y, m, d, h, min, 0)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

fn attendee(name: &str, email: Option<&str>, partstat: PartStat, role: AttendeeRole) -> Attendee {
    Attendee {
        name: name.to_owned(),
        email: email.map(str::to_owned),
        partstat,
        role,
    }
}

fn meeting() -> MeetingEvent {
    MeetingEvent {
        uid: "0b6f2c1e-8a4d-4c7e-9f00-3d2a1b5c6e7f@minutebook".to_owned(),
        sequence: 2,
        status: EventStatus::Confirmed,
        summary: "FRD SIG meeting 5: Future regime design — sentencing".to_owned(),
        starts_at: at(London, 2026, 3, 12, 10, 0),
        ends_at: at(London, 2026, 3, 12, 12, 0),
        time_zone: London,
        location: None,
        joining_link: Some("https://teams.example.org/l/meetup-join/19%3ameeting".to_owned()),
        description: "1. Welcome and introductions\n2. Actions from previous meetings\n\
                      3. Presentation: sentencing framework (MoJ)"
            .to_owned(),
        organizer: Some(Contact {
            name: "RR3 secretariat".to_owned(),
            email: "rr3@clinks.example.org".to_owned(),
        }),
        attendees: vec![
            attendee(
                "Jane Chair",
                Some("jane@charity.example.org"),
                PartStat::Accepted,
                AttendeeRole::Chair,
            ),
            attendee(
                "Sam Member",
                Some("sam@trust.example.org"),
                PartStat::Declined,
                AttendeeRole::ReqParticipant,
            ),
            attendee(
                "Officer, HMPPS; Policy: Lead",
                Some("officer@justice.example.gov.uk"),
                PartStat::NeedsAction,
                AttendeeRole::OptParticipant,
            ),
            attendee(
                "No Email Guest",
                None,
                PartStat::Accepted,
                AttendeeRole::ReqParticipant,
            ),
        ],
        created: Utc.with_ymd_and_hms(2026, 1, 20, 9, 15, 0).unwrap(),
        last_modified: Utc.with_ymd_and_hms(2026, 2, 2, 16, 40, 5).unwrap(),
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 3, 8, 0, 0).unwrap()
}

fn at_london(mut event: MeetingEvent, y: i32, m: u32, d: u32, h: u32) -> MeetingEvent {
    event.starts_at = at(London, y, m, d, h, 0);
    event.ends_at = at(London, y, m, d, h + 2, 0);
    event
}

/// DTSTART as written, and as a client reads it.
fn start_of(ics: &str) -> (String, DateTime<Utc>) {
    let calendar = parse(ics);
    let start = calendar.only_event().prop("DTSTART");
    (start.value.clone(), read_instant(&calendar, start))
}

// ---------------------------------------------------------------------------
// Invitations

#[test]
fn invite_has_calendar_header_and_one_event() {
    let ics = render_invite(&meeting(), now());
    let calendar = parse(&ics);
    assert_eq!(calendar.value("PRODID"), "-//minutebook//minutebook//EN");
    assert_eq!(calendar.value("VERSION"), "2.0");
    assert_eq!(calendar.value("CALSCALE"), "GREGORIAN");
    assert_eq!(calendar.value("METHOD"), "REQUEST");
    let event = calendar.only_event();
    assert_eq!(event.value("DTSTAMP"), "20260203T080000Z");
    assert_eq!(event.value("STATUS"), "CONFIRMED");
    assert_eq!(event.value("TRANSP"), "OPAQUE");
    assert_eq!(
        event.value("SUMMARY"),
        "FRD SIG meeting 5: Future regime design — sentencing"
    );
    assert_eq!(event.value("CREATED"), "20260120T091500Z");
    assert_eq!(event.value("LAST-MODIFIED"), "20260202T164005Z");
    assert_eq!(
        invite_content_type(&meeting()),
        "text/calendar; charset=utf-8; method=REQUEST"
    );
}

#[test]
fn uid_is_stable_and_sequence_is_written() {
    let mut moved = meeting();
    moved.sequence = 3;
    moved.starts_at += Duration::days(7);
    moved.ends_at += Duration::days(7);
    let first = parse(&render_invite(&meeting(), now()));
    let second = parse(&render_invite(&moved, now() + Duration::days(1)));
    assert_eq!(
        first.only_event().value("UID"),
        "0b6f2c1e-8a4d-4c7e-9f00-3d2a1b5c6e7f@minutebook"
    );
    assert_eq!(
        first.only_event().value("UID"),
        second.only_event().value("UID")
    );
    assert_eq!(first.only_event().value("SEQUENCE"), "2");
    assert_eq!(second.only_event().value("SEQUENCE"), "3");
}

#[test]
fn negative_sequence_is_written_as_zero() {
    let mut event = meeting();
    event.sequence = -4;
    let calendar = parse(&render_invite(&event, now()));
    assert_eq!(calendar.only_event().value("SEQUENCE"), "0");
}

#[test]
fn cancelled_meeting_is_a_cancel_message() {
    let mut event = meeting();
    event.status = EventStatus::Cancelled;
    event.sequence = 3;
    let calendar = parse(&render_invite(&event, now()));
    assert_eq!(calendar.value("METHOD"), "CANCEL");
    let vevent = calendar.only_event();
    assert_eq!(vevent.value("STATUS"), "CANCELLED");
    assert_eq!(vevent.value("TRANSP"), "TRANSPARENT");
    assert_eq!(vevent.value("SEQUENCE"), "3");
    // The invitation keeps its title; clients add their own "Cancelled" mark.
    assert_eq!(vevent.value("SUMMARY"), meeting().summary);
    // RFC 5546 wants the attendees of a cancelled meeting listed.
    assert_eq!(vevent.all("ATTENDEE").len(), 3);
    assert_eq!(
        invite_content_type(&event),
        "text/calendar; charset=utf-8; method=CANCEL"
    );
}

#[test]
fn attendees_carry_role_answer_and_quoted_name() {
    let ics = render_invite(&meeting(), now());
    let calendar = parse(&ics);
    let event = calendar.only_event();
    let attendees = event.all("ATTENDEE");
    // The guest without an email address is left out.
    assert_eq!(attendees.len(), 3);

    let chair = attendees[0];
    assert_eq!(chair.value, "mailto:jane@charity.example.org");
    assert_eq!(chair.param("CN"), Some("Jane Chair"));
    assert_eq!(chair.param("ROLE"), Some("CHAIR"));
    assert_eq!(chair.param("PARTSTAT"), Some("ACCEPTED"));
    assert_eq!(chair.param("RSVP"), Some("FALSE"));

    let apologies = attendees[1];
    assert_eq!(apologies.value, "mailto:sam@trust.example.org");
    assert_eq!(apologies.param("PARTSTAT"), Some("DECLINED"));
    assert_eq!(apologies.param("ROLE"), Some("REQ-PARTICIPANT"));

    let official = attendees[2];
    assert_eq!(official.param("CN"), Some("Officer, HMPPS; Policy: Lead"));
    assert_eq!(official.param("PARTSTAT"), Some("NEEDS-ACTION"));
    assert_eq!(official.param("ROLE"), Some("OPT-PARTICIPANT"));

    let raw = icalendar::parser::unfold(&ics);
    assert!(raw.contains(
        "ATTENDEE;CN=\"Jane Chair\";ROLE=CHAIR;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:jane@charity.example.org\r\n"
    ));
    assert!(raw.contains("CN=\"Officer, HMPPS; Policy: Lead\";"));

    let organizer = event.prop("ORGANIZER");
    assert_eq!(organizer.value, "mailto:rr3@clinks.example.org");
    assert_eq!(organizer.param("CN"), Some("RR3 secretariat"));
}

#[test]
fn awkward_names_and_addresses_cannot_break_lines() {
    let mut event = meeting();
    event.attendees = vec![
        attendee(
            "Dr \"Alex\"\r\nX-INJECTED:yes",
            Some("alex@example.org"),
            PartStat::Tentative,
            AttendeeRole::NonParticipant,
        ),
        attendee(
            "Bad Address",
            Some("not an address"),
            PartStat::Accepted,
            AttendeeRole::ReqParticipant,
        ),
        attendee(
            "Injected",
            Some("x@example.org\r\nATTENDEE:mailto:evil@example.org"),
            PartStat::Accepted,
            AttendeeRole::ReqParticipant,
        ),
        attendee(
            "Same person twice",
            Some(" ALEX@example.org "),
            PartStat::Accepted,
            AttendeeRole::ReqParticipant,
        ),
    ];
    let ics = render_invite(&event, now());
    let calendar = parse(&ics);
    let vevent = calendar.only_event();
    assert!(vevent.get("X-INJECTED").is_none());
    let attendees = vevent.all("ATTENDEE");
    assert_eq!(attendees.len(), 1);
    assert_eq!(attendees[0].value, "mailto:alex@example.org");
    assert_eq!(attendees[0].param("CN"), Some("Dr 'Alex'  X-INJECTED:yes"));
    assert_eq!(attendees[0].param("PARTSTAT"), Some("TENTATIVE"));
    assert_eq!(attendees[0].param("ROLE"), Some("NON-PARTICIPANT"));
    assert!(!ics.contains("evil@"));
}

#[test]
fn without_organizer_the_invite_is_a_plain_entry() {
    let mut event = meeting();
    event.organizer = None;
    let calendar = parse(&render_invite(&event, now()));
    assert!(calendar.get("METHOD").is_none());
    let vevent = calendar.only_event();
    assert!(vevent.get("ORGANIZER").is_none());
    assert!(vevent.all("ATTENDEE").is_empty());
    assert_eq!(invite_content_type(&event), FEED_CONTENT_TYPE);

    // An organizer without a usable address counts as none.
    event.organizer = Some(Contact {
        name: "Secretariat".to_owned(),
        email: "  ".to_owned(),
    });
    assert!(parse(&render_invite(&event, now())).get("METHOD").is_none());
}

#[test]
fn joining_link_goes_in_url_description_and_location() {
    let link = "https://teams.example.org/l/meetup-join/19%3ameeting";
    let calendar = parse(&render_invite(&meeting(), now()));
    let event = calendar.only_event();
    assert_eq!(event.value("URL"), link);
    assert_eq!(event.value("LOCATION"), link);
    assert_eq!(
        event.value("DESCRIPTION"),
        format!("{}\n\nJoin online: {link}", meeting().description)
    );

    let mut hybrid = meeting();
    hybrid.location = Some("102 Petty France, London".to_owned());
    let calendar = parse(&render_invite(&hybrid, now()));
    let event = calendar.only_event();
    assert_eq!(event.value("LOCATION"), "102 Petty France, London");
    assert_eq!(event.value("URL"), link);

    let mut in_person = hybrid.clone();
    in_person.joining_link = None;
    in_person.description = String::new();
    let calendar = parse(&render_invite(&in_person, now()));
    let event = calendar.only_event();
    assert!(event.get("URL").is_none());
    assert!(event.get("DESCRIPTION").is_none());
}

#[test]
fn text_escaping_round_trips() {
    let mut event = meeting();
    event.summary = r"Actions; decisions, and C:\minutes\notes".to_owned();
    event.location = Some("Room 2, 3rd floor; Clive House\nPetty France".to_owned());
    event.joining_link = None;
    event.description = "Line one, with comma\nLine two; with semicolon\n\
                         Back\\slash and a literal \\n\n\nAfter a blank line"
        .to_owned();
    let ics = render_invite(&event, now());
    let raw = icalendar::parser::unfold(&ics);
    assert!(raw.contains(r"SUMMARY:Actions\; decisions\, and C:\\minutes\\notes"));
    assert!(raw.contains(r"LOCATION:Room 2\, 3rd floor\; Clive House\nPetty France"));

    let calendar = parse(&ics);
    let vevent = calendar.only_event();
    assert_eq!(vevent.value("SUMMARY"), event.summary);
    assert_eq!(vevent.value("LOCATION"), event.location.clone().unwrap());
    assert_eq!(vevent.value("DESCRIPTION"), event.description);
}

#[test]
fn escape_text_normalises_line_breaks_and_drops_controls() {
    assert_eq!(escape_text("a\r\nb\rc\nd"), r"a\nb\nc\nd");
    assert_eq!(escape_text("tab\there\u{0007}bell"), "tab\therebell");
    assert_eq!(escape_text(r"\;,"), r"\\\;\,");
}

// ---------------------------------------------------------------------------
// Line structure

fn assert_well_formed(ics: &str) {
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    let bytes = ics.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            assert!(i > 0 && bytes[i - 1] == b'\r', "bare LF at octet {i}");
        }
        if b == b'\r' {
            assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at octet {i}");
        }
    }
    for line in ics.split_terminator("\r\n") {
        assert!(line.len() <= 75, "line of {} octets: {line}", line.len());
    }
}

#[test]
fn every_line_ends_in_crlf_and_fits_75_octets() {
    let mut event = meeting();
    event.description =
        "Résumé of the café discussion — naïve façade, Œuvre, ümlaut, 日本語テキスト, \
                         emoji 🎉🎉🎉, and more words to make this line long enough to fold \
                         several times over. "
            .repeat(4);
    event.location = Some("Ministère de la Justice, Salle Éléonore — 1er étage".repeat(3));
    let invite = render_invite(&event, now());
    assert_well_formed(&invite);
    assert!(invite.contains("\r\n "), "long lines are folded");

    let mut cancelled = event.clone();
    cancelled.status = EventStatus::Cancelled;
    let feed = render_feed("RR3 — Réunions", &[event.clone(), cancelled], now());
    assert_well_formed(&feed);

    let calendar = parse(&invite);
    let vevent = calendar.only_event();
    let expected = format!(
        "{}\n\nJoin online: {}",
        event.description.trim_end(),
        event.joining_link.as_deref().unwrap()
    );
    assert_eq!(vevent.value("DESCRIPTION"), expected);
    assert_eq!(vevent.value("LOCATION"), event.location.unwrap());
}

#[test]
fn folding_never_splits_a_character() {
    // Every alignment of one-, two-, three- and four-octet characters against
    // the 75- and 74-octet limits.
    for filler in ["é", "€", "🎉", "a"] {
        for prefix in 0..8 {
            let line = format!("DESCRIPTION:{}{}", "x".repeat(prefix), filler.repeat(90));
            let mut out = String::new();
            push_folded(&mut out, &line);
            for physical in out.split_terminator("\r\n") {
                assert!(physical.len() <= 75);
            }
            assert!(out.ends_with("\r\n"));
            let unfolded = icalendar::parser::unfold(&out);
            assert_eq!(unfolded.trim_end_matches("\r\n"), line);
        }
    }
    let mut out = String::new();
    push_folded(&mut out, &"y".repeat(75));
    assert_eq!(out, format!("{}\r\n", "y".repeat(75)));
}

#[test]
fn same_input_gives_same_bytes() {
    assert_eq!(
        render_invite(&meeting(), now()),
        render_invite(&meeting(), now())
    );
    let events = [meeting(), at_london(meeting(), 2026, 7, 9, 14)];
    assert_eq!(
        render_feed("RR3", &events, now()),
        render_feed("RR3", &events, now())
    );
}

// ---------------------------------------------------------------------------
// Times and zones

#[test]
fn gmt_and_bst_meetings_both_read_ten_oclock_in_london() {
    let winter = at_london(meeting(), 2026, 1, 15, 10);
    let (written, read) = start_of(&render_invite(&winter, now()));
    assert_eq!(written, "20260115T100000");
    assert_eq!(read, Utc.with_ymd_and_hms(2026, 1, 15, 10, 0, 0).unwrap());

    let summer = at_london(meeting(), 2026, 6, 18, 10);
    let (written, read) = start_of(&render_invite(&summer, now()));
    assert_eq!(written, "20260618T100000");
    assert_eq!(read, Utc.with_ymd_and_hms(2026, 6, 18, 9, 0, 0).unwrap());

    let calendar = parse(&render_invite(&summer, now()));
    let start = calendar.only_event().prop("DTSTART");
    assert_eq!(start.param("TZID"), Some("Europe/London"));
    let end = calendar.only_event().prop("DTEND");
    assert_eq!(end.value, "20260618T120000");
    assert_eq!(
        read_instant(&calendar, end),
        Utc.with_ymd_and_hms(2026, 6, 18, 11, 0, 0).unwrap()
    );
}

#[test]
fn meetings_either_side_of_the_2026_clock_changes() {
    // Clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October.
    let cases = [
        ((2026, 3, 28), 10, (2026, 3, 28, 10)),  // Saturday, still GMT
        ((2026, 3, 30), 10, (2026, 3, 30, 9)),   // Monday, BST
        ((2026, 10, 24), 10, (2026, 10, 24, 9)), // Saturday, still BST
        ((2026, 10, 26), 10, (2026, 10, 26, 10)), // Monday, GMT
        ((2026, 3, 29), 10, (2026, 3, 29, 9)),   // the Sunday itself, after the change
        ((2026, 10, 25), 10, (2026, 10, 25, 10)), // the Sunday itself, after the change
    ];
    for ((y, m, d), hour, (uy, um, ud, uh)) in cases {
        let event = at_london(meeting(), y, m, d, hour);
        let (written, read) = start_of(&render_invite(&event, now()));
        assert_eq!(written, format!("{y:04}{m:02}{d:02}T{hour:02}0000"));
        assert_eq!(
            read,
            Utc.with_ymd_and_hms(uy, um, ud, uh, 0, 0).unwrap(),
            "{y}-{m}-{d}"
        );
    }
}

#[test]
fn london_vtimezone_has_outlook_style_yearly_rules() {
    let calendar = parse(&render_invite(&meeting(), now()));
    let vtimezones = calendar.children("VTIMEZONE");
    assert_eq!(vtimezones.len(), 1);
    let london = vtimezones[0];
    assert_eq!(london.value("TZID"), "Europe/London");
    let standard = london.children("STANDARD");
    let daylight = london.children("DAYLIGHT");
    assert_eq!((standard.len(), daylight.len()), (1, 1));

    assert_eq!(standard[0].value("TZOFFSETFROM"), "+0100");
    assert_eq!(standard[0].value("TZOFFSETTO"), "+0000");
    assert_eq!(standard[0].value("TZNAME"), "GMT");
    assert_eq!(
        standard[0].value("RRULE"),
        "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
    );
    assert_eq!(standard[0].value("DTSTART"), "20251026T020000");

    assert_eq!(daylight[0].value("TZOFFSETFROM"), "+0000");
    assert_eq!(daylight[0].value("TZOFFSETTO"), "+0100");
    assert_eq!(daylight[0].value("TZNAME"), "BST");
    assert_eq!(
        daylight[0].value("RRULE"),
        "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"
    );
    assert_eq!(daylight[0].value("DTSTART"), "20250330T010000");
}

#[test]
fn other_zones_read_back_at_the_right_instant() {
    // Northern and southern summer time, "second Sunday" rules, a zone with
    // negative DST in the database, and zones with no clock changes.
    let zones: [Tz; 6] = [
        chrono_tz::America::New_York,
        chrono_tz::Australia::Sydney,
        chrono_tz::Europe::Dublin,
        chrono_tz::Asia::Tokyo,
        chrono_tz::Asia::Kolkata,
        chrono_tz::Europe::Paris,
    ];
    for tz in zones {
        for month in 1..=12 {
            let mut event = meeting();
            event.time_zone = tz;
            event.starts_at = at(tz, 2027, month, 14, 9, 30);
            event.ends_at = event.starts_at + Duration::hours(1);
            let (written, read) = start_of(&render_invite(&event, now()));
            assert_eq!(written, format!("2027{month:02}14T093000"), "{tz}");
            assert_eq!(read, event.starts_at, "{tz} in month {month}");
        }
    }
}

#[test]
fn zone_without_clock_changes_has_one_standard_observance() {
    let mut event = meeting();
    event.time_zone = chrono_tz::Asia::Tokyo;
    event.starts_at = at(chrono_tz::Asia::Tokyo, 2026, 5, 1, 18, 0);
    event.ends_at = event.starts_at + Duration::hours(1);
    let calendar = parse(&render_invite(&event, now()));
    let tokyo = calendar.children("VTIMEZONE")[0];
    assert_eq!(tokyo.value("TZID"), "Asia/Tokyo");
    assert!(tokyo.children("DAYLIGHT").is_empty());
    let standard = tokyo.children("STANDARD");
    assert_eq!(standard.len(), 1);
    assert_eq!(standard[0].value("TZOFFSETFROM"), "+0900");
    assert_eq!(standard[0].value("TZOFFSETTO"), "+0900");
    assert!(standard[0].get("RRULE").is_none());
}

#[test]
fn utc_and_irregular_zones_are_written_in_utc() {
    // UTC itself needs no VTIMEZONE.
    let mut event = meeting();
    event.time_zone = chrono_tz::UTC;
    let calendar = parse(&render_invite(&event, now()));
    assert!(calendar.children("VTIMEZONE").is_empty());
    assert_eq!(
        calendar.only_event().value("DTSTART"),
        format_utc(event.starts_at)
    );

    // Morocco's clocks change around Ramadan, which no yearly rule describes.
    let casablanca = chrono_tz::Africa::Casablanca;
    let mut event = meeting();
    event.time_zone = casablanca;
    event.starts_at = at(casablanca, 2026, 2, 20, 10, 0);
    event.ends_at = event.starts_at + Duration::hours(2);
    let ics = render_invite(&event, now());
    let calendar = parse(&ics);
    assert!(calendar.children("VTIMEZONE").is_empty());
    let (written, read) = start_of(&ics);
    assert!(written.ends_with('Z'));
    assert_eq!(read, event.starts_at);
}

#[test]
fn second_pass_through_an_ambiguous_hour_is_written_in_utc() {
    // On 25 October 2026 London's 01:30 happens twice: 00:30Z (BST), then
    // 01:30Z (GMT). A TZID time would mean the first.
    let mut first = meeting();
    first.starts_at = Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap();
    first.ends_at = first.starts_at + Duration::hours(3);
    let (written, read) = start_of(&render_invite(&first, now()));
    assert_eq!(written, "20261025T013000");
    assert_eq!(read, first.starts_at);

    let mut second = first.clone();
    second.starts_at = Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap();
    let (written, read) = start_of(&render_invite(&second, now()));
    assert_eq!(written, "20261025T013000Z");
    assert_eq!(read, second.starts_at);
}

#[test]
fn end_not_after_start_is_left_out() {
    let mut event = meeting();
    event.ends_at = event.starts_at;
    let calendar = parse(&render_invite(&event, now()));
    assert!(calendar.only_event().get("DTEND").is_none());
}

// ---------------------------------------------------------------------------
// Feeds

#[test]
fn feed_lists_every_meeting_including_cancelled_ones() {
    let mut cancelled = at_london(meeting(), 2026, 6, 11, 10);
    cancelled.uid = "cancelled-meeting@minutebook".to_owned();
    cancelled.status = EventStatus::Cancelled;
    cancelled.sequence = 4;
    let mut later = at_london(meeting(), 2026, 11, 5, 14);
    later.uid = "later-meeting@minutebook".to_owned();
    let events = [meeting(), cancelled, later];

    let ics = render_feed("RR3 Future Regime Design SIG", &events, now());
    let calendar = parse(&ics);
    assert_eq!(calendar.value("METHOD"), "PUBLISH");
    assert_eq!(
        calendar.value("X-WR-CALNAME"),
        "RR3 Future Regime Design SIG"
    );
    assert_eq!(calendar.value("NAME"), "RR3 Future Regime Design SIG");
    assert_eq!(calendar.value("X-WR-TIMEZONE"), "Europe/London");
    assert_eq!(calendar.value("X-PUBLISHED-TTL"), "PT1H");
    let refresh = calendar.prop("REFRESH-INTERVAL");
    assert_eq!(refresh.value, "PT1H");
    assert_eq!(refresh.param("VALUE"), Some("DURATION"));
    assert_eq!(calendar.children("VTIMEZONE").len(), 1);

    let vevents = calendar.children("VEVENT");
    assert_eq!(vevents.len(), 3);
    let uids: Vec<&str> = vevents.iter().map(|e| e.value("UID")).collect();
    assert_eq!(
        uids,
        [
            "0b6f2c1e-8a4d-4c7e-9f00-3d2a1b5c6e7f@minutebook",
            "cancelled-meeting@minutebook",
            "later-meeting@minutebook"
        ]
    );
    assert_eq!(vevents[0].value("STATUS"), "CONFIRMED");
    assert_eq!(vevents[1].value("STATUS"), "CANCELLED");
    assert_eq!(vevents[1].value("SEQUENCE"), "4");
    assert_eq!(
        vevents[1].value("SUMMARY"),
        format!("Cancelled: {}", meeting().summary)
    );
    assert_eq!(vevents[2].value("STATUS"), "CONFIRMED");

    // Published calendars name the organizer but never list attendees.
    for vevent in &vevents {
        assert!(vevent.all("ATTENDEE").is_empty());
        assert_eq!(vevent.value("ORGANIZER"), "mailto:rr3@clinks.example.org");
        assert_eq!(vevent.value("DTSTAMP"), "20260203T080000Z");
    }
    assert!(!ics.contains("sam@trust.example.org"));

    // Times read as London times across the year.
    assert_eq!(
        read_instant(&calendar, vevents[1].prop("DTSTART")),
        Utc.with_ymd_and_hms(2026, 6, 11, 9, 0, 0).unwrap()
    );
    assert_eq!(
        read_instant(&calendar, vevents[2].prop("DTSTART")),
        Utc.with_ymd_and_hms(2026, 11, 5, 14, 0, 0).unwrap()
    );
    assert_eq!(FEED_CONTENT_TYPE, "text/calendar; charset=utf-8");
}

#[test]
fn feed_with_several_zones_has_a_vtimezone_for_each() {
    let mut paris = meeting();
    paris.uid = "paris@minutebook".to_owned();
    paris.time_zone = chrono_tz::Europe::Paris;
    paris.starts_at = at(chrono_tz::Europe::Paris, 2027, 4, 8, 15, 0);
    paris.ends_at = paris.starts_at + Duration::hours(1);
    let events = [meeting(), paris.clone(), meeting()];
    let calendar = parse(&render_feed("Jane Chair", &events, now()));
    assert!(calendar.get("X-WR-TIMEZONE").is_none());
    let tzids: Vec<&str> = calendar
        .children("VTIMEZONE")
        .iter()
        .map(|z| z.value("TZID"))
        .collect();
    assert_eq!(tzids, ["Europe/London", "Europe/Paris"]);
    let vevents = calendar.children("VEVENT");
    assert_eq!(
        read_instant(&calendar, vevents[1].prop("DTSTART")),
        paris.starts_at
    );
}

#[test]
fn empty_feed_is_still_a_calendar() {
    let ics = render_feed("RR3", &[], now());
    assert_well_formed(&ics);
    let calendar = parse(&ics);
    assert_eq!(calendar.value("X-WR-CALNAME"), "RR3");
    assert!(calendar.children("VEVENT").is_empty());
    assert!(calendar.children("VTIMEZONE").is_empty());
}
