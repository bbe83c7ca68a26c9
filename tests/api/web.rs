//! The web pages, over HTTP without a browser: sign-in links, sessions, CSRF, and
//! forms that answer bad input with the form again. `tests/browser.rs` drives the
//! same pages in headless Chromium.

use chrono::{Duration, Utc};
use poem::http::Method;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, id, spawn_app};
use crate::visitor::{Visitor, csrf_of, html, path_of};

/// A SIG with a member (Ana), a meeting next week she is invited to, and an action
/// she owns.
struct Scene {
    ana: Value,
    ben: Value,
    rr3: Value,
    frd: Value,
    meeting: Value,
    action: Value,
}

async fn scene(app: &TestApp) -> Scene {
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let ana = app
        .person("Ana Costa", "ana@nacro.example", &nacro["id"])
        .await;
    let ben = app
        .person("Ben Okafor", "ben@nacro.example", &nacro["id"])
        .await;
    let rr3 = app.main_group().await;
    let frd = app.sig(&rr3, "Future Regime Design SIG", "frd").await;
    app.member(&frd, &ana, "member").await;
    app.member(&frd, &ben, "chair").await;
    let starts = Utc::now() + Duration::days(7);
    let meeting = app
        .meeting(
            &frd,
            &starts.to_rfc3339(),
            &(starts + Duration::hours(2)).to_rfc3339(),
        )
        .await;
    app.post(
        &format!("/api/v1/meetings/{}/agenda-items", id(&meeting)),
        json!({"title": "Regime design principles", "kind": "discussion", "visibility": "members"}),
    )
    .await
    .expect(201);
    app.post(
        &format!("/api/v1/meetings/{}/agenda-items", id(&meeting)),
        json!({"title": "Secretariat's private item", "kind": "update", "visibility": "secretariat"}),
    )
    .await
    .expect(201);
    app.send(
        Method::POST,
        &format!(
            "/api/v1/meetings/{}/attendance/invite-members",
            id(&meeting)
        ),
        Some(&app.secretariat),
        None,
        &[],
    )
    .await
    .expect(200);
    let action = app
        .post(
            &format!("/api/v1/meetings/{}/actions", id(&meeting)),
            json!({"description": "Share the principles with members", "owner_person_id": ana["id"],
                   "due_on": "2026-01-15"}),
        )
        .await
        .expect(201)
        .json();
    Scene {
        ana,
        ben,
        rr3,
        frd,
        meeting,
        action,
    }
}

async fn link_for(app: &TestApp, person: &Value) -> Value {
    app.post(
        "/api/v1/sign-in-links",
        json!({"person_id": person["id"], "expires_in_minutes": 30}),
    )
    .await
    .expect(201)
    .json()
}

async fn ana_signed_in<'a>(app: &'a TestApp, scene: &Scene) -> Visitor<'a> {
    let link = link_for(app, &scene.ana).await;
    let mut visitor = Visitor::new(app);
    let reply = visitor
        .sign_in(link["url"].as_str().unwrap())
        .await
        .expect(303);
    assert_eq!(reply.header("location").as_deref(), Some("/meetings"));
    visitor
}

async fn ana_line(app: &TestApp, scene: &Scene) -> Value {
    let register = app
        .get(&format!(
            "/api/v1/meetings/{}/attendance",
            id(&scene.meeting)
        ))
        .await
        .expect(200)
        .json();
    register
        .as_array()
        .or_else(|| register["items"].as_array())
        .unwrap()
        .iter()
        .find(|l| l["person_id"] == scene.ana["id"])
        .unwrap()
        .clone()
}

