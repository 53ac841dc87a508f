//! The page's root component; it lives in [`crate::ui`] (re-exported here for the entry point
//! and the browser tests).

pub use crate::ui::{App, TITLE};
