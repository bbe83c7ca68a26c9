use clap::Parser;
use minutebook::config::{
    Cli, Command, SecretariatCommand, SignInLinkCommand, TokenCommand, TokenRoleArg,
};
use minutebook::domain::Role;
use minutebook::startup::{self, Application};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Err(err) = run(cli).await {
        // The cause chain on one line is what a person at a terminal needs.
        eprintln!("minutebook: {err:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // Logs go to standard error so that `token create` leaves standard output to the
    // token alone; one-off commands stay quiet unless something is wrong.
    let default_level = match cli.command {
        None | Some(Command::Serve) => "info",
        Some(_) => "warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level)),
        )
        .with_writer(std::io::stderr)
        .init();

    let public_url = cli.public_url();
    let database_url = cli.database_url;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            if let Some(address) = cli.contact_email.filter(|a| !a.trim().is_empty()) {
                let _ = minutebook::web::CONTACT_EMAIL.set(address.trim().to_owned());
            }
            let app = Application::build(&database_url, cli.bind)
                .await?
                .with_public_url(public_url);
            tracing::info!(address = %app.local_addr(), "minutebook is serving");
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            startup::connect_and_migrate(&database_url).await?;
            tracing::info!("the database is up to date");
        }
        Command::Token(TokenCommand::Create(args)) => {
            let db = startup::connect_and_migrate(&database_url).await?;
            let role = match args.role {
                TokenRoleArg::Secretariat => Role::Secretariat,
                TokenRoleArg::Member => Role::Member,
            };
            let issued = minutebook::service::tokens::issue_from_command_line(
                &db,
                role,
                args.person,
                &args.name,
            )
            .await?;
            println!("{}", issued.secret);
        }
        Command::SignInLink(SignInLinkCommand::Create(args)) => {
            let db = startup::connect_and_migrate(&database_url).await?;
            let issued = minutebook::service::sign_in::issue_from_command_line(
                &db,
                minutebook::service::sign_in::NewLink {
                    person_id: args.person,
                    expires_in_minutes: Some(args.minutes),
                },
            )
            .await?;
            println!(
                "{public_url}{}",
                minutebook::service::sign_in::link_path(&issued.secret)
            );
        }
        Command::Secretariat(SecretariatCommand::Add(args)) => {
            let db = startup::connect_and_migrate(&database_url).await?;
            let person = minutebook::service::people::add_secretariat_person_from_command_line(
                &db,
                &args.name,
                args.email.as_deref(),
                args.organisation.as_deref(),
            )
            .await?;
            let issued = minutebook::service::sign_in::issue_from_command_line(
                &db,
                minutebook::service::sign_in::NewLink {
                    person_id: person.id,
                    expires_in_minutes: Some(args.minutes),
                },
            )
            .await?;
            println!(
                "{public_url}{}",
                minutebook::service::sign_in::link_path(&issued.secret)
            );
        }
        Command::Openapi => {
            println!("{}", minutebook::api::openapi_json());
        }
        Command::SeedDemo => {
            let db = startup::connect_and_migrate(&database_url).await?;
            let summary = minutebook::demo::seed(&db).await?;
            eprintln!("{summary}");
        }
    }
    Ok(())
}
