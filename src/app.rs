//! The page's root component; it lives in [`crate::ui::page`] (re-exported here for the entry point
//! and the browser tests).

pub use crate::ui::page::{App, TITLE};
