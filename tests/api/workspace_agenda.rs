//! The agenda: the secretariat's page at `/secretariat/meetings/:id/agenda` and its
//! forms, and the API operations behind "Move up", "Move down" and the offer of the
//! "Actions from previous meetings" item.

use serde_json::{Value, json};

use crate::helpers::{TestApp, fields, id, items, spawn_app};
use crate::visitor::{error_summary, html, location, secretariat_visitor, signed_in};

async fn agenda(app: &TestApp, meeting: &Value) -> Vec<Value> {
    items(
        &app.get(&format!("/api/v1/meetings/{}/agenda-items", id(meeting)))
            .await
            .expect(200)
            .json(),
    )
}

fn titles(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_item_moves_one_place_up_or_down_and_not_past_either_end() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    for title in ["Welcome", "Release planning", "Any other business"] {
        app.agenda_item(&meeting, title, "members").await;
    }
    let items = agenda(&app, &meeting).await;
    let move_path = |item: &Value| format!("/api/v1/agenda-items/{}/move", id(item));

    let moved = app
        .post(&move_path(&items[2]), json!({"direction": "up"}))
        .await
        .expect(200)
        .json();
    assert_eq!(
        titles(&crate::helpers::items(&moved)),
        ["Welcome", "Any other business", "Release planning"]
    );
    app.post(&move_path(&items[0]), json!({"direction": "down"}))
        .await
        .expect(200);
    let now = agenda(&app, &meeting).await;
    assert_eq!(
        titles(&now),
        ["Any other business", "Welcome", "Release planning"]
    );
    let positions: Vec<i64> = now
        .iter()
        .map(|i| i["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2, 3]);

    let before = app.counts().await;
    let first = app
        .post(&move_path(&now[0]), json!({"direction": "up"}))
        .await
        .problem(409);
    assert!(first["detail"].as_str().unwrap().contains("already first"));
    app.post(&move_path(&now[2]), json!({"direction": "down"}))
        .await
        .problem(409);
    app.post(&move_path(&now[1]), json!({"direction": "sideways"}))
        .await
        .problem(422);
    app.send(
        poem::http::Method::POST,
        &move_path(&now[1]),
        Some(&s.ben_token),
        Some(json!({"direction": "up"})),
        &[],
    )
    .await
    .problem(403);
    assert_eq!(app.counts().await, before, "nothing changed");
}

#[tokio::test]
async fn the_previous_actions_item_comes_back_only_while_actions_are_outstanding() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let earlier = app.meeting_in(&s.frd, -20).await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    let path = format!(
        "/api/v1/meetings/{}/agenda-items/previous-actions",
        id(&meeting)
    );
    // Nothing is outstanding yet.
    let problem = app.post_empty(&path).await.problem(409);
    assert!(problem["detail"].as_str().unwrap().contains("outstanding"));

    // An action raised earlier puts the item on the later meeting by itself.
    let action = app.action(&earlier, &s.ben, None).await;
    let items = agenda(&app, &meeting).await;
    assert_eq!(items[0]["kind"], "previous_actions");
    app.post_empty(&path).await.problem(409);

    // Taken off, it can be put back, first.
    app.agenda_item(&meeting, "Release planning", "members")
        .await;
    app.delete(&format!("/api/v1/agenda-items/{}", id(&items[0])))
        .await
        .expect(204);
    let added = app.post_empty(&path).await.expect(201).json();
    assert_eq!(added["title"], "Actions from previous meetings");
    assert_eq!(added["position"], 1);
    assert_eq!(
        titles(&agenda(&app, &meeting).await),
        ["Actions from previous meetings", "Release planning"]
    );

    // Once the action is done there is nothing to carry.
    app.delete(&format!("/api/v1/agenda-items/{}", id(&added)))
        .await
        .expect(204);
    app.patch(
        &format!("/api/v1/actions/{}", id(&action)),
        json!({"status": "done"}),
    )
    .await
    .expect(200);
    let before = app.counts().await;
    app.post_empty(&path).await.problem(409);
    assert_eq!(app.counts().await, before);
}

#[tokio::test]
async fn a_presenter_is_a_person_from_the_directory_or_a_name_not_both() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    let add = format!("/api/v1/meetings/{}/agenda-items", id(&meeting));
    let before = app.counts().await;
    let problem = app
        .post(
            &add,
            json!({"title": "Release planning", "kind": "presentation", "visibility": "public",
                   "presenter_person_id": s.ana["id"], "presenter": "Jane Smith, HMPPS"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["presenter"]);
    assert_eq!(app.counts().await, before);

    // Naming the presenter one way replaces the other.
    let item = app
        .post(
            &add,
            json!({"title": "Release planning", "kind": "presentation", "visibility": "public",
                   "presenter": "Jane Smith, HMPPS"}),
        )
        .await
        .expect(201)
        .json();
    let path = format!("/api/v1/agenda-items/{}", id(&item));
    let changed = app
        .patch(&path, json!({"presenter_person_id": s.ana["id"]}))
        .await
        .expect(200)
        .json();
    assert_eq!(changed["presenter_person_id"], s.ana["id"]);
    assert!(changed["presenter"].is_null());
    let changed = app
        .patch(&path, json!({"presenter": "Jane Smith, HMPPS"}))
        .await
        .expect(200)
        .json();
    assert!(changed["presenter_person_id"].is_null());
    app.patch(
        &path,
        json!({"presenter": "Jane Smith, HMPPS", "presenter_person_id": s.ana["id"]}),
    )
    .await
    .problem(422);
}

// ---------------------------------------------------------------------------
// The pages

fn agenda_path(meeting: &Value) -> String {
    format!("/secretariat/meetings/{}/agenda", id(meeting))
}

/// The fields of the "add an item" form.
fn item<'a>(
    title: &'a str,
    kind: &'a str,
    minutes: &'a str,
    visibility: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("kind", kind),
        ("duration_minutes", minutes),
        ("visibility", visibility),
    ]
}

