//! The JavaScript API of the playground.
//!
//! This is the only module that knows about JavaScript: pages that embed the playground or drive
//! it from a script call the functions exported here (`wasm-bindgen` +
//! `serde-wasm-bindgen` with `Serializer::json_compatible()` for structured values).

use wasm_bindgen::prelude::*;

/// The version of the web app crate, e.g. `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
