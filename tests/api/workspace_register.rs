//! Invitations and the register: the secretariat's pages at
//! `/secretariat/meetings/:id/register` and `/secretariat/attendance/:id/edit`, and the
//! API operation that records a whole register in one request.

use serde_json::{Value, json};

use crate::helpers::{TestApp, fields, id, items, spawn_app};

fn line_of(register: &Value, name: &str) -> Value {
    items(register)
        .into_iter()
        .find(|line| line["person_name"] == name)
        .unwrap_or_else(|| panic!("{name} is on the register"))
}

/// A meeting of FRD that started yesterday, with Ana and Ben invited and Carys
/// (an official from HMPPS) invited as a guest who sent apologies.
async fn yesterdays_meeting(app: &TestApp) -> (crate::helpers::FrdSig, Value, Value) {
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -1).await;
    app.invite_members(&meeting).await;
    let hmpps = app.organisation("HMPPS", "hmpps").await;
    let carys = app
        .person("Carys Hughes", "carys@hmpps.example", &hmpps["id"])
        .await;
    let line = app.invite(&meeting, &carys).await;
    app.patch(
        &format!("/api/v1/attendance/{}", id(&line)),
        json!({"status": "apologies", "reason": "At the spending review"}),
    )
    .await
    .expect(200);
    let register = app
        .get(&format!("/api/v1/meetings/{}/attendance", id(&meeting)))
        .await
        .expect(200)
        .json();
    (s, meeting, register)
}

fn record_path(meeting: &Value) -> String {
    format!("/api/v1/meetings/{}/attendance/record", id(meeting))
}

#[tokio::test]
async fn the_api_records_a_whole_register_in_one_request_and_audits_each_line() {
    let app = spawn_app().await;
    let (_, meeting, register) = yesterdays_meeting(&app).await;
    let ana = line_of(&register, "Ana Costa");
    let ben = line_of(&register, "Ben Okafor");
    let carys = line_of(&register, "Carys Hughes");
    let audited = app.count("audit_events").await;

    let recorded = app
        .post(
            &record_path(&meeting),
            json!({"lines": [
                {"attendance_id": id(&ana), "status": "attended", "version": ana["version"]},
                {"attendance_id": id(&ben), "status": "absent"},
                {"attendance_id": id(&carys), "status": "apologies"},
            ]}),
        )
        .await
        .expect(200)
        .json();
    let lines = items(&recorded);
    let statuses: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["person_name"].as_str().unwrap(),
                l["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("Ana Costa", "attended"),
            ("Ben Okafor", "absent"),
            ("Carys Hughes", "apologies")
        ]
    );
    let carys_now = line_of(&recorded, "Carys Hughes");
    assert_eq!(carys_now["reason"], "At the spending review", "kept");
    assert_eq!(carys_now["version"], carys["version"], "left as it was");
    assert_eq!(line_of(&recorded, "Ana Costa")["version"], 2);
    // One audit event per line that changed, under the line.
    assert_eq!(app.count("audit_events").await, audited + 2);
    let trail = app
        .get(&format!(
            "/api/v1/audit?entity=attendance&entity_id={}",
            id(&ben)
        ))
        .await
        .expect(200)
        .json();
    let last = items(&trail).pop().expect("an event for Ben's line");
    assert_eq!(last["operation"], "attendance.record");

    // Correcting one line later is the same request with one line.
    let corrected = app
        .post(
            &record_path(&meeting),
            json!({"lines": [{"attendance_id": id(&ben), "status": "attended"}]}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(line_of(&corrected, "Ben Okafor")["status"], "attended");
}

#[tokio::test]
async fn a_register_naming_a_line_of_another_meeting_is_refused_whole_with_422() {
    let app = spawn_app().await;
    let (s, meeting, register) = yesterdays_meeting(&app).await;
    let other = app.meeting_in(&s.frd, -2).await;
    let stranger = items(&app.invite_members(&other).await["invited"])[0].clone();
    let ana = line_of(&register, "Ana Costa");
    let before = app.counts().await;

    let problem = app
        .post(
            &record_path(&meeting),
            json!({"lines": [
                {"attendance_id": id(&ana), "status": "attended"},
                {"attendance_id": id(&stranger), "status": "attended"},
                {"attendance_id": id(&ana), "status": "absent"},
            ]}),
        )
        .await
        .problem(422);
    assert_eq!(
        fields(&problem),
        ["lines[1].attendance_id", "lines[2].attendance_id"]
    );
    // Values that do not fit the schema, and an empty register.
    for body in [
        json!({"lines": [{"attendance_id": id(&ana), "status": "present"}]}),
        json!({"lines": []}),
        json!({"lines": [{"attendance_id": "not an id", "status": "attended"}]}),
    ] {
        app.post(&record_path(&meeting), body).await.problem(422);
    }
    assert_eq!(app.counts().await, before, "nothing changed");
    assert_eq!(
        line_of(
            &app.get(&format!("/api/v1/meetings/{}/attendance", id(&meeting)))
                .await
                .json(),
            "Ana Costa"
        )["status"],
        "invited"
    );
}

#[tokio::test]
async fn attendance_before_the_meeting_starts_is_refused_with_409_naming_the_person() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, 3).await;
    let invited = app.invite_members(&meeting).await;
    let lines: Vec<Value> = items(&invited["invited"])
        .iter()
        .map(|l| json!({"attendance_id": id(l), "status": "attended"}))
        .collect();
    let before = app.counts().await;
    let problem = app
        .post(&record_path(&meeting), json!({"lines": lines}))
        .await
        .problem(409);
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("lines[0] (Ana Costa)") && detail.contains("has not started"),
        "{detail}"
    );
    assert_eq!(app.counts().await, before, "nothing changed");
}

#[tokio::test]
async fn a_line_changed_since_it_was_read_refuses_the_register_with_412() {
    let app = spawn_app().await;
    let (_, meeting, register) = yesterdays_meeting(&app).await;
    let ana = line_of(&register, "Ana Costa");
    let ben = line_of(&register, "Ben Okafor");
    app.post(
        &record_path(&meeting),
        json!({"lines": [{"attendance_id": id(&ana), "status": "absent"}]}),
    )
    .await
    .expect(200);
    let before = app.counts().await;
    app.post(
        &record_path(&meeting),
        json!({"lines": [
            {"attendance_id": id(&ben), "status": "attended", "version": ben["version"]},
            {"attendance_id": id(&ana), "status": "attended", "version": ana["version"]},
        ]}),
    )
    .await
    .problem(412);
    assert_eq!(app.counts().await, before, "nothing changed");
}

#[tokio::test]
async fn a_member_cannot_record_a_register_even_their_own_line() {
    let app = spawn_app().await;
    let (s, meeting, register) = yesterdays_meeting(&app).await;
    let ben = line_of(&register, "Ben Okafor");
    let before = app.counts().await;
    app.send(
        poem::http::Method::POST,
        &record_path(&meeting),
        Some(&s.ben_token),
        Some(json!({"lines": [{"attendance_id": id(&ben), "status": "attended"}]})),
        &[],
    )
    .await
    .problem(403);
    assert_eq!(app.counts().await, before);
}
