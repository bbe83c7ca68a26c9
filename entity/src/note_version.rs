//! A published version of a summary note: the rendered .docx, frozen. Rows are
//! only ever inserted; a correction is a new row that supersedes the old one.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "note_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub note_id: Uuid,
    /// 1, 2, … per note.
    pub number: i32,
    /// members or public.
    pub audience: String,
    /// The .docx bytes as published.
    pub document: Vec<u8>,
    /// SHA-256 of `document`, lower-case hex.
    pub sha256: String,
    pub size_bytes: i32,
    /// The readable download name, e.g. `2026-03-12-rr3-frd-sig-meeting-5-summary-note-v1.docx`.
    pub file_name: String,
    /// The version this one replaces.
    pub supersedes_id: Option<Uuid>,
    pub published_at: DateTimeUtc,
    pub published_by: String,
    pub published_by_token_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