#[tokio::test]
async fn the_secretariat_plans_an_agenda_against_the_meetings_length_and_reorders_it() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    // Two hours, 10:00 to 12:00.
    let meeting = app.meeting_in(&s.frd, 30).await;
    let path = agenda_path(&meeting);
    let page = html(&rachel.get(&path).await.expect(200));
    assert!(page.contains("There is nothing on the agenda yet"));
    assert!(page.contains("aria-current=\"page\">Agenda</a>"), "its tab");

    let reply = rachel
        .submit(&path, &item("Welcome", "welcome", "10", "public"))
        .await
        .expect(303);
    assert!(location(&reply).starts_with(&path));
    let page = html(&rachel.get(&location(&reply)).await.expect(200));
    assert!(page.contains("“Welcome” was added to the agenda."));

    let mut presentation = item("Release planning", "presentation", "60", "members");
    let ana = id(&s.ana);
    presentation.push(("presenter_person_id", &ana));
    rachel.submit(&path, &presentation).await.expect(303);
    let mut aob = item("Any other business", "aob", "20", "secretariat");
    aob.push(("presenter", "Jane Smith, HMPPS"));
    rachel.submit(&path, &aob).await.expect(303);

    let page = html(&rachel.get(&path).await.expect(200));
    assert!(page.contains("presented by Ana Costa"));
    assert!(page.contains("presented by Jane Smith, HMPPS"));
    assert!(page.contains("1 hour 30 minutes planned of the meeting’s 2 hours: 30 minutes left."));
    assert!(!page.contains("over the meeting’s length"), "not over");

    // "Move up" and "Move down" are forms, one press each.
    let items = agenda(&app, &meeting).await;
    let aob_id = id(&items[2]);
    let reply = rachel
        .submit(
            &format!("/secretariat/agenda-items/{aob_id}/move"),
            &[("direction", "up")],
        )
        .await
        .expect(303);
    assert_eq!(location(&reply), format!("{path}#item-{aob_id}"));
    let page = html(&rachel.get(&location(&reply)).await.expect(200));
    assert!(page.contains("“Any other business” was moved up."));
    rachel
        .submit(
            &format!("/secretariat/agenda-items/{}/move", id(&items[0])),
            &[("direction", "down")],
        )
        .await
        .expect(303);
    assert_eq!(
        titles(&agenda(&app, &meeting).await),
        ["Any other business", "Welcome", "Release planning"]
    );
    let page = html(&rachel.get(&path).await.expect(200));
    let first = page.find("1. Any other business").expect("first");
    let second = page.find("2. Welcome").expect("second");
    assert!(first < second);

    // The first item cannot move up: said on the page, nothing moves.
    let before = app.counts().await;
    let reply = rachel
        .submit(
            &format!("/secretariat/agenda-items/{aob_id}/move"),
            &[("direction", "up")],
        )
        .await
        .expect(409);
    assert_eq!(
        error_summary(&reply),
        ["The item is already first on the agenda."]
    );
    assert_eq!(app.counts().await, before);

    // Past the meeting's length, the page says so plainly.
    rachel
        .submit(
            &path,
            &item("Regime principles", "discussion", "45", "members"),
        )
        .await
        .expect(303);
    let page = html(&rachel.get(&path).await.expect(200));
    assert!(
        page.contains("The agenda runs 15 minutes over the meeting’s length."),
        "{page}"
    );
}

