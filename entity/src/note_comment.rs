//! A comment on a circulated summary note, by a member of the group or an official
//! who attended, with the secretariat's decision on it. Never part of any rendition
//! of the note.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "note_comments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub note_id: Uuid,
    /// Who made the comment.
    pub person_id: Uuid,
    /// The agenda item it is about; `None`: the whole note.
    pub agenda_item_id: Option<Uuid>,
    pub body: String,
    /// open, withdrawn, adopted or not_adopted.
    pub status: String,
    /// The secretariat's reply, which the commenter sees.
    pub reply: Option<String>,
    /// Who wrote it down: the commenter, or the secretariat on their behalf.
    pub recorded_by: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
