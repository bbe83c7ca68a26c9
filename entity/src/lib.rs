//! The database entities of minutebook, one module per table.
//!
//! Entities carry no API derives: the HTTP layer speaks in its own `…In` / `…Out`
//! objects. Enumerated values (kinds, roles, statuses) are stored as short strings so
//! that SQLite and PostgreSQL hold exactly the same thing; `minutebook::domain` owns
//! their meaning.

pub mod action_item;
pub mod action_status_change;
pub mod agenda_item;
pub mod api_token;
pub mod attendance;
pub mod audit_event;
pub mod calendar_feed;
pub mod group;
pub mod meeting;
pub mod membership;
pub mod note_comment;
pub mod note_version;
pub mod organisation;
pub mod person;
pub mod sign_in_link;
pub mod summary_note;
pub mod web_session;
