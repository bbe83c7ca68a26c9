//! Organisations, people, groups and memberships: who is who.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Organisations {
    Table,
    Id,
    Name,
    Kind,
    Website,
}

#[derive(DeriveIden)]
pub enum People {
    Table,
    Id,
    Name,
    Email,
    JobTitle,
    OrganisationId,
}

#[derive(DeriveIden)]
pub enum Groups {
    Table,
    Id,
    Kind,
    ParentId,
    Name,
    ShortName,
    Remit,
    About,
    Status,
    ClosedOn,
    ClosedReason,
    MeetingsNumbered,
}

#[derive(DeriveIden)]
pub enum Memberships {
    Table,
    Id,
    GroupId,
    PersonId,
    Role,
    OrganisationId,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden)]
pub enum Common {
    Version,
    CreatedAt,
    UpdatedAt,
}

/// Adds the columns every resource carries: its edit version and timestamps.
pub fn with_versioning(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(integer(Common::Version).default(1))
        .col(timestamp_with_time_zone(Common::CreatedAt))
        .col(timestamp_with_time_zone(Common::UpdatedAt))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                with_versioning(
                    Table::create()
                        .table(Organisations::Table)
                        .col(pk_uuid(Organisations::Id))
                        .col(string_len(Organisations::Name, 200))
                        .col(string_len(Organisations::Kind, 32))
                        .col(string_len_null(Organisations::Website, 500)),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("organisations_name_key")
                    .table(Organisations::Table)
                    .col(Organisations::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                with_versioning(
                    Table::create()
                        .table(People::Table)
                        .col(pk_uuid(People::Id))
                        .col(string_len(People::Name, 200))
                        .col(string_len_null(People::Email, 320))
                        .col(string_len_null(People::JobTitle, 200))
                        .col(uuid_null(People::OrganisationId))
                        .foreign_key(
                            ForeignKey::create()
                                .name("people_organisation_fk")
                                .from(People::Table, People::OrganisationId)
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
                    .name("people_email_key")
                    .table(People::Table)
                    .col(People::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("people_name_idx")
                    .table(People::Table)
                    .col(People::Name)
                    .col(People::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                with_versioning(
                    Table::create()
                        .table(Groups::Table)
                        .col(pk_uuid(Groups::Id))
                        .col(string_len(Groups::Kind, 16))
                        .col(uuid_null(Groups::ParentId))
                        .col(string_len(Groups::Name, 200))
                        .col(string_len(Groups::ShortName, 16))
                        .col(text_null(Groups::Remit))
                        .col(text_null(Groups::About))
                        .col(string_len(Groups::Status, 16))
                        .col(date_null(Groups::ClosedOn))
                        .col(text_null(Groups::ClosedReason))
                        .col(integer(Groups::MeetingsNumbered).default(0))
                        .foreign_key(
                            ForeignKey::create()
                                .name("groups_parent_fk")
                                .from(Groups::Table, Groups::ParentId)
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
                    .name("groups_short_name_key")
                    .table(Groups::Table)
                    .col(Groups::ShortName)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                with_versioning(
                    Table::create()
                        .table(Memberships::Table)
                        .col(pk_uuid(Memberships::Id))
                        .col(uuid(Memberships::GroupId))
                        .col(uuid(Memberships::PersonId))
                        .col(string_len(Memberships::Role, 16))
                        .col(uuid_null(Memberships::OrganisationId))
                        .col(date(Memberships::StartsOn))
                        .col(date_null(Memberships::EndsOn))
                        .foreign_key(
                            ForeignKey::create()
                                .name("memberships_group_fk")
                                .from(Memberships::Table, Memberships::GroupId)
                                .to(Groups::Table, Groups::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("memberships_person_fk")
                                .from(Memberships::Table, Memberships::PersonId)
                                .to(People::Table, People::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("memberships_organisation_fk")
                                .from(Memberships::Table, Memberships::OrganisationId)
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
                    .name("memberships_group_idx")
                    .table(Memberships::Table)
                    .col(Memberships::GroupId)
                    .col(Memberships::PersonId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("memberships_person_idx")
                    .table(Memberships::Table)
                    .col(Memberships::PersonId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Memberships::Table.into_iden(),
            Groups::Table.into_iden(),
            People::Table.into_iden(),
            Organisations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