#[tokio::test]
async fn an_agenda_item_form_with_problems_comes_back_with_them_and_changes_nothing() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let meeting = app.meeting_in(&s.frd, 30).await;
    let path = agenda_path(&meeting);
    let before = app.counts().await;

    // What the page can tell for itself.
    let reply = rachel
        .submit(
            &path,
            &item(
                "Release planning",
                "presentation",
                "half an hour",
                "members",
            ),
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&reply),
        ["Time set aside must be a whole number, like 30"]
    );
    let page = html(&reply);
    assert!(page.contains("<title>Error: "));
    assert!(page.contains("value=\"Release planning\""), "values kept");
    assert!(page.contains("value=\"half an hour\""));
    assert!(page.contains("href=\"#duration_minutes\""));

    // What the service refuses: every problem at once, beside its field.
    let ana = id(&s.ana);
    let mut fields = item("  ", "presentation", "900", "members");
    fields.push(("presenter_person_id", &ana));
    fields.push(("presenter", "Jane Smith, HMPPS"));
    let reply = rachel.submit(&path, &fields).await.expect(422);
    let summary = error_summary(&reply);
    assert_eq!(summary.len(), 3, "{summary:?}");
    assert!(summary.contains(&"Enter the item’s title.".to_owned()));
    assert!(summary.contains(&"Time set aside must be between 1 and 600 minutes.".to_owned()));
    assert!(
        summary
            .contains(&"Choose a person from the directory or type a name, not both.".to_owned())
    );
    let page = html(&reply);
    assert!(page.contains("id=\"presenter-error\""));
    assert!(page.contains("value=\"Jane Smith, HMPPS\""));
    assert!(page.contains("value=\"900\""));

    assert_eq!(app.counts().await, before, "nothing was added");
}

