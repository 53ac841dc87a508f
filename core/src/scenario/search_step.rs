//! A step that asks the counterexample search (`search = { … }`, docs/CHECKER.md) from the
//! state the scenario has reached. A schedule it finds is played on the cluster, move by move,
//! so the steps after it (and a tutorial's narration) see the broken state; when it finds none,
//! the cluster is left as it was and the step reports what was covered — a bounded result,
//! never a proof of safety.

use serde::{Deserialize, Serialize};

use super::Check;
use crate::checker::{Bound, Budgets, Move, Options, Outcome, Property, Search, TimeMode};
use crate::cluster::Cluster;
use crate::plain_words::thousands;
use crate::types::Millis;

/// Most states one scenario step may search: a tutorial step runs on the page's main thread.
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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

impl SearchSpec {
    /// Runs the search from `cluster`; a schedule found is applied to it. Returns the report
    /// and, when the step states what it expects, the check of it.
    pub fn run(&self, cluster: &mut Cluster) -> Result<(SearchReport, Option<Check>), String> {
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
        let report = match search.run() {
            Outcome::Violation(cx) => {
                let mut faults = Vec::new();
                for m in &cx.moves {
                    faults.extend(fault_label(cluster, m));
                    cluster
                        .apply_input(&m.input())
                        .map_err(|e| format!("search: replaying {m:?}: {e}"))?;
                }
                SearchReport {
                    property: cx.property.name().to_string(),
                    found: true,
                    moves: cx.moves.len(),
                    faults,
                    states: cx.stats.states,
                    depth: cx.moves.len() as u32,
                    bound: None,
                }
            }
            Outcome::NoViolation(r) => SearchReport {
                property: name,
                found: false,
                moves: 0,
                faults: Vec::new(),
                states: r.stats.states,
                depth: r.stats.depth,
                bound: Some(r.bound),
            },
        };
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
