//! Connecting, migrating and assembling the HTTP application. `main` and the
//! integration tests build the service the same way, through [`Application::build`]
//! or [`routes`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use poem::listener::{Acceptor, Listener, TcpAcceptor, TcpListener};
use poem::middleware::Tracing;
use poem::web::Data;
use poem::{Endpoint, EndpointExt, Route, Server, get, handler};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};

use crate::api;
use crate::api::body_limit::BodyLimit;
use crate::api::error::render_any_error;
use crate::api::read_cache::ReadCache;
use crate::web;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    /// The address people reach the service at (`https://minutebook.example.org`),
    /// used to write sign-in links. Without it, links use the address a request came
    /// in on.
    pub public_url: Option<String>,
    /// Answers to repeated reads, kept while the database has not changed.
    pub reads: Arc<ReadCache>,
}

/// Opens the database named by `url`, tuned for minutebook's use.
///
/// SQLite gets write-ahead logging (readers never wait for the writer), foreign keys
/// (off by default in SQLite), `synchronous = FULL` so that no acknowledged change is
/// lost if the machine loses power, and a busy timeout so that concurrent writers
/// queue instead of failing.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        // An in-memory database exists once per connection, so it gets exactly one.
        options.max_connections(if in_memory { 1 } else { 8 });
        options.min_connections(1);
        // A local file cannot drop a connection the way a network can, so the ping
        // that would precede every query is pure cost.
        options.test_before_acquire(false);
        // Every connection counts its commits, so that kept answers are dropped the
        // moment anything changes (see `service::changes`).
        options.map_sqlx_sqlite_pool_opts(|pool| {
            pool.after_connect(|connection, _| {
                Box::pin(crate::service::changes::count_commits(connection))
            })
        });
        options.map_sqlx_sqlite_opts(|opts: SqliteConnectOptions| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    } else {
        options.max_connections(16);
        // Check a pooled connection only if it sat idle long enough to have been cut.
        options.test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    let db = Database::connect(options)
        .await
        .with_context(|| format!("cannot open the database at {}", redact(url)))?;
    Ok(db)
}

/// Opens the database and brings its schema up to date.
pub async fn connect_and_migrate(url: &str) -> anyhow::Result<DatabaseConnection> {
    let db = connect(url).await?;
    Migrator::up(&db, None)
        .await
        .context("cannot bring the database schema up to date")?;
    Ok(db)
}

/// Hides a password in a database URL before it is logged.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The whole HTTP application over an open database.
pub fn routes(db: DatabaseConnection) -> impl Endpoint {
    routes_with_public_url(db, None)
}

/// The whole HTTP application, writing sign-in links below `public_url`.
pub fn routes_with_public_url(db: DatabaseConnection, public_url: Option<String>) -> impl Endpoint {
    let api = api::service();
    let spec = api.spec_endpoint();
    let docs = api.swagger_ui();
    web::routes(Route::new())
        .nest("/api/v1", api)
        .at("/api/openapi.json", spec)
        .nest("/api/docs", docs)
        .at("/healthz", get(healthz))
        .at("/readyz", get(readyz))
        .with(web::HtmlNotFound)
        .with(BodyLimit::new(api::MAX_BODY_BYTES))
        .data(AppState {
            reads: Arc::new(ReadCache::new(db.clone())),
            db,
            public_url,
        })
        .catch_all_error(render_any_error)
        .with(Tracing)
}

/// The process is up.
#[handler]
fn healthz() -> &'static str {
    "ok"
}

/// The database answers.
#[handler]
async fn readyz(state: Data<&AppState>) -> poem::Response {
    use poem::IntoResponse;
    use poem::http::StatusCode;
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => "ready".into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "database not ready");
            "database unavailable"
                .with_status(StatusCode::SERVICE_UNAVAILABLE)
                .into_response()
        }
    }
}

/// A bound, migrated service ready to run.
pub struct Application {
    acceptor: TcpAcceptor,
    db: DatabaseConnection,
    local_addr: SocketAddr,
    public_url: Option<String>,
}

impl Application {
    /// Connects, migrates and binds. Binding to port 0 picks a free port.
    pub async fn build(database_url: &str, bind: SocketAddr) -> anyhow::Result<Self> {
        let db = connect_and_migrate(database_url).await?;
        let acceptor = TcpListener::bind(bind.to_string())
            .into_acceptor()
            .await
            .with_context(|| format!("cannot listen on {bind}"))?;
        let local_addr = acceptor
            .local_addr()
            .first()
            .and_then(|addr| addr.as_socket_addr().copied())
            .context("the listener has no address")?;
        Ok(Self {
            acceptor,
            db,
            local_addr,
            public_url: None,
        })
    }

    /// Writes sign-in links below `url` (e.g. `https://minutebook.example.org`)
    /// instead of the address each request came in on.
    pub fn with_public_url(mut self, url: impl Into<String>) -> Self {
        self.public_url = Some(url.into());
        self
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Serves until the process is interrupted (Ctrl-C or SIGTERM), finishing requests
    /// already under way.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(
                routes_with_public_url(self.db, self.public_url),
                shutdown_signal(),
                Some(Duration::from_secs(10)),
            )
            .await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("stopping");
}
