//! The secretariat's action pages over HTTP: raising actions at a meeting, one
//! action's forms (edit with its version, status, carry forward, escalate, drop),
//! the tracker with its filters, pages and CSV download, the overdue digest, and
//! members refused everywhere.

use serde_json::{Value, json};

use crate::helpers::{TestApp, date_from_now, id, spawn_app};
use crate::visitor::{Visitor, csrf_of, html, signed_in};

/// A secretariat officer, signed in.
async fn officer(app: &TestApp) -> Visitor<'_> {
    crate::visitor::secretariat_visitor(app, "Sam Reid", "sam@clinks.example")
        .await
        .0
}

/// The actions raised at `meeting`, as the API lists them.
async fn meeting_actions(app: &TestApp, meeting: &Value) -> Vec<Value> {
    app.get(&format!("/api/v1/meetings/{}/actions", id(meeting)))
        .await
        .expect(200)
        .json()
        .as_array()
        .unwrap()
        .clone()
}

async fn action_json(app: &TestApp, action: &Value) -> Value {
    app.get(&format!("/api/v1/actions/{}", id(action)))
        .await
        .expect(200)
        .json()
}

/// The value of the hidden `version` field of the first form on a page.
fn version_of(page: &str) -> String {
    let start = page
        .find("name=\"version\" value=\"")
        .expect("a form with a version")
        + "name=\"version\" value=\"".len();
    page[start..start + page[start..].find('"').unwrap()].to_owned()
}

/// The address of the link whose text is `text`.
fn link_to(page: &str, text: &str) -> Option<String> {
    let text_at = page.find(&format!(">{text}</a>"))?;
    let start = page[..text_at].rfind("href=\"")? + "href=\"".len();
    let end = start + page[start..].find('"')?;
    Some(unescape(&page[start..end]))
}

/// Text as the page's reader sees it, without HTML's escapes.
fn unescape(text: &str) -> String {
    text.replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
}

/// How many rows the page's first table body holds.
fn table_rows(page: &str) -> usize {
    match (page.find("<tbody>"), page.find("</tbody>")) {
        (Some(start), Some(end)) => page[start..end].matches("<tr>").count(),
        _ => 0,
    }
}

#[tokio::test]
async fn an_action_is_raised_from_the_meeting_page_with_any_kind_of_owner() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -2).await;
    let item = app.agenda_item(&meeting, "Regime design", "members").await;
    let mut sec = officer(&app).await;
    let path = format!("/secretariat/meetings/{}/actions", id(&meeting));
    let page = sec.get(&path).await.expect(200);
    let body = html(&page);
    assert!(body.contains("Raise an action"));
    assert!(
        body.contains("Regime design"),
        "the agenda items to choose from"
    );
    assert!(body.contains("Ana Costa") && body.contains("Nacro"));
    let token = csrf_of(&page);

    let due = date_from_now(14);
    let by_person = sec
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("description", "Write to the minister"),
                ("owner", "person"),
                ("owner_person", &id(&s.ana)),
                ("due_on", &due),
                ("agenda_item", &id(&item)),
            ],
        )
        .await
        .expect(303);
    assert_eq!(by_person.header("location"), Some(path.clone()));
    sec.post_form(
        &path,
        &[
            ("csrf_token", &token),
            ("description", "Share the accommodation data"),
            ("owner", "organisation"),
            ("owner_organisation", &id(&s.nacro)),
            ("owner_person", &id(&s.ben)),
        ],
    )
    .await
    .expect(303);
    sec.post_form(
        &path,
        &[
            ("csrf_token", &token),
            ("description", "Read the white paper"),
            ("owner", "text"),
            ("owner_text", "All members"),
        ],
    )
    .await
    .expect(303);

    let raised = meeting_actions(&app, &meeting).await;
    assert_eq!(raised.len(), 3);
    assert_eq!(raised[0]["reference"], "FRD-1-A1");
    assert_eq!(raised[0]["owner_person_id"], s.ana["id"]);
    assert_eq!(raised[0]["due_on"], json!(due));
    assert_eq!(raised[0]["agenda_item_id"], item["id"]);
    assert_eq!(raised[1]["reference"], "FRD-1-A2");
    assert_eq!(
        raised[1]["owner_organisation_id"], s.nacro["id"],
        "only the chosen kind of owner counts"
    );
    assert!(raised[1]["owner_person_id"].is_null());
    assert_eq!(raised[2]["reference"], "FRD-1-A3");
    assert_eq!(raised[2]["owner_text"], "All members");

    let listed = sec.get(&path).await.expect(200);
    let body = html(&listed);
    assert!(
        body.contains("Action FRD-1-A3 was raised."),
        "the flash message"
    );
    for text in [
        "FRD-1-A1",
        "Write to the minister",
        "FRD-1-A2",
        "All members",
    ] {
        assert!(body.contains(text), "{text}");
    }
    let again = sec.get(&path).await.expect(200);
    assert!(
        !html(&again).contains("was raised."),
        "the message is shown once"
    );
}

