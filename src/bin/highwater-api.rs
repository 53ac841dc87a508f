//! Entry point of the JavaScript API's wasm (`dist/highwater-api.js`, see `docs/JS-API.md`).
//! Its exports are the library's `#[wasm_bindgen]` items (`highwater::api`); it mounts no UI.

/// talc, as the page's module does (`src/main.rs`).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

// Links the library (an unreferenced `--extern` crate would not be linked at all).
extern crate highwater;

fn main() {}