#[tokio::test]
async fn a_sign_in_link_starts_a_secure_session_once() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let link = link_for(&app, &scene.ana).await;
    let url = link["url"].as_str().unwrap();
    assert!(url.contains("/sign-in/mb_"), "{url}");

    let mut visitor = Visitor::new(&app);
    // Opening the link (as a mail scanner would) does not use it up.
    visitor.get(&path_of(url)).await.expect(200);
    let page = visitor.get(&path_of(url)).await.expect(200);
    assert!(html(&page).contains(">Sign in</button>"));
    let token = csrf_of(&page);
    let reply = visitor
        .post_form(&path_of(url), &[("csrf_token", &token)])
        .await
        .expect(303);
    let cookie = reply
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("minutebook_session="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
    );
    assert!(!cookie.contains("Secure"), "plain HTTP gets no Secure flag");
    let meetings = visitor.get("/meetings").await.expect(200);
    assert!(html(&meetings).contains("Future regime design"));
    assert!(html(&meetings).contains("Signed in as Ana Costa"));

    // The same link again, in another browser: refused with a clear page.
    let mut other = Visitor::new(&app);
    let again = other.get(&path_of(url)).await.expect(410);
    assert!(html(&again).contains("already been used"));
    assert_eq!(
        again.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
}

#[tokio::test]
async fn the_session_cookie_is_secure_behind_tls() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let link = link_for(&app, &scene.ana).await;
    let path = path_of(link["url"].as_str().unwrap());
    let page = app
        .send(
            Method::GET,
            &path,
            None,
            None,
            &[("X-Forwarded-Proto", "https")],
        )
        .await
        .expect(200);
    let form_cookie = page.header("set-cookie").unwrap();
    assert!(form_cookie.contains("Secure"));
    let pair = form_cookie.split(';').next().unwrap().to_owned();
    let token = csrf_of(&page);
    let response = app
        .client
        .post(path)
        .header("X-Forwarded-Proto", "https")
        .header("Cookie", pair)
        .content_type("application/x-www-form-urlencoded")
        .body(format!("csrf_token={token}"))
        .send()
        .await
        .0;
    assert_eq!(response.status().as_u16(), 303);
    let session = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("minutebook_session="))
        .unwrap();
    assert!(session.contains("; Secure"), "{session}");
}

#[tokio::test]
async fn expired_and_revoked_links_are_refused() {
    let app = spawn_app().await;
    let scene = scene(&app).await;

    let expired = link_for(&app, &scene.ana).await;
    entity::sign_in_link::Entity::update_many()
        .col_expr(
            entity::sign_in_link::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .filter(entity::sign_in_link::Column::Id.eq(uuid::Uuid::parse_str(&id(&expired)).unwrap()))
        .exec(&app.db)
        .await
        .unwrap();
    let mut visitor = Visitor::new(&app);
    let page = visitor
        .get(&path_of(expired["url"].as_str().unwrap()))
        .await
        .expect(410);
    assert!(html(&page).contains("has expired"));

    let revoked = link_for(&app, &scene.ana).await;
    let path = path_of(revoked["url"].as_str().unwrap());
    // The page was opened before the link was revoked; pressing the button after is
    // still refused.
    let page = visitor.get(&path).await.expect(200);
    let token = csrf_of(&page);
    app.delete(&format!("/api/v1/sign-in-links/{}", id(&revoked)))
        .await
        .expect(204);
    let refused = visitor
        .post_form(&path, &[("csrf_token", &token)])
        .await
        .expect(410);
    assert!(html(&refused).contains("withdrawn"));
    assert!(
        visitor.cookies.header().is_empty()
            || !visitor.cookies.header().contains("minutebook_session")
    );

    let unknown = visitor.get("/sign-in/mb_0000").await.expect(403);
    assert!(html(&unknown).contains("not recognised"));
}

#[tokio::test]
async fn the_sign_in_form_needs_the_token_its_page_gave() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let link = link_for(&app, &scene.ana).await;
    let mut visitor = Visitor::new(&app);
    let path = path_of(link["url"].as_str().unwrap());
    visitor
        .post_form(&path, &[("csrf_token", "mb_forged")])
        .await
        .expect(403);
    // The link is still good for its owner.
    visitor
        .sign_in(link["url"].as_str().unwrap())
        .await
        .expect(303);
}

#[tokio::test]
async fn only_the_secretariat_issues_links_and_a_member_link_names_its_person() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let problem = app
        .post("/api/v1/sign-in-links", json!({"expires_in_minutes": 30}))
        .await
        .problem(422);
    assert_eq!(problem["errors"][0]["field"], "person_id");
    app.post(
        "/api/v1/sign-in-links",
        json!({"person_id": scene.ana["id"], "expires_in_minutes": 0}),
    )
    .await
    .problem(422);
    let ana_token = app.member_token(&scene.ana).await;
    app.send(
        Method::POST,
        "/api/v1/sign-in-links",
        Some(&ana_token),
        Some(json!({"person_id": scene.ana["id"]})),
        &[],
    )
    .await
    .problem(403);
}

