//! The space-time diagram of a run: the core's `spacetime` places lanes, arrows and marks
//! (`layout`, after the `filter`s) and writes them as SVG markup (`svg`); [`panel`] puts it on
//! the page and handles clicks and keys.

pub mod panel;

pub use panel::SpaceTimePanel;
