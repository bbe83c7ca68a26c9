//! The secretariat's directory in the browser: organisations and people, their
//! forms' errors and conflicts, secretariat access, and members kept out.

use serde_json::json;

use crate::helpers::{TestApp, id, spawn_app};
use crate::visitor::{error_summary, html, location, secretariat_visitor, signed_in};

async fn nacro(app: &TestApp) -> serde_json::Value {
    app.organisation("Nacro", "voluntary_sector").await
}

#[tokio::test]
async fn the_secretariat_adds_an_organisation_and_a_person_and_finds_them_by_search() {
    let app = spawn_app().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;

    let form = rachel
        .get("/secretariat/organisations/new")
        .await
        .expect(200);
    assert!(html(&form).contains("What kind of organisation is it?"));
    let reply = rachel
        .submit(
            "/secretariat/organisations",
            &[
                ("name", "Nacro"),
                ("kind", "voluntary_sector"),
                ("website", "https://www.nacro.org.uk"),
            ],
        )
        .await
        .expect(303);
    let org_page = location(&reply);
    let page = html(&rachel.get(&org_page).await.expect(200));
    assert!(
        page.contains("Nacro was added to the directory."),
        "the flash shows once"
    );
    assert!(page.contains("Voluntary sector"));
    let again = html(&rachel.get(&org_page).await.expect(200));
    assert!(
        !again.contains("was added to the directory"),
        "and only once"
    );

    let org_id = org_page.rsplit('/').next().unwrap().to_owned();
    let reply = rachel
        .submit(
            "/secretariat/people",
            &[
                ("name", "Ana Costa"),
                ("email", "Ana@Nacro.example"),
                ("job_title", "Head of Policy"),
                ("organisation_id", &org_id),
            ],
        )
        .await
        .expect(303);
    let person_page = html(&rachel.get(&location(&reply)).await.expect(200));
    assert!(person_page.contains("Ana Costa was added to the directory."));
    assert!(person_page.contains("ana@nacro.example"));
    assert!(person_page.contains("Head of Policy"));

    // Search by name, by organisation, in any case; nobody else matches.
    app.person("Ben Okafor", "ben@clinks.example", &json!(null))
        .await;
    for words in ["ana", "NACRO", "costa"] {
        let list = html(
            &rachel
                .get(&format!("/secretariat/people?q={words}"))
                .await
                .expect(200),
        );
        assert!(list.contains("Ana Costa"), "{words} finds Ana");
        assert!(!list.contains("Ben Okafor"), "{words} does not find Ben");
    }
    let none = html(&rachel.get("/secretariat/people?q=zzz").await.expect(200));
    assert!(none.contains("matches “zzz”"));
    let orgs = html(
        &rachel
            .get("/secretariat/organisations?q=acr")
            .await
            .expect(200),
    );
    assert!(orgs.contains("Nacro"));
}

#[tokio::test]
async fn a_person_form_with_problems_comes_back_with_them_and_changes_nothing() {
    let app = spawn_app().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let org = nacro(&app).await;
    app.person("Ana Costa", "ana@nacro.example", &org["id"])
        .await;
    let before = app.counts().await;

    // A duplicate email (in another case) is an error on the email field.
    let reply = rachel
        .submit(
            "/secretariat/people",
            &[
                ("name", "Ana Costa-Smith"),
                ("email", "ANA@nacro.example"),
                ("job_title", "Trustee"),
            ],
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&reply),
        ["Another person already has this email address."]
    );
    let page = html(&reply);
    assert!(page.contains("<title>Error: Add a person"));
    assert!(
        page.contains("href=\"#email\""),
        "the summary links to the field"
    );
    assert!(
        page.contains("id=\"email-error\""),
        "the message is beside the field"
    );
    assert!(
        page.contains("value=\"Ana Costa-Smith\""),
        "values are kept"
    );
    assert!(page.contains("value=\"Trustee\""));

    // No name, a malformed email, and an organisation that is not one of ours.
    let reply = rachel
        .submit(
            "/secretariat/people",
            &[
                ("name", "  "),
                ("email", "not an email"),
                ("organisation_id", "nacro"),
            ],
        )
        .await
        .expect(422);
    let summary = error_summary(&reply);
    assert_eq!(
        summary.len(),
        1,
        "the organisation is checked before the service: {summary:?}"
    );
    assert_eq!(summary[0], "Choose an organisation from the list");
    let reply = rachel
        .submit(
            "/secretariat/people",
            &[("name", "  "), ("email", "not an email")],
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&reply).len(),
        2,
        "{:?}",
        error_summary(&reply)
    );
    assert!(html(&reply).contains("href=\"#name\""));

    assert_eq!(app.counts().await, before, "nothing was added");
}