#[tokio::test]
async fn a_signed_out_visitor_sees_only_the_public_notes() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let mut visitor = Visitor::new(&app);
    let home = visitor.get("/").await.expect(200);
    assert!(html(&home).contains("Summary notes"));
    assert!(!html(&home).contains("Future regime design"));
    for path in [
        "/meetings".to_owned(),
        format!("/meetings/{}", id(&scene.meeting)),
        "/actions".to_owned(),
        "/secretariat".to_owned(),
    ] {
        let reply = visitor.get(&path).await.expect(303);
        assert_eq!(
            reply.header("location").as_deref(),
            Some("/sign-in"),
            "{path}"
        );
    }
    let help = visitor.get("/sign-in").await.expect(200);
    assert!(html(&help).contains("sign-in link"));
    let missing = visitor.get("/no-such-page").await.expect(404);
    assert!(html(&missing).contains("Page not found"));
    assert!(missing.header("content-security-policy").is_some());
}

#[tokio::test]
async fn a_form_posted_without_its_csrf_token_changes_nothing() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let mut ana = ana_signed_in(&app, &scene).await;
    let path = format!("/meetings/{}/answer", id(&scene.meeting));
    let refused = ana
        .post_form(&path, &[("answer", "apologies"), ("reason", "On leave")])
        .await
        .expect(403);
    assert!(html(&refused).contains("could not be accepted"));
    ana.post_form(
        &path,
        &[
            ("answer", "apologies"),
            ("reason", "On leave"),
            ("csrf_token", "mb_wrong"),
        ],
    )
    .await
    .expect(403);
    ana.post_form(
        &format!("/actions/{}", id(&scene.action)),
        &[("status", "done")],
    )
    .await
    .expect(403);
    ana.post_form("/sign-out", &[]).await.expect(403);
    assert_eq!(ana_line(&app, &scene).await["status"], "invited");
}

#[tokio::test]
async fn a_member_sends_apologies_with_a_reason_and_the_register_changes() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let mut ana = ana_signed_in(&app, &scene).await;
    let page = ana
        .get(&format!("/meetings/{}", id(&scene.meeting)))
        .await
        .expect(200);
    let text = html(&page);
    assert!(text.contains("Regime design principles"));
    assert!(
        !text.contains("private item"),
        "secretariat items stay hidden"
    );
    assert!(text.contains("Not answered yet"));
    let token = csrf_of(&page);
    let path = format!("/meetings/{}/answer", id(&scene.meeting));

    // No reason: the form again, with a message and the choice kept.
    let empty = ana
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("answer", "apologies"),
                ("reason", "  "),
            ],
        )
        .await
        .expect(422);
    assert!(html(&empty).contains("Give a reason for your apologies"));
    assert!(html(&empty).contains("value=\"apologies\" checked"));
    // Too long: the same, with the text kept.
    let long = "x".repeat(1001);
    let overlong = ana
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("answer", "apologies"),
                ("reason", &long),
            ],
        )
        .await
        .expect(422);
    assert!(html(&overlong).contains("1000 characters or fewer"));
    assert!(html(&overlong).contains(&long));
    // No choice at all.
    let none = ana
        .post_form(&path, &[("csrf_token", &token)])
        .await
        .expect(422);
    assert!(html(&none).contains("Choose whether you can come"));
    assert_eq!(ana_line(&app, &scene).await["status"], "invited");

    let done = ana
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("answer", "apologies"),
                ("reason", "Visiting a prison"),
            ],
        )
        .await
        .expect(303);
    let location = done.header("location").unwrap();
    let page = ana.get(&location).await.expect(200);
    assert!(html(&page).contains("Your apologies have been sent"));
    let line = ana_line(&app, &scene).await;
    assert_eq!(line["status"], "apologies");
    assert_eq!(line["reason"], "Visiting a prison");

    // The change is audited as Ana's, through the web.
    let audit = app
        .get("/api/v1/audit?entity=attendance&limit=200")
        .await
        .expect(200)
        .json();
    let actors: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert!(
        actors.iter().any(|a| a.starts_with("Ana Costa (web)")),
        "{actors:?}"
    );

    // And she can change her mind.
    ana.post_form(&path, &[("csrf_token", &token), ("answer", "accepted")])
        .await
        .expect(303);
    assert_eq!(ana_line(&app, &scene).await["status"], "accepted");
}

