//! The summary note of a meeting (possibly covering a second meeting of the same
//! group), with its content and where it is in its lifecycle.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "summary_notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub meeting_id: Uuid,
    pub second_meeting_id: Option<Uuid>,
    pub group_id: Uuid,
    /// draft, circulated, approved or published.
    pub status: String,
    /// non_attributed, officials_named or fully_attributed.
    pub attribution: String,
    /// What the secretariat wrote: purpose, items, key issues, next steps, AOB.
    pub content: Json,
    pub comment_deadline: Option<Date>,
    pub approved_on: Option<Date>,
    /// The number of the current published version, once there is one.
    pub published_version: Option<i32>,
    pub published_audience: Option<String>,
    pub published_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
