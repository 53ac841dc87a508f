//! The space-time diagram of a run: [`layout`] places lanes, arrows and marks (pure), [`panel`]
//! draws them as SVG on the page.

pub mod layout;
pub mod panel;

pub use panel::SpaceTimePanel;
