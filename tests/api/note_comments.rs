//! Members' comments on a circulated summary note, over the JSON API: who may
//! comment, until when, what each person sees, and the secretariat's decisions.

use std::io::{Cursor, Read};

use poem::http::Method;
use serde_json::{Value, json};

use crate::helpers::{FrdSig, TestApp, date_from_now, fields, id, items, spawn_app};

/// FRD's meeting three days ago, held, with a public item and one for the
/// secretariat only; Carys (HMPPS) attended as an official, Dan (MoJ) was invited
/// as one and was absent, Priya belongs to no group. Its note is written.
struct Scene {
    app: TestApp,
    frd: FrdSig,
    meeting: Value,
    item: Value,
    secret_item: Value,
    carys_token: String,
    dan_token: String,
    priya_token: String,
    other_item: Value,
}

impl Scene {
    fn note(&self, rest: &str) -> String {
        format!("/api/v1/meetings/{}/summary-note{rest}", id(&self.meeting))
    }

    async fn circulate(&self, deadline: &str) {
        self.app
            .post(
                &self.note("/circulate"),
                json!({"comment_deadline": deadline}),
            )
            .await
            .expect(200);
    }

    async fn comment_as(&self, token: &str, body: Value) -> crate::helpers::Reply {
        self.app
            .send(
                Method::POST,
                &self.note("/comments"),
                Some(token),
                Some(body),
                &[],
            )
            .await
    }

    async fn post_as(&self, token: &str, path: &str, body: Option<Value>) -> crate::helpers::Reply {
        self.app
            .send(Method::POST, path, Some(token), body, &[])
            .await
    }
}

async fn scene() -> Scene {
    let app = spawn_app().await;
    let frd = app.frd_sig().await;
    let hmpps = app.organisation("HMPPS", "hmpps").await;
    let moj = app.organisation("Ministry of Justice", "moj").await;
    let carys = app
        .person("Carys Hughes", "carys@hmpps.example", &hmpps["id"])
        .await;
    let dan = app.person("Dan Reid", "dan@moj.example", &moj["id"]).await;
    let priya = app
        .person("Priya Raman", "priya@prt.example", &frd.nacro["id"])
        .await;
    let meeting = app.meeting_in(&frd.frd, -3).await;
    let other = app.meeting_in(&frd.frd, -30).await;
    let item = app
        .agenda_item(&meeting, "Regime principles", "public")
        .await;
    let secret_item = app
        .agenda_item(&meeting, "Secretariat budget", "secretariat")
        .await;
    let other_item = app.agenda_item(&other, "Earlier item", "public").await;
    let register = app.invite_members(&meeting).await;
    let mid = id(&meeting);
    let mut lines: Vec<Value> = register["invited"].as_array().unwrap().clone();
    for (person, status) in [(&carys, "attended"), (&dan, "absent")] {
        let line = app
            .post(
                &format!("/api/v1/meetings/{mid}/attendance"),
                json!({"person_id": person["id"], "role": "official"}),
            )
            .await
            .expect(201)
            .json();
        lines.push(json!({"id": line["id"], "status": status}));
    }
    for line in &lines {
        let status = line["status"]
            .as_str()
            .filter(|s| *s != "invited")
            .unwrap_or("attended");
        app.patch(
            &format!("/api/v1/attendance/{}", id(line)),
            json!({"status": status}),
        )
        .await
        .expect(200);
    }
    app.post_empty(&format!("/api/v1/meetings/{mid}/mark-held"))
        .await
        .expect(200);
    app.put(
        &format!("/api/v1/meetings/{mid}/summary-note"),
        json!({"purpose": "To hear officials on regime design",
               "items": [{"agenda_item_id": item["id"], "summary": "Officials set out the principles."},
                         {"agenda_item_id": secret_item["id"], "summary": "The budget is confidential."}]}),
    )
    .await
    .expect(201);
    Scene {
        carys_token: app.member_token(&carys).await,
        dan_token: app.member_token(&dan).await,
        priya_token: app.member_token(&priya).await,
        app,
        frd,
        meeting,
        item,
        secret_item,
        other_item,
    }
}

