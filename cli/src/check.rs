//! `highwater check FILE [options]`: the counterexample search from a scenario's setup.
//! Exit 0: no violation within the bounds; 1: a violation, printed as a scenario file;
//! 2: bad input. `highwater check --bench`: distinct states per second on fixed models.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use highwater_core::checker::{
    progress_line, Bound, Options, Outcome, Progress, Property, Search, Stats, TimeMode,
};
use highwater_core::checker_bench::bench_models;
use highwater_core::scenario::counterexample::to_scenario;
use highwater_core::scenario::{setup_len, start_after};
use highwater_core::Cluster;

pub const USAGE: &str = "\
usage: highwater check FILE [--from-step N] [--depth D] [--states N] [--memory MIB]
                            [--window MS | --manual] [--crashes N] [--power-failures N]
                            [--restarts N] [--pauses N] [--cuts N] [--heals N] [--drops N]
                            [--produces N] [--property NAME]... [--properties all|promised|ledger]
                            [--json]
       highwater check --bench
  Searches every schedule of events and budgeted faults from the scenario's setup (the steps before
  its first fault; --from-step N starts after step N instead) for a broken property, breadth-first.
  Defaults: depth 40, 1000000 states, 1024 MiB, window 0 ms, crashes 2, restarts 1, all properties.
  The memory bound counts the process's resident set on Linux, an estimate elsewhere.
  Exit 0: nothing found within the bounds; 1: a violation, printed as a scenario file; 2: bad input.
";

fn bad(msg: &str) -> ExitCode {
    eprintln!("highwater check: {msg}\n{USAGE}");
    ExitCode::from(2)
}

pub fn main(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|a| a == "--bench") {
        return if args.len() == 1 {
            bench()
        } else {
            bad("--bench takes no other option")
        };
    }
    let mut file = None;
    let mut from_step = None;
    let mut opts = Options::default();
    let mut names: Vec<String> = Vec::new();
    let mut set = "all".to_string();
    let mut json = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if !a.starts_with("--") {
            if file.replace(a.to_string()).is_some() {
                return bad("give one scenario file");
            }
            i += 1;
            continue;
        }
        if a == "--json" || a == "--manual" {
            if a == "--json" {
                json = true;
            } else {
                opts.time = TimeMode::Manual;
            }
            i += 1;
            continue;
        }
        let Some(v) = args.get(i + 1) else {
            return bad(&format!("{a} needs a value"));
        };
        i += 2;
        if a == "--property" {
            names.push(v.clone());
            continue;
        }
        if a == "--properties" {
            set = v.clone();
            continue;
        }
        let Ok(n) = v.parse::<u64>() else {
            return bad(&format!("{a} takes a whole number, not {v:?}"));
        };
        let budget = |n: u64| u8::try_from(n).unwrap_or(u8::MAX);
        let b = &mut opts.budgets;
        match a {
            "--from-step" => from_step = Some(n as usize),
            "--depth" => opts.max_depth = u32::try_from(n).unwrap_or(u32::MAX),
            "--states" => opts.max_states = n,
            "--memory" => opts.max_memory_mb = n,
            "--window" => opts.time = TimeMode::Window(n),
            "--crashes" => b.crashes = budget(n),
            "--power-failures" => b.power_failures = budget(n),
            "--restarts" => b.restarts = budget(n),
            "--pauses" => b.pauses = budget(n),
            "--cuts" => b.cuts = budget(n),
            "--heals" => b.heals = budget(n),
            "--drops" => b.drops = budget(n),
            "--produces" => b.produces = budget(n),
            _ => return bad(&format!("unknown option {a}")),
        }
    }
    let Some(path) = file else {
        return bad("no scenario file given");
    };
    let scenario = match crate::load(&path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let steps = from_step.unwrap_or_else(|| setup_len(&scenario));
    let start = match start_after(&scenario, steps) {
        Ok(c) => c,
        Err(e) => return crate::malformed(&path, e),
    };
    opts.properties = match properties(&start, &set, &names) {
        Ok(p) => p,
        Err(e) => return bad(&e),
    };
    let t0 = Instant::now();
    let mut search = match Search::new(&start, opts) {
        Ok(s) => s,
        Err(e) => return bad(&e.0),
    };
    // On a terminal, a line of progress rewritten in place while the search runs.
    let tty = std::io::stderr().is_terminal();
    let (mut shown_at, mut shown) = (t0, false);
    let outcome = loop {
        // The memory bound counts the process's resident set (as the search worker counts its
        // wasm memory), not the core's estimate of twice the start's snapshot per queued copy;
        // where it cannot be read, the estimate applies.
        match search.step_measured(SLICE_STATES, crate::memory::resident_bytes) {
            Progress::Done(o) => break o,
            Progress::Running(stats) if tty && shown_at.elapsed() >= PROGRESS_EVERY => {
                eprint!(
                    "\r{}\x1b[K",
                    progress_line(&stats, t0.elapsed().as_millis() as u64)
                );
                (shown_at, shown) = (Instant::now(), true);
            }
            Progress::Running(_) => {}
        }
    };
    if shown {
        eprint!("\r\x1b[K");
    }
    let secs = t0.elapsed().as_secs_f64();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&outcome).expect("serialisable")
        );
    }
    match outcome {
        Outcome::Violation(cx) => {
            if !json {
                let name = format!("{} — counterexample", scenario.name);
                match to_scenario(&cx, &name) {
                    Ok(text) => print!("{text}"),
                    Err(e) => eprintln!("(cannot write it as a scenario file: {e})"),
                }
                println!(
                    "\n# Open in the page: #run={}\n# Breaks at input {} of {}.",
                    cx.run.to_fragment(),
                    cx.breaking_input.map_or(0, |i| i + 1),
                    cx.run.inputs.len()
                );
            }
            eprintln!(
                "{path}: violation of {:?} after {} moves from step {steps}: {} ({} distinct states, {secs:.2} s)",
                cx.property.name(),
                cx.depth(),
                cx.detail,
                cx.stats.states
            );
            ExitCode::from(1)
        }
        Outcome::NoViolation(r) => {
            let why = bound_words(r.bound);
            let text = format!(
                "{path}: no violation of {} properties among {} distinct states up to depth {} \
                 (from step {steps}; budgets: {}; interleaving {}; {why}; {secs:.2} s). This is a \
                 bounded result, not a proof of safety.",
                r.properties.len(),
                r.stats.states,
                r.stats.depth,
                r.options.budgets,
                r.options.time,
            );
            if json {
                eprintln!("{text}");
            } else {
                println!("{text}");
            }
            ExitCode::SUCCESS
        }
    }
}

