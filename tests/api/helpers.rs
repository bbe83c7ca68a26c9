//! `spawn_app()`: a fresh, migrated database and a client for the whole application.

use std::sync::atomic::{AtomicU64, Ordering};

use minutebook::domain::Role;
use minutebook::startup;
use poem::endpoint::BoxEndpoint;
use poem::http::{HeaderMap, Method, StatusCode};
use poem::test::TestClient;
use poem::{Body, EndpointExt};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use uuid::Uuid;

pub struct TestApp {
    pub client: TestClient<BoxEndpoint<'static, poem::Response>>,
    pub db: DatabaseConnection,
    /// A secretariat token, made as the command line makes one.
    pub secretariat: String,
    _database: TestDatabase,
}

impl TestApp {
    /// The database file when the suite runs on SQLite, for writing to it as
    /// another program would.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        match &self._database {
            TestDatabase::Sqlite(dir) => Some(dir.path().join("minutebook.db")),
            TestDatabase::Postgres { .. } => None,
        }
    }
}

/// A database that exists for one test and is removed afterwards.
enum TestDatabase {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs outside any runtime we can borrow, so the clean-up gets its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async move {
                    if let Ok(admin) = Database::connect(&admin_url).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Which database the suite runs on: `TEST_DATABASE_URL` when it names PostgreSQL,
/// else a temporary SQLite file.
async fn fresh_database() -> (String, TestDatabase) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let name = format!(
                "minutebook_test_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst)
            );
            let admin = Database::connect(&url)
                .await
                .expect("connect to TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create a test database");
            let base = url.rsplit_once('/').map(|(base, _)| base).unwrap_or(&url);
            (
                format!("{base}/{name}"),
                TestDatabase::Postgres {
                    admin_url: url,
                    name,
                },
            )
        }
        _ => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let url = format!("sqlite://{}/minutebook.db?mode=rwc", dir.path().display());
            (url, TestDatabase::Sqlite(dir))
        }
    }
}

pub async fn spawn_app() -> TestApp {
    // Logs show under a failing test only.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
        .with_test_writer()
        .try_init();
    let (url, database) = fresh_database().await;
    let db = startup::connect_and_migrate(&url).await.expect("migrate");
    let secretariat = minutebook::service::tokens::issue_from_command_line(
        &db,
        Role::Secretariat,
        None,
        "RR3 secretariat",
    )
    .await
    .expect("issue a secretariat token")
    .secret;
    let endpoint = startup::routes(db.clone()).map_to_response().boxed();
    TestApp {
        client: TestClient::new(endpoint),
        db,
        secretariat,
        _database: database,
    }
}

/// What came back.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| {
            panic!(
                "expected JSON, got {}: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }

    /// Asserts a problem+json error with this status and returns its body.
    #[track_caller]
    pub fn problem(self, status: u16) -> Value {
        let reply = self.expect(status);
        assert_eq!(
            reply.header("content-type").as_deref(),
            Some("application/problem+json"),
            "errors are problem+json"
        );
        let body = reply.json();
        assert_eq!(body["status"], status);
        assert!(body["title"].is_string() && body["type"].is_string());
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
        body
    }
}

