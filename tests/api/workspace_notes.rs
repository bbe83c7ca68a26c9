//! The summary note in the browser, over HTTP without a browser: the secretariat's
//! editor, preview, lifecycle buttons and versions; members' comments on the
//! circulated draft; and what the public may see.

use serde_json::{Value, json};

use crate::helpers::{FrdSig, TestApp, date_from_now, id, items, spawn_app};
use crate::visitor::{Visitor, error_summary, html, location, secretariat_visitor, signed_in};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// FRD's meeting three days ago, held: a welcome, a presentation by Carys (HMPPS)
/// who attended as an official, and a secretariat-only item. Ben and Ana attended.
struct Scene {
    app: TestApp,
    frd: FrdSig,
    meeting: Value,
    items: [Value; 3],
    carys: Value,
}

impl Scene {
    fn mid(&self) -> String {
        id(&self.meeting)
    }

    fn note(&self, rest: &str) -> String {
        format!("/secretariat/meetings/{}/note{rest}", self.mid())
    }

    /// The API's view of the note.
    async fn stored(&self) -> Value {
        self.app
            .get(&format!("/api/v1/meetings/{}/summary-note", self.mid()))
            .await
            .expect(200)
            .json()
    }
}

async fn scene() -> Scene {
    let app = spawn_app().await;
    let frd = app.frd_sig().await;
    let hmpps = app.organisation("HMPPS", "hmpps").await;
    let carys = app
        .person("Carys Hughes", "carys@hmpps.example", &hmpps["id"])
        .await;
    let meeting = app.meeting_in(&frd.frd, -3).await;
    let mid = id(&meeting);
    let welcome = app.agenda_item(&meeting, "Welcome", "public").await;
    let presentation = app
        .post(
            &format!("/api/v1/meetings/{mid}/agenda-items"),
            json!({"title": "Regime principles", "kind": "presentation", "visibility": "public",
                   "presenter_person_id": carys["id"]}),
        )
        .await
        .expect(201)
        .json();
    let budget = app
        .agenda_item(&meeting, "Secretariat budget", "secretariat")
        .await;
    let register = app.invite_members(&meeting).await;
    let carys_line = app
        .post(
            &format!("/api/v1/meetings/{mid}/attendance"),
            json!({"person_id": carys["id"], "role": "official"}),
        )
        .await
        .expect(201)
        .json();
    let mut lines = items(&json!({"items": register["invited"]}));
    lines.push(carys_line);
    for line in &lines {
        app.patch(
            &format!("/api/v1/attendance/{}", id(line)),
            json!({"status": "attended"}),
        )
        .await
        .expect(200);
    }
    app.post_empty(&format!("/api/v1/meetings/{mid}/mark-held"))
        .await
        .expect(200);
    Scene {
        app,
        frd,
        meeting,
        items: [welcome, presentation, budget],
        carys,
    }
}

/// The editor's fields for a note: a purpose and a summary and point for the
/// presentation (item 1), the point as given.
fn note_fields<'a>(point: &'a str, version: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("purpose", "To hear officials on regime design."),
        (
            "item-1-summary",
            "Officials set out the emerging principles.",
        ),
        ("item-1-points", "2"),
        ("item-1-point-0", point),
        ("item-1-point-1", ""),
        ("item-1-response", "Officials will share the evidence."),
        ("item-1-agreed", "The secretariat will collate views."),
        ("key_issues", "Continuity of care\nPurposeful activity"),
        ("next_steps", "Draft the written response."),
        ("attribution", "non_attributed"),
        ("save", ""),
    ];
    if !version.is_empty() {
        fields.push(("version", version));
    }
    fields
}

/// The `item-k-id` fields the editor carries, read from its page.
async fn item_ids(visitor: &mut Visitor<'_>, s: &Scene) -> Vec<(String, String)> {
    let _ = visitor.get(&s.note("")).await.expect(200);
    s.items
        .iter()
        .enumerate()
        .map(|(k, item)| (format!("item-{k}-id"), id(item)))
        .collect()
}