#[tokio::test]
async fn raising_an_action_with_mistakes_shows_them_keeps_the_values_and_changes_nothing() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -2).await;
    let elsewhere = app.meeting_in(&s.rr3, 5).await;
    let foreign_item = app.agenda_item(&elsewhere, "Welcome", "public").await;
    let mut sec = officer(&app).await;
    let path = format!("/secretariat/meetings/{}/actions", id(&meeting));
    let token = csrf_of(&sec.get(&path).await.expect(200));
    let before = app.counts().await;

    let refused = sec
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("description", ""),
                ("owner", "text"),
                ("owner_text", "  "),
                ("due_on", "31/2/2027"),
            ],
        )
        .await
        .expect(422);
    let body = html(&refused);
    assert!(body.contains("There is a problem"));
    assert!(body.contains("href=\"#due_on\""));
    assert!(body.contains("must be a real date"));
    assert!(
        body.contains("value=\"31/2/2027\""),
        "the typed date is kept"
    );
    assert_eq!(app.counts().await, before);

    let refused = sec
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("description", "Book the room"),
                ("owner", "person"),
                ("owner_person", ""),
                ("agenda_item", &id(&foreign_item)),
            ],
        )
        .await
        .expect(422);
    let body = html(&refused);
    assert!(body.contains("href=\"#owner_person\""), "{body}");
    assert!(body.contains("exactly one owner"));
    assert!(body.contains("href=\"#agenda_item\""));
    assert!(body.contains("Agenda item must be an agenda item of this meeting."));
    assert!(body.contains("Book the room"), "the description is kept");
    assert_eq!(app.counts().await, before);

    // No owner kind chosen at all: the radios carry the problem.
    let refused = sec
        .post_form(
            &path,
            &[("csrf_token", &token), ("description", "Book the room")],
        )
        .await
        .expect(422);
    assert!(html(&refused).contains("href=\"#owner\""));
    assert_eq!(app.counts().await, before);
    assert!(meeting_actions(&app, &meeting).await.is_empty());
}

#[tokio::test]
async fn an_edit_from_a_page_someone_else_changed_shows_the_conflict_panel_and_loses_nothing() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -2).await;
    let action = app.action(&meeting, &s.ana, Some(&date_from_now(10))).await;
    let mut sec = officer(&app).await;
    let path = format!("/secretariat/actions/{}", id(&action));
    let page = sec.get(&path).await.expect(200);
    let body = html(&page);
    assert!(body.contains("FRD-1-A1"));
    assert!(body.contains("Follow up for Ana Costa"));
    assert!(body.contains("Raised as open"), "the history");
    let token = csrf_of(&page);
    let read_at = version_of(&body);

    // Someone else reassigns the action in between.
    app.patch(
        &format!("/api/v1/actions/{}", id(&action)),
        json!({"description": "Write to the minister", "owner_person_id": s.ben["id"]}),
    )
    .await
    .expect(200);
    let stored = action_json(&app, &action).await;
    let before = app.counts().await;

    let fields = [
        ("csrf_token", token.as_str()),
        ("version", read_at.as_str()),
        ("description", "Write to the prisons minister"),
        ("owner", "text"),
        ("owner_text", "Secretariat"),
        ("due_on", ""),
    ];
    let conflict = sec
        .post_form(&format!("{path}/edit"), &fields)
        .await
        .expect(409);
    let body = html(&conflict);
    assert!(body.contains("Someone else changed this"));
    assert!(body.contains("Write to the minister"), "their wording");
    assert!(body.contains("Ben Okafor"), "their owner, by name");
    assert!(
        body.contains("Write to the prisons minister"),
        "your wording, kept"
    );
    let panel = &body[body.find("id=\"conflict\"").unwrap()..];
    let panel = &panel[..panel.find("</table>").unwrap()];
    assert!(panel.contains("Ben Okafor") && panel.contains("Secretariat"));
    assert!(!panel.contains(&id(&s.ben)), "names, not ids");
    assert_eq!(
        action_json(&app, &action).await,
        stored,
        "nothing overwritten"
    );
    assert_eq!(app.counts().await, before);

    // Saving again from the conflict page keeps the person's values on purpose.
    let moved_on = version_of(&body);
    assert_eq!(moved_on, stored["version"].to_string());
    let mut fields = fields;
    fields[1].1 = &moved_on;
    sec.post_form(&format!("{path}/edit"), &fields)
        .await
        .expect(303);
    let saved = action_json(&app, &action).await;
    assert_eq!(saved["description"], "Write to the prisons minister");
    assert_eq!(saved["owner_text"], "Secretariat");
    assert!(saved["owner_person_id"].is_null());
    assert!(saved["due_on"].is_null());
}

