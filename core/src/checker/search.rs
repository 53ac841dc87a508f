//! The breadth-first search: a queue of states (cluster copies), a visited set of fingerprints and
//! a table of (parent, move) to rebuild the path to any state. Steppable in slices.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use super::counterexample::Counterexample;
use super::moves::{moves, Move};
use super::options::{Budgets, Options, OptionsError, StateKey, BYTES_PER_STATE};
use super::property::{first_broken, first_broken_after, Checked, Property};
use crate::cluster::Cluster;
use crate::command::Input;
use crate::timeline::Run;

/// How far the search has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Distinct states stored (the start included).
    pub states: u64,
    /// Successors computed (moves applied), duplicates included.
    pub transitions: u64,
    /// Depth of the states being expanded now; when done, the deepest level fully explored.
    pub depth: u32,
    /// States waiting in the queue.
    pub queued: u64,
    /// Most states queued at once.
    pub peak_queued: u64,
    /// Bytes of the visited set and path table (their allocated capacity): what every stored
    /// state costs.
    pub stored_bytes: u64,
    /// Estimated bytes of one queued cluster copy (from the start state's snapshot size).
    pub copy_bytes: u64,
    /// Bytes in use: the host's last measure ([`Search::measured`]) once it gave one, otherwise
    /// estimated as `stored_bytes` plus the queued cluster copies.
    pub bytes: u64,
}

/// Why a search without a violation stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bound {
    /// Every state reachable within the budgets was explored (no deeper state exists).
    Exhausted,
    /// States at the maximum depth were not expanded.
    Depth,
    /// The state bound was reached.
    States,
    /// The memory bound was reached.
    Memory,
}

/// A search that found nothing: what was covered, never a claim of safety.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoundedResult {
    /// What stopped it.
    pub bound: Bound,
    /// Coverage when it stopped.
    pub stats: Stats,
    /// The options it ran with.
    pub options: Options,
    /// The properties it checked.
    pub properties: Vec<Property>,
}

/// How a search ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// A property broke: the shortest path found.
    Violation(Box<Counterexample>),
    /// Nothing broke within the bounds.
    NoViolation(BoundedResult),
}

/// What [`Search::step`] returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "progress", rename_all = "kebab-case")]
pub enum Progress {
    /// Still running.
    Running(Stats),
    /// Finished.
    Done(Outcome),
}

/// The fingerprint is already a hash: the visited set uses it as is.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | *b as u64;
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
}

/// A queued state.
struct Node {
    index: u32,
    depth: u32,
    used: Budgets,
    /// Boxed: a state moves from successor to queue to parent several times, and a `Cluster`
    /// is some 400 bytes to copy each time.
    cluster: Box<Cluster>,
}

/// A breadth-first search in progress.
pub struct Search {
    options: Options,
    properties: Vec<Property>,
    /// The inputs that built the start state (the counterexample's prefix).
    prefix: Vec<Input>,
    config: crate::config::ClusterConfig,
    seed: u64,
    queue: VecDeque<Node>,
    /// Membership only (never iterated), so its order cannot leak into results.
    visited: HashSet<u64, BuildHasherDefault<Identity>>,
    /// Per stored state: its parent's index and the move from it (the start has none).
    paths: Vec<(u32, Option<Move>)>,
    stats: Stats,
    /// Estimated bytes of one queued cluster copy.
    cluster_bytes: u64,
    /// The host's last measure of the memory in use ([`Search::measured`]).
    measured_bytes: Option<u64>,
    done: Option<Outcome>,
}