async fn save(
    visitor: &mut Visitor<'_>,
    s: &Scene,
    fields: &[(&str, &str)],
) -> crate::helpers::Reply {
    let ids = item_ids(visitor, s).await;
    let mut all: Vec<(&str, &str)> = ids.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    all.extend_from_slice(fields);
    visitor.submit(&s.note(""), &all).await
}

#[tokio::test]
async fn a_note_is_written_commented_on_approved_and_published_in_the_browser() {
    let s = scene().await;
    let app = &s.app;
    let (mut dev, _) = secretariat_visitor(app, "Dev Patel", "dev@clinks.example").await;

    // The editor is laid out from the agenda, and says what is missing.
    let page = dev.get(&s.note("")).await.expect(200);
    let text = html(&page);
    for title in [
        "1. Welcome",
        "2. Regime principles",
        "3. Secretariat budget",
    ] {
        assert!(text.contains(title), "{title}");
    }
    assert!(text.contains("Nothing is written for this item yet"));
    assert!(text.contains("Add another point"));
    assert!(
        text.contains("never names them"),
        "the attribution rule beside the speakers"
    );
    assert!(
        text.contains("Carys Hughes (Official)"),
        "speakers from the register"
    );

    // A point that names a member in a non-attributed note is saved, with a warning
    // beside it.
    let saved = save(
        &mut dev,
        &s,
        &note_fields("Ben Okafor raised concerns about time out of cell.", ""),
    )
    .await
    .expect(303);
    assert_eq!(location(&saved), s.note(""));
    let page = html(&dev.get(&s.note("")).await.expect(200));
    assert!(page.contains("The draft was saved."), "{page}");
    assert!(page.contains("Check this point:"), "{page}");
    assert!(page.contains("names Ben Okafor"));

    // "Add another point" saves and comes back with one more box.
    let stored = s.stored().await;
    let version = stored["version"].to_string();
    let more = save(
        &mut dev,
        &s,
        &[
            note_fields("Members raised concerns about time out of cell.", &version),
            vec![("add_point", "1")],
        ]
        .concat()
        .into_iter()
        .filter(|(k, _)| *k != "save")
        .collect::<Vec<_>>(),
    )
    .await
    .expect(303);
    assert!(location(&more).contains("more=1"), "{}", location(&more));
    let page = html(&dev.get(&location(&more)).await.expect(200));
    assert!(page.contains("name=\"item-1-point-2\""), "a third box");
    assert!(
        !page.contains("Check this point:"),
        "the warning is gone once fixed"
    );
    let stored = s.stored().await;
    assert_eq!(
        stored["items"][0]["discussion"][0]["text"],
        "Members raised concerns about time out of cell."
    );
    assert_eq!(
        stored["items"].as_array().unwrap().len(),
        1,
        "blank items are left out"
    );

    // The preview for each audience is drawn from the same rendition as the Word
    // document.
    let public = html(
        &dev.get(&s.note("/preview?audience=public"))
            .await
            .expect(200),
    );
    assert!(public.contains("Members raised concerns about time out of cell."));
    assert!(public.contains("Summary note: Future Regime Design SIG"));
    let draft = dev
        .get(&format!(
            "/meetings/{}/summary-note/document?audience=members",
            s.mid()
        ))
        .await
        .expect(200);
    assert_eq!(draft.header("content-type").as_deref(), Some(DOCX));

    // Circulating says who will see it.
    let circulate = html(&dev.get(&s.note("/circulate")).await.expect(200));
    for name in ["Ana Costa", "Ben Okafor", "Carys Hughes"] {
        assert!(circulate.contains(name), "{name} will see it");
    }
    let version = s.stored().await["version"].to_string();
    dev.submit(
        &s.note("/circulate"),
        &[
            ("comment_deadline", &date_from_now(7)),
            ("version", &version),
        ],
    )
    .await
    .expect(303);
    assert_eq!(s.stored().await["status"], "circulated");

    // Ben reads the members' rendition from his meeting page and comments.
    let mut ben = signed_in(app, &s.frd.ben).await;
    let meeting_page = html(&ben.get(&format!("/meetings/{}", s.mid())).await.expect(200));
    assert!(
        meeting_page.contains(&format!("/meetings/{}/note", s.mid())),
        "{meeting_page}"
    );
    let note_page = html(
        &ben.get(&format!("/meetings/{}/note", s.mid()))
            .await
            .expect(200),
    );
    assert!(note_page.contains("Members raised concerns about time out of cell."));
    assert!(
        !note_page.contains("Secretariat budget"),
        "no secretariat-only item"
    );
    let sent = ben
        .submit(
            &format!("/meetings/{}/note/comments", s.mid()),
            &[
                ("agenda_item_id", &id(&s.items[1])),
                (
                    "body",
                    "Please add that officials will share the data by June.",
                ),
            ],
        )
        .await
        .expect(303);
    let mine = html(&ben.get(&location(&sent)).await.expect(200));
    assert!(mine.contains("Your comment was sent"));
    assert!(mine.contains("Please add that officials will share the data by June."));

    // The secretariat sees it beside the editor and adopts it with a reply.
    let page = html(&dev.get(&s.note("")).await.expect(200));
    assert!(page.contains("Please add that officials will share the data by June."));
    assert!(page.contains("1 waiting"));
    let comment = items(
        &app.get(&format!(
            "/api/v1/meetings/{}/summary-note/comments",
            s.mid()
        ))
        .await
        .expect(200)
        .json(),
    )[0]
    .clone();
    dev.submit(
        &format!("/secretariat/note-comments/{}/decision", id(&comment)),
        &[
            ("decision", "adopted"),
            ("reply", "Thank you: added to item 2."),
            ("version", "1"),
        ],
    )
    .await
    .expect(303);
    let mine = html(
        &ben.get(&format!("/meetings/{}/note", s.mid()))
            .await
            .expect(200),
    );
    assert!(mine.contains("Adopted"));
    assert!(mine.contains("Thank you: added to item 2."));

    // The secretariat edits the circulated note, approves and publishes it after
    // checking its answers.
    let version = s.stored().await["version"].to_string();
    let mut fields = note_fields("Members raised concerns about time out of cell.", &version);
    fields.push(("item-1-point-1", "Officials will share the data by June."));
    fields.retain(|(k, v)| !(*k == "item-1-point-1" && v.is_empty()));
    save(&mut dev, &s, &fields).await.expect(303);
    let version = s.stored().await["version"].to_string();
    dev.submit(&s.note("/approve"), &[("version", &version)])
        .await
        .expect(303);
    let approved = s.stored().await;
    assert_eq!(approved["status"], "approved");
    let page = html(&dev.get(&s.note("")).await.expect(200));
    assert!(
        page.contains("Approved by Dev Patel"),
        "who approved is shown"
    );
    let version = approved["version"].to_string();
    let check = dev
        .submit(
            &s.note("/publish"),
            &[("audience", "public"), ("version", &version)],
        )
        .await
        .expect(200);
    let check = html(&check);
    assert!(check.contains("Check your answers"));
    assert!(check.contains("Publish for the public"));
    assert_eq!(
        s.stored().await["status"],
        "approved",
        "nothing published yet"
    );
    let done = dev
        .submit(
            &s.note("/publish"),
            &[
                ("audience", "public"),
                ("confirm", "yes"),
                ("version", &version),
            ],
        )
        .await
        .expect(303);
    assert_eq!(location(&done), s.note("/versions"));
    let versions = html(&dev.get(&s.note("/versions")).await.expect(200));
    let stored = s.stored().await;
    assert_eq!(stored["published_version"], 1);
    assert!(versions.contains("Version 1"));
    assert!(versions.contains("The public"));
    assert!(versions.contains("by Dev Patel"));
    let detail = app
        .get(&format!("/api/v1/summary-notes/{}", id(&stored)))
        .await
        .expect(200)
        .json();
    let sha = detail["versions"][0]["sha256"].as_str().unwrap().to_owned();
    assert!(versions.contains(&sha), "the SHA-256 is listed");

    // A member downloads the published document; it holds the adopted text and no
    // comment.
    let href = format!("/notes/{}/versions/1/document", id(&stored));
    assert!(versions.contains(&href));
    let document = ben.get(&href).await.expect(200);
    assert_eq!(document.header("content-type").as_deref(), Some(DOCX));
    let xml = docx_text(&document.body);
    assert!(xml.contains("Officials will share the data by June."));
    assert!(
        !xml.contains("Please add that"),
        "comments never reach a rendition"
    );

    // The public sees the public note and never a draft or a comment.
    let mut public = Visitor::new(app);
    let home = html(&public.get("/").await.expect(200));
    assert!(
        home.contains(&format!("{}/versions/1/document", id(&stored))),
        "the public note is listed: {home}"
    );
    public.get(&href).await.expect(200);
    for path in [
        format!("/meetings/{}/note", s.mid()),
        format!("/meetings/{}/note/document", s.mid()),
        format!(
            "/meetings/{}/summary-note/document?audience=public",
            s.mid()
        ),
        s.note(""),
        s.note("/preview?audience=public"),
    ] {
        let reply = public.get(&path).await;
        assert_eq!(reply.status.as_u16(), 303, "{path} asks to sign in");
        assert!(!html(&reply).contains("Please add that"));
    }
}

