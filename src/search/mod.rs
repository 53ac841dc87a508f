//! The counterexample search in the browser: the typed messages between the page and its Web
//! Worker ([`protocol`]) and the worker's loop (`worker`, wasm only: compiled into its own wasm,
//! `dist/highwater-check_bg.wasm`, which the page loads only when a search starts). The search is
//! the core's (`highwater_core::checker`, docs/CHECKER.md); nothing here models Kafka.

pub mod protocol;
#[cfg(target_arch = "wasm32")]
pub mod worker;
