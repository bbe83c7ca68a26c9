//! Meetings: numbering, place, rescheduling, the lifecycle, postponing, and the agenda.

use poem::http::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, days_from_now, fields, id, items, spawn_app, unknown_id};

fn numbers(list: &Value) -> Vec<i64> {
    items(list)
        .iter()
        .map(|m| m["number"].as_i64().unwrap())
        .collect()
}

async fn postpone(app: &TestApp, meeting: &Value, body: Value) -> crate::helpers::Reply {
    app.post(&format!("/api/v1/meetings/{}/postpone", id(meeting)), body)
        .await
}

#[tokio::test]
async fn meetings_are_numbered_per_group_and_numbers_are_never_reused() {
    let app = spawn_app().await;
    let rr3 = app.main_group().await;
    let frd = app.sig(&rr3, "Future Regime Design SIG", "FRD").await;

    let first = app.meeting_in(&frd, 10).await;
    let second = app.meeting_in(&frd, 20).await;
    let third = app.meeting_in(&frd, 30).await;
    assert_eq!(
        [&first, &second, &third].map(|m| m["number"].as_i64().unwrap()),
        [1, 2, 3]
    );
    // Another group counts from 1 on its own.
    assert_eq!(app.meeting_in(&rr3, 15).await["number"], 1);
    assert_eq!(app.meeting_in(&rr3, 45).await["number"], 2);

    // Postponing to new times makes a new meeting with the next number; the old one
    // keeps its own.
    let moved = postpone(
        &app,
        &second,
        json!({"starts_at": days_from_now(40, 10), "ends_at": days_from_now(40, 12)}),
    )
    .await
    .expect(200)
    .json();
    assert_eq!(moved["postponed"]["number"], 2);
    assert_eq!(moved["postponed"]["status"], "postponed");
    assert_eq!(moved["replacement"]["number"], 4);
    assert_eq!(moved["replacement"]["status"], "scheduled");

    // A cancelled meeting keeps its number too, and it is not handed out again.
    app.post(
        &format!("/api/v1/meetings/{}/cancel", id(&third)),
        json!({"reason": "Not quorate"}),
    )
    .await
    .expect(200);
    assert_eq!(app.meeting_in(&frd, 50).await["number"], 5);

    let listed = app
        .get(&format!("/api/v1/groups/{}/meetings", id(&frd)))
        .await
        .expect(200)
        .json();
    assert_eq!(numbers(&listed), [1, 2, 3, 4, 5], "in time order");
    let statuses: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "scheduled",
            "postponed",
            "cancelled",
            "scheduled",
            "scheduled"
        ]
    );
    let scheduled = app
        .get(&format!(
            "/api/v1/groups/{}/meetings?status=scheduled",
            id(&frd)
        ))
        .await
        .expect(200)
        .json();
    assert_eq!(numbers(&scheduled), [1, 4, 5]);
}

