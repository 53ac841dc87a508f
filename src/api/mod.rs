//! The JavaScript API of the playground.
//!
//! This is the only module that knows about JavaScript: pages that embed the playground or drive
//! it from a script use the [`Simulation`] class exported here (`wasm-bindgen`; structured values
//! cross as JSON, see "Plain data"). The guide with examples is `docs/JS-API.md`.
//!
//! Rules this module keeps:
//! * **No trap.** Nothing here panics on user input: every argument is checked and every misuse
//!   is a JS `Error` whose message starts with the method name (`"apply: there is no broker 9
//!   (brokers are 1..=3)"`). Arguments are converted *before* the simulation is borrowed, so a
//!   getter or proxy in an argument can never observe a half-done call.
//! * **No borrow across JavaScript.** Subscribers are called after the simulation's `RefCell` is
//!   released; they may read the simulation, and a mutating call from inside a subscriber is an
//!   exception (not a `RefCell` panic). Every exported method takes `&self`, so wasm-bindgen's own
//!   borrow of the object is shared and never conflicts.
//! * **Plain data.** Values cross the boundary as plain JSON-compatible objects (maps as objects,
//!   `None` as `null`), with the core's own field names (snake_case; Kafka's dotted names in
//!   configs): exactly the JSON `serde_json` writes for the core's types (what the CLI prints),
//!   handed to `JSON.parse`. Not `serde_wasm_bindgen::Serializer::json_compatible()`: it refuses
//!   maps with integer keys (the snapshot's `record_replicas`) where serde_json writes `"0"`,
//!   and one JSON string is faster to cross than thousands of small property sets. Inputs go the
//!   other way (`JSON.stringify`, then serde_json), see `convert::from_js`.
//!
//! The module's parts: `convert` (arguments in, JSON out, errors), [`types`] (the plain-data
//! shapes only this API returns; everything else is the core's read model), `simulation` (the
//! [`Simulation`] class). The TypeScript declarations are `types.d.ts` beside this file, emitted
//! into the generated `.d.ts`; `tests/api_types.rs` checks them against real output.

mod convert;
mod simulation;
pub mod types;

pub use simulation::Simulation;

use wasm_bindgen::prelude::*;

/// The version of the web app crate, e.g. `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Runs the benchmark workload (`highwater bench`: 5 brokers, 10 partitions, 3 producers, random
/// faults) for about `events` events and returns how many fired — for measuring the core's speed
/// in wasm against native (`scripts/measure-browser.mjs`).
#[wasm_bindgen(js_name = benchmarkBusyCluster)]
pub fn benchmark_busy_cluster(seed: u32, events: u32) -> f64 {
    highwater_core::bench::busy_cluster_run(seed as u64, events as u64) as f64
}

/// The TypeScript declarations of every value this API takes or returns.
pub const TYPESCRIPT: &str = include_str!("types.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = TYPESCRIPT;
