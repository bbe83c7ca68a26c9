//! The one form mechanism of the web pages.
//!
//! Every form works the same way: its posted fields are read into typed values
//! ([`FormFields`]), problems are collected per field ([`FieldErrors`]) — first the
//! ones the page can see for itself (a date that is not a date), then the ones the
//! service answers with (`Error::Invalid` names the fields it refused) — and when
//! there is any problem the same template is shown again with the GOV.UK error
//! summary, each message beside its field and the person's values kept. Nothing is
//! changed until the service accepts the whole form.
//!
//! Edit forms carry the version they were read at in a hidden `version` field. When
//! someone else saved in between, the service answers `Error::Stale` and the page
//! shows a [`Conflict`]: the current values beside the person's own, so that nothing
//! is lost and nothing is overwritten without them seeing it.

use chrono::{NaiveDate, NaiveTime};
use uuid::Uuid;

use crate::Error;
use crate::web::session::{CSRF_FIELD, same_secret};
use crate::web::view;

/// A form's fields, as posted (`application/x-www-form-urlencoded`), or the values a
/// form starts with.
#[derive(Debug, Default, Clone)]
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    /// Reads a posted body; anything unreadable counts as an empty form, which every
    /// handler then refuses for want of its CSRF token.
    pub fn parse(body: &[u8]) -> Self {
        Self(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }

    /// Values to start a form with, e.g. from the record being edited.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// Sets `name` to `value`, replacing what it held.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.retain(|(key, _)| key != name);
        self.0.push((name.to_owned(), value.into()));
    }

    /// The first value of `name`, as posted.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The value of `name` to show in a field: what was posted, or nothing.
    pub fn value(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    /// Whether `name` holds `value`: a selected option, a checked radio or box.
    pub fn is(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(key, v)| key == name && v == value)
    }

    /// Every value of a field that repeats (checkboxes, a list of points).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// Whether the form carries the session's CSRF token.
    pub fn has_csrf(&self, expected: &str) -> bool {
        self.get(CSRF_FIELD)
            .is_some_and(|given| same_secret(expected, given))
    }

    /// The text of `name`, trimmed; empty when it was not sent. Whether it may be
    /// empty is the service's rule.
    pub fn text(&self, name: &str) -> String {
        self.value(name).trim().to_owned()
    }

    /// The text of `name`, trimmed, or `None` when empty.
    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|t| !t.is_empty())
    }

    /// Whether a checkbox was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| !v.is_empty())
    }

    /// The version an edit form was read at (the hidden `version` field).
    pub fn version(&self) -> Option<i32> {
        self.get("version").and_then(|v| v.trim().parse().ok())
    }

    /// A choice made from a list of records (a select or radios), or `None` when none
    /// was chosen. A value that is not one of ours is a problem on the field.
    pub fn choice(&self, name: &str, errors: &mut FieldErrors, what: &str) -> Option<Uuid> {
        let text = self.text(name);
        if text.is_empty() {
            return None;
        }
        match Uuid::parse_str(&text) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add(name, format!("Choose {what} from the list"));
                None
            }
        }
    }

    /// A date, typed as `YYYY-MM-DD` (what a date field sends) or `D/M/YYYY` (what
    /// people type where the browser shows a plain text box); `None` when empty.
    pub fn date(&self, name: &str, errors: &mut FieldErrors, label: &str) -> Option<NaiveDate> {
        let text = self.text(name);
        if text.is_empty() {
            return None;
        }
        match parse_date(&text) {
            Some(date) => Some(date),
            None => {
                errors.add(
                    name,
                    format!("{label} must be a real date, for example 27/3/2026"),
                );
                None
            }
        }
    }

    /// A time of day, typed as `HH:MM` (24-hour, what a time field sends) or with
    /// `am`/`pm`; `None` when empty.
    pub fn time(&self, name: &str, errors: &mut FieldErrors, label: &str) -> Option<NaiveTime> {
        let text = self.text(name);
        if text.is_empty() {
            return None;
        }
        match parse_time(&text) {
            Some(time) => Some(time),
            None => {
                errors.add(
                    name,
                    format!("{label} must be a time, for example 10:00 or 2:30pm"),
                );
                None
            }
        }
    }

    /// A whole number; `None` when empty.
    pub fn number(&self, name: &str, errors: &mut FieldErrors, label: &str) -> Option<i64> {
        let text = self.text(name);
        if text.is_empty() {
            return None;
        }
        match text.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.add(name, format!("{label} must be a whole number, like 30"));
                None
            }
        }
    }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(date);
    }
    let parts: Vec<&str> = text.split(['/', '-', '.', ' ']).collect();
    if let [d, m, y] = parts[..] {
        let (d, m, y) = (d.parse().ok()?, m.parse().ok()?, y.parse::<i32>().ok()?);
        if (1000..=9999).contains(&y) {
            return NaiveDate::from_ymd_opt(y, m, d);
        }
    }
    None
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    let lower = text.to_ascii_lowercase().replace(' ', "").replace('.', ":");
    let (clock, offset) = if let Some(t) = lower.strip_suffix("am") {
        (t, Some(0))
    } else if let Some(t) = lower.strip_suffix("pm") {
        (t, Some(12))
    } else {
        (lower.as_str(), None)
    };
    let (h, m) = match clock.split_once(':') {
        Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None => (clock.parse::<u32>().ok()?, 0),
    };
    let h = match offset {
        Some(add) if (1..=12).contains(&h) => h % 12 + add,
        Some(_) => return None,
        None => h,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

/// Problems with a form, per field, in the order the fields appear. Each names the
/// field's `id` so that the error summary links to it.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    /// Adds a problem with `field`; the first problem of a field is the one shown.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field.to_owned(), message.into()));
        }
    }

    /// The problem with `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, as (field id, message), for the error summary.
    pub fn items(&self) -> &[(String, String)] {
        &self.0
    }

    /// Takes in a service's refusal of the form's values. Field errors (`Invalid`)
    /// land on their fields, with the service's field names renamed to the form's
    /// where they differ (`renames` pairs service name → form field); a refusal by the
    /// lifecycle (`Conflict`) lands on `general_field` (usually the form's button).
    /// Anything else is not about the form and is given back, to become an error page.
    pub fn absorb(
        &mut self,
        err: Error,
        renames: &[(&str, &str)],
        general_field: &str,
    ) -> Result<(), Error> {
        match err {
            Error::Invalid(fields) => {
                for field in fields {
                    let name = renames
                        .iter()
                        .find(|(from, _)| *from == field.field)
                        .map(|(_, to)| (*to).to_owned())
                        .unwrap_or(field.field);
                    self.add(&name, view::sentence(&with_subject(&name, &field.message)));
                }
                Ok(())
            }
            Error::Conflict(message) | Error::BadRequest(message) => {
                self.add(general_field, view::sentence(&message));
                Ok(())
            }
            other => Err(other),
        }
    }
}

