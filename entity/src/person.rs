//! A person known to the secretariat: a member, an official, a co-opted expert.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// Stored lower-case so that uniqueness ignores case.
    pub email: Option<String>,
    pub job_title: Option<String>,
    pub organisation_id: Option<Uuid>,
    /// Whether the person works for the secretariat: their sign-in links open the
    /// secretariat's workspace.
    pub secretariat_access: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