/// How often a search on a terminal rewrites its progress line.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// New states between two readings of the process's memory: a search may overshoot its memory
/// bound by what this many states take (about 25 MB at 5 KB a queued copy).
const SLICE_STATES: u64 = 5_000;

/// The properties to check: a named list, or a set.
fn properties(c: &Cluster, set: &str, names: &[String]) -> Result<Vec<Property>, String> {
    if !names.is_empty() {
        return names
            .iter()
            .map(|n| {
                Property::parse(c, n).ok_or_else(|| {
                    let known: Vec<String> = Property::all(c)
                        .iter()
                        .map(|p| format!("{:?}", p.name()))
                        .collect();
                    format!("unknown property {n:?}; known: {}", known.join(", "))
                })
            })
            .collect();
    }
    match set {
        "all" => Ok(Property::all(c)),
        "promised" => Ok(Property::promised(c)),
        "ledger" => Ok(Property::verdicts()),
        other => Err(format!(
            "--properties takes all, promised or ledger, not {other:?}"
        )),
    }
}

/// `highwater check --bench`: each model searched to its end, once.
fn bench() -> ExitCode {
    for m in bench_models() {
        let t0 = Instant::now();
        let search = Search::new(&m.start, m.options).expect("valid bench options");
        let outcome = search.run();
        let secs = t0.elapsed().as_secs_f64();
        let (stats, what): (Stats, String) = match &outcome {
            Outcome::Violation(cx) => (cx.stats, format!("violation at depth {}", cx.depth())),
            Outcome::NoViolation(r) => {
                (r.stats, format!("no violation ({})", bound_words(r.bound)))
            }
        };
        println!(
            "{}: {} distinct states, {} transitions in {secs:.2} s = {:.0} distinct states/s; \
             {:.0} bytes per stored state (visited set + path table); peak queue {} cluster copies of ~{} bytes each; {what}",
            m.name,
            stats.states,
            stats.transitions,
            stats.states as f64 / secs,
            stats.stored_bytes as f64 / stats.states as f64,
            stats.peak_queued,
            stats.copy_bytes,
        );
    }
    ExitCode::SUCCESS
}

/// Why a search without a violation stopped, in words.
fn bound_words(bound: Bound) -> &'static str {
    match bound {
        Bound::Exhausted => "every reachable state within the budgets was explored",
        Bound::Depth => "the depth bound was reached",
        Bound::States => "the state bound was reached",
        Bound::Memory => "the memory bound was reached",
    }
}
