//! `highwater check`: exit 1 with a scenario file that `highwater run` accepts when a property
//! breaks, exit 0 with a bounded result when none does, exit 2 with a message for bad input.

mod support;
use support::*;

fn scenario(name: &str) -> String {
    format!("{}/../scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_kip101_hw_loss_exits_1_and_prints_a_scenario_that_replays_it() {
    let o = run(&["check", &scenario("s16-kip101-scenario1-hw.toml")]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("after 18 moves"), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("#run="), "a page link: {text}");
    let file = TempFile::new("cx.toml", &text);
    let replayed = run(&["run", file.arg()]);
    assert_eq!(code(&replayed), 0, "{}", stdout(&replayed));
    assert!(stdout(&replayed).contains("\"no acknowledged record lost\" is broken"));
}

#[test]
fn the_kip101_epoch_file_exits_0_with_a_bounded_result() {
    let o = run(&["check", &scenario("s16-kip101-scenario1-epoch.toml")]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("no violation"), "{out}");
    assert!(out.contains("up to depth 40"), "{out}");
    assert!(out.contains("not a proof of safety"), "{out}");
}

#[test]
fn json_prints_the_outcome() {
    let o = run(&[
        "check",
        &scenario("s16-kip101-scenario1-epoch.toml"),
        "--depth",
        "5",
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["outcome"], "no-violation");
    assert_eq!(v["stats"]["depth"], 5);
}

/// On Linux the memory bound counts the process's resident set (docs/CHECKER.md, "Bounds and
/// refusals"), not the core's estimate of twice the start's snapshot per queued copy: a search
/// that branches widely keeps more copies queued than that estimate would fit in the bound.
#[cfg(target_os = "linux")]
#[test]
fn the_memory_bound_counts_the_processs_resident_set() {
    let o = run(&[
        "check",
        &scenario("s16-kip101-scenario1-epoch.toml"),
        "--manual",
        "--crashes",
        "1",
        "--drops",
        "1",
        "--depth",
        "10000",
        "--states",
        "500000",
        "--memory",
        "64",
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["bound"], "memory", "{v}");
    let stats = &v["stats"];
    let bound = 64u64 << 20;
    let measured = stats["bytes"].as_u64().unwrap();
    assert!(measured >= bound, "stopped at {measured} bytes: {stats}");
    // The estimate ends a search once its queued copies alone reach the bound.
    let estimated_peak =
        stats["peak_queued"].as_u64().unwrap() * stats["copy_bytes"].as_u64().unwrap();
    assert!(estimated_peak > bound + bound / 2, "{stats}");
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let file = scenario("s16-kip101-scenario1-hw.toml");
    for (args, needle) in [
        (vec!["check"], "no scenario file"),
        (
            vec!["check", &file, "--depth", "0"],
            "depth must be at least 1",
        ),
        (vec!["check", &file, "--depth", "x"], "whole number"),
        (vec!["check", &file, "--drops", "99"], "too large"),
        (
            vec!["check", &file, "--states", "90000000", "--memory", "64"],
            "MiB",
        ),
        (
            vec!["check", &file, "--property", "nonsense"],
            "unknown property",
        ),
        (
            vec!["check", &file, "--from-step", "999"],
            "cannot start after",
        ),
        (vec!["check", &file, "--frobnicate", "1"], "unknown option"),
        (vec!["check", "/no/such/file.toml"], "cannot read"),
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
}