#[tokio::test]
async fn the_edit_form_refuses_bad_values_on_their_fields_and_changes_nothing() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -2).await;
    let action = app.action(&meeting, &s.ana, None).await;
    let mut sec = officer(&app).await;
    let path = format!("/secretariat/actions/{}", id(&action));
    let page = sec.get(&path).await.expect(200);
    let token = csrf_of(&page);
    let version = version_of(&html(&page));
    let stored = action_json(&app, &action).await;

    let refused = sec
        .post_form(
            &format!("{path}/edit"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("description", "   "),
                ("owner", "organisation"),
                ("owner_organisation", ""),
                ("due_on", "next week"),
            ],
        )
        .await
        .expect(422);
    let body = html(&refused);
    assert!(body.contains("There is a problem"));
    assert!(body.contains("href=\"#due_on\""));
    assert!(body.contains("value=\"next week\""));
    assert_eq!(action_json(&app, &action).await, stored);

    let refused = sec
        .post_form(
            &format!("{path}/edit"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("description", "   "),
                ("owner", "organisation"),
                ("owner_organisation", ""),
            ],
        )
        .await
        .expect(422);
    let body = html(&refused);
    assert!(body.contains("href=\"#description\""));
    assert!(body.contains("href=\"#owner_organisation\""));
    assert_eq!(action_json(&app, &action).await, stored);
}

#[tokio::test]
async fn status_changes_notes_and_carrying_forward_are_kept_in_the_history() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -2).await;
    let action = app.action(&meeting, &s.ana, None).await;
    let mut sec = officer(&app).await;
    let path = format!("/secretariat/actions/{}", id(&action));
    let page = sec.get(&path).await.expect(200);
    let token = csrf_of(&page);

    let before = app.counts().await;
    let refused = sec
        .post_form(
            &format!("{path}/status"),
            &[
                ("csrf_token", &token),
                ("version", &version_of(&html(&page))),
                ("status", ""),
            ],
        )
        .await
        .expect(422);
    assert!(html(&refused).contains("href=\"#status\""));
    assert_eq!(app.counts().await, before);

    sec.post_form(
        &format!("{path}/status"),
        &[
            ("csrf_token", &token),
            ("version", &version_of(&html(&page))),
            ("status", "in_progress"),
            ("status_note", "Draft letter written"),
        ],
    )
    .await
    .expect(303);
    let page = sec.get(&path).await.expect(200);
    let body = html(&page);
    assert!(body.contains("has its new status"));
    assert!(body.contains("Open → In progress"));
    assert!(body.contains("Draft letter written"));

    sec.post_form(
        &format!("{path}/carry-forward"),
        &[
            ("csrf_token", &token),
            ("version", &version_of(&body)),
            ("carry_note", "Waiting for the minister"),
        ],
    )
    .await
    .expect(303);
    let body = html(&sec.get(&path).await.expect(200));
    assert!(body.contains("is carried forward"));
    assert!(body.contains("Carried forward (time 1): Waiting for the minister"));
    assert_eq!(action_json(&app, &action).await["carried_forward"], 1);

    // A form from before the last change is refused, and says why.
    let stale = sec
        .post_form(
            &format!("{path}/status"),
            &[("csrf_token", &token), ("version", "1"), ("status", "done")],
        )
        .await
        .expect(409);
    assert!(html(&stale).contains("Someone else changed this action"));
    assert_eq!(action_json(&app, &action).await["status"], "in_progress");
}

