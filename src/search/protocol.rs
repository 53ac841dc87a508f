//! Messages between the page and the search worker.
//!
//! Page → worker: [`ToWorker::Start`] (JSON) with the run up to the page's current step (a `#run=`
//! fragment) and the options. Worker → page ([`FromWorker`], plain text): `Ready` once its wasm is
//! loaded, then `Progress` after each slice, and one of `Refused`, `Found` or `Bounded`.
//! Cancelling terminates the worker (its memory goes with it).
//!
//! A counterexample travels as a run fragment that the page opens like any `#run=` link.

use highwater_core::checker::{self, Bound, Budgets, Options, Outcome, Progress, Search, Stats};
use highwater_core::scenario::{Found, SearchSpec, Searching};
use highwater_core::timeline::Run;
use highwater_core::Cluster;
use serde::{Deserialize, Serialize};

/// Most memory a search may claim in the browser, in MiB: a wasm32 heap is at most 4 GiB and a
/// tab that grows past about 1 GiB risks being killed, so larger bounds are refused up front.
pub const BROWSER_MAX_MEMORY_MB: u64 = 1024;

/// New states per slice between two progress reports.
pub const SLICE_STATES: u64 = 2_000;

/// Page → worker, as JSON.
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
    /// Run a tutorial's `search` step ([`SearchSpec::search`]) from the last state of the run in
    /// `fragment`; the answer is [`FromWorker::Stepped`] or a refusal.
    Step {
        /// The run up to the step.
        fragment: String,
        /// The step's search.
        spec: SearchSpec,
    },
}

impl ToWorker {
    /// The message as JSON.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("options and text serialise")
    }

    /// Parses [`ToWorker::encode`]'s output, or says why it is not a message.
    pub fn decode(text: &str) -> Result<ToWorker, String> {
        serde_json::from_str(text).map_err(|e| format!("malformed search request: {e}"))
    }
}

/// Coverage so far and its speed (the core reads no clock; the worker measures time).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Report {
    /// The core's statistics: states, depth, queue size, bytes.
    pub stats: Stats,
    /// Time since the search started, in ms (whole ms: the page then parses no float).
    pub elapsed_ms: u64,
}

impl Report {
    /// Distinct states per second so far.
    pub fn states_per_s(&self) -> f64 {
        checker::states_per_s(&self.stats, self.elapsed_ms)
    }
}

/// How a search ended.
#[derive(Clone, Debug, PartialEq)]
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

/// Worker → page, as plain text the worker has already put in words (so the page's own wasm
/// carries no code to read the core's search types): a tag line, then the fields.
#[derive(Clone, Debug, PartialEq)]
pub enum FromWorker {
    /// The worker's wasm is loaded and it listens.
    Ready,
    /// The request was refused before any work, in plain words.
    Refused(String),
    /// After each slice: [`progress_line`].
    Progress(String),
    /// A property broke: the whole run (the start's inputs, then the search's moves) as a `#run=`
    /// fragment, broken after its last input, and [`summary`] with the final progress line.
    Found {
        /// [`Run::to_fragment`] of the counterexample.
        fragment: String,
        /// The result in words.
        text: String,
    },
    /// Nothing broke within the bounds: [`summary`] with the final progress line.
    Bounded(String),
    /// What a tutorial's search step found ([`ToWorker::Step`]), as JSON: the page plays it.
    Stepped(Box<Found>),
}

impl FromWorker {
    /// The message for a finished search.
    pub fn done(outcome: Outcome, report: &Report) -> FromWorker {
        let finding = Finding::from(outcome);
        let text = format!("{} {}", summary(&finding, report), progress_line(report));
        match finding {
            Finding::Counterexample { fragment, .. } => FromWorker::Found { fragment, text },
            Finding::Bounded { .. } => FromWorker::Bounded(text),
        }
    }

    /// The message as text: its tag, a newline, then its fields (a fragment has no newline).
    pub fn encode(&self) -> String {
        match self {
            FromWorker::Ready => "ready".into(),
            FromWorker::Refused(t) => format!("refused\n{t}"),
            FromWorker::Progress(t) => format!("progress\n{t}"),
            FromWorker::Found { fragment, text } => format!("found\n{fragment}\n{text}"),
            FromWorker::Bounded(t) => format!("bounded\n{t}"),
            FromWorker::Stepped(f) => {
                format!("stepped\n{}", serde_json::to_string(f).expect("plain data"))
            }
        }
    }

