//! What the secretariat writes in a summary note, as stored (one JSON document per
//! note). The note is read and written whole; parts are never queried.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The written content of a note.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoteContent {
    pub purpose: Option<String>,
    pub items: Vec<NoteItem>,
    pub key_issues: Vec<String>,
    pub next_steps: Vec<String>,
    pub aob: Option<String>,
    /// Free text about the next meeting; when absent the group's next scheduled
    /// meeting is shown.
    pub next_meeting: Option<String>,
}

/// The note's part for one agenda item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteItem {
    pub agenda_item_id: Uuid,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub discussion: Vec<Point>,
    #[serde(default)]
    pub officials_response: Option<String>,
    #[serde(default)]
    pub agreed: Vec<String>,
}

/// One discussion point, with its speaker when the secretariat recorded one. The
/// note's attribution mode decides whether the speaker is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_person_id: Option<Uuid>,
}
