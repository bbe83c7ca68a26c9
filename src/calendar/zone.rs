//! Time zones in calendar files: `TZID=` times with a VTIMEZONE per zone,
//! worked out from the IANA database that chrono-tz compiles in.
//!
//! A VTIMEZONE is written the way Outlook, Google Calendar and Apple Calendar
//! all read it: one STANDARD and one DAYLIGHT observance, each with a yearly
//! RRULE such as "last Sunday of March at 01:00" (or a single STANDARD for a
//! zone without clock changes). Outlook in particular mishandles observances
//! listed as dated one-off transitions, and many of the people minutebook
//! invites read their calendars in Outlook.
//!
//! The yearly rule is not copied from anywhere: it is inferred from the zone's
//! actual transitions over the years the meetings fall in (and one year either
//! side), and used only if it reproduces every one of those transitions. When a
//! zone's clock changes follow no such rule (a lunar calendar, a rule change in
//! the span), its meetings are written in UTC instead: the instant is always
//! right, and calendar clients show it in the reader's own zone.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset,
    TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

use super::lines::{Lines, Param};

/// Zones that are UTC under another name. Their meetings are written with a
/// trailing `Z`: a `TZID=UTC` or `TZID=GMT` confuses Outlook, which maps "GMT"
/// to London time with summer time.
const UTC_NAMES: &[&str] = &[
    "UTC",
    "UCT",
    "Universal",
    "Zulu",
    "GMT",
    "GMT0",
    "GMT+0",
    "GMT-0",
    "Greenwich",
    "Etc/UTC",
    "Etc/UCT",
    "Etc/Universal",
    "Etc/Zulu",
    "Etc/GMT",
    "Etc/GMT0",
    "Etc/GMT+0",
    "Etc/GMT-0",
    "Etc/Greenwich",
];

/// Widest span of years, first meeting to last, for which a zone's rule is
/// inferred. Beyond it (a mistyped year, say) meetings are written in UTC, so a
/// stray date cannot make rendering scan centuries of transitions.
const MAX_SPAN_YEARS: i32 = 40;

/// Step of the scan for clock changes. Six hours is far shorter than the gap
/// between any two clock changes in the database's current rules.
const SCAN_STEP_HOURS: i64 = 6;

/// How the times of the meetings in one zone are written.
enum Form {
    /// `DTSTART;TZID=<zone>:20260312T100000`, with this VTIMEZONE in the file.
    Zoned(Vtimezone),
    /// `DTSTART:20260312T100000Z`.
    Utc,
}

/// The zones used by the meetings in one calendar file, each with the form its
/// times take.
pub(super) struct ZonePlan {
    zones: Vec<(Tz, Form)>,
}

impl ZonePlan {
    /// Works out the zones for meetings given as (zone, instants) pairs, in the
    /// order the zones are first met, so the same meetings always give the same
    /// file.
    pub(super) fn new<'a>(meetings: impl IntoIterator<Item = (Tz, &'a [DateTime<Utc>])>) -> Self {
        let mut spans: Vec<(Tz, DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        for (tz, instants) in meetings {
            for &instant in instants {
                match spans.iter_mut().find(|(zone, _, _)| *zone == tz) {
                    Some((_, first, last)) => {
                        *first = (*first).min(instant);
                        *last = (*last).max(instant);
                    }
                    None => spans.push((tz, instant, instant)),
                }
            }
        }
        let zones = spans
            .into_iter()
            .map(|(tz, first, last)| {
                let form = if UTC_NAMES.contains(&tz.name()) {
                    Form::Utc
                } else {
                    match Vtimezone::infer(tz, first.year(), last.year()) {
                        Some(vtimezone) => Form::Zoned(vtimezone),
                        None => Form::Utc,
                    }
                };
                (tz, form)
            })
            .collect();
        ZonePlan { zones }
    }

    /// Writes a VTIMEZONE for every zone whose meetings carry a `TZID`.
    pub(super) fn write_vtimezones(&self, lines: &mut Lines) {
        for (_, form) in &self.zones {
            if let Form::Zoned(vtimezone) = form {
                vtimezone.write(lines);
            }
        }
    }

    /// Writes a date-time property (DTSTART, DTEND) for `instant` in `tz`.
    pub(super) fn write_time(&self, lines: &mut Lines, name: &str, instant: DateTime<Utc>, tz: Tz) {
        let zoned = self
            .zones
            .iter()
            .any(|(zone, form)| *zone == tz && matches!(form, Form::Zoned(_)));
        let local = instant.with_timezone(&tz).naive_local();
        // When clocks go back, a local time such as 01:30 happens twice and a
        // TZID time means the first of them (RFC 5545 §3.3.5). A meeting at
        // the second one is written in UTC so that it is not read an hour early.
        let unambiguous = match tz.from_local_datetime(&local) {
            LocalResult::Single(_) => true,
            LocalResult::Ambiguous(earliest, _) => earliest.with_timezone(&Utc) == instant,
            LocalResult::None => false,
        };
        if zoned && unambiguous {
            lines.raw(name, &[Param::new("TZID", tz.name())], &format_local(local));
        } else {
            lines.raw(name, &[], &format_utc(instant));
        }
    }

    /// The single zone every meeting uses, if there is exactly one.
    pub(super) fn only_zone(&self) -> Option<Tz> {
        match self.zones.as_slice() {
            [(tz, _)] => Some(*tz),
            _ => None,
        }
    }
}

