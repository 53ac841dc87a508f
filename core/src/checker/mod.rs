//! Counterexample search: a bounded, breadth-first model checker over the one simulator.
//!
//! From any [`Cluster`](crate::cluster::Cluster) it explores every interleaving of the events
//! manual mode offers (the head message of each link, any timer; optionally only those due within
//! a time window) plus user-chosen fault and workload budgets, until a chosen [`Property`] breaks
//! or a bound is reached. Breadth-first, so the first counterexample is a shortest one (in moves).
//! It drives the simulator through its public inputs — it does not model Kafka a second time.
//!
//! The search is steppable so a Web Worker or the page can run it in slices and cancel it:
//! [`Search::new`], then [`Search::step`] with a budget of states until it returns
//! [`Progress::Done`]. Options and results are plain serde data. A violation comes back as a
//! [`Counterexample`]: a [`Run`](crate::timeline::Run) the Timeline replays, with the breaking
//! input marked; [`replay`] re-derives the violation from it (a pure function).
//! See docs/CHECKER.md.

mod counterexample;
mod moves;
mod options;
mod progress;
mod property;
mod search;

pub use counterexample::{replay, Counterexample};
pub use moves::Move;
pub use options::{Budgets, Options, OptionsError, StateKey, TimeMode, BYTES_PER_STATE};
pub use progress::{progress_line, states_per_s};
pub use property::{Property, Verdict};
pub use search::{Bound, BoundedResult, Outcome, Progress, Search, Stats};
