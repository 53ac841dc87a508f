//! `highwater export FILE [--json] [--svg] [--step N]`: plays a scenario file (up to its step N)
//! and prints the run as a scenario file with the observed state as expectations, as JSON (the
//! run and the snapshot, like the JS API's `toJSON()`), or as the space-time diagram's SVG.

use std::process::ExitCode;

use highwater_core::scenario::export::run_to_scenario;
use highwater_core::scenario::Scenario;
use highwater_core::snapshot::RunDocument;
use highwater_core::timeline::Run;
use highwater_core::Cluster;

use super::{load, malformed};

const USAGE: &str = "usage: highwater export FILE [--json | --svg] [--step N]\n";

/// The output format.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Scenario,
    Json,
    Svg,
}

pub fn main(args: &[String]) -> ExitCode {
    let mut path = None;
    let mut format = Format::Scenario;
    let mut step = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let f = match a.as_str() {
            "--json" => Format::Json,
            "--svg" => Format::Svg,
            "--step" => {
                let n = it.next().and_then(|n| n.parse::<usize>().ok());
                match n {
                    Some(n) if n >= 1 => step = Some(n),
                    _ => return bad("--step takes a step number of the file, 1 or more"),
                }
                continue;
            }
            other if other.starts_with('-') => return bad(&format!("unknown option {other}")),
            other if path.is_none() => {
                path = Some(other.to_string());
                continue;
            }
            _ => return bad("export takes one file"),
        };
        if format != Format::Scenario && format != f {
            return bad("choose one of --json and --svg");
        }
        format = f;
    }
    let Some(path) = path else {
        return bad("export needs a scenario file");
    };
    let s = match load(&path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (run, cluster) = match play(&s, step) {
        Ok(r) => r,
        Err(e) => return malformed(&path, e),
    };
    let out = match format {
        Format::Scenario => run_to_scenario(&run, &s.name),
        Format::Json => Ok(run_json(&run, &cluster)),
        Format::Svg => Ok(highwater_core::spacetime::standalone_svg(
            cluster.events(),
            &cluster,
        )),
    };
    match out {
        Ok(text) => {
            println!("{}", text.trim_end());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{path}: cannot export: {e}");
            ExitCode::from(2)
        }
    }
}

fn bad(message: &str) -> ExitCode {
    eprintln!("highwater export: {message}");
    eprint!("{USAGE}");
    ExitCode::from(2)
}

/// Plays the file's steps (the first `step` of them) and records the run.
fn play(
    s: &Scenario,
    step: Option<usize>,
) -> Result<(Run, Cluster), highwater_core::scenario::ScenarioError> {
    let n = s.steps.len();
    let upto = match step {
        Some(k) if k > n => {
            return Err(highwater_core::scenario::ScenarioError {
                line: None,
                message: format!("--step {k}: the file has {n} steps"),
            })
        }
        Some(k) => k,
        None => n,
    };
    let mut c = s.cluster()?;
    for i in 0..upto {
        if s.apply_step(&mut c, i)?.run_until_failed() {
            break;
        }
    }
    let run = Run {
        config: s.config.clone(),
        seed: s.seed,
        inputs: c.history().to_vec(),
    };
    Ok((run, c))
}

/// The run and the snapshot at its end, as the JS API's `toJSON()` gives them.
fn run_json(run: &Run, c: &Cluster) -> String {
    let doc = RunDocument {
        run: run.clone(),
        snapshot: c.snapshot(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
