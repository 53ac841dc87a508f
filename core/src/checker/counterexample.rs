//! A found violation as data: the run that reproduces it, and a pure replay that re-derives it.

use serde::{Deserialize, Serialize};

use super::moves::Move;
use super::property::Property;
use super::search::Stats;
use crate::cluster::{Cluster, ReplayError};
use crate::timeline::Run;

/// The shortest schedule the search found that breaks `property`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Counterexample {
    /// The property that broke.
    pub property: Property,
    /// What broke, in plain words (the monitor's or ledger's detail).
    pub detail: String,
    /// The whole run: the start state's inputs, then the search's moves. Replays on a Timeline,
    /// shares as a URL fragment ([`Run::to_fragment`]).
    pub run: Run,
    /// How many of `run.inputs` built the start state.
    pub prefix_len: usize,
    /// Index in `run.inputs` of the input after which the property is broken (the last one);
    /// `None` when the start state was already broken.
    pub breaking_input: Option<usize>,
    /// The search's moves (`run.inputs[prefix_len..]`).
    pub moves: Vec<Move>,
    /// Coverage when it was found.
    pub stats: Stats,
}

impl Counterexample {
    /// Length of the schedule the search added (its depth).
    pub fn depth(&self) -> usize {
        self.moves.len()
    }
}

/// Replays `cx.run` and returns the cluster, the step count at which the property is broken (for
/// the Timeline's marker) and the violation's detail; `Ok((_, _, None))` if it does not break (the
/// counterexample is stale). Pure: the same answer natively and in wasm.
pub fn replay(cx: &Counterexample) -> Result<(Cluster, u64, Option<String>), ReplayError> {
    let c = Cluster::replay(cx.run.config.clone(), cx.run.seed, &cx.run.inputs)?;
    let broken = cx.property.broken(&c);
    let step = c.step_count();
    Ok((c, step, broken))
}