#[tokio::test]
async fn a_stale_agenda_edit_shows_both_versions_and_overwrites_nothing() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let meeting = app.meeting_in(&s.frd, 30).await;
    let stored = app
        .agenda_item(&meeting, "Release planning", "members")
        .await;
    let edit = format!("/secretariat/agenda-items/{}/edit", id(&stored));
    let form = html(&rachel.get(&edit).await.expect(200));
    assert!(form.contains("name=\"version\" value=\"1\""));
    assert!(form.contains("value=\"Release planning\""));

    // Someone else renames it over the API meanwhile.
    app.patch_if_match(
        &format!("/api/v1/agenda-items/{}", id(&stored)),
        json!({"title": "Release and resettlement"}),
        "\"1\"",
    )
    .await
    .expect(200);

    let mine = [
        ("version", "1"),
        ("title", "Release planning: HMPPS update"),
        ("kind", "update"),
        ("duration_minutes", "25"),
        ("visibility", "members"),
    ];
    let reply = rachel.submit(&edit, &mine).await.expect(409);
    let page = html(&reply);
    assert!(page.contains("Someone else changed this while you were editing"));
    assert!(page.contains("Release and resettlement"), "theirs");
    assert!(
        page.contains("value=\"Release planning: HMPPS update\""),
        "mine, kept in the form"
    );
    assert!(
        page.contains("name=\"version\" value=\"2\""),
        "saving again is a choice"
    );
    let now = app
        .get(&format!("/api/v1/agenda-items/{}", id(&stored)))
        .await
        .json();
    assert_eq!(now["title"], "Release and resettlement", "not overwritten");

    let mut again = mine.to_vec();
    again[0] = ("version", "2");
    let reply = rachel.submit(&edit, &again).await.expect(303);
    assert!(location(&reply).starts_with(&agenda_path(&meeting)));
    let now = app
        .get(&format!("/api/v1/agenda-items/{}", id(&stored)))
        .await
        .json();
    assert_eq!(now["title"], "Release planning: HMPPS update");
    assert_eq!(now["kind"], "update");
    assert_eq!(now["duration_minutes"], 25);
}

#[tokio::test]
async fn removing_an_item_asks_first_and_the_rest_close_up() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let meeting = app.meeting_in(&s.frd, 30).await;
    let welcome = app.agenda_item(&meeting, "Welcome", "public").await;
    app.agenda_item(&meeting, "Release planning", "members")
        .await;
    let remove = format!("/secretariat/agenda-items/{}/remove", id(&welcome));
    let page = html(&rachel.get(&remove).await.expect(200));
    assert!(page.contains("Remove “Welcome” from the agenda?"));
    assert_eq!(
        agenda(&app, &meeting).await.len(),
        2,
        "asking removes nothing"
    );

    // A stale confirmation is refused, and says why.
    app.patch(
        &format!("/api/v1/agenda-items/{}", id(&welcome)),
        json!({"duration_minutes": 5}),
    )
    .await
    .expect(200);
    let reply = rachel
        .submit(&remove, &[("version", "1")])
        .await
        .expect(409);
    assert_eq!(error_summary(&reply).len(), 1);
    assert_eq!(agenda(&app, &meeting).await.len(), 2);

    let reply = rachel
        .submit(&remove, &[("version", "2")])
        .await
        .expect(303);
    let page = html(&rachel.get(&location(&reply)).await.expect(200));
    assert!(page.contains("“Welcome” was removed from the agenda."));
    let left = agenda(&app, &meeting).await;
    assert_eq!(titles(&left), ["Release planning"]);
    assert_eq!(left[0]["position"], 1);
}

#[tokio::test]
async fn the_agenda_offers_the_previous_actions_item_when_it_is_missing() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let earlier = app.meeting_in(&s.frd, -20).await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    let path = agenda_path(&meeting);
    let offer = "Add “Actions from previous meetings” at the top";
    assert!(!html(&rachel.get(&path).await.expect(200)).contains(offer));

    app.action(&earlier, &s.ben, None).await;
    let automatic = agenda(&app, &meeting).await;
    assert_eq!(automatic[0]["kind"], "previous_actions");
    assert!(
        !html(&rachel.get(&path).await.expect(200)).contains(offer),
        "not while it is there"
    );
    app.agenda_item(&meeting, "Release planning", "members")
        .await;
    app.delete(&format!("/api/v1/agenda-items/{}", id(&automatic[0])))
        .await
        .expect(204);

    let page = html(&rachel.get(&path).await.expect(200));
    assert!(page.contains(offer));
    assert!(page.contains("1 action from earlier meetings is still open"));
    let reply = rachel
        .submit(&format!("{path}/previous-actions"), &[])
        .await
        .expect(303);
    let page = html(&rachel.get(&location(&reply)).await.expect(200));
    assert!(page.contains("was added at the top of the agenda"));
    assert!(!page.contains(offer));
    assert_eq!(
        titles(&agenda(&app, &meeting).await),
        ["Actions from previous meetings", "Release planning"]
    );

    // Pressed twice (an old page), it is refused and nothing is added.
    let before = app.counts().await;
    let reply = rachel
        .submit(&format!("{path}/previous-actions"), &[])
        .await
        .expect(409);
    assert_eq!(
        error_summary(&reply),
        ["The agenda already has an item for actions from previous meetings."]
    );
    assert_eq!(app.counts().await, before);
}

