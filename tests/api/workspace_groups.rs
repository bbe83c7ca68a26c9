//! The secretariat's group pages: creating groups, editing them with the version,
//! their status, and memberships, as a browser sends them.

use serde_json::json;

use crate::helpers::{date_from_now, id, spawn_app};
use crate::visitor::{error_summary, html, location, secretariat_visitor, signed_in};

#[tokio::test]
async fn a_group_is_created_from_its_form_and_a_refused_form_keeps_its_values() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let page = sec.get("/secretariat/groups/new").await.expect(200);
    assert!(html(&page).contains("Create a group"));

    // Nothing filled in but the kind: every problem at once, nothing created.
    let before = app.counts().await;
    let refused = sec
        .submit(
            "/secretariat/groups/new",
            &[
                ("kind", "sig"),
                ("name", ""),
                ("short_name", "FRD SIG"),
                ("remit", "Design of the future prison regime"),
                ("status", "active"),
            ],
        )
        .await
        .expect(422);
    let summary = error_summary(&refused);
    assert_eq!(summary.len(), 3, "{summary:?}");
    assert!(
        summary.iter().any(|e| e.contains("parent group")),
        "{summary:?}"
    );
    assert!(
        summary.iter().any(|e| e.contains("1 to 12 letters")),
        "{summary:?}"
    );
    let page = html(&refused);
    assert!(page.contains("value=\"FRD SIG\""), "the short name is kept");
    assert!(page.contains(">Design of the future prison regime</textarea>"));
    assert!(page.contains("href=\"#parent_id\""));
    assert_eq!(app.counts().await, before);

    // A kind not chosen at all is a problem of its own.
    let refused = sec
        .submit(
            "/secretariat/groups/new",
            &[("name", "RR3"), ("short_name", "R R 3")],
        )
        .await
        .expect(422);
    let summary = error_summary(&refused);
    assert!(summary[0].contains("kind of group"), "{summary:?}");
    assert!(
        summary[1].contains("1 to 12 letters"),
        "the other fields are checked too"
    );
    assert_eq!(app.counts().await, before);

    // The main group, then a SIG under it.
    let created = sec
        .submit(
            "/secretariat/groups/new",
            &[
                ("kind", "rr3"),
                ("name", "Reducing Reoffending Third Sector Advisory Group"),
                ("short_name", "rr3"),
                ("about", "RR3 brings together voluntary sector leaders."),
                ("status", "active"),
            ],
        )
        .await
        .expect(303);
    let rr3_path = location(&created);
    let page = sec.get(&rr3_path).await.expect(200);
    let page = html(&page);
    assert!(page.contains("Reducing Reoffending Third Sector Advisory Group was created."));
    assert!(page.contains("RR3 brings together voluntary sector leaders."));
    let rr3_id = rr3_path.rsplit('/').next().unwrap().to_owned();

    let page = sec
        .get(&format!("/secretariat/groups/new?parent_id={rr3_id}"))
        .await
        .expect(200);
    assert!(html(&page).contains(&format!("value=\"{rr3_id}\" selected")));
    let created = sec
        .submit(
            "/secretariat/groups/new",
            &[
                ("kind", "sig"),
                ("parent_id", &rr3_id),
                ("name", "Future Regime Design SIG"),
                ("short_name", "FRD"),
                ("remit", "Design of the future prison regime"),
                ("status", "proposed"),
            ],
        )
        .await
        .expect(303);
    let frd = app
        .get(&format!(
            "/api/v1/groups/{}",
            location(&created).rsplit('/').next().unwrap()
        ))
        .await
        .expect(200)
        .json();
    assert_eq!(frd["parent_id"], rr3_id.as_str());
    assert_eq!(frd["status"], "proposed");
    assert_eq!(frd["short_name"], "FRD");

    // Another group's short name is refused on its field.
    let before = app.counts().await;
    let refused = sec
        .submit(
            "/secretariat/groups/new",
            &[
                ("kind", "sig"),
                ("parent_id", &rr3_id),
                ("name", "Another"),
                ("short_name", "frd"),
                ("status", "active"),
            ],
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&refused),
        ["Another group already uses this short name."]
    );
    assert_eq!(app.counts().await, before);

    // The list shows RR3 with its SIG under it.
    let list = html(&sec.get("/secretariat/groups").await.expect(200));
    let rr3_at = list.find("Reducing Reoffending").unwrap();
    let frd_at = list.find("Future Regime Design SIG").unwrap();
    assert!(rr3_at < frd_at);
    assert!(list.contains("Proposed"));
}

