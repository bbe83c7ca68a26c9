//! The summary note: assembled from the database for an audience, rendered to a Word
//! document.

pub mod model;
pub mod render;
