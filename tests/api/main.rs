//! The integration suite: drives the real HTTP application, on a fresh database per
//! test (SQLite by default; PostgreSQL too when `TEST_DATABASE_URL` names a server).

mod helpers;
mod visitor;

mod actions;
mod attendance;
mod calendar;
mod conventions;
mod directory;
mod documents;
mod flow;
mod freshness;
mod meetings;
mod member_pages;
mod note_comments;
mod notes;
mod roles;
mod tracker;
mod web;
mod workspace_access;
mod workspace_actions;
mod workspace_agenda;
mod workspace_directory;
mod workspace_groups;
mod workspace_meetings;
mod workspace_notes;
mod workspace_register;
