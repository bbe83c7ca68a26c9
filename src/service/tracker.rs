//! The action tracker's outputs for people outside minutebook: the spreadsheet
//! export of a selection of actions, and the overdue digest the secretariat mails to
//! owners. Gathering is done here; writing the CSV and the digest text is pure.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::ActionStatus;
use crate::domain::when::format_long_date;
use crate::service::actions::{self, ActionFilter};
use crate::{Error, Result};
use entity::action_item::{self, Model};
use entity::{group, meeting, organisation, person};

/// An action with the names a reader needs instead of ids.
#[derive(Debug, Clone)]
pub struct TrackedAction {
    pub action: Model,
    pub status: ActionStatus,
    /// The owner in words: a person's or organisation's name, or the owner text.
    pub owner: String,
    pub owner_person: Option<person::Model>,
    pub group_short_name: String,
    pub meeting_number: i32,
    pub overdue: bool,
}

/// Looks up the names behind `rows`, keeping their order.
pub async fn describe(
    conn: &impl ConnectionTrait,
    rows: Vec<Model>,
    today: NaiveDate,
) -> Result<Vec<TrackedAction>> {
    fn ids(rows: &[Model], f: impl Fn(&Model) -> Option<Uuid>) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = rows.iter().filter_map(f).collect();
        ids.sort();
        ids.dedup();
        ids
    }
    let people: HashMap<Uuid, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(ids(&rows, |a| a.owner_person_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let organisations: HashMap<Uuid, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids(&rows, |a| a.owner_organisation_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let groups: HashMap<Uuid, String> = group::Entity::find()
        .filter(group::Column::Id.is_in(ids(&rows, |a| Some(a.group_id))))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g.short_name))
        .collect();
    let meetings: HashMap<Uuid, i32> = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(ids(&rows, |a| Some(a.meeting_id))))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m.number))
        .collect();
    Ok(rows
        .into_iter()
        .map(|action| {
            let status: ActionStatus = action.status.parse().unwrap_or(ActionStatus::Open);
            let owner_person = action
                .owner_person_id
                .and_then(|id| people.get(&id))
                .cloned();
            let owner = match (
                &owner_person,
                action.owner_organisation_id,
                &action.owner_text,
            ) {
                (Some(p), _, _) => p.name.clone(),
                (None, Some(org), _) => organisations.get(&org).cloned().unwrap_or_default(),
                (None, None, Some(text)) => text.clone(),
                _ => String::new(),
            };
            TrackedAction {
                status,
                owner,
                owner_person,
                group_short_name: groups.get(&action.group_id).cloned().unwrap_or_default(),
                meeting_number: meetings.get(&action.meeting_id).copied().unwrap_or(0),
                overdue: status.is_outstanding() && action.due_on.is_some_and(|d| d < today),
                action,
            }
        })
        .collect())
}

/// Every action of the selection (not one page), described for the export.
pub async fn export(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: ActionFilter,
) -> Result<Vec<TrackedAction>> {
    let rows = actions::list_all(db, caller, filter).await?;
    describe(db, rows, crate::service::access::today()).await
}

/// Spreadsheet apps run a cell that starts with one of these as a formula; such text
/// typed by a person gets a leading apostrophe so that it shows as text instead.
fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The CSV export: a header row, then one row per action. The `csv` crate quotes
/// fields holding commas, quotes or line breaks as RFC 4180 says.
pub fn render_csv(rows: &[TrackedAction]) -> Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Unexpected(anyhow::anyhow!("writing CSV: {e}"));
    out.write_record([
        "reference",
        "description",
        "owner",
        "due_on",
        "status",
        "group",
        "meeting_number",
        "carried_forward",
        "overdue",
    ])
    .map_err(fail)?;
    for row in rows {
        out.write_record([
            row.action.reference.clone(),
            spreadsheet_safe(&row.action.description),
            spreadsheet_safe(&row.owner),
            row.action
                .due_on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            row.status.as_str().to_owned(),
            row.group_short_name.clone(),
            row.meeting_number.to_string(),
            row.action.carried_forward.to_string(),
            if row.overdue { "yes" } else { "no" }.to_owned(),
        ])
        .map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("writing CSV: {e}")))
}

