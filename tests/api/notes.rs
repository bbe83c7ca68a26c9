//! Summary notes: the whole life of a note, and the Word documents it becomes.

use std::io::{Cursor, Read};

use poem::http::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, date_from_now, id, spawn_app};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/// Every awkward character a note's text may hold.
const TRICKY: &str = "Tom & Jerry <script> “curly” ‘quotes’ — café Köln";

/// A SIG with an earlier meeting (with actions still open), the meeting the note is
/// about, and a later scheduled meeting.
pub(crate) struct Scene {
    pub(crate) app: TestApp,
    frd: Value,
    earlier: Value,
    meeting: Value,
    welcome: Value,
    presentation: Value,
    members_only: Value,
    secretariat_only: Value,
    earlier_item: Value,
    ben: Value,
    zoe: Value,
    carys: Value,
}

impl Scene {
    fn mid(&self) -> String {
        id(&self.meeting)
    }

    fn note_path(&self, rest: &str) -> String {
        format!("/api/v1/meetings/{}/summary-note{rest}", self.mid())
    }

    /// A realistic note body: every section, an attributed point, special characters.
    fn body(&self) -> Value {
        json!({
            "purpose": format!("To hear officials on regime design. {TRICKY}"),
            "attribution": "non_attributed",
            "items": [
                {"agenda_item_id": self.welcome["id"], "summary": "The chair welcomed members and officials."},
                {"agenda_item_id": self.presentation["id"],
                 "summary": "Officials set out the emerging principles for regime design.",
                 "discussion": [
                     format!("Members raised concerns about time out of cell. {TRICKY}"),
                     {"text": "Officials said the evidence base would be shared.", "speaker_person_id": self.carys["id"]},
                     {"text": "A member asked how purposeful activity would be resourced.", "speaker_person_id": self.zoe["id"]}
                 ],
                 "officials_response": "Officials agreed to share the evidence behind the principles.",
                 "agreed": ["The secretariat will collate members' views by 30 June."]},
                {"agenda_item_id": self.members_only["id"], "summary": "Members-only discussion of the draft response.",
                 "discussion": ["Members discussed their draft response in confidence."]},
                {"agenda_item_id": self.secretariat_only["id"], "summary": "Secretariat-only budget matters.",
                 "discussion": ["The budget for the next quarter is confidential."]}
            ],
            "key_issues": ["Continuity of care between prisons", "Resourcing of purposeful activity"],
            "next_steps": ["The secretariat will draft the group's written response."],
            "aob": "None raised."
        })
    }

    async fn put_note(&self, body: Value) -> Value {
        self.app.put(&self.note_path(""), body).await.json()
    }

    /// Writes, circulates and approves the note.
    pub(crate) async fn approved_note(&self) -> Value {
        self.app
            .put(&self.note_path(""), self.body())
            .await
            .expect(201);
        self.app
            .post(
                &self.note_path("/circulate"),
                json!({"comment_deadline": "2026-06-25"}),
            )
            .await
            .expect(200);
        self.app
            .post(&self.note_path("/approve"), json!({}))
            .await
            .expect(200)
            .json()
    }

    pub(crate) async fn publish(&self, audience: &str) -> Value {
        self.app
            .post(&self.note_path("/publish"), json!({"audience": audience}))
            .await
            .expect(201)
            .json()
    }

    pub(crate) async fn preview(&self, audience: &str) -> Vec<u8> {
        let reply = self
            .app
            .get(&self.note_path(&format!("/document?audience={audience}")))
            .await
            .expect(200);
        assert_eq!(reply.header("content-type").as_deref(), Some(DOCX));
        reply.body
    }
}

