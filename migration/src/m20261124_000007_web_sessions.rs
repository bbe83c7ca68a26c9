//! Sign-in links and the web sessions they start, for the member and secretariat
//! pages. Sessions live in the database so that several instances sharing one
//! PostgreSQL see the same sessions.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_directory::People;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SignInLinks {
    Table,
    Id,
    PersonId,
    Role,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum WebSessions {
    Table,
    Id,
    TokenHash,
    PersonId,
    Role,
    CsrfToken,
    SignInLinkId,
    CreatedAt,
    ExpiresAt,
    EndedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignInLinks::Table)
                    .col(pk_uuid(SignInLinks::Id))
                    .col(uuid_null(SignInLinks::PersonId))
                    .col(string_len(SignInLinks::Role, 16))
                    .col(string_len(SignInLinks::TokenHash, 64))
                    .col(timestamp_with_time_zone(SignInLinks::CreatedAt))
                    .col(timestamp_with_time_zone(SignInLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(SignInLinks::UsedAt))
                    .col(timestamp_with_time_zone_null(SignInLinks::RevokedAt))
                    .col(string_len(SignInLinks::CreatedBy, 200))
                    .foreign_key(
                        ForeignKey::create()
                            .name("sign_in_links_person_fk")
                            .from(SignInLinks::Table, SignInLinks::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sign_in_links_hash_key")
                    .table(SignInLinks::Table)
                    .col(SignInLinks::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WebSessions::Table)
                    .col(pk_uuid(WebSessions::Id))
                    .col(string_len(WebSessions::TokenHash, 64))
                    .col(uuid_null(WebSessions::PersonId))
                    .col(string_len(WebSessions::Role, 16))
                    .col(string_len(WebSessions::CsrfToken, 80))
                    .col(uuid_null(WebSessions::SignInLinkId))
                    .col(timestamp_with_time_zone(WebSessions::CreatedAt))
                    .col(timestamp_with_time_zone(WebSessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(WebSessions::EndedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("web_sessions_person_fk")
                            .from(WebSessions::Table, WebSessions::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("web_sessions_link_fk")
                            .from(WebSessions::Table, WebSessions::SignInLinkId)
                            .to(SignInLinks::Table, SignInLinks::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("web_sessions_hash_key")
                    .table(WebSessions::Table)
                    .col(WebSessions::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebSessions::Table.into_iden(),
            SignInLinks::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
