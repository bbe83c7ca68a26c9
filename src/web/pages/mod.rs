//! One module per area of the site.

pub mod actions;
pub mod downloads;
pub mod meetings;
pub mod note_comments;
pub mod public;
pub mod secretariat;
pub mod sign_in;
pub mod workspace;