fn document_text(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("document part")
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[tokio::test]
async fn members_and_attending_officials_comment_and_each_sees_only_their_own() {
    let s = scene().await;
    let app = &s.app;
    s.circulate(&date_from_now(7)).await;

    let ben = s
        .comment_as(
            &s.frd.ben_token,
            json!({"body": "Please say that officials will share the data.", "agenda_item_id": s.item["id"]}),
        )
        .await
        .expect(201);
    assert_eq!(ben.header("etag").as_deref(), Some("\"1\""));
    let ben = ben.json();
    assert_eq!(ben["status"], "open");
    assert_eq!(ben["person_name"], "Ben Okafor");
    assert_eq!(ben["agenda_item_title"], "Regime principles");
    let carys = s
        .comment_as(&s.carys_token, json!({"body": "HMPPS's title is wrong."}))
        .await
        .expect(201)
        .json();
    assert_eq!(carys["agenda_item_id"], Value::Null, "on the whole note");

    // An official who was absent, and someone outside the group, may not comment.
    let before = app.counts().await;
    for token in [&s.dan_token, &s.priya_token] {
        s.comment_as(token, json!({"body": "May I?"}))
            .await
            .problem(403);
        s.app.get_as(token, &s.note("/comments")).await.problem(403);
        s.app
            .get_as(token, &s.note("/circulated-document"))
            .await
            .problem(403);
    }
    assert_eq!(app.counts().await, before, "nothing changed");

    // Each reader sees their own; the secretariat sees all.
    let own = items(
        &app.get_as(&s.frd.ben_token, &s.note("/comments"))
            .await
            .expect(200)
            .json(),
    );
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["id"], ben["id"]);
    app.get_as(
        &s.frd.ben_token,
        &format!("/api/v1/note-comments/{}", id(&carys)),
    )
    .await
    .problem(403);
    let all = items(&app.get(&s.note("/comments")).await.expect(200).json());
    assert_eq!(all.len(), 2);

    // Members read the circulated draft as members receive it; comments are in no
    // rendition.
    let draft = app
        .get_as(&s.frd.ben_token, &s.note("/circulated-document"))
        .await
        .expect(200);
    let xml = document_text(&draft.body);
    assert!(
        xml.contains("Officials set out the principles."),
        "the note's text"
    );
    let mut zip = zip::ZipArchive::new(Cursor::new(draft.body.as_slice())).unwrap();
    let headers = (0..zip.len())
        .filter_map(|i| {
            let mut part = zip.by_index(i).ok()?;
            let mut text = String::new();
            part.name().contains("header").then_some(())?;
            part.read_to_string(&mut text).ok()?;
            Some(text)
        })
        .collect::<String>();
    assert!(headers.contains("DRAFT"), "marked as a draft");
    assert!(!xml.contains("confidential"), "no secretariat-only item");
    for rendition in [
        draft.body.clone(),
        app.get(&s.note("/document?audience=secretariat"))
            .await
            .expect(200)
            .body,
    ] {
        let xml = document_text(&rendition);
        assert!(
            !xml.contains("share the data"),
            "no comment in any rendition"
        );
        assert!(!xml.contains("title is wrong"));
    }

    // Every comment is audited.
    assert_eq!(
        app.count("audit_events WHERE operation = 'note_comment.create'")
            .await,
        2
    );
}

#[tokio::test]
async fn comments_open_with_circulation_and_close_after_the_deadline_day() {
    let s = scene().await;
    let app = &s.app;
    let body = json!({"body": "A comment"});

    // A draft is not open for comment.
    let before = app.counts().await;
    let p = s
        .comment_as(&s.frd.ben_token, body.clone())
        .await
        .problem(409);
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("not been circulated"),
        "{p}"
    );
    app.get_as(&s.frd.ben_token, &s.note("/circulated-document"))
        .await
        .problem(409);
    assert_eq!(app.counts().await, before);

    // The deadline day itself is still open.
    s.circulate(&date_from_now(0)).await;
    let comment = s
        .comment_as(&s.frd.ben_token, body.clone())
        .await
        .expect(201)
        .json();

    // A new deadline in the past closes comments: no new ones, no withdrawing.
    s.circulate(&date_from_now(-1)).await;
    let before = app.counts().await;
    let p = s
        .comment_as(&s.frd.ben_token, body.clone())
        .await
        .problem(409);
    assert!(p["detail"].as_str().unwrap().contains("deadline"), "{p}");
    s.post_as(
        &s.frd.ben_token,
        &format!("/api/v1/note-comments/{}/withdraw", id(&comment)),
        None,
    )
    .await
    .problem(409);
    app.get_as(&s.frd.ben_token, &s.note("/circulated-document"))
        .await
        .problem(409);
    assert_eq!(app.counts().await, before, "nothing changed");
    // The member still reads their comment.
    app.get_as(
        &s.frd.ben_token,
        &format!("/api/v1/note-comments/{}", id(&comment)),
    )
    .await
    .expect(200);

    // Once approved, comments stay closed whatever the deadline.
    s.circulate(&date_from_now(5)).await;
    app.post(&s.note("/approve"), json!({})).await.expect(200);
    s.comment_as(&s.frd.ben_token, body).await.problem(409);
}

