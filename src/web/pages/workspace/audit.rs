//! The audit trail as a page: every change, newest first, filtered by what was
//! changed, who changed it and when.

use askama::Template;
use chrono::{NaiveDate, TimeZone};
use poem::http::StatusCode;
use poem::web::{Data, Query};
use poem::{EndpointExt, Request, Response, Route, get, handler};
use serde::Deserialize;

use crate::service::audit::{self, AuditFilter};
use crate::service::page::PageParams;
use crate::startup::AppState;
use crate::web::form::{Choice, FieldErrors, FormFields};
use crate::web::pages::workspace::{chrome, workspace};
use crate::web::{Chrome, Section, SecureHeaders, error_page, render};

/// Changes shown on one page.
const PAGE_SIZE: u64 = 50;

pub fn routes(route: Route) -> Route {
    route.at("/secretariat/audit", get(trail).with(SecureHeaders))
}

/// The kinds of thing the trail records, as offered in the filter.
/// (operation prefix, in the filter, in a row)
const KINDS: &[(&str, &str, &str)] = &[
    ("organisation", "Organisations", "Organisation"),
    ("person", "People", "Person"),
    ("group", "Groups", "Group"),
    ("membership", "Memberships", "Membership"),
    ("meeting", "Meetings", "Meeting"),
    ("agenda_item", "Agenda items", "Agenda item"),
    ("agenda", "Agenda order", "Agenda"),
    ("attendance", "Invitations and attendance", "Attendance"),
    ("action", "Actions", "Action"),
    ("summary_note", "Summary notes", "Summary note"),
    ("sign_in_link", "Sign-in links", "Sign-in link"),
    ("web_session", "Signing in and out", "Session"),
    ("calendar_feed", "Calendar feeds", "Calendar feed"),
    ("token", "API tokens", "API token"),
];

#[derive(Debug, Default, Deserialize)]
struct TrailQuery {
    #[serde(default)]
    what: Option<String>,
    #[serde(default)]
    who: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

struct EventRow {
    at: String,
    actor: String,
    operation: String,
    changes: String,
}

#[derive(Template)]
#[template(path = "workspace/audit.html")]
struct TrailPage {
    chrome: Chrome,
    form: FormFields,
    errors: FieldErrors,
    kinds: Vec<Choice>,
    rows: Vec<EventRow>,
    next: Option<String>,
    filtered: bool,
}

/// "Meeting: cancel" for `meeting.cancel`.
fn operation_words(operation: &str) -> String {
    let (kind, verb) = operation.split_once('.').unwrap_or((operation, ""));
    let kind = KINDS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, _, one)| (*one).to_owned())
        .unwrap_or_else(|| kind.replace('_', " "));
    if verb.is_empty() {
        kind
    } else {
        format!("{kind}: {}", verb.replace('_', " "))
    }
}

#[handler]
async fn trail(req: &Request, state: Data<&AppState>, query: Query<TrailQuery>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let form = FormFields::from_pairs([
        ("what", query.what.clone().unwrap_or_default()),
        ("who", query.who.clone().unwrap_or_default()),
        ("from", query.from.clone().unwrap_or_default()),
        ("to", query.to.clone().unwrap_or_default()),
    ]);
    let mut errors = FieldErrors::default();
    let from = form.date("from", &mut errors, "The first day");
    let to = form.date("to", &mut errors, "The last day");
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors.add(
            "to",
            "The last day must be the same as or after the first day",
        );
    }
    let what = form.optional("what");
    if let Some(w) = &what
        && !KINDS.iter().any(|(k, _, _)| k == w)
    {
        errors.add("what", "Choose what was changed from the list");
    }
    // Days are read in London time, where the secretariat works.
    let start_of = |day: NaiveDate| {
        chrono_tz::Europe::London
            .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    let mut rows = Vec::new();
    let mut next = None;
    if errors.is_empty() {
        let filter = AuditFilter {
            operation: what,
            actor: form.optional("who"),
            since: from.and_then(start_of),
            until: to.and_then(|d| d.succ_opt()).and_then(start_of),
            newest_first: true,
            ..Default::default()
        };
        let page = audit::list(
            &state.db,
            &session.caller,
            filter,
            &PageParams {
                limit: Some(PAGE_SIZE),
                cursor: query.cursor.clone(),
            },
        )
        .await;
        let page = match page {
            Ok(p) => p,
            Err(crate::Error::Invalid(_)) => return crate::web::see_other("/secretariat/audit"),
            Err(err) => return error_page(Some(&session), err),
        };
        rows = page
            .items
            .into_iter()
            .map(|e| EventRow {
                at: crate::domain::when::format_date_time(e.at, chrono_tz::Europe::London),
                actor: e.actor,
                operation: operation_words(&e.operation),
                changes: serde_json::to_string_pretty(&e.changes).unwrap_or_default(),
            })
            .collect();
        next = page.next_cursor.map(|cursor| {
            let mut pairs: Vec<(&str, String)> = ["what", "who", "from", "to"]
                .into_iter()
                .filter_map(|k| form.optional(k).map(|v| (k, v)))
                .collect();
            pairs.push(("cursor", cursor));
            format!(
                "/secretariat/audit?{}",
                serde_urlencoded::to_string(pairs).unwrap_or_default()
            )
        });
    }
    let title = if errors.is_empty() {
        "Audit trail".to_owned()
    } else {
        "Error: Audit trail".to_owned()
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let filtered = ["what", "who", "from", "to"]
        .iter()
        .any(|k| form.optional(k).is_some());
    render(
        status,
        &TrailPage {
            chrome: chrome(req, &session, &title, Section::Audit),
            form,
            errors,
            kinds: KINDS
                .iter()
                .map(|(value, label, _)| Choice::new(*value, *label))
                .collect(),
            rows,
            next,
            filtered,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_read_in_words() {
        assert_eq!(operation_words("meeting.cancel"), "Meeting: cancel");
        assert_eq!(operation_words("agenda_item.create"), "Agenda item: create");
        assert_eq!(
            operation_words("unknown_thing.do_it"),
            "unknown thing: do it"
        );
    }
}
