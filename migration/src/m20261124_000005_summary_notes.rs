//! Summary notes and their published versions.
//!
//! A note's content is one JSON document (purpose, per-item discussion, key issues,
//! next steps…): it is read and written whole, never queried by part. A published
//! version holds the rendered .docx bytes themselves, so that what was published is
//! what is downloaded, byte for byte, for as long as the version exists.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_directory::{Groups, with_versioning};
use crate::m20261124_000002_meetings::Meetings;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum SummaryNotes {
    Table,
    Id,
    MeetingId,
    SecondMeetingId,
    GroupId,
    Status,
    Attribution,
    Content,
    CommentDeadline,
    ApprovedOn,
    PublishedVersion,
    PublishedAudience,
    PublishedAt,
}

#[derive(DeriveIden)]
pub enum NoteVersions {
    Table,
    Id,
    NoteId,
    Number,
    Audience,
    Document,
    Sha256,
    SizeBytes,
    FileName,
    SupersedesId,
    PublishedAt,
    PublishedBy,
    PublishedByTokenId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                with_versioning(
                    Table::create()
                        .table(SummaryNotes::Table)
                        .col(pk_uuid(SummaryNotes::Id))
                        .col(uuid(SummaryNotes::MeetingId))
                        .col(uuid_null(SummaryNotes::SecondMeetingId))
                        .col(uuid(SummaryNotes::GroupId))
                        .col(string_len(SummaryNotes::Status, 16))
                        .col(string_len(SummaryNotes::Attribution, 32))
                        .col(json(SummaryNotes::Content))
                        .col(date_null(SummaryNotes::CommentDeadline))
                        .col(date_null(SummaryNotes::ApprovedOn))
                        // The current published version: what the list of published
                        // notes shows, kept here so that the list is one query.
                        .col(integer_null(SummaryNotes::PublishedVersion))
                        .col(string_len_null(SummaryNotes::PublishedAudience, 16))
                        .col(timestamp_with_time_zone_null(SummaryNotes::PublishedAt))
                        .foreign_key(
                            ForeignKey::create()
                                .name("summary_notes_meeting_fk")
                                .from(SummaryNotes::Table, SummaryNotes::MeetingId)
                                .to(Meetings::Table, Meetings::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("summary_notes_second_meeting_fk")
                                .from(SummaryNotes::Table, SummaryNotes::SecondMeetingId)
                                .to(Meetings::Table, Meetings::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("summary_notes_group_fk")
                                .from(SummaryNotes::Table, SummaryNotes::GroupId)
                                .to(Groups::Table, Groups::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("summary_notes_meeting_key")
                    .table(SummaryNotes::Table)
                    .col(SummaryNotes::MeetingId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("summary_notes_published_idx")
                    .table(SummaryNotes::Table)
                    .col(SummaryNotes::PublishedAt)
                    .col(SummaryNotes::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(NoteVersions::Table)
                    .col(pk_uuid(NoteVersions::Id))
                    .col(uuid(NoteVersions::NoteId))
                    .col(integer(NoteVersions::Number))
                    .col(string_len(NoteVersions::Audience, 16))
                    // BLOB on SQLite, bytea on PostgreSQL.
                    .col(blob(NoteVersions::Document))
                    .col(string_len(NoteVersions::Sha256, 64))
                    .col(integer(NoteVersions::SizeBytes))
                    .col(string_len(NoteVersions::FileName, 300))
                    .col(uuid_null(NoteVersions::SupersedesId))
                    .col(timestamp_with_time_zone(NoteVersions::PublishedAt))
                    .col(string_len(NoteVersions::PublishedBy, 200))
                    .col(uuid_null(NoteVersions::PublishedByTokenId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("note_versions_note_fk")
                            .from(NoteVersions::Table, NoteVersions::NoteId)
                            .to(SummaryNotes::Table, SummaryNotes::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("note_versions_supersedes_fk")
                            .from(NoteVersions::Table, NoteVersions::SupersedesId)
                            .to(NoteVersions::Table, NoteVersions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("note_versions_note_number_key")
                    .table(NoteVersions::Table)
                    .col(NoteVersions::NoteId)
                    .col(NoteVersions::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            NoteVersions::Table.into_iden(),
            SummaryNotes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