#[tokio::test]
async fn the_secretariat_decides_on_comments_and_the_commenter_sees_the_reply() {
    let s = scene().await;
    let app = &s.app;
    s.circulate(&date_from_now(7)).await;
    let comment = s
        .comment_as(
            &s.frd.ben_token,
            json!({"body": "Say that members welcomed the principles."}),
        )
        .await
        .expect(201)
        .json();
    let path = format!("/api/v1/note-comments/{}", id(&comment));

    // Members may not decide; a stale version is refused; nothing changes.
    let before = app.counts().await;
    s.post_as(
        &s.frd.ben_token,
        &format!("{path}/decision"),
        Some(json!({"decision": "adopted"})),
    )
    .await
    .problem(403);
    app.send(
        Method::POST,
        &format!("{path}/decision"),
        Some(&app.secretariat),
        Some(json!({"decision": "adopted"})),
        &[("If-Match", "\"9\"")],
    )
    .await
    .problem(412);
    let p = app
        .post(&format!("{path}/decision"), json!({"decision": "maybe"}))
        .await
        .problem(422);
    assert_eq!(fields(&p), ["decision"]);
    assert_eq!(app.counts().await, before, "nothing changed");

    let decided = app
        .send(
            Method::POST,
            &format!("{path}/decision"),
            Some(&app.secretariat),
            Some(json!({"decision": "adopted", "reply": "Thank you: the note now says so."})),
            &[("If-Match", "\"1\"")],
        )
        .await
        .expect(200)
        .json();
    assert_eq!(decided["status"], "adopted");
    assert_eq!(decided["version"], 2);
    let seen = app.get_as(&s.frd.ben_token, &path).await.expect(200).json();
    assert_eq!(seen["reply"], "Thank you: the note now says so.");
    assert_eq!(seen["status"], "adopted");

    // A decided comment is no longer withdrawn; a withdrawn one is not decided.
    s.post_as(&s.frd.ben_token, &format!("{path}/withdraw"), None)
        .await
        .problem(409);
    let other = s
        .comment_as(&s.frd.ben_token, json!({"body": "On reflection, nothing."}))
        .await
        .expect(201)
        .json();
    let other_path = format!("/api/v1/note-comments/{}", id(&other));
    let withdrawn = s
        .post_as(&s.frd.ben_token, &format!("{other_path}/withdraw"), None)
        .await
        .expect(200)
        .json();
    assert_eq!(withdrawn["status"], "withdrawn");
    app.post(
        &format!("{other_path}/decision"),
        json!({"decision": "not_adopted"}),
    )
    .await
    .problem(409);
    assert_eq!(
        app.count("audit_events WHERE operation = 'note_comment.decide'")
            .await,
        1
    );
    assert_eq!(
        app.count("audit_events WHERE operation = 'note_comment.withdraw'")
            .await,
        1
    );
}

#[tokio::test]
async fn bad_comments_are_refused_and_change_nothing() {
    let s = scene().await;
    let app = &s.app;
    s.circulate(&date_from_now(7)).await;
    let before = app.counts().await;

    let p = s
        .comment_as(&s.frd.ben_token, json!({"body": "   "}))
        .await
        .problem(422);
    assert_eq!(fields(&p), ["body"]);
    for item in [&s.secret_item, &s.other_item] {
        let p = s
            .comment_as(
                &s.frd.ben_token,
                json!({"body": "About this item", "agenda_item_id": item["id"]}),
            )
            .await
            .problem(422);
        assert_eq!(fields(&p), ["agenda_item_id"]);
    }
    let p = s
        .comment_as(&s.frd.ben_token, json!({"body": "x".repeat(5001)}))
        .await
        .problem(422);
    assert_eq!(fields(&p), ["body"]);
    // A member comments for themselves only.
    s.comment_as(
        &s.frd.ben_token,
        json!({"body": "From Ana", "person_id": s.frd.ana["id"]}),
    )
    .await
    .problem(403);
    // The secretariat says whose comment it records, and for someone who may comment.
    let p = app
        .post(&s.note("/comments"), json!({"body": "From someone"}))
        .await
        .problem(422);
    assert_eq!(fields(&p), ["person_id"]);
    assert_eq!(app.counts().await, before, "nothing changed");
    let outsider = app
        .person("Olu Ade", "olu@example.org", &s.frd.nacro["id"])
        .await;
    let before = app.counts().await;
    let p = app
        .post(
            &s.note("/comments"),
            json!({"body": "From Olu", "person_id": outsider["id"]}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["person_id"]);
    assert_eq!(app.counts().await, before, "nothing changed");
    assert_eq!(app.count("note_comments").await, 0);

    // Someone else's comment cannot be withdrawn by a member.
    let ana = app
        .post(
            &s.note("/comments"),
            json!({"body": "Ana's point, by email", "person_id": s.frd.ana["id"]}),
        )
        .await
        .expect(201)
        .json();
    assert!(ana["recorded_by"].as_str().unwrap().contains("secretariat"));
    s.post_as(
        &s.frd.ben_token,
        &format!("/api/v1/note-comments/{}/withdraw", id(&ana)),
        None,
    )
    .await
    .problem(403);
    let still = app
        .get(&format!("/api/v1/note-comments/{}", id(&ana)))
        .await
        .expect(200)
        .json();
    assert_eq!(still["status"], "open");
}
