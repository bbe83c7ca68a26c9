//! Value types parsed from raw input ("parse, don't validate"), and [`Validation`],
//! which gathers every field's problem so that a caller hears about all of them at
//! once.

use chrono::offset::LocalResult;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// One field's problem, reported as `{field, message}` in a 422 response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Collects field errors while input is parsed.
#[derive(Debug, Default)]
pub struct Validation {
    errors: Vec<FieldError>,
}

impl Validation {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the parsed value, or records the message against `field`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.errors.push(FieldError::new(field, message));
                None
            }
        }
    }

    /// Records a problem found by a rule that spans fields.
    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when nothing failed, else every problem found.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

/// Trimmed text that must not be empty and may hold at most `max` characters.
pub fn required_text(value: &str, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("must not be empty".into());
    }
    if trimmed.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    Ok(trimmed.to_owned())
}

/// Trimmed optional text; blank becomes `None`.
pub fn optional_text(value: Option<&str>, max: usize) -> Result<Option<String>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => required_text(text, max).map(Some),
    }
}

/// An email address, stored lower-case. Deliberately loose: one `@`, something on
/// each side, a dot in the domain, no spaces.
pub fn email(value: &str) -> Result<String, String> {
    let value = value.trim().to_lowercase();
    let valid = value.len() <= 320
        && !value.contains(char::is_whitespace)
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(value)
    } else {
        Err("must be an email address such as name@example.org".into())
    }
}

/// An absolute `https://` or `http://` address.
pub fn web_address(value: &str) -> Result<String, String> {
    let value = value.trim();
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty() && !value.contains(char::is_whitespace) && value.len() <= 1000 =>
        {
            Ok(value.to_owned())
        }
        _ => Err("must be a web address starting with https://".into()),
    }
}

/// A group's short name, used in action references (`FRD-5-A3`): 1–12 letters, digits
/// or hyphens, starting with a letter or digit; kept in capitals.
pub fn short_name(value: &str) -> Result<String, String> {
    let value = value.trim().to_uppercase();
    let valid = (1..=12).contains(&value.len())
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if valid {
        Ok(value)
    } else {
        Err("must be 1 to 12 letters, digits or hyphens, such as RR3 or FRD".into())
    }
}

/// An IANA time-zone name such as `Europe/London`.
pub fn time_zone(value: &str) -> Result<Tz, String> {
    value
        .trim()
        .parse::<Tz>()
        .map_err(|_| format!("`{value}` is not an IANA time zone such as Europe/London"))
}

/// A meeting's time span: it must end after it starts and last at most a day.
pub fn meeting_span(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    if ends_at <= starts_at {
        return Err("the meeting must end after it starts".into());
    }
    if ends_at - starts_at > chrono::Duration::hours(24) {
        return Err("a meeting can last at most 24 hours".into());
    }
    Ok((truncate_to_micros(starts_at), truncate_to_micros(ends_at)))
}

/// A day and a clock time in a meeting's zone, as people give them, as the moment
/// they mean. Where the clocks go forward the skipped hour does not exist and is
/// refused; where they go back the hour happens twice and the first is meant.
pub fn local_moment(day: NaiveDate, time: NaiveTime, zone: Tz) -> Result<DateTime<Utc>, String> {
    match zone.from_local_datetime(&day.and_time(time)) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(format!(
            "{} does not exist on that day in {}: the clocks go forward; choose another time",
            time.format("%H:%M"),
            zone.name()
        )),
    }
}

/// Both databases keep microseconds; truncating on the way in means a value reads
/// back exactly as it was written on either.
pub fn truncate_to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at)
}

/// The current time as the database will hold it.
pub fn now() -> DateTime<Utc> {
    truncate_to_micros(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded_in_characters_not_bytes() {
        assert_eq!(required_text("  Clinks ", 10).unwrap(), "Clinks");
        assert!(required_text("   ", 10).is_err());
        assert!(required_text("ééééé", 5).is_ok());
        assert!(required_text("éééééé", 5).is_err());
        assert_eq!(optional_text(Some("  "), 5).unwrap(), None);
    }

    #[test]
    fn emails_are_lower_cased_and_checked_loosely() {
        assert_eq!(email(" Ana@Example.ORG ").unwrap(), "ana@example.org");
        for bad in [
            "",
            "ana",
            "ana@",
            "@x.org",
            "ana@x",
            "a b@x.org",
            "a@b@x.org",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn short_names_are_capitals_digits_and_hyphens() {
        assert_eq!(short_name("frd").unwrap(), "FRD");
        assert!(short_name("FRD SIG").is_err());
        assert!(short_name("-X").is_err());
        assert!(short_name("ABCDEFGHIJKLM").is_err());
    }

    #[test]
    fn time_zones_must_be_iana_names() {
        assert_eq!(
            time_zone("Europe/London").unwrap(),
            chrono_tz::Europe::London
        );
        assert!(time_zone("Mars/Olympus").is_err());
    }

    #[test]
    fn local_times_mean_bst_in_summer_and_gmt_in_winter() {
        let london = chrono_tz::Europe::London;
        let ten = NaiveTime::from_hms_opt(10, 0, 0).unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(
            local_moment(day(7, 9), ten, london).unwrap().to_rfc3339(),
            "2026-07-09T09:00:00+00:00"
        );
        assert_eq!(
            local_moment(day(12, 10), ten, london).unwrap().to_rfc3339(),
            "2026-12-10T10:00:00+00:00"
        );
        // 01:30 on the last Sunday of March is skipped; on the last Sunday of
        // October it happens twice, and the first (BST) is meant.
        let half_one = NaiveTime::from_hms_opt(1, 30, 0).unwrap();
        assert!(local_moment(day(3, 29), half_one, london).is_err());
        assert_eq!(
            local_moment(day(10, 25), half_one, london)
                .unwrap()
                .to_rfc3339(),
            "2026-10-25T00:30:00+00:00"
        );
    }

    #[test]
    fn a_meeting_must_end_after_it_starts() {
        let start = "2026-03-12T10:00:00Z".parse().unwrap();
        let end = "2026-03-12T09:00:00Z".parse().unwrap();
        assert!(meeting_span(start, end).is_err());
        assert!(meeting_span(start, start).is_err());
        assert!(meeting_span(end, start).is_ok());
    }
}