fn docx_text(docx: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[tokio::test]
async fn two_editors_saving_at_once_see_both_texts_and_lose_neither() {
    let s = scene().await;
    let app = &s.app;
    let (mut dev, _) = secretariat_visitor(app, "Dev Patel", "dev@clinks.example").await;
    let (mut rachel, _) = secretariat_visitor(app, "Rachel Okonjo", "rachel@clinks.example").await;
    save(&mut dev, &s, &note_fields("Members raised concerns.", ""))
        .await
        .expect(303);
    let version = s.stored().await["version"].to_string();

    // Both opened version 1; Rachel saves first.
    let mut theirs = note_fields("Members welcomed the principles.", &version);
    theirs.retain(|(k, _)| *k != "purpose");
    theirs.push(("purpose", "Rachel's purpose."));
    save(&mut rachel, &s, &theirs).await.expect(303);
    let before = s.stored().await;

    let mine = note_fields("Members asked about resourcing.", &version);
    let reply = save(&mut dev, &s, &mine).await.expect(409);
    let page = html(&reply);
    assert!(page.contains("Someone else changed this while you were editing"));
    assert!(
        page.contains("Rachel&#39;s purpose.") || page.contains("Rachel's purpose."),
        "theirs is shown"
    );
    assert!(page.contains("Members welcomed the principles."));
    assert!(
        page.contains("Members asked about resourcing."),
        "mine is kept in the form"
    );
    assert_eq!(s.stored().await, before, "nothing was overwritten");

    // Saving again from the conflict page is a choice, and works.
    let current = before["version"].to_string();
    let mine = note_fields("Members asked about resourcing.", &current);
    save(&mut dev, &s, &mine).await.expect(303);
    assert_eq!(
        s.stored().await["items"][0]["discussion"][0]["text"],
        "Members asked about resourcing."
    );
}

#[tokio::test]
async fn refusals_by_role_state_and_deadline_change_nothing() {
    let s = scene().await;
    let app = &s.app;
    let (mut dev, _) = secretariat_visitor(app, "Dev Patel", "dev@clinks.example").await;
    save(&mut dev, &s, &note_fields("Members raised concerns.", ""))
        .await
        .expect(303);
    let mut ben = signed_in(app, &s.frd.ben).await;

    // A member never reaches the secretariat's pages or buttons.
    for path in [
        s.note(""),
        s.note("/preview"),
        s.note("/circulate"),
        s.note("/publish"),
        s.note("/versions"),
    ] {
        let reply = ben.get(&path).await.expect(403);
        assert!(!html(&reply).contains("Members raised concerns."), "{path}");
    }
    let before = app.counts().await;
    for path in [
        s.note(""),
        s.note("/approve"),
        s.note("/publish"),
        s.note("/circulate"),
    ] {
        ben.submit(&path, &[("audience", "public"), ("confirm", "yes")])
            .await
            .expect(403);
    }
    // A draft is not for members yet.
    let page = ben
        .get(&format!("/meetings/{}/note", s.mid()))
        .await
        .expect(200);
    assert!(html(&page).contains("not been circulated"));
    assert!(!html(&page).contains("Members raised concerns."));
    ben.submit(
        &format!("/meetings/{}/note/comments", s.mid()),
        &[("body", "Too early")],
    )
    .await
    .expect(409);

    // The lifecycle refuses steps out of order, saying why.
    let version = s.stored().await["version"].to_string();
    let refused = dev
        .submit(&s.note("/approve"), &[("version", &version)])
        .await
        .expect(303);
    let page = html(&dev.get(&location(&refused)).await.expect(200));
    assert!(
        page.contains("Nothing was changed: Circulate the note"),
        "{page}"
    );
    let refused = dev
        .submit(
            &s.note("/publish"),
            &[
                ("audience", "members"),
                ("confirm", "yes"),
                ("version", &version),
            ],
        )
        .await
        .expect(303);
    let page = html(&dev.get(&location(&refused)).await.expect(200));
    assert!(
        page.contains("only an approved note can be published"),
        "{page}"
    );
    // Bad input: a deadline that is not a date, one before the meeting, no audience.
    let reply = dev
        .submit(
            &s.note("/circulate"),
            &[("comment_deadline", "next week"), ("version", &version)],
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&reply),
        ["The comment deadline must be a real date, for example 27/3/2026"]
    );
    assert!(
        html(&reply).contains("value=\"next week\""),
        "the value is kept"
    );
    let reply = dev
        .submit(
            &s.note("/circulate"),
            &[("comment_deadline", "2020-01-01"), ("version", &version)],
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&reply),
        ["Comment deadline must not be before the meeting."]
    );
    let reply = dev.submit(&s.note("/publish"), &[]).await.expect(422);
    assert_eq!(
        error_summary(&reply),
        ["Choose who the note is published for"]
    );
    let reply = dev
        .submit(
            &s.note("/revise"),
            &[("reason", "  "), ("version", &version)],
        )
        .await;
    assert!(matches!(reply.status.as_u16(), 409 | 422));
    assert_eq!(app.counts().await, before, "nothing changed");
    assert_eq!(s.stored().await["status"], "draft");

    // Comments close after the deadline day.
    dev.submit(
        &s.note("/circulate"),
        &[
            ("comment_deadline", &date_from_now(-1)),
            ("version", &version),
        ],
    )
    .await
    .expect(303);
    let before = app.counts().await;
    let reply = ben
        .submit(
            &format!("/meetings/{}/note/comments", s.mid()),
            &[("body", "Too late")],
        )
        .await
        .expect(409);
    assert_eq!(
        error_summary(&reply),
        ["The deadline for comments on this note has passed."]
    );
    assert_eq!(app.counts().await, before, "nothing changed");
    // Someone outside the group never reads the draft.
    let outsider = app
        .person("Olu Ade", "olu@example.org", &s.frd.nacro["id"])
        .await;
    let mut olu = signed_in(app, &outsider).await;
    olu.get(&format!("/meetings/{}/note", s.mid()))
        .await
        .expect(403);
}

