//! Organisations, people, groups and memberships: the directory the rest is built on.

use serde_json::json;

use crate::helpers::{date_from_now, fields, id, items, spawn_app};

#[tokio::test]
async fn organisations_have_unique_names_and_real_websites() {
    let app = spawn_app().await;
    let problem = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Clinks", "kind": "secretariat", "website": "clinks dot org"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["website"]);
    assert_eq!(app.count("organisations").await, 0);

    let clinks = app.organisation("Clinks", "secretariat").await;
    let before = app.counts().await;
    let problem = app
        .post(
            "/api/v1/organisations",
            json!({"name": "  Clinks ", "kind": "voluntary_sector"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["name"]);
    assert_eq!(app.counts().await, before);

    // Renaming onto another organisation's name is refused as well.
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let problem = app
        .patch(
            &format!("/api/v1/organisations/{}", id(&nacro)),
            json!({"name": "Clinks"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["name"]);
    // Keeping one's own name is not a clash.
    app.patch(
        &format!("/api/v1/organisations/{}", id(&clinks)),
        json!({"name": "Clinks", "website": "https://www.clinks.org"}),
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn email_addresses_are_kept_in_lower_case_and_unique_ignoring_case() {
    let app = spawn_app().await;
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let ana = app
        .post(
            "/api/v1/people",
            json!({"name": "Ana Costa", "email": "  Ana.Costa@Nacro.EXAMPLE ",
                   "organisation_id": nacro["id"], "job_title": "Director of Policy"}),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(ana["email"], "ana.costa@nacro.example");
    assert_eq!(ana["organisation_id"], nacro["id"]);

    let before = app.counts().await;
    let problem = app
        .post(
            "/api/v1/people",
            json!({"name": "Another Ana", "email": "ANA.COSTA@nacro.example"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["email"]);
    for bad in [
        "ana",
        "ana@",
        "@nacro.example",
        "ana@nacro",
        "ana costa@nacro.example",
    ] {
        let problem = app
            .post("/api/v1/people", json!({"name": "Ana Costa", "email": bad}))
            .await
            .problem(422);
        assert_eq!(fields(&problem), ["email"], "{bad}");
    }
    assert_eq!(app.counts().await, before);

    // Changing someone's email onto another person's, in any case, is refused too.
    let ben = app
        .person("Ben Okafor", "ben@nacro.example", &nacro["id"])
        .await;
    let problem = app
        .patch(
            &format!("/api/v1/people/{}", id(&ben)),
            json!({"email": "Ana.Costa@nacro.example"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["email"]);
    let changed = app
        .patch(
            &format!("/api/v1/people/{}", id(&ben)),
            json!({"email": "Ben.Okafor@Nacro.example"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(changed["email"], "ben.okafor@nacro.example");
    // People without an email address are fine, and do not clash with each other.
    for name in ["Carys Hughes", "Dev Patel"] {
        app.post("/api/v1/people", json!({"name": name}))
            .await
            .expect(201);
    }
}

#[tokio::test]
async fn a_main_group_has_no_parent_and_a_sig_hangs_from_a_main_group() {
    let app = spawn_app().await;
    let rr3 = app.main_group().await;
    assert_eq!(rr3["kind"], "rr3");
    assert_eq!(rr3["parent_id"], serde_json::Value::Null);
    let frd = app.sig(&rr3, "Future Regime Design SIG", "frd").await;
    let before = app.counts().await;

    for (body, field) in [
        (
            json!({"kind": "rr3", "parent_id": rr3["id"], "name": "Second main group",
                   "short_name": "RR4"}),
            "parent_id",
        ),
        (
            json!({"kind": "sig", "name": "Orphan SIG", "short_name": "ORPH"}),
            "parent_id",
        ),
        (
            json!({"kind": "sig", "parent_id": frd["id"], "name": "Sub-SIG", "short_name": "SUB"}),
            "parent_id",
        ),
        // Short names are unique whatever their case.
        (
            json!({"kind": "sig", "parent_id": rr3["id"], "name": "Finance and Resources SIG",
                   "short_name": "Frd"}),
            "short_name",
        ),
        (
            json!({"kind": "sig", "parent_id": rr3["id"], "name": "Spaced SIG",
                   "short_name": "FRD SIG"}),
            "short_name",
        ),
        (
            json!({"kind": "sig", "parent_id": rr3["id"], "name": "Closed at birth",
                   "short_name": "CAB", "status": "closed"}),
            "status",
        ),
    ] {
        let problem = app.post("/api/v1/groups", body.clone()).await.problem(422);
        assert_eq!(fields(&problem), [field], "{body}");
    }
    assert_eq!(app.counts().await, before);

    // Taking another group's short name by renaming is refused as well.
    let acc = app.sig(&rr3, "Accommodation SIG", "ACC").await;
    let problem = app
        .patch(
            &format!("/api/v1/groups/{}", id(&acc)),
            json!({"short_name": "frd"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["short_name"]);
}

#[tokio::test]
async fn a_closed_group_gets_no_new_meetings_and_stays_closed() {
    let app = spawn_app().await;
    let rr3 = app.main_group().await;
    let frd = app.sig(&rr3, "Future Regime Design SIG", "FRD").await;
    let earlier = app.meeting_in(&frd, -10).await;
    let waiting = app.meeting_in(&frd, 10).await;
    let group_path = format!("/api/v1/groups/{}", id(&frd));

    // A group is closed for a reason, which its record keeps.
    let before = app.counts().await;
    for body in [json!({}), json!({"reason": "   "})] {
        let problem = app
            .post(&format!("{group_path}/close"), body)
            .await
            .problem(422);
        assert_eq!(fields(&problem), ["reason"]);
    }
    assert_eq!(app.counts().await, before);
    assert_eq!(
        app.get(&group_path).await.expect(200).json()["status"],
        "active"
    );

    let closed = app
        .post(
            &format!("{group_path}/close"),
            json!({"closed_on": "2026-11-01", "reason": "Final report delivered to HMPPS"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["closed_on"], "2026-11-01");
    assert_eq!(closed["closed_reason"], "Final report delivered to HMPPS");
    assert_eq!(closed["version"], 2);

    let before = app.counts().await;
    let problem = app
        .post(
            &format!("{group_path}/meetings"),
            json!({"title": "One more", "starts_at": "2026-12-10T10:00:00Z",
                   "ends_at": "2026-12-10T11:00:00Z", "mode": "online",
                   "joining_link": "https://meet.example.org/frd"}),
        )
        .await
        .problem(409);
    assert!(problem["detail"].as_str().unwrap().contains("closed"));
    // Nor by the back door of postponing a meeting to new times.
    app.post(
        &format!("/api/v1/meetings/{}/postpone", id(&waiting)),
        json!({"starts_at": "2026-12-17T10:00:00Z", "ends_at": "2026-12-17T11:00:00Z"}),
    )
    .await
    .problem(409);
    for action in ["activate", "close"] {
        app.post(&format!("{group_path}/{action}"), json!({}))
            .await
            .problem(409);
    }
    // `activate` takes no body; answer the same without one.
    app.post_empty(&format!("{group_path}/activate"))
        .await
        .problem(409);
    assert_eq!(app.counts().await, before);

    // Its history stays readable.
    let group = app.get(&group_path).await.expect(200).json();
    assert_eq!(group["status"], "closed");
    app.get(&format!("/api/v1/meetings/{}", id(&earlier)))
        .await
        .expect(200);
    let closed_groups = app
        .get("/api/v1/groups?status=closed")
        .await
        .expect(200)
        .json();
    assert_eq!(items(&closed_groups).len(), 1);
}

#[tokio::test]
async fn a_proposed_group_becomes_active_once() {
    let app = spawn_app().await;
    let rr3 = app.main_group().await;
    let proposed = app
        .post(
            "/api/v1/groups",
            json!({"kind": "sig", "parent_id": rr3["id"], "name": "Women's Estate SIG",
                   "short_name": "WE", "status": "proposed"}),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(proposed["status"], "proposed");
    let path = format!("/api/v1/groups/{}/activate", id(&proposed));
    let active = app.post_empty(&path).await.expect(200).json();
    assert_eq!(active["status"], "active");
    assert_eq!(active["version"], 2);
    let problem = app.post_empty(&path).await.problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("already active")
    );
}

#[tokio::test]
async fn a_persons_terms_in_one_group_never_overlap() {
    let app = spawn_app().await;
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let ana = app
        .person("Ana Costa", "ana@nacro.example", &nacro["id"])
        .await;
    let rr3 = app.main_group().await;
    let frd = app.sig(&rr3, "Future Regime Design SIG", "FRD").await;
    let path = format!("/api/v1/groups/{}/memberships", id(&frd));

    let first = app
        .post(
            &path,
            json!({"person_id": ana["id"], "role": "member", "starts_on": "2025-01-01",
                   "ends_on": "2025-12-31"}),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(
        first["organisation_id"], nacro["id"],
        "defaults to the person's"
    );
    assert_eq!(first["person_name"], "Ana Costa");

    let before = app.counts().await;
    for (starts_on, ends_on) in [
        ("2025-06-01", Some("2026-06-01")),
        ("2024-01-01", None),
        ("2025-12-31", None),
        ("2024-06-01", Some("2025-01-01")),
    ] {
        let problem = app
            .post(
                &path,
                json!({"person_id": ana["id"], "role": "chair", "starts_on": starts_on,
                       "ends_on": ends_on}),
            )
            .await
            .problem(409);
        assert!(
            problem["detail"].as_str().unwrap().contains("membership"),
            "{starts_on}"
        );
    }
    let problem = app
        .post(
            &path,
            json!({"person_id": ana["id"], "role": "chair", "starts_on": "2026-03-01",
                   "ends_on": "2026-02-28"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["ends_on"]);
    assert_eq!(app.counts().await, before);

    // The next term may start the day after the last one ended.
    let second = app
        .post(
            &path,
            json!({"person_id": ana["id"], "role": "chair", "starts_on": "2026-01-01"}),
        )
        .await
        .expect(201)
        .json();
    // Stretching the first term into the second is the same overlap.
    let first_path = format!("/api/v1/memberships/{}", id(&first));
    app.patch(&first_path, json!({"ends_on": "2026-01-01"}))
        .await
        .problem(409);
    app.patch(&first_path, json!({"ends_on": null}))
        .await
        .problem(409);
    app.patch(&first_path, json!({"ends_on": "2024-12-31"}))
        .await
        .problem(422);
    let unchanged = app.get(&first_path).await.expect(200).json();
    assert_eq!(unchanged["ends_on"], "2025-12-31");
    assert_eq!(unchanged["version"], 1);
    assert_eq!(second["role"], "chair");
    // Being in one group does not stop a seat in another.
    app.member(&rr3, &ana, "member").await;
}

#[tokio::test]
async fn memberships_can_be_listed_as_they_stand_today() {
    let app = spawn_app().await;
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let rr3 = app.main_group().await;
    let path = format!("/api/v1/groups/{}/memberships", id(&rr3));
    let mut seats = Vec::new();
    for (name, starts_on, ends_on) in [
        (
            "Former Member",
            date_from_now(-400),
            Some(date_from_now(-1)),
        ),
        ("Current Member", date_from_now(-100), None),
        ("Leaving Today", date_from_now(-100), Some(date_from_now(0))),
        ("Future Member", date_from_now(1), None),
    ] {
        let person = app
            .person(
                name,
                &format!("{}@nacro.example", name.to_lowercase().replace(' ', ".")),
                &nacro["id"],
            )
            .await;
        let seat = app
            .post(
                &path,
                json!({"person_id": person["id"], "role": "member", "starts_on": starts_on,
                       "ends_on": ends_on}),
            )
            .await
            .expect(201)
            .json();
        seats.push((name, seat["current"].as_bool().unwrap()));
    }
    assert_eq!(
        seats,
        [
            ("Former Member", false),
            ("Current Member", true),
            ("Leaving Today", true),
            ("Future Member", false),
        ]
    );

    let names = |list: &serde_json::Value| -> Vec<String> {
        let mut names: Vec<String> = items(list)
            .iter()
            .map(|m| m["person_name"].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        names
    };
    let current = app
        .get(&format!("{path}?current=true"))
        .await
        .expect(200)
        .json();
    assert_eq!(names(&current), ["Current Member", "Leaving Today"]);
    let all = app.get(&path).await.expect(200).json();
    assert_eq!(names(&all).len(), 4);
    let also_all = app
        .get(&format!("{path}?current=false"))
        .await
        .expect(200)
        .json();
    assert_eq!(names(&also_all).len(), 4);
    // In order of start date.
    let starts: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["starts_on"].as_str().unwrap())
        .collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
}