#[tokio::test]
async fn dropping_an_action_without_a_reason_is_refused_on_the_form() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -2).await;
    let action = app.action(&meeting, &s.ana, None).await;
    let mut sec = officer(&app).await;
    let path = format!("/secretariat/actions/{}", id(&action));
    let page = sec.get(&path).await.expect(200);
    let token = csrf_of(&page);
    let version = version_of(&html(&page));

    let before = app.counts().await;
    let refused = sec
        .post_form(
            &format!("{path}/drop"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("drop_reason", "  "),
            ],
        )
        .await
        .expect(409);
    let body = html(&refused);
    assert!(body.contains("There is a problem"));
    assert!(body.contains("href=\"#drop_reason\""));
    assert!(body.contains("why the action is dropped"));
    assert_eq!(app.counts().await, before);
    assert_eq!(action_json(&app, &action).await["status"], "open");

    sec.post_form(
        &format!("{path}/drop"),
        &[
            ("csrf_token", &token),
            ("version", &version),
            ("drop_reason", "Overtaken by the white paper"),
        ],
    )
    .await
    .expect(303);
    assert_eq!(action_json(&app, &action).await["status"], "dropped");
    let body = html(&sec.get(&path).await.expect(200));
    assert!(body.contains("Open → Dropped"));
    assert!(body.contains("Overtaken by the white paper"));
    assert!(
        !body.contains("Drop this action"),
        "a dropped action is not dropped again"
    );
    assert!(!body.contains("Carry forward</button>"));
}

#[tokio::test]
async fn escalation_says_clearly_when_rr3_has_no_meeting_and_works_once_it_has() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -2).await;
    let action = app.action(&meeting, &s.ana, None).await;
    let main_action = {
        let rr3_meeting = app.meeting_in(&s.rr3, -20).await;
        app.action(&rr3_meeting, &s.ben, None).await
    };
    let mut sec = officer(&app).await;
    let main_page = sec
        .get(&format!("/secretariat/actions/{}", id(&main_action)))
        .await
        .expect(200);
    assert!(
        !html(&main_page).contains("Escalate this action"),
        "only a special interest group's action is offered escalation"
    );

    let path = format!("/secretariat/actions/{}", id(&action));
    let page = sec.get(&path).await.expect(200);
    assert!(html(&page).contains("Escalate to RR3"));
    let token = csrf_of(&page);
    let version = version_of(&html(&page));
    let before = app.counts().await;
    let refused = sec
        .post_form(
            &format!("{path}/escalate"),
            &[("csrf_token", &token), ("version", &version)],
        )
        .await
        .expect(409);
    let body = html(&refused);
    assert!(body.contains("There is a problem"));
    assert!(
        body.contains(
            "RR3 has no meeting scheduled yet; schedule its next meeting, then escalate."
        ),
        "{body}"
    );
    assert!(body.contains("href=\"#escalate\""));
    assert_eq!(app.counts().await, before);

    let next_rr3 = app.meeting_in(&s.rr3, 30).await;
    sec.post_form(
        &format!("{path}/escalate"),
        &[
            ("csrf_token", &token),
            ("version", &version),
            ("escalate_note", "Needs the main group"),
        ],
    )
    .await
    .expect(303);
    assert_eq!(
        action_json(&app, &action).await["escalated_to_meeting_id"],
        next_rr3["id"]
    );
    let body = html(&sec.get(&path).await.expect(200));
    assert!(body.contains("Escalated to"));
    assert!(body.contains("RR3 meeting 2"));
    assert!(
        !body.contains("Escalate this action"),
        "escalated once only"
    );
}

/// Thirty actions across FRD and RR3, with owners, due dates and statuses.
async fn many_actions(app: &TestApp, s: &crate::helpers::FrdSig) -> (Value, Value) {
    let frd_meeting = app.meeting_in(&s.frd, -10).await;
    let rr3_meeting = app.meeting_in(&s.rr3, -5).await;
    for n in 0..20 {
        let owner = if n % 2 == 0 { &s.ana } else { &s.ben };
        app.action(&frd_meeting, owner, Some(&date_from_now(n - 5)))
            .await;
    }
    for n in 0..10 {
        app.action(&rr3_meeting, &s.ben, Some(&date_from_now(n + 1)))
            .await;
    }
    (frd_meeting, rr3_meeting)
}

