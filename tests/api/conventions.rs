//! The conventions every operation keeps: bad input gets a clear problem+json answer
//! and changes nothing, ids that name nothing are 404, stale edits are 412, lists page
//! in a stable order.

use poem::Body;
use poem::http::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, days_from_now, fields, id, items, spawn_app, unknown_id};
use crate::roles::{As, Call, matched, operations, seed};

/// Sends `body` as it is (not necessarily JSON) as the secretariat.
async fn send_text(app: &TestApp, method: Method, path: &str, body: &str) -> crate::helpers::Reply {
    app.raw(method, path, Some(&app.secretariat), body).await
}

#[tokio::test]
async fn malformed_json_is_a_bad_request_for_every_operation_that_takes_a_body() {
    let app = spawn_app().await;
    let world = seed(&app).await;
    let before = app.counts().await;
    let mut checked = 0;
    for (operation, case) in matched(operations(&app).await) {
        let call = (case.request)(&world, As::Secretariat);
        if call.body.is_none() {
            continue;
        }
        let path = operation.address(&call);
        for text in [r#"{"name": "Clinks","#, "not json", r#"{"name" "Clinks"}"#] {
            let problem = send_text(&app, operation.method.clone(), &path, text)
                .await
                .problem(400);
            assert!(
                problem["detail"].as_str().unwrap().contains("JSON"),
                "{}: {problem}",
                operation.id
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} operations take a body");
    assert_eq!(app.counts().await, before, "nothing changed");
}

#[tokio::test]
async fn ids_in_paths_that_name_nothing_are_not_found_for_every_operation() {
    let app = spawn_app().await;
    let world = seed(&app).await;
    let before = app.counts().await;
    let mut checked = 0;
    for (operation, case) in matched(operations(&app).await) {
        if operation.params().is_empty() {
            continue;
        }
        let Call { body, query, .. } = (case.request)(&world, As::Secretariat);
        for bad in [unknown_id(), "not-a-uuid".to_owned(), "42".to_owned()] {
            let reply = app
                .send(
                    operation.method.clone(),
                    &match &query {
                        Some(query) => {
                            format!("{}?{query}", operation.address_with_every_param(&bad))
                        }
                        None => operation.address_with_every_param(&bad),
                    },
                    Some(&app.secretariat),
                    body.clone(),
                    &[],
                )
                .await;
            assert_eq!(
                reply.status.as_u16(),
                404,
                "{} with id {bad}: {}",
                operation.id,
                String::from_utf8_lossy(&reply.body)
            );
            reply.problem(404);
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} operations take an id");
    assert_eq!(app.counts().await, before, "nothing changed");
}

#[tokio::test]
async fn ids_in_bodies_that_name_nothing_are_invalid_values_of_that_field() {
    let app = spawn_app().await;
    let w = seed(&app).await;
    let nobody = unknown_id();
    let before = app.counts().await;
    let attempts: Vec<(&str, String, Value, &str)> = vec![
        (
            "POST",
            "/api/v1/people".into(),
            json!({"name": "Dana Reid", "organisation_id": nobody}),
            "organisation_id",
        ),
        (
            "PATCH",
            format!("/api/v1/people/{}", w.ana),
            json!({"organisation_id": nobody}),
            "organisation_id",
        ),
        (
            "POST",
            "/api/v1/groups".into(),
            json!({"kind": "sig", "parent_id": nobody, "name": "Lost SIG", "short_name": "LOST"}),
            "parent_id",
        ),
        (
            "POST",
            format!("/api/v1/groups/{}/memberships", w.frd),
            json!({"person_id": nobody, "role": "member", "starts_on": "2026-01-01"}),
            "person_id",
        ),
        (
            "POST",
            format!("/api/v1/groups/{}/memberships", w.frd),
            json!({"person_id": w.carys, "role": "member", "starts_on": "2026-01-01",
                   "organisation_id": nobody}),
            "organisation_id",
        ),
        (
            "POST",
            format!("/api/v1/meetings/{}/attendance", w.upcoming),
            json!({"person_id": nobody}),
            "person_id",
        ),
        (
            "POST",
            format!("/api/v1/meetings/{}/agenda-items", w.upcoming),
            json!({"title": "Talk", "kind": "presentation", "visibility": "public",
                   "presenter_person_id": nobody}),
            "presenter_person_id",
        ),
        (
            "POST",
            format!("/api/v1/meetings/{}/actions", w.past),
            json!({"description": "Write it up", "owner_person_id": nobody}),
            "owner_person_id",
        ),
        (
            "POST",
            format!("/api/v1/meetings/{}/actions", w.past),
            json!({"description": "Write it up", "owner_organisation_id": nobody}),
            "owner_organisation_id",
        ),
        (
            "POST",
            format!("/api/v1/meetings/{}/actions", w.past),
            json!({"description": "Write it up", "owner_text": "All members",
                   "agenda_item_id": nobody}),
            "agenda_item_id",
        ),
        (
            "POST",
            format!("/api/v1/meetings/{}/postpone", w.to_postpone),
            json!({"to_meeting_id": nobody}),
            "to_meeting_id",
        ),
        (
            "POST",
            "/api/v1/tokens".into(),
            json!({"name": "Ghost", "role": "member", "person_id": nobody}),
            "person_id",
        ),
    ];
    for (method, path, body, field) in attempts {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let problem = app
            .send(method, &path, Some(&app.secretariat), Some(body), &[])
            .await
            .problem(422);
        assert_eq!(fields(&problem), [field], "{path}: {problem}");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    assert_eq!(app.counts().await, before, "nothing changed");
}

#[tokio::test]
async fn a_meeting_that_ends_before_it_starts_or_sits_in_an_unknown_time_zone_is_refused() {
    let app = spawn_app().await;
    let rr3 = app.main_group().await;
    let meeting = app.meeting_in(&rr3, 10).await;
    let path = format!("/api/v1/groups/{}/meetings", id(&rr3));
    let before = app.counts().await;

    let base = json!({"title": "Quarterly meeting", "mode": "online",
                      "joining_link": "https://meet.example.org/rr3"});
    let with = |extra: Value| {
        let mut body = base.clone();
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    for (body, field) in [
        (
            with(json!({"starts_at": "2026-12-03T12:00:00Z", "ends_at": "2026-12-03T10:00:00Z"})),
            "ends_at",
        ),
        (
            with(json!({"starts_at": "2026-12-03T12:00:00Z", "ends_at": "2026-12-03T12:00:00Z"})),
            "ends_at",
        ),
        (
            with(json!({"starts_at": "2026-12-03T10:00:00Z", "ends_at": "2026-12-04T10:00:01Z"})),
            "ends_at",
        ),
        (
            with(
                json!({"starts_at": "2026-12-03T10:00:00Z", "ends_at": "2026-12-03T12:00:00Z",
                        "time_zone": "Mars/Olympus"}),
            ),
            "time_zone",
        ),
    ] {
        let problem = app.post(&path, body).await.problem(422);
        assert_eq!(fields(&problem), [field], "{problem}");
    }
    // The same rules hold when a meeting is changed.
    let meeting_path = format!("/api/v1/meetings/{}", id(&meeting));
    let problem = app
        .patch(&meeting_path, json!({"ends_at": days_from_now(10, 9)}))
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["ends_at"]);
    let problem = app
        .patch(&meeting_path, json!({"time_zone": "Mars/Olympus"}))
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["time_zone"]);
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Mars/Olympus")
    );

    assert_eq!(app.counts().await, before, "nothing changed");
    let unchanged = app.get(&meeting_path).await.expect(200).json();
    assert_eq!(unchanged["meeting"]["version"], 1);
    assert_eq!(unchanged["meeting"]["time_zone"], "Europe/London");
}

#[tokio::test]
async fn values_outside_an_enumeration_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let w = seed(&app).await;
    let before = app.counts().await;
    let attempts: Vec<(Method, String, Value, &str)> = vec![
        (
            Method::POST,
            "/api/v1/organisations".into(),
            json!({"name": "Oxfam Books", "kind": "charity_shop"}),
            "kind",
        ),
        (
            Method::POST,
            format!("/api/v1/groups/{}/meetings", w.frd),
            json!({"title": "By post", "starts_at": days_from_now(20, 10),
                   "ends_at": days_from_now(20, 12), "mode": "carrier_pigeon"}),
            "mode",
        ),
        (
            Method::PATCH,
            format!("/api/v1/actions/{}", w.ben_action),
            json!({"status": "finished"}),
            "status",
        ),
        (
            Method::PATCH,
            format!("/api/v1/attendance/{}", w.ben_line),
            json!({"status": "finished"}),
            "status",
        ),
        (
            Method::POST,
            format!("/api/v1/meetings/{}/agenda-items", w.upcoming),
            json!({"title": "Open session", "kind": "discussion", "visibility": "everyone"}),
            "visibility",
        ),
        (
            Method::POST,
            format!("/api/v1/groups/{}/memberships", w.frd),
            json!({"person_id": w.carys, "role": "king", "starts_on": "2026-01-01"}),
            "role",
        ),
    ];
    for (method, path, body, field) in attempts {
        let problem = app
            .send(method, &path, Some(&app.secretariat), Some(body), &[])
            .await
            .problem(422);
        assert_eq!(
            problem["errors"][0]["field"], field,
            "{path}: the problem names the field: {problem}"
        );
    }
    // In a query string, an unknown value is a malformed request.
    let problem = app.get("/api/v1/groups?kind=club").await.problem(400);
    assert_eq!(fields(&problem), ["kind"]);
    assert_eq!(app.counts().await, before, "nothing changed");
}

#[tokio::test]
async fn wrong_json_types_and_missing_fields_are_invalid_values() {
    let app = spawn_app().await;
    let rr3 = app.main_group().await;
    let meetings = format!("/api/v1/groups/{}/meetings", id(&rr3));
    let memberships = format!("/api/v1/groups/{}/memberships", id(&rr3));
    let organisations = "/api/v1/organisations".to_owned();
    let before = app.counts().await;
    for (path, body, field) in [
        (
            &organisations,
            json!({"name": {"en": "MoJ"}, "kind": "moj"}),
            "name",
        ),
        (&organisations, json!({"name": "MoJ", "kind": 5}), "kind"),
        (&organisations, json!({"kind": "moj"}), "name"),
        (&organisations, json!({"name": "MoJ"}), "kind"),
        (&organisations, json!(["MoJ", "moj"]), "body"),
        (&organisations, json!("MoJ"), "body"),
        (&organisations, json!(null), "body"),
        (
            &"/api/v1/people".to_owned(),
            json!({"name": "Dana", "email": ["a@b.org"]}),
            "email",
        ),
        (
            &meetings,
            json!({"title": "Q4", "starts_at": "next Tuesday", "ends_at": "2026-12-03T12:00:00Z",
                   "mode": "online", "joining_link": "https://meet.example.org"}),
            "starts_at",
        ),
        (
            &meetings,
            json!({"title": "Q4", "starts_at": "2026-12-03T10:00:00Z", "mode": "online",
                   "joining_link": "https://meet.example.org"}),
            "ends_at",
        ),
        (
            &memberships,
            json!({"person_id": "Ana", "role": "member", "starts_on": "2026-01-01"}),
            "person_id",
        ),
        (
            &memberships,
            json!({"person_id": unknown_id(), "role": "member", "starts_on": "2026-02-30"}),
            "starts_on",
        ),
    ] {
        let problem = app.post(path, body.clone()).await.problem(422);
        assert_eq!(fields(&problem), [field], "{body}: {problem}");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    assert_eq!(app.counts().await, before, "nothing changed");
}

#[tokio::test]
async fn bodies_over_a_mebibyte_are_refused_whether_or_not_their_length_is_declared() {
    let app = spawn_app().await;
    let before = app.counts().await;
    let big = format!(
        r#"{{"name": "{}", "kind": "other"}}"#,
        "x".repeat(1024 * 1024)
    );
    let length = big.len().to_string();

    let declared = app
        .send_body(
            Method::POST,
            "/api/v1/organisations",
            &[("Content-Length", length)],
            Body::from_string(big.clone()),
        )
        .await;
    declared.problem(413);

    let chunked = app
        .send_body(
            Method::POST,
            "/api/v1/organisations",
            &[("Transfer-Encoding", "chunked".to_owned())],
            Body::from_async_read(std::io::Cursor::new(big.clone().into_bytes())),
        )
        .await;
    chunked.problem(413);

    // HTTP/2 sends a body with neither header.
    let undeclared = app
        .send_body(
            Method::POST,
            "/api/v1/organisations",
            &[],
            Body::from_async_read(std::io::Cursor::new(big.into_bytes())),
        )
        .await;
    undeclared.problem(413);

    // Just under the limit is read, and judged on its values.
    let near = format!(
        r#"{{"name": "{}", "kind": "other"}}"#,
        "x".repeat(1000 * 1000)
    );
    let problem = send_text(&app, Method::POST, "/api/v1/organisations", &near)
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["name"]);
    assert_eq!(app.counts().await, before, "nothing changed");
}

#[tokio::test]
async fn page_sizes_and_cursors_out_of_range_are_refused() {
    let app = spawn_app().await;
    app.organisation("Clinks", "secretariat").await;
    for (query, status, field) in [
        ("limit=0", 422, "limit"),
        ("limit=201", 422, "limit"),
        ("cursor=not-a-cursor", 422, "cursor"),
        ("cursor=eyJ4IjoxfQ", 422, "cursor"),
        ("limit=ten", 400, "limit"),
        ("limit=-1", 400, "limit"),
    ] {
        for list in [
            "/api/v1/organisations",
            "/api/v1/meetings",
            "/api/v1/actions",
        ] {
            let problem = app.get(&format!("{list}?{query}")).await.problem(status);
            assert_eq!(fields(&problem), [field], "{list}?{query}");
        }
    }
    let page = app
        .get("/api/v1/organisations?limit=200")
        .await
        .expect(200)
        .json();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["next_cursor"], Value::Null);
}