#[tokio::test]
async fn a_stale_edit_shows_both_versions_and_overwrites_nothing() {
    let app = spawn_app().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let org = nacro(&app).await;
    let ana = app
        .person("Ana Costa", "ana@nacro.example", &org["id"])
        .await;
    let edit_path = format!("/secretariat/people/{}/edit", id(&ana));
    let form = html(&rachel.get(&edit_path).await.expect(200));
    assert!(form.contains("name=\"version\" value=\"1\""));

    // Someone else changes her job title through the API meanwhile.
    app.patch_if_match(
        &format!("/api/v1/people/{}", id(&ana)),
        json!({"job_title": "Director of Policy"}),
        "\"1\"",
    )
    .await
    .expect(200);

    let reply = rachel
        .submit(
            &edit_path,
            &[
                ("version", "1"),
                ("name", "Ana Costa"),
                ("email", "ana@nacro.example"),
                ("job_title", "Head of Policy"),
                ("organisation_id", &id(&org)),
            ],
        )
        .await
        .expect(409);
    let page = html(&reply);
    assert!(page.contains("Someone else changed this while you were editing"));
    assert!(page.contains("Director of Policy"), "their value is shown");
    assert!(
        page.contains("value=\"Head of Policy\""),
        "yours is kept in the form"
    );
    assert!(
        page.contains("name=\"version\" value=\"2\""),
        "saving again is a choice"
    );
    assert!(
        !page.contains(&id(&org)) || page.matches(&id(&org)).count() == 1,
        "the organisation shows by name in the comparison, not by id"
    );
    let stored = app
        .get(&format!("/api/v1/people/{}", id(&ana)))
        .await
        .json();
    assert_eq!(
        stored["job_title"], "Director of Policy",
        "nothing was overwritten"
    );

    // Saving again, on purpose, keeps this person's value.
    rachel
        .submit(
            &edit_path,
            &[
                ("version", "2"),
                ("name", "Ana Costa"),
                ("email", "ana@nacro.example"),
                ("job_title", "Head of Policy"),
                ("organisation_id", &id(&org)),
            ],
        )
        .await
        .expect(303);
    let stored = app
        .get(&format!("/api/v1/people/{}", id(&ana)))
        .await
        .json();
    assert_eq!(stored["job_title"], "Head of Policy");
}

#[tokio::test]
async fn secretariat_access_is_given_and_taken_away_and_the_last_holder_keeps_it() {
    let app = spawn_app().await;
    let (mut rachel, rachel_person) =
        secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let tom = app
        .person("Tom Whitfield", "tom@clinks.example", &json!(null))
        .await;

    // Tom signs in as a member and is refused the workspace.
    let mut tom_browser = signed_in(&app, &tom).await;
    tom_browser.get("/secretariat/people").await.expect(403);

    let path = format!("/secretariat/people/{}/access", id(&tom));
    let reply = rachel
        .submit(&path, &[("access", "give"), ("version", "1")])
        .await
        .expect(303);
    let page = html(&rachel.get(&location(&reply)).await.expect(200));
    assert!(page.contains("Tom Whitfield now has secretariat access"));
    // His existing session follows his access at once.
    tom_browser.get("/secretariat/people").await.expect(200);

    // The audit trail names Rachel herself, not "the secretariat".
    let audit = app.get("/api/v1/audit?limit=200").await.json();
    let entry = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["operation"] == "person.update")
        .expect("an audit entry for the change")
        .clone();
    assert_eq!(entry["actor"], "Rachel Okonjo (web) (secretariat)");

    // Rachel removes her own access while Tom still has his; then Tom cannot remove
    // his, being the last.
    let own = format!("/secretariat/people/{}/access", id(&rachel_person));
    rachel
        .submit(&own, &[("access", "remove"), ("version", "1")])
        .await
        .expect(303);
    rachel.get("/secretariat/people").await.expect(403);
    let reply = tom_browser
        .submit(&path, &[("access", "remove"), ("version", "2")])
        .await
        .expect(409);
    assert_eq!(
        error_summary(&reply),
        ["This is the last person with secretariat access; give someone else access first."]
    );
    let stored = app
        .get(&format!("/api/v1/people/{}", id(&tom)))
        .await
        .json();
    assert_eq!(stored["secretariat_access"], true);
}