#[tokio::test]
async fn a_member_updates_her_action_and_bad_input_comes_back_with_the_form() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let mut ana = ana_signed_in(&app, &scene).await;
    let page = ana.get("/actions").await.expect(200);
    assert!(html(&page).contains("FRD-1-A1"));
    assert!(html(&page).contains("Overdue"));
    let token = csrf_of(&page);
    let path = format!("/actions/{}", id(&scene.action));

    let unknown = ana
        .post_form(
            &format!("/actions/{}", uuid::Uuid::new_v4()),
            &[("csrf_token", &token), ("status", "done")],
        )
        .await
        .expect(422);
    assert!(html(&unknown).contains("That action is not one of yours"));
    ana.post_form(
        "/actions/not-an-id",
        &[("csrf_token", &token), ("status", "done")],
    )
    .await
    .expect(422);
    let bad_status = ana
        .post_form(&path, &[("csrf_token", &token), ("status", "finished")])
        .await
        .expect(422);
    assert!(html(&bad_status).contains("Choose a status from the list"));
    let dropped = ana
        .post_form(&path, &[("csrf_token", &token), ("status", "dropped")])
        .await
        .expect(422);
    assert!(html(&dropped).contains("why the action is dropped"));
    let long = "y".repeat(2001);
    let overlong = ana
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("status", "in_progress"),
                ("note", &long),
            ],
        )
        .await
        .expect(422);
    assert!(html(&overlong).contains("2000 characters or fewer"));
    assert!(html(&overlong).contains(&long));

    ana.post_form(
        &path,
        &[
            ("csrf_token", &token),
            ("status", "done"),
            ("note", "Sent on Monday"),
        ],
    )
    .await
    .expect(303);
    let action = app
        .get(&format!("/api/v1/actions/{}", id(&scene.action)))
        .await
        .expect(200)
        .json();
    assert_eq!(action["status"], "done");
    // A closed action cannot be started again without reopening: the lifecycle's
    // refusal comes back on the form.
    let refused = ana
        .post_form(&path, &[("csrf_token", &token), ("status", "in_progress")])
        .await
        .expect(409);
    assert!(html(&refused).contains("Reopen the action"));
    assert!(!html(&refused).contains('`'));
}

#[tokio::test]
async fn the_secretariat_signs_in_to_its_dashboard_and_members_cannot() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let rachel = app
        .post(
            "/api/v1/people",
            json!({"name": "Rachel Okonjo", "email": "rachel@clinks.example", "secretariat_access": true}),
        )
        .await
        .expect(201)
        .json();
    let link = app
        .post("/api/v1/sign-in-links", json!({"person_id": rachel["id"]}))
        .await
        .expect(201)
        .json();
    assert_eq!(link["role"], "secretariat");
    let mut secretariat = Visitor::new(&app);
    let reply = secretariat
        .sign_in(link["url"].as_str().unwrap())
        .await
        .expect(303);
    assert_eq!(reply.header("location").as_deref(), Some("/secretariat"));
    let dashboard = secretariat.get("/secretariat").await.expect(200);
    let text = html(&dashboard);
    assert!(text.contains("Upcoming meetings"));
    assert!(text.contains("FRD-1-A1"), "the overdue action is listed");
    assert!(text.contains(&format!("/secretariat/meetings/{}", id(&scene.meeting))));
    assert!(
        !text.contains("/api/docs"),
        "no page sends the secretariat to Swagger UI"
    );

    let mut ana = ana_signed_in(&app, &scene).await;
    ana.get("/secretariat").await.expect(403);
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let mut ana = ana_signed_in(&app, &scene).await;
    let saved = ana.cookies.header();
    let token = ana.csrf().await;
    ana.post_form("/sign-out", &[("csrf_token", &token)])
        .await
        .expect(200);
    ana.get("/meetings").await.expect(303);
    // The old cookie, replayed, no longer works either.
    let replay = app
        .send(Method::GET, "/meetings", None, None, &[("Cookie", &saved)])
        .await
        .expect(303);
    assert_eq!(replay.header("location").as_deref(), Some("/sign-in"));
}

