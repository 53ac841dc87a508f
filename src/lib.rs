//! Highwater web app: the Yew UI ([`ui`]) and, with the `api` feature, the JavaScript API
//! (`api`, built into its own wasm by the `highwater-api` binary).
//!
//! The simulator itself lives in the `highwater-core` crate, which knows nothing about the
//! browser; this crate only renders it and exposes it to JavaScript.

#[cfg(feature = "api")]
pub mod api;
pub mod app;
pub mod article_html;
pub mod catalog;
pub mod help_html;
pub mod legend_html;
pub mod search;
pub mod summary_table;
pub mod ui;
