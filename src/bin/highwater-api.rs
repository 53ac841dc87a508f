//! Entry point of the JavaScript API's wasm (`dist/highwater-api.js`, see `docs/JS-API.md`).
//! Its exports are the library's `#[wasm_bindgen]` items (`highwater::api`); it mounts no UI.

// Links the library (an unreferenced `--extern` crate would not be linked at all).
extern crate highwater;

fn main() {}
