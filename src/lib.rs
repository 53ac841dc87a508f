//! Highwater web app: the Yew UI ([`ui`]) and the JavaScript API ([`api`]).
//!
//! The simulator itself lives in the `highwater-core` crate, which knows nothing about the
//! browser; this crate only renders it and exposes it to JavaScript.

pub mod api;
pub mod app;
pub mod catalog;
pub mod ui;