#[tokio::test]
async fn a_stale_edit_shows_the_conflict_panel_and_changes_nothing() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let rr3 = app.main_group().await;
    let frd = app.sig(&rr3, "Future Regime Design SIG", "FRD").await;
    let edit = format!("/secretariat/groups/{}/edit", id(&frd));
    let page = html(&sec.get(&edit).await.expect(200));
    assert!(page.contains("name=\"version\" value=\"1\""));

    // Someone else changes the remit meanwhile.
    app.patch(
        &format!("/api/v1/groups/{}", id(&frd)),
        json!({"remit": "Their remit"}),
    )
    .await
    .expect(200);
    let before = app.counts().await;
    let stale = sec
        .submit(
            &edit,
            &[
                ("version", "1"),
                ("name", "Future Regime Design SIG"),
                ("short_name", "FRD"),
                ("remit", "My remit"),
                ("about", ""),
            ],
        )
        .await
        .expect(409);
    let page = html(&stale);
    assert!(page.contains("Someone else changed this while you were editing"));
    assert!(page.contains("Their remit"), "their value is shown");
    assert!(page.contains(">My remit</textarea>"), "yours is kept");
    assert!(
        page.contains("name=\"version\" value=\"2\""),
        "saving again is a choice"
    );
    assert_eq!(app.counts().await, before);
    let stored = app
        .get(&format!("/api/v1/groups/{}", id(&frd)))
        .await
        .expect(200)
        .json();
    assert_eq!(stored["remit"], "Their remit");
    assert_eq!(stored["version"], 2);

    // A bad value on a current form is shown on its field, nothing saved.
    let refused = sec
        .submit(
            &edit,
            &[
                ("version", "2"),
                ("name", ""),
                ("short_name", "FRD"),
                ("remit", "My remit"),
            ],
        )
        .await
        .expect(422);
    assert_eq!(error_summary(&refused).len(), 1);
    assert!(html(&refused).contains(">My remit</textarea>"));

    // Saving again on purpose keeps the person's values.
    sec.submit(
        &edit,
        &[
            ("version", "2"),
            ("name", "Future Regime Design SIG"),
            ("short_name", "FRD"),
            ("remit", "My remit"),
            ("about", "The FRD SIG advises on the future regime."),
        ],
    )
    .await
    .expect(303);
    let stored = app
        .get(&format!("/api/v1/groups/{}", id(&frd)))
        .await
        .expect(200)
        .json();
    assert_eq!(stored["remit"], "My remit");
    assert_eq!(stored["about"], "The FRD SIG advises on the future regime.");
}

#[tokio::test]
async fn a_group_is_activated_then_closed_with_a_reason_and_refusals_show_on_the_form() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let rr3 = app.main_group().await;
    let we = app
        .post(
            "/api/v1/groups",
            json!({"kind": "sig", "parent_id": rr3["id"], "name": "Women's Estate SIG",
                   "short_name": "WE", "status": "proposed"}),
        )
        .await
        .expect(201)
        .json();
    let status = format!("/secretariat/groups/{}/status", id(&we));
    let page = html(&sec.get(&status).await.expect(200));
    assert!(page.contains("value=\"activate\""));
    assert!(page.contains("value=\"close\""));

    sec.submit(&status, &[("version", "1"), ("to", "activate")])
        .await
        .expect(303);
    let page = html(&sec.get(&status).await.expect(200));
    assert!(
        !page.contains("value=\"activate\""),
        "an active group only closes"
    );

    // Closing asks why; nothing changes without a reason.
    let before = app.counts().await;
    let refused = sec
        .submit(
            &status,
            &[
                ("version", "2"),
                ("to", "close"),
                ("closed_on", "31/3/2026"),
            ],
        )
        .await
        .expect(422);
    assert_eq!(error_summary(&refused), ["Say why the group is closed."]);
    assert!(html(&refused).contains("value=\"31/3/2026\""));
    assert_eq!(app.counts().await, before);

    sec.submit(
        &status,
        &[
            ("version", "2"),
            ("to", "close"),
            ("closed_on", "31/3/2026"),
            ("reason", "Final report delivered to HMPPS"),
        ],
    )
    .await
    .expect(303);
    let group = app
        .get(&format!("/api/v1/groups/{}", id(&we)))
        .await
        .expect(200)
        .json();
    assert_eq!(group["status"], "closed");
    assert_eq!(group["closed_on"], "2026-03-31");
    assert_eq!(group["closed_reason"], "Final report delivered to HMPPS");
    let page = html(
        &sec.get(&format!("/secretariat/groups/{}", id(&we)))
            .await
            .expect(200),
    );
    assert!(page.contains("The group closed on 31 March 2026: Final report delivered to HMPPS"));
    assert!(
        !page.contains("Schedule a meeting"),
        "a closed group gets no meetings"
    );

    // The lifecycle's refusal lands on the form, not an error page.
    let before = app.counts().await;
    let refused = sec
        .submit(
            &status,
            &[
                ("version", "3"),
                ("to", "activate"),
                ("reason", "Back again"),
            ],
        )
        .await
        .expect(409);
    assert!(error_summary(&refused)[0].contains("cannot be reopened"));
    assert!(
        html(&refused).contains("Change the group&#x27;s status")
            || html(&refused).contains("Change the group's status")
    );
    assert_eq!(app.counts().await, before);
}