#[tokio::test]
async fn members_are_refused_every_agenda_page_and_form() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let meeting = app.meeting_in(&s.frd, 10).await;
    let first = app.agenda_item(&meeting, "Welcome", "public").await;
    app.agenda_item(&meeting, "Release planning", "members")
        .await;
    let mut ben = signed_in(&app, &s.ben).await;
    let item = id(&first);
    for path in [
        agenda_path(&meeting),
        format!("/secretariat/agenda-items/{item}/edit"),
        format!("/secretariat/agenda-items/{item}/remove"),
    ] {
        let page = html(&ben.get(&path).await.expect(403));
        assert!(page.contains("This page is for the secretariat"), "{path}");
        assert!(!page.contains("Release planning"), "{path}");
    }
    let before = app.counts().await;
    for (path, fields) in [
        (agenda_path(&meeting), item_fields()),
        (
            format!("/secretariat/agenda-items/{item}/edit"),
            vec![("title", "Hello"), ("version", "1")],
        ),
        (
            format!("/secretariat/agenda-items/{item}/remove"),
            vec![("version", "1")],
        ),
        (
            format!("/secretariat/agenda-items/{item}/move"),
            vec![("direction", "down")],
        ),
        (
            format!("{}/previous-actions", agenda_path(&meeting)),
            vec![],
        ),
    ] {
        ben.submit(&path, &fields).await.expect(403);
    }
    assert_eq!(app.counts().await, before, "nothing changed");
    assert_eq!(
        titles(&agenda(&app, &meeting).await),
        ["Welcome", "Release planning"]
    );
}

fn item_fields() -> Vec<(&'static str, &'static str)> {
    item("Hello", "discussion", "10", "public")
}

#[tokio::test]
async fn a_cancelled_meetings_agenda_is_kept_as_it_was_and_refuses_changes() {
    let app = spawn_app().await;
    let s = app.frd_sig().await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let meeting = app.meeting_in(&s.frd, 30).await;
    let welcome = app.agenda_item(&meeting, "Welcome", "public").await;
    app.agenda_item(&meeting, "Release planning", "members")
        .await;
    app.post(
        &format!("/api/v1/meetings/{}/cancel", id(&meeting)),
        json!({"reason": "The chair is unwell"}),
    )
    .await
    .expect(200);
    let path = agenda_path(&meeting);
    let page = html(&rachel.get(&path).await.expect(200));
    assert!(page.contains("The meeting was cancelled and can no longer change."));
    assert!(!page.contains("Add item"), "no forms");
    assert!(!page.contains("Move down"));

    // A form from a page read before it was cancelled.
    let before = app.counts().await;
    let reply = rachel
        .submit(&path, &item("Any other business", "aob", "10", "public"))
        .await
        .expect(409);
    assert_eq!(
        error_summary(&reply),
        ["The meeting was cancelled and can no longer change."]
    );
    assert!(
        html(&reply).contains("value=\"Any other business\""),
        "kept"
    );
    rachel
        .submit(
            &format!("/secretariat/agenda-items/{}/move", id(&welcome)),
            &[("direction", "down")],
        )
        .await
        .expect(409);
    assert_eq!(app.counts().await, before);
    assert_eq!(
        titles(&agenda(&app, &meeting).await),
        ["Welcome", "Release planning"]
    );
}
