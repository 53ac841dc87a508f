//! Entry point of the counterexample search's Web Worker (`dist/highwater-check_loader.js`, see
//! `src/search/`). The page starts the worker only when a search starts, so its own wasm stays
//! small and its tab stays responsive.

fn main() {
    #[cfg(target_arch = "wasm32")]
    highwater::search::worker::start();
}