#[tokio::test]
async fn the_tracker_filters_sorts_by_due_date_and_pages_both_ways() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    many_actions(&app, &s).await;
    let mut sec = officer(&app).await;

    let first = sec.get("/secretariat/actions").await.expect(200);
    let body = html(&first);
    assert_eq!(table_rows(&body), 25);
    assert!(body.contains("FRD-1-A1"), "the earliest due comes first");
    assert!(!body.contains("Previous page"));
    let next = link_to(&body, "Next page").expect("a next page");
    let second = sec.get(&next).await.expect(200);
    let body2 = html(&second);
    assert_eq!(table_rows(&body2), 5);
    assert!(body2.contains("page 2"));
    assert!(body2.contains("FRD-1-A20"), "the latest due comes last");
    assert!(link_to(&body2, "Next page").is_none());
    let back = link_to(&body2, "Previous page").expect("a previous page");
    let again = sec.get(&back).await.expect(200);
    assert_eq!(table_rows(&html(&again)), 25);
    assert!(html(&again).contains("FRD-1-A1"));

    // One group, or the main group with its SIGs.
    let frd_only = sec
        .get(&format!("/secretariat/actions?group={}", id(&s.frd)))
        .await
        .expect(200);
    assert_eq!(table_rows(&html(&frd_only)), 20);
    assert!(!html(&frd_only).contains("RR3-1-A1"));
    let rr3_only = sec
        .get(&format!("/secretariat/actions?group={}", id(&s.rr3)))
        .await
        .expect(200);
    assert_eq!(table_rows(&html(&rr3_only)), 10);
    let with_sigs = sec
        .get(&format!(
            "/secretariat/actions?group={}&include_sigs=yes",
            id(&s.rr3)
        ))
        .await
        .expect(200);
    assert_eq!(table_rows(&html(&with_sigs)), 25, "a full first page");

    // Owner, overdue, status, due range.
    let ana = sec
        .get(&format!("/secretariat/actions?owner={}", id(&s.ana)))
        .await
        .expect(200);
    assert_eq!(table_rows(&html(&ana)), 10);
    let overdue = sec
        .get("/secretariat/actions?overdue=yes")
        .await
        .expect(200);
    assert_eq!(
        table_rows(&html(&overdue)),
        5,
        "due 5, 4, 3, 2 and 1 days ago"
    );
    assert!(html(&overdue).contains("Overdue</strong>"));
    let done = sec
        .get("/secretariat/actions?status=done")
        .await
        .expect(200);
    assert!(html(&done).contains("No actions match."));
    let range = sec
        .get(&format!(
            "/secretariat/actions?due_from={}&due_to={}",
            date_from_now(1),
            date_from_now(2)
        ))
        .await
        .expect(200);
    assert_eq!(
        table_rows(&html(&range)),
        4,
        "FRD and RR3, tomorrow and the day after"
    );

    // Filters that contradict each other, or are not values at all.
    let contradictory = sec
        .get(&format!(
            "/secretariat/actions?due_from={}&due_to={}",
            date_from_now(3),
            date_from_now(1)
        ))
        .await
        .expect(422);
    let body = html(&contradictory);
    assert!(body.contains("There is a problem"));
    assert!(body.contains("href=\"#due_from\""));
    assert!(body.contains("nothing could match"));
    let nonsense = sec
        .get("/secretariat/actions?due_to=someday&status=finished")
        .await
        .expect(422);
    let body = html(&nonsense);
    assert!(body.contains("href=\"#due_to\""));
    assert!(body.contains("href=\"#status\""));
    assert!(body.contains("value=\"someday\""));
}