pub(crate) async fn scene() -> Scene {
    let app = spawn_app().await;
    let clinks = app.organisation("Clinks", "secretariat").await;
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let prt = app
        .organisation("Prison Reform Trust", "voluntary_sector")
        .await;
    let hmpps = app.organisation("HMPPS", "hmpps").await;
    let person = |name: &str, email: &str, org: &Value, job: &str| json!({"name": name, "email": email, "organisation_id": org["id"], "job_title": job});
    let mut people = Vec::new();
    for body in [
        person("Ana Costa", "ana@nacro.example", &nacro, "Chief Executive"),
        person(
            "Ben Okafor",
            "ben@nacro.example",
            &nacro,
            "Director of Policy",
        ),
        person("Zoë Brontë", "zoe@prt.example", &prt, "Head of Research"),
        person("Priya Raman", "priya@prt.example", &prt, "Director"),
        person(
            "Carys Hughes",
            "carys@hmpps.example",
            &hmpps,
            "Head of Regime Design",
        ),
        person("Dev Patel", "dev@clinks.example", &clinks, "Policy Officer"),
    ] {
        people.push(app.post("/api/v1/people", body).await.expect(201).json());
    }
    let [ana, ben, zoe, priya, carys, dev] = <[Value; 6]>::try_from(people).unwrap();

    let rr3 = app.main_group().await;
    let frd = app.sig(&rr3, "Future Regime Design SIG", "FRD").await;
    app.member(&frd, &ana, "chair").await;
    app.member(&frd, &ben, "member").await;
    app.member(&frd, &zoe, "member").await;
    app.member(&frd, &priya, "sponsor").await;
    app.member(&frd, &dev, "secretariat").await;

    // The earlier meeting left one action open and one done.
    let earlier = app
        .meeting(&frd, "2026-05-14T09:00:00Z", "2026-05-14T11:00:00Z")
        .await;
    let eid = id(&earlier);
    let earlier_item = app
        .post(
            &format!("/api/v1/meetings/{eid}/agenda-items"),
            json!({"title": "Regime principles", "kind": "discussion", "visibility": "public"}),
        )
        .await
        .expect(201)
        .json();
    let open = app
        .post(&format!("/api/v1/meetings/{eid}/actions"),
              json!({"description": "Share the data on time out of cell", "owner_person_id": carys["id"], "due_on": "2026-06-01"}))
        .await
        .expect(201)
        .json();
    app.patch(
        &format!("/api/v1/actions/{}", id(&open)),
        json!({"status": "in_progress"}),
    )
    .await
    .expect(200);
    let done = app
        .post(
            &format!("/api/v1/meetings/{eid}/actions"),
            json!({"description": "Book the room", "owner_text": "Secretariat"}),
        )
        .await
        .expect(201)
        .json();
    app.patch(
        &format!("/api/v1/actions/{}", id(&done)),
        json!({"status": "done"}),
    )
    .await
    .expect(200);

    // The meeting of the note: in June, so its times read in BST.
    let meeting = app
        .meeting(&frd, "2026-06-11T09:00:00Z", "2026-06-11T11:00:00Z")
        .await;
    let mid = id(&meeting);
    let item = |title: &str, kind: &str, visibility: &str, presenter: Option<&Value>| {
        let mut body = json!({"title": title, "kind": kind, "visibility": visibility});
        if let Some(p) = presenter {
            body["presenter_person_id"] = p["id"].clone();
        }
        body
    };
    let mut items = Vec::new();
    for body in [
        item("Welcome and introductions", "welcome", "public", None),
        item(
            "Future regime design: update from HMPPS",
            "presentation",
            "public",
            Some(&carys),
        ),
        item("Members' draft response", "discussion", "members", None),
        item("Secretariat budget", "update", "secretariat", None),
    ] {
        items.push(
            app.post(&format!("/api/v1/meetings/{mid}/agenda-items"), body)
                .await
                .expect(201)
                .json(),
        );
    }
    let [welcome, presentation, members_only, secretariat_only] =
        <[Value; 4]>::try_from(items).unwrap();

    let invited = app
        .send(
            Method::POST,
            &format!("/api/v1/meetings/{mid}/attendance/invite-members"),
            Some(&app.secretariat),
            None,
            &[],
        )
        .await
        .expect(200)
        .json();
    let official = app
        .post(
            &format!("/api/v1/meetings/{mid}/attendance"),
            json!({"person_id": carys["id"], "role": "official"}),
        )
        .await
        .expect(201)
        .json();
    let mut lines: Vec<Value> = invited["invited"].as_array().unwrap().clone();
    lines.push(official);
    for line in lines {
        let status = if line["person_id"] == ben["id"] {
            "apologies"
        } else {
            "attended"
        };
        app.patch(
            &format!("/api/v1/attendance/{}", id(&line)),
            json!({"status": status}),
        )
        .await
        .expect(200);
    }

    app.post(&format!("/api/v1/meetings/{mid}/actions"),
             json!({"description": format!("Circulate the slides. {TRICKY}"), "owner_person_id": carys["id"],
                    "due_on": "2026-06-25", "agenda_item_id": presentation["id"]}))
        .await
        .expect(201);
    app.post(
        &format!("/api/v1/meetings/{mid}/actions"),
        json!({"description": "Confidential budget action", "owner_text": "Secretariat",
                    "agenda_item_id": secretariat_only["id"]}),
    )
    .await
    .expect(201);

    // The group's next meeting.
    app.meeting(&frd, "2026-07-09T09:00:00Z", "2026-07-09T11:00:00Z")
        .await;

    Scene {
        app,
        frd,
        earlier,
        meeting,
        welcome,
        presentation,
        members_only,
        secretariat_only,
        earlier_item,
        ben,
        zoe,
        carys,
    }
}

// ---------------------------------------------------------------------------
// Reading the .docx.

fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip package");
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the package"))
        .read_to_string(&mut text)
        .expect("UTF-8 XML");
    text
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The document's text, one line per paragraph (table cells included).
pub(crate) fn text(docx: &[u8]) -> String {
    let xml = part(docx, "word/document.xml");
    let mut out = String::new();
    for paragraph in xml.split("</w:p>") {
        let mut line = String::new();
        let mut rest = paragraph;
        while let Some(start) = rest.find("<w:t") {
            let after = &rest[start..];
            let Some(open_end) = after.find('>') else {
                break;
            };
            // `<w:tbl…>`, `<w:tc…>` and friends are not text runs.
            let tag = &after[..open_end];
            if !(tag == "<w:t" || tag.starts_with("<w:t ")) {
                rest = &after[open_end..];
                continue;
            }
            let body = &after[open_end + 1..];
            let end = body.find("</w:t>").unwrap_or(body.len());
            line.push_str(&unescape(&body[..end]));
            rest = &body[end..];
        }
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The text of paragraphs with a style, in order.
pub(crate) fn styled(docx: &[u8], style: &str) -> Vec<String> {
    let doc = docx_rs::read_docx(docx).expect("a readable .docx");
    doc.document
        .children
        .iter()
        .filter_map(|child| match child {
            docx_rs::DocumentChild::Paragraph(p) => Some(p),
            _ => None,
        })
        .filter(|p| p.property.style.as_ref().map(|s| s.val.as_str()) == Some(style))
        .map(|p| p.raw_text())
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn download(app: &TestApp, path: &str, token: Option<&str>) -> crate::helpers::Reply {
    app.send(Method::GET, path, token, None, &[]).await
}

// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_note_is_written_circulated_approved_published_and_downloaded() {
    let s = scene().await;
    let app = &s.app;

    let created = app.put(&s.note_path(""), s.body()).await.expect(201);
    assert_eq!(created.header("etag").as_deref(), Some("\"1\""));
    let note = created.json();
    assert_eq!(note["status"], "draft");
    assert_eq!(note["attribution"], "non_attributed");
    assert_eq!(
        note["items"][1]["agenda_item_title"],
        "Future regime design: update from HMPPS"
    );
    assert_eq!(
        note["items"][1]["discussion"][1]["speaker_person_id"],
        s.carys["id"]
    );
    assert_eq!(note["warnings"], json!([]));

    // Replacing the draft needs the current version.
    let stale = app
        .send(
            Method::PUT,
            &s.note_path(""),
            Some(&app.secretariat),
            Some(s.body()),
            &[("If-Match", "\"7\"")],
        )
        .await;
    stale.problem(412);
    let replaced = app
        .send(
            Method::PUT,
            &s.note_path(""),
            Some(&app.secretariat),
            Some(s.body()),
            &[("If-Match", "\"1\"")],
        )
        .await
        .expect(200);
    assert_eq!(replaced.json()["version"], 2);

    let circulated = app
        .post(
            &s.note_path("/circulate"),
            json!({"comment_deadline": "2026-06-25"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(circulated["status"], "circulated");
    assert_eq!(circulated["comment_deadline"], "2026-06-25");
    let approved = app
        .post(&s.note_path("/approve"), json!({}))
        .await
        .expect(200)
        .json();
    assert_eq!(approved["status"], "approved");
    assert!(approved["approved_on"].is_string());

    let published = s.publish("public").await;
    assert_eq!(published["version"], 1);
    assert_eq!(published["audience"], "public");
    assert_eq!(published["current"], true);
    assert_eq!(published["supersedes_version"], Value::Null);
    assert_eq!(
        published["file_name"],
        "2026-06-11-rr3-frd-sig-meeting-2-summary-note-v1.docx"
    );
    let url = published["document_url"].as_str().unwrap().to_owned();
    let note_id = id(&note);
    assert_eq!(
        url,
        format!("/api/v1/summary-notes/{note_id}/versions/1/document")
    );

    // Anyone may list and download a public note.
    let list = download(app, "/api/v1/summary-notes", None)
        .await
        .expect(200)
        .json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let listed = &list["items"][0];
    assert_eq!(listed["id"], note["id"]);
    assert_eq!(
        listed["title"],
        "Summary note: Future Regime Design SIG — meeting 2"
    );
    assert_eq!(listed["meeting_date"], "2026-06-11");
    assert_eq!(listed["current_version"]["version"], 1);
    assert_eq!(listed["current_version"]["document_url"], url);
    assert_eq!(list["next_cursor"], Value::Null);

    let reply = download(app, &url, None).await.expect(200);
    assert_eq!(reply.header("content-type").as_deref(), Some(DOCX));
    assert_eq!(
        reply.header("content-disposition").as_deref(),
        Some(
            "attachment; filename=\"2026-06-11-rr3-frd-sig-meeting-2-summary-note-v1.docx\"; filename*=UTF-8''2026-06-11-rr3-frd-sig-meeting-2-summary-note-v1.docx"
        )
    );
    let tag = format!("\"{}\"", sha256(&reply.body));
    assert_eq!(reply.header("etag"), Some(tag.clone()));
    assert_eq!(
        published["sha256"].as_str().map(|s| format!("\"{s}\"")),
        Some(tag.clone())
    );
    assert_eq!(published["size_bytes"], reply.body.len());

    let again = app
        .send(Method::GET, &url, None, None, &[("If-None-Match", &tag)])
        .await
        .expect(304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(tag));
    download(
        app,
        &format!("/api/v1/summary-notes/{note_id}/versions/2/document"),
        None,
    )
    .await
    .problem(404);

    // The published note says so in its body.
    let text = text(&reply.body);
    assert!(text.contains("Published "), "{text}");
    assert!(
        !has_header(&reply.body),
        "no DRAFT header on a published version"
    );

    // Every transition is in the audit trail.
    let audited = app
        .count("audit_events WHERE entity = 'summary_note'")
        .await;
    assert_eq!(audited, 5, "create, update, circulate, approve, publish");
}

/// With `NOTE_DOCX_DIR` set, keeps a document so that it can be looked at the way
/// people see it: `scripts/render-docx.sh "$NOTE_DOCX_DIR"/*.docx`.
pub(crate) fn keep_for_inspection(name: &str, docx: &[u8]) {
    if let Some(dir) = std::env::var_os("NOTE_DOCX_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("NOTE_DOCX_DIR can be created");
        std::fs::write(dir.join(name), docx).expect("the document can be written");
    }
}

fn has_header(docx: &[u8]) -> bool {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip package");
    archive.by_name("word/header1.xml").is_ok()
}

#[tokio::test]
async fn the_published_document_has_every_section_in_house_style() {
    let s = scene().await;
    s.approved_note().await;
    let published = s.publish("members").await;
    let url = published["document_url"].as_str().unwrap();
    let docx = download(&s.app, url, Some(&s.app.secretariat))
        .await
        .expect(200)
        .body;
    keep_for_inspection("published-members.docx", &docx);
    keep_for_inspection("preview-secretariat.docx", &s.preview("secretariat").await);
    keep_for_inspection("preview-public.docx", &s.preview("public").await);

    assert_eq!(
        styled(&docx, "Title"),
        vec!["Summary note: Future Regime Design SIG — meeting 2"]
    );
    assert_eq!(
        styled(&docx, "Heading1"),
        vec![
            "About the group",
            "Purpose of the meeting",
            "Attendance",
            "Actions from previous meetings",
            "Discussion",
            "Key issues and recommendations",
            "Actions",
            "Next steps",
            "Any other business",
            "Next meeting",
        ]
    );
    assert_eq!(
        styled(&docx, "Heading2"),
        vec![
            "1. Welcome and introductions",
            "2. Future regime design: update from HMPPS",
            "3. Members’ draft response",
        ]
    );
    assert_eq!(
        styled(&docx, "Heading3"),
        vec!["Officials’ response on item 2", "Agreed on item 2"]
    );
    assert!(styled(&docx, "ListBullet").contains(&"Continuity of care between prisons".to_owned()));

    let text = text(&docx);
    // Meeting details in the meeting's own zone, written the British way.
    assert!(
        text.contains("Thursday 11 June 2026, 10:00–12:00\u{a0}BST"),
        "{text}"
    );
    // The true state, with the day it was agreed and the version.
    assert!(text.contains("Status\nAgreed "), "{text}");
    assert!(text.contains(", version 1\n"), "{text}");
    // About the group: a SIG's remit and sponsors.
    assert!(text.contains("Future regime design"));
    assert!(text.contains("Sponsored by Priya Raman."), "{text}");
    // Attendance: chair, members, officials with role, secretariat, apologies.
    for line in [
        "Ana Costa\nNacro\nChair",
        "Zoë Brontë\nPrison Reform Trust\n",
        // The first use of an abbreviation is spelled out.
        "Carys Hughes\nHM Prison and Probation Service (HMPPS)\nOfficial, Head of Regime Design",
        "Dev Patel\nClinks\nSecretariat, Policy Officer",
        "Apologies: Ben Okafor (Nacro).",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    // Actions carried from the earlier meeting, with their current status; the done
    // one is not carried.
    assert!(
        text.contains(
            "FRD-1-A1\nShare the data on time out of cell\nCarys Hughes\n1 Jun 2026\nIn progress"
        ),
        "{text}"
    );
    assert!(!text.contains("Book the room"));
    // This meeting's actions.
    assert!(
        text.contains(&format!(
            "FRD-2-A1\nCirculate the slides. {TRICKY}\nCarys Hughes\n25 Jun 2026\nOpen"
        )),
        "{text}"
    );
    assert!(text.contains("Presented by Carys Hughes, HMPPS"));
    assert!(text.contains("Officials agreed to share the evidence behind the principles."));
    assert!(text.contains("None raised."));
    assert!(
        text.contains("Thursday 9 July 2026, 10:00–12:00\u{a0}BST. Online."),
        "{text}"
    );
    // Special characters survive, escaped exactly once in the XML.
    assert!(text.contains(&format!("To hear officials on regime design. {TRICKY}")));
    assert!(text.contains(&format!(
        "Members raised concerns about time out of cell. {TRICKY}"
    )));
    let xml = part(&docx, "word/document.xml");
    assert!(xml.contains("Tom &amp; Jerry &lt;script&gt; “curly” ‘quotes’ — café Köln"));
    assert!(!xml.contains("&amp;amp;"));

    // No merged cells (screen readers lose the column headers) and nothing
    // smaller than 11 pt in the body.
    assert!(!xml.contains("gridSpan") && !xml.contains("vMerge"));
    for size in xml.split("<w:sz w:val=\"").skip(1) {
        let size: u32 = size.split('"').next().unwrap().parse().unwrap();
        assert!(size >= 22, "a {size} half-point size in the body");
    }
    // Tables: header rows that repeat, rows that do not split.
    assert_eq!(
        xml.matches("<w:tblHeader />").count(),
        3,
        "attendance and both action tables"
    );
    // Document properties and language.
    let core = part(&docx, "docProps/core.xml");
    assert!(
        core.contains("<dc:title>Summary note: Future Regime Design SIG — meeting 2</dc:title>"),
        "{core}"
    );
    assert!(core.contains("<dc:creator>Clinks</dc:creator>"), "{core}");
    assert!(core.contains("<dc:language>en-GB</dc:language>"), "{core}");
    assert!(part(&docx, "word/styles.xml").contains("en-GB"));
    let footer = part(&docx, "word/footer1.xml");
    assert!(footer.contains("Future Regime Design SIG"));
    assert!(footer.contains("NUMPAGES"));
    // A published members' version carries its restriction, not DRAFT.
    let header = part(&docx, "word/header1.xml");
    assert!(!header.contains("DRAFT"), "{header}");
    assert!(header.contains("not for onward circulation"), "{header}");
}

#[tokio::test]
async fn each_audience_sees_only_the_items_it_may() {
    let s = scene().await;
    s.approved_note().await;

    let public = text(&s.preview("public").await);
    let members = text(&s.preview("members").await);
    let secretariat = text(&s.preview("secretariat").await);
    for t in [&public, &members] {
        assert!(!t.contains("Secretariat budget"));
        assert!(!t.contains("The budget for the next quarter is confidential."));
        assert!(!t.contains("Confidential budget action"));
    }
    assert!(!public.contains("Members’ draft response"));
    assert!(!public.contains("Members discussed their draft response in confidence."));
    assert!(members.contains("Members discussed their draft response in confidence."));
    assert!(secretariat.contains("The budget for the next quarter is confidential."));
    assert!(secretariat.contains("Confidential budget action"));
    // No rendition hands out the call's joining link: it belongs to the
    // invitation, and a note is read long after the meeting.
    for t in [&public, &members, &secretariat] {
        assert!(!t.contains("meet.example.org"), "{t}");
        assert!(t.contains("Mode\nOnline\n"), "{t}");
    }

    // Previews are drafts, marked in every page's header.
    let preview = s.preview("members").await;
    assert!(part(&preview, "word/header1.xml").contains("DRAFT"));

    // The published public version holds exactly the public items.
    let published = s.publish("public").await;
    let docx = download(&s.app, published["document_url"].as_str().unwrap(), None)
        .await
        .expect(200)
        .body;
    let t = text(&docx);
    assert!(t.contains("Welcome and introductions"));
    assert!(!t.contains("Members’ draft response"));
    assert!(!t.contains("Secretariat budget"));
}

#[tokio::test]
async fn a_non_attributed_note_names_no_member_and_publishing_refuses_one_that_does() {
    let s = scene().await;
    s.approved_note().await;

    // Non-attributed: no speaker at all, not even the official.
    let t = text(&s.preview("members").await);
    assert!(!t.contains("Carys Hughes: "), "{t}");
    assert!(!t.contains("Zoë Brontë: "), "{t}");
    assert!(t.contains("Officials said the evidence base would be shared."));

    // A point that names a member: the note shows a warning and publishing refuses.
    s.app
        .post(
            &s.note_path("/revise"),
            json!({"reason": "Correcting the record"}),
        )
        .await
        .expect(200);
    let mut body = s.body();
    body["items"][1]["discussion"][2] = json!("Ben Okafor said resourcing was the main risk.");
    let note = s.put_note(body).await;
    assert_eq!(note["warnings"][0]["field"], "items[1].discussion[2]");
    let preview = s
        .app
        .get(&s.note_path("/document?audience=members"))
        .await
        .expect(200);
    assert_eq!(
        preview.header("x-note-warnings").as_deref(),
        Some("items[1].discussion[2]")
    );
    s.app
        .post(
            &s.note_path("/circulate"),
            json!({"comment_deadline": "2026-06-25"}),
        )
        .await
        .expect(200);
    s.app
        .post(&s.note_path("/approve"), json!({}))
        .await
        .expect(200);
    let before = s.app.get(&s.note_path("")).await.expect(200).body;
    let refused = s
        .app
        .post(&s.note_path("/publish"), json!({"audience": "members"}))
        .await
        .problem(422);
    assert_eq!(refused["errors"][0]["field"], "items[1].discussion[2]");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Ben Okafor")
    );
    assert_eq!(s.app.count("note_versions").await, 0);
    assert_eq!(
        s.app.get(&s.note_path("")).await.expect(200).body,
        before,
        "nothing changed"
    );

    // Officials named: the official's point names her, the member's does not.
    s.app
        .post(
            &s.note_path("/revise"),
            json!({"reason": "Correcting the record"}),
        )
        .await
        .expect(200);
    let mut body = s.body();
    body["attribution"] = json!("officials_named");
    s.put_note(body).await;
    let t = text(&s.preview("members").await);
    assert!(
        t.contains("Carys Hughes: Officials said the evidence base would be shared."),
        "{t}"
    );
    assert!(!t.contains("Zoë Brontë: "), "{t}");

    // Fully attributed: everyone who spoke is named.
    let mut body = s.body();
    body["attribution"] = json!("fully_attributed");
    s.put_note(body).await;
    let t = text(&s.preview("members").await);
    assert!(
        t.contains("Zoë Brontë: A member asked how purposeful activity would be resourced."),
        "{t}"
    );
}

#[tokio::test]
async fn a_correction_publishes_a_new_version_and_the_old_one_never_changes() {
    let s = scene().await;
    let app = &s.app;
    s.approved_note().await;
    let v1 = s.publish("public").await;
    let v1_url = v1["document_url"].as_str().unwrap().to_owned();
    let v1_bytes = download(app, &v1_url, None).await.expect(200).body;

    // A published note cannot be edited; it is revised first.
    let before = app.get(&s.note_path("")).await.expect(200).body;
    app.put(&s.note_path(""), s.body()).await.problem(409);
    app.post(&s.note_path("/publish"), json!({"audience": "public"}))
        .await
        .problem(409);
    assert_eq!(app.get(&s.note_path("")).await.expect(200).body, before);

    let revised = app
        .post(
            &s.note_path("/revise"),
            json!({"reason": "Correcting the record"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(revised["status"], "draft");
    assert_eq!(
        revised["published_version"], 1,
        "the published version stays current until replaced"
    );
    let mut body = s.body();
    body["aob"] = json!("Correction: the next meeting moves to Leeds.");
    s.put_note(body).await;
    // Meanwhile the world changes too: an action's status moves on.
    let actions = app
        .get(&format!("/api/v1/meetings/{}/actions", s.mid()))
        .await
        .expect(200)
        .json();
    let first = &actions["items"][0];
    let first = if first.is_null() { &actions[0] } else { first };
    app.patch(
        &format!("/api/v1/actions/{}", id(first)),
        json!({"status": "done"}),
    )
    .await
    .expect(200);

    app.post(
        &s.note_path("/circulate"),
        json!({"comment_deadline": "2026-07-02"}),
    )
    .await
    .expect(200);
    app.post(&s.note_path("/approve"), json!({}))
        .await
        .expect(200);
    let v2 = s.publish("public").await;
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["supersedes_version"], 1);
    assert_eq!(
        v2["file_name"],
        "2026-06-11-rr3-frd-sig-meeting-2-summary-note-v2.docx"
    );

    // Version 1 is byte for byte what was published.
    let again = download(app, &v1_url, None).await.expect(200);
    assert_eq!(again.body, v1_bytes);
    assert_eq!(sha256(&again.body), v1["sha256"].as_str().unwrap());
    assert!(!text(&again.body).contains("Correction"));
    let v2_bytes = download(app, v2["document_url"].as_str().unwrap(), None)
        .await
        .expect(200)
        .body;
    assert!(text(&v2_bytes).contains("Correction: the next meeting moves to Leeds."));
    assert!(
        text(&v2_bytes).contains(", version 2\n"),
        "{}",
        text(&v2_bytes)
    );

    // The list shows the current version; the note lists both.
    let list = download(app, "/api/v1/summary-notes", None)
        .await
        .expect(200)
        .json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["current_version"]["version"], 2);
    let note_id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let detail = download(app, &format!("/api/v1/summary-notes/{note_id}"), None)
        .await
        .expect(200)
        .json();
    let versions: Vec<(i64, bool)> = detail["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_i64().unwrap(),
                v["current"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(versions, vec![(1, false), (2, true)]);
}

#[tokio::test]
async fn bad_input_is_refused_clearly_and_changes_nothing() {
    let s = scene().await;
    let app = &s.app;
    app.put(&s.note_path(""), s.body()).await.expect(201);
    let before = app.get(&s.note_path("")).await.expect(200).body;
    let rows = (
        app.count("summary_notes").await,
        app.count("note_versions").await,
        app.count("audit_events").await,
    );

    // Publishing a note that is not approved.
    let p = app
        .post(&s.note_path("/publish"), json!({"audience": "public"}))
        .await
        .problem(409);
    assert!(p["detail"].as_str().unwrap().contains("approved"), "{p}");
    // Approving one that was never circulated.
    app.post(&s.note_path("/approve"), json!({}))
        .await
        .problem(409);
    // An unknown audience, in the body and in the preview's query.
    let p = app
        .post(&s.note_path("/publish"), json!({"audience": "everyone"}))
        .await
        .problem(422);
    assert_eq!(p["errors"][0]["field"], "audience", "{p}");
    let p = app
        .get(&s.note_path("/document?audience=everyone"))
        .await
        .problem(422);
    assert_eq!(p["errors"][0]["field"], "audience", "{p}");
    // An agenda item of another meeting.
    let mut body = s.body();
    body["items"][0]["agenda_item_id"] = s.earlier_item["id"].clone();
    let p = app.put(&s.note_path(""), body).await.problem(422);
    assert_eq!(p["errors"][0]["field"], "items[0].agenda_item_id", "{p}");
    // A speaker who was not there, a malformed point, a second meeting of another group.
    let mut body = s.body();
    body["items"][1]["discussion"][1]["speaker_person_id"] = json!(crate::helpers::unknown_id());
    let p = app.put(&s.note_path(""), body).await.problem(422);
    assert_eq!(
        p["errors"][0]["field"], "items[1].discussion[1].speaker_person_id",
        "{p}"
    );
    let mut body = s.body();
    body["items"][1]["discussion"][0] = json!(42);
    let p = app.put(&s.note_path(""), body).await.problem(422);
    assert_eq!(p["errors"][0]["field"], "items[1].discussion[0]", "{p}");
    let mut body = s.body();
    body["second_meeting_id"] = s.meeting["id"].clone();
    let p = app.put(&s.note_path(""), body).await.problem(422);
    assert_eq!(p["errors"][0]["field"], "second_meeting_id", "{p}");
    // A comment deadline before the meeting.
    let p = app
        .post(
            &s.note_path("/circulate"),
            json!({"comment_deadline": "2026-01-01"}),
        )
        .await
        .problem(422);
    assert_eq!(p["errors"][0]["field"], "comment_deadline", "{p}");

    assert_eq!(
        app.get(&s.note_path("")).await.expect(200).body,
        before,
        "the note is unchanged"
    );
    assert_eq!(
        (
            app.count("summary_notes").await,
            app.count("note_versions").await,
            app.count("audit_events").await
        ),
        rows,
        "no rows were written"
    );

    // A meeting without a note.
    app.get(&format!("/api/v1/meetings/{}/summary-note", id(&s.earlier)))
        .await
        .problem(404);
}

#[tokio::test]
async fn members_never_see_drafts_and_anonymous_readers_see_only_public_notes() {
    let s = scene().await;
    let app = &s.app;
    let zoe = app.member_token(&s.zoe).await;
    // Someone who belongs to another group only.
    let other_group = app
        .sig(
            &json!({"id": s.frd["parent_id"]}),
            "Accommodation SIG",
            "ACC",
        )
        .await;
    let nacro_org = s.ben["organisation_id"].clone();
    let outsider = app
        .person("Olu Adeyemi", "olu@nacro.example", &nacro_org)
        .await;
    app.member(&other_group, &outsider, "member").await;
    let outsider = app.member_token(&outsider).await;

    s.approved_note().await;
    let as_member = |token: &str, path: String| {
        let token = token.to_owned();
        async move { app.send(Method::GET, &path, Some(&token), None, &[]).await }
    };
    as_member(&zoe, s.note_path("")).await.problem(403);
    as_member(&zoe, s.note_path("/document?audience=members"))
        .await
        .problem(403);
    app.send(
        Method::PUT,
        &s.note_path(""),
        Some(&zoe),
        Some(s.body()),
        &[],
    )
    .await
    .problem(403);
    app.send(
        Method::POST,
        &s.note_path("/publish"),
        Some(&zoe),
        Some(json!({"audience": "public"})),
        &[],
    )
    .await
    .problem(403);

    let published = s.publish("members").await;
    let url = published["document_url"].as_str().unwrap().to_owned();

    // A members' note: to the group's members, not to anyone else.
    download(app, &url, None).await.problem(401);
    as_member(&outsider, url.clone()).await.problem(403);
    let ok = as_member(&zoe, url.clone()).await.expect(200);
    assert_eq!(
        ok.header("cache-control").as_deref(),
        Some("private, no-cache")
    );
    let empty = download(app, "/api/v1/summary-notes", None)
        .await
        .expect(200)
        .json();
    assert_eq!(empty["items"], json!([]));
    let mine = as_member(&zoe, "/api/v1/summary-notes".into())
        .await
        .expect(200)
        .json();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let theirs = as_member(&outsider, "/api/v1/summary-notes".into())
        .await
        .expect(200)
        .json();
    assert_eq!(theirs["items"], json!([]));

    // Once published, members may read the note itself, without secretariat items.
    let note = as_member(&zoe, s.note_path("")).await.expect(200).json();
    let titles: Vec<&str> = note["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["agenda_item_title"].as_str().unwrap())
        .collect();
    assert!(!titles.contains(&"Secretariat budget"), "{titles:?}");

    // A token that is not valid is refused, not taken for anonymous.
    app.send(
        Method::GET,
        "/api/v1/summary-notes",
        Some("mb_not_a_token"),
        None,
        &[],
    )
    .await
    .problem(401);
}

#[tokio::test]
async fn one_note_can_cover_two_meetings_of_the_group() {
    let s = scene().await;
    let mut body = s.body();
    body["second_meeting_id"] = s.earlier["id"].clone();
    body["items"].as_array_mut().unwrap().push(json!({
        "agenda_item_id": s.earlier_item["id"], "summary": "Principles discussed at the earlier meeting."
    }));
    let note = s.put_note(body).await;
    assert_eq!(note["second_meeting_id"], s.earlier["id"]);
    let docx = s.preview("members").await;
    assert_eq!(
        styled(&docx, "Title"),
        vec!["Summary note: Future Regime Design SIG — meetings 1 and 2"]
    );
    let headings = styled(&docx, "Heading2");
    assert_eq!(
        headings[0], "1. Regime principles",
        "the earlier meeting's items come first"
    );
    let t = text(&docx);
    assert!(t.contains("Principles discussed at the earlier meeting."));
    // Actions raised at either meeting are this note's actions, not carried ones.
    assert!(
        t.contains("There were no open actions from previous meetings."),
        "{t}"
    );
    assert!(t.contains("FRD-1-A1"));
    let _ = &s.presentation;
}

#[tokio::test]
async fn the_openapi_document_describes_discussion_points_and_optional_tokens() {
    let app = spawn_app().await;
    let spec = download(&app, "/api/openapi.json", None)
        .await
        .expect(200)
        .json();
    let point = &spec["components"]["schemas"]["DiscussionPointIn"];
    assert_eq!(point["oneOf"][0]["type"], "string", "{point}");
    assert_eq!(
        point["oneOf"][1]["$ref"], "#/components/schemas/AttributedPoint",
        "{point}"
    );
    assert!(
        point.get("type").is_none(),
        "a plain string must be allowed: {point}"
    );
    let list = &spec["paths"]["/summary-notes"]["get"];
    assert!(
        list["security"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == &json!({})),
        "the list may be read without a token: {}",
        list["security"]
    );
    let put = &spec["paths"]["/meetings/{id}/summary-note"]["put"];
    assert!(
        !put["security"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == &json!({}))
    );
    assert_eq!(put["tags"][0], "Summary notes");
}

/// The register line of `person` at `meeting`.
async fn register_line(app: &TestApp, meeting: &Value, person: &Value) -> Value {
    let register = app
        .get(&format!("/api/v1/meetings/{}/attendance", id(meeting)))
        .await
        .expect(200)
        .json();
    crate::helpers::items(&register)
        .into_iter()
        .find(|line| line["person_id"] == person["id"])
        .expect("the person is on the register")
}

#[tokio::test]
async fn a_note_of_a_meeting_not_yet_held_says_so_and_cannot_go_round() {
    let s = scene().await;
    let app = &s.app;
    let future = app.meeting_in(&s.frd, 20).await;
    let fid = id(&future);
    let invited = app.invite_members(&future).await;
    for line in invited["invited"].as_array().unwrap() {
        app.patch(
            &format!("/api/v1/attendance/{}", id(line)),
            json!({"status": "accepted"}),
        )
        .await
        .expect(200);
    }
    let note_path = format!("/api/v1/meetings/{fid}/summary-note");
    app.put(&note_path, json!({"purpose": "To plan the report."}))
        .await
        .expect(201);

    let preview = app
        .get(&format!("{note_path}/document?audience=members"))
        .await
        .expect(200)
        .body;
    keep_for_inspection("preview-members-unheld.docx", &preview);
    let t = text(&preview);
    assert!(t.contains("This meeting has not taken place yet."), "{t}");
    assert!(t.contains("Attendance is recorded once the meeting has taken place."));
    assert!(t.contains("Actions are recorded once the meeting has taken place."));
    // Accepted invitations are not attendance.
    assert!(!t.contains("Ana Costa"), "{t}");
    assert!(!t.contains("No new actions were agreed"));

    // It cannot be circulated or approved, and nothing changes.
    let audited = app.count("audit_events").await;
    let refused = app
        .post(
            &format!("{note_path}/circulate"),
            json!({"comment_deadline": date_from_now(40)}),
        )
        .await
        .problem(409);
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("has not taken place yet"),
        "{refused}"
    );
    app.post(&format!("{note_path}/approve"), json!({}))
        .await
        .problem(409);
    let note = app.get(&note_path).await.expect(200).json();
    assert_eq!(note["status"], "draft");
    assert_eq!(note["version"], 1);
    assert_eq!(app.count("audit_events").await, audited);

    // A note approved before its meeting was cancelled is not published.
    s.approved_note().await;
    app.post(
        &format!("/api/v1/meetings/{}/cancel", s.mid()),
        json!({"reason": "Recorded in error"}),
    )
    .await
    .expect(200);
    let refused = app
        .post(&s.note_path("/publish"), json!({"audience": "public"}))
        .await
        .problem(409);
    assert!(
        refused["detail"].as_str().unwrap().contains("cancelled"),
        "{refused}"
    );
    assert_eq!(app.count("note_versions").await, 0);
}

#[tokio::test]
async fn a_presenter_who_sent_apologies_is_not_said_to_have_presented() {
    let s = scene().await;
    let app = &s.app;
    let line = register_line(app, &s.meeting, &s.carys).await;
    app.patch(
        &format!("/api/v1/attendance/{}", id(&line)),
        json!({"status": "apologies", "reason": "Called to a ministerial meeting"}),
    )
    .await
    .expect(200);
    let mut body = s.body();
    // Carys is no longer there to be quoted.
    body["items"][1]["discussion"][1]["speaker_person_id"] = Value::Null;
    let note = app.put(&s.note_path(""), body).await.expect(201).json();
    let warnings = note["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["field"] == "items[1].presenter"
            && w["message"].as_str().unwrap().contains("Carys Hughes")
            && w["message"].as_str().unwrap().contains("sent apologies")),
        "{warnings:?}"
    );

    let t = text(&s.preview("members").await);
    assert!(!t.contains("Presented by Carys"), "{t}");
    assert!(
        t.contains(
            "Carys Hughes, HM Prison and Probation Service (HMPPS) was to present this item but sent apologies."
        ),
        "{t}"
    );
    assert!(
        t.contains("Carys Hughes (HMPPS)"),
        "listed under apologies: {t}"
    );
}

#[tokio::test]
async fn restricted_notes_say_so_on_every_page_and_previews_show_the_true_state() {
    let s = scene().await;
    s.approved_note().await;
    let members = s.publish("members").await;
    let docx = download(
        &s.app,
        members["document_url"].as_str().unwrap(),
        Some(&s.app.secretariat),
    )
    .await
    .expect(200)
    .body;
    let header = part(&docx, "word/header1.xml");
    assert!(
        header
            .contains("Members of the Future Regime Design SIG only — not for onward circulation"),
        "{header}"
    );
    assert!(!header.contains("DRAFT"));
    // One section, so its default header is on every page.
    let xml = part(&docx, "word/document.xml");
    assert_eq!(xml.matches("<w:sectPr").count(), 1);
    assert!(xml.contains(r#"<w:headerReference w:type="default""#));

    // A preview of the published note says it is published, not "Draft", and
    // claims reserved items only because there is one.
    let preview = s.preview("secretariat").await;
    let t = text(&preview);
    assert!(t.contains(" · Published "), "{t}");
    assert!(t.contains(", version 1\n"), "{t}");
    assert!(!t.contains("Status\nDraft"), "{t}");
    assert!(t.contains("Secretariat only (includes items reserved to the secretariat)"));
    let members_preview = text(&s.preview("members").await);
    assert!(members_preview.contains("Audience\nMembers of the group and officials"));
}

#[tokio::test]
async fn previous_actions_say_overdue_show_completed_ones_once_and_follow_the_agenda() {
    let s = scene().await;
    let app = &s.app;
    s.approved_note().await;
    // Due on 1 June and still in progress at the meeting on 11 June.
    let xml = part(&s.preview("members").await, "word/document.xml");
    assert!(
        xml.contains(r#"In progress</w:t><w:br w:type="textWrapping" /><w:t xml:space="preserve">Overdue</w:t>"#),
        "{xml}"
    );
    // "Book the room" was done after the meeting: it is not this note's news.
    assert!(!text(&s.preview("members").await).contains("Book the room"));

    // The group's next meeting, after it was done, reports it once as done.
    let future = app.meeting_in(&s.frd, 30).await;
    let later = app.meeting_in(&s.frd, 60).await;
    let preview = |meeting: &Value| {
        let path = format!(
            "/api/v1/meetings/{}/summary-note/document?audience=members",
            id(meeting)
        );
        async move { text(&app.get(&path).await.expect(200).body) }
    };
    let next = preview(&future).await;
    assert!(
        next.contains("Book the room\nSecretariat\nNot set\nDone"),
        "{next}"
    );
    assert!(!preview(&later).await.contains("Book the room"));

    // The agenda reviews earlier actions in a members' item (as every meeting
    // starts): the public rendition leaves them out, until the item is public.
    let heading = "Actions from previous meetings".to_owned();
    assert!(!styled(&s.preview("public").await, "Heading1").contains(&heading));
    assert!(styled(&s.preview("members").await, "Heading1").contains(&heading));
    let agenda = app
        .get(&format!("/api/v1/meetings/{}/agenda-items", s.mid()))
        .await
        .expect(200)
        .json();
    let review = crate::helpers::items(&agenda)
        .into_iter()
        .find(|i| i["kind"] == "previous_actions")
        .expect("every meeting's agenda reviews earlier actions");
    app.patch(
        &format!("/api/v1/agenda-items/{}", id(&review)),
        json!({"visibility": "public"}),
    )
    .await
    .expect(200);
    assert!(styled(&s.preview("public").await, "Heading1").contains(&heading));
}
