//! Members' comments on a circulated summary note.
//!
//! A comment is on the whole note or on one agenda item, made by a member of the
//! group or an official who attended. The secretariat marks it adopted or not
//! adopted, with an optional reply the commenter sees. Comments never reach any
//! rendition of the note, so they live apart from the note's content.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_directory::{Common, People, with_versioning};
use crate::m20261124_000002_meetings::AgendaItems;
use crate::m20261124_000005_summary_notes::SummaryNotes;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum NoteComments {
    Table,
    Id,
    NoteId,
    PersonId,
    AgendaItemId,
    Body,
    Status,
    Reply,
    RecordedBy,
    DecidedBy,
    DecidedAt,
    WithdrawnAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                with_versioning(
                    Table::create()
                        .table(NoteComments::Table)
                        .col(pk_uuid(NoteComments::Id))
                        .col(uuid(NoteComments::NoteId))
                        .col(uuid(NoteComments::PersonId))
                        .col(uuid_null(NoteComments::AgendaItemId))
                        .col(text(NoteComments::Body))
                        .col(string_len(NoteComments::Status, 16))
                        .col(text_null(NoteComments::Reply))
                        .col(string_len(NoteComments::RecordedBy, 200))
                        .col(string_len_null(NoteComments::DecidedBy, 200))
                        .col(timestamp_with_time_zone_null(NoteComments::DecidedAt))
                        .col(timestamp_with_time_zone_null(NoteComments::WithdrawnAt))
                        .foreign_key(
                            ForeignKey::create()
                                .name("note_comments_note_fk")
                                .from(NoteComments::Table, NoteComments::NoteId)
                                .to(SummaryNotes::Table, SummaryNotes::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("note_comments_person_fk")
                                .from(NoteComments::Table, NoteComments::PersonId)
                                .to(People::Table, People::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        // An agenda item removed later leaves its comments standing,
                        // as comments on the whole note.
                        .foreign_key(
                            ForeignKey::create()
                                .name("note_comments_agenda_item_fk")
                                .from(NoteComments::Table, NoteComments::AgendaItemId)
                                .to(AgendaItems::Table, AgendaItems::Id)
                                .on_delete(ForeignKeyAction::SetNull),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("note_comments_note_idx")
                    .table(NoteComments::Table)
                    .col(NoteComments::NoteId)
                    .col(Common::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NoteComments::Table).to_owned())
            .await
    }
}
