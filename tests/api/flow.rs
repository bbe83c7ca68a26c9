//! The secretariat's main job, end to end, as DESIGN.md lays it out.

use poem::http::Method;
use serde_json::json;

use crate::helpers::{id, spawn_app};

#[tokio::test]
async fn the_secretariat_runs_a_sig_meeting_from_scheduling_to_actions() {
    let app = spawn_app().await;

    let clinks = app.organisation("Clinks", "secretariat").await;
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let hmpps = app.organisation("HMPPS", "hmpps").await;
    let chair = app
        .person("Ana Costa", "ana@nacro.example", &nacro["id"])
        .await;
    let member = app
        .person("Ben Okafor", "ben@nacro.example", &nacro["id"])
        .await;
    let official = app
        .person("Carys Hughes", "carys@hmpps.example", &hmpps["id"])
        .await;
    let secretary = app
        .person("Dev Patel", "dev@clinks.example", &clinks["id"])
        .await;

    let rr3 = app.main_group().await;
    assert_eq!(rr3["status"], "active");
    let frd = app.sig(&rr3, "Future Regime Design SIG", "frd").await;
    assert_eq!(frd["short_name"], "FRD", "short names are kept in capitals");
    assert_eq!(frd["parent_id"], rr3["id"]);

    app.member(&frd, &chair, "chair").await;
    app.member(&frd, &member, "member").await;
    app.member(&frd, &secretary, "secretariat").await;

    // Meetings are numbered within the group: 1, 2, …
    let first = app
        .meeting(&frd, "2026-02-12T10:00:00Z", "2026-02-12T12:00:00Z")
        .await;
    let meeting = app
        .meeting(&frd, "2026-03-12T10:00:00Z", "2026-03-12T12:00:00+00:00")
        .await;
    assert_eq!(first["number"], 1);
    assert_eq!(meeting["number"], 2);
    assert_eq!(meeting["version"], 1);
    assert_eq!(meeting["status"], "scheduled");
    let mid = id(&meeting);

    let welcome = app
        .post(
            &format!("/api/v1/meetings/{mid}/agenda-items"),
            json!({"title": "Welcome and introductions", "kind": "welcome", "visibility": "public"}),
        )
        .await
        .expect(201)
        .json();
    let presentation = app
        .post(
            &format!("/api/v1/meetings/{mid}/agenda-items"),
            json!({"title": "Future regime design: update from HMPPS", "kind": "presentation",
                   "presenter": "Carys Hughes, HMPPS", "duration_minutes": 30, "visibility": "public"}),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(welcome["position"], 1);
    assert_eq!(presentation["position"], 2);

    let invited = app
        .send(
            Method::POST,
            &format!("/api/v1/meetings/{mid}/attendance/invite-members"),
            Some(&app.secretariat),
            None,
            &[],
        )
        .await
        .expect(200)
        .json();
    assert_eq!(invited["invited"].as_array().unwrap().len(), 3);
    let official_line = app
        .post(
            &format!("/api/v1/meetings/{mid}/attendance"),
            json!({"person_id": official["id"], "role": "official"}),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(
        official_line["organisation_name"], "HMPPS",
        "the organisation is remembered"
    );
    assert_eq!(official_line["status"], "invited");

    // Ben sends apologies with his own member token, before the meeting.
    let ben_line = invited["invited"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["person_id"] == member["id"])
        .unwrap()
        .clone();
    assert_eq!(ben_line["role"], "member");
    let ben = app.member_token(&member).await;
    // The meeting is in the past by the service's clock, so answers are closed and
    // attendance is recorded instead. Record who came.
    let refused = app
        .send(
            Method::PATCH,
            &format!("/api/v1/attendance/{}", id(&ben_line)),
            Some(&ben),
            Some(json!({"status": "apologies", "reason": "Visiting a prison"})),
            &[],
        )
        .await
        .problem(409);
    assert!(refused["detail"].as_str().unwrap().contains("started"));
    let absent = app
        .patch(
            &format!("/api/v1/attendance/{}", id(&ben_line)),
            json!({"status": "absent"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(absent["status"], "absent");

    // Actions get references that name the group, meeting and action.
    let action = app
        .post(
            &format!("/api/v1/meetings/{mid}/actions"),
            json!({"description": "Share the regime design principles with members",
                   "owner_person_id": official["id"], "due_on": "2026-04-01",
                   "agenda_item_id": presentation["id"]}),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(action["reference"], "FRD-2-A1");
    assert_eq!(action["status"], "open");
    let second = app
        .post(
            &format!("/api/v1/meetings/{mid}/actions"),
            json!({"description": "Circulate the note", "owner_text": "Secretariat"}),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(second["reference"], "FRD-2-A2");

    let done = app
        .send(
            Method::PATCH,
            &format!("/api/v1/actions/{}", id(&action)),
            Some(&app.secretariat),
            Some(json!({"status": "done"})),
            &[("If-Match", "\"1\"")],
        )
        .await
        .expect(200);
    assert_eq!(done.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(done.json()["status"], "done");

    let marked = app
        .send(
            Method::POST,
            &format!("/api/v1/meetings/{mid}/mark-held"),
            Some(&app.secretariat),
            None,
            &[],
        )
        .await
        .expect(200)
        .json();
    assert_eq!(marked["status"], "held");

    // The whole meeting reads back with its agenda and register.
    let detail = app
        .get(&format!("/api/v1/meetings/{mid}"))
        .await
        .expect(200)
        .json();
    assert_eq!(detail["agenda"].as_array().unwrap().len(), 2);
    assert_eq!(detail["attendance"].as_array().unwrap().len(), 4);
    assert_eq!(detail["group_short_name"], "FRD");

    // Every change was audited.
    let audit = app.get("/api/v1/audit?limit=200").await.expect(200).json();
    let operations: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    for op in [
        "organisation.create",
        "person.create",
        "group.create",
        "membership.create",
        "meeting.schedule",
        "agenda_item.add",
        "attendance.invite_members",
        "attendance.invite",
        "attendance.update",
        "action.create",
        "action.update",
        "meeting.mark_held",
        "token.create",
    ] {
        assert!(operations.contains(&op), "{op} is audited");
    }
}

#[tokio::test]
async fn the_token_command_prints_a_token_that_works_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.path().display());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_minutebook"))
        .args([
            "token",
            "create",
            "--role",
            "secretariat",
            "--name",
            "RR3 secretariat",
        ])
        .env("DATABASE_URL", &url)
        .output()
        .expect("run minutebook");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let token = stdout.trim();
    assert_eq!(stdout.lines().count(), 1, "only the token is printed");
    assert!(token.starts_with("mb_") && token.len() == 67, "{token}");

    let db = minutebook::startup::connect_and_migrate(&url)
        .await
        .unwrap();
    let app = poem::test::TestClient::new(minutebook::startup::routes(db));
    let response = app
        .get("/api/v1/organisations")
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await;
    response.assert_status_is_ok();

    let member_without_person = std::process::Command::new(env!("CARGO_BIN_EXE_minutebook"))
        .args(["token", "create", "--role", "member", "--name", "Nobody"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(!member_without_person.status.success());
    assert!(member_without_person.stdout.is_empty());
}
