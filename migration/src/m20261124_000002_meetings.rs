//! Meetings, their agendas and attendance registers.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_directory::{Groups, Organisations, People, with_versioning};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Meetings {
    Table,
    Id,
    GroupId,
    Number,
    Title,
    StartsAt,
    EndsAt,
    TimeZone,
    Mode,
    Location,
    JoiningLink,
    Status,
    StatusReason,
    PostponedToId,
    ActionsNumbered,
    ScheduleSequence,
}

#[derive(DeriveIden)]
pub enum AgendaItems {
    Table,
    Id,
    MeetingId,
    Position,
    Title,
    Kind,
    PresenterPersonId,
    PresenterText,
    DurationMinutes,
    Visibility,
    Notes,
}

#[derive(DeriveIden)]
pub enum Attendance {
    Table,
    Id,
    MeetingId,
    PersonId,
    Role,
    OrganisationId,
    OrganisationName,
    Status,
    Reason,
    RespondedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                with_versioning(
                    Table::create()
                        .table(Meetings::Table)
                        .col(pk_uuid(Meetings::Id))
                        .col(uuid(Meetings::GroupId))
                        .col(integer(Meetings::Number))
                        .col(string_len(Meetings::Title, 300))
                        .col(timestamp_with_time_zone(Meetings::StartsAt))
                        .col(timestamp_with_time_zone(Meetings::EndsAt))
                        .col(string_len(Meetings::TimeZone, 64))
                        .col(string_len(Meetings::Mode, 16))
                        .col(string_len_null(Meetings::Location, 500))
                        .col(string_len_null(Meetings::JoiningLink, 1000))
                        .col(string_len(Meetings::Status, 16))
                        .col(text_null(Meetings::StatusReason))
                        .col(uuid_null(Meetings::PostponedToId))
                        .col(integer(Meetings::ActionsNumbered).default(0))
                        .col(integer(Meetings::ScheduleSequence).default(0))
                        .foreign_key(
                            ForeignKey::create()
                                .name("meetings_group_fk")
                                .from(Meetings::Table, Meetings::GroupId)
                                .to(Groups::Table, Groups::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("meetings_postponed_to_fk")
                                .from(Meetings::Table, Meetings::PostponedToId)
                                .to(Meetings::Table, Meetings::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("meetings_group_number_key")
                    .table(Meetings::Table)
                    .col(Meetings::GroupId)
                    .col(Meetings::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("meetings_starts_at_idx")
                    .table(Meetings::Table)
                    .col(Meetings::StartsAt)
                    .col(Meetings::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                with_versioning(
                    Table::create()
                        .table(AgendaItems::Table)
                        .col(pk_uuid(AgendaItems::Id))
                        .col(uuid(AgendaItems::MeetingId))
                        .col(integer(AgendaItems::Position))
                        .col(string_len(AgendaItems::Title, 300))
                        .col(string_len(AgendaItems::Kind, 32))
                        .col(uuid_null(AgendaItems::PresenterPersonId))
                        .col(string_len_null(AgendaItems::PresenterText, 300))
                        .col(integer_null(AgendaItems::DurationMinutes))
                        .col(string_len(AgendaItems::Visibility, 16))
                        .col(text_null(AgendaItems::Notes))
                        .foreign_key(
                            ForeignKey::create()
                                .name("agenda_items_meeting_fk")
                                .from(AgendaItems::Table, AgendaItems::MeetingId)
                                .to(Meetings::Table, Meetings::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("agenda_items_presenter_fk")
                                .from(AgendaItems::Table, AgendaItems::PresenterPersonId)
                                .to(People::Table, People::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("agenda_items_meeting_idx")
                    .table(AgendaItems::Table)
                    .col(AgendaItems::MeetingId)
                    .col(AgendaItems::Position)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                with_versioning(
                    Table::create()
                        .table(Attendance::Table)
                        .col(pk_uuid(Attendance::Id))
                        .col(uuid(Attendance::MeetingId))
                        .col(uuid(Attendance::PersonId))
                        .col(string_len(Attendance::Role, 16))
                        .col(uuid_null(Attendance::OrganisationId))
                        .col(string_len_null(Attendance::OrganisationName, 200))
                        .col(string_len(Attendance::Status, 16))
                        .col(text_null(Attendance::Reason))
                        .col(timestamp_with_time_zone_null(Attendance::RespondedAt))
                        .foreign_key(
                            ForeignKey::create()
                                .name("attendance_meeting_fk")
                                .from(Attendance::Table, Attendance::MeetingId)
                                .to(Meetings::Table, Meetings::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("attendance_person_fk")
                                .from(Attendance::Table, Attendance::PersonId)
                                .to(People::Table, People::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("attendance_organisation_fk")
                                .from(Attendance::Table, Attendance::OrganisationId)
                                .to(Organisations::Table, Organisations::Id)
                                .on_delete(ForeignKeyAction::SetNull),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("attendance_meeting_person_key")
                    .table(Attendance::Table)
                    .col(Attendance::MeetingId)
                    .col(Attendance::PersonId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("attendance_person_idx")
                    .table(Attendance::Table)
                    .col(Attendance::PersonId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Attendance::Table.into_iden(),
            AgendaItems::Table.into_iden(),
            Meetings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
