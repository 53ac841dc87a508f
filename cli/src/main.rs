//! `highwater`: runs scenario files, prints their event log, fuzzes fault schedules and measures
//! the simulator's speed.
//!
//! Exit codes: 0 every expectation holds, 1 an expectation failed (or fuzzing found a violation of
//! a promised invariant), 2 a malformed file, an impossible command or bad arguments.

/// Many small blocks per checker state and fuzz run: mimalloc serves them faster than glibc.
#[global_allocator]
static GLOBAL: alloc::Mimalloc = alloc::Mimalloc;

use std::process::ExitCode;

use highwater_core::scenario::{Report, Scenario, ScenarioError};

mod alloc;
mod bench;
mod check;
mod export;
mod fuzz;
mod fuzz_inputs;
mod memory;

const USAGE: &str = "\
usage:
  highwater run FILE... [--json]   run scenario files and check their expectations
  highwater trace FILE             print the step-by-step event log of a scenario
  highwater convert FILE           check a scenario file and print it as JSON (what the page's
                                   JavaScript API takes: Simulation.fromScenario)
  highwater export FILE [--json | --svg] [--step N]
                                   play a scenario (up to its step N) and print the run as a
                                   scenario file with the observed state as expectations, as
                                   JSON (run and snapshot), or as the space-time diagram's SVG
  highwater fuzz [--seeds N] [--profile safe|acks1|unclean|hw-truncation] [--steps N] [--seed S] [--shrink | --shrink-to FILE]
                                   run seeded random fault schedules and report invariant violations
  highwater fuzz-inputs [--count N] [--seed S] [DIR...]
                                   feed mutated scenarios, links and commands to every parser;
                                   report panics, hangs and refusals without a plain message
  highwater bench [--seconds S]    measure simulated events per second on a busy cluster
  highwater check FILE [options]   search every schedule (with budgeted faults) for a violation;
                                   `highwater check --help` lists the options, --bench measures it
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("trace") => trace(&args[1..]),
        Some("convert") => convert(&args[1..]),
        Some("export") => export::main(&args[1..]),
        Some("fuzz") => fuzz::main(&args[1..]),
        Some("fuzz-inputs") => fuzz_inputs::main(&args[1..]),
        Some("bench") => bench::main(&args[1..]),
        Some("check") => check::main(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Reads a file, or prints why not and gives exit code 2.
fn read(path: &str) -> Result<String, ExitCode> {
    std::fs::read_to_string(path).map_err(|e| {
        eprintln!("{path}: cannot read: {e}");
        ExitCode::from(2)
    })
}

/// Prints `FILE:LINE: message` for a malformed file or an impossible step; exit code 2.
fn malformed(path: &str, e: ScenarioError) -> ExitCode {
    match e.line {
        Some(l) => eprintln!("{path}:{l}: {}", e.message),
        None => eprintln!("{path}: {}", e.message),
    }
    ExitCode::from(2)
}

/// Reads and parses a scenario file.
fn load(path: &str) -> Result<Scenario, ExitCode> {
    Scenario::parse(&read(path)?).map_err(|e| malformed(path, e))
}

fn execute(path: &str, s: &Scenario) -> Result<Report, ExitCode> {
    s.run().map_err(|e| malformed(path, e))
}

fn run(args: &[String]) -> ExitCode {
    let json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if let Some(bad) = args.iter().find(|a| a.starts_with("--") && *a != "--json") {
        eprintln!("unknown option {bad}\n{USAGE}");
        return ExitCode::from(2);
    }
    if files.is_empty() {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut any_failed = false;
    let mut outputs = Vec::new();
    for path in files {
        let scenario = match load(path) {
            Ok(s) => s,
            Err(code) => return code,
        };
        let report = match execute(path, &scenario) {
            Ok(r) => r,
            Err(code) => return code,
        };
        let (passed, failed) = report.counts();
        if json {
            outputs.push(serde_json::json!({
                "file": path,
                "name": report.name,
                "passed": passed,
                "failed": failed,
                "not_run": report.not_run.map(|n| serde_json::json!({
                    "line": n.line, "steps": n.steps, "expectations": n.expectations,
                })),
                "checks": report.steps.iter().flat_map(|s| s.checks.iter().map(move |c| serde_json::json!({
                    "line": s.line, "what": c.what, "passed": c.passed, "actual": c.actual,
                }))).collect::<Vec<_>>(),
                "searches": report.steps.iter().filter_map(|s| s.search.as_ref().map(|r| serde_json::json!({
                    "line": s.line, "report": r, "summary": r.summary(),
                }))).collect::<Vec<_>>(),
                "snapshot": report.cluster.snapshot(),
            }));
        } else {
            println!("{path}: {}", report.name);
            for s in &report.steps {
                if let Some(r) = &s.search {
                    let line = s.line.map_or(String::new(), |l| format!("line {l}: "));
                    println!("  search {line}{}", r.summary());
                }
                for c in &s.checks {
                    let mark = if c.passed { "ok  " } else { "FAIL" };
                    let line = s.line.map_or(String::new(), |l| format!("line {l}: "));
                    if c.passed {
                        println!("  {mark} {line}{}", c.what);
                    } else {
                        println!("  {mark} {line}{} (actual: {})", c.what, c.actual);
                    }
                }
            }
            if let Some(n) = report.not_run {
                println!("  stopped: {n}");
            }
            println!("  {passed} passed, {failed} failed");
        }
        any_failed |= failed > 0;
    }
    if json {
        let v = if outputs.len() == 1 {
            outputs.pop().expect("one")
        } else {
            serde_json::Value::Array(outputs)
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&v).expect("serialisable")
        );
    }
    if any_failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn trace(args: &[String]) -> ExitCode {
    let [path] = args else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let scenario = match load(path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let report = match execute(path, &scenario) {
        Ok(r) => r,
        Err(code) => return code,
    };
    for e in report.cluster.events() {
        println!("{e}");
    }
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn convert(args: &[String]) -> ExitCode {
    let [path] = args else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let json =
        read(path).and_then(|text| Scenario::toml_to_json(&text).map_err(|e| malformed(path, e)));
    match json {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}
