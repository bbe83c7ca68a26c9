//! The agenda: the secretariat's page at `/secretariat/meetings/:id/agenda` and its
//! forms, and the API operations behind "Move up", "Move down" and the offer of the
//! "Actions from previous meetings" item.

use serde_json::{Value, json};

use crate::helpers::{TestApp, fields, id, items, spawn_app};

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
