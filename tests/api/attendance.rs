//! The attendance register: invitations, answers before the meeting, attendance after.

use serde_json::{Value, json};

use crate::helpers::{date_from_now, fields, id, items, spawn_app};

fn line_of(register: &Value, person: &Value) -> Value {
    items(register)
        .into_iter()
        .find(|line| line["person_id"] == person["id"])
        .unwrap_or_else(|| panic!("{} is on the register", person["name"]))
}

#[tokio::test]
async fn inviting_the_members_invites_those_whose_term_covers_the_meeting_day_once() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, 60).await;
    let seats = format!("/api/v1/groups/{}/memberships", id(&s.frd));
    let clinks = app.organisation("Clinks", "secretariat").await;
    let mut extra = Vec::new();
    for (name, role, starts_on, ends_on) in [
        // A member today whose term ends before the meeting: not invited.
        (
            "Leaving Soon",
            "member",
            date_from_now(-100),
            Some(date_from_now(30)),
        ),
        // Not a member yet, but will be on the day: invited.
        ("Joining Soon", "co_opted", date_from_now(45), None),
        // Joins after the meeting: not invited.
        ("Joining Later", "member", date_from_now(61), None),
        // Served once and left: not invited.
        (
            "Long Gone",
            "member",
            "2024-01-01".to_owned(),
            Some("2024-12-31".to_owned()),
        ),
        ("Dev Patel", "secretariat", "2026-01-01".to_owned(), None),
    ] {
        let person = app
            .person(
                name,
                &format!("{}@example.org", name.to_lowercase().replace(' ', ".")),
                &s.nacro["id"],
            )
            .await;
        let mut body = json!({"person_id": person["id"], "role": role, "starts_on": starts_on,
                              "ends_on": ends_on});
        if name == "Dev Patel" {
            // He sits for the secretariat whatever his employer.
            body["organisation_id"] = clinks["id"].clone();
        }
        app.post(&seats, body).await.expect(201);
        extra.push(person);
    }
    // An official invited on their own beforehand.
    let hmpps = app.organisation("HMPPS", "hmpps").await;
    let carys = app
        .person("Carys Hughes", "carys@hmpps.example", &hmpps["id"])
        .await;
    let official = app
        .post(
            &format!("/api/v1/meetings/{}/attendance", id(&meeting)),
            json!({"person_id": carys["id"], "role": "official"}),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(official["role"], "official");
    assert_eq!(official["organisation_name"], "HMPPS");
    // Ana too, before the rest.
    let ana_first = app.invite(&meeting, &s.ana).await;
    assert_eq!(
        ana_first["role"], "chair",
        "the role defaults from the membership"
    );

    let invited = app.invite_members(&meeting).await;
    let names: Vec<(&str, &str, &str)> = invited["invited"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["person_name"].as_str().unwrap(),
                l["role"].as_str().unwrap(),
                l["organisation_name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Ben Okafor", "member", "Nacro"),
            ("Dev Patel", "secretariat", "Clinks"),
            ("Joining Soon", "co_opted", "Nacro"),
        ]
    );
    assert!(
        invited["invited"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["status"] == "invited")
    );
    assert_eq!(invited["already_invited"], 1, "Ana was already on it");

    // Asking again invites nobody twice.
    let before = app.count("attendance").await;
    let again = app.invite_members(&meeting).await;
    assert_eq!(again["invited"], json!([]));
    assert_eq!(again["already_invited"], 4);
    assert_eq!(app.count("attendance").await, before);

    let register = app
        .get(&format!("/api/v1/meetings/{}/attendance", id(&meeting)))
        .await
        .expect(200)
        .json();
    let names: Vec<&str> = register
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["person_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Ana Costa",
            "Ben Okafor",
            "Carys Hughes",
            "Dev Patel",
            "Joining Soon"
        ],
        "by name"
    );
}

