//! Invitations and the register: the secretariat's pages at
//! `/secretariat/meetings/:id/register` and `/secretariat/attendance/:id/edit`, and the
//! API operation that records a whole register in one request.

use serde_json::{Value, json};

use crate::helpers::{TestApp, fields, id, items, spawn_app};
use crate::visitor::{error_summary, html, location, secretariat_visitor, signed_in};

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

// ---------------------------------------------------------------------------
// The pages

fn register_path(meeting: &Value) -> String {
    format!("/secretariat/meetings/{}/register", id(meeting))
}

async fn register_of(app: &TestApp, meeting: &Value) -> Value {
    app.get(&format!("/api/v1/meetings/{}/attendance", id(meeting)))
        .await
        .expect(200)
        .json()
}

#[tokio::test]
async fn the_secretariat_invites_members_and_an_official_and_sees_every_answer() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let hmpps = app.organisation("HMPPS", "hmpps").await;
    let carys = app
        .person("Carys Hughes", "carys@hmpps.example", &hmpps["id"])
        .await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    let path = register_path(&meeting);
    let page = html(&rachel.get(&path).await.expect(200));
    assert!(page.contains("Nobody has been invited yet."));
    assert!(page.contains("aria-current=\"page\">Invitations and register</a>"));
    assert!(
        page.contains("The meeting has not started yet; attendance can be recorded once it has."),
        "no register form before the meeting"
    );

    let reply = rachel
        .submit(&format!("{path}/invite-members"), &[])
        .await
        .expect(303);
    assert_eq!(location(&reply), path);
    let page = html(&rachel.get(&path).await.expect(200));
    assert!(page.contains("2 members were invited."), "{page}");
    assert!(page.contains("Ana Costa") && page.contains("Ben Okafor"));

    // Pressed again, nobody is invited twice.
    let reply = rachel
        .submit(&format!("{path}/invite-members"), &[])
        .await
        .expect(303);
    let page = html(&rachel.get(&location(&reply)).await.expect(200));
    assert!(page.contains("Nobody new was invited; 2 were already on the register."));

    let reply = rachel
        .submit(
            &format!("{path}/invite"),
            &[("person_id", &id(&carys)), ("role", "official")],
        )
        .await
        .expect(303);
    let page = html(&rachel.get(&location(&reply)).await.expect(200));
    assert!(page.contains("Carys Hughes was invited as official."));
    assert!(page.contains("HMPPS"));

    // Ben answers with apologies; the secretariat sees his reason.
    let ben_line = line_of(&register_of(&app, &meeting).await, "Ben Okafor");
    app.patch_as(
        &s.ben_token,
        &format!("/api/v1/attendance/{}", id(&ben_line)),
        json!({"status": "apologies", "reason": "Visiting HMP Brixton"}),
    )
    .await
    .expect(200);
    let page = html(&rachel.get(&path).await.expect(200));
    assert!(page.contains("Reason: Visiting HMP Brixton"));
    assert!(page.contains("3 people on the register: 1 sent apologies, 2 not answered."));
}

#[tokio::test]
async fn an_invitation_with_problems_comes_back_with_them_and_changes_nothing() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    app.invite(&meeting, &s.ben).await;
    let path = format!("{}/invite", register_path(&meeting));
    let before = app.counts().await;

    let reply = rachel.submit(&path, &[("role", "guest")]).await.expect(422);
    assert_eq!(error_summary(&reply), ["Choose the person to invite"]);
    assert!(html(&reply).contains("<title>Error: "));

    let reply = rachel
        .submit(&path, &[("person_id", &id(&s.ben)), ("role", "presenter")])
        .await
        .expect(409);
    assert_eq!(
        error_summary(&reply),
        ["Ben Okafor is already on this meeting&#39;s register."]
    );
    let page = html(&reply);
    assert!(
        page.contains(&format!("value=\"{}\" selected", id(&s.ben))),
        "the choice is kept"
    );
    assert!(page.contains("value=\"presenter\" selected"));
    assert_eq!(app.counts().await, before);
}