impl Search {
    /// A search from `start` (any cluster with its recorded inputs: a scenario's start, the
    /// page's current step, a JS API simulation). Refuses bad options.
    pub fn new(start: &Cluster, options: Options) -> Result<Search, OptionsError> {
        options.validate()?;
        for p in &options.properties {
            if let Property::Invariant(n) = p {
                if !start.invariants().iter().any(|s| &s.name == n) {
                    return Err(OptionsError(format!(
                        "no invariant is called {n:?} in this configuration"
                    )));
                }
            }
        }
        let properties = if options.properties.is_empty() {
            Property::all(start)
        } else {
            options.properties.clone()
        };
        let prefix = start.history().to_vec();
        // The search runs without the event log (it changes nothing but the log); the run it
        // reports keeps the start's configuration.
        let mut quiet_cfg = start.config().clone();
        quiet_cfg.trace = false;
        // A counterexample must replay from the configuration, so the start has to be rebuilt
        // from its recorded inputs.
        let mut cluster = match Cluster::replay(quiet_cfg, start.seed(), &prefix) {
            Ok(c) if c.state_hash() == start.state_hash() => c,
            _ => {
                return Err(OptionsError(
                    "the start state cannot be rebuilt from its recorded inputs (its history was cleared), \
                     so a counterexample could not be replayed"
                        .into(),
                ))
            }
        };
        cluster.stop_recording();
        let cluster_bytes = estimate_bytes(&cluster);
        let mut s = Search {
            config: start.config().clone(),
            seed: start.seed(),
            prefix,
            properties,
            queue: VecDeque::new(),
            visited: HashSet::default(),
            paths: Vec::new(),
            stats: Stats::default(),
            cluster_bytes,
            measured_bytes: None,
            done: None,
            options,
        };
        s.visited
            .insert(fingerprint(&cluster, &Budgets::default(), s.options.key));
        s.paths.push((0, None));
        s.stats.states = 1;
        if let Some((p, d)) = first_broken(&s.properties, &cluster) {
            s.done = Some(Outcome::Violation(Box::new(s.counterexample(0, p, d))));
        } else {
            s.queue.push_back(Node {
                index: 0,
                depth: 0,
                used: Budgets::default(),
                cluster: Box::new(cluster),
            });
        }
        Ok(s)
    }

    /// The properties being checked.
    pub fn properties(&self) -> &[Property] {
        &self.properties
    }

    /// Coverage so far.
    pub fn stats(&self) -> Stats {
        let mut s = self.stats;
        s.queued = self.queue.len() as u64;
        s.peak_queued = s.peak_queued.max(s.queued);
        // hashbrown: one control byte per bucket beside each 8-byte key.
        s.stored_bytes = (self.visited.capacity() as u64 * 9)
            + (self.paths.capacity() * std::mem::size_of::<(u32, Option<Move>)>()) as u64;
        s.copy_bytes = self.cluster_bytes;
        s.bytes = self.measured_bytes.unwrap_or_else(|| {
            s.stored_bytes.max(self.stats.states * BYTES_PER_STATE) + s.queued * self.cluster_bytes
        });
        s
    }

    /// Gives the search the host's own measure of the memory in use, in bytes (the search
    /// worker: its wasm module's linear memory, which holds nothing else). From the first measure
    /// on, the memory bound is checked against the latest one, between slices, instead of
    /// against the estimate, which counts each queued copy at twice the start's snapshot and
    /// ignores what copies share (docs/CHECKER.md, "Bounds and refusals"). A measure at or above
    /// the bound ends the search with [`Bound::Memory`]; a slice may overshoot it by what its
    /// states take.
    pub fn measured(&mut self, bytes: u64) -> Progress {
        if self.done.is_none() {
            self.measured_bytes = Some(bytes);
            if bytes >> 20 >= self.options.max_memory_mb {
                self.finish(Bound::Memory);
            }
        }
        self.progress()
    }

    /// [`Search::step`] with the host's measure of its memory (`measure`, in bytes) given to
    /// [`Search::measured`] before and after, so that the estimate never applies where the host
    /// can measure. `measure` returns `None` where it cannot.
    pub fn step_measured(&mut self, budget: u64, measure: impl Fn() -> Option<u64>) -> Progress {
        if let Some(bytes) = measure() {
            self.measured(bytes);
        }
        let progress = self.step(budget);
        match (&progress, measure()) {
            (Progress::Running(_), Some(bytes)) => self.measured(bytes),
            _ => progress,
        }
    }

    /// Expands queued states until about `budget` new states were stored, a violation is found or
    /// a bound is reached. Call again while it returns [`Progress::Running`]; dropping the search
    /// cancels it.
    pub fn step(&mut self, budget: u64) -> Progress {
        let target = self.stats.states.saturating_add(budget.max(1));
        while self.done.is_none() && self.stats.states < target {
            self.expand_one();
        }
        self.progress()
    }

    fn progress(&self) -> Progress {
        match &self.done {
            Some(o) => Progress::Done(o.clone()),
            None => Progress::Running(self.stats()),
        }
    }

