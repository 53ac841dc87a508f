//! `highwater fuzz`: seeded random fault schedules; reports invariant violations.

use std::process::ExitCode;

use highwater_core::fuzz::{run_schedule, FuzzProfile};

pub fn main(args: &[String]) -> ExitCode {
    let mut seeds = 200u64;
    let mut first_seed = 1u64;
    let mut faults = 60u32;
    let mut profile = FuzzProfile::Safe;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = it.next();
        let parsed = match (a.as_str(), value) {
            ("--seeds", Some(v)) => v.parse().map(|v| seeds = v).is_ok(),
            ("--seed", Some(v)) => v.parse().map(|v| first_seed = v).is_ok(),
            ("--steps", Some(v)) => v.parse().map(|v| faults = v).is_ok(),
            ("--profile", Some(v)) => FuzzProfile::parse(v).map(|p| profile = p).is_some(),
            _ => false,
        };
        if !parsed {
            eprintln!(
                "highwater fuzz: bad option {a} {}",
                value.map_or("", |v| v.as_str())
            );
            eprintln!("usage: highwater fuzz [--seeds N] [--seed FIRST] [--steps N] [--profile safe|acks1|unclean|hw-truncation]");
            return ExitCode::from(2);
        }
    }
    let mut promised_broken = 0;
    let mut anomalies = 0;
    for seed in first_seed..first_seed + seeds {
        let o = run_schedule(profile.config(), seed, faults);
        for (name, promised, v) in &o.violations {
            if *promised {
                promised_broken += 1;
                println!(
                    "seed {seed}: PROMISED invariant \"{name}\" broken at step {} (t={} ms): {}",
                    v.step, v.time, v.detail
                );
            } else {
                anomalies += 1;
                println!(
                    "seed {seed}: expected anomaly \"{name}\" at step {} (t={} ms): {}",
                    v.step, v.time, v.detail
                );
            }
        }
    }
    println!(
        "profile {}: {seeds} schedules, {anomalies} expected anomalies, {promised_broken} violations of promised invariants",
        profile.name()
    );
    if promised_broken > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