#[tokio::test]
async fn the_csv_download_serves_the_selection_shown() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    many_actions(&app, &s).await;
    let mut sec = officer(&app).await;
    let page = sec
        .get(&format!(
            "/secretariat/actions?group={}&owner={}",
            id(&s.frd),
            id(&s.ben)
        ))
        .await
        .expect(200);
    let body = html(&page);
    assert_eq!(table_rows(&body), 10);
    let link = link_to(&body, "Download as CSV").expect("a download link");
    let file = sec.get(&link).await.expect(200);
    assert_eq!(
        file.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    let disposition = file.header("content-disposition").unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"frd-actions-"),
        "{disposition}"
    );
    assert!(disposition.contains(".csv\""));

    let mut reader = csv::Reader::from_reader(file.body.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "reference");
    assert_eq!(&headers[2], "owner");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 10, "every row at once, not a page");
    assert!(rows.iter().all(|r| &r[2] == "Ben Okafor" && &r[5] == "FRD"));
    let dues: Vec<String> = rows.iter().map(|r| r[3].to_owned()).collect();
    let mut sorted = dues.clone();
    sorted.sort();
    assert_eq!(dues, sorted, "in the tracker's order");
}

#[tokio::test]
async fn the_overdue_digest_page_is_ready_to_copy_into_emails() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -10).await;
    app.action(&meeting, &s.ana, Some(&date_from_now(-3))).await;
    app.action(&meeting, &s.ana, Some(&date_from_now(2))).await;
    app.action(&meeting, &s.ben, Some(&date_from_now(40))).await;
    let mut sec = officer(&app).await;
    let page = sec.get("/secretariat/actions/overdue").await.expect(200);
    let body = unescape(&html(&page));
    assert!(body.contains("<h1>Overdue actions digest</h1>"));
    assert!(body.contains("<h2 id=\"owner-1\">Ana Costa</h2>"));
    assert!(body.contains("Send to: <strong>Ana Costa <ana@nacro.example></strong>"));
    assert!(body.contains("1 overdue action and 1 due this week"));
    assert!(body.contains("Dear Ana Costa,"));
    assert!(body.contains("FRD-1-A1") && body.contains("FRD-1-A2"));
    assert!(!body.contains("Ben Okafor"), "nothing of Ben's is due soon");
}

#[tokio::test]
async fn members_are_refused_every_secretariat_action_page_and_form() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -2).await;
    let action = app.action(&meeting, &s.ben, None).await;
    let mut ben = signed_in(&app, &s.ben).await;
    let token = ben.csrf().await;
    let action_path = format!("/secretariat/actions/{}", id(&action));
    for path in [
        format!("/secretariat/meetings/{}/actions", id(&meeting)),
        "/secretariat/actions".to_owned(),
        "/secretariat/actions/export.csv".to_owned(),
        "/secretariat/actions/overdue".to_owned(),
        action_path.clone(),
    ] {
        let refused = ben.get(&path).await.expect(403);
        assert!(!html(&refused).contains("Follow up for Ben"), "{path}");
    }
    let before = app.counts().await;
    let stored = action_json(&app, &action).await;
    for (path, fields) in [
        (
            format!("/secretariat/meetings/{}/actions", id(&meeting)),
            vec![
                ("description", "Sneaky"),
                ("owner", "text"),
                ("owner_text", "Me"),
            ],
        ),
        (
            format!("{action_path}/edit"),
            vec![
                ("description", "Sneaky"),
                ("owner", "text"),
                ("owner_text", "Me"),
            ],
        ),
        (format!("{action_path}/status"), vec![("status", "done")]),
        (format!("{action_path}/carry-forward"), vec![]),
        (format!("{action_path}/escalate"), vec![]),
        (format!("{action_path}/drop"), vec![("drop_reason", "No")]),
    ] {
        let mut fields = fields;
        fields.push(("csrf_token", &token));
        ben.post_form(&path, &fields).await.expect(403);
    }
    assert_eq!(app.counts().await, before);
    assert_eq!(action_json(&app, &action).await, stored);
}

#[tokio::test]
async fn the_members_actions_page_sends_the_secretariat_to_its_tracker() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -2).await;
    app.action(&meeting, &s.ben, None).await;
    let mut sec = officer(&app).await;
    let sent = sec.get("/actions").await.expect(303);
    assert_eq!(
        sent.header("location").as_deref(),
        Some("/secretariat/actions")
    );

    // A member's page: h1, then h2 before any h3.
    let mut ben = signed_in(&app, &s.ben).await;
    let page = ben.get("/actions").await.expect(200);
    let body = html(&page);
    let h1 = body.find("<h1").unwrap();
    let h2 = body.find("<h2").unwrap();
    let h3 = body.find("<h3").unwrap();
    assert!(h1 < h2 && h2 < h3, "headings in order");
    assert!(body.contains("FRD-1-A1"));
}
