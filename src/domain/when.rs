//! British-style dates and times, as they read in summary notes, calendar
//! invitations and web pages.
//!
//! Meetings are stored in UTC with an IANA time zone (Europe/London by
//! default); everything people read is shown in the meeting's own zone, with
//! the zone's abbreviation (GMT or BST for Europe/London) so a reader never
//! has to work out which side of the clock change a meeting falls on.

use chrono::{DateTime, Datelike, NaiveDate, Offset, Utc};
use chrono_tz::{OffsetName, Tz};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn month_name(date: NaiveDate) -> &'static str {
    MONTHS[date.month0() as usize]
}

fn weekday_name(date: NaiveDate) -> &'static str {
    WEEKDAYS[date.weekday().num_days_from_monday() as usize]
}

/// A date as it reads in running text: "12 March 2026".
pub fn format_date(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), month_name(date), date.year())
}

/// A date with its weekday, as meeting dates are given: "Thursday 12 March 2026".
pub fn format_long_date(date: NaiveDate) -> String {
    format!("{} {}", weekday_name(date), format_date(date))
}

/// A compact date for table columns such as an action's due date: "12 Mar 2026".
///
/// "Sept" is deliberately not used: every month is cut to its first three
/// letters, which keeps the column a predictable width.
pub fn format_short_date(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), &month_name(date)[..3], date.year())
}

/// The abbreviation of the zone in force at `at`: "GMT" or "BST" for
/// Europe/London. Zones without a customary abbreviation fall back to their
/// offset from UTC, such as "UTC+03:00", so the reader still knows the clock.
pub fn zone_abbreviation(at: &DateTime<Tz>) -> String {
    let offset = at.offset();
    match offset.abbreviation() {
        // The tz database spells unnamed zones as numeric offsets ("+03");
        // those read better as an explicit UTC offset.
        Some(name) if name.chars().any(|c| c.is_ascii_alphabetic()) => name.to_owned(),
        _ => {
            let seconds = offset.fix().local_minus_utc();
            let sign = if seconds < 0 { '-' } else { '+' };
            let minutes = seconds.unsigned_abs() / 60;
            format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
        }
    }
}

/// A 24-hour clock time: "10:00".
fn clock(at: &DateTime<Tz>) -> String {
    at.format("%H:%M").to_string()
}

/// One moment in the meeting's zone, with its weekday and zone:
/// "Thursday 12 March 2026, 10:00 GMT".
pub fn format_date_time(at: DateTime<Utc>, tz: Tz) -> String {
    let local = at.with_timezone(&tz);
    format!(
        "{}, {} {}",
        format_long_date(local.date_naive()),
        clock(&local),
        zone_abbreviation(&local)
    )
}

