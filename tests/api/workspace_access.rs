//! Access and records in the browser: sign-in links shown once and withdrawn,
//! calendar feeds, API tokens, and the audit trail with its filters.

use poem::http::Method;
use serde_json::json;

use crate::helpers::{id, spawn_app};
use crate::visitor::{
    Visitor, error_summary, html, location, path_of, secretariat_visitor, signed_in,
};

/// The value of the read-only field with this id.
fn shown_value(page: &str, field: &str) -> String {
    let marker = format!("id=\"{field}\"");
    let at = page.find(&marker).expect("the field is shown");
    let rest = &page[at..];
    let start = rest.find("value=\"").unwrap() + "value=\"".len();
    rest[start..start + rest[start..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn a_sign_in_link_is_shown_once_works_once_and_can_be_withdrawn() {
    let app = spawn_app().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let ana = app
        .person("Ana Costa", "ana@nacro.example", &json!(null))
        .await;

    let form = html(
        &rachel
            .get(&format!(
                "/secretariat/access/sign-in-links/new?person={}",
                id(&ana)
            ))
            .await
            .expect(200),
    );
    assert!(
        form.contains(&format!("value=\"{}\" selected", id(&ana))),
        "the person is chosen"
    );

    let issued = rachel
        .submit(
            "/secretariat/access/sign-in-links/new",
            &[("person_id", &id(&ana)), ("minutes", "1440")],
        )
        .await
        .expect(201);
    let page = html(&issued);
    assert!(page.contains("mailto:ana@nacro.example"));
    let url = shown_value(&page, "link-url");
    assert!(url.contains("/sign-in/mb_"), "{url}");

    // Ana uses it; it then reads as used on the access page, and cannot be used again.
    let mut ana_browser = Visitor::new(&app);
    ana_browser.sign_in(&url).await.expect(303);
    ana_browser.get("/meetings").await.expect(200);
    let access = html(&rachel.get("/secretariat/access").await.expect(200));
    assert!(access.contains("Ana Costa"));
    assert!(access.contains(">Used<"));
    assert!(
        !access.contains("/sign-in/mb_"),
        "the address is never shown again"
    );
    let mut someone = Visitor::new(&app);
    someone.get(&path_of(&url)).await.expect(410);

    // Withdrawing it ends the session it started.
    let links = app
        .get(&format!("/api/v1/sign-in-links?person_id={}", id(&ana)))
        .await
        .expect(200)
        .json();
    assert_eq!(links["items"][0]["state"], "used");
    let link_id = links["items"][0]["id"].as_str().unwrap().to_owned();
    let reply = rachel
        .submit(
            &format!("/secretariat/access/sign-in-links/{link_id}/revoke"),
            &[],
        )
        .await
        .expect(303);
    assert_eq!(location(&reply), "/secretariat/access");
    let after = html(&rachel.get("/secretariat/access").await.expect(200));
    assert!(after.contains("The sign-in link was withdrawn"));
    assert!(after.contains(">Withdrawn<"));
    ana_browser.get("/meetings").await.expect(303);
}

#[tokio::test]
async fn a_sign_in_link_form_with_problems_issues_nothing() {
    let app = spawn_app().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let ana = app
        .person("Ana Costa", "ana@nacro.example", &json!(null))
        .await;
    let before = app.counts().await;
    let reply = rachel
        .submit(
            "/secretariat/access/sign-in-links/new",
            &[("minutes", "1440")],
        )
        .await
        .expect(422);
    assert_eq!(error_summary(&reply), ["Choose who the link is for"]);
    assert!(html(&reply).contains("<title>Error: Issue a sign-in link"));
    let reply = rachel
        .submit(
            "/secretariat/access/sign-in-links/new",
            &[("person_id", &id(&ana)), ("minutes", "99999")],
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&reply),
        ["Minutes must be between 1 and 10080 minutes (a week)."]
    );
    assert!(html(&reply).contains("href=\"#minutes\""));
    assert_eq!(app.counts().await, before);
    let links = app.get("/api/v1/sign-in-links").await.expect(200).json();
    // Only Rachel's own link, from signing her in.
    assert_eq!(links["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn calendar_feeds_and_api_tokens_are_issued_once_and_stopped() {
    let app = spawn_app().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let ana = app
        .person("Ana Costa", "ana@nacro.example", &json!(null))
        .await;

    let issued = rachel
        .submit(
            "/secretariat/access/calendar-feeds/new",
            &[("person_id", &id(&ana))],
        )
        .await
        .expect(201);
    let feed = shown_value(&html(&issued), "feed-url");
    let feed_path = path_of(&feed);
    let calendar = app
        .send(Method::GET, &feed_path, None, None, &[])
        .await
        .expect(200);
    assert!(String::from_utf8_lossy(&calendar.body).contains("BEGIN:VCALENDAR"));
    let access = html(&rachel.get("/secretariat/access").await.expect(200));
    assert!(access.contains("Stop<span class=\"visually-hidden\"> Ana Costa’s</span> feed"));
    let start = access
        .find("action=\"/secretariat/access/calendar-feeds/")
        .unwrap()
        + "action=\"".len();
    let revoke = access[start..start + access[start..].find('"').unwrap()].to_owned();
    rachel.submit(&revoke, &[]).await.expect(303);
    app.send(Method::GET, &feed_path, None, None, &[])
        .await
        .expect(410);

    // A member token must name its person: the service's rule, shown on the field.
    let reply = rachel
        .submit(
            "/secretariat/access/tokens/new",
            &[("name", "Ana's app"), ("role", "member")],
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&reply),
        ["A member token must name the person it speaks for."]
    );
    let issued = rachel
        .submit(
            "/secretariat/access/tokens/new",
            &[("name", "Website notes feed"), ("role", "secretariat")],
        )
        .await
        .expect(201);
    let token = shown_value(&html(&issued), "token");
    assert!(token.starts_with("mb_"));
    app.send(Method::GET, "/api/v1/groups", Some(&token), None, &[])
        .await
        .expect(200);
    let access = html(&rachel.get("/secretariat/access").await.expect(200));
    assert!(access.contains("Website notes feed"));
    assert!(!access.contains(&token), "the token is never shown again");
    let tokens = app.get("/api/v1/tokens").await.expect(200).json();
    let website = tokens["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Website notes feed")
        .unwrap()
        .clone();
    rachel
        .submit(
            &format!("/secretariat/access/tokens/{}/revoke", id(&website)),
            &[],
        )
        .await
        .expect(303);
    app.send(Method::GET, "/api/v1/groups", Some(&token), None, &[])
        .await
        .expect(401);
}

#[tokio::test]
async fn the_audit_trail_lists_changes_newest_first_and_filters_them() {
    let app = spawn_app().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    rachel
        .submit(
            "/secretariat/organisations",
            &[("name", "Nacro"), ("kind", "voluntary_sector")],
        )
        .await
        .expect(303);
    app.person("Ana Costa", "ana@nacro.example", &json!(null))
        .await;

    let all = html(&rachel.get("/secretariat/audit").await.expect(200));
    let person_at = all
        .find("Person: create")
        .expect("the person's creation is listed");
    let org_at = all
        .find("Organisation: create")
        .expect("the organisation's too");
    assert!(person_at < org_at, "newest first");
    assert!(all.contains("Rachel Okonjo (web)"));

    let by_rachel = html(
        &rachel
            .get("/secretariat/audit?who=okonjo")
            .await
            .expect(200),
    );
    assert!(by_rachel.contains("Organisation: create"));
    assert!(
        !by_rachel.contains("Person: create"),
        "the API token made Ana, not Rachel"
    );
    let people = html(
        &rachel
            .get("/secretariat/audit?what=person")
            .await
            .expect(200),
    );
    assert!(people.contains("Person: create"));
    assert!(!people.contains("Organisation: create"));
    let future = html(
        &rachel
            .get("/secretariat/audit?from=2999-01-01")
            .await
            .expect(200),
    );
    assert!(future.contains("No changes match."));

    let refused = rachel
        .get("/secretariat/audit?from=2026-05-02&to=2026-05-01&what=spaceships")
        .await
        .expect(422);
    assert_eq!(
        error_summary(&refused),
        [
            "The last day must be the same as or after the first day",
            "Choose what was changed from the list"
        ]
    );
    let refused = rachel
        .get("/secretariat/audit?from=31/2/2026")
        .await
        .expect(422);
    assert_eq!(
        error_summary(&refused),
        ["The first day must be a real date, for example 27/3/2026"]
    );

    // The API reads the same trail newest first when asked.
    let newest = app
        .get("/api/v1/audit?order=newest&operation=person")
        .await
        .expect(200)
        .json();
    assert_eq!(newest["items"][0]["operation"], "person.create");
    app.get("/api/v1/audit?order=sideways").await.problem(400);
}

#[tokio::test]
async fn members_cannot_reach_access_or_the_audit_trail() {
    let app = spawn_app().await;
    let ana = app
        .person("Ana Costa", "ana@nacro.example", &json!(null))
        .await;
    let mut member = signed_in(&app, &ana).await;
    for path in [
        "/secretariat/access",
        "/secretariat/access/sign-in-links/new",
        "/secretariat/access/calendar-feeds/new",
        "/secretariat/access/tokens/new",
        "/secretariat/audit",
    ] {
        member.get(path).await.expect(403);
    }
    let before = app.counts().await;
    member
        .submit(
            "/secretariat/access/sign-in-links/new",
            &[("person_id", &id(&ana)), ("minutes", "60")],
        )
        .await
        .expect(403);
    member
        .submit(
            "/secretariat/access/tokens/new",
            &[("name", "Mine"), ("role", "secretariat")],
        )
        .await
        .expect(403);
    assert_eq!(app.counts().await, before);
}
