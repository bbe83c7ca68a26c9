//! Secretariat access belongs to named people: a person in the directory is given it
//! (or loses it), and their sign-in links and sessions carry their own name.

use sea_orm_migration::prelude::*;

use crate::m20261124_000001_directory::People;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PeopleAccess {
    SecretariatAccess,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One change per ALTER TABLE: SQLite takes no more.
        manager
            .alter_table(
                Table::alter()
                    .table(People::Table)
                    .add_column(
                        ColumnDef::new(PeopleAccess::SecretariatAccess)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(People::Table)
                    .drop_column(PeopleAccess::SecretariatAccess)
                    .to_owned(),
            )
            .await
    }
}
