//! Messages between the page and the search worker: serde data sent as JSON text.
//!
//! Page → worker: [`ToWorker::Start`] with the run up to the page's current step (a `#run=`
//! fragment) and the options. Worker → page: [`FromWorker::Ready`] once its wasm is loaded, then
//! [`FromWorker::Progress`] after each slice, and one of [`FromWorker::Refused`] or
//! [`FromWorker::Done`]. Cancelling terminates the worker (its memory goes with it).
//!
//! A result travels as a [`Finding`]: a counterexample is a run fragment the page opens like any
//! link, so the page needs no code to read the core's search types.

use highwater_core::checker::{Bound, Budgets, Options, Outcome, Search, Stats};
use highwater_core::timeline::Run;
use highwater_core::Cluster;
use serde::{Deserialize, Serialize};

/// Most memory a search may claim in the browser, in MiB: a wasm32 heap is at most 4 GiB and a
/// tab that grows past about 1 GiB risks being killed, so larger bounds are refused up front.
pub const BROWSER_MAX_MEMORY_MB: u64 = 1024;

/// New states per slice between two progress reports.
pub const SLICE_STATES: u64 = 2_000;

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Start a search (one per worker) from the last state of the run in `fragment`
    /// ([`Run::to_fragment`]). An empty `options.properties` means every property.
    Start {
        /// The run up to the page's current step.
        fragment: String,
        /// Bounds, budgets and properties.
        options: Options,
    },
}

/// Coverage so far and its speed (the core reads no clock; the worker measures time).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The core's statistics: states, depth, queue size, bytes.
    pub stats: Stats,
    /// Time since the search started, in ms (whole ms: the page then parses no float).
    pub elapsed_ms: u64,
}

impl Report {
    /// Distinct states per second so far.
    pub fn states_per_s(&self) -> f64 {
        if self.elapsed_ms > 0 {
            self.stats.states as f64 * 1000.0 / self.elapsed_ms as f64
        } else {
            0.0
        }
    }
}

/// How a search ended, as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Finding {
    /// A property broke: the shortest schedule found, as a run to open.
    Counterexample {
        /// The broken property's name.
        property: String,
        /// What broke, in plain words.
        detail: String,
        /// Moves the search added to the start (the schedule's length).
        moves: usize,
        /// The whole run (start's inputs, then the moves) as a `#run=` fragment; the property is
        /// broken after its last input.
        fragment: String,
    },
    /// Nothing broke within the bounds (never a claim of safety).
    Bounded {
        /// What stopped the search.
        bound: Bound,
        /// The budgets it ran with.
        budgets: Budgets,
        /// How many properties it checked.
        properties: usize,
    },
}

impl From<Outcome> for Finding {
    fn from(o: Outcome) -> Finding {
        match o {
            Outcome::Violation(cx) => Finding::Counterexample {
                property: cx.property.name().to_string(),
                detail: cx.detail.clone(),
                moves: cx.depth(),
                fragment: cx.run.to_fragment(),
            },
            Outcome::NoViolation(r) => Finding::Bounded {
                bound: r.bound,
                budgets: r.options.budgets,
                properties: r.properties.len(),
            },
        }
    }
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's wasm is loaded and it listens.
    Ready,
    /// The request was refused before any work, in plain words.
    Refused(String),
    /// After each slice.
    Progress(Report),
    /// The search ended.
    Done {
        /// A counterexample or a bounded result.
        finding: Finding,
        /// Coverage at the end.
        report: Report,
    },
}

/// The search a request asks for, or why it is refused: a damaged run, bounds the core refuses
/// (zero, absurd, budgets that would exhaust memory, unknown properties) or more memory than a
/// tab can give.
pub fn start(fragment: &str, options: Options) -> Result<Search, String> {
    if options.max_memory_mb > BROWSER_MAX_MEMORY_MB {
        return Err(format!(
            "a memory bound of {} MiB is more than a browser tab can give a search (at most \
             {BROWSER_MAX_MEMORY_MB} MiB); lower it, or use `highwater check` on the command line",
            options.max_memory_mb
        ));
    }
    let run = Run::from_fragment(fragment)?;
    let cluster = Cluster::replay(run.config.clone(), run.seed, &run.inputs)
        .map_err(|e| format!("the current step cannot be rebuilt: {e}"))?;
    Search::new(&cluster, options).map_err(|e| e.to_string())
}

/// Serialises a message (these types always serialise).
pub fn encode<T: Serialize>(m: &T) -> String {
    serde_json::to_string(m).expect("protocol messages serialise")
}

/// Parses a message, or says why it is not one.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("malformed search message: {e}"))
}

/// `n` with thousands separators.
pub fn fmt_int(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The progress line: states, depth, queue, speed, time.
pub fn progress_line(r: &Report) -> String {
    format!(
        "{} states · depth {} · {} queued · {} states/s · {:.1} s",
        fmt_int(r.stats.states),
        r.stats.depth,
        fmt_int(r.stats.queued),
        fmt_int(r.states_per_s() as u64),
        r.elapsed_ms as f64 / 1000.0
    )
}

/// The budgets in words (`1 crash, 1 produced record`).
pub fn budgets_text(b: &Budgets) -> String {
    let parts: Vec<String> = [
        ("crash", "crashes", b.crashes),
        ("power failure", "power failures", b.power_failures),
        ("restart", "restarts", b.restarts),
        ("pause", "pauses", b.pauses),
        ("cut", "cuts", b.cuts),
        ("heal", "heals", b.heals),
        ("drop", "drops", b.drops),
        ("produced record", "produced records", b.produces),
    ]
    .iter()
    .filter(|(.., n)| *n > 0)
    .map(|(one, many, n)| format!("{n} {}", if *n == 1 { one } else { many }))
    .collect();
    if parts.is_empty() {
        "no faults".into()
    } else {
        parts.join(", ")
    }
}

/// The result in words: a counterexample's property and length, or a bounded result that never
/// says "safe".
pub fn summary(f: &Finding, r: &Report) -> String {
    match f {
        Finding::Counterexample {
            property,
            detail,
            moves,
            ..
        } => format!(
            "Counterexample: “{property}” breaks after {moves} moves from the current step ({detail})."
        ),
        Finding::Bounded {
            bound,
            budgets,
            properties,
        } => {
            let why = match bound {
                Bound::Exhausted => "every reachable state within the budgets was explored",
                Bound::Depth => "the depth bound was reached",
                Bound::States => "the state bound was reached",
                Bound::Memory => "the memory bound was reached",
            };
            format!(
                "No violation of {properties} properties among {} distinct states up to depth {} \
                 with {} ({why}). A bounded result, not a proof of safety.",
                fmt_int(r.stats.states),
                r.stats.depth,
                budgets_text(budgets)
            )
        }
    }
}