#[tokio::test]
async fn revoking_a_used_link_ends_the_session_it_started() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let link = link_for(&app, &scene.ana).await;
    let mut visitor = Visitor::new(&app);
    visitor
        .sign_in(link["url"].as_str().unwrap())
        .await
        .expect(303);
    visitor.get("/meetings").await.expect(200);
    app.delete(&format!("/api/v1/sign-in-links/{}", id(&link)))
        .await
        .expect(204);
    let after = visitor.get("/meetings").await.expect(303);
    assert_eq!(after.header("location").as_deref(), Some("/sign-in"));
}

#[tokio::test]
async fn the_first_secretariat_person_comes_from_the_command_line_with_a_link_alone() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.path().display());
    let minutebook = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_minutebook"))
            .args(args)
            .args(["--public-url", "https://minutebook.example.org/"])
            .env("DATABASE_URL", &url)
            .output()
            .expect("run minutebook")
    };
    let output = minutebook(&[
        "secretariat",
        "add",
        "--name",
        "Rachel Okonjo",
        "--email",
        "rachel@clinks.example",
        "--organisation",
        "Clinks",
        "--minutes",
        "15",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let link = stdout.trim().to_owned();
    assert!(
        link.starts_with("https://minutebook.example.org/sign-in/mb_"),
        "{link}"
    );

    // The link signs Rachel in to the secretariat's workspace, under her own name.
    let db = minutebook::startup::connect_and_migrate(&url)
        .await
        .unwrap();
    let client = poem::test::TestClient::new(minutebook::startup::routes(db.clone()));
    let path = path_of(&link);
    let page = client.get(&path).send().await;
    let set_cookie = page
        .0
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let pairing = set_cookie.split(';').next().unwrap().to_owned();
    let body = page.0.into_body().into_string().await.unwrap();
    let marker = "name=\"csrf_token\" value=\"";
    let start = body.find(marker).unwrap() + marker.len();
    let token = &body[start..start + body[start..].find('"').unwrap()];
    let signed_in = client
        .post(&path)
        .header("Cookie", pairing)
        .content_type("application/x-www-form-urlencoded")
        .body(format!("csrf_token={token}"))
        .send()
        .await;
    signed_in.assert_status(poem::http::StatusCode::SEE_OTHER);
    signed_in.assert_header("location", "/secretariat");
    let person = entity::person::Entity::find()
        .filter(entity::person::Column::Email.eq("rachel@clinks.example"))
        .one(&db)
        .await
        .unwrap()
        .expect("Rachel is in the directory");
    assert!(person.secretariat_access);
    let clinks = entity::organisation::Entity::find_by_id(person.organisation_id.unwrap())
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (clinks.name.as_str(), clinks.kind.as_str()),
        ("Clinks", "secretariat")
    );

    // Anyone's link comes from `sign-in-link create --person`; a link names its person.
    let output = minutebook(&["sign-in-link", "create", "--person", &person.id.to_string()]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.starts_with("https://minutebook.example.org/sign-in/mb_"));
    let without_person = minutebook(&["sign-in-link", "create"]);
    assert!(!without_person.status.success());
    assert!(without_person.stdout.is_empty());
    // The same email address twice is refused, and nothing is printed.
    let twice = minutebook(&[
        "secretariat",
        "add",
        "--name",
        "R. Okonjo",
        "--email",
        "RACHEL@clinks.example",
    ]);
    assert!(!twice.status.success());
    assert!(twice.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&twice.stderr)
            .contains("another person already has this email address")
    );
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A meeting of `group` `days_ago` days ago whose note is written, circulated,
/// approved and published for `audience`; answers the meeting and the published
/// version.
async fn published_note(
    app: &TestApp,
    group: &Value,
    days_ago: i64,
    audience: &str,
) -> (Value, Value) {
    let meeting = app.meeting_in(group, -days_ago).await;
    let note = format!("/api/v1/meetings/{}/summary-note", id(&meeting));
    app.put(
        &note,
        json!({"purpose": "To agree the principles of regime design.", "attribution": "non_attributed"}),
    )
    .await
    .expect(201);
    app.post(
        &format!("{note}/circulate"),
        json!({"comment_deadline": deadline()}),
    )
    .await
    .expect(200);
    app.post(&format!("{note}/approve"), json!({}))
        .await
        .expect(200);
    let version = app
        .post(&format!("{note}/publish"), json!({"audience": audience}))
        .await
        .expect(201)
        .json();
    (meeting, version)
}

