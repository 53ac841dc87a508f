//! `highwater fuzz`: seeded random fault schedules; reports invariant violations.

use std::process::ExitCode;

use highwater_core::fuzz::{run_schedule, shrink, to_scenario, FuzzProfile};

pub fn main(args: &[String]) -> ExitCode {
    let mut seeds = 200u64;
    let mut first_seed = 1u64;
    let mut faults = 60u32;
    let mut profile = FuzzProfile::Safe;
    let mut shrink_to: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--shrink" {
            shrink_to = Some("-".into());
            continue;
        }
        let value = it.next();
        let parsed = match (a.as_str(), value) {
            ("--seeds", Some(v)) => v.parse().map(|v| seeds = v).is_ok(),
            ("--seed", Some(v)) => v.parse().map(|v| first_seed = v).is_ok(),
            ("--steps", Some(v)) => v.parse().map(|v| faults = v).is_ok(),
            ("--profile", Some(v)) => FuzzProfile::parse(v).map(|p| profile = p).is_some(),
            ("--shrink-to", Some(v)) => {
                shrink_to = Some(v.clone());
                true
            }
            _ => false,
        };
        if !parsed {
            eprintln!(
                "highwater fuzz: bad option {a} {}",
                value.map_or("", |v| v.as_str())
            );
            eprintln!(
                "usage: highwater fuzz [--seeds N] [--seed FIRST] [--steps N] [--profile safe|acks1|unclean|hw-truncation] [--shrink | --shrink-to FILE]"
            );
            return ExitCode::from(2);
        }
    }
    let mut promised_broken = 0;
    let mut anomalies = 0;
    for seed in first_seed..first_seed + seeds {
        let o = run_schedule(profile.config(), seed, faults);
        if let (Some(target), Some((name, _, _))) = (&shrink_to, o.violations.first()) {
            // Shrink the first violating schedule and write it as a scenario file.
            let small = shrink(&profile.config(), seed, &o.schedule, name);
            let title = format!(
                "{} broken under the {} profile (seed {seed})",
                name,
                profile.name()
            );
            let text = to_scenario(&title, &profile.config(), seed, &small, name);
            eprintln!(
                "seed {seed}: \"{name}\" broken; schedule shrunk from {} to {} actions",
                o.schedule.len(),
                small.len()
            );
            if target == "-" {
                print!("{text}");
            } else if let Err(e) = std::fs::write(target, &text) {
                eprintln!("cannot write {target}: {e}");
                return ExitCode::from(2);
            } else {
                eprintln!("wrote {target}; replay it with `highwater run {target}` or load it in the playground");
            }
            return ExitCode::SUCCESS;
        }
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
