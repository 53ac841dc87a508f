//! The search's options: bounds, fault and workload budgets, time semantics; validated in plain
//! words (including budgets that would exhaust memory).

use serde::{Deserialize, Serialize};

use super::property::Property;
use crate::types::Millis;

/// How many of each fault and workload move one path may use. Every budget bounds one path (a
/// schedule), not the search as a whole.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Budgets {
    /// Broker process kills (the disk survives).
    pub crashes: u8,
    /// Broker power failures (unflushed records are lost).
    pub power_failures: u8,
    /// Restarts of a crashed broker.
    pub restarts: u8,
    /// Pauses of a broker (each may later be resumed, which is free).
    pub pauses: u8,
    /// One-way link cuts between brokers or a broker and the controller.
    pub cuts: u8,
    /// Heals of every link.
    pub heals: u8,
    /// Messages dropped (the head of a link).
    pub drops: u8,
    /// Records produced by producer 1 (values `r1`, `r2`, …).
    pub produces: u8,
}

impl Budgets {
    /// Total moves the budgets allow on one path.
    pub fn total(&self) -> u32 {
        [
            self.crashes,
            self.power_failures,
            self.restarts,
            self.pauses,
            self.cuts,
            self.heals,
            self.drops,
            self.produces,
        ]
        .iter()
        .map(|b| *b as u32)
        .sum()
    }
}

impl std::fmt::Display for Budgets {
    /// "2 crashes, 1 restart", or "no faults".
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let parts: Vec<String> = [
            (self.crashes, "crash", "crashes"),
            (self.power_failures, "power failure", "power failures"),
            (self.restarts, "restart", "restarts"),
            (self.pauses, "pause", "pauses"),
            (self.cuts, "cut", "cuts"),
            (self.heals, "heal", "heals"),
            (self.drops, "drop", "drops"),
            (self.produces, "produced record", "produced records"),
        ]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
        if parts.is_empty() {
            f.write_str("no faults")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// Which enabled events the search interleaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeMode {
    /// Exactly manual mode: any head message and any timer may fire next; the clock jumps to the
    /// chosen event's due time when that is later (so a timer fired early makes time pass).
    Manual,
    /// Only events due within this many ms of the earliest due one: message delays and timer
    /// races up to the window are explored, longer ones are not. `Window(0)` is the timed
    /// driver's order (ties only).
    Window(Millis),
}

impl std::fmt::Display for TimeMode {
    /// "manual mode", "events due at the same time", "events due within 50 ms".
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            TimeMode::Manual => f.write_str("manual mode"),
            TimeMode::Window(0) => f.write_str("events due at the same time"),
            TimeMode::Window(ms) => write!(f, "events due within {ms} ms"),
        }
    }
}

/// What identifies a state in the visited set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StateKey {
    /// [`Cluster::fingerprint`](crate::cluster::Cluster::fingerprint): ignores message ids and
    /// the step counter, so interleavings that reach the same state merge. The default.
    Fingerprint,
    /// [`Cluster::state_hash`](crate::cluster::Cluster::state_hash): a different hash function
    /// over a finer key (ids and step count included). Slower and merges less; a cross-check of
    /// the default, since a collision of one is independent of the other.
    StateHash,
}

/// Everything the search is asked to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Longest path explored, in moves (events plus faults).
    pub max_depth: u32,
    /// Most distinct states stored.
    pub max_states: u64,
    /// Memory the search may use, in MiB (visited set, paths and the queue of cluster copies).
    pub max_memory_mb: u64,
    /// Fault and workload budgets per path.
    pub budgets: Budgets,
    /// Which events interleave.
    pub time: TimeMode,
    /// What to look for; empty means every invariant and every ledger verdict.
    pub properties: Vec<Property>,
    /// What identifies a visited state.
    pub key: StateKey,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_depth: 40,
            max_states: 1_000_000,
            max_memory_mb: 1024,
            budgets: Budgets {
                crashes: 2,
                restarts: 1,
                ..Budgets::default()
            },
            time: TimeMode::Window(0),
            properties: Vec::new(),
            key: StateKey::Fingerprint,
        }
    }
}

/// Most states any search may store (the visited set and the path table alone need about
/// 64 bytes each).
pub const MAX_STATES: u64 = 100_000_000;
/// Longest path any search may explore.
pub const MAX_DEPTH: u32 = 10_000;
/// Largest budget of one kind.
pub const MAX_BUDGET: u8 = 16;
/// Bytes the visited set and path table use per stored state (53–64 measured, see
/// docs/CHECKER.md; the upper figure).
pub const BYTES_PER_STATE: u64 = 64;

/// Options the search refuses, in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionsError(pub String);

impl std::fmt::Display for OptionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OptionsError {}

impl Options {
    /// Refuses bounds that are zero, absurd, or would need more memory than allowed.
    pub fn validate(&self) -> Result<(), OptionsError> {
        let err = |s: String| Err(OptionsError(s));
        if self.max_depth == 0 {
            return err("max depth must be at least 1".into());
        }
        if self.max_depth > MAX_DEPTH {
            return err(format!(
                "max depth {} is too deep (at most {MAX_DEPTH})",
                self.max_depth
            ));
        }
        if self.max_states == 0 {
            return err("max states must be at least 1".into());
        }
        if self.max_states > MAX_STATES {
            return err(format!(
                "max states {} is too many (at most {MAX_STATES})",
                self.max_states
            ));
        }
        if self.max_memory_mb == 0 {
            return err("max memory must be at least 1 MiB".into());
        }
        let b = &self.budgets;
        for (name, v) in [
            ("crashes", b.crashes),
            ("power failures", b.power_failures),
            ("restarts", b.restarts),
            ("pauses", b.pauses),
            ("cuts", b.cuts),
            ("heals", b.heals),
            ("drops", b.drops),
            ("produces", b.produces),
        ] {
            if v > MAX_BUDGET {
                return err(format!(
                    "a budget of {v} {name} is too large (at most {MAX_BUDGET} per kind): the \
                     number of schedules grows exponentially with each budget"
                ));
            }
        }
        let need = self.max_states.saturating_mul(BYTES_PER_STATE) >> 20;
        if need > self.max_memory_mb {
            return err(format!(
                "{} states need about {need} MiB for the visited set alone, more than the \
                 {} MiB allowed; lower max states or raise max memory",
                self.max_states, self.max_memory_mb
            ));
        }
        Ok(())
    }
}
