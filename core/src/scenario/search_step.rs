//! A step that asks the counterexample search (`search = { … }`, docs/CHECKER.md) from the
//! state the scenario has reached. A schedule it finds is played on the cluster, move by move,
//! so the steps after it (and a tutorial's narration) see the broken state; when it finds none,
//! the cluster is left as it was and the step reports what was covered — a bounded result,
//! never a proof of safety.
//!
//! The search itself runs wherever a [`Searcher`] runs it: here ([`SearchHere`]: the CLI, the JS
//! API, the tests), or beforehand in the page's search worker, whose [`Found`] the page hands in.

use serde::{Deserialize, Serialize};

use super::Check;
use crate::checker::{
    Bound, Budgets, Move, Options, Outcome, Progress, Property, Search, Stats, TimeMode,
};
use crate::cluster::Cluster;
use crate::command::Input;
use crate::plain_words::thousands;
use crate::types::Millis;

/// Most states one scenario step may search: the JS API and the CLI run a step's search on the
/// calling thread.
pub const MAX_STEP_STATES: u64 = 200_000;

/// `search = { property = "no acknowledged record lost", max_depth = 18, budgets = { produces = 1 },
/// finds = true }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchSpec {
    /// The property to break: an invariant's name or a ledger verdict (`acked-lost`, …). `None`:
    /// every invariant the configuration promises.
    pub property: Option<String>,
    /// Longest schedule explored, in moves.
    pub max_depth: u32,
    /// Most distinct states (at most [`MAX_STEP_STATES`]).
    pub max_states: u64,
    /// Faults and records the search may add to one schedule (`highwater check`'s defaults:
    /// 2 crashes, 1 restart).
    pub budgets: Budgets,
    /// Message delays and timer races explored, in ms (`0`: only events due at the same time).
    pub window_ms: Millis,
    /// What the step expects: `true` a violation, `false` none within the bounds.
    pub finds: Option<bool>,
}

impl Default for SearchSpec {
    fn default() -> SearchSpec {
        let o = Options::default();
        SearchSpec {
            property: None,
            max_depth: o.max_depth,
            max_states: MAX_STEP_STATES,
            budgets: o.budgets,
            window_ms: 0,
            finds: None,
        }
    }
}

/// What a search step found, for the narration panel and the JS API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchReport {
    /// The property searched (its name).
    pub property: String,
    /// Whether a schedule breaking it was found (and played).
    pub found: bool,
    /// Moves in the schedule found (0 when none).
    pub moves: usize,
    /// The faults and records in that schedule, in order (`crash b1`, `produce r1`, …); the
    /// rest of its moves are deliveries and timers.
    pub faults: Vec<String>,
    /// Distinct states explored.
    pub states: u64,
    /// Deepest level fully explored (or the schedule's depth).
    pub depth: u32,
    /// What stopped a search that found nothing.
    pub bound: Option<Bound>,
}

impl SearchReport {
    /// One line in plain words.
    pub fn summary(&self) -> String {
        if self.found {
            let faults = if self.faults.is_empty() {
                String::new()
            } else {
                format!(" ({})", self.faults.join(", "))
            };
            format!(
                "found a shortest schedule of {} moves{faults} that breaks \"{}\", after {} states",
                self.moves,
                self.property,
                thousands(self.states)
            )
        } else {
            let why = match self.bound {
                Some(Bound::Exhausted) => "every reachable state explored",
                Some(Bound::States) => "the state bound reached",
                Some(Bound::Memory) => "the memory bound reached",
                _ => "the depth bound reached",
            };
            format!(
                "no schedule breaks \"{}\" among {} states up to depth {} ({why}): a bounded \
                 result, not a proof",
                self.property,
                thousands(self.states),
                self.depth
            )
        }
    }
}

/// What a step's search found, wherever it ran: the report, the inputs that play the schedule
/// found (none when it found nothing), and the state it searched from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Found {
    /// What the search found.
    pub report: SearchReport,
    /// The schedule's moves as inputs, in order.
    pub inputs: Vec<Input>,
    /// [`Cluster::state_hash`] of the state it searched from.
    pub start: u64,
}

/// Who runs a `search` step's search.
pub trait Searcher {
    /// What the search of `spec` from `cluster` finds, or why it cannot run.
    fn search(&self, spec: &SearchSpec, cluster: &Cluster) -> Result<Found, String>;
}

/// Runs a step's search here and now ([`SearchSpec::search`]).
pub struct SearchHere;

impl Searcher for SearchHere {
    fn search(&self, spec: &SearchSpec, cluster: &Cluster) -> Result<Found, String> {
        spec.search(cluster)
    }
}

/// A step's search under way ([`SearchSpec::begin`]).
pub struct Searching {
    search: Search,
    /// The property's name as the step gives it.
    name: String,
    /// The state it searches from (a schedule's faults are named in it).
    start: Cluster,
}

impl Searching {
    /// Explores about `budget` more states; `Some` once the search is over: what it found.
    pub fn step(&mut self, budget: u64) -> Option<Result<Found, String>> {
        match self.search.step(budget) {
            Progress::Running(_) => None,
            Progress::Done(outcome) => Some(self.found(outcome)),
        }
    }