/// A UTC date-time value: `20260312T100000Z`.
pub(super) fn format_utc(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A local (floating or TZID) date-time value: `20260312T100000`.
fn format_local(local: NaiveDateTime) -> String {
    local.format("%Y%m%dT%H%M%S").to_string()
}

/// A UTC offset value (RFC 5545 §3.3.14): `+0100`, `-0500`, `+0530`; seconds
/// only when there are any. Zero is `+0000`, never `-0000`.
fn format_offset(offset: FixedOffset) -> String {
    let total = offset.local_minus_utc();
    let sign = if total < 0 { '-' } else { '+' };
    let total = total.unsigned_abs();
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if seconds == 0 {
        format!("{sign}{hours:02}{minutes:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}{seconds:02}")
    }
}

/// A VTIMEZONE component for one zone.
struct Vtimezone {
    tzid: &'static str,
    observances: Vec<Observance>,
}

/// A STANDARD or DAYLIGHT sub-component.
struct Observance {
    daylight: bool,
    /// First onset, in local time before the change (RFC 5545 §3.6.5).
    onset: NaiveDateTime,
    from: FixedOffset,
    to: FixedOffset,
    name: String,
    /// `(month, BYDAY)` of the yearly rule, such as `(3, "-1SU")`; none for a
    /// zone with no clock changes.
    yearly: Option<(u32, String)>,
}

/// One clock change found in the database.
struct Transition {
    at: DateTime<Utc>,
    from: FixedOffset,
    to: FixedOffset,
    name: String,
}

impl Transition {
    /// When the change happens, in local time before it.
    fn onset(&self) -> NaiveDateTime {
        self.at.with_timezone(&self.from).naive_local()
    }
}

impl Vtimezone {
    /// Describes `tz` for meetings between `first_year` and `last_year`, or
    /// gives `None` if no yearly rule reproduces its clock changes.
    fn infer(tz: Tz, first_year: i32, last_year: i32) -> Option<Self> {
        if !(1900..=9000).contains(&first_year) || last_year - first_year > MAX_SPAN_YEARS {
            return None;
        }
        let years = (first_year - 1)..=(last_year + 1);
        let start = Utc
            .with_ymd_and_hms(*years.start(), 1, 1, 0, 0, 0)
            .single()?;
        let end = Utc
            .with_ymd_and_hms(*years.end() + 1, 1, 1, 0, 0, 0)
            .single()?;
        let transitions = transitions(tz, start, end);

        if transitions.is_empty() {
            let offset = tz.offset_from_utc_datetime(&start.naive_utc());
            return Some(Vtimezone {
                tzid: tz.name(),
                observances: vec![Observance {
                    daylight: false,
                    onset: start.with_timezone(&offset.fix()).naive_local(),
                    from: offset.fix(),
                    to: offset.fix(),
                    name: offset.to_string(),
                    yearly: None,
                }],
            });
        }

        // Whichever change moves the clocks forward starts "daylight" time.
        // (Going by the larger offset rather than by the database's DST flag
        // keeps Europe/Dublin, whose winter time is the flagged one, reading
        // the way every calendar client expects.)
        let (forward, back): (Vec<&Transition>, Vec<&Transition>) = transitions
            .iter()
            .partition(|t| t.to.local_minus_utc() > t.from.local_minus_utc());
        let daylight = yearly_observance(&forward, years.clone(), true)?;
        let standard = yearly_observance(&back, years, false)?;
        if daylight.to != standard.from || standard.to != daylight.from {
            return None;
        }
        Some(Vtimezone {
            tzid: tz.name(),
            observances: vec![standard, daylight],
        })
    }

    fn write(&self, lines: &mut Lines) {
        lines.begin("VTIMEZONE");
        lines.text("TZID", &[], self.tzid);
        for observance in &self.observances {
            let component = if observance.daylight {
                "DAYLIGHT"
            } else {
                "STANDARD"
            };
            lines.begin(component);
            lines.raw("DTSTART", &[], &format_local(observance.onset));
            if let Some((month, byday)) = &observance.yearly {
                lines.raw(
                    "RRULE",
                    &[],
                    &format!("FREQ=YEARLY;BYMONTH={month};BYDAY={byday}"),
                );
            }
            lines.raw("TZOFFSETFROM", &[], &format_offset(observance.from));
            lines.raw("TZOFFSETTO", &[], &format_offset(observance.to));
            lines.text("TZNAME", &[], &observance.name);
            lines.end(component);
        }
        lines.end("VTIMEZONE");
    }
}

/// Every change of UTC offset in `tz` between `start` and `end`, to the second.
fn transitions(tz: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<Transition> {
    let offset_at = |t: DateTime<Utc>| tz.offset_from_utc_datetime(&t.naive_utc()).fix();
    let step = Duration::hours(SCAN_STEP_HOURS);
    let mut found = Vec::new();
    let mut before = start;
    let mut before_offset = offset_at(before);
    while before < end {
        let after = before + step;
        let after_offset = offset_at(after);
        if after_offset != before_offset {
            // Narrow down to the first second of the new offset.
            let (mut lo, mut hi) = (before, after);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_at(mid) == before_offset {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            found.push(Transition {
                at: hi,
                from: before_offset,
                to: offset_at(hi),
                name: tz.offset_from_utc_datetime(&hi.naive_utc()).to_string(),
            });
        }
        before = after;
        before_offset = after_offset;
    }
    found
}

/// The yearly rule behind `changes` (all forward, or all back): exactly one in
/// each of `years`, all in the same month, on the same weekday of the same week
/// (or the last such weekday), at the same local time, between the same
/// offsets and under the same name. `None` if they do not fit one rule.
fn yearly_observance(
    changes: &[&Transition],
    years: std::ops::RangeInclusive<i32>,
    daylight: bool,
) -> Option<Observance> {
    let first = *changes.first()?;
    let first_onset = first.onset();
    let year_count = usize::try_from(years.end() - years.start() + 1).ok()?;
    if changes.len() != year_count {
        return None;
    }
    let mut all_last = true;
    let mut common_week = Some(week_of_month(first_onset.date()));
    for (change, year) in changes.iter().zip(years) {
        let onset = change.onset();
        let date = onset.date();
        let same_rule = date.year() == year
            && date.month() == first_onset.month()
            && date.weekday() == first_onset.weekday()
            && onset.time() == first_onset.time()
            && change.from == first.from
            && change.to == first.to
            && change.name == first.name;
        if !same_rule {
            return None;
        }
        all_last &= is_last_of_month(date);
        if common_week != Some(week_of_month(date)) {
            common_week = None;
        }
    }
    // "Last Sunday" is preferred when both fit (three years whose last Sunday
    // of March all fall on the 25th to 28th also fit "fourth Sunday"), since
    // that is how the database itself states such rules.
    let week = if all_last {
        "-1".to_owned()
    } else {
        common_week?.to_string()
    };
    Some(Observance {
        daylight,
        onset: first_onset,
        from: first.from,
        to: first.to,
        name: first.name.clone(),
        yearly: Some((
            first_onset.month(),
            format!("{week}{}", weekday_code(first_onset.weekday())),
        )),
    })
}

/// Which week of its month a date falls in: 1 for the 1st to 7th, and so on.
fn week_of_month(date: NaiveDate) -> u32 {
    date.day0() / 7 + 1
}

/// Whether no later day of the same month falls on the same weekday.
fn is_last_of_month(date: NaiveDate) -> bool {
    (date + Duration::days(7)).month() != date.month()
}

/// The RFC 5545 two-letter weekday (§3.3.10).
fn weekday_code(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}
