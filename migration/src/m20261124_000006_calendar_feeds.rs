//! Personal calendar feeds, and the action tracker's carry-forward count and
//! escalation.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_directory::People;
use crate::m20261124_000003_actions::ActionItems;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CalendarFeeds {
    Table,
    Id,
    PersonId,
    TokenHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ActionTracking {
    CarriedForward,
    EscalatedToMeetingId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarFeeds::Table)
                    .col(pk_uuid(CalendarFeeds::Id))
                    .col(uuid(CalendarFeeds::PersonId))
                    .col(string_len(CalendarFeeds::TokenHash, 64))
                    .col(timestamp_with_time_zone(CalendarFeeds::CreatedAt))
                    .col(timestamp_with_time_zone_null(CalendarFeeds::LastUsedAt))
                    .col(timestamp_with_time_zone_null(CalendarFeeds::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("calendar_feeds_person_fk")
                            .from(CalendarFeeds::Table, CalendarFeeds::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("calendar_feeds_hash_key")
                    .table(CalendarFeeds::Table)
                    .col(CalendarFeeds::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("calendar_feeds_person_idx")
                    .table(CalendarFeeds::Table)
                    .col(CalendarFeeds::PersonId)
                    .to_owned(),
            )
            .await?;

        // One change per ALTER TABLE: SQLite accepts nothing else. The escalation
        // column has no foreign key because SQLite cannot add one to an existing
        // table; meetings are never deleted, and the service sets it only to a
        // meeting it has just read.
        manager
            .alter_table(
                Table::alter()
                    .table(ActionItems::Table)
                    .add_column(integer(ActionTracking::CarriedForward).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ActionItems::Table)
                    .add_column(uuid_null(ActionTracking::EscalatedToMeetingId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ActionItems::Table)
                    .drop_column(ActionTracking::EscalatedToMeetingId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ActionItems::Table)
                    .drop_column(ActionTracking::CarriedForward)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(CalendarFeeds::Table).to_owned())
            .await
    }
}