/// A service's message about a field often leaves out its subject ("must not be
/// empty"): in the error summary, far from the field, it needs one ("Name must not
/// be empty"). The subject is the field's name in words.
fn with_subject(field: &str, message: &str) -> String {
    const PREDICATES: [&str; 7] = [
        "must ", "is ", "cannot ", "should ", "has ", "needs ", "may ",
    ];
    if !PREDICATES.iter().any(|p| message.starts_with(p)) {
        return message.to_owned();
    }
    let subject = field
        .trim_end_matches("_id")
        .rsplit('.')
        .next()
        .unwrap_or(field)
        .replace(['_', '-'], " ");
    format!("{} {message}", view::sentence_case(&subject))
}

/// Someone else saved the record after this form was read: what they saved, beside
/// what this person typed.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// The version now stored, which the form carries from here on, so that saving
    /// again keeps the person's values on purpose.
    pub current_version: i32,
    /// Each field that differs: its label, the stored value and the person's.
    pub rows: Vec<ConflictRow>,
}

#[derive(Debug, Clone)]
pub struct ConflictRow {
    /// The form field's name.
    pub field: String,
    pub label: String,
    pub theirs: String,
    pub yours: String,
}

impl Conflict {
    /// Compares the person's values with the stored ones, field by field:
    /// `(label, field name, stored value)`.
    pub fn between(
        posted: &FormFields,
        current_version: i32,
        stored: &[(&str, &str, String)],
    ) -> Self {
        let rows = stored
            .iter()
            .filter(|(_, name, theirs)| posted.text(name) != theirs.trim())
            .map(|(label, name, theirs)| ConflictRow {
                field: (*name).to_owned(),
                label: (*label).to_owned(),
                theirs: if theirs.trim().is_empty() {
                    "(empty)".into()
                } else {
                    theirs.clone()
                },
                yours: match posted.text(name) {
                    t if t.is_empty() => "(empty)".into(),
                    t => t,
                },
            })
            .collect();
        Self {
            current_version,
            rows,
        }
    }

    /// Shows the values of a choice field by their labels, not their ids.
    pub fn label_choices(mut self, field: &str, choices: &[Choice]) -> Self {
        let label = |value: &str| {
            choices
                .iter()
                .find(|c| c.value == value)
                .map(|c| c.label.clone())
                .unwrap_or_else(|| value.to_owned())
        };
        for row in self.rows.iter_mut().filter(|r| r.field == field) {
            row.theirs = label(&row.theirs);
            row.yours = label(&row.yours);
        }
        self
    }
}