#[tokio::test]
async fn bad_input_is_shown_beside_its_field_with_the_values_kept() {
    let s = scene().await;
    let app = &s.app;
    let (mut dev, _) = secretariat_visitor(app, "Dev Patel", "dev@clinks.example").await;
    save(&mut dev, &s, &note_fields("Members raised concerns.", ""))
        .await
        .expect(303);
    let before = s.stored().await;
    let version = before["version"].to_string();

    // A speaker who was not there, and an overlong purpose.
    let long = "x".repeat(20_001);
    let mut fields = note_fields("Members asked about resourcing.", &version);
    fields.retain(|(k, _)| *k != "purpose");
    fields.push(("purpose", &long));
    let stranger = crate::helpers::unknown_id();
    fields.push(("item-1-speaker-0", &stranger));
    let reply = save(&mut dev, &s, &fields).await.expect(422);
    let summary = error_summary(&reply);
    assert_eq!(summary.len(), 2, "{summary:?}");
    assert_eq!(
        summary[0],
        "Purpose of the meeting must be at most 20000 characters."
    );
    assert!(
        summary[1].starts_with("Regime principles: speaker of point 1 must be someone"),
        "{summary:?}"
    );
    let page = html(&reply);
    assert!(page.contains("href=\"#purpose\""));
    assert!(page.contains("href=\"#item-1-speaker-0\""));
    assert!(
        page.contains("Members asked about resourcing."),
        "values kept"
    );
    assert_eq!(s.stored().await, before, "nothing changed");

    // A member's empty comment.
    let version = s.stored().await["version"].to_string();
    dev.submit(
        &s.note("/circulate"),
        &[
            ("comment_deadline", &date_from_now(3)),
            ("version", &version),
        ],
    )
    .await
    .expect(303);
    let mut carys = signed_in(app, &s.carys).await;
    let page = html(
        &carys
            .get(&format!("/meetings/{}/note", s.mid()))
            .await
            .expect(200),
    );
    assert!(
        page.contains("Comment on the draft"),
        "an official who attended may comment"
    );
    let counted = app.count("note_comments").await;
    let reply = carys
        .submit(
            &format!("/meetings/{}/note/comments", s.mid()),
            &[("body", "   "), ("agenda_item_id", &id(&s.items[1]))],
        )
        .await
        .expect(422);
    assert_eq!(error_summary(&reply), ["Your comment must not be empty."]);
    assert_eq!(app.count("note_comments").await, counted);
    // A withdrawn comment cannot be withdrawn twice.
    let sent = carys
        .submit(
            &format!("/meetings/{}/note/comments", s.mid()),
            &[("body", "HMPPS's title is wrong.")],
        )
        .await
        .expect(303);
    let _ = carys.get(&location(&sent)).await;
    let comment = items(
        &app.get(&format!(
            "/api/v1/meetings/{}/summary-note/comments",
            s.mid()
        ))
        .await
        .expect(200)
        .json(),
    )[0]
    .clone();
    let path = format!(
        "/meetings/{}/note/comments/{}/withdraw",
        s.mid(),
        id(&comment)
    );
    carys.submit(&path, &[("version", "1")]).await.expect(303);
    let again = carys.submit(&path, &[("version", "2")]).await.expect(303);
    let page = html(&carys.get(&location(&again)).await.expect(200));
    assert!(page.contains("was not withdrawn"), "{page}");
    assert!(page.contains("Withdrawn"));
}