#[tokio::test]
async fn a_meeting_may_leave_its_place_and_link_to_be_confirmed_but_a_link_must_be_a_web_address() {
    let app = spawn_app().await;
    let rr3 = app.main_group().await;
    let path = format!("/api/v1/groups/{}/meetings", id(&rr3));
    let at = |mode: &str, place: Value| {
        let mut body = json!({"title": "Quarterly meeting", "starts_at": "2026-12-03T10:00:00Z",
                              "ends_at": "2026-12-03T12:00:00Z", "mode": mode});
        body.as_object_mut()
            .unwrap()
            .extend(place.as_object().unwrap().clone());
        body
    };
    let before = app.counts().await;
    for body in [
        at("online", json!({"joining_link": "meet.example.org/rr3"})),
        at(
            "hybrid",
            json!({"location": "Clink Street", "joining_link": "ftp://x"}),
        ),
        at("in_person", json!({"location": "x".repeat(501)})),
    ] {
        let problem = app.post(&path, body.clone()).await.problem(422);
        let expected = if body["mode"] == "in_person" {
            "location"
        } else {
            "joining_link"
        };
        assert_eq!(fields(&problem), [expected], "{body}");
    }
    assert_eq!(app.counts().await, before);

    // Either may be to be confirmed while the meeting is scheduled, whatever the mode:
    // the room of a hybrid meeting is booked before its call is set up.
    let hybrid = app
        .post(&path, at("hybrid", json!({"location": "102 Petty France"})))
        .await
        .expect(201)
        .json();
    assert_eq!(hybrid["location"], "102 Petty France");
    assert_eq!(hybrid["joining_link"], Value::Null);
    assert_eq!(hybrid["time_zone"], "Europe/London", "the default zone");
    let unplaced = app
        .post(&path, at("in_person", json!({"joining_link": "   "})))
        .await
        .expect(201)
        .json();
    assert_eq!(unplaced["location"], Value::Null);
    assert_eq!(
        unplaced["joining_link"],
        Value::Null,
        "a blank link is no link"
    );
    let dublin = app
        .post(
            &path,
            at(
                "hybrid",
                json!({"location": "Clink Street", "joining_link": "https://meet.example.org/rr3",
                       "time_zone": "Europe/Dublin"}),
            ),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(dublin["time_zone"], "Europe/Dublin");

    // The link comes later, and can be taken away again.
    let linked = app
        .patch(
            &format!("/api/v1/meetings/{}", id(&hybrid)),
            json!({"joining_link": "https://meet.example.org/rr3"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(linked["joining_link"], "https://meet.example.org/rr3");
    let problem = app
        .patch(
            &format!("/api/v1/meetings/{}", id(&hybrid)),
            json!({"joining_link": "not a link"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["joining_link"]);
    let online = app
        .patch(
            &format!("/api/v1/meetings/{}", id(&hybrid)),
            json!({"mode": "online", "location": null}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(online["location"], Value::Null);
    assert_eq!(online["mode"], "online");
    let unlinked = app
        .patch(
            &format!("/api/v1/meetings/{}", id(&hybrid)),
            json!({"joining_link": null}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(unlinked["joining_link"], Value::Null);
}

#[tokio::test]
async fn rescheduling_raises_the_calendar_sequence_and_the_version() {
    let app = spawn_app().await;
    let rr3 = app.main_group().await;
    let meeting = app.meeting_in(&rr3, 20).await;
    assert_eq!(meeting["schedule_sequence"], 0);
    let path = format!("/api/v1/meetings/{}", id(&meeting));

    let moved = app
        .patch_if_match(
            &path,
            json!({"starts_at": days_from_now(21, 14), "ends_at": days_from_now(21, 16)}),
            "\"1\"",
        )
        .await
        .expect(200);
    assert_eq!(moved.header("etag").as_deref(), Some("\"2\""));
    let moved = moved.json();
    assert_eq!(moved["schedule_sequence"], 1);
    assert_eq!(moved["version"], 2);
    assert_eq!(
        moved["starts_at"].as_str().unwrap(),
        days_from_now(21, 14).replace('Z', "+00:00")
    );

    // A new title is not a move: calendars need not update.
    let renamed = app
        .patch(
            &path,
            json!({"title": "Quarterly meeting: probation reform"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(renamed["schedule_sequence"], 1);
    assert_eq!(renamed["version"], 3);

    // A new place is a move.
    let relinked = app
        .patch(
            &path,
            json!({"joining_link": "https://meet.example.org/new"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(relinked["schedule_sequence"], 2);
    assert_eq!(relinked["version"], 4);

    // Times with an offset are stored in UTC.
    let offset = app
        .patch(
            &path,
            json!({"starts_at": "2027-06-10T10:00:00+01:00", "ends_at": "2027-06-10T12:00:00+01:00"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(offset["starts_at"], "2027-06-10T09:00:00+00:00");
    assert_eq!(offset["schedule_sequence"], 3);

    let audit = app
        .get(&format!("/api/v1/audit?entity_id={}", id(&meeting)))
        .await
        .expect(200)
        .json();
    let operations: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        operations,
        [
            "meeting.schedule",
            "meeting.reschedule",
            "meeting.update",
            "meeting.reschedule",
            "meeting.reschedule"
        ]
    );
}

#[tokio::test]
async fn a_cancelled_meeting_cannot_be_held_moved_or_added_to() {
    let app = spawn_app().await;
    let rr3 = app.main_group().await;
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let ana = app
        .person("Ana Costa", "ana@nacro.example", &nacro["id"])
        .await;
    let meeting = app.meeting_in(&rr3, -5).await;
    let item = app.agenda_item(&meeting, "Welcome", "public").await;
    let mid = id(&meeting);

    let cancelled = app
        .post(
            &format!("/api/v1/meetings/{mid}/cancel"),
            json!({"reason": "The minister's visit was moved"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["status_reason"], "The minister's visit was moved");
    assert_eq!(cancelled["schedule_sequence"], 1, "calendars learn of it");

    let before = app.counts().await;
    let refusals: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::POST,
            format!("/api/v1/meetings/{mid}/mark-held"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/meetings/{mid}/cancel"),
            Some(json!({})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/meetings/{mid}"),
            Some(json!({"starts_at": days_from_now(5, 10), "ends_at": days_from_now(5, 12)})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/meetings/{mid}"),
            Some(json!({"title": "Rescued"})),
        ),
        (
            Method::POST,
            format!("/api/v1/meetings/{mid}/postpone"),
            Some(json!({"starts_at": days_from_now(5, 10), "ends_at": days_from_now(5, 12)})),
        ),
        (
            Method::POST,
            format!("/api/v1/meetings/{mid}/agenda-items"),
            Some(json!({"title": "AOB", "kind": "aob", "visibility": "public"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/agenda-items/{}", id(&item)),
            Some(json!({"title": "Hello"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/meetings/{mid}/agenda-items/order"),
            Some(json!({"agenda_item_ids": [id(&item)]})),
        ),
        (
            Method::POST,
            format!("/api/v1/meetings/{mid}/actions"),
            Some(json!({"description": "Rebook the room", "owner_text": "Secretariat"})),
        ),
        (
            Method::POST,
            format!("/api/v1/meetings/{mid}/attendance"),
            Some(json!({"person_id": ana["id"]})),
        ),
        (
            Method::POST,
            format!("/api/v1/meetings/{mid}/attendance/invite-members"),
            None,
        ),
    ];
    for (method, path, body) in refusals {
        let reply = app
            .send(method.clone(), &path, Some(&app.secretariat), body, &[])
            .await;
        assert_eq!(
            reply.status.as_u16(),
            409,
            "{method} {path}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        let problem = reply.problem(409);
        assert!(
            problem["detail"].as_str().unwrap().contains("cancelled"),
            "{path}: {problem}"
        );
    }
    app.delete(&format!("/api/v1/agenda-items/{}", id(&item)))
        .await
        .problem(409);
    assert_eq!(app.counts().await, before, "nothing changed");
    let detail = app
        .get(&format!("/api/v1/meetings/{mid}"))
        .await
        .expect(200)
        .json();
    assert_eq!(detail["meeting"]["status"], "cancelled");
    assert_eq!(detail["agenda"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_meeting_is_marked_held_only_once_it_has_started() {
    let app = spawn_app().await;
    let rr3 = app.main_group().await;
    let future = app.meeting_in(&rr3, 1).await;
    let past = app.meeting_in(&rr3, -1).await;

    let before = app.counts().await;
    let problem = app
        .post_empty(&format!("/api/v1/meetings/{}/mark-held", id(&future)))
        .await
        .problem(409);
    assert!(problem["detail"].as_str().unwrap().contains("not started"));
    assert_eq!(app.counts().await, before);

    let path = format!("/api/v1/meetings/{}/mark-held", id(&past));
    let held = app.post_empty(&path).await.expect(200).json();
    assert_eq!(held["status"], "held");
    assert_eq!(held["schedule_sequence"], 0);
    app.post_empty(&path).await.problem(409);
    // A held meeting cannot be cancelled, postponed or moved.
    app.post(&format!("/api/v1/meetings/{}/cancel", id(&past)), json!({}))
        .await
        .problem(409);
    postpone(
        &app,
        &past,
        json!({"starts_at": days_from_now(3, 10), "ends_at": days_from_now(3, 12)}),
    )
    .await
    .problem(409);
    app.patch(
        &format!("/api/v1/meetings/{}", id(&past)),
        json!({"starts_at": days_from_now(-2, 10), "ends_at": days_from_now(-2, 12)}),
    )
    .await
    .problem(409);
    // Its agenda can still be corrected.
    app.agenda_item(&past, "Any other business", "public").await;
}

#[tokio::test]
async fn a_meeting_postponed_to_a_later_meeting_points_to_it() {
    let app = spawn_app().await;
    let rr3 = app.main_group().await;
    let acc = app.sig(&rr3, "Accommodation SIG", "ACC").await;
    let earlier = app.meeting_in(&rr3, 5).await;
    let march = app.meeting_in(&rr3, 10).await;
    let april = app.meeting_in(&rr3, 40).await;
    let elsewhere = app.meeting_in(&acc, 60).await;
    let cancelled = app.meeting_in(&rr3, 70).await;
    app.post(
        &format!("/api/v1/meetings/{}/cancel", id(&cancelled)),
        json!({}),
    )
    .await
    .expect(200);

    let before = app.counts().await;
    for target in [&earlier, &march, &elsewhere, &cancelled] {
        let problem = postpone(&app, &march, json!({"to_meeting_id": target["id"]}))
            .await
            .problem(422);
        assert_eq!(fields(&problem), ["to_meeting_id"]);
    }
    // Either a meeting or new times, not both and not neither.
    for body in [
        json!({}),
        json!({"starts_at": days_from_now(30, 10)}),
        json!({"to_meeting_id": april["id"], "starts_at": days_from_now(30, 10),
               "ends_at": days_from_now(30, 12)}),
    ] {
        let problem = postpone(&app, &march, body).await.problem(422);
        assert_eq!(fields(&problem), ["to_meeting_id"]);
    }
    assert_eq!(app.counts().await, before);

    let moved = postpone(
        &app,
        &march,
        json!({"to_meeting_id": april["id"], "reason": "Budget announcement"}),
    )
    .await
    .expect(200)
    .json();
    assert_eq!(moved["postponed"]["status"], "postponed");
    assert_eq!(moved["postponed"]["postponed_to_id"], april["id"]);
    assert_eq!(moved["postponed"]["status_reason"], "Budget announcement");
    assert_eq!(moved["replacement"]["id"], april["id"]);
    assert_eq!(
        moved["replacement"]["version"], 1,
        "the later meeting is untouched"
    );
    // No meeting was made.
    assert_eq!(app.count("meetings").await, 5);
    // A postponed meeting is final.
    postpone(&app, &march, json!({"to_meeting_id": april["id"]}))
        .await
        .problem(409);
}

#[tokio::test]
async fn a_meeting_postponed_to_new_times_takes_its_agenda_and_invitations_along() {
    let app = spawn_app().await;
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
    let meeting = app.meeting_in(&frd, 14).await;
    app.agenda_item(&meeting, "Welcome", "public").await;
    app.agenda_item(&meeting, "Regime principles", "members")
        .await;
    app.agenda_item(&meeting, "Budget", "secretariat").await;
    let register = app.invite_members(&meeting).await;
    let ben_line = items(&register["invited"])
        .into_iter()
        .find(|l| l["person_id"] == ben["id"])
        .unwrap();
    let ben_token = app.member_token(&ben).await;
    app.patch_as(
        &ben_token,
        &format!("/api/v1/attendance/{}", id(&ben_line)),
        json!({"status": "apologies", "reason": "On leave"}),
    )
    .await
    .expect(200);

    let moved = postpone(
        &app,
        &meeting,
        json!({"starts_at": days_from_now(28, 13), "ends_at": days_from_now(28, 15),
               "reason": "Clashes with the spending review"}),
    )
    .await
    .expect(200)
    .json();
    let replacement = &moved["replacement"];
    assert_eq!(replacement["number"], 2);
    assert_eq!(replacement["title"], meeting["title"]);
    assert_eq!(replacement["mode"], meeting["mode"]);
    assert_eq!(replacement["joining_link"], meeting["joining_link"]);
    assert_eq!(replacement["time_zone"], meeting["time_zone"]);
    assert_eq!(moved["postponed"]["postponed_to_id"], replacement["id"]);

    let old = app
        .get(&format!("/api/v1/meetings/{}", id(&meeting)))
        .await
        .expect(200)
        .json();
    let new = app
        .get(&format!("/api/v1/meetings/{}", id(replacement)))
        .await
        .expect(200)
        .json();
    let agenda = |detail: &Value| -> Vec<(i64, String, String)> {
        items(&detail["agenda"])
            .iter()
            .map(|i| {
                (
                    i["position"].as_i64().unwrap(),
                    i["title"].as_str().unwrap().to_owned(),
                    i["visibility"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(agenda(&new), agenda(&old));
    assert_eq!(agenda(&new).len(), 3);
    let old_ids: Vec<Value> = items(&old["agenda"])
        .iter()
        .map(|i| i["id"].clone())
        .collect();
    assert!(
        items(&new["agenda"])
            .iter()
            .all(|i| !old_ids.contains(&i["id"])),
        "the items are copies"
    );
    // Everyone is invited again and must answer again; the old answers stay put.
    let answers = |detail: &Value| -> Vec<(String, String)> {
        items(&detail["attendance"])
            .iter()
            .map(|l| {
                (
                    l["person_name"].as_str().unwrap().to_owned(),
                    l["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        answers(&new),
        [
            ("Ana Costa".to_owned(), "invited".to_owned()),
            ("Ben Okafor".to_owned(), "invited".to_owned())
        ]
    );
    assert_eq!(
        answers(&old),
        [
            ("Ana Costa".to_owned(), "invited".to_owned()),
            ("Ben Okafor".to_owned(), "apologies".to_owned())
        ]
    );
    let new_ben = items(&new["attendance"])
        .into_iter()
        .find(|l| l["person_id"] == ben["id"])
        .unwrap();
    assert_eq!(new_ben["reason"], Value::Null);
    assert_eq!(new_ben["role"], "member");
    // Ben can answer the new invitation.
    app.patch_as(
        &ben_token,
        &format!("/api/v1/attendance/{}", id(&new_ben)),
        json!({"status": "accepted"}),
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn agenda_items_are_added_inserted_reordered_and_removed_without_gaps() {
    let app = spawn_app().await;
    let rr3 = app.main_group().await;
    let meeting = app.meeting_in(&rr3, 10).await;
    let other = app.meeting_in(&rr3, 20).await;
    let foreign = app.agenda_item(&other, "Elsewhere", "public").await;
    let list_path = format!("/api/v1/meetings/{}/agenda-items", id(&meeting));
    let read = |list: Value| -> Vec<String> {
        items(&list)
            .iter()
            .enumerate()
            .map(|(n, i)| {
                assert_eq!(i["position"].as_i64().unwrap(), n as i64 + 1, "no gaps");
                i["title"].as_str().unwrap().to_owned()
            })
            .collect()
    };

    let welcome = app.agenda_item(&meeting, "Welcome", "public").await;
    let update = app.agenda_item(&meeting, "HMPPS update", "public").await;
    let aob = app.agenda_item(&meeting, "AOB", "public").await;
    assert_eq!(
        [&welcome, &update, &aob].map(|i| i["position"].as_i64().unwrap()),
        [1, 2, 3]
    );

    // Inserting at a position moves the rest down; past the end means at the end.
    let actions = app
        .post(
            &list_path,
            json!({"title": "Previous actions", "kind": "previous_actions",
                   "visibility": "members", "position": 2}),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(actions["position"], 2);
    let last = app
        .post(
            &list_path,
            json!({"title": "Close", "kind": "aob", "visibility": "public", "position": 99}),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(last["position"], 5);
    assert_eq!(
        read(app.get(&list_path).await.expect(200).json()),
        [
            "Welcome",
            "Previous actions",
            "HMPPS update",
            "AOB",
            "Close"
        ]
    );
    let problem = app
        .post(
            &list_path,
            json!({"title": "Zero", "kind": "aob", "visibility": "public", "position": 0}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["position"]);

    // A new order must name every item of the meeting exactly once.
    let order_path = format!("{list_path}/order");
    let all = [&welcome, &actions, &update, &aob, &last].map(id);
    let before = app.counts().await;
    for bad in [
        vec![
            all[0].clone(),
            all[1].clone(),
            all[2].clone(),
            all[3].clone(),
        ],
        vec![
            all[0].clone(),
            all[1].clone(),
            all[2].clone(),
            all[3].clone(),
            all[4].clone(),
            all[4].clone(),
        ],
        vec![
            all[0].clone(),
            all[1].clone(),
            all[2].clone(),
            all[3].clone(),
            id(&foreign),
        ],
        vec![
            all[0].clone(),
            all[1].clone(),
            all[2].clone(),
            all[3].clone(),
            unknown_id(),
        ],
        vec![],
    ] {
        let problem = app
            .put(&order_path, json!({"agenda_item_ids": bad}))
            .await
            .problem(422);
        assert_eq!(fields(&problem), ["agenda_item_ids"]);
    }
    assert_eq!(app.counts().await, before);

    let reordered = app
        .put(
            &order_path,
            json!({"agenda_item_ids": [all[4], all[0], all[2], all[1], all[3]]}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(
        read(reordered),
        [
            "Close",
            "Welcome",
            "HMPPS update",
            "Previous actions",
            "AOB"
        ]
    );

    // Removing an item closes the gap.
    app.delete(&format!("/api/v1/agenda-items/{}", id(&welcome)))
        .await
        .expect(204);
    app.get(&format!("/api/v1/agenda-items/{}", id(&welcome)))
        .await
        .problem(404);
    assert_eq!(
        read(app.get(&list_path).await.expect(200).json()),
        ["Close", "HMPPS update", "Previous actions", "AOB"]
    );
    let moved = app
        .get(&format!("/api/v1/agenda-items/{}", id(&aob)))
        .await
        .expect(200)
        .json();
    assert_eq!(moved["position"], 4);
    // The other meeting's agenda was never touched.
    let untouched = app
        .get(&format!("/api/v1/agenda-items/{}", id(&foreign)))
        .await
        .expect(200)
        .json();
    assert_eq!(untouched["position"], 1);
    assert_eq!(untouched["version"], 1);
}

#[tokio::test]
async fn members_see_public_and_members_items_but_never_the_secretariats() {
    let app = spawn_app().await;
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let ben = app
        .person("Ben Okafor", "ben@nacro.example", &nacro["id"])
        .await;
    let rr3 = app.main_group().await;
    app.member(&rr3, &ben, "member").await;
    let meeting = app.meeting_in(&rr3, 10).await;
    app.agenda_item(&meeting, "Welcome", "public").await;
    let briefing = app
        .agenda_item(&meeting, "Handling the minister", "secretariat")
        .await;
    let members_only = app
        .agenda_item(&meeting, "Regime principles", "members")
        .await;
    let token = app.member_token(&ben).await;

    let titles = |list: &Value| -> Vec<String> {
        items(list)
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let seen = app
        .get_as(
            &token,
            &format!("/api/v1/meetings/{}/agenda-items", id(&meeting)),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(titles(&seen), ["Welcome", "Regime principles"]);
    let detail = app
        .get_as(&token, &format!("/api/v1/meetings/{}", id(&meeting)))
        .await
        .expect(200);
    assert!(!String::from_utf8_lossy(&detail.body).contains("Handling the minister"));
    assert_eq!(
        titles(&detail.json()["agenda"]),
        ["Welcome", "Regime principles"]
    );
    app.get_as(&token, &format!("/api/v1/agenda-items/{}", id(&briefing)))
        .await
        .problem(404);
    app.get_as(
        &token,
        &format!("/api/v1/agenda-items/{}", id(&members_only)),
    )
    .await
    .expect(200);

    // The secretariat sees the whole agenda.
    let all = app
        .get(&format!("/api/v1/meetings/{}/agenda-items", id(&meeting)))
        .await
        .expect(200)
        .json();
    assert_eq!(
        titles(&all),
        ["Welcome", "Handling the minister", "Regime principles"]
    );
}