impl TestApp {
    /// Sends a request with optional token, JSON body and extra headers.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.client.request(method, path.to_owned());
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request
                .content_type("application/json")
                .body(Body::from_string(body.to_string()));
        }
        let response = request.send().await.0;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().into_vec().await.expect("read body");
        Reply {
            status,
            headers,
            body,
        }
    }

    #[allow(dead_code)] // for tests that send bodies that are not JSON
    pub async fn raw(&self, method: Method, path: &str, token: Option<&str>, body: &str) -> Reply {
        let mut request = self.client.request(method, path.to_owned());
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let response = request
            .content_type("application/json")
            .body(Body::from_string(body.to_owned()))
            .send()
            .await
            .0;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().into_vec().await.expect("read body");
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(
            Method::GET,
            path,
            Some(&self.secretariat.clone()),
            None,
            &[],
        )
        .await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(
            Method::POST,
            path,
            Some(&self.secretariat.clone()),
            Some(body),
            &[],
        )
        .await
    }

    #[allow(dead_code)]
    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(
            Method::PUT,
            path,
            Some(&self.secretariat.clone()),
            Some(body),
            &[],
        )
        .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(
            Method::PATCH,
            path,
            Some(&self.secretariat.clone()),
            Some(body),
            &[],
        )
        .await
    }

    #[allow(dead_code)]
    pub async fn delete(&self, path: &str) -> Reply {
        self.send(
            Method::DELETE,
            path,
            Some(&self.secretariat.clone()),
            None,
            &[],
        )
        .await
    }

    /// The number of rows in a table: "nothing changed" checks count before and after.
    pub async fn count(&self, table: &str) -> i64 {
        use sea_orm::{FromQueryResult, Statement};
        #[derive(FromQueryResult)]
        struct Count {
            n: i64,
        }
        let backend = self.db.get_database_backend();
        Count::find_by_statement(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .one(&self.db)
        .await
        .expect("count")
        .expect("a row")
        .n
    }

    // Builders for the things most tests need.

    pub async fn organisation(&self, name: &str, kind: &str) -> Value {
        self.post("/api/v1/organisations", json!({"name": name, "kind": kind}))
            .await
            .expect(201)
            .json()
    }

    pub async fn person(&self, name: &str, email: &str, organisation_id: &Value) -> Value {
        self.post(
            "/api/v1/people",
            json!({"name": name, "email": email, "organisation_id": organisation_id}),
        )
        .await
        .expect(201)
        .json()
    }

    pub async fn main_group(&self) -> Value {
        self.post(
            "/api/v1/groups",
            json!({"kind": "rr3", "name": "Reducing Reoffending Third Sector Advisory Group",
                   "short_name": "RR3", "remit": "Advise MoJ and HMPPS", "about": "RR3 brings together voluntary sector leaders."}),
        )
        .await
        .expect(201)
        .json()
    }

    pub async fn sig(&self, parent: &Value, name: &str, short_name: &str) -> Value {
        self.post(
            "/api/v1/groups",
            json!({"kind": "sig", "parent_id": parent["id"], "name": name, "short_name": short_name,
                   "remit": "Future regime design"}),
        )
        .await
        .expect(201)
        .json()
    }

    pub async fn member(&self, group: &Value, person: &Value, role: &str) -> Value {
        self.post(
            &format!(
                "/api/v1/groups/{}/memberships",
                group["id"].as_str().unwrap()
            ),
            json!({"person_id": person["id"], "role": role, "starts_on": "2026-01-01"}),
        )
        .await
        .expect(201)
        .json()
    }

    pub async fn meeting(&self, group: &Value, starts_at: &str, ends_at: &str) -> Value {
        self.post(
            &format!("/api/v1/groups/{}/meetings", group["id"].as_str().unwrap()),
            json!({"title": "Future regime design", "starts_at": starts_at, "ends_at": ends_at,
                   "time_zone": "Europe/London", "mode": "online", "joining_link": "https://meet.example.org/frd"}),
        )
        .await
        .expect(201)
        .json()
    }

    /// A member token for `person`, issued over the API.
    pub async fn member_token(&self, person: &Value) -> String {
        self.post(
            "/api/v1/tokens",
            json!({"name": format!("{} (member)", person["name"].as_str().unwrap()), "role": "member", "person_id": person["id"]}),
        )
        .await
        .expect(201)
        .json()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// The Future Regime Design SIG under RR3, with Ana Costa (chair) and Ben Okafor
/// (member) from Nacro, and a member token for Ben.
pub struct FrdSig {
    pub nacro: Value,
    pub rr3: Value,
    pub frd: Value,
    pub ana: Value,
    pub ben: Value,
    pub ben_token: String,
}

impl TestApp {
    pub async fn frd_sig(&self) -> FrdSig {
        let nacro = self.organisation("Nacro", "voluntary_sector").await;
        let ana = self
            .person("Ana Costa", "ana@nacro.example", &nacro["id"])
            .await;
        let ben = self
            .person("Ben Okafor", "ben@nacro.example", &nacro["id"])
            .await;
        let rr3 = self.main_group().await;
        let frd = self.sig(&rr3, "Future Regime Design SIG", "FRD").await;
        self.member(&frd, &ana, "chair").await;
        self.member(&frd, &ben, "member").await;
        let ben_token = self.member_token(&ben).await;
        FrdSig {
            nacro,
            rr3,
            frd,
            ana,
            ben,
            ben_token,
        }
    }
}

/// Every table, for "nothing changed" checks.
pub const TABLES: [&str; 12] = [
    "organisations",
    "people",
    "groups",
    "memberships",
    "meetings",
    "agenda_items",
    "attendance",
    "action_items",
    "action_status_changes",
    "api_tokens",
    "audit_events",
    "note_comments",
];

/// The row count of every table, to compare before and after a refused request.
#[derive(Debug, PartialEq, Eq)]
pub struct Counts(Vec<(&'static str, i64)>);

impl TestApp {
    pub async fn counts(&self) -> Counts {
        let mut counts = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            counts.push((table, self.count(table).await));
        }
        Counts(counts)
    }

    pub async fn get_as(&self, token: &str, path: &str) -> Reply {
        self.send(Method::GET, path, Some(token), None, &[]).await
    }

    pub async fn patch_as(&self, token: &str, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(token), Some(body), &[])
            .await
    }

    /// A secretariat POST without a body (`mark-held`, `invite-members`, `activate`).
    pub async fn post_empty(&self, path: &str) -> Reply {
        self.send(Method::POST, path, Some(&self.secretariat), None, &[])
            .await
    }

    /// A secretariat PATCH that sends `If-Match: <etag>`.
    pub async fn patch_if_match(&self, path: &str, body: Value, etag: &str) -> Reply {
        self.send(
            Method::PATCH,
            path,
            Some(&self.secretariat),
            Some(body),
            &[("If-Match", etag)],
        )
        .await
    }

    /// A secretariat request with any body and headers, sent as given (no
    /// `Content-Length` unless `headers` has one).
    pub async fn send_body(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, String)],
        body: Body,
    ) -> Reply {
        let mut request = self
            .client
            .request(method, path.to_owned())
            .header("Authorization", format!("Bearer {}", self.secretariat))
            .content_type("application/json");
        for (name, value) in headers {
            request = request.header(*name, value.as_str());
        }
        let response = request.body(body).send().await.0;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().into_vec().await.expect("read body");
        Reply {
            status,
            headers,
            body,
        }
    }

    /// An online meeting of `group` from 10:00 to 12:00 UTC, `days` from today
    /// (negative: in the past).
    pub async fn meeting_in(&self, group: &Value, days: i64) -> Value {
        self.meeting(group, &days_from_now(days, 10), &days_from_now(days, 12))
            .await
    }

    pub async fn agenda_item(&self, meeting: &Value, title: &str, visibility: &str) -> Value {
        self.post(
            &format!("/api/v1/meetings/{}/agenda-items", id(meeting)),
            json!({"title": title, "kind": "discussion", "visibility": visibility}),
        )
        .await
        .expect(201)
        .json()
    }

    /// Invites every current member; answers the whole reply.
    pub async fn invite_members(&self, meeting: &Value) -> Value {
        self.post_empty(&format!(
            "/api/v1/meetings/{}/attendance/invite-members",
            id(meeting)
        ))
        .await
        .expect(200)
        .json()
    }

    /// Invites one person; answers their register line.
    pub async fn invite(&self, meeting: &Value, person: &Value) -> Value {
        self.post(
            &format!("/api/v1/meetings/{}/attendance", id(meeting)),
            json!({"person_id": person["id"]}),
        )
        .await
        .expect(201)
        .json()
    }

    /// Raises an action owned by `person`, due on `due_on` if given.
    pub async fn action(&self, meeting: &Value, person: &Value, due_on: Option<&str>) -> Value {
        self.post(
            &format!("/api/v1/meetings/{}/actions", id(meeting)),
            json!({"description": format!("Follow up for {}", person["name"].as_str().unwrap()),
                   "owner_person_id": person["id"], "due_on": due_on}),
        )
        .await
        .expect(201)
        .json()
    }

    /// Walks a list page by page with `limit`, as the secretariat; answers the pages.
    pub async fn pages(&self, path: &str, limit: u32) -> Vec<Vec<Value>> {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut pages = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let url = match &cursor {
                None => format!("{path}{separator}limit={limit}"),
                Some(c) => format!("{path}{separator}limit={limit}&cursor={c}"),
            };
            let page = self.get(&url).await.expect(200).json();
            pages.push(page["items"].as_array().expect("items").clone());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => {
                    assert!(
                        page["next_cursor"].is_null(),
                        "next_cursor is a string or null"
                    );
                    break;
                }
            }
            assert!(pages.len() < 100, "the list never ends");
        }
        pages
    }
}

/// A time `days` from today at `hour`:00 UTC, as RFC 3339.
pub fn days_from_now(days: i64, hour: u32) -> String {
    let day = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
    format!("{}T{hour:02}:00:00Z", day.format("%Y-%m-%d"))
}

/// A date `days` from today, as `YYYY-MM-DD`.
pub fn date_from_now(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// The items of a list reply, or of a bare JSON array.
pub fn items(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.clone(),
        _ => value["items"].as_array().expect("a list").clone(),
    }
}

/// The `field` of every entry in a problem's `errors`.
pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The id of a created resource as a string.
pub fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

/// A random id that names nothing.
pub fn unknown_id() -> String {
    Uuid::new_v4().to_string()
}
