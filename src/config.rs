//! Settings from command-line flags with environment fallbacks.

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The database minutebook uses when none is named: a SQLite file beside the process,
/// created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://minutebook.db?mode=rwc";

/// minutebook: meetings, attendance, actions and summary notes for an advisory group.
///
/// With no command it serves the HTTP API (the same as `minutebook serve`).
#[derive(Debug, Parser)]
#[command(name = "minutebook", version, about, long_about)]
pub struct Cli {
    /// Database to use: `sqlite://file.db?mode=rwc` (embedded, the default) or
    /// `postgres://user@host/db`. Migrations run on start.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    /// Address and port the HTTP service listens on.
    #[arg(
        long,
        env = "MINUTEBOOK_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,

    /// The address people reach the service at, used to write sign-in links, e.g.
    /// `https://minutebook.example.org`. Defaults to `http://<bind>`.
    #[arg(long, env = "MINUTEBOOK_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// The secretariat's email address for help, shown at the foot of every page and
    /// wherever a person can go no further alone, e.g. `rr3@clinks.example`.
    #[arg(long, env = "MINUTEBOOK_CONTACT_EMAIL", global = true)]
    pub contact_email: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API, its OpenAPI document and Swagger UI (the default command).
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage sign-in links for the member and secretariat web pages.
    #[command(subcommand, name = "sign-in-link")]
    SignInLink(SignInLinkCommand),
    /// Manage the people who work for the secretariat.
    #[command(subcommand)]
    Secretariat(SecretariatCommand),
    /// Fill the database with a realistic year of RR3 and two of its special interest
    /// groups, so that a newcomer sees a living system at once.
    SeedDemo,
    /// Print the OpenAPI document of the HTTP API (the same as `/api/openapi.json`).
    Openapi,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it, alone, on standard output. It is shown only once:
    /// minutebook keeps only its hash.
    Create(TokenCreateArgs),
}

#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// What the token may do: `secretariat` may do everything, `member` reads its own
    /// groups and answers for its own person.
    #[arg(long, value_enum)]
    pub role: TokenRoleArg,
    /// The person a member token speaks for (required for `member`).
    #[arg(long)]
    pub person: Option<uuid::Uuid>,
    /// A name to recognise the token by, e.g. "RR3 secretariat".
    #[arg(long)]
    pub name: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TokenRoleArg {
    Secretariat,
    Member,
}

impl Cli {
    /// The public address: `--public-url` or `http://<bind>`, without a trailing `/`.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.bind),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum SignInLinkCommand {
    /// Create a single-use sign-in link and print its URL, alone, on standard output.
    /// Send it to the person; it is shown only once.
    Create(SignInLinkCreateArgs),
}

#[derive(Debug, Args)]
pub struct SignInLinkCreateArgs {
    /// The person the link signs in. A person with secretariat access reaches the
    /// secretariat's workspace; anyone else the member pages.
    #[arg(long)]
    pub person: uuid::Uuid,
    /// How many minutes the link works for (1 to 10080).
    #[arg(long, default_value_t = 60)]
    pub minutes: i64,
}

#[derive(Debug, Subcommand)]
pub enum SecretariatCommand {
    /// Add a person with secretariat access and print a sign-in link for them, alone,
    /// on standard output: how the first secretariat person of a new installation
    /// signs in. Everyone after them can be added from the workspace.
    Add(SecretariatAddArgs),
}

#[derive(Debug, Args)]
pub struct SecretariatAddArgs {
    /// Their full name, e.g. "Rachel Okonjo".
    #[arg(long)]
    pub name: String,
    /// Their email address.
    #[arg(long)]
    pub email: Option<String>,
    /// The organisation that runs the secretariat, e.g. "Clinks"; created when no
    /// organisation has this name yet.
    #[arg(long)]
    pub organisation: Option<String>,
    /// How many minutes the sign-in link works for (1 to 10080).
    #[arg(long, default_value_t = 60)]
    pub minutes: i64,
}
