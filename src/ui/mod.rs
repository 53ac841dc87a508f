//! The playground page (Yew). Module declarations only: the page itself is [`page`].
//!
//! * [`state`] — the reducer: the only place that calls the core;
//! * [`view`] — the view model the reducer projects from the core (read-only);
//! * [`picture`] — the cluster SVG; [`controls`], [`inspector`], [`produce`], [`panels`],
//!   [`config_panel`], [`dialogs`] — the rest of the page;
//! * [`anim`], [`keyboard`], [`focus_keeper`], [`url`], [`storage`], [`catalog_fetch`],
//!   [`in_view`] — hooks and effects (animation frames, keys, keyboard focus kept near a control
//!   that disabled itself, the address bar, `localStorage`, the theme attribute, the chapter being
//!   fetched, whether the panels are on screen);
//! * [`tutorial`] — tutorial mode (narration panel, chapter index, deep links) and the embedded
//!   page (`?embed`);
//! * [`page`] — the root component that puts them together.

pub mod after_paint;
pub mod anim;
pub mod catalog_fetch;
pub mod config_consumers;
pub mod config_panel;
pub mod consumer_actions;
pub mod controls;
pub mod countdown_view;
pub mod dialogs;
pub mod download;
pub mod export;
pub mod fetched_html;
pub mod focus_keeper;
pub mod format;
pub mod group_view;
pub mod in_view;
pub mod inspector;
pub mod keyboard;
pub mod notices;
pub mod page;
pub mod panels;
pub mod picture;
pub mod picture_export;
pub mod produce;
pub mod search_dialog;
pub mod search_worker;
pub mod spacetime;
pub mod state;
pub mod storage;
pub mod summary;
pub mod topology;
pub mod tutorial;
pub mod txn_actions;
pub mod url;
pub mod view;
pub mod widgets;
