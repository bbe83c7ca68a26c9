//! The web pages in a real browser: Debian's headless Chromium driven through
//! chromedriver (WebDriver), against the real application on 127.0.0.1.
//!
//! Without `/usr/bin/chromedriver` these tests print a notice and pass, so that
//! `cargo test` works on a fresh machine; with `MINUTEBOOK_REQUIRE_BROWSER=1` (as CI
//! sets it) they fail instead. `MINUTEBOOK_SCREENSHOTS=<dir>` makes
//! `every_page_at_phone_and_desktop_width` write PNGs there (see
//! `scripts/screenshots.sh`).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use fantoccini::{Client, ClientBuilder, Locator};
use minutebook::startup::{self, Application};
use poem::test::TestClient;
use poem::{Body, EndpointExt};
use serde_json::{Value, json};

/// Debian's chromedriver, or `MINUTEBOOK_CHROMEDRIVER`.
fn chromedriver() -> String {
    std::env::var("MINUTEBOOK_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

/// Debian's Chromium, or `MINUTEBOOK_CHROMIUM`.
fn chromium() -> String {
    std::env::var("MINUTEBOOK_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// Whether the browser is here; without it, a notice (or a failure when CI
/// requires the browser).
fn browser_available() -> bool {
    let (driver, browser) = (chromedriver(), chromium());
    if Path::new(&driver).exists() && Path::new(&browser).exists() {
        return true;
    }
    if std::env::var("MINUTEBOOK_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!(
            "MINUTEBOOK_REQUIRE_BROWSER=1 but {driver} or {browser} is missing: \
             apt-get install -y chromium chromium-driver"
        );
    }
    // Straight to the process's standard error, past the test harness's capture, so
    // that the skip shows in a plain `cargo test`; once per run.
    static NOTICE: std::sync::Once = std::sync::Once::new();
    NOTICE.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "NOTICE: browser tests skipped: {driver} or {browser} not found \
             (apt-get install -y chromium chromium-driver to run them)"
        );
    });
    false
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A chromedriver of our own, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Self {
        let port = free_port();
        let child = Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The application on a free port over a fresh SQLite file, with a client that
/// seeds it through the API, and a headless Chromium to look at it.
struct Harness {
    base: String,
    api: TestClient<poem::endpoint::BoxEndpoint<'static, poem::Response>>,
    secretariat: String,
    browser: Client,
    db: sea_orm::DatabaseConnection,
    downloads: tempfile::TempDir,
    _profile: tempfile::TempDir,
    _driver: Driver,
    _database: tempfile::TempDir,
}

impl Harness {
    async fn start() -> Self {
        let database = tempfile::tempdir().unwrap();
        let url = format!(
            "sqlite://{}/minutebook.db?mode=rwc",
            database.path().display()
        );
        let app = Application::build(&url, SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("build the application");
        let base = format!("http://{}", app.local_addr());
        let app = app.with_public_url(base.clone());
        tokio::spawn(app.run_until_stopped());

        let db = startup::connect_and_migrate(&url).await.unwrap();
        let secretariat = minutebook::service::tokens::issue_from_command_line(
            &db,
            minutebook::domain::Role::Secretariat,
            None,
            "RR3 secretariat",
        )
        .await
        .unwrap()
        .secret;
        let api = TestClient::new(
            startup::routes_with_public_url(db.clone(), Some(base.clone()))
                .map_to_response()
                .boxed(),
        );

        let driver = Driver::start();
        let profile = tempfile::tempdir().unwrap();
        let downloads = tempfile::tempdir().unwrap();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--hide-scrollbars",
                    format!("--user-data-dir={}", profile.path().display()),
                    "--window-size=1280,900",
                ],
                "prefs": {
                    "download.default_directory": downloads.path().display().to_string(),
                    "download.prompt_for_download": false,
                },
            }),
        );
        let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .expect("start a Chromium session");
        Self {
            base,
            api,
            secretariat,
            browser,
            db,
            downloads,
            _profile: profile,
            _driver: driver,
            _database: database,
        }
    }

    async fn close(self) {
        let _ = self.browser.clone().close().await;
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let mut request = match method {
            "POST" => self.api.post(path),
            "PATCH" => self.api.patch(path),
            "PUT" => self.api.put(path),
            "DELETE" => self.api.delete(path),
            _ => self.api.get(path),
        }
        .header("Authorization", format!("Bearer {}", self.secretariat));
        if let Some(body) = body {
            request = request
                .content_type("application/json")
                .body(Body::from_string(body.to_string()));
        }
        let response = request.send().await.0;
        let status = response.status();
        let bytes = response.into_body().into_vec().await.unwrap();
        assert!(
            status.is_success(),
            "{method} {path}: {status} {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.call("POST", path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Value {
        self.call("GET", path, None).await
    }

    /// Opens `path` and waits for its main heading.
    async fn open(&self, path: &str) {
        self.browser
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
        self.browser
            .wait()
            .for_element(Locator::Css("h1"))
            .await
            .unwrap();
    }

    async fn heading(&self) -> String {
        self.browser
            .find(Locator::Css("h1"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    async fn text(&self) -> String {
        self.browser
            .find(Locator::Css("main"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Clicks and waits for the next page to load (its URL or its heading changes).
    async fn click_and_wait(&self, css: &str) {
        let before = self.browser.current_url().await.unwrap();
        let old_main = self.browser.find(Locator::Css("main")).await.unwrap();
        self.browser
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            // The old page's element goes stale once the next page has replaced it.
            if old_main.text().await.is_err() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "no new page after clicking {css} on {before}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.browser
            .wait()
            .for_element(Locator::Css("h1"))
            .await
            .unwrap();
    }

    /// Issues a sign-in link for `person` (or a new secretariat person) over the API.
    async fn link(&self, person: Option<&Value>) -> String {
        let body = match person {
            Some(person) => json!({"person_id": person["id"], "expires_in_minutes": 30}),
            None => {
                let staff = self
                    .post(
                        "/api/v1/people",
                        json!({
                            "name": "Tom Whitfield",
                            "email": format!("tom-{}@clinks.example", uuid::Uuid::new_v4().simple()),
                            "secretariat_access": true,
                        }),
                    )
                    .await;
                json!({"person_id": staff["id"], "expires_in_minutes": 30})
            }
        };
        self.post("/api/v1/sign-in-links", body).await["url"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn sign_in(&self, link: &str) {
        self.browser.goto(link).await.unwrap();
        self.browser
            .wait()
            .for_element(Locator::Css("h1"))
            .await
            .unwrap();
        self.click_and_wait("main form button").await;
    }
}

/// A SIG, its members Ana and Ben, a meeting next week with its agenda and Ana's
/// invitation, a meeting last month, and an overdue action that Ana owns.
struct Scene {
    ana: Value,
    meeting: Value,
    action: Value,
    /// The members' note of last month's meeting, as published.
    members_note: Value,
    /// The public note of an FRD meeting two months ago.
    public_note: Value,
    /// A members' note of RR3, which Ana is not a member of.
    rr3_note: Value,
}

/// Writes, circulates, approves and publishes the note of `meeting` for `audience`.
async fn publish_note(h: &Harness, meeting: &Value, audience: &str) -> Value {
    let note = format!(
        "/api/v1/meetings/{}/summary-note",
        meeting["id"].as_str().unwrap()
    );
    h.call(
        "PUT",
        &note,
        Some(
            json!({"purpose": "To agree the principles of regime design.",
                    "attribution": "non_attributed"}),
        ),
    )
    .await;
    let deadline = (Utc::now() + chrono::Duration::days(7))
        .date_naive()
        .to_string();
    h.post(
        &format!("{note}/circulate"),
        json!({"comment_deadline": deadline}),
    )
    .await;
    if audience == "circulated" {
        return Value::Null;
    }
    h.post(&format!("{note}/approve"), json!({})).await;
    h.post(&format!("{note}/publish"), json!({"audience": audience}))
        .await
}

async fn scene(h: &Harness) -> Scene {
    let nacro = h
        .post(
            "/api/v1/organisations",
            json!({"name": "Nacro", "kind": "voluntary_sector"}),
        )
        .await;
    let hmpps = h
        .post(
            "/api/v1/organisations",
            json!({"name": "HMPPS", "kind": "hmpps"}),
        )
        .await;
    let ana = h
        .post(
            "/api/v1/people",
            json!({"name": "Ana Costa", "email": "ana@nacro.example", "organisation_id": nacro["id"]}),
        )
        .await;
    let ben = h
        .post(
            "/api/v1/people",
            json!({"name": "Ben Okafor", "email": "ben@nacro.example", "organisation_id": nacro["id"]}),
        )
        .await;
    let carys = h
        .post(
            "/api/v1/people",
            json!({"name": "Carys Hughes", "email": "carys@hmpps.example", "organisation_id": hmpps["id"]}),
        )
        .await;
    let rr3 = h
        .post(
            "/api/v1/groups",
            json!({"kind": "rr3", "name": "Reducing Reoffending Third Sector Advisory Group",
                   "short_name": "RR3", "remit": "Advise MoJ and HMPPS"}),
        )
        .await;
    let frd = h
        .post(
            "/api/v1/groups",
            json!({"kind": "sig", "parent_id": rr3["id"], "name": "Future Regime Design SIG",
                   "short_name": "FRD", "remit": "Future regime design"}),
        )
        .await;
    let frd_id = frd["id"].as_str().unwrap();
    for (person, role) in [(&ana, "member"), (&ben, "chair"), (&carys, "official")] {
        h.post(
            &format!("/api/v1/groups/{frd_id}/memberships"),
            json!({"person_id": person["id"], "role": role, "starts_on": "2026-01-01"}),
        )
        .await;
    }
    // Meetings at 10:00 UTC (10:00 GMT or 11:00 BST), as real ones are.
    let at_ten = |days: i64| {
        (Utc::now() + chrono::Duration::days(days))
            .date_naive()
            .and_hms_opt(10, 0, 0)
            .unwrap()
            .and_utc()
    };
    let past_start = at_ten(-30);
    let past = h
        .post(
            &format!("/api/v1/groups/{frd_id}/meetings"),
            json!({"title": "Regime design principles",
                   "starts_at": past_start.to_rfc3339(),
                   "ends_at": (past_start + chrono::Duration::hours(2)).to_rfc3339(),
                   "mode": "online", "joining_link": "https://meet.example.org/frd"}),
        )
        .await;
    let start = at_ten(7);
    let meeting = h
        .post(
            &format!("/api/v1/groups/{frd_id}/meetings"),
            json!({"title": "Purposeful activity and education",
                   "starts_at": start.to_rfc3339(),
                   "ends_at": (start + chrono::Duration::hours(2)).to_rfc3339(),
                   "mode": "hybrid", "location": "102 Petty France, London SW1H 9AJ",
                   "joining_link": "https://meet.example.org/frd-purposeful-activity"}),
        )
        .await;
    let mid = meeting["id"].as_str().unwrap();
    for (title, kind, presenter, minutes, visibility) in [
        ("Welcome and introductions", "welcome", None, 10, "public"),
        (
            "Actions from the last meeting",
            "previous_actions",
            None,
            10,
            "members",
        ),
        (
            "Education in the future regime",
            "presentation",
            Some("Carys Hughes, HMPPS"),
            30,
            "public",
        ),
        (
            "Discussion: what good looks like",
            "discussion",
            None,
            45,
            "members",
        ),
        ("Secretariat planning", "update", None, 5, "secretariat"),
    ] {
        h.post(
            &format!("/api/v1/meetings/{mid}/agenda-items"),
            json!({"title": title, "kind": kind, "presenter": presenter,
                   "duration_minutes": minutes, "visibility": visibility}),
        )
        .await;
    }
    h.post(
        &format!("/api/v1/meetings/{mid}/attendance/invite-members"),
        json!({}),
    )
    .await;
    let action = h
        .post(
            &format!("/api/v1/meetings/{}/actions", past["id"].as_str().unwrap()),
            json!({"description": "Share examples of education partnerships in prisons",
                   "owner_person_id": ana["id"], "due_on": "2026-01-15"}),
        )
        .await;
    h.post(
        &format!("/api/v1/meetings/{}/actions", past["id"].as_str().unwrap()),
        json!({"description": "Circulate the HMPPS regime design principles",
               "owner_person_id": ana["id"], "due_on": (Utc::now() + chrono::Duration::days(20)).date_naive().to_string()}),
    )
    .await;
    let members_note = publish_note(h, &past, "members").await;
    let older_start = at_ten(-60);
    let older = h
        .post(
            &format!("/api/v1/groups/{frd_id}/meetings"),
            json!({"title": "Setting up the group",
                   "starts_at": older_start.to_rfc3339(),
                   "ends_at": (older_start + chrono::Duration::hours(2)).to_rfc3339(),
                   "mode": "online", "joining_link": "https://meet.example.org/frd"}),
        )
        .await;
    let public_note = publish_note(h, &older, "public").await;
    let rr3_start = at_ten(-20);
    let rr3_meeting = h
        .post(
            &format!("/api/v1/groups/{}/meetings", rr3["id"].as_str().unwrap()),
            json!({"title": "Quarterly meeting with HMPPS",
                   "starts_at": rr3_start.to_rfc3339(),
                   "ends_at": (rr3_start + chrono::Duration::hours(2)).to_rfc3339(),
                   "mode": "online", "joining_link": "https://meet.example.org/rr3"}),
        )
        .await;
    let rr3_note = publish_note(h, &rr3_meeting, "members").await;
    let recent_start = at_ten(-5);
    let recent = h
        .post(
            &format!("/api/v1/groups/{frd_id}/meetings"),
            json!({"title": "Workforce and staffing",
                   "starts_at": recent_start.to_rfc3339(),
                   "ends_at": (recent_start + chrono::Duration::hours(2)).to_rfc3339(),
                   "mode": "online", "joining_link": "https://meet.example.org/frd"}),
        )
        .await;
    publish_note(h, &recent, "circulated").await;
    Scene {
        ana,
        meeting,
        action,
        members_note,
        public_note,
        rr3_note,
    }
}

/// Waits for a finished download in the harness's folder and answers its bytes.
async fn downloaded(h: &Harness, suffix: &str) -> (String, Vec<u8>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = std::fs::read_dir(h.downloads.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with(suffix));
        if let Some(path) = found {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            return (name, std::fs::read(path).unwrap());
        }
        assert!(Instant::now() < deadline, "no {suffix} downloaded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn clear_downloads(h: &Harness) {
    for entry in std::fs::read_dir(h.downloads.path()).unwrap().flatten() {
        let _ = std::fs::remove_file(entry.path());
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn ana_status(h: &Harness, scene: &Scene) -> (String, Option<String>) {
    let register = h
        .call(
            "GET",
            &format!(
                "/api/v1/meetings/{}/attendance",
                scene.meeting["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    let lines = register
        .as_array()
        .cloned()
        .or_else(|| register["items"].as_array().cloned())
        .unwrap();
    let line = lines
        .iter()
        .find(|l| l["person_id"] == scene.ana["id"])
        .unwrap();
    (
        line["status"].as_str().unwrap().to_owned(),
        line["reason"].as_str().map(str::to_owned),
    )
}

#[tokio::test]
async fn a_member_signs_in_with_a_link_and_sends_apologies_and_the_register_changes() {
    if !browser_available() {
        return;
    }
    let h = Harness::start().await;
    let scene = scene(&h).await;
    let link = h.link(Some(&scene.ana)).await;
    h.sign_in(&link).await;
    assert_eq!(h.heading().await, "Your meetings");
    assert!(h.text().await.contains("Not answered yet"));

    h.click_and_wait("main h3 a").await;
    assert!(
        h.heading()
            .await
            .contains("Purposeful activity and education")
    );
    let page = h.text().await;
    assert!(page.contains("102 Petty France"));
    assert!(page.contains("Education in the future regime"));
    assert!(!page.contains("Secretariat planning"));

    // Apologies without a reason: the form comes back with the message.
    h.browser
        .find(Locator::Css("label[for=answer-apologies]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.click_and_wait("form[action$='/answer'] button").await;
    assert!(h.text().await.contains("Give a reason for your apologies"));
    assert_eq!(ana_status(&h, &scene).await.0, "invited");

    let reason = h.browser.find(Locator::Id("reason")).await.unwrap();
    reason
        .send_keys("Visiting a prison that day")
        .await
        .unwrap();
    h.click_and_wait("form[action$='/answer'] button").await;
    let page = h.text().await;
    assert!(page.contains("Your apologies have been sent"), "{page}");
    let row = h
        .browser
        .find(Locator::XPath("//tr[td[contains(., 'Ana Costa')]]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(row.contains("Apologies"), "{row}");
    assert_eq!(
        ana_status(&h, &scene).await,
        (
            "apologies".to_owned(),
            Some("Visiting a prison that day".to_owned())
        )
    );
    h.close().await;
}

#[tokio::test]
async fn a_member_updates_an_action_with_a_progress_note() {
    if !browser_available() {
        return;
    }
    let h = Harness::start().await;
    let scene = scene(&h).await;
    h.sign_in(&h.link(Some(&scene.ana)).await).await;
    h.open("/actions").await;
    let action_id = scene.action["id"].as_str().unwrap();
    let card = format!("#action-{action_id}");
    assert!(h.text().await.contains("FRD-1-A1"));
    h.browser
        .find(Locator::Css(&format!("{card} select")))
        .await
        .unwrap()
        .select_by_value("in_progress")
        .await
        .unwrap();
    h.browser
        .find(Locator::Css(&format!("{card} textarea")))
        .await
        .unwrap()
        .send_keys("Two examples gathered; a third promised by Friday")
        .await
        .unwrap();
    h.click_and_wait(&format!("{card} button")).await;
    let page = h.text().await;
    assert!(page.contains("Action FRD-1-A1 has been updated"), "{page}");
    assert!(page.contains("Two examples gathered"));
    let action = h
        .call("GET", &format!("/api/v1/actions/{action_id}"), None)
        .await;
    assert_eq!(action["status"], "in_progress");
    h.close().await;
}

#[tokio::test]
async fn a_signed_out_visitor_sees_only_the_public_notes() {
    if !browser_available() {
        return;
    }
    let h = Harness::start().await;
    let scene = scene(&h).await;
    h.open("/").await;
    assert!(h.heading().await.contains("Summary notes"));
    assert!(!h.text().await.contains("Purposeful activity"));
    for path in [
        "/meetings".to_owned(),
        format!("/meetings/{}", scene.meeting["id"].as_str().unwrap()),
        "/actions".to_owned(),
        "/secretariat".to_owned(),
    ] {
        h.open(&path).await;
        assert_eq!(h.heading().await, "Sign in with your link", "{path}");
        assert!(!h.text().await.contains("Purposeful activity"));
    }
    h.close().await;
}

#[tokio::test]
async fn a_member_downloads_notes_and_the_invite_and_creates_a_feed() {
    if !browser_available() {
        return;
    }
    let h = Harness::start().await;
    let scene = scene(&h).await;
    let link = h.link(Some(&scene.ana)).await;
    h.sign_in(&link).await;

    // Last month's meeting, from "Your meetings": its published note.
    let note_path = format!(
        "/notes/{}/versions/1/document",
        scene.members_note["note_id"].as_str().unwrap()
    );
    h.browser
        .find(Locator::Css(&format!("a[href='{note_path}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let (name, bytes) = downloaded(&h, ".docx").await;
    assert!(name.ends_with("summary-note-v1.docx"), "{name}");
    assert!(bytes.starts_with(b"PK"), "a .docx is a zip");
    assert_eq!(
        scene.members_note["sha256"].as_str(),
        Some(sha256_hex(&bytes).as_str()),
        "the bytes the API stored"
    );
    clear_downloads(&h);

    // Another group's members' note: refused with a page, no internals.
    h.open(&format!(
        "/notes/{}/versions/1/document",
        scene.rr3_note["note_id"].as_str().unwrap()
    ))
    .await;
    assert_eq!(h.heading().await, "You cannot see this page");
    assert!(!h.text().await.contains("published for the members"));

    // The invitation.
    let meeting = format!("/meetings/{}", scene.meeting["id"].as_str().unwrap());
    h.open(&meeting).await;
    h.browser
        .find(Locator::Css("a[href$='/invite.ics']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let (_, ics) = downloaded(&h, ".ics").await;
    assert!(String::from_utf8_lossy(&ics).starts_with("BEGIN:VCALENDAR"));

    // A personal feed, whose address works without any header.
    h.click_and_wait("form[action='/calendar-feed'] button")
        .await;
    assert_eq!(h.heading().await, "Your calendar feed");
    let url = h
        .browser
        .find(Locator::Id("feed-url"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    let path = url.split_once(&h.base).unwrap().1.to_owned();
    let feed = h.api.get(&path).send().await.0;
    assert_eq!(feed.status(), 200);
    let body = feed.into_body().into_string().await.unwrap();
    assert!(body.contains("Purposeful activity and education"));
    h.open(&meeting).await;
    assert!(h.text().await.contains("You have a personal calendar feed"));
    h.close().await;
}

#[tokio::test]
async fn a_signed_out_visitor_downloads_a_public_note_from_the_start_page() {
    if !browser_available() {
        return;
    }
    let h = Harness::start().await;
    let scene = scene(&h).await;
    h.open("/").await;
    let text = h.text().await;
    assert!(text.contains("Setting up the group"), "{text}");
    assert!(
        !text.contains("Regime design principles"),
        "no members' notes"
    );
    assert!(
        !text.contains("Quarterly meeting with HMPPS"),
        "no members' notes"
    );
    // The start page links to the page's own download of the stored version.
    let href = format!(
        "/notes/{}/versions/{}/document",
        scene.public_note["note_id"].as_str().unwrap(),
        scene.public_note["version"]
    );
    h.browser
        .find(Locator::Css(&format!("a[href='{href}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let (_, bytes) = downloaded(&h, ".docx").await;
    assert!(bytes.starts_with(b"PK"));
    assert_eq!(
        scene.public_note["sha256"].as_str(),
        Some(sha256_hex(&bytes).as_str())
    );
    h.close().await;
}

#[tokio::test]
async fn reused_and_expired_links_are_refused() {
    if !browser_available() {
        return;
    }
    let h = Harness::start().await;
    let scene = scene(&h).await;
    let link = h.link(Some(&scene.ana)).await;
    h.sign_in(&link).await;
    assert_eq!(h.heading().await, "Your meetings");
    h.click_and_wait(".signed-in button").await;
    assert_eq!(h.heading().await, "You have signed out");

    h.browser.goto(&link).await.unwrap();
    assert_eq!(h.heading().await, "This sign-in link has already been used");

    let expiring = h
        .post(
            "/api/v1/sign-in-links",
            json!({"person_id": scene.ana["id"], "expires_in_minutes": 1}),
        )
        .await;
    // Open the page while the link is good, then press the button once it has run out.
    h.browser
        .goto(expiring["url"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(h.heading().await, "Sign in to minutebook");
    {
        use entity::sign_in_link::{Column, Entity};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        let id: uuid::Uuid = expiring["id"].as_str().unwrap().parse().unwrap();
        Entity::update_many()
            .col_expr(
                Column::ExpiresAt,
                Expr::value(Utc::now() - chrono::Duration::seconds(1)),
            )
            .filter(Column::Id.eq(id))
            .exec(&h.db)
            .await
            .unwrap();
    }
    h.click_and_wait("main form button").await;
    assert_eq!(h.heading().await, "This sign-in link has expired");
    h.open("/meetings").await;
    assert_eq!(h.heading().await, "Sign in with your link");
    h.close().await;
}

#[tokio::test]
async fn a_form_posted_without_its_csrf_token_is_refused() {
    if !browser_available() {
        return;
    }
    let h = Harness::start().await;
    let scene = scene(&h).await;
    h.sign_in(&h.link(Some(&scene.ana)).await).await;
    h.open(&format!(
        "/meetings/{}",
        scene.meeting["id"].as_str().unwrap()
    ))
    .await;
    h.browser
        .find(Locator::Css("label[for=answer-accepted]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // A forged form: the same fields, without the hidden token.
    h.browser
        .execute(
            "document.querySelector(\"form[action$='/answer'] input[name=csrf_token]\").remove();",
            vec![],
        )
        .await
        .unwrap();
    h.click_and_wait("form[action$='/answer'] button").await;
    assert_eq!(h.heading().await, "This form could not be accepted");
    assert_eq!(ana_status(&h, &scene).await.0, "invited");
    h.close().await;
}

fn screenshot_dir() -> Option<PathBuf> {
    std::env::var_os("MINUTEBOOK_SCREENSHOTS").map(PathBuf::from)
}

/// Writes a full-page PNG of the current page at `width`.
async fn shoot(h: &Harness, dir: &Path, name: &str, width: u32) {
    h.browser.set_window_size(width, 900).await.unwrap();
    let height = h
        .browser
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(900) as u32;
    let min_height = if width < 500 { 812 } else { 900 };
    h.browser
        .set_window_size(width, height.max(min_height))
        .await
        .unwrap();
    let png = h.browser.screenshot().await.unwrap();
    let kind = if width < 500 { "phone" } else { "desktop" };
    std::fs::write(dir.join(format!("{name}-{kind}.png")), png).unwrap();
}

async fn shoot_both(h: &Harness, dir: &Path, name: &str) {
    shoot(h, dir, name, 375).await;
    shoot(h, dir, name, 1280).await;
}

/// Not a check: it writes screenshots of the member and public pages for people to
/// look at (`scripts/screenshots.sh`), so it runs only when asked for.
#[tokio::test]
#[ignore = "writes screenshots for people to look at; run scripts/screenshots.sh"]
async fn every_page_at_phone_and_desktop_width() {
    let dir =
        screenshot_dir().unwrap_or_else(|| std::env::temp_dir().join("minutebook-screenshots"));
    if !browser_available() {
        return;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let h = Harness::start().await;
    let scene = scene(&h).await;
    let meeting = format!("/meetings/{}", scene.meeting["id"].as_str().unwrap());

    h.open("/").await;
    shoot_both(&h, &dir, "01-home").await;
    h.open("/sign-in").await;
    shoot_both(&h, &dir, "02-sign-in-help").await;
    let link = h.link(Some(&scene.ana)).await;
    h.browser.goto(&link).await.unwrap();
    shoot_both(&h, &dir, "03-sign-in-link").await;
    h.click_and_wait("main form button").await;
    shoot_both(&h, &dir, "04-meetings").await;
    h.open(&meeting).await;
    shoot_both(&h, &dir, "05-meeting").await;
    h.browser
        .find(Locator::Css("label[for=answer-apologies]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.click_and_wait("form[action$='/answer'] button").await;
    shoot_both(&h, &dir, "06-meeting-error").await;
    h.open("/actions").await;
    shoot_both(&h, &dir, "07-actions").await;
    h.open(&meeting).await;
    h.click_and_wait("form[action='/calendar-feed'] button")
        .await;
    shoot_both(&h, &dir, "13-feed-issued").await;
    h.open(&meeting).await;
    shoot_both(&h, &dir, "14-meeting-with-feed").await;
    h.open(&format!(
        "/notes/{}/versions/1/document",
        scene.rr3_note["note_id"].as_str().unwrap()
    ))
    .await;
    shoot_both(&h, &dir, "15-note-refused").await;
    h.browser.goto(&link).await.unwrap();
    shoot_both(&h, &dir, "08-link-used").await;
    h.open("/no-such-page").await;
    shoot_both(&h, &dir, "09-not-found").await;
    // Focus on a link, to see the focus style.
    h.open("/actions").await;
    h.browser
        .execute("document.querySelector('main select').focus();", vec![])
        .await
        .unwrap();
    shoot(&h, &dir, "10-focus", 375).await;

    h.open("/secretariat").await;
    shoot_both(&h, &dir, "11-member-on-dashboard").await;
    h.click_and_wait(".signed-in button").await;
    let secretariat = h.link(None).await;
    h.sign_in(&secretariat).await;
    shoot_both(&h, &dir, "12-dashboard").await;
    h.close().await;
}

/// Not a check: screenshots of the secretariat's workspace over the demonstration
/// data, for people to look at (`scripts/screenshots.sh`).
#[tokio::test]
#[ignore = "writes screenshots for people to look at; run scripts/screenshots.sh"]
async fn every_workspace_page_at_phone_and_desktop_width() {
    let dir =
        screenshot_dir().unwrap_or_else(|| std::env::temp_dir().join("minutebook-screenshots"));
    if !browser_available() {
        return;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let h = Harness::start().await;
    let seeded = minutebook::demo::seed(&h.db).await.unwrap();
    let (_, rachel) = seeded.secretariat_person.clone().unwrap();
    let rachel = json!({"id": rachel});
    h.sign_in(&h.link(Some(&rachel)).await).await;
    shoot_both(&h, &dir, "w01-dashboard").await;

    let people = h.get("/api/v1/people?limit=5").await;
    let person = people["items"][2]["id"].as_str().unwrap().to_owned();
    let groups = h.get("/api/v1/groups").await;
    let sig = groups["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == "sig")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let meetings = h
        .get(&format!("/api/v1/groups/{sig}/meetings?limit=200"))
        .await;
    let all = meetings["items"].as_array().unwrap();
    let held = all.iter().find(|m| m["status"] == "held").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let upcoming = all
        .iter()
        .rev()
        .find(|m| m["status"] == "scheduled")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let actions = h.get("/api/v1/actions?limit=5").await;
    let action = actions["items"][0]["id"].as_str().unwrap().to_owned();

    let pages = [
        ("w02-people", "/secretariat/people".to_owned()),
        ("w03-person", format!("/secretariat/people/{person}")),
        (
            "w04-person-edit",
            format!("/secretariat/people/{person}/edit"),
        ),
        ("w05-organisations", "/secretariat/organisations".to_owned()),
        (
            "w06-organisation-new",
            "/secretariat/organisations/new".to_owned(),
        ),
        ("w07-access", "/secretariat/access".to_owned()),
        (
            "w08-link-new",
            format!("/secretariat/access/sign-in-links/new?person={person}"),
        ),
        ("w09-audit", "/secretariat/audit".to_owned()),
        ("w10-groups", "/secretariat/groups".to_owned()),
        ("w11-group", format!("/secretariat/groups/{sig}")),
        ("w12-meetings", "/secretariat/meetings".to_owned()),
        (
            "w13-meeting-new",
            format!("/secretariat/groups/{sig}/meetings/new"),
        ),
        ("w14-meeting", format!("/secretariat/meetings/{upcoming}")),
        (
            "w15-agenda",
            format!("/secretariat/meetings/{upcoming}/agenda"),
        ),
        (
            "w16-register",
            format!("/secretariat/meetings/{upcoming}/register"),
        ),
        (
            "w17-register-held",
            format!("/secretariat/meetings/{held}/register"),
        ),
        (
            "w18-meeting-actions",
            format!("/secretariat/meetings/{held}/actions"),
        ),
        ("w19-action", format!("/secretariat/actions/{action}")),
        ("w20-tracker", "/secretariat/actions".to_owned()),
        ("w21-overdue", "/secretariat/actions/overdue".to_owned()),
        ("w22-note", format!("/secretariat/meetings/{held}/note")),
        (
            "w23-note-versions",
            format!("/secretariat/meetings/{held}/note/versions"),
        ),
        (
            "w24-meeting-edit",
            format!("/secretariat/meetings/{upcoming}/edit"),
        ),
    ];
    for (name, path) in pages {
        h.open(&path).await;
        shoot_both(&h, &dir, name).await;
    }
    // A form with its problems.
    h.open("/secretariat/people/new").await;
    h.click_and_wait("main form button[type=submit]").await;
    shoot_both(&h, &dir, "w25-person-errors").await;
    h.close().await;
}

impl Harness {
    /// Fills the form that `form` selects — text typed into fields, choices made in
    /// lists and radios — and presses its button, waiting for the next page. Values
    /// go in as a person's browser would send them; the form is posted by the browser.
    async fn fill_and_submit(&self, form: &str, fields: &[(&str, &str)]) {
        let script = r#"
            const [formCss, fields] = arguments;
            const form = document.querySelector(formCss);
            if (!form) { return "no form " + formCss; }
            for (const [name, value] of fields) {
                const radio = form.querySelector(`input[type=radio][name="${name}"][value="${value}"]`);
                if (radio) { radio.checked = true; continue; }
                const box = form.querySelector(`input[type=checkbox][name="${name}"]`);
                if (box) { box.checked = value !== ""; continue; }
                const field = form.querySelector(`[name="${name}"]`);
                if (!field) { return "no field " + name; }
                field.value = value;
                if (field.tagName === "SELECT" && field.value !== value) {
                    return "no option " + value + " in " + name;
                }
            }
            return "ok";
        "#;
        let pairs: Vec<Value> = fields.iter().map(|(k, v)| json!([k, v])).collect();
        let filled = self
            .browser
            .execute(script, vec![json!(form), json!(pairs)])
            .await
            .unwrap();
        assert_eq!(filled, json!("ok"), "filling {form}");
        self.click_and_wait(&format!("{form} button[type=submit]"))
            .await;
    }

    /// The value of a `select` option whose label contains `label`.
    async fn option(&self, select: &str, label: &str) -> String {
        let found = self
            .browser
            .execute(
                "const [css, label] = arguments; \
                 const o = [...document.querySelectorAll(css + ' option')].find(o => o.textContent.includes(label)); \
                 return o ? o.value : null;",
                vec![json!(select), json!(label)],
            )
            .await
            .unwrap();
        found
            .as_str()
            .unwrap_or_else(|| panic!("no option {label} in {select}"))
            .to_owned()
    }

    /// The address of the first link whose text or row contains `text` and whose
    /// address contains `href_part`.
    async fn link_near(&self, text: &str, href_part: &str) -> String {
        let found = self
            .browser
            .execute(
                "const [text, part] = arguments; \
                 const a = [...document.querySelectorAll('main a')].find(a => \
                   a.getAttribute('href').includes(part) && \
                   ((a.closest('tr,li,section,div') || a).textContent.includes(text))); \
                 return a ? a.getAttribute('href') : null;",
                vec![json!(text), json!(href_part)],
            )
            .await
            .unwrap();
        found
            .as_str()
            .unwrap_or_else(|| panic!("no link to {href_part} near {text}"))
            .to_owned()
    }

    async fn path(&self) -> String {
        let url = self.browser.current_url().await.unwrap();
        url.path().to_owned()
    }
}

/// The secretariat's whole job from an empty database, in the browser only: the
/// directory, RR3 and a SIG with memberships, a meeting with its agenda and
/// invitations, apologies recorded on someone's behalf, the meeting held and its
/// register marked, an action raised and updated; then a member signs in and sees
/// the meeting, the register and her action.
#[tokio::test]
async fn the_secretariat_runs_a_meeting_from_an_empty_database_in_the_browser() {
    if !browser_available() {
        return;
    }
    let h = Harness::start().await;
    // The quick start's one command: the first secretariat person and their link.
    let rachel = minutebook::service::people::add_secretariat_person_from_command_line(
        &h.db,
        "Rachel Okonjo",
        Some("rachel@clinks.example"),
        Some("Clinks"),
    )
    .await
    .unwrap();
    let link = minutebook::service::sign_in::issue_from_command_line(
        &h.db,
        minutebook::service::sign_in::NewLink {
            person_id: rachel.id,
            expires_in_minutes: Some(60),
        },
    )
    .await
    .unwrap();
    h.sign_in(&format!("{}/sign-in/{}", h.base, link.secret))
        .await;
    assert_eq!(h.heading().await, "Secretariat dashboard");
    assert!(h.text().await.contains("No meetings are scheduled."));

    // The directory.
    h.open("/secretariat/organisations/new").await;
    h.fill_and_submit(
        "main form",
        &[("name", "Nacro"), ("kind", "voluntary_sector")],
    )
    .await;
    assert!(h.text().await.contains("Nacro was added to the directory."));
    h.open("/secretariat/organisations/new").await;
    h.fill_and_submit(
        "main form",
        &[
            ("name", "HM Prison and Probation Service"),
            ("kind", "hmpps"),
        ],
    )
    .await;
    for (name, email, org) in [
        ("Ana Costa", "ana@nacro.example", "Nacro"),
        ("Ben Okafor", "ben@nacro.example", "Nacro"),
        ("Oliver Grant", "oliver@hmpps.example", "HM Prison"),
    ] {
        h.open("/secretariat/people/new").await;
        let org = h.option("#organisation_id", org).await;
        h.fill_and_submit(
            "main form",
            &[("name", name), ("email", email), ("organisation_id", &org)],
        )
        .await;
        assert!(h.text().await.contains(&format!("{name} was added")));
    }

    // RR3 and a SIG, with its chair and a member.
    h.open("/secretariat/groups/new").await;
    h.fill_and_submit(
        "main form",
        &[
            ("kind", "rr3"),
            ("name", "Reducing Reoffending Third Sector Advisory Group"),
            ("short_name", "RR3"),
            (
                "remit",
                "Advise the Ministry of Justice on reducing reoffending.",
            ),
            (
                "about",
                "RR3 is a formal group of senior voluntary sector leaders.",
            ),
            ("status", "active"),
        ],
    )
    .await;
    h.open("/secretariat/groups/new").await;
    let rr3 = h.option("#parent_id", "RR3").await;
    h.fill_and_submit(
        "main form",
        &[
            ("kind", "sig"),
            ("parent_id", &rr3),
            ("name", "Future Regime Design SIG"),
            ("short_name", "FRD"),
            ("remit", "Advise on future prison regimes."),
            ("status", "active"),
        ],
    )
    .await;
    let frd_path = h.path().await;
    assert!(frd_path.starts_with("/secretariat/groups/"), "{frd_path}");
    for (person, role) in [("Ana Costa", "chair"), ("Ben Okafor", "member")] {
        h.open(&format!("{frd_path}/memberships/new")).await;
        let id = h.option("#person_id", person).await;
        h.fill_and_submit(
            "main form",
            &[
                ("person_id", &id),
                ("role", role),
                ("starts_on", "2026-01-01"),
            ],
        )
        .await;
        assert!(h.text().await.contains(person), "{person} is a member");
    }

    // A meeting that took place yesterday morning, London time.
    let yesterday = (Utc::now().with_timezone(&chrono_tz::Europe::London)
        - chrono::Duration::days(1))
    .format("%Y-%m-%d")
    .to_string();
    h.open(&format!("{frd_path}/meetings/new")).await;
    h.fill_and_submit(
        "main form",
        &[
            ("title", "Regime design principles"),
            ("date", &yesterday),
            ("start_time", "10:00"),
            ("end_time", "12:00"),
            ("mode", "online"),
            ("joining_link", "https://meet.example.org/frd"),
        ],
    )
    .await;
    let meeting = h.path().await;
    assert!(meeting.starts_with("/secretariat/meetings/"), "{meeting}");
    assert_eq!(h.heading().await, "Regime design principles");

    // Its agenda, the invitations, an official, and apologies on Ben's behalf.
    h.open(&format!("{meeting}/agenda")).await;
    let oliver = h.option("#presenter_person_id", "Oliver Grant").await;
    h.fill_and_submit(
        "form[action$='/agenda']",
        &[
            ("title", "Regime design: update from HMPPS"),
            ("kind", "presentation"),
            ("presenter_person_id", &oliver),
            ("duration_minutes", "30"),
            ("visibility", "public"),
        ],
    )
    .await;
    assert!(h.text().await.contains("Regime design: update from HMPPS"));
    h.open(&format!("{meeting}/register")).await;
    h.click_and_wait("form[action$='/invite-members'] button")
        .await;
    let text = h.text().await;
    assert!(
        text.contains("Ana Costa") && text.contains("Ben Okafor"),
        "{text}"
    );
    let oliver = h
        .option(
            "form[action$='/register/invite'] #person_id",
            "Oliver Grant",
        )
        .await;
    h.fill_and_submit(
        "form[action$='/register/invite']",
        &[("person_id", &oliver), ("role", "official")],
    )
    .await;
    assert!(h.text().await.contains("Oliver Grant"));
    let ben_line = h.link_near("Ben Okafor", "/secretariat/attendance/").await;
    h.open(&ben_line).await;
    h.fill_and_submit(
        "main form",
        &[
            ("status", "apologies"),
            ("reason", "Speaking at a conference"),
        ],
    )
    .await;
    assert!(
        h.text().await.contains("Speaking at a conference"),
        "the secretariat sees the reason"
    );

    // The meeting is held; the whole register is marked in one form.
    h.open(&format!("{meeting}/mark-held")).await;
    h.fill_and_submit("main form", &[]).await;
    h.open(&format!("{meeting}/register")).await;
    let marks = h
        .browser
        .execute(
            "const pick = (who, value) => { \
               const set = [...document.querySelectorAll('form[action$=\"/register/record\"] fieldset')] \
                 .find(f => f.querySelector('legend').textContent.includes(who)); \
               set.querySelector(`input[value=\"${value}\"]`).checked = true; }; \
             pick('Ana Costa', 'attended'); pick('Oliver Grant', 'attended'); \
             pick('Ben Okafor', 'apologies'); return 'ok';",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(marks, json!("ok"));
    h.click_and_wait("form[action$='/register/record'] button[type=submit]")
        .await;
    let register = h.text().await;
    assert!(register.contains("Attended"), "{register}");

    // An action raised for Ana, then updated.
    h.open(&format!("{meeting}/actions")).await;
    let ana = h.option("#owner_person", "Ana Costa").await;
    let next_week = (Utc::now() + chrono::Duration::days(7))
        .format("%Y-%m-%d")
        .to_string();
    h.fill_and_submit(
        "main form",
        &[
            (
                "description",
                "Share the draft regime principles with members",
            ),
            ("owner", "person"),
            ("owner_person", &ana),
            ("due_on", &next_week),
        ],
    )
    .await;
    assert!(h.text().await.contains("FRD-1-A1"));
    let action = h.link_near("FRD-1-A1", "/secretariat/actions/").await;
    h.open(&action).await;
    h.fill_and_submit(
        "form[action$='/status']",
        &[
            ("status", "in_progress"),
            ("status_note", "Draft circulated to the chair"),
        ],
    )
    .await;
    assert!(h.text().await.contains("Draft circulated to the chair"));

    // A sign-in link for Ana, issued from the workspace and copied from the page.
    h.open("/secretariat/access/sign-in-links/new").await;
    let ana_id = h.option("#person_id", "Ana Costa").await;
    h.fill_and_submit("main form", &[("person_id", &ana_id), ("minutes", "1440")])
        .await;
    let ana_link = h
        .browser
        .find(Locator::Css("#link-url"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    h.click_and_wait(".signed-in button").await;

    // Ana signs in and sees the meeting, who came, and her action.
    h.sign_in(&ana_link).await;
    assert_eq!(h.path().await, "/meetings");
    let member_meeting = meeting.replace("/secretariat", "");
    h.open(&member_meeting).await;
    let page = h.text().await;
    assert!(page.contains("Regime design principles"));
    assert!(page.contains("Who came"), "{page}");
    assert!(page.contains("Oliver Grant"));
    assert!(
        !page.contains("Speaking at a conference"),
        "others' reasons stay private"
    );
    h.open("/actions").await;
    let actions = h.text().await;
    assert!(actions.contains("FRD-1-A1"), "{actions}");
    assert!(actions.contains("In progress"));
    h.open("/secretariat").await;
    assert_eq!(h.heading().await, "This page is for the secretariat");
    h.close().await;
}

/// Types `text` into the field with id `id`, replacing what it held.
async fn fill(h: &Harness, id: &str, text: &str) {
    let field = h
        .browser
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|_| panic!("a field #{id}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Shoots the page at both widths when screenshots were asked for.
async fn maybe_shoot(h: &Harness, name: &str) {
    if let Some(dir) = screenshot_dir() {
        std::fs::create_dir_all(&dir).unwrap();
        shoot_both(h, &dir, name).await;
        h.browser.set_window_size(1280, 900).await.unwrap();
    }
}

#[tokio::test]
async fn the_secretariat_writes_a_note_a_member_comments_and_it_is_published() {
    if !browser_available() {
        return;
    }
    let h = Harness::start().await;
    // FRD's meeting three days ago, held, with Ana and Ben of Nacro and Carys of
    // HMPPS (who presented) on the register.
    let nacro = h
        .post(
            "/api/v1/organisations",
            json!({"name": "Nacro", "kind": "voluntary_sector"}),
        )
        .await;
    let hmpps = h
        .post(
            "/api/v1/organisations",
            json!({"name": "HMPPS", "kind": "hmpps"}),
        )
        .await;
    let person = |name: &str, email: &str, org: &Value| json!({"name": name, "email": email, "organisation_id": org["id"]});
    let ana = h
        .post(
            "/api/v1/people",
            person("Ana Costa", "ana@nacro.example", &nacro),
        )
        .await;
    let ben = h
        .post(
            "/api/v1/people",
            person("Ben Okafor", "ben@nacro.example", &nacro),
        )
        .await;
    let carys = h
        .post(
            "/api/v1/people",
            person("Carys Hughes", "carys@hmpps.example", &hmpps),
        )
        .await;
    let rr3 = h
        .post(
            "/api/v1/groups",
            json!({"kind": "rr3", "name": "Reducing Reoffending Third Sector Advisory Group",
                   "short_name": "RR3", "about": "RR3 brings together voluntary sector leaders."}),
        )
        .await;
    let frd = h
        .post(
            "/api/v1/groups",
            json!({"kind": "sig", "parent_id": rr3["id"], "name": "Future Regime Design SIG",
                   "short_name": "FRD", "remit": "The design of the future prison regime"}),
        )
        .await;
    let fid = frd["id"].as_str().unwrap();
    for (p, role) in [(&ana, "chair"), (&ben, "member")] {
        h.post(
            &format!("/api/v1/groups/{fid}/memberships"),
            json!({"person_id": p["id"], "role": role, "starts_on": "2026-01-01"}),
        )
        .await;
    }
    let day = (Utc::now() - chrono::Duration::days(3)).format("%Y-%m-%d");
    let meeting = h
        .post(
            &format!("/api/v1/groups/{fid}/meetings"),
            json!({"title": "Regime design principles", "starts_at": format!("{day}T10:00:00Z"),
                   "ends_at": format!("{day}T12:00:00Z"), "time_zone": "Europe/London",
                   "mode": "online", "joining_link": "https://meet.example.org/frd"}),
        )
        .await;
    let mid = meeting["id"].as_str().unwrap().to_owned();
    for (title, kind, presenter) in [
        ("Welcome", "welcome", None),
        (
            "Emerging principles from HMPPS",
            "presentation",
            Some(&carys),
        ),
    ] {
        let mut body = json!({"title": title, "kind": kind, "visibility": "public"});
        if let Some(p) = presenter {
            body["presenter_person_id"] = p["id"].clone();
        }
        h.post(&format!("/api/v1/meetings/{mid}/agenda-items"), body)
            .await;
    }
    h.post(
        &format!("/api/v1/meetings/{mid}/attendance/invite-members"),
        json!({}),
    )
    .await;
    h.post(
        &format!("/api/v1/meetings/{mid}/attendance"),
        json!({"person_id": carys["id"], "role": "official"}),
    )
    .await;
    let register = h
        .call("GET", &format!("/api/v1/meetings/{mid}/attendance"), None)
        .await;
    let lines = register
        .as_array()
        .cloned()
        .or_else(|| register["items"].as_array().cloned())
        .unwrap();
    for line in lines {
        h.call(
            "PATCH",
            &format!("/api/v1/attendance/{}", line["id"].as_str().unwrap()),
            Some(json!({"status": "attended"})),
        )
        .await;
    }
    h.post(&format!("/api/v1/meetings/{mid}/mark-held"), json!({}))
        .await;
    let note = format!("/secretariat/meetings/{mid}/note");

    // The secretariat writes the note from the agenda and sees a warning.
    let staff = h.link(None).await;
    h.sign_in(&staff).await;
    h.open(&note).await;
    fill(
        &h,
        "purpose",
        "To hear officials on the emerging regime principles.",
    )
    .await;
    fill(
        &h,
        "item-1-summary",
        "Officials set out six emerging principles.",
    )
    .await;
    fill(
        &h,
        "item-1-point-0",
        "Ben Okafor raised concerns about time out of cell.",
    )
    .await;
    h.click_and_wait("#save").await;
    let text = h.text().await;
    assert!(text.contains("The draft was saved."), "{text}");
    assert!(text.contains("names Ben Okafor"), "{text}");
    maybe_shoot(&h, "30-note-editor-warning").await;
    // … and fixes it.
    fill(
        &h,
        "item-1-point-0",
        "Members raised concerns about time out of cell.",
    )
    .await;
    h.click_and_wait("#save").await;
    assert!(!h.text().await.contains("names Ben Okafor"));

    // The preview for the public, then circulating.
    h.open(&format!("{note}/preview?audience=public")).await;
    let text = h.text().await;
    assert!(text.contains("Members raised concerns about time out of cell."));
    maybe_shoot(&h, "31-note-preview").await;
    h.open(&format!("{note}/circulate")).await;
    assert!(h.text().await.contains("Ben Okafor"));
    let deadline = (Utc::now() + chrono::Duration::days(7))
        .format("%Y-%m-%d")
        .to_string();
    h.browser
        .execute(
            "document.getElementById('comment_deadline').value = arguments[0];",
            vec![json!(deadline)],
        )
        .await
        .unwrap();
    maybe_shoot(&h, "32-note-circulate").await;
    h.click_and_wait("#circulate").await;
    assert!(h.text().await.contains("circulated for comment"));

    // Ben comments from his meeting page.
    h.click_and_wait(".signed-in button").await;
    let link = h.link(Some(&ben)).await;
    h.sign_in(&link).await;
    h.open(&format!("/meetings/{mid}")).await;
    h.click_and_wait(&format!("a[href='/meetings/{mid}/note']"))
        .await;
    assert!(
        h.text()
            .await
            .contains("Members raised concerns about time out of cell.")
    );
    h.browser
        .find(Locator::Id("agenda_item_id"))
        .await
        .unwrap()
        .select_by_label("Emerging principles from HMPPS")
        .await
        .unwrap();
    fill(
        &h,
        "body",
        "Please add that officials will share the data by June.",
    )
    .await;
    h.click_and_wait("#send").await;
    assert!(h.text().await.contains("Your comment was sent"));
    maybe_shoot(&h, "33-member-comment").await;

    // The secretariat adopts it, edits, approves and publishes.
    h.click_and_wait(".signed-in button").await;
    let staff = h.link(None).await;
    h.sign_in(&staff).await;
    h.open(&note).await;
    assert!(
        h.text()
            .await
            .contains("Please add that officials will share the data by June.")
    );
    h.browser
        .find(Locator::Css(".comment-decision label[for^='decision-']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.browser
        .find(Locator::Css(".comment-decision textarea"))
        .await
        .unwrap()
        .send_keys("Thank you: added to item 2.")
        .await
        .unwrap();
    h.click_and_wait(".comment-decision button").await;
    assert!(h.text().await.contains("comment was marked adopted"));
    maybe_shoot(&h, "34-note-editor-comments").await;
    fill(
        &h,
        "item-1-point-1",
        "Officials will share the data by June.",
    )
    .await;
    h.click_and_wait("#save").await;
    h.click_and_wait("form[action$='/note/approve'] button")
        .await;
    assert!(h.text().await.contains("approved by"));
    h.open(&format!("{note}/publish")).await;
    h.browser
        .find(Locator::Css("label[for='audience-public']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.click_and_wait("#publish").await;
    assert!(h.text().await.contains("Check your answers"));
    maybe_shoot(&h, "35-note-publish-check").await;
    h.click_and_wait("#publish").await;
    let text = h.text().await;
    assert!(
        text.contains("Version 1 was published for the public."),
        "{text}"
    );
    maybe_shoot(&h, "36-note-versions").await;

    // A member downloads the published document.
    let href = h
        .browser
        .find(Locator::Css("a[href^='/notes/']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    h.click_and_wait(".signed-in button").await;
    h.sign_in(&link_for(&h, &ben).await).await;
    clear_downloads(&h);
    h.browser.goto(&format!("{}{href}", h.base)).await.unwrap();
    let (name, bytes) = downloaded(&h, ".docx").await;
    assert!(name.ends_with("summary-note-v1.docx"), "{name}");
    assert!(bytes.starts_with(b"PK"));

    // The public sees the public note, never the draft page or a comment.
    h.open("/").await;
    h.click_and_wait(".signed-in button").await;
    h.open("/").await;
    assert!(h.text().await.contains("Regime design principles"));
    h.browser
        .goto(&format!("{}/meetings/{mid}/note", h.base))
        .await
        .unwrap();
    h.browser
        .wait()
        .for_element(Locator::Css("h1"))
        .await
        .unwrap();
    let text = h.text().await;
    assert!(!text.contains("Please add that"), "{text}");
    assert!(!text.contains("Members raised concerns"), "{text}");
    h.close().await;
}

async fn link_for(h: &Harness, person: &Value) -> String {
    h.link(Some(person)).await
}
