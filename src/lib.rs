//! minutebook: meetings, attendance, actions and summary notes for an advisory group's
//! secretariat and members.
//!
//! A request flows one way: typed extractors in [`api`] → domain parsing in [`domain`]
//! → a [`service`] function in a transaction → an `…Out` object.

pub mod api;
pub mod auth;
pub mod calendar;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod notes;
pub mod service;
pub mod startup;
pub mod web;

pub use error::{Error, Result};