#[tokio::test]
async fn members_are_added_and_ended_and_show_as_current_and_past() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let ana = app
        .person("Ana Costa", "ana@nacro.example", &nacro["id"])
        .await;
    let rr3 = app.main_group().await;
    let add = format!("/secretariat/groups/{}/memberships/new", id(&rr3));
    let page = html(&sec.get(&add).await.expect(200));
    assert!(
        page.contains("Ana Costa (Nacro)"),
        "people are chosen from the directory"
    );

    let before = app.counts().await;
    let refused = sec
        .submit(
            &add,
            &[
                ("person_id", ""),
                ("role", "chair"),
                ("starts_on", "not a date"),
            ],
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&refused).len(),
        2,
        "{:?}",
        error_summary(&refused)
    );
    assert!(html(&refused).contains("value=\"not a date\""));
    let refused = sec
        .submit(
            &add,
            &[
                ("person_id", &id(&ana)),
                ("role", "chair"),
                ("starts_on", "2026-04-01"),
                ("ends_on", "2026-03-01"),
            ],
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&refused),
        ["The term must not end before it starts."]
    );
    assert_eq!(app.counts().await, before);

    let start = date_from_now(-30);
    sec.submit(
        &add,
        &[
            ("person_id", &id(&ana)),
            ("role", "chair"),
            ("starts_on", &start),
        ],
    )
    .await
    .expect(303);
    // A second, overlapping term is refused on the form.
    let before = app.counts().await;
    let refused = sec
        .submit(
            &add,
            &[
                ("person_id", &id(&ana)),
                ("role", "member"),
                ("starts_on", &start),
            ],
        )
        .await
        .expect(409);
    assert!(error_summary(&refused)[0].contains("already has a membership"));
    assert_eq!(app.counts().await, before);

    let group_page = format!("/secretariat/groups/{}", id(&rr3));
    let page = html(&sec.get(&group_page).await.expect(200));
    let current = &page[page.find("Current members").unwrap()..page.find("Past members").unwrap()];
    assert!(current.contains("Ana Costa") && current.contains("Chair"));
    let end_link = current
        .split("href=\"")
        .find(|s| s.contains("/end\""))
        .map(|s| s.split('"').next().unwrap().to_owned())
        .expect("an end link");

    // Ending: a date before the term started is refused, then yesterday ends it.
    let refused = sec
        .submit(
            &end_link,
            &[("version", "1"), ("ends_on", &date_from_now(-60))],
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&refused),
        ["The term must not end before it starts."]
    );
    sec.submit(
        &end_link,
        &[("version", "1"), ("ends_on", &date_from_now(-1))],
    )
    .await
    .expect(303);
    let page = html(&sec.get(&group_page).await.expect(200));
    let past = &page[page.find("Past members").unwrap()..];
    assert!(past.contains("Ana Costa"), "{past}");
    let current = &page[page.find("Current members").unwrap()..page.find("Past members").unwrap()];
    assert!(current.contains("Nobody is a member today"));

    // A stale end form shows the conflict and changes nothing.
    let stale = sec
        .submit(
            &end_link,
            &[("version", "1"), ("ends_on", &date_from_now(5))],
        )
        .await
        .expect(409);
    assert!(html(&stale).contains("Someone else changed this"));
    let memberships = app
        .get(&format!("/api/v1/groups/{}/memberships", id(&rr3)))
        .await
        .expect(200)
        .json();
    assert_eq!(memberships["items"][0]["ends_on"], date_from_now(-1));
}

#[tokio::test]
async fn a_member_is_refused_every_group_page_and_form() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let frd = app.frd_sig().await;
    let membership = app
        .get(&format!("/api/v1/groups/{}/memberships", id(&frd.frd)))
        .await
        .expect(200)
        .json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let group = format!("/secretariat/groups/{}", id(&frd.frd));
    let pages = [
        "/secretariat/groups".to_owned(),
        "/secretariat/groups/new".to_owned(),
        group.clone(),
        format!("{group}/edit"),
        format!("{group}/status"),
        format!("{group}/memberships/new"),
        format!("{group}/memberships/{membership}/end"),
    ];
    // The secretariat sees each of them.
    for page in &pages {
        sec.get(page).await.expect(200);
    }

    let mut ben = signed_in(&app, &frd.ben).await;
    let before = app.counts().await;
    for page in &pages {
        let refused = ben.get(page).await.expect(403);
        assert!(
            html(&refused).contains("This page is for the secretariat"),
            "{page}"
        );
    }
    let forms = [&pages[1], &pages[3], &pages[4], &pages[5], &pages[6]];
    for form in forms {
        ben.submit(
            form,
            &[
                ("version", "1"),
                ("kind", "sig"),
                ("name", "Ben's group"),
                ("short_name", "BEN"),
                ("to", "close"),
                ("reason", "No"),
                ("person_id", &id(&frd.ben)),
                ("role", "chair"),
                ("starts_on", "2026-01-01"),
                ("ends_on", "2026-01-02"),
            ],
        )
        .await
        .expect(403);
    }
    assert_eq!(app.counts().await, before);
    let stored = app
        .get(&format!("/api/v1/groups/{}", id(&frd.frd)))
        .await
        .expect(200)
        .json();
    assert_eq!(stored["version"], 1);

    // Signed out, the pages send the visitor to sign in.
    let mut stranger = crate::visitor::Visitor::new(&app);
    let answer = stranger.get(&group).await.expect(303);
    assert_eq!(location(&answer), "/sign-in");
}