    /// Runs to the end.
    pub fn run(mut self) -> Outcome {
        loop {
            if let Progress::Done(o) = self.step(u64::MAX) {
                return o;
            }
        }
    }

    fn finish(&mut self, bound: Bound) {
        self.done = Some(Outcome::NoViolation(BoundedResult {
            bound,
            stats: self.stats(),
            options: self.options.clone(),
            properties: self.properties.clone(),
        }));
    }

    fn expand_one(&mut self) {
        let Some(node) = self.queue.pop_front() else {
            let bound = if self.stats.depth >= self.options.max_depth {
                Bound::Depth
            } else {
                Bound::Exhausted
            };
            self.finish(bound);
            return;
        };
        self.stats.depth = node.depth;
        if node.depth >= self.options.max_depth {
            // Breadth-first: every later queued state is this deep too.
            self.queue.clear();
            self.finish(Bound::Depth);
            return;
        }
        let moves = moves(&node.cluster, &self.options, &node.used);
        let checked = Checked::of(&node.cluster);
        let last = moves.len().saturating_sub(1);
        let mut parent = Some(node.cluster);
        for (i, m) in moves.into_iter().enumerate() {
            // The last successor reuses the parent's copy: one clone fewer per expanded state.
            let mut next = if i == last {
                parent.take().expect("taken once")
            } else {
                parent.as_ref().expect("kept until the last move").clone()
            };
            if m.apply(&mut next).is_err() {
                continue;
            }
            self.stats.transitions += 1;
            let mut used = node.used;
            m.spend(&mut used);
            if !self
                .visited
                .insert(fingerprint(&next, &used, self.options.key))
            {
                continue;
            }
            let index = self.paths.len() as u32;
            self.paths.push((node.index, Some(m)));
            self.stats.states += 1;
            if let Some((p, d)) = first_broken_after(&self.properties, &next, &checked) {
                self.stats.depth = node.depth + 1;
                let cx = self.counterexample(index, p, d);
                self.done = Some(Outcome::Violation(Box::new(cx)));
                return;
            }
            if self.stats.states >= self.options.max_states {
                self.finish(Bound::States);
                return;
            }
            self.queue.push_back(Node {
                index,
                depth: node.depth + 1,
                used,
                cluster: next,
            });
            self.stats.peak_queued = self.stats.peak_queued.max(self.queue.len() as u64);
            if self.measured_bytes.is_none()
                && self.stats().bytes >> 20 >= self.options.max_memory_mb
            {
                self.finish(Bound::Memory);
                return;
            }
        }
    }

    /// The moves from the start to state `index`.
    fn path(&self, mut index: u32) -> Vec<Move> {
        let mut out = Vec::new();
        while let (parent, Some(m)) = &self.paths[index as usize] {
            out.push(m.clone());
            index = *parent;
        }
        out.reverse();
        out
    }

    fn counterexample(&self, index: u32, property: Property, detail: String) -> Counterexample {
        let moves = self.path(index);
        let mut inputs = self.prefix.clone();
        inputs.extend(moves.iter().map(Move::input));
        Counterexample {
            property,
            detail,
            prefix_len: self.prefix.len(),
            breaking_input: inputs.len().checked_sub(1).filter(|_| !moves.is_empty()),
            moves,
            run: Run {
                config: self.config.clone(),
                seed: self.seed,
                inputs,
            },
            stats: self.stats(),
        }
    }
}

/// The visited-set key: the cluster's fingerprint mixed with the budgets spent to reach it.
fn fingerprint(c: &Cluster, used: &Budgets, key: StateKey) -> u64 {
    let b = u64::from_le_bytes([
        used.crashes,
        used.power_failures,
        used.restarts,
        used.pauses,
        used.cuts,
        used.heals,
        used.drops,
        used.produces,
    ]);
    let state = match key {
        StateKey::Fingerprint => c.fingerprint(),
        StateKey::StateHash => c.state_hash(),
    };
    state ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17)
}

/// A rough size of one cluster copy: its snapshot as JSON, doubled for the structures behind it.
fn estimate_bytes(c: &Cluster) -> u64 {
    serde_json::to_vec(&c.snapshot())
        .map(|v| v.len() as u64 * 2)
        .unwrap_or(16 * 1024)
}