    /// Parses [`FromWorker::encode`]'s output, or says why it is not a message.
    pub fn decode(s: &str) -> Result<FromWorker, String> {
        let (tag, rest) = s.split_once('\n').unwrap_or((s, ""));
        let text = rest.to_string();
        Ok(match tag {
            "ready" if rest.is_empty() => FromWorker::Ready,
            "refused" => FromWorker::Refused(text),
            "progress" => FromWorker::Progress(text),
            "bounded" => FromWorker::Bounded(text),
            "stepped" => FromWorker::Stepped(
                serde_json::from_str(rest)
                    .map_err(|e| format!("malformed search message: a step's finding: {e}"))?,
            ),
            "found" => match rest.split_once('\n') {
                Some((fragment, text)) if !fragment.is_empty() => FromWorker::Found {
                    fragment: fragment.into(),
                    text: text.into(),
                },
                _ => return Err("malformed search message: a finding without its run".into()),
            },
            _ => return Err(format!("malformed search message: {:?}", truncate(s))),
        })
    }
}

fn truncate(s: &str) -> &str {
    s.char_indices().nth(40).map_or(s, |(i, _)| &s[..i])
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
    let cluster = last_state(fragment, "the current step")?;
    Search::new(&cluster, options).map_err(|e| e.to_string())
}

/// The last state of the run in `fragment`, rebuilt from its inputs; `what` names it in the
/// refusal.
fn last_state(fragment: &str, what: &str) -> Result<Cluster, String> {
    let run = Run::from_fragment(fragment)?;
    Cluster::replay(run.config.clone(), run.seed, &run.inputs)
        .map_err(|e| format!("{what} cannot be rebuilt: {e}"))
}

/// The search of a tutorial's step ([`ToWorker::Step`]) from the last state of the run in
/// `fragment`, to be run in slices, or why it cannot run.
pub fn begin_step(fragment: &str, spec: &SearchSpec) -> Result<Searching, String> {
    spec.begin(&last_state(fragment, "the step's start")?)
}

/// One slice of a step's search: [`SLICE_STATES`] new states, then the message to post (the
/// progress line, what it found, or why it failed) and whether the search is over. A step's
/// search keeps the core's memory estimate, so it finds the same on every face.
pub fn step_slice(
    searching: &mut Searching,
    elapsed_ms: impl FnOnce() -> u64,
) -> (FromWorker, bool) {
    match searching.step(SLICE_STATES) {
        None => {
            let report = Report {
                stats: searching.stats(),
                elapsed_ms: elapsed_ms(),
            };
            (FromWorker::Progress(progress_line(&report)), false)
        }
        Some(Ok(found)) => (FromWorker::Stepped(Box::new(found)), true),
        Some(Err(e)) => (FromWorker::Refused(e), true),
    }
}

/// What a tutorial's search step finds (the worker's last answer to [`ToWorker::Step`]), or why
/// it cannot run.
pub fn step(fragment: &str, spec: &SearchSpec) -> Result<Found, String> {
    begin_step(fragment, spec)?.finish()
}

/// The worker's memory in bytes: its wasm module's linear memory, which holds the search and
/// little else, and never shrinks, so it is the peak the tab has paid for. `None` natively (the
/// core's estimate then applies).
pub fn linear_memory_bytes() -> Option<u64> {
    #[cfg(target_arch = "wasm32")]
    return Some(core::arch::wasm32::memory_size::<0>() as u64 * 65_536);
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// One slice of the worker's loop: [`SLICE_STATES`] new states, with the host's measure of its
/// memory (`heap_bytes`: [`linear_memory_bytes`] in the worker) checked against the bound before
/// and after ([`Search::measured`]; before, so that the core's estimate never applies). Returns
/// the message to post and whether the search is over.
pub fn slice(
    search: &mut Search,
    heap_bytes: impl Fn() -> Option<u64>,
    elapsed_ms: impl FnOnce() -> u64,
) -> (FromWorker, bool) {
    let progress = search.step_measured(SLICE_STATES, heap_bytes);
    let report = Report {
        stats: search.stats(),
        elapsed_ms: elapsed_ms(),
    };
    match progress {
        Progress::Running(_) => (FromWorker::Progress(progress_line(&report)), false),
        Progress::Done(outcome) => (FromWorker::done(outcome, &report), true),
    }
}

/// The progress line: states, depth, queue, speed, memory, time.
pub fn progress_line(r: &Report) -> String {
    checker::progress_line(&r.stats, r.elapsed_ms)
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
            let plural = if *properties == 1 { "y" } else { "ies" };
            format!(
                "No violation of {properties} propert{plural} among {} distinct states up to depth \
                 {} with {} ({why}). A bounded result, not a proof of safety.",
                highwater_core::plain_words::thousands(r.stats.states),
                r.stats.depth,
                budgets_text(budgets)
            )
        }
    }
}