/// A comment deadline a week from today.
fn deadline() -> String {
    (Utc::now() + Duration::days(7))
        .format("%Y-%m-%d")
        .to_string()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn cookie_path(version: &Value) -> String {
    format!(
        "/notes/{}/versions/{}/document",
        version["note_id"].as_str().unwrap(),
        version["version"]
    )
}

#[tokio::test]
async fn a_member_downloads_a_published_note_from_a_past_meeting_page() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let (past, version) = published_note(&app, &scene.frd, 14, "members").await;
    let path = cookie_path(&version);
    let mut ana = ana_signed_in(&app, &scene).await;

    let list = html(&ana.get("/meetings").await.expect(200));
    assert!(list.contains(&path), "the past meeting lists its note");
    let page = html(
        &ana.get(&format!("/meetings/{}", id(&past)))
            .await
            .expect(200),
    );
    assert!(page.contains(&path), "the meeting page links the note");
    assert!(page.contains("Summary note, version 1"));

    let reply = ana.get(&path).await.expect(200);
    assert_eq!(reply.header("content-type").as_deref(), Some(DOCX));
    let disposition = reply.header("content-disposition").unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    assert!(disposition.contains(".docx\""), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    assert!(reply.body.starts_with(b"PK"), "a .docx is a zip");
    let sha = sha256_hex(&reply.body);
    assert_eq!(version["sha256"].as_str(), Some(sha.as_str()));
    let etag = reply.header("etag").unwrap();
    assert_eq!(etag, format!("\"{sha}\""));
    // The very bytes the API serves.
    let api = app
        .get(version["document_url"].as_str().unwrap())
        .await
        .expect(200);
    assert_eq!(api.body, reply.body);
    assert_eq!(
        api.header("content-disposition"),
        reply.header("content-disposition")
    );

    // A copy in hand: 304.
    let cookie = ana.cookies.header();
    app.send(
        Method::GET,
        &path,
        None,
        None,
        &[("Cookie", &cookie), ("If-None-Match", &etag)],
    )
    .await
    .expect(304);

    // Signed out, a members' note is not downloadable.
    let mut stranger = Visitor::new(&app);
    let refused = stranger.get(&path).await.expect(403);
    assert!(html(&refused).contains("Sign in to download this note"));
}

#[tokio::test]
async fn a_member_cannot_download_another_groups_note_or_any_draft() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let (_, other) = published_note(&app, &scene.rr3, 10, "members").await;
    // A draft of Ana's own group.
    let past = app.meeting_in(&scene.frd, -3).await;
    let draft = app
        .put(
            &format!("/api/v1/meetings/{}/summary-note", id(&past)),
            json!({"purpose": "Not agreed yet."}),
        )
        .await
        .expect(201)
        .json();
    let mut ana = ana_signed_in(&app, &scene).await;

    let refused = ana.get(&cookie_path(&other)).await.expect(403);
    let text = html(&refused);
    assert!(text.contains("You cannot see this page"));
    assert!(
        !text.contains("published for the members of its group"),
        "no internals"
    );
    assert!(!refused.body.starts_with(b"PK"));

    for path in [
        format!("/notes/{}/versions/1/document", id(&draft)),
        format!("/meetings/{}/summary-note/document", id(&past)),
        format!(
            "/meetings/{}/summary-note/document?audience=secretariat",
            id(&past)
        ),
        format!(
            "/notes/{}/versions/9/document",
            other["note_id"].as_str().unwrap()
        ),
        "/notes/not-a-note/versions/1/document".to_owned(),
    ] {
        let reply = ana.get(&path).await.expect(404);
        assert!(html(&reply).contains("Page not found"), "{path}");
    }
    let page = html(
        &ana.get(&format!("/meetings/{}", id(&past)))
            .await
            .expect(200),
    );
    assert!(!page.contains("/notes/"), "a draft is never linked");
    assert!(!page.contains("summary-note/document"));
}

