//! The action tracker: actions followed across meetings, carried forward,
//! escalated, filtered, exported and digested.

use chrono::{Duration, Utc};
use poem::http::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, id, spawn_app};

async fn raise(app: &TestApp, meeting: &Value, body: Value) -> Value {
    app.post(&format!("/api/v1/meetings/{}/actions", id(meeting)), body)
        .await
        .expect(201)
        .json()
}

async fn detail(app: &TestApp, meeting: &Value) -> Value {
    app.get(&format!("/api/v1/meetings/{}", id(meeting)))
        .await
        .expect(200)
        .json()
}

fn references(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["reference"].as_str().unwrap().to_owned())
        .collect()
}

/// A main group with a SIG, two people and the SIG's membership.
struct Setting {
    rr3: Value,
    frd: Value,
    ana: Value,
    ben: Value,
}

async fn setting(app: &TestApp) -> Setting {
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let ana = app
        .person("Ana Costa", "ana@nacro.example", &nacro["id"])
        .await;
    let ben = app
        .person("Ben Okafor", "ben@nacro.example", &nacro["id"])
        .await;
    let rr3 = app.main_group().await;
    let frd = app.sig(&rr3, "Future Regime Design SIG", "FRD").await;
    app.member(&frd, &ana, "chair").await;
    app.member(&frd, &ben, "member").await;
    app.member(&rr3, &ana, "member").await;
    Setting { rr3, frd, ana, ben }
}

