//! The main advisory group or one of its special interest groups (SIGs).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "groups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub parent_id: Option<Uuid>,
    pub name: String,
    pub short_name: String,
    pub remit: Option<String>,
    pub about: Option<String>,
    pub status: String,
    pub closed_on: Option<Date>,
    pub closed_reason: Option<String>,
    /// How many meeting numbers have been handed out; numbers are never reused.
    pub meetings_numbered: i32,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
