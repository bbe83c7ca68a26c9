//! Action items: references, owners, the status lifecycle and its history, and the
//! tracker's filters and order.

use serde_json::{Value, json};

use crate::helpers::{TestApp, date_from_now, fields, id, items, spawn_app};

async fn raise(app: &TestApp, meeting: &Value, body: Value) -> crate::helpers::Reply {
    app.post(&format!("/api/v1/meetings/{}/actions", id(meeting)), body)
        .await
}

fn references(list: &Value) -> Vec<String> {
    items(list)
        .iter()
        .map(|a| a["reference"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn references_name_the_group_meeting_and_action_and_are_never_reused() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let first = app.meeting_in(&s.frd, -30).await;
    let second = app.meeting_in(&s.frd, -2).await;
    let main = app.meeting_in(&s.rr3, -10).await;

    let mut raised = Vec::new();
    for meeting in [&first, &first, &second, &first, &main, &second] {
        let action = raise(
            &app,
            meeting,
            json!({"description": "Share the paper", "owner_text": "Secretariat"}),
        )
        .await
        .expect(201);
        assert_eq!(
            action.header("location"),
            Some(format!("/api/v1/actions/{}", id(&action.json())))
        );
        raised.push(action.json()["reference"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        raised,
        [
            "FRD-1-A1", "FRD-1-A2", "FRD-2-A1", "FRD-1-A3", "RR3-1-A1", "FRD-2-A2"
        ]
    );

    // A refused action takes no number.
    raise(&app, &first, json!({"description": "No owner"}))
        .await
        .problem(422);
    let next = raise(
        &app,
        &first,
        json!({"description": "Write to the minister", "owner_person_id": s.ana["id"]}),
    )
    .await
    .expect(201)
    .json();
    assert_eq!(next["reference"], "FRD-1-A4");

    // Renaming the group changes new references only: old ones are for life.
    app.patch(
        &format!("/api/v1/groups/{}", id(&s.frd)),
        json!({"short_name": "FRDS"}),
    )
    .await
    .expect(200);
    let renamed = raise(
        &app,
        &first,
        json!({"description": "Book the room", "owner_text": "Secretariat"}),
    )
    .await
    .expect(201)
    .json();
    assert_eq!(renamed["reference"], "FRDS-1-A5");

    let listed = app
        .get(&format!("/api/v1/meetings/{}/actions", id(&first)))
        .await
        .expect(200)
        .json();
    assert_eq!(
        references(&listed),
        ["FRD-1-A1", "FRD-1-A2", "FRD-1-A3", "FRD-1-A4", "FRDS-1-A5"]
    );
    let all = app
        .get("/api/v1/actions?limit=200")
        .await
        .expect(200)
        .json();
    let mut all = references(&all);
    all.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(all.len(), before, "no reference is handed out twice");
}

#[tokio::test]
async fn an_action_has_exactly_one_owner() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -3).await;
    let hmpps = app.organisation("HMPPS", "hmpps").await;
    let before = app.counts().await;
    for owners in [
        json!({}),
        json!({"owner_text": "   "}),
        json!({"owner_person_id": s.ana["id"], "owner_text": "All members"}),
        json!({"owner_person_id": s.ana["id"], "owner_organisation_id": hmpps["id"]}),
        json!({"owner_person_id": s.ana["id"], "owner_organisation_id": hmpps["id"],
               "owner_text": "All members"}),
    ] {
        let mut body = json!({"description": "Draft the response", "due_on": "2026-12-01"});
        body.as_object_mut()
            .unwrap()
            .extend(owners.as_object().unwrap().clone());
        let problem = raise(&app, &meeting, body).await.problem(422);
        assert_eq!(fields(&problem), ["owner_person_id"], "{owners}");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("exactly one owner")
        );
    }
    assert_eq!(app.counts().await, before, "nothing was created");

    let by_organisation = raise(
        &app,
        &meeting,
        json!({"description": "Send the data", "owner_organisation_id": hmpps["id"]}),
    )
    .await
    .expect(201)
    .json();
    assert_eq!(by_organisation["owner_organisation_id"], hmpps["id"]);
    let path = format!("/api/v1/actions/{}", id(&by_organisation));
    // Changing the owner replaces it; two at once is refused.
    let problem = app
        .patch(
            &path,
            json!({"owner_person_id": s.ben["id"], "owner_text": "Ben and Ana"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["owner_person_id"]);
    let reassigned = app
        .patch(&path, json!({"owner_person_id": s.ben["id"]}))
        .await
        .expect(200)
        .json();
    assert_eq!(reassigned["owner_person_id"], s.ben["id"]);
    assert_eq!(reassigned["owner_organisation_id"], Value::Null);
    assert_eq!(reassigned["owner_text"], Value::Null);
    // Now Ben owns it, so he may read it.
    app.get_as(&s.ben_token, &path).await.expect(200);
}

#[tokio::test]
async fn an_agenda_item_of_another_meeting_is_refused_and_nothing_is_created() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -3).await;
    let other = app.meeting_in(&s.frd, -40).await;
    let here = app
        .agenda_item(&meeting, "Regime principles", "public")
        .await;
    let there = app.agenda_item(&other, "Budget", "public").await;

    let before = app.counts().await;
    let problem = raise(
        &app,
        &meeting,
        json!({"description": "Follow up", "owner_person_id": s.ana["id"],
               "agenda_item_id": there["id"]}),
    )
    .await
    .problem(422);
    assert_eq!(fields(&problem), ["agenda_item_id"]);
    assert_eq!(app.counts().await, before);

    let action = raise(
        &app,
        &meeting,
        json!({"description": "Follow up", "owner_person_id": s.ana["id"],
               "agenda_item_id": here["id"]}),
    )
    .await
    .expect(201)
    .json();
    assert_eq!(action["agenda_item_id"], here["id"]);
    assert_eq!(action["reference"], "FRD-1-A1");
    assert_eq!(action["group_id"], s.frd["id"]);

    // Removing the agenda item keeps the action and its reference.
    app.delete(&format!("/api/v1/agenda-items/{}", id(&here)))
        .await
        .expect(204);
    let kept = app
        .get(&format!("/api/v1/actions/{}", id(&action)))
        .await
        .expect(200)
        .json();
    assert_eq!(kept["reference"], "FRD-1-A1");
    assert_eq!(kept["agenda_item_id"], Value::Null);
}

#[tokio::test]
async fn every_status_change_is_kept_with_who_made_it_and_why() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -3).await;
    let action = app.action(&meeting, &s.ben, Some("2027-01-15")).await;
    assert_eq!(action["status"], "open");
    let path = format!("/api/v1/actions/{}", id(&action));

    app.patch_as(
        &s.ben_token,
        &path,
        json!({"status": "in_progress", "note": "Draft with HMPPS"}),
    )
    .await
    .expect(200);
    // A note alone is kept as progress, with no change of status.
    let noted = app
        .patch_as(&s.ben_token, &path, json!({"note": "Waiting for figures"}))
        .await
        .expect(200)
        .json();
    assert_eq!(noted["status"], "in_progress");
    let done = app
        .patch_if_match(&path, json!({"status": "done", "note": "Sent"}), "\"3\"")
        .await
        .expect(200)
        .json();
    assert_eq!(done["status"], "done");
    assert_eq!(done["version"], 4);

    let history = app
        .get_as(&s.ben_token, &format!("{path}/history"))
        .await
        .expect(200)
        .json();
    let steps: Vec<(Value, &str, Value, &str)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["from_status"].clone(),
                h["to_status"].as_str().unwrap(),
                h["note"].clone(),
                h["actor"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(steps.len(), 4, "{history}");
    assert_eq!(steps[0].0, Value::Null);
    assert_eq!(steps[0].1, "open");
    assert_eq!(
        steps[1..]
            .iter()
            .map(|(from, to, note, _)| (from.as_str().unwrap(), *to, note.as_str().unwrap()))
            .collect::<Vec<_>>(),
        [
            ("open", "in_progress", "Draft with HMPPS"),
            ("in_progress", "in_progress", "Waiting for figures"),
            ("in_progress", "done", "Sent"),
        ]
    );
    for (step, who) in [
        (0, "secretariat"),
        (1, "Ben Okafor"),
        (2, "Ben Okafor"),
        (3, "secretariat"),
    ] {
        assert!(steps[step].3.contains(who), "{:?}", steps[step]);
    }
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["changed_at"].is_string())
    );
    // A change of description alone adds nothing to the status history.
    app.patch(&path, json!({"description": "Send the figures to HMPPS"}))
        .await
        .expect(200);
    let history = app.get(&format!("{path}/history")).await.expect(200).json();
    assert_eq!(history.as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn dropping_an_action_needs_a_note_saying_why() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -3).await;
    let action = app.action(&meeting, &s.ben, None).await;
    let path = format!("/api/v1/actions/{}", id(&action));

    let before = app.counts().await;
    for body in [
        json!({"status": "dropped"}),
        json!({"status": "dropped", "note": "   "}),
        json!({"status": "dropped", "note": null}),
    ] {
        let problem = app.patch(&path, body).await.problem(409);
        assert!(problem["detail"].as_str().unwrap().contains("note"));
    }
    assert_eq!(app.counts().await, before);
    let dropped = app
        .patch(
            &path,
            json!({"status": "dropped", "note": "Overtaken by the white paper"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(dropped["status"], "dropped");
    assert!(!dropped["overdue"].as_bool().unwrap());
}

#[tokio::test]
async fn a_finished_action_is_reopened_before_it_is_started_again() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -3).await;
    let action = app.action(&meeting, &s.ben, None).await;
    let path = format!("/api/v1/actions/{}", id(&action));

    app.patch_as(&s.ben_token, &path, json!({"status": "done"}))
        .await
        .expect(200);
    let before = app.counts().await;
    let problem = app
        .patch_as(&s.ben_token, &path, json!({"status": "in_progress"}))
        .await
        .problem(409);
    assert!(problem["detail"].as_str().unwrap().contains("reopen"));
    app.patch_as(&s.ben_token, &path, json!({"status": "done"}))
        .await
        .problem(409);
    assert_eq!(app.counts().await, before);

    app.patch_as(
        &s.ben_token,
        &path,
        json!({"status": "open", "note": "Figures were wrong"}),
    )
    .await
    .expect(200);
    let started = app
        .patch_as(&s.ben_token, &path, json!({"status": "in_progress"}))
        .await
        .expect(200)
        .json();
    assert_eq!(started["status"], "in_progress");
    assert_eq!(started["version"], 4);
}