#[tokio::test]
async fn open_actions_are_carried_across_three_meetings_until_closed() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let first = app
        .meeting(&s.frd, "2030-01-10T10:00:00Z", "2030-01-10T12:00:00Z")
        .await;
    let second = app
        .meeting(&s.frd, "2030-02-14T10:00:00Z", "2030-02-14T12:00:00Z")
        .await;
    assert!(
        detail(&app, &second).await["agenda"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing to carry yet"
    );

    let a1 = raise(&app, &first, json!({"description": "Write to HMPPS about release plans", "owner_person_id": s.ana["id"], "due_on": "2030-02-01"})).await;
    let a2 = raise(
        &app,
        &first,
        json!({"description": "Circulate the paper", "owner_text": "Secretariat"}),
    )
    .await;
    assert_eq!(a1["reference"], "FRD-1-A1");

    // The second meeting, already scheduled, now opens with the previous actions.
    let two = detail(&app, &second).await;
    assert_eq!(
        references(&two["previous_actions"]),
        ["FRD-1-A1", "FRD-1-A2"]
    );
    let agenda = two["agenda"].as_array().unwrap();
    assert_eq!(agenda[0]["kind"], "previous_actions");
    assert_eq!(agenda[0]["title"], "Actions from previous meetings");
    assert_eq!(agenda[0]["position"], 1);

    // At the second meeting: A1 is carried forward on purpose, A2 is done, B1 raised.
    let carried = app
        .post(
            &format!("/api/v1/actions/{}/carry-forward", id(&a1)),
            json!({"note": "Awaiting HMPPS reply"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(carried["carried_forward"], 1);
    assert_eq!(
        carried["reference"], "FRD-1-A1",
        "the reference is for life"
    );
    app.patch(
        &format!("/api/v1/actions/{}", id(&a2)),
        json!({"status": "done"}),
    )
    .await
    .expect(200);
    raise(
        &app,
        &second,
        json!({"description": "Invite the probation lead", "owner_person_id": s.ben["id"]}),
    )
    .await;

    // The third meeting, scheduled now, gets the item at once and carries A1 and B1.
    let third = app
        .meeting(&s.frd, "2030-03-14T10:00:00Z", "2030-03-14T12:00:00Z")
        .await;
    let three = detail(&app, &third).await;
    assert_eq!(
        references(&three["previous_actions"]),
        ["FRD-1-A1", "FRD-2-A1"]
    );
    assert_eq!(three["previous_actions"][0]["carried_forward"], 1);
    assert_eq!(three["previous_actions"][0]["status"], "open");
    assert_eq!(three["agenda"][0]["kind"], "previous_actions");

    // Dropping needs a reason; once dropped, A1 is carried no further.
    let before = app.count("action_status_changes").await;
    app.patch(
        &format!("/api/v1/actions/{}", id(&a1)),
        json!({"status": "dropped"}),
    )
    .await
    .problem(409);
    assert_eq!(
        app.count("action_status_changes").await,
        before,
        "nothing changed"
    );
    app.patch(
        &format!("/api/v1/actions/{}", id(&a1)),
        json!({"status": "dropped", "note": "Overtaken by the white paper"}),
    )
    .await
    .expect(200);
    assert_eq!(
        references(&detail(&app, &third).await["previous_actions"]),
        ["FRD-2-A1"]
    );
    app.post(
        &format!("/api/v1/actions/{}/carry-forward", id(&a1)),
        json!({}),
    )
    .await
    .problem(409);

    // The history says who, when, from → to, and why.
    let history = app
        .get(&format!("/api/v1/actions/{}/history", id(&a1)))
        .await
        .expect(200)
        .json();
    let steps: Vec<(Value, Value)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["from_status"].clone(), h["to_status"].clone()))
        .collect();
    assert_eq!(
        steps,
        [
            (Value::Null, json!("open")),
            (json!("open"), json!("open")),
            (json!("open"), json!("dropped"))
        ]
    );
    assert!(
        history[1]["note"]
            .as_str()
            .unwrap()
            .contains("Awaiting HMPPS reply")
    );
    assert_eq!(history[2]["note"], "Overtaken by the white paper");
    assert!(
        history[2]["actor"]
            .as_str()
            .unwrap()
            .contains("RR3 secretariat")
    );
}

#[tokio::test]
async fn a_sig_action_is_escalated_to_the_main_groups_next_meeting_and_later_ones() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let sig_meeting = app
        .meeting(&s.frd, "2029-12-10T10:00:00Z", "2029-12-10T12:00:00Z")
        .await;
    let action = raise(&app, &sig_meeting, json!({"description": "Raise remand numbers with ministers", "owner_person_id": s.ana["id"]})).await;

    // Without a main-group meeting to go to, escalation waits.
    let refused = app
        .post(
            &format!("/api/v1/actions/{}/escalate", id(&action)),
            json!({}),
        )
        .await
        .problem(409);
    assert!(refused["detail"].as_str().unwrap().contains("RR3"));

    let next = app
        .meeting(&s.rr3, "2030-01-20T10:00:00Z", "2030-01-20T12:00:00Z")
        .await;
    let later = app
        .meeting(&s.rr3, "2030-04-20T10:00:00Z", "2030-04-20T12:00:00Z")
        .await;
    let escalated = app
        .post(
            &format!("/api/v1/actions/{}/escalate", id(&action)),
            json!({"note": "Needs the main group's weight"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(escalated["escalated_to_meeting_id"], next["id"]);
    assert_eq!(
        escalated["group_id"], s.frd["id"],
        "it stays the SIG's action"
    );

    for meeting in [&next, &later] {
        let d = detail(&app, meeting).await;
        assert_eq!(references(&d["previous_actions"]), ["FRD-1-A1"]);
    }
    assert_eq!(
        detail(&app, &next).await["agenda"][0]["kind"],
        "previous_actions"
    );
    let history = app
        .get(&format!("/api/v1/actions/{}/history", id(&action)))
        .await
        .expect(200)
        .json();
    assert!(
        history[1]["note"]
            .as_str()
            .unwrap()
            .starts_with("Escalated to RR3 meeting 1")
    );

    // Once, and only for a SIG's actions.
    app.post(
        &format!("/api/v1/actions/{}/escalate", id(&action)),
        json!({}),
    )
    .await
    .problem(409);
    let main_action = raise(
        &app,
        &next,
        json!({"description": "Reply to the minister", "owner_text": "Chair"}),
    )
    .await;
    app.post(
        &format!("/api/v1/actions/{}/escalate", id(&main_action)),
        json!({}),
    )
    .await
    .problem(409);

    // Done: no longer carried.
    app.patch(
        &format!("/api/v1/actions/{}", id(&action)),
        json!({"status": "done"}),
    )
    .await
    .expect(200);
    assert_eq!(
        references(&detail(&app, &later).await["previous_actions"]),
        ["RR3-1-A1"]
    );
}

#[tokio::test]
async fn the_tracker_filters_by_group_and_its_sigs_owner_status_and_due_dates() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let sig_meeting = app
        .meeting(&s.frd, "2026-06-10T10:00:00Z", "2026-06-10T12:00:00Z")
        .await;
    let main_meeting = app
        .meeting(&s.rr3, "2026-06-20T10:00:00Z", "2026-06-20T12:00:00Z")
        .await;
    let late = raise(
        &app,
        &sig_meeting,
        json!({"description": "Late", "owner_person_id": s.ana["id"], "due_on": "2026-07-01"}),
    )
    .await;
    raise(
        &app,
        &sig_meeting,
        json!({"description": "Later", "owner_person_id": s.ben["id"], "due_on": "2099-01-01"}),
    )
    .await;
    let done = raise(
        &app,
        &main_meeting,
        json!({"description": "Done", "owner_person_id": s.ana["id"], "due_on": "2026-07-10"}),
    )
    .await;
    raise(
        &app,
        &main_meeting,
        json!({"description": "Undated", "owner_text": "All members"}),
    )
    .await;
    app.patch(
        &format!("/api/v1/actions/{}", id(&done)),
        json!({"status": "done"}),
    )
    .await
    .expect(200);

    let refs = |q: String| {
        let app = &app;
        async move {
            let list = app
                .get(&format!("/api/v1/actions?{q}"))
                .await
                .expect(200)
                .json();
            references(&list["items"])
        }
    };
    let rr3 = id(&s.rr3);
    let frd = id(&s.frd);
    let ana = id(&s.ana);
    // Sorted by due date, undated last.
    assert_eq!(
        refs("".into()).await,
        ["FRD-1-A1", "RR3-1-A1", "FRD-1-A2", "RR3-1-A2"]
    );
    assert_eq!(
        refs(format!("group_id={rr3}")).await,
        ["RR3-1-A1", "RR3-1-A2"]
    );
    assert_eq!(
        refs(format!("group_id={rr3}&include_sigs=true")).await,
        ["FRD-1-A1", "RR3-1-A1", "FRD-1-A2", "RR3-1-A2"]
    );
    assert_eq!(
        refs(format!("group_id={frd}")).await,
        ["FRD-1-A1", "FRD-1-A2"]
    );
    assert_eq!(
        refs(format!("owner_person_id={ana}")).await,
        ["FRD-1-A1", "RR3-1-A1"]
    );
    assert_eq!(refs("status=done".into()).await, ["RR3-1-A1"]);
    assert_eq!(refs("due_before=2026-07-05".into()).await, ["FRD-1-A1"]);
    assert_eq!(
        refs("due_after=2026-07-01&due_before=2026-07-10".into()).await,
        ["FRD-1-A1", "RR3-1-A1"]
    );
    assert_eq!(refs("overdue=true".into()).await, ["FRD-1-A1"]);
    let overdue = app
        .get("/api/v1/actions?overdue=true")
        .await
        .expect(200)
        .json();
    assert_eq!(overdue["items"][0]["id"], late["id"]);
    assert_eq!(overdue["items"][0]["overdue"], true);
}

#[tokio::test]
async fn bad_tracker_input_is_refused_with_a_clear_problem_and_changes_nothing() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let meeting = app
        .meeting(&s.frd, "2026-06-10T10:00:00Z", "2026-06-10T12:00:00Z")
        .await;
    let action = raise(
        &app,
        &meeting,
        json!({"description": "Write", "owner_person_id": s.ana["id"]}),
    )
    .await;

    for path in ["/api/v1/actions", "/api/v1/actions.csv"] {
        app.get(&format!("{path}?status=finished"))
            .await
            .problem(400);
        app.get(&format!("{path}?due_before=next-week"))
            .await
            .problem(400);
        let conflict = app
            .get(&format!(
                "{path}?due_after=2026-08-01&due_before=2026-07-01"
            ))
            .await
            .problem(422);
        assert_eq!(conflict["errors"][0]["field"], "due_after");
        let conflict = app
            .get(&format!("{path}?overdue=true&status=done"))
            .await
            .problem(422);
        assert_eq!(conflict["errors"][0]["field"], "overdue");
        let conflict = app
            .get(&format!("{path}?include_sigs=true"))
            .await
            .problem(422);
        assert_eq!(conflict["errors"][0]["field"], "include_sigs");
    }
    app.get("/api/v1/actions/overdue-digest?format=xml")
        .await
        .problem(422);

    let actions = app.count("action_items").await;
    let steps = app.count("action_status_changes").await;
    let events = app.count("audit_events").await;
    app.post(
        &format!("/api/v1/meetings/{}/actions", id(&meeting)),
        json!({"description": "X", "owner_text": "All", "due_on": "soon"}),
    )
    .await
    .problem(422);
    app.patch(
        &format!("/api/v1/actions/{}", id(&action)),
        json!({"status": "finished"}),
    )
    .await
    .problem(422);
    app.post(
        &format!("/api/v1/actions/{}/carry-forward", id(&action)),
        json!({"note": "x".repeat(2001)}),
    )
    .await
    .problem(422);
    app.send(
        Method::POST,
        &format!("/api/v1/actions/{}/carry-forward", id(&action)),
        Some(&app.secretariat),
        Some(json!({})),
        &[("If-Match", "\"7\"")],
    )
    .await
    .problem(412);
    app.post(
        &format!("/api/v1/actions/{}/escalate", crate::helpers::unknown_id()),
        json!({}),
    )
    .await
    .problem(404);
    assert_eq!(app.count("action_items").await, actions);
    assert_eq!(app.count("action_status_changes").await, steps);
    assert_eq!(app.count("audit_events").await, events);
    let unchanged = app
        .get(&format!("/api/v1/actions/{}", id(&action)))
        .await
        .expect(200)
        .json();
    assert_eq!(unchanged["carried_forward"], 0);
    assert_eq!(unchanged["version"], 1);
}

#[tokio::test]
async fn the_csv_export_holds_every_row_and_quotes_commas_quotes_and_line_breaks() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let meeting = app
        .meeting(&s.frd, "2026-06-10T10:00:00Z", "2026-06-10T12:00:00Z")
        .await;
    let tricky = "Write to MoJ, HMPPS about \"release on temporary licence\"\nand report back";
    raise(&app, &meeting, json!({"description": tricky, "owner_text": "All members, \"co-opted\" too", "due_on": "2026-07-01"})).await;
    raise(&app, &meeting, json!({"description": "=HYPERLINK(\"http://evil.example\")", "owner_person_id": s.ana["id"], "due_on": "2026-07-02"})).await;
    // More than one page of the JSON list.
    for n in 0..53 {
        raise(&app, &meeting, json!({"description": format!("Routine action {n}"), "owner_person_id": s.ben["id"], "due_on": "2099-01-01"})).await;
    }

    let reply = app.get("/api/v1/actions.csv").await.expect(200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        reply
            .header("content-disposition")
            .unwrap()
            .contains("filename=\"actions-")
    );
    let mut reader = csv::Reader::from_reader(reply.body.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "reference",
            "description",
            "owner",
            "due_on",
            "status",
            "group",
            "meeting_number",
            "carried_forward",
            "overdue"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 55, "every action, not one page");
    assert_eq!(&rows[0][0], "FRD-1-A1");
    assert_eq!(&rows[0][1], tricky);
    assert_eq!(&rows[0][2], "All members, \"co-opted\" too");
    assert_eq!(&rows[0][3], "2026-07-01");
    assert_eq!(&rows[0][4], "open");
    assert_eq!(&rows[0][5], "FRD");
    assert_eq!(&rows[0][6], "1");
    assert_eq!(&rows[0][7], "0");
    assert_eq!(&rows[0][8], "yes");
    assert_eq!(
        &rows[1][1], "'=HYPERLINK(\"http://evil.example\")",
        "formulas stay text"
    );
    assert_eq!(&rows[1][2], "Ana Costa");

    // The same filters as the list.
    let filtered = app
        .get(&format!(
            "/api/v1/actions.csv?owner_person_id={}",
            id(&s.ana)
        ))
        .await
        .expect(200);
    let mut reader = csv::Reader::from_reader(filtered.body.as_slice());
    assert_eq!(reader.records().count(), 1);
}

