//! `highwater fuzz-inputs`: the input fuzzer's long run (core/src/input_fuzz.rs). Mutations of the
//! shipped scenarios and chapters go to every parser a user can reach; each accepted input runs
//! under a small budget. Reports inputs per second, the slowest input, panics, refusals without
//! a message in the user's terms, and inputs slower than the hang limit; exit 1 if any.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use highwater_core::input_fuzz::{check, InputFuzzer, Verdict};

const USAGE: &str = "usage: highwater fuzz-inputs [--count N] [--seed S] [DIR...]   (default DIRs: scenarios tutorials)";

/// An input taking longer than this counts as a hang.
const HANG: Duration = Duration::from_secs(2);

pub fn main(args: &[String]) -> ExitCode {
    let mut count = 100_000u64;
    let mut seed = 1u64;
    let mut dirs = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let number = |v: Option<&String>| v.and_then(|v| v.replace('_', "").parse::<u64>().ok());
        match a.as_str() {
            "--count" => match number(it.next()) {
                Some(n) => count = n,
                None => return usage(),
            },
            "--seed" => match number(it.next()) {
                Some(n) => seed = n,
                None => return usage(),
            },
            d if !d.starts_with('-') => dirs.push(d.to_string()),
            _ => return usage(),
        }
    }
    if dirs.is_empty() {
        dirs = vec!["scenarios".into(), "tutorials".into()];
    }
    let mut corpus = Vec::new();
    for d in &dirs {
        let Ok(entries) = std::fs::read_dir(d) else {
            eprintln!("{d}: cannot read the directory");
            return ExitCode::from(2);
        };
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        corpus.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
    }
    if corpus.is_empty() {
        eprintln!("no .toml files in {}", dirs.join(", "));
        return ExitCode::from(2);
    }
    std::panic::set_hook(Box::new(|_| {})); // panics are counted and reported below
    let mut fuzzer = InputFuzzer::new(seed, corpus);
    let start = Instant::now();
    let (mut ran, mut refused, mut panics, mut bad, mut hangs) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut slowest = Duration::ZERO;
    for i in 0..count {
        let case = fuzzer.next_case();
        let t = Instant::now();
        let verdict = catch_unwind(AssertUnwindSafe(|| check(&case)));
        let took = t.elapsed();
        slowest = slowest.max(took);
        if took > HANG {
            hangs += 1;
            eprintln!(
                "input {i} ({:?}) took {took:?}:\n{}\n",
                case.target, case.text
            );
        }
        match verdict {
            Err(_) => {
                panics += 1;
                eprintln!("input {i} ({:?}) panicked:\n{}\n", case.target, case.text);
            }
            Ok(v) => {
                if let Some(m) = v.bad_message() {
                    bad += 1;
                    eprintln!(
                        "input {i} ({:?}) refused with {m:?}:\n{}\n",
                        case.target, case.text
                    );
                }
                match v {
                    Verdict::Ran => ran += 1,
                    Verdict::Refused(_) => refused += 1,
                }
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{count} inputs (seed {seed}) in {secs:.1} s = {:.0} inputs/s: {ran} ran, {refused} refused; {panics} panics, {bad} refusals without a plain message, {hangs} over {HANG:?}; slowest {slowest:?}",
        count as f64 / secs
    );
    if panics + bad + hangs > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}