#[tokio::test]
async fn the_tracker_filters_by_group_owner_status_and_lateness_and_sorts_by_due_date() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let acc = app.sig(&s.rr3, "Accommodation SIG", "ACC").await;
    let frd_meeting = app.meeting_in(&s.frd, -20).await;
    let acc_meeting = app.meeting_in(&acc, -10).await;

    // (meeting, owner, due, final status) in the order they are raised.
    let late = date_from_now(-5);
    let late_done = date_from_now(-3);
    let later = date_from_now(-1);
    let soon = date_from_now(7);
    let far = date_from_now(60);
    let plan: Vec<(&Value, Option<&Value>, Option<&str>, &str)> = vec![
        (&frd_meeting, Some(&s.ben), None, "open"), // FRD-1-A1
        (&frd_meeting, Some(&s.ana), Some(&far), "open"), // FRD-1-A2
        (&frd_meeting, Some(&s.ben), Some(&late), "open"), // FRD-1-A3: overdue
        (&acc_meeting, Some(&s.ana), Some(&later), "in_progress"), // ACC-1-A1: overdue
        (&acc_meeting, None, Some(&late_done), "done"), // ACC-1-A2: late but done
        (&frd_meeting, Some(&s.ben), Some(&soon), "in_progress"), // FRD-1-A4
        (&acc_meeting, Some(&s.ben), None, "dropped"), // ACC-1-A3
    ];
    for (meeting, owner, due, status) in &plan {
        let mut body = json!({"description": "Something to do", "due_on": due});
        match owner {
            Some(person) => body["owner_person_id"] = person["id"].clone(),
            None => body["owner_text"] = json!("All members"),
        }
        let action = raise(&app, meeting, body).await.expect(201).json();
        if *status != "open" {
            let mut change = json!({"status": status});
            if *status == "dropped" {
                change["note"] = json!("No longer needed");
            }
            app.patch(&format!("/api/v1/actions/{}", id(&action)), change)
                .await
                .expect(200);
        }
    }

    let tracker = |query: String| {
        let app = &app;
        async move {
            let list = app
                .get(&format!("/api/v1/actions?{query}"))
                .await
                .expect(200)
                .json();
            references(&list)
        }
    };
    // By due date, undated last. Dated actions here fall on distinct days; the two
    // undated ones may come in either order.
    let all = tracker(String::new()).await;
    assert_eq!(
        all[..5],
        ["FRD-1-A3", "ACC-1-A2", "ACC-1-A1", "FRD-1-A4", "FRD-1-A2"]
    );
    let mut undated = all[5..].to_vec();
    undated.sort();
    assert_eq!(undated, ["ACC-1-A3", "FRD-1-A1"]);

    // The same order page by page.
    let paged: Vec<String> = app
        .pages("/api/v1/actions", 2)
        .await
        .iter()
        .flatten()
        .map(|a| a["reference"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paged, all);

    let frd = tracker(format!("group_id={}", id(&s.frd))).await;
    assert_eq!(frd, ["FRD-1-A3", "FRD-1-A4", "FRD-1-A2", "FRD-1-A1"]);
    let bens = tracker(format!("owner_person_id={}", id(&s.ben))).await;
    assert_eq!(bens[..2], ["FRD-1-A3", "FRD-1-A4"]);
    assert_eq!(bens.len(), 4);
    let in_progress = tracker("status=in_progress".into()).await;
    assert_eq!(in_progress, ["ACC-1-A1", "FRD-1-A4"]);
    let overdue = tracker("overdue=true".into()).await;
    assert_eq!(overdue, ["FRD-1-A3", "ACC-1-A1"]);
    let not_overdue = tracker("overdue=false".into()).await;
    assert_eq!(not_overdue.len(), 5);
    assert!(!not_overdue.contains(&"FRD-1-A3".to_owned()));
    let bens_late_frd = tracker(format!(
        "group_id={}&owner_person_id={}&overdue=true",
        id(&s.frd),
        id(&s.ben)
    ))
    .await;
    assert_eq!(bens_late_frd, ["FRD-1-A3"]);
    let by_meeting = tracker(format!("meeting_id={}", id(&acc_meeting))).await;
    assert_eq!(by_meeting, ["ACC-1-A2", "ACC-1-A1", "ACC-1-A3"]);

    // Each action says whether it is overdue.
    let list = app.get("/api/v1/actions").await.expect(200).json();
    let flagged: Vec<String> = items(&list)
        .iter()
        .filter(|a| a["overdue"] == true)
        .map(|a| a["reference"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(flagged, ["FRD-1-A3", "ACC-1-A1"]);
    app.get("/api/v1/actions?status=finished")
        .await
        .problem(400);
}

#[tokio::test]
async fn a_member_sees_only_the_actions_they_own() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, -3).await;
    let mine = app.action(&meeting, &s.ben, Some("2027-01-10")).await;
    app.action(&meeting, &s.ana, Some("2027-01-05")).await;
    raise(
        &app,
        &meeting,
        json!({"description": "Everyone reads the paper", "owner_text": "All members"}),
    )
    .await
    .expect(201);

    for path in [
        "/api/v1/actions".to_owned(),
        format!("/api/v1/actions?group_id={}", id(&s.frd)),
        format!("/api/v1/actions?meeting_id={}", id(&meeting)),
    ] {
        let list = app.get_as(&s.ben_token, &path).await.expect(200).json();
        assert_eq!(
            references(&list),
            [mine["reference"].as_str().unwrap()],
            "{path}"
        );
    }
    let someone_elses = app
        .get_as(
            &s.ben_token,
            &format!("/api/v1/actions?owner_person_id={}", id(&s.ana)),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(someone_elses["items"], json!([]));
    let at_meeting = app
        .get_as(
            &s.ben_token,
            &format!("/api/v1/meetings/{}/actions", id(&meeting)),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(
        references(&at_meeting),
        [mine["reference"].as_str().unwrap()]
    );
    // The secretariat sees all three.
    let all = app.get("/api/v1/actions").await.expect(200).json();
    assert_eq!(items(&all).len(), 3);
}