#[tokio::test]
async fn members_see_and_update_only_the_actions_they_own() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let meeting = app
        .meeting(&s.frd, "2030-06-10T10:00:00Z", "2030-06-10T12:00:00Z")
        .await;
    app.meeting(&s.rr3, "2030-07-10T10:00:00Z", "2030-07-10T12:00:00Z")
        .await;
    let hers = raise(
        &app,
        &meeting,
        json!({"description": "Ana's", "owner_person_id": s.ana["id"]}),
    )
    .await;
    let his = raise(
        &app,
        &meeting,
        json!({"description": "Ben's", "owner_person_id": s.ben["id"]}),
    )
    .await;
    let ben = app.member_token(&s.ben).await;
    let as_ben = |method: Method, path: String, body: Option<Value>| {
        let app = &app;
        let ben = ben.clone();
        async move { app.send(method, &path, Some(&ben), body, &[]).await }
    };

    let listed = as_ben(Method::GET, "/api/v1/actions".into(), None)
        .await
        .expect(200)
        .json();
    assert_eq!(references(&listed["items"]), ["FRD-1-A2"]);
    let csv = as_ben(Method::GET, "/api/v1/actions.csv".into(), None)
        .await
        .expect(200);
    let mut reader = csv::Reader::from_reader(csv.body.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], "FRD-1-A2");
    let d = as_ben(
        Method::GET,
        format!("/api/v1/meetings/{}", id(&meeting)),
        None,
    )
    .await
    .expect(200)
    .json();
    assert!(d["previous_actions"].as_array().unwrap().is_empty());

    // His own: status and a progress note, nothing else.
    let updated = as_ben(
        Method::PATCH,
        format!("/api/v1/actions/{}", id(&his)),
        Some(json!({"status": "in_progress", "note": "Drafted"})),
    )
    .await
    .expect(200)
    .json();
    assert_eq!(updated["status"], "in_progress");
    as_ben(
        Method::PATCH,
        format!("/api/v1/actions/{}", id(&his)),
        Some(json!({"description": "Smaller"})),
    )
    .await
    .problem(403);
    as_ben(
        Method::PATCH,
        format!("/api/v1/actions/{}", id(&hers)),
        Some(json!({"status": "done"})),
    )
    .await
    .problem(403);
    as_ben(Method::GET, format!("/api/v1/actions/{}", id(&hers)), None)
        .await
        .problem(403);
    as_ben(
        Method::GET,
        format!("/api/v1/actions/{}/history", id(&hers)),
        None,
    )
    .await
    .problem(403);

    // The secretariat's tools stay the secretariat's.
    as_ben(
        Method::POST,
        format!("/api/v1/actions/{}/carry-forward", id(&his)),
        Some(json!({})),
    )
    .await
    .problem(403);
    as_ben(
        Method::POST,
        format!("/api/v1/actions/{}/escalate", id(&his)),
        Some(json!({})),
    )
    .await
    .problem(403);
    as_ben(Method::GET, "/api/v1/actions/overdue-digest".into(), None)
        .await
        .problem(403);
    let after = app
        .get(&format!("/api/v1/actions/{}", id(&his)))
        .await
        .expect(200)
        .json();
    assert_eq!(after["carried_forward"], 0);
    assert!(after["escalated_to_meeting_id"].is_null());
}