#[tokio::test]
async fn apologies_are_recorded_on_someones_behalf_with_their_reason() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    app.invite_members(&meeting).await;
    let ana = line_of(&register_of(&app, &meeting).await, "Ana Costa");
    let edit = format!("/secretariat/attendance/{}/edit", id(&ana));
    let form = html(&rachel.get(&edit).await.expect(200));
    assert!(form.contains("Ana Costa’s answer"));
    assert!(form.contains("name=\"version\" value=\"1\""));
    let before = app.counts().await;

    // No answer chosen; a reason with an acceptance.
    let reply = rachel
        .submit(&edit, &[("version", "1"), ("role", "chair")])
        .await
        .expect(422);
    assert_eq!(
        error_summary(&reply),
        ["Choose their answer or whether they attended"]
    );
    let reply = rachel
        .submit(
            &edit,
            &[
                ("version", "1"),
                ("status", "accepted"),
                ("reason", "On leave"),
                ("role", "chair"),
            ],
        )
        .await
        .expect(422);
    assert_eq!(error_summary(&reply), ["A reason goes with apologies."]);
    assert!(html(&reply).contains("On leave</textarea>"), "kept");
    assert_eq!(app.counts().await, before, "nothing changed");

    let reply = rachel
        .submit(
            &edit,
            &[
                ("version", "1"),
                ("status", "apologies"),
                ("reason", "On leave"),
                ("role", "chair"),
            ],
        )
        .await
        .expect(303);
    let page = html(&rachel.get(&location(&reply)).await.expect(200));
    assert!(page.contains("Ana Costa is recorded as “Apologies”."));
    assert!(page.contains("Reason: On leave"));
    let now = line_of(&register_of(&app, &meeting).await, "Ana Costa");
    assert_eq!(now["status"], "apologies");
    assert_eq!(now["reason"], "On leave");
}

#[tokio::test]
async fn a_stale_answer_shows_both_versions_and_overwrites_nothing() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    app.invite_members(&meeting).await;
    let ben = line_of(&register_of(&app, &meeting).await, "Ben Okafor");
    let edit = format!("/secretariat/attendance/{}/edit", id(&ben));
    rachel.get(&edit).await.expect(200);
    // Ben accepts meanwhile.
    app.patch_as(
        &s.ben_token,
        &format!("/api/v1/attendance/{}", id(&ben)),
        json!({"status": "accepted"}),
    )
    .await
    .expect(200);
    let reply = rachel
        .submit(
            &edit,
            &[
                ("version", "1"),
                ("status", "apologies"),
                ("reason", "Told us by phone"),
                ("role", "member"),
            ],
        )
        .await
        .expect(409);
    let page = html(&reply);
    assert!(page.contains("Someone else changed this while you were editing"));
    assert!(page.contains("Attending"), "what Ben said");
    assert!(page.contains("Told us by phone</textarea>"), "mine, kept");
    assert!(page.contains("name=\"version\" value=\"2\""));
    assert_eq!(
        line_of(&register_of(&app, &meeting).await, "Ben Okafor")["status"],
        "accepted"
    );
}

/// The fields of the whole-register form for these lines and choices.
fn register_form(lines: &[(&Value, &str)]) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (line, status) in lines {
        fields.push(("line".to_owned(), id(line)));
        fields.push((format!("version-{}", id(line)), line["version"].to_string()));
        if !status.is_empty() {
            fields.push((format!("status-{}", id(line)), (*status).to_owned()));
        }
    }
    fields
}