#[tokio::test]
async fn the_same_person_cannot_be_invited_twice() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    let outsider = app
        .person("Eve Stone", "eve@example.org", &s.nacro["id"])
        .await;
    let line = app.invite(&meeting, &outsider).await;
    assert_eq!(line["role"], "guest", "not a member: a guest");
    app.invite(&meeting, &s.ben).await;

    let before = app.counts().await;
    for person in [&outsider, &s.ben] {
        let problem = app
            .post(
                &format!("/api/v1/meetings/{}/attendance", id(&meeting)),
                json!({"person_id": person["id"], "role": "presenter"}),
            )
            .await
            .problem(409);
        assert!(problem["detail"].as_str().unwrap().contains("already"));
    }
    assert_eq!(app.counts().await, before);
    // The same person on another meeting's register is fine.
    let next = app.meeting_in(&s.frd, 20).await;
    app.invite(&next, &outsider).await;
}

#[tokio::test]
async fn a_member_sends_apologies_with_a_reason_before_the_meeting() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    let register = app.invite_members(&meeting).await;
    let ben_line = line_of(&register["invited"], &s.ben);
    let path = format!("/api/v1/attendance/{}", id(&ben_line));

    let accepted = app
        .patch_as(&s.ben_token, &path, json!({"status": "accepted"}))
        .await
        .expect(200);
    assert_eq!(accepted.header("etag").as_deref(), Some("\"2\""));
    let accepted = accepted.json();
    assert_eq!(accepted["status"], "accepted");
    assert!(accepted["responded_at"].is_string());
    // Accepting twice says so.
    app.patch_as(&s.ben_token, &path, json!({"status": "accepted"}))
        .await
        .problem(409);

    // Changing one's mind before the meeting is fine.
    let apologies = app
        .send(
            poem::http::Method::PATCH,
            &path,
            Some(&s.ben_token),
            Some(json!({"status": "apologies", "reason": "Visiting HMP Brixton"})),
            &[("If-Match", "\"2\"")],
        )
        .await
        .expect(200)
        .json();
    assert_eq!(apologies["status"], "apologies");
    assert_eq!(apologies["reason"], "Visiting HMP Brixton");
    assert_eq!(apologies["version"], 3);

    // Another member sees that Ben sent apologies, but not his reason.
    let ana_token = app.member_token(&s.ana).await;
    for (token, path) in [
        (
            &ana_token,
            format!("/api/v1/meetings/{}/attendance", id(&meeting)),
        ),
        (&ana_token, format!("/api/v1/meetings/{}", id(&meeting))),
    ] {
        let body = app.get_as(token, &path).await.expect(200).json();
        let register = if body["attendance"].is_array() {
            body["attendance"].clone()
        } else {
            body
        };
        let line = line_of(&register, &s.ben);
        assert_eq!(line["status"], "apologies");
        assert_eq!(line["reason"], Value::Null, "a reason is private: {path}");
        assert!(
            !serde_json::to_string(&register)
                .unwrap()
                .contains("Brixton")
        );
    }

    // Ben and the secretariat read it in the register.
    for token in [app.secretariat.as_str(), s.ben_token.as_str()] {
        let register = app
            .get_as(
                token,
                &format!("/api/v1/meetings/{}/attendance", id(&meeting)),
            )
            .await
            .expect(200)
            .json();
        let line = line_of(&register, &s.ben);
        assert_eq!(line["status"], "apologies");
        assert_eq!(line["reason"], "Visiting HMP Brixton");
        let ana = line_of(&register, &s.ana);
        assert_eq!(ana["status"], "invited");
        assert_eq!(ana["reason"], Value::Null);
    }
    let detail = app
        .get(&format!("/api/v1/meetings/{}", id(&meeting)))
        .await
        .expect(200)
        .json();
    assert_eq!(
        line_of(&detail["attendance"], &s.ben)["status"],
        "apologies"
    );

    // A reason can be corrected while apologies stand, and removed.
    let corrected = app
        .patch_as(
            &s.ben_token,
            &path,
            json!({"reason": "Visiting HMP Pentonville"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(corrected["reason"], "Visiting HMP Pentonville");
    let cleared = app
        .patch_as(&s.ben_token, &path, json!({"reason": null}))
        .await
        .expect(200)
        .json();
    assert_eq!(cleared["reason"], Value::Null);
    assert_eq!(cleared["status"], "apologies");

    // Accepting again drops the reason.
    app.patch_as(&s.ben_token, &path, json!({"reason": "Train strike"}))
        .await
        .expect(200);
    let back = app
        .patch_as(&s.ben_token, &path, json!({"status": "accepted"}))
        .await
        .expect(200)
        .json();
    assert_eq!(back["reason"], Value::Null);
}

#[tokio::test]
async fn a_reason_goes_only_with_apologies() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    let line = app.invite(&meeting, &s.ben).await;
    let path = format!("/api/v1/attendance/{}", id(&line));
    let before = app.counts().await;
    for body in [
        json!({"status": "accepted", "reason": "Happy to come"}),
        json!({"reason": "Just because"}),
    ] {
        let problem = app.patch_as(&s.ben_token, &path, body).await.problem(422);
        assert_eq!(fields(&problem), ["reason"]);
    }
    assert_eq!(app.counts().await, before);
    let unchanged = app.get(&path).await.expect(200).json();
    assert_eq!(unchanged["status"], "invited");
    assert_eq!(unchanged["version"], 1);
}

#[tokio::test]
async fn answers_close_when_the_meeting_starts_and_attendance_is_recorded_after() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let past = app.meeting_in(&s.frd, -1).await;
    let future = app.meeting_in(&s.frd, 1).await;
    let past_register = app.invite_members(&past).await;
    let future_register = app.invite_members(&future).await;
    let ben_past = format!(
        "/api/v1/attendance/{}",
        id(&line_of(&past_register["invited"], &s.ben))
    );
    let ana_past = format!(
        "/api/v1/attendance/{}",
        id(&line_of(&past_register["invited"], &s.ana))
    );
    let ben_future = format!(
        "/api/v1/attendance/{}",
        id(&line_of(&future_register["invited"], &s.ben))
    );

    let before = app.counts().await;
    // After the start, members can no longer answer their invitation.
    for body in [
        json!({"status": "accepted"}),
        json!({"status": "apologies", "reason": "Late notice"}),
    ] {
        let problem = app
            .patch_as(&s.ben_token, &ben_past, body)
            .await
            .problem(409);
        assert!(problem["detail"].as_str().unwrap().contains("started"));
    }
    // Nor can the secretariat record an acceptance or a non-response for them.
    for status in ["accepted", "no_response"] {
        app.patch(&ben_past, json!({"status": status}))
            .await
            .problem(409);
    }
    // Before the start, attendance cannot be recorded yet.
    for status in ["attended", "absent"] {
        let problem = app
            .patch(&ben_future, json!({"status": status}))
            .await
            .problem(409);
        assert!(problem["detail"].as_str().unwrap().contains("not started"));
    }
    // Nor can an invitation be taken back.
    app.patch(&ben_future, json!({"status": "invited"}))
        .await
        .problem(409);
    assert_eq!(app.counts().await, before);

    // Apologies that reached the secretariat by email are written up afterwards.
    let late = app
        .patch(
            &ben_past,
            json!({"status": "apologies", "reason": "Train cancelled"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(late["status"], "apologies");
    assert_eq!(late["reason"], "Train cancelled");

    // After the start the secretariat records who came, and may correct it.
    let attended = app
        .patch(&ana_past, json!({"status": "attended"}))
        .await
        .expect(200)
        .json();
    assert_eq!(attended["status"], "attended");
    app.patch(&ben_past, json!({"status": "absent"}))
        .await
        .expect(200);
    let corrected = app
        .patch(
            &ben_past,
            json!({"status": "attended", "role": "presenter"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(corrected["status"], "attended");
    assert_eq!(corrected["role"], "presenter");
    // Once held, the register can still be corrected, but answers stay closed.
    app.post_empty(&format!("/api/v1/meetings/{}/mark-held", id(&past)))
        .await
        .expect(200);
    app.patch(&ben_past, json!({"status": "absent"}))
        .await
        .expect(200);
    app.patch(&ben_past, json!({"status": "accepted"}))
        .await
        .problem(409);

    // A no-response can be recorded before the meeting.
    let silent = app
        .patch(&ben_future, json!({"status": "no_response"}))
        .await
        .expect(200)
        .json();
    assert_eq!(silent["status"], "no_response");
}