/// What a form shows: its values, its problems, and what someone else saved
/// meanwhile. A handler builds one and hands it to the page that renders the form.
#[derive(Debug, Default, Clone)]
pub struct FormState {
    pub form: FormFields,
    pub errors: FieldErrors,
    pub conflict: Option<Conflict>,
}

impl FormState {
    /// A form as first shown, with these starting values.
    pub fn new(form: FormFields) -> Self {
        Self {
            form,
            ..Default::default()
        }
    }

    /// A form shown again with its problems.
    pub fn invalid(form: FormFields, errors: FieldErrors) -> Self {
        Self {
            form,
            errors,
            conflict: None,
        }
    }

    /// An edit shown again because someone else saved first; the form now carries
    /// the version they saved, so that saving again keeps this person's values.
    pub fn stale(mut form: FormFields, conflict: Conflict) -> Self {
        form.set("version", conflict.current_version.to_string());
        Self {
            form,
            errors: FieldErrors::default(),
            conflict: Some(conflict),
        }
    }

    /// The status to answer with: 409 for a stale edit, 422 for problems, else 200.
    pub fn status(&self) -> poem::http::StatusCode {
        use poem::http::StatusCode;
        if self.conflict.is_some() {
            StatusCode::CONFLICT
        } else if self.errors.is_empty() {
            StatusCode::OK
        } else if self.errors.get("save").is_some() {
            // A refusal by the lifecycle: the state conflicts with the request.
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    /// The page's title, starting "Error: " when the form has problems, as the
    /// GOV.UK pattern asks, so that screen reader users hear it first.
    pub fn title(&self, title: &str) -> String {
        if self.errors.is_empty() && self.conflict.is_none() {
            title.to_owned()
        } else {
            format!("Error: {title}")
        }
    }
}

/// One option of a select or radio group.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_a_date_field_sends_them_or_as_people_type_them() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 27).unwrap();
        assert_eq!(parse_date("2026-03-27"), Some(d));
        assert_eq!(parse_date("27/3/2026"), Some(d));
        assert_eq!(parse_date("27 03 2026"), Some(d));
        assert_eq!(parse_date("31/2/2026"), None);
        assert_eq!(parse_date("27/3/26"), None);
        assert_eq!(parse_date("tomorrow"), None);
    }

    #[test]
    fn times_read_in_24_hours_or_with_am_and_pm() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_time("10:00"), t(10, 0));
        assert_eq!(parse_time("14:30"), t(14, 30));
        assert_eq!(parse_time("2:30pm"), t(14, 30));
        assert_eq!(parse_time("12pm"), t(12, 0));
        assert_eq!(parse_time("12am"), t(0, 0));
        assert_eq!(parse_time("9.15 am"), t(9, 15));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("13pm"), None);
        assert_eq!(parse_time("noon"), None);
    }

    #[test]
    fn a_service_refusal_lands_on_the_fields_it_names() {
        let mut errors = FieldErrors::default();
        let refused = Error::Invalid(vec![
            crate::domain::FieldError::new(
                "email",
                "another person already has this email address",
            ),
            crate::domain::FieldError::new("starts_at", "must be before the end"),
        ]);
        errors
            .absorb(refused, &[("starts_at", "start_time")], "save")
            .unwrap();
        assert_eq!(
            errors.get("email"),
            Some("Another person already has this email address.")
        );
        assert_eq!(
            errors.get("start_time"),
            Some("Start time must be before the end.")
        );
        errors
            .absorb(
                Error::Conflict("the meeting was cancelled".into()),
                &[],
                "save",
            )
            .unwrap();
        assert_eq!(errors.get("save"), Some("The meeting was cancelled."));
        assert!(
            errors
                .absorb(Error::not_found("person", Uuid::nil()), &[], "save")
                .is_err()
        );
    }

    #[test]
    fn a_conflict_lists_only_the_fields_that_differ() {
        let posted = FormFields::from_pairs([("name", "Nacro"), ("website", "")]);
        let conflict = Conflict::between(
            &posted,
            4,
            &[
                ("Name", "name", "Nacro".into()),
                ("Website", "website", "https://nacro.org.uk".into()),
            ],
        );
        assert_eq!(conflict.current_version, 4);
        assert_eq!(conflict.rows.len(), 1);
        assert_eq!(conflict.rows[0].label, "Website");
        assert_eq!(conflict.rows[0].yours, "(empty)");
    }
}