fn as_pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test]
async fn the_whole_register_is_recorded_in_one_form() {
    let app = spawn_app().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let (_, meeting, register) = yesterdays_meeting(&app).await;
    let path = register_path(&meeting);
    let page = html(&rachel.get(&path).await.expect(200));
    assert!(page.contains("Record who attended"));
    let ana = line_of(&register, "Ana Costa");
    let ben = line_of(&register, "Ben Okafor");
    let carys = line_of(&register, "Carys Hughes");
    assert!(
        page.contains(&format!(
            "name=\"status-{}\" value=\"apologies\" checked",
            id(&carys)
        )),
        "apologies start as they are"
    );
    let audited = app.count("audit_events").await;

    let fields = register_form(&[(&ana, "attended"), (&ben, "absent"), (&carys, "apologies")]);
    let reply = rachel
        .submit(&format!("{path}/record"), &as_pairs(&fields))
        .await
        .expect(303);
    let page = html(&rachel.get(&location(&reply)).await.expect(200));
    assert!(
        page.contains(
            "The register was saved: 3 people on the register: 1 attended, 1 absent, 1 sent apologies."
        ),
        "{page}"
    );
    let now = register_of(&app, &meeting).await;
    assert_eq!(line_of(&now, "Ana Costa")["status"], "attended");
    assert_eq!(line_of(&now, "Ben Okafor")["status"], "absent");
    assert_eq!(line_of(&now, "Carys Hughes")["status"], "apologies");
    assert_eq!(
        line_of(&now, "Carys Hughes")["reason"],
        "At the spending review"
    );
    assert_eq!(
        app.count("audit_events").await,
        audited + 2,
        "one event per line that changed"
    );
}

#[tokio::test]
async fn a_register_form_with_a_line_missing_or_refused_changes_nothing() {
    let app = spawn_app().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let (s, meeting, register) = yesterdays_meeting(&app).await;
    let path = format!("{}/record", register_path(&meeting));
    let ana = line_of(&register, "Ana Costa");
    let ben = line_of(&register, "Ben Okafor");
    let carys = line_of(&register, "Carys Hughes");
    let other = app.meeting_in(&s.frd, -3).await;
    let stranger = items(&app.invite_members(&other).await["invited"])[0].clone();
    let tomorrow = app.meeting_in(&s.frd, 1).await;
    let lines = items(&app.invite_members(&tomorrow).await["invited"]);
    let before = app.counts().await;

    // Ben's line is left without a choice.
    let fields = register_form(&[(&ana, "attended"), (&ben, ""), (&carys, "absent")]);
    let reply = rachel.submit(&path, &as_pairs(&fields)).await.expect(422);
    assert_eq!(
        error_summary(&reply),
        ["Choose whether Ben Okafor attended, was absent or sent apologies"]
    );
    let page = html(&reply);
    assert!(page.contains(&format!("href=\"#status-{}\"", id(&ben))));
    assert!(
        page.contains(&format!(
            "name=\"status-{}\" value=\"absent\" checked",
            id(&carys)
        )),
        "the choices made are kept"
    );

    // A line of another meeting's register.
    let fields = register_form(&[(&ana, "attended"), (&stranger, "attended")]);
    let reply = rachel.submit(&path, &as_pairs(&fields)).await.expect(422);
    assert_eq!(
        error_summary(&reply).len(),
        1,
        "{:?}",
        error_summary(&reply)
    );
    assert_eq!(
        error_summary(&reply),
        ["This person is not on this meeting&#39;s register."]
    );

    // Before the meeting has started, every line is refused and named.
    let fields = register_form(&[(&lines[0], "attended"), (&lines[1], "absent")]);
    let reply = rachel
        .submit(
            &format!("{}/record", register_path(&tomorrow)),
            &as_pairs(&fields),
        )
        .await
        .expect(409);
    assert_eq!(
        error_summary(&reply),
        [
            "Ana Costa: the meeting has not started yet; attendance can be recorded once it has.",
            "Ben Okafor: the meeting has not started yet; attendance can be recorded once it has."
        ]
    );
    assert_eq!(app.counts().await, before, "nothing changed");
    for line in items(&register_of(&app, &tomorrow).await) {
        assert_eq!(line["status"], "invited");
    }
    for line in items(&register_of(&app, &meeting).await) {
        assert_ne!(line["status"], "attended");
    }
}