    /// Runs the rest of the search at once: what it found.
    pub fn finish(mut self) -> Result<Found, String> {
        loop {
            if let Some(found) = self.step(u64::MAX) {
                return found;
            }
        }
    }

    /// Coverage so far.
    pub fn stats(&self) -> Stats {
        self.search.stats()
    }

    fn found(&self, outcome: Outcome) -> Result<Found, String> {
        let (report, inputs) = match outcome {
            Outcome::Violation(cx) => {
                // Each fault is named in the state just before it.
                let mut c = self.start.clone();
                let mut faults = Vec::new();
                for m in &cx.moves {
                    faults.extend(fault_label(&c, m));
                    c.apply_input(&m.input())
                        .map_err(|e| format!("search: replaying {m:?}: {e}"))?;
                }
                let report = SearchReport {
                    property: cx.property.name().to_string(),
                    found: true,
                    moves: cx.moves.len(),
                    faults,
                    states: cx.stats.states,
                    depth: cx.moves.len() as u32,
                    bound: None,
                };
                (report, cx.moves.iter().map(Move::input).collect())
            }
            Outcome::NoViolation(r) => {
                let report = SearchReport {
                    property: self.name.clone(),
                    found: false,
                    moves: 0,
                    faults: Vec::new(),
                    states: r.stats.states,
                    depth: r.stats.depth,
                    bound: Some(r.bound),
                };
                (report, Vec::new())
            }
        };
        Ok(Found {
            report,
            inputs,
            start: self.start.state_hash(),
        })
    }
}

impl SearchSpec {
    /// Runs the search from `cluster` and applies a schedule it finds. Returns the report and,
    /// when the step states what it expects, the check of it.
    pub fn run(&self, cluster: &mut Cluster) -> Result<(SearchReport, Option<Check>), String> {
        let found = self.search(cluster)?;
        self.play(cluster, found)
    }

    /// Runs the search from `cluster`, leaving it as it is.
    pub fn search(&self, cluster: &Cluster) -> Result<Found, String> {
        self.begin(cluster)?.finish()
    }

    /// The search from `cluster`, to be run in slices ([`Searching::step`]; the page's worker
    /// reports progress between them), or why it cannot run.
    pub fn begin(&self, cluster: &Cluster) -> Result<Searching, String> {
        if self.max_states > MAX_STEP_STATES {
            return Err(format!(
                "a search step may explore at most {MAX_STEP_STATES} states (max_states = {}); \
                 use the page's Search button or `highwater check` for bigger searches",
                self.max_states
            ));
        }
        let properties = match &self.property {
            None => Property::promised(cluster),
            Some(name) => vec![Property::parse(cluster, name).ok_or_else(|| {
                let known: Vec<String> = Property::all(cluster)
                    .iter()
                    .map(|p| format!("{:?}", p.name()))
                    .collect();
                format!(
                    "search: unknown property {name:?} (one of {})",
                    known.join(", ")
                )
            })?],
        };
        let name = match &self.property {
            Some(n) => n.clone(),
            None => "every promised invariant".into(),
        };
        let options = Options {
            max_depth: self.max_depth,
            max_states: self.max_states,
            budgets: self.budgets,
            time: TimeMode::Window(self.window_ms),
            properties,
            ..Options::default()
        };
        let search = Search::new(cluster, options).map_err(|e| format!("search: {e}"))?;
        Ok(Searching {
            search,
            name,
            start: cluster.clone(),
        })
    }

    /// Applies what a search of this step found (here or elsewhere) to `cluster`, which must be
    /// the state it searched from. Returns the report and, when the step states what it expects,
    /// the check of it.
    pub fn play(
        &self,
        cluster: &mut Cluster,
        found: Found,
    ) -> Result<(SearchReport, Option<Check>), String> {
        if found.start != cluster.state_hash() {
            return Err(
                "internal error: the search ran from another state than this step's; please report it"
                    .into(),
            );
        }
        for input in &found.inputs {
            cluster
                .apply_input(input)
                .map_err(|e| format!("search: replaying {input:?}: {e}"))?;
        }
        let report = found.report;
        let check = self.finds.map(|want| Check {
            what: format!(
                "the search {} a schedule that breaks \"{}\"",
                if want { "finds" } else { "finds no" },
                report.property
            ),
            passed: want == report.found,
            actual: report.summary(),
        });
        Ok((report, check))
    }
}

/// A fault or workload move in words, named in the state just before it; `None` for a
/// delivery or a timer.
fn fault_label(c: &Cluster, m: &Move) -> Option<String> {
    Some(match m {
        Move::Event(_) => return None,
        Move::Crash(b) => format!("crash b{b}"),
        Move::PowerFail(b) => format!("power failure of b{b}"),
        Move::Restart(b) => format!("restart b{b}"),
        Move::Pause(b) => format!("pause b{b}"),
        Move::Resume(b) => format!("resume b{b}"),
        Move::Cut(from, to) => format!("cut {from}→{to}"),
        Move::Heal => "heal".into(),
        Move::Drop(id) => match c.in_flight().find(|e| e.id == *id) {
            Some(e) => format!("drop {} {}→{}", e.msg.kind().name(), e.from, e.to),
            None => "drop a message".into(),
        },
        Move::Produce(n) => format!("produce r{n}"),
    })
}