#[tokio::test]
async fn a_signed_out_visitor_downloads_a_public_note_from_the_start_page() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let (_, public) = published_note(&app, &scene.frd, 14, "public").await;
    let (_, members) = published_note(&app, &scene.rr3, 7, "members").await;
    let mut visitor = Visitor::new(&app);
    let home = html(&visitor.get("/").await.expect(200));
    // The start page links to the page's own download, not to the API, so a wrong
    // address answers with a page rather than the API's problem document.
    let href = cookie_path(&public);
    assert!(home.contains(&href), "{home}");
    assert!(!home.contains("/api/v1/summary-notes"));
    assert!(home.contains("Future Regime Design SIG"));
    assert!(
        !home.contains(members["note_id"].as_str().unwrap()),
        "no members' notes on the public page"
    );
    assert!(!home.contains("No summary notes have been published yet."));
    let reply = visitor.get(&href).await.expect(200);
    assert_eq!(reply.header("content-type").as_deref(), Some(DOCX));
    assert!(reply.body.starts_with(b"PK"));
    assert_eq!(
        public["sha256"].as_str(),
        Some(sha256_hex(&reply.body).as_str())
    );
    assert!(visitor.cookies.0.is_empty(), "no cookie needed or set");
    // The API serves the same public bytes to anyone.
    let same = visitor
        .get(public["document_url"].as_str().unwrap())
        .await
        .expect(200);
    assert_eq!(same.body, reply.body);
    let wrong = visitor
        .get(&href.replace("/versions/1/", "/versions/9/"))
        .await
        .expect(404);
    assert!(html(&wrong).contains("Page not found"));
}

#[tokio::test]
async fn a_member_downloads_the_invite_and_creates_a_calendar_feed() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let mut ana = ana_signed_in(&app, &scene).await;
    let meeting_path = format!("/meetings/{}", id(&scene.meeting));

    let page = ana.get(&meeting_path).await.expect(200);
    let text = html(&page);
    assert!(text.contains(&format!("{meeting_path}/invite.ics")));
    assert!(text.contains("Create my calendar feed"));
    let invite = ana
        .get(&format!("{meeting_path}/invite.ics"))
        .await
        .expect(200);
    assert!(
        invite
            .header("content-type")
            .unwrap()
            .starts_with("text/calendar"),
    );
    assert!(
        invite
            .header("content-disposition")
            .unwrap()
            .contains(".ics")
    );
    let body = String::from_utf8(invite.body.clone()).unwrap();
    assert!(body.starts_with("BEGIN:VCALENDAR"), "{body}");
    let etag = invite.header("etag").unwrap();
    let cookie = ana.cookies.header();
    app.send(
        Method::GET,
        &format!("{meeting_path}/invite.ics"),
        None,
        None,
        &[("Cookie", &cookie), ("If-None-Match", &etag)],
    )
    .await
    .expect(304);
    // Signed out: no invitation.
    Visitor::new(&app)
        .get(&format!("{meeting_path}/invite.ics"))
        .await
        .expect(303);

    // No CSRF token, no feed.
    ana.post_form("/calendar-feed", &[("back", &id(&scene.meeting))])
        .await
        .expect(403);
    let csrf = csrf_of(&page);
    let issued = ana
        .post_form(
            "/calendar-feed",
            &[("csrf_token", &csrf), ("back", &id(&scene.meeting))],
        )
        .await
        .expect(200);
    let text = html(&issued);
    assert!(text.contains("shown only this once"));
    let start = text.find("value=\"http").expect("the feed address") + "value=\"".len();
    let url = &text[start..start + text[start..].find('"').unwrap()];
    assert!(url.ends_with("/calendar.ics"), "{url}");
    assert!(text.contains("webcal://"));
    let feed_path = path_of(url);
    // Without any header: the secret address is the credential.
    let feed = app
        .send(Method::GET, &feed_path, None, None, &[])
        .await
        .expect(200);
    assert!(String::from_utf8_lossy(&feed.body).contains("BEGIN:VCALENDAR"));

    let page = html(&ana.get(&meeting_path).await.expect(200));
    assert!(page.contains("You have a personal calendar feed"));
    assert!(!page.contains(&feed_path), "the address is shown only once");
    let revoked = ana
        .post_form(
            "/calendar-feed/revoke",
            &[("csrf_token", &csrf), ("back", &id(&scene.meeting))],
        )
        .await
        .expect(303);
    let back = revoked.header("location").unwrap();
    assert!(back.starts_with(&meeting_path), "{back}");
    app.send(Method::GET, &feed_path, None, None, &[])
        .await
        .expect(410);
    // Opened in a browser, the stopped address says so in a page, not in JSON.
    let in_browser = Visitor::new(&app).get(&feed_path).await.expect(410);
    assert!(html(&in_browser).contains("This calendar feed has stopped"));
    assert!(
        in_browser
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let page = html(&ana.get(&back).await.expect(200));
    assert!(page.contains("Your calendar feed is revoked"));
    assert!(page.contains("Create my calendar feed"));
}

