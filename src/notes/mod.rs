//! The summary note: what the secretariat writes ([`content`]), assembled with the
//! meeting's record for one audience ([`assemble`]), rendered to a Word document
//! ([`render`]).

pub mod assemble;
pub mod content;
pub mod model;
pub mod render;
