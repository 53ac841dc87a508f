//! The space-time diagram of a run: [`layout`] places lanes, arrows and marks (pure) after the
//! [`filter`]s, [`svg`] writes them as SVG markup, [`panel`] puts it on the page and handles
//! clicks and keys.

pub mod filter;
pub mod layout;
pub mod panel;
pub mod svg;

pub use panel::SpaceTimePanel;