#[tokio::test]
async fn a_meeting_page_shows_the_members_own_actions_from_previous_meetings() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let mut earlier_ref = String::new();
    for (owner, description) in [
        (&scene.ana, "Ana's earlier action"),
        (&scene.ben, "Ben's earlier action"),
    ] {
        let action = app
            .post(
                &format!("/api/v1/meetings/{}/actions", id(&scene.meeting)),
                json!({"description": description, "owner_person_id": owner["id"]}),
            )
            .await
            .expect(201)
            .json();
        if owner == &scene.ana {
            earlier_ref = action["reference"].as_str().unwrap().to_owned();
        }
    }
    let next = app.meeting_in(&scene.frd, 30).await;
    let mut ana = ana_signed_in(&app, &scene).await;
    let page = html(
        &ana.get(&format!("/meetings/{}", id(&next)))
            .await
            .expect(200),
    );
    assert!(page.contains("Actions from previous meetings"));
    assert!(page.contains(&earlier_ref));
    assert!(page.contains(scene.action["reference"].as_str().unwrap()));
    assert!(page.contains("Ana&#39;s earlier action") || page.contains("Ana's earlier action"));
    assert!(!page.contains("Ben&#39;s earlier action") && !page.contains("Ben's earlier action"));
}

#[tokio::test]
async fn the_dashboard_lists_notes_awaiting_approval_or_publication_with_a_preview() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let past = app.meeting_in(&scene.frd, -5).await;
    let note = format!("/api/v1/meetings/{}/summary-note", id(&past));
    app.put(&note, json!({"purpose": "Awaiting approval."}))
        .await
        .expect(201);
    app.post(
        &format!("{note}/circulate"),
        json!({"comment_deadline": deadline()}),
    )
    .await
    .expect(200);
    let (mut secretariat, _) =
        crate::visitor::secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let dashboard = html(&secretariat.get("/secretariat").await.expect(200));
    assert!(!dashboard.contains("No summary notes are waiting."));
    assert!(dashboard.contains("Approve the note"));
    assert!(dashboard.contains(&format!("/secretariat/meetings/{}/note", id(&past))));
    assert!(dashboard.contains("awaiting approval"));
    let preview = format!(
        "/meetings/{}/summary-note/document?audience=members",
        id(&past)
    );
    let reply = secretariat.get(&preview).await.expect(200);
    assert_eq!(reply.header("content-type").as_deref(), Some(DOCX));
    assert!(reply.body.starts_with(b"PK"));

    app.post(&format!("{note}/approve"), json!({}))
        .await
        .expect(200);
    let dashboard = html(&secretariat.get("/secretariat").await.expect(200));
    assert!(dashboard.contains("Publish the note"));
    assert!(dashboard.contains("awaiting publication"));
}
