//! `/meetings/{id}/actions`, `/actions` and `/actions/{id}`: the action tracker.

use chrono::{DateTime, NaiveDate, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::download::{Csv, Download, attachment};
use super::error::ApiResult;
use super::{ApiTags, Created, Found, Listed, optional_patch, parse_if_match, required_patch};
use crate::auth::BearerToken;
use crate::domain::ActionStatus;
use crate::service::actions::{self, ActionChanges, ActionFilter, NewAction, Owner};
use crate::service::page::PageParams;
use crate::service::tracker;
use crate::startup::AppState;

/// A new action. Give exactly one owner.
#[derive(Debug, Object)]
pub struct ActionIn {
    /// What is to be done.
    pub description: String,
    /// The person who owns it.
    pub owner_person_id: Option<Uuid>,
    /// The organisation that owns it.
    pub owner_organisation_id: Option<Uuid>,
    /// The owner in words, e.g. "All members" or "Secretariat".
    pub owner_text: Option<String>,
    /// When it is due.
    pub due_on: Option<NaiveDate>,
    /// The agenda item it was raised under (of the same meeting).
    pub agenda_item_id: Option<Uuid>,
}

/// Changes to an action. The secretariat may change anything; the person who owns
/// it may change only `status` and add a `note`. Dropping needs a `note` saying why.
#[derive(Debug, Object)]
pub struct ActionPatch {
    /// What is to be done.
    pub description: MaybeUndefined<String>,
    /// A new owning person (replaces the owner).
    pub owner_person_id: MaybeUndefined<Uuid>,
    /// A new owning organisation (replaces the owner).
    pub owner_organisation_id: MaybeUndefined<Uuid>,
    /// A new owner in words (replaces the owner).
    pub owner_text: MaybeUndefined<String>,
    /// When it is due; `null` removes the date.
    pub due_on: MaybeUndefined<NaiveDate>,
    /// open, in_progress, done or dropped.
    pub status: MaybeUndefined<ActionStatus>,
    /// A progress note, kept in the status history.
    pub note: MaybeUndefined<String>,
}

/// An action.
#[derive(Debug, Object)]
pub struct ActionOut {
    /// Its id.
    pub id: Uuid,
    /// Its reference for life, e.g. `FRD-5-A3`.
    pub reference: String,
    /// The meeting it was raised at.
    pub meeting_id: Uuid,
    /// The group of that meeting.
    pub group_id: Uuid,
    /// The agenda item it was raised under.
    pub agenda_item_id: Option<Uuid>,
    /// What is to be done.
    pub description: String,
    /// The person who owns it.
    pub owner_person_id: Option<Uuid>,
    /// The organisation that owns it.
    pub owner_organisation_id: Option<Uuid>,
    /// The owner in words.
    pub owner_text: Option<String>,
    /// When it is due.
    pub due_on: Option<NaiveDate>,
    /// open, in_progress, done or dropped.
    pub status: ActionStatus,
    /// Whether it is past its due date and still outstanding.
    pub overdue: bool,
    /// How many times the secretariat has carried it forward to a later meeting.
    pub carried_forward: i32,
    /// The main group's meeting it was escalated to, for an action of a special
    /// interest group.
    pub escalated_to_meeting_id: Option<Uuid>,
    /// Edit version, also sent as the `ETag`.
    pub version: i32,
    /// When it was raised.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}
crate::resource!(ActionOut, "actions");

impl From<entity::action_item::Model> for ActionOut {
    fn from(m: entity::action_item::Model) -> Self {
        let status: ActionStatus = m.status.parse().unwrap_or(ActionStatus::Open);
        Self {
            overdue: status.is_outstanding()
                && m.due_on
                    .is_some_and(|due| due < crate::service::access::today()),
            id: m.id,
            reference: m.reference,
            meeting_id: m.meeting_id,
            group_id: m.group_id,
            agenda_item_id: m.agenda_item_id,
            description: m.description,
            owner_person_id: m.owner_person_id,
            owner_organisation_id: m.owner_organisation_id,
            owner_text: m.owner_text,
            due_on: m.due_on,
            status,
            carried_forward: m.carried_forward,
            escalated_to_meeting_id: m.escalated_to_meeting_id,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// One step of an action's status history.
#[derive(Debug, Object)]
pub struct ActionStatusChangeOut {
    /// The status before (none for the first step).
    pub from_status: Option<ActionStatus>,
    /// The status after; the same as before for a progress note alone.
    pub to_status: ActionStatus,
    /// The note given.
    pub note: Option<String>,
    /// Who made the change.
    pub actor: String,
    /// When.
    pub changed_at: DateTime<Utc>,
}

impl From<entity::action_status_change::Model> for ActionStatusChangeOut {
    fn from(m: entity::action_status_change::Model) -> Self {
        Self {
            from_status: m.from_status.and_then(|s| s.parse().ok()),
            to_status: m.to_status.parse().unwrap_or(ActionStatus::Open),
            note: m.note,
            actor: m.actor,
            changed_at: m.changed_at,
        }
    }
}

/// A meeting's actions.
#[derive(ApiResponse)]
pub enum MeetingActions {
    /// The actions raised at the meeting, in reference order.
    #[oai(status = 200)]
    Ok(Json<Vec<ActionOut>>),
}

/// An action's history.
#[derive(ApiResponse)]
pub enum ActionHistory {
    /// Every status change and progress note, oldest first.
    #[oai(status = 200)]
    Ok(Json<Vec<ActionStatusChangeOut>>),
}

/// A note for carrying forward or escalating.
#[derive(Debug, Object)]
pub struct TrackerNoteIn {
    /// Why, for the action's history.
    pub note: Option<String>,
}

/// The CSV export.
#[derive(ApiResponse)]
pub enum CsvExport {
    /// The selected actions as CSV (UTF-8, comma-separated, RFC 4180 quoting).
    #[oai(status = 200)]
    Ok(Download<Csv>, #[oai(header = "Content-Disposition")] String),
}

/// Who a digest entry is for.
#[derive(Debug, Object)]
pub struct DigestOwnerOut {
    /// The owning person.
    #[oai(skip_serializing_if_is_none)]
    pub person_id: Option<Uuid>,
    /// The person's name.
    #[oai(skip_serializing_if_is_none)]
    pub name: Option<String>,
    /// The person's email address, if recorded.
    #[oai(skip_serializing_if_is_none)]
    pub email: Option<String>,
    /// An owner that is not a person: an organisation's name or words such as
    /// "All members".
    #[oai(skip_serializing_if_is_none)]
    pub text: Option<String>,
}

/// One owner's overdue and due-this-week actions.
#[derive(Debug, Object)]
pub struct DigestOut {
    /// Who owns them.
    pub owner: DigestOwnerOut,
    /// Outstanding actions past their due date.
    pub overdue: Vec<ActionOut>,
    /// Outstanding actions due in the next seven days, today included.
    pub due_this_week: Vec<ActionOut>,
    /// A subject line for the email.
    pub subject: String,
    /// The email's plain text.
    pub body: String,
}

impl DigestOut {
    fn new(entry: &tracker::DigestEntry, today: NaiveDate) -> Self {
        let owner = match &entry.person {
            Some(p) => DigestOwnerOut {
                person_id: Some(p.id),
                name: Some(p.name.clone()),
                email: p.email.clone(),
                text: None,
            },
            None => DigestOwnerOut {
                person_id: None,
                name: None,
                email: None,
                text: Some(entry.owner.clone()),
            },
        };
        Self {
            owner,
            overdue: entry
                .overdue
                .iter()
                .map(|r| r.action.clone().into())
                .collect(),
            due_this_week: entry
                .due_this_week
                .iter()
                .map(|r| r.action.clone().into())
                .collect(),
            subject: tracker::digest_subject(entry),
            body: tracker::digest_body(entry, today),
        }
    }
}

/// The overdue digest, as JSON or as one plain-text document.
pub enum DigestResponse {
    Json(Vec<DigestOut>),
    Text(String),
}

impl poem::IntoResponse for DigestResponse {
    fn into_response(self) -> poem::Response {
        match self {
            Self::Json(entries) => Json(entries).into_response(),
            Self::Text(text) => PlainText(text).into_response(),
        }
    }
}

// Written by hand because the derive gives each variant its own status entry, and
// two entries for 200 would make the OpenAPI document invalid: here the one 200
// answer has two media types.
impl poem_openapi::ApiResponse for DigestResponse {
    fn meta() -> poem_openapi::registry::MetaResponses {
        use poem_openapi::payload::Payload;
        use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses};
        MetaResponses {
            responses: vec![MetaResponse {
                description: "One entry per owner, owners in name order (`format=json`); or every \
                              owner's message as one plain-text document (`format=text`).",
                status: Some(200),
                status_range: None,
                content: vec![
                    MetaMediaType {
                        content_type: <Json<Vec<DigestOut>> as Payload>::CONTENT_TYPE,
                        schema: <Json<Vec<DigestOut>> as Payload>::schema_ref(),
                    },
                    MetaMediaType {
                        content_type: <PlainText<String> as Payload>::CONTENT_TYPE,
                        schema: <PlainText<String> as Payload>::schema_ref(),
                    },
                ],
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut poem_openapi::registry::Registry) {
        <DigestOut as poem_openapi::types::Type>::register(registry);
    }
}

pub struct ActionsApi;

#[OpenApi(tag = "ApiTags::Actions")]
impl ActionsApi {
    /// Raise an action
    ///
    /// Secretariat only. The action gets the meeting's next number and a reference
    /// such as `FRD-5-A1` that it keeps for life.
    #[oai(
        path = "/meetings/:id/actions",
        method = "post",
        operation_id = "actions.create"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        body: Json<ActionIn>,
    ) -> ApiResult<Created<ActionOut>> {
        let b = body.0;
        let model = actions::create(
            &state.db,
            &auth.0,
            id.0,
            NewAction {
                description: b.description,
                owner: Owner {
                    person_id: b.owner_person_id,
                    organisation_id: b.owner_organisation_id,
                    text: b.owner_text,
                },
                due_on: b.due_on,
                agenda_item_id: b.agenda_item_id,
            },
        )
        .await?;
        Ok(Created::of(model.into()))
    }

    /// List a meeting's actions
    ///
    /// The secretariat sees all; a member of the group sees the ones they own.
    #[oai(
        path = "/meetings/:id/actions",
        method = "get",
        operation_id = "actions.list_for_meeting"
    )]
    async fn list_for_meeting(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
    ) -> ApiResult<MeetingActions> {
        let rows = actions::list_for_meeting(&state.db, &auth.0, id.0).await?;
        Ok(MeetingActions::Ok(Json(
            rows.into_iter().map(ActionOut::from).collect(),
        )))
    }

    /// The action tracker
    ///
    /// Actions sorted by due date (undated last). The secretariat sees all; a member
    /// sees the actions they own. Filters combine; contradictory ones (`due_after`
    /// later than `due_before`, `overdue=true` with status done or dropped) answer
    /// 422.
    #[oai(path = "/actions", method = "get", operation_id = "actions.list")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// Only actions raised in this group.
        group_id: Query<Option<Uuid>>,
        /// With `group_id` naming the main group: its special interest groups' actions too.
        include_sigs: Query<Option<bool>>,
        /// Only actions raised at this meeting.
        meeting_id: Query<Option<Uuid>>,
        /// Only actions owned by this person.
        owner_person_id: Query<Option<Uuid>>,
        /// Only actions with this status: open, in_progress, done or dropped.
        status: Query<Option<ActionStatus>>,
        /// Only actions due on or before this date (`YYYY-MM-DD`).
        due_before: Query<Option<NaiveDate>>,
        /// Only actions due on or after this date (`YYYY-MM-DD`).
        due_after: Query<Option<NaiveDate>>,
        /// `true`: only outstanding actions past their due date; `false`: only the rest.
        overdue: Query<Option<bool>>,
        /// How many to return (1–200, default 50).
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<ActionOut>> {
        let filter = ActionFilter {
            group_id: group_id.0,
            include_sigs: include_sigs.0.unwrap_or(false),
            meeting_id: meeting_id.0,
            owner_person_id: owner_person_id.0,
            status: status.0,
            due_before: due_before.0,
            due_after: due_after.0,
            overdue: overdue.0,
        };
        let page = PageParams {
            limit: limit.0,
            cursor: cursor.0,
        };
        let rows = actions::list(&state.db, &auth.0, filter, &page).await?;
        Ok(Listed::of(rows, ActionOut::from))
    }

    /// Export the action tracker as CSV
    ///
    /// The same selection and order as `GET /actions`, every row at once (no
    /// pages), for spreadsheets: a header row, then reference, description, owner,
    /// due_on, status, group, meeting_number, carried_forward, overdue. A member
    /// exports the actions they own.
    #[oai(
        path = "/actions.csv",
        method = "get",
        operation_id = "actions.export_csv"
    )]
    async fn export_csv(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// Only actions raised in this group.
        group_id: Query<Option<Uuid>>,
        /// With `group_id` naming the main group: its special interest groups' actions too.
        include_sigs: Query<Option<bool>>,
        /// Only actions raised at this meeting.
        meeting_id: Query<Option<Uuid>>,
        /// Only actions owned by this person.
        owner_person_id: Query<Option<Uuid>>,
        /// Only actions with this status: open, in_progress, done or dropped.
        status: Query<Option<ActionStatus>>,
        /// Only actions due on or before this date (`YYYY-MM-DD`).
        due_before: Query<Option<NaiveDate>>,
        /// Only actions due on or after this date (`YYYY-MM-DD`).
        due_after: Query<Option<NaiveDate>>,
        /// `true`: only outstanding actions past their due date; `false`: only the rest.
        overdue: Query<Option<bool>>,
    ) -> ApiResult<CsvExport> {
        let filter = ActionFilter {
            group_id: group_id.0,
            include_sigs: include_sigs.0.unwrap_or(false),
            meeting_id: meeting_id.0,
            owner_person_id: owner_person_id.0,
            status: status.0,
            due_before: due_before.0,
            due_after: due_after.0,
            overdue: overdue.0,
        };
        let rows = tracker::export(&state.db, &auth.0, filter).await?;
        let bytes = tracker::render_csv(&rows)?;
        let name = format!(
            "actions-{}.csv",
            crate::service::access::today().format("%Y-%m-%d")
        );
        Ok(CsvExport::Ok(
            Download::new(bytes, "text/csv; charset=utf-8"),
            attachment(&name),
        ))
    }

    /// The overdue digest
    ///
    /// Secretariat only. Per owner, their outstanding actions past their due date
    /// and those due in the next seven days (today included), with an email subject
    /// and a plain-text body ready to send. `format=text` answers one plain-text
    /// document with every owner's message, separated by lines of dashes.
    #[oai(
        path = "/actions/overdue-digest",
        method = "get",
        operation_id = "actions.overdue_digest"
    )]
    async fn overdue_digest(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// `json` (default) or `text`.
        format: Query<Option<String>>,
    ) -> ApiResult<DigestResponse> {
        let text = match format.0.as_deref() {
            None | Some("json") => false,
            Some("text") => true,
            Some(other) => {
                return Err(crate::Error::invalid(
                    "format",
                    format!("must be json or text, not {other}"),
                )
                .into());
            }
        };
        let today = crate::service::access::today();
        let entries = tracker::overdue_digest(&state.db, &auth.0, today).await?;
        let out: Vec<DigestOut> = entries.iter().map(|e| DigestOut::new(e, today)).collect();
        if text {
            let mut doc = String::new();
            for (i, entry) in out.iter().enumerate() {
                if i > 0 {
                    doc.push_str("\n----------------------------------------\n\n");
                }
                let to = match (&entry.owner.name, &entry.owner.email, &entry.owner.text) {
                    (Some(name), Some(email), _) => format!("{name} <{email}>"),
                    (Some(name), None, _) => format!("{name} (no email address recorded)"),
                    (None, _, Some(text)) => format!("{text} (not a person: send it on)"),
                    _ => String::new(),
                };
                doc.push_str(&format!(
                    "To: {to}\nSubject: {}\n\n{}",
                    entry.subject, entry.body
                ));
            }
            return Ok(DigestResponse::Text(doc));
        }
        Ok(DigestResponse::Json(out))
    }

    /// Carry an action forward
    ///
    /// Secretariat only. Records that an open or in-progress action is carried to
    /// the next meeting on purpose, raising its `carried_forward` count and adding
    /// a step (with your optional note) to its history. To close an action that
    /// will not be done, set its status to `dropped` with a note saying why.
    #[oai(
        path = "/actions/:id/carry-forward",
        method = "post",
        operation_id = "actions.carry_forward"
    )]
    async fn carry_forward(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The action's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<TrackerNoteIn>,
    ) -> ApiResult<Found<ActionOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let model = actions::carry_forward(&state.db, &auth.0, id.0, expected, body.0.note).await?;
        Ok(Found::of(model.into()))
    }

    /// Escalate an action to the main group
    ///
    /// Secretariat only; an open or in-progress action of a special interest group.
    /// It is recorded against the main group's next scheduled meeting
    /// (`escalated_to_meeting_id`), whose previous actions (and those of the main
    /// group's later meetings) carry it while it stays open. 409 when the main
    /// group has no meeting scheduled.
    #[oai(
        path = "/actions/:id/escalate",
        method = "post",
        operation_id = "actions.escalate"
    )]
    async fn escalate(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The action's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you acted on.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<TrackerNoteIn>,
    ) -> ApiResult<Found<ActionOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let model = actions::escalate(&state.db, &auth.0, id.0, expected, body.0.note).await?;
        Ok(Found::of(model.into()))
    }

    /// Get an action
    ///
    /// The secretariat, or the person who owns it.
    #[oai(path = "/actions/:id", method = "get", operation_id = "actions.get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The action's id.
        id: Path<Uuid>,
    ) -> ApiResult<Found<ActionOut>> {
        let model = actions::get(&state.db, &auth.0, id.0).await?;
        Ok(Found::of(model.into()))
    }

    /// Read an action's status history
    ///
    /// The secretariat, or the person who owns it.
    #[oai(
        path = "/actions/:id/history",
        method = "get",
        operation_id = "actions.history"
    )]
    async fn history(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The action's id.
        id: Path<Uuid>,
    ) -> ApiResult<ActionHistory> {
        let rows = actions::history(&state.db, &auth.0, id.0).await?;
        Ok(ActionHistory::Ok(Json(
            rows.into_iter().map(ActionStatusChangeOut::from).collect(),
        )))
    }

    /// Update an action
    ///
    /// The secretariat may change anything; the person who owns it may change its
    /// status and add a progress note. Send the `ETag` you read in `If-Match` (412 if
    /// it changed).
    #[oai(
        path = "/actions/:id",
        method = "patch",
        operation_id = "actions.update"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The action's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you edited.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<ActionPatch>,
    ) -> ApiResult<Found<ActionOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let b = body.0;
        let owner_given = !b.owner_person_id.is_undefined()
            || !b.owner_organisation_id.is_undefined()
            || !b.owner_text.is_undefined();
        let owner = owner_given.then(|| Owner {
            person_id: b.owner_person_id.take(),
            organisation_id: b.owner_organisation_id.take(),
            text: b.owner_text.take(),
        });
        let changes = ActionChanges {
            description: required_patch(b.description, "description")?,
            owner,
            due_on: optional_patch(b.due_on),
            status: required_patch(b.status, "status")?,
            note: b.note.take(),
        };
        let model = actions::update(&state.db, &auth.0, id.0, expected, changes).await?;
        Ok(Found::of(model.into()))
    }
}