/// One owner's part of the overdue digest.
#[derive(Debug, Clone)]
pub struct DigestEntry {
    /// The owning person, when a person owns the actions.
    pub person: Option<person::Model>,
    /// The owner in words (the person's name, an organisation, "All members").
    pub owner: String,
    pub overdue: Vec<TrackedAction>,
    pub due_this_week: Vec<TrackedAction>,
}

/// The overdue digest on `today`: per owner, their outstanding actions past their due
/// date, and those due in the seven days from today (today included). Owners are in
/// name order; actions by due date. Secretariat only.
pub async fn overdue_digest(
    db: &DatabaseConnection,
    caller: &Caller,
    today: NaiveDate,
) -> Result<Vec<DigestEntry>> {
    caller.require_secretariat()?;
    let week_end = today + Duration::days(6);
    let rows = action_item::Entity::find()
        .filter(action_item::Column::Status.is_in([
            ActionStatus::Open.as_str(),
            ActionStatus::InProgress.as_str(),
        ]))
        .filter(action_item::Column::DueOn.lte(week_end))
        .all(db)
        .await?;
    let mut described = describe(db, rows, today).await?;
    described.sort_by(|a, b| {
        (a.action.due_on, &a.action.reference).cmp(&(b.action.due_on, &b.action.reference))
    });

    // Owners are told apart by what owns the action: a person, an organisation, or
    // the same words.
    let mut by_owner: BTreeMap<(String, String), DigestEntry> = BTreeMap::new();
    for row in described {
        let key = match (row.action.owner_person_id, row.action.owner_organisation_id) {
            (Some(p), _) => format!("person:{p}"),
            (None, Some(o)) => format!("organisation:{o}"),
            _ => format!("text:{}", row.owner.to_lowercase()),
        };
        let entry = by_owner
            .entry((row.owner.to_lowercase(), key))
            .or_insert_with(|| DigestEntry {
                person: row.owner_person.clone(),
                owner: row.owner.clone(),
                overdue: Vec::new(),
                due_this_week: Vec::new(),
            });
        if row.overdue {
            entry.overdue.push(row);
        } else {
            entry.due_this_week.push(row);
        }
    }
    Ok(by_owner.into_values().collect())
}

/// A subject line for an owner's digest email.
pub fn digest_subject(entry: &DigestEntry) -> String {
    match (entry.overdue.len(), entry.due_this_week.len()) {
        (0, n) => format!("{n} action{} due this week", plural(n)),
        (o, 0) => format!("{o} overdue action{}", plural(o)),
        (o, n) => format!("{o} overdue action{} and {n} due this week", plural(o)),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn digest_line(row: &TrackedAction, today: NaiveDate) -> String {
    let due = row
        .action
        .due_on
        .map(|d| {
            let late = (today - d).num_days();
            if late > 0 {
                format!(
                    "due {}, {late} day{} overdue",
                    format_long_date(d),
                    plural(late as usize)
                )
            } else {
                format!("due {}", format_long_date(d))
            }
        })
        .unwrap_or_default();
    format!(
        "- {} ({}; {} meeting {}; {}): {}",
        row.action.reference,
        due,
        row.group_short_name,
        row.meeting_number,
        row.status.label().to_lowercase(),
        row.action.description.replace('\n', " ")
    )
}

/// The plain text of an owner's digest, ready to paste into an email.
pub fn digest_body(entry: &DigestEntry, today: NaiveDate) -> String {
    let mut text = format!("Dear {},\n\n", entry.owner);
    text.push_str(&format!(
        "This is the secretariat's reminder of the actions you own, as at {}.\n",
        format_long_date(today)
    ));
    if !entry.overdue.is_empty() {
        text.push_str("\nOverdue:\n");
        for row in &entry.overdue {
            text.push_str(&digest_line(row, today));
            text.push('\n');
        }
    }
    if !entry.due_this_week.is_empty() {
        text.push_str("\nDue this week:\n");
        for row in &entry.due_this_week {
            text.push_str(&digest_line(row, today));
            text.push('\n');
        }
    }
    text.push_str(
        "\nPlease update each action in minutebook (its status, and a progress note), \
         or reply to this email to tell the secretariat where it stands.\n",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_a_spreadsheet_would_run_as_a_formula_is_kept_as_text() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("Write to MoJ"), "Write to MoJ");
    }
}
