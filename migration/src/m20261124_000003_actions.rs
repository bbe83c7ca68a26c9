//! Action items and their status history.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_directory::{Groups, Organisations, People, with_versioning};
use crate::m20261124_000002_meetings::{AgendaItems, Meetings};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum ActionItems {
    Table,
    Id,
    MeetingId,
    GroupId,
    AgendaItemId,
    Number,
    Reference,
    Description,
    OwnerPersonId,
    OwnerOrganisationId,
    OwnerText,
    DueOn,
    Status,
}

#[derive(DeriveIden)]
pub enum ActionStatusChanges {
    Table,
    Id,
    ActionId,
    FromStatus,
    ToStatus,
    Note,
    Actor,
    ActorTokenId,
    ChangedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                with_versioning(
                    Table::create()
                        .table(ActionItems::Table)
                        .col(pk_uuid(ActionItems::Id))
                        .col(uuid(ActionItems::MeetingId))
                        .col(uuid(ActionItems::GroupId))
                        .col(uuid_null(ActionItems::AgendaItemId))
                        .col(integer(ActionItems::Number))
                        .col(string_len(ActionItems::Reference, 40))
                        .col(text(ActionItems::Description))
                        .col(uuid_null(ActionItems::OwnerPersonId))
                        .col(uuid_null(ActionItems::OwnerOrganisationId))
                        .col(string_len_null(ActionItems::OwnerText, 200))
                        .col(date_null(ActionItems::DueOn))
                        .col(string_len(ActionItems::Status, 16))
                        .foreign_key(
                            ForeignKey::create()
                                .name("action_items_meeting_fk")
                                .from(ActionItems::Table, ActionItems::MeetingId)
                                .to(Meetings::Table, Meetings::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("action_items_group_fk")
                                .from(ActionItems::Table, ActionItems::GroupId)
                                .to(Groups::Table, Groups::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("action_items_agenda_item_fk")
                                .from(ActionItems::Table, ActionItems::AgendaItemId)
                                .to(AgendaItems::Table, AgendaItems::Id)
                                .on_delete(ForeignKeyAction::SetNull),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("action_items_owner_person_fk")
                                .from(ActionItems::Table, ActionItems::OwnerPersonId)
                                .to(People::Table, People::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("action_items_owner_organisation_fk")
                                .from(ActionItems::Table, ActionItems::OwnerOrganisationId)
                                .to(Organisations::Table, Organisations::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("action_items_reference_key")
                    .table(ActionItems::Table)
                    .col(ActionItems::Reference)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("action_items_meeting_number_key")
                    .table(ActionItems::Table)
                    .col(ActionItems::MeetingId)
                    .col(ActionItems::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("action_items_group_idx")
                    .table(ActionItems::Table)
                    .col(ActionItems::GroupId)
                    .col(ActionItems::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("action_items_owner_idx")
                    .table(ActionItems::Table)
                    .col(ActionItems::OwnerPersonId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActionStatusChanges::Table)
                    .col(pk_uuid(ActionStatusChanges::Id))
                    .col(uuid(ActionStatusChanges::ActionId))
                    .col(string_len_null(ActionStatusChanges::FromStatus, 16))
                    .col(string_len(ActionStatusChanges::ToStatus, 16))
                    .col(text_null(ActionStatusChanges::Note))
                    .col(string_len(ActionStatusChanges::Actor, 200))
                    .col(uuid_null(ActionStatusChanges::ActorTokenId))
                    .col(timestamp_with_time_zone(ActionStatusChanges::ChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("action_status_changes_action_fk")
                            .from(ActionStatusChanges::Table, ActionStatusChanges::ActionId)
                            .to(ActionItems::Table, ActionItems::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("action_status_changes_action_idx")
                    .table(ActionStatusChanges::Table)
                    .col(ActionStatusChanges::ActionId)
                    .col(ActionStatusChanges::ChangedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ActionStatusChanges::Table.into_iden(),
            ActionItems::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