#[tokio::test]
async fn members_and_signed_out_visitors_never_see_the_directory() {
    let app = spawn_app().await;
    let org = nacro(&app).await;
    let ana = app
        .person("Ana Costa", "ana@nacro.example", &org["id"])
        .await;
    let mut member = signed_in(&app, &ana).await;
    let pages = [
        "/secretariat/people".to_owned(),
        "/secretariat/people/new".to_owned(),
        format!("/secretariat/people/{}", id(&ana)),
        format!("/secretariat/people/{}/edit", id(&ana)),
        "/secretariat/organisations".to_owned(),
        "/secretariat/organisations/new".to_owned(),
        format!("/secretariat/organisations/{}", id(&org)),
        format!("/secretariat/organisations/{}/edit", id(&org)),
    ];
    for path in &pages {
        let reply = member.get(path).await.expect(403);
        let page = html(&reply);
        assert!(page.contains("This page is for the secretariat"), "{path}");
        assert!(
            !page.contains("ana@nacro.example"),
            "{path} shows nothing of the workspace"
        );
    }
    let before = app.counts().await;
    for (path, fields) in [
        ("/secretariat/people".to_owned(), vec![("name", "Eve")]),
        (
            format!("/secretariat/people/{}/edit", id(&ana)),
            vec![("name", "Eve"), ("version", "1")],
        ),
        (
            format!("/secretariat/people/{}/access", id(&ana)),
            vec![("access", "give"), ("version", "1")],
        ),
        (
            "/secretariat/organisations".to_owned(),
            vec![("name", "Eve Ltd"), ("kind", "other")],
        ),
    ] {
        member.submit(&path, &fields).await.expect(403);
    }
    assert_eq!(app.counts().await, before);
    let stored = app
        .get(&format!("/api/v1/people/{}", id(&ana)))
        .await
        .json();
    assert_eq!(stored["secretariat_access"], false);

    let mut stranger = crate::visitor::Visitor::new(&app);
    for path in &pages {
        let reply = stranger.get(path).await.expect(303);
        assert_eq!(location(&reply), "/sign-in");
    }
}

#[tokio::test]
async fn a_form_without_the_sessions_csrf_token_changes_nothing() {
    let app = spawn_app().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let before = app.counts().await;
    rachel
        .post_form(
            "/secretariat/organisations",
            &[
                ("csrf_token", "forged"),
                ("name", "Nacro"),
                ("kind", "voluntary_sector"),
            ],
        )
        .await
        .expect(403);
    rachel
        .post_form("/secretariat/people", &[("name", "Ana Costa")])
        .await
        .expect(403);
    assert_eq!(app.counts().await, before);
}

#[tokio::test]
async fn a_persons_page_shows_their_groups_meetings_and_actions() {
    let app = spawn_app().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let sig = app.frd_sig().await;
    let meeting = app.meeting_in(&sig.frd, 7).await;
    app.invite_members(&meeting).await;
    let action = app.action(&meeting, &sig.ben, Some("2026-01-05")).await;
    let page = html(
        &rachel
            .get(&format!("/secretariat/people/{}", id(&sig.ben)))
            .await
            .expect(200),
    );
    assert!(page.contains("Future Regime Design SIG"));
    assert!(page.contains("Not answered yet"));
    assert!(page.contains(action["reference"].as_str().unwrap()));
    assert!(page.contains("Overdue"));
}