/// When a meeting takes place, in the meeting's own zone:
/// "Thursday 12 March 2026, 10:00–12:00 GMT".
///
/// The abbreviation follows the clock change, so a June meeting in
/// Europe/London reads "BST". A meeting that ends on a later day names both
/// days ("Thursday 12 March 2026, 18:00 – Friday 13 March 2026, 10:00 GMT"),
/// and a meeting that spans the clock change itself names both zones.
pub fn format_meeting_time(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, tz: Tz) -> String {
    let start = starts_at.with_timezone(&tz);
    let end = ends_at.with_timezone(&tz);
    let start_zone = zone_abbreviation(&start);
    let end_zone = zone_abbreviation(&end);
    let start_day = start.date_naive();
    let end_day = end.date_naive();

    if start_day == end_day {
        let day = format_long_date(start_day);
        if start_zone == end_zone {
            format!("{day}, {}–{} {end_zone}", clock(&start), clock(&end))
        } else {
            format!(
                "{day}, {} {start_zone} – {} {end_zone}",
                clock(&start),
                clock(&end)
            )
        }
    } else if start_zone == end_zone {
        format!(
            "{}, {} – {}, {} {end_zone}",
            format_long_date(start_day),
            clock(&start),
            format_long_date(end_day),
            clock(&end)
        )
    } else {
        format!(
            "{}, {} {start_zone} – {}, {} {end_zone}",
            format_long_date(start_day),
            clock(&start),
            format_long_date(end_day),
            clock(&end)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::London;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_read_the_british_way() {
        assert_eq!(format_date(day(2026, 3, 12)), "12 March 2026");
        assert_eq!(format_date(day(2026, 4, 1)), "1 April 2026");
        assert_eq!(format_long_date(day(2026, 3, 12)), "Thursday 12 March 2026");
        assert_eq!(format_long_date(day(2026, 3, 29)), "Sunday 29 March 2026");
        assert_eq!(format_short_date(day(2026, 3, 12)), "12 Mar 2026");
        assert_eq!(format_short_date(day(2026, 9, 3)), "3 Sep 2026");
    }

    #[test]
    fn winter_meeting_reads_gmt() {
        assert_eq!(
            format_meeting_time(utc(2026, 3, 12, 10, 0), utc(2026, 3, 12, 12, 0), London),
            "Thursday 12 March 2026, 10:00–12:00 GMT"
        );
    }

    #[test]
    fn summer_meeting_reads_bst_an_hour_ahead_of_utc() {
        assert_eq!(
            format_meeting_time(utc(2026, 6, 11, 9, 0), utc(2026, 6, 11, 11, 0), London),
            "Thursday 11 June 2026, 10:00–12:00 BST"
        );
    }

    #[test]
    fn clocks_go_forward_on_the_last_sunday_of_march() {
        // 2026-03-29 01:00 UTC: GMT ends and BST begins.
        let before = utc(2026, 3, 29, 0, 59).with_timezone(&London);
        let after = utc(2026, 3, 29, 1, 0).with_timezone(&London);
        assert_eq!(zone_abbreviation(&before), "GMT");
        assert_eq!(zone_abbreviation(&after), "BST");
        assert_eq!(
            format_date_time(utc(2026, 3, 29, 1, 0), London),
            "Sunday 29 March 2026, 02:00 BST"
        );
        // The Saturday before is still winter time.
        assert_eq!(
            format_meeting_time(utc(2026, 3, 28, 10, 0), utc(2026, 3, 28, 11, 0), London),
            "Saturday 28 March 2026, 10:00–11:00 GMT"
        );
        // A meeting across the change names both zones.
        assert_eq!(
            format_meeting_time(utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30), London),
            "Sunday 29 March 2026, 00:30 GMT – 02:30 BST"
        );
    }

    #[test]
    fn clocks_go_back_on_the_last_sunday_of_october() {
        // 2026-10-25 01:00 UTC: BST ends and GMT begins.
        let before = utc(2026, 10, 25, 0, 59).with_timezone(&London);
        let after = utc(2026, 10, 25, 1, 0).with_timezone(&London);
        assert_eq!(zone_abbreviation(&before), "BST");
        assert_eq!(zone_abbreviation(&after), "GMT");
        assert_eq!(
            format_meeting_time(utc(2026, 10, 22, 9, 0), utc(2026, 10, 22, 11, 0), London),
            "Thursday 22 October 2026, 10:00–12:00 BST"
        );
        assert_eq!(
            format_meeting_time(utc(2026, 10, 29, 10, 0), utc(2026, 10, 29, 12, 0), London),
            "Thursday 29 October 2026, 10:00–12:00 GMT"
        );
    }

    #[test]
    fn meeting_ending_on_a_later_day_names_both_days() {
        assert_eq!(
            format_meeting_time(utc(2026, 3, 12, 18, 0), utc(2026, 3, 13, 10, 0), London),
            "Thursday 12 March 2026, 18:00 – Friday 13 March 2026, 10:00 GMT"
        );
        // An evening that runs past midnight in summer crosses midnight in
        // London even though it does not in UTC.
        assert_eq!(
            format_meeting_time(utc(2026, 6, 11, 22, 0), utc(2026, 6, 11, 23, 30), London),
            "Thursday 11 June 2026, 23:00 – Friday 12 June 2026, 00:30 BST"
        );
    }

    #[test]
    fn other_zones_use_their_own_abbreviation_or_offset() {
        assert_eq!(
            format_meeting_time(
                utc(2026, 3, 12, 10, 0),
                utc(2026, 3, 12, 12, 0),
                chrono_tz::UTC
            ),
            "Thursday 12 March 2026, 10:00–12:00 UTC"
        );
        assert_eq!(
            format_date_time(utc(2026, 3, 12, 10, 0), chrono_tz::Europe::Paris),
            "Thursday 12 March 2026, 11:00 CET"
        );
        assert_eq!(
            format_date_time(utc(2026, 3, 12, 10, 0), chrono_tz::Asia::Dubai),
            "Thursday 12 March 2026, 14:00 UTC+04:00"
        );
    }
}