#[tokio::test]
async fn a_register_line_changed_since_the_page_was_read_is_named_and_nothing_is_saved() {
    let app = spawn_app().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let (_, meeting, register) = yesterdays_meeting(&app).await;
    let ana = line_of(&register, "Ana Costa");
    let ben = line_of(&register, "Ben Okafor");
    // Someone else records Ana as absent meanwhile.
    app.patch(
        &format!("/api/v1/attendance/{}", id(&ana)),
        json!({"status": "absent"}),
    )
    .await
    .expect(200);
    let before = app.counts().await;
    let fields = register_form(&[(&ana, "attended"), (&ben, "attended")]);
    let reply = rachel
        .submit(
            &format!("{}/record", register_path(&meeting)),
            &as_pairs(&fields),
        )
        .await
        .expect(409);
    let summary = error_summary(&reply);
    assert_eq!(summary.len(), 1, "{summary:?}");
    assert!(summary[0].starts_with("Ana Costa: someone else changed this line"));
    assert!(summary[0].contains("“Absent”"));
    let page = html(&reply);
    assert!(page.contains(&format!("name=\"version-{}\" value=\"2\"", id(&ana))));
    assert!(
        page.contains(&format!(
            "name=\"status-{}\" value=\"attended\" checked",
            id(&ana)
        )),
        "the choice is kept"
    );
    assert_eq!(app.counts().await, before);
    assert_eq!(
        line_of(&register_of(&app, &meeting).await, "Ben Okafor")["status"],
        "invited"
    );
}

#[tokio::test]
async fn members_are_refused_every_register_page_and_form() {
    let app = spawn_app().await;
    let (s, meeting, register) = yesterdays_meeting(&app).await;
    let ben = line_of(&register, "Ben Okafor");
    let mut member = signed_in(&app, &s.ben).await;
    for path in [
        register_path(&meeting),
        format!("/secretariat/attendance/{}/edit", id(&ben)),
    ] {
        let page = html(&member.get(&path).await.expect(403));
        assert!(page.contains("This page is for the secretariat"), "{path}");
        assert!(!page.contains("At the spending review"), "{path}");
    }
    let before = app.counts().await;
    let record = register_form(&[(&ben, "attended")]);
    let ana = id(&s.ana);
    let ben_id = id(&ben);
    for (path, fields) in [
        (
            format!("{}/invite-members", register_path(&meeting)),
            vec![],
        ),
        (
            format!("{}/invite", register_path(&meeting)),
            vec![("person_id", ana.as_str())],
        ),
        (
            format!("{}/record", register_path(&meeting)),
            as_pairs(&record),
        ),
        (
            format!("/secretariat/attendance/{ben_id}/edit"),
            vec![("status", "attended"), ("version", "1"), ("role", "member")],
        ),
    ] {
        member.submit(&path, &fields).await.expect(403);
    }
    assert_eq!(app.counts().await, before, "nothing changed");
}

#[tokio::test]
async fn a_cancelled_meetings_register_is_kept_as_it_was_and_takes_no_invitations() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    app.invite(&meeting, &s.ana).await;
    app.post(
        &format!("/api/v1/meetings/{}/cancel", id(&meeting)),
        json!({"reason": "The chair is unwell"}),
    )
    .await
    .expect(200);
    let path = register_path(&meeting);
    let page = html(&rachel.get(&path).await.expect(200));
    assert!(page.contains("The meeting was cancelled and can no longer change."));
    assert!(!page.contains("Invite all current members"));

    let before = app.counts().await;
    let reply = rachel
        .submit(&format!("{path}/invite-members"), &[])
        .await
        .expect(409);
    assert_eq!(
        error_summary(&reply),
        ["The meeting was cancelled and can no longer change."]
    );
    assert!(
        html(&reply).contains("id=\"invite-members\""),
        "the summary's link lands on the refused button"
    );
    assert_eq!(app.counts().await, before, "Ben was not invited");
}