#[tokio::test]
async fn the_overdue_digest_gives_each_owner_their_overdue_and_due_this_week_actions() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let meeting = app
        .meeting(&s.frd, "2026-06-10T10:00:00Z", "2026-06-10T12:00:00Z")
        .await;
    let today = Utc::now().date_naive();
    let day = |n: i64| (today + Duration::days(n)).format("%Y-%m-%d").to_string();
    raise(
        &app,
        &meeting,
        json!({"description": "Overdue one", "owner_person_id": s.ana["id"], "due_on": day(-3)}),
    )
    .await;
    raise(
        &app,
        &meeting,
        json!({"description": "Due soon", "owner_person_id": s.ana["id"], "due_on": day(2)}),
    )
    .await;
    raise(
        &app,
        &meeting,
        json!({"description": "Due today", "owner_person_id": s.ben["id"], "due_on": day(0)}),
    )
    .await;
    raise(
        &app,
        &meeting,
        json!({"description": "Far off", "owner_person_id": s.ben["id"], "due_on": day(20)}),
    )
    .await;
    let done = raise(
        &app,
        &meeting,
        json!({"description": "Done late", "owner_person_id": s.ben["id"], "due_on": day(-5)}),
    )
    .await;
    raise(
        &app,
        &meeting,
        json!({"description": "Everyone's", "owner_text": "All members", "due_on": day(-1)}),
    )
    .await;
    app.patch(
        &format!("/api/v1/actions/{}", id(&done)),
        json!({"status": "done"}),
    )
    .await
    .expect(200);

    let digest = app
        .get("/api/v1/actions/overdue-digest")
        .await
        .expect(200)
        .json();
    let digest = digest.as_array().unwrap();
    assert_eq!(digest.len(), 3, "{digest:?}");
    // Owners in name order: "All members", Ana Costa, Ben Okafor.
    assert_eq!(digest[0]["owner"], json!({"text": "All members"}));
    assert_eq!(
        digest[1]["owner"],
        json!({"person_id": s.ana["id"], "name": "Ana Costa", "email": "ana@nacro.example"})
    );
    assert_eq!(references(&digest[1]["overdue"]), ["FRD-1-A1"]);
    assert_eq!(references(&digest[1]["due_this_week"]), ["FRD-1-A2"]);
    assert_eq!(digest[1]["subject"], "1 overdue action and 1 due this week");
    let body = digest[1]["body"].as_str().unwrap();
    assert!(body.starts_with("Dear Ana Costa,"));
    assert!(
        body.contains("FRD-1-A1")
            && body.contains("3 days overdue")
            && body.contains("Overdue one")
    );
    assert!(body.contains("Due this week:\n- FRD-1-A2"));
    assert!(references(&digest[2]["overdue"]).is_empty());
    assert_eq!(
        references(&digest[2]["due_this_week"]),
        ["FRD-1-A3"],
        "not the far-off or done ones"
    );

    let text = app
        .get("/api/v1/actions/overdue-digest?format=text")
        .await
        .expect(200);
    assert!(
        text.header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    let text = String::from_utf8(text.body).unwrap();
    assert!(text.contains("To: Ana Costa <ana@nacro.example>\nSubject: 1 overdue action and 1 due this week\n\nDear Ana Costa,"));
    assert!(text.contains("To: All members (not a person: send it on)"));
}