#[tokio::test]
async fn a_revision_says_why_and_the_versions_list_shows_what_superseded_what() {
    let s = scene().await;
    let app = &s.app;
    let (mut dev, _) = secretariat_visitor(app, "Dev Patel", "dev@clinks.example").await;
    save(&mut dev, &s, &note_fields("Members raised concerns.", ""))
        .await
        .expect(303);
    let api = |rest: &str| format!("/api/v1/meetings/{}/summary-note{rest}", s.mid());
    let through = || async {
        app.post(
            &api("/circulate"),
            json!({"comment_deadline": date_from_now(2)}),
        )
        .await
        .expect(200);
        app.post(&api("/approve"), json!({})).await.expect(200);
        app.post(&api("/publish"), json!({"audience": "members"}))
            .await
            .expect(201);
    };
    through().await;

    // Revising needs a reason; without one nothing changes.
    let version = s.stored().await["version"].to_string();
    let reply = dev
        .submit(
            &s.note("/revise"),
            &[("reason", " "), ("version", &version)],
        )
        .await
        .expect(422);
    assert_eq!(error_summary(&reply), ["Reason must not be empty."]);
    assert_eq!(s.stored().await["status"], "published");
    dev.submit(
        &s.note("/revise"),
        &[
            ("reason", "Correcting the date of the next meeting"),
            ("version", &version),
        ],
    )
    .await
    .expect(303);
    let page = html(&dev.get(&s.note("")).await.expect(200));
    assert!(page.contains("back in draft for a correction"), "{page}");
    assert!(page.contains("Correcting the date of the next meeting"));
    through().await;

    let versions = html(&dev.get(&s.note("/versions")).await.expect(200));
    let v2 = versions.find("Version 2").expect("version 2 listed");
    let v1 = versions.find("Version 1</h3>").expect("version 1 listed");
    assert!(v2 < v1, "newest first");
    assert!(
        versions.contains("Supersedes</dt><dd>Version 1: Correcting the date of the next meeting")
    );
    assert!(versions.contains("Superseded by</dt><dd>Version 2"));
    assert!(versions.contains("versions/1/document") && versions.contains("versions/2/document"));
}
