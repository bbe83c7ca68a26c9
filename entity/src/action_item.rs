//! An action raised at a meeting, tracked until done or dropped.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "action_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub group_id: Uuid,
    pub agenda_item_id: Option<Uuid>,
    pub number: i32,
    #[sea_orm(unique)]
    pub reference: String,
    pub description: String,
    pub owner_person_id: Option<Uuid>,
    pub owner_organisation_id: Option<Uuid>,
    pub owner_text: Option<String>,
    pub due_on: Option<Date>,
    pub status: String,
    /// How many times the secretariat has explicitly carried it forward.
    pub carried_forward: i32,
    /// The main group's meeting a SIG's action was escalated to.
    pub escalated_to_meeting_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
