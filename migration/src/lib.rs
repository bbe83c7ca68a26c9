//! Database migrations for minutebook, one file per migration, named by date.
//!
//! They run at start-up (`minutebook serve`) or alone (`minutebook migrate`). Every
//! table is created with its foreign keys in `create_table`, because SQLite cannot add
//! them afterwards.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_directory;
mod m20261124_000002_meetings;
mod m20261124_000003_actions;
mod m20261124_000004_access;
mod m20261124_000005_summary_notes;
mod m20261124_000006_calendar_feeds;
mod m20261124_000007_web_sessions;
mod m20261202_000008_secretariat_access;
mod m20261202_000040_note_comments;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_directory::Migration),
            Box::new(m20261124_000002_meetings::Migration),
            Box::new(m20261124_000003_actions::Migration),
            Box::new(m20261124_000004_access::Migration),
            Box::new(m20261124_000005_summary_notes::Migration),
            Box::new(m20261124_000006_calendar_feeds::Migration),
            Box::new(m20261124_000007_web_sessions::Migration),
            Box::new(m20261202_000008_secretariat_access::Migration),
            Box::new(m20261202_000040_note_comments::Migration),
        ]
    }
}