#[tokio::test]
async fn a_stale_if_match_is_refused_and_the_resource_is_left_as_it_was() {
    let app = spawn_app().await;
    let created = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Clinks", "kind": "secretariat"}),
        )
        .await
        .expect(201);
    assert_eq!(created.header("etag").as_deref(), Some("\"1\""));
    let path = created.header("location").expect("a Location");
    assert_eq!(
        path,
        format!("/api/v1/organisations/{}", id(&created.json()))
    );

    let read = app.get(&path).await.expect(200);
    assert_eq!(read.header("etag").as_deref(), Some("\"1\""));

    // Two people read version 1; the first saves.
    let first = app
        .patch_if_match(&path, json!({"website": "https://www.clinks.org"}), "\"1\"")
        .await
        .expect(200);
    assert_eq!(first.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(first.json()["version"], 2);

    // The second still holds version 1.
    let before = app.counts().await;
    let problem = app
        .patch_if_match(&path, json!({"name": "Clinks (renamed)"}), "\"1\"")
        .await
        .problem(412);
    assert!(problem["detail"].as_str().unwrap().contains("version 2"));
    assert_eq!(app.counts().await, before);
    let now = app.get(&path).await.expect(200);
    assert_eq!(now.header("etag").as_deref(), Some("\"2\""));
    let now = now.json();
    assert_eq!(now["name"], "Clinks");
    assert_eq!(now["website"], "https://www.clinks.org");
    assert_eq!(now["version"], 2);

    // A malformed If-Match is a malformed request, and also changes nothing.
    for bad in ["\"two\"", "version 2", "\"\""] {
        app.patch_if_match(&path, json!({"name": "Clinks (renamed)"}), bad)
            .await
            .problem(400);
    }
    assert_eq!(app.counts().await, before);

    // The current tag, strong or weak, or `*`, lets the change through.
    app.patch_if_match(&path, json!({"name": "Clinks UK"}), "W/\"2\"")
        .await
        .expect(200);
    let last = app
        .patch_if_match(&path, json!({"name": "Clinks"}), "*")
        .await
        .expect(200);
    assert_eq!(last.header("etag").as_deref(), Some("\"4\""));

    // The same holds for state changes: cancelling from a stale read is refused.
    let rr3 = app.main_group().await;
    let meeting = app.meeting_in(&rr3, 10).await;
    let meeting_path = format!("/api/v1/meetings/{}", id(&meeting));
    app.patch(&meeting_path, json!({"title": "Quarterly meeting"}))
        .await
        .expect(200);
    app.send(
        Method::POST,
        &format!("{meeting_path}/cancel"),
        Some(&app.secretariat),
        Some(json!({})),
        &[("If-Match", "\"1\"")],
    )
    .await
    .problem(412);
    let detail = app.get(&meeting_path).await.expect(200);
    assert_eq!(detail.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(detail.json()["meeting"]["status"], "scheduled");
}

/// Walks `path` in pages of 3 and checks the pages hold `expected` in order, with
/// nothing repeated or left out.
async fn assert_pages(app: &TestApp, path: &str, key: &str, expected: &[&str]) {
    let pages = app.pages(path, 3).await;
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    let want: Vec<usize> = expected.chunks(3).map(<[&str]>::len).collect();
    assert_eq!(sizes, want, "{path}");
    let seen: Vec<String> = pages
        .iter()
        .flatten()
        .map(|item| item[key].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(seen, expected, "{path}");
}

#[tokio::test]
async fn lists_come_in_pages_in_a_stable_order_without_gaps_or_repeats() {
    let app = spawn_app().await;
    let names = [
        "Nacro",
        "Clinks",
        "Unlock",
        "Anawim",
        "Revolving",
        "Forward",
        "Shelter",
    ];
    let mut orgs = Vec::new();
    for name in names {
        orgs.push(app.organisation(name, "voluntary_sector").await);
    }
    let mut sorted = names.to_vec();
    sorted.sort();
    assert_pages(&app, "/api/v1/organisations", "name", &sorted).await;

    let people = ["Gita", "Bea", "Eve", "Ali", "Fern", "Cal", "Dov"];
    for (i, name) in people.iter().enumerate() {
        app.person(
            name,
            &format!("{}@example.org", name.to_lowercase()),
            &orgs[i]["id"],
        )
        .await;
    }
    let mut sorted = people.to_vec();
    sorted.sort();
    assert_pages(&app, "/api/v1/people", "name", &sorted).await;
    // Filters apply before paging.
    let of_nacro = app
        .get(&format!("/api/v1/people?organisation_id={}", id(&orgs[0])))
        .await
        .expect(200)
        .json();
    assert_eq!(of_nacro["items"].as_array().unwrap().len(), 1);
    assert_eq!(of_nacro["items"][0]["name"], "Gita");

    // Meetings come in time order, whatever order they were scheduled in.
    let rr3 = app.main_group().await;
    let mut titles = Vec::new();
    for days in [40, 10, 70, 20, 60, 30, 50] {
        let meeting = app.meeting_in(&rr3, days).await;
        app.patch(
            &format!("/api/v1/meetings/{}", id(&meeting)),
            json!({"title": format!("In {days} days")}),
        )
        .await
        .expect(200);
        titles.push((days, format!("In {days} days")));
    }
    titles.sort();
    let titles: Vec<&str> = titles.iter().map(|(_, t)| t.as_str()).collect();
    assert_pages(
        &app,
        &format!("/api/v1/groups/{}/meetings", id(&rr3)),
        "title",
        &titles,
    )
    .await;
    assert_pages(&app, "/api/v1/meetings", "title", &titles).await;

    // A row added while someone pages does not make them see a row twice.
    let first = app
        .get("/api/v1/organisations?limit=3")
        .await
        .expect(200)
        .json();
    app.organisation("Aardvark Trust", "voluntary_sector").await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .get(&format!("/api/v1/organisations?limit=3&cursor={cursor}"))
        .await
        .expect(200)
        .json();
    let second_names: Vec<String> = items(&second)
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(second_names, ["Nacro", "Revolving", "Shelter"]);
}

#[tokio::test]
async fn unknown_addresses_are_not_found_as_problem_json() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/nothing-here",
        "/nowhere",
        "/api/v1/organisations/x/y",
    ] {
        let problem = app.get(path).await.problem(404);
        assert_eq!(problem["type"], "/api/problems#not-found");
    }
    // A known address with a method it does not take.
    let reply = app.delete("/api/v1/organisations").await;
    assert_eq!(
        reply.status.as_u16(),
        405,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.problem(405);
}

#[tokio::test]
async fn null_removes_an_optional_value_and_is_refused_for_a_required_one() {
    let app = spawn_app().await;
    let clinks = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Clinks", "kind": "secretariat", "website": "https://www.clinks.org"}),
        )
        .await
        .expect(201)
        .json();
    let path = format!("/api/v1/organisations/{}", id(&clinks));

    let before = app.counts().await;
    for field in ["name", "kind"] {
        let problem = app.patch(&path, json!({ field: null })).await.problem(422);
        assert_eq!(fields(&problem), [field]);
    }
    assert_eq!(app.counts().await, before);

    let cleared = app
        .patch(&path, json!({"website": null}))
        .await
        .expect(200)
        .json();
    assert_eq!(cleared["website"], Value::Null);
    assert_eq!(cleared["name"], "Clinks");
    assert_eq!(cleared["version"], 2);

    // Leaving a field out is not the same as sending null.
    let kept = app
        .patch(&path, json!({"website": "https://www.clinks.org"}))
        .await
        .expect(200)
        .json();
    let untouched = app.patch(&path, json!({})).await.expect(200).json();
    assert_eq!(untouched["website"], kept["website"]);

    let rr3 = app.main_group().await;
    let meeting = app.meeting_in(&rr3, -1).await;
    let problem = app
        .patch(
            &format!("/api/v1/meetings/{}", id(&meeting)),
            json!({"title": null}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["title"]);
    let action = app
        .post(
            &format!("/api/v1/meetings/{}/actions", id(&meeting)),
            json!({"description": "Circulate the note", "owner_text": "Secretariat",
                   "due_on": "2026-12-01"}),
        )
        .await
        .expect(201)
        .json();
    let undated = app
        .patch(
            &format!("/api/v1/actions/{}", id(&action)),
            json!({"due_on": null}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(undated["due_on"], Value::Null);
}
