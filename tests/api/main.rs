//! The integration suite: drives the real HTTP application, on a fresh database per
//! test (SQLite by default; PostgreSQL too when `TEST_DATABASE_URL` names a server).

mod helpers;

mod actions;
mod attendance;
mod calendar;
mod conventions;
mod directory;
mod documents;
mod flow;
mod freshness;
mod meetings;
mod notes;
mod roles;
mod tracker;
mod web;
