//! The `highwater` binary end to end: exit codes (0 pass, 1 failed expectation, 2 malformed input
//! or bad arguments), its output formats, and the `trace` and `fuzz` subcommands.

mod support;
use support::*;

/// Three expectations that hold: a record is replicated and committed on a healthy cluster.
const PASSING: &str = r#"
name = "replicated"
seed = 1

[[step]]
produce = "a"

[[step]]
run_until = { committed = ["a"], acked = ["a"] }
expect = { leader = 1, isr = [1, 2, 3], acked = ["a"] }
"#;

/// The same run, with one expectation that is wrong (line 10).
const FAILING: &str = r#"
name = "wrong leader"
seed = 1

[[step]]
produce = "a"

[[step]]
run_until = { committed = ["a"], acked = ["a"] }
expect = { leader = 3, acked = ["a"] }
"#;

#[test]
fn a_passing_scenario_exits_0_with_the_counts() {
    let f = TempFile::new("pass.toml", PASSING);
    let o = run(&["run", f.arg()]);
    assert_eq!(
        code(&o),
        0,
        "stdout:\n{}\nstderr:\n{}",
        stdout(&o),
        stderr(&o)
    );
    let out = stdout(&o);
    assert!(out.contains("replicated"), "{out}");
    assert!(out.contains(" passed, 0 failed"), "{out}");
    // "N passed" with N the number of checks (leader, isr, acked at least).
    let n: usize = out
        .lines()
        .find_map(|l| l.trim().strip_suffix(" passed, 0 failed"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a count line");
    assert!(n >= 3, "{out}");
    assert!(!out.contains("FAIL"), "{out}");
}

#[test]
fn a_failing_expectation_exits_1_and_says_fail() {
    let f = TempFile::new("fail.toml", FAILING);
    let o = run(&["run", f.arg()]);
    assert_eq!(
        code(&o),
        1,
        "stdout:\n{}\nstderr:\n{}",
        stdout(&o),
        stderr(&o)
    );
    let out = stdout(&o);
    let fail = out
        .lines()
        .find(|l| l.contains("FAIL"))
        .unwrap_or_else(|| panic!("no FAIL line in:\n{out}"));
    assert!(fail.contains("line 8"), "the step's line: {fail}");
    assert!(fail.contains("actual"), "{fail}");
    assert!(out.contains("1 failed"), "{out}");
    // With a passing file next to it, the run still fails, and both are reported.
    let p = TempFile::new("pass.toml", PASSING);
    let o = run(&["run", p.arg(), f.arg()]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("replicated") && stdout(&o).contains("wrong leader"));
}

#[test]
fn a_run_until_that_never_comes_true_says_what_was_not_run() {
    let f = TempFile::new(
        "stuck.toml",
        "name = \"stuck\"\n[[step]]\nrun_until = { leader = 3 }\nwithin_ms = 100\n\
         [[step]]\nproduce = \"a\"\nexpect = { acked = [\"a\"] }\n",
    );
    let o = run(&["run", f.arg()]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains(
            "stopped: the run_until at line 2 never came true: 1 later step and 1 expectation was not run"
        ),
        "{}",
        stdout(&o)
    );
    let o = run(&["run", "--json", f.arg()]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["not_run"]["steps"], 1);
    assert_eq!(v["not_run"]["expectations"], 1);
}

#[test]
fn a_malformed_file_exits_2_with_file_line_message() {
    let f = TempFile::new(
        "bad.toml",
        "name = \"bad\"\n\n[[step]]\nproduce = \"a\"\n\n[[step]]\nkrash = \"b1\"\n",
    );
    let o = run(&["run", f.arg()]);
    assert_eq!(
        code(&o),
        2,
        "stdout:\n{}\nstderr:\n{}",
        stdout(&o),
        stderr(&o)
    );
    let err = stderr(&o);
    let expected = format!("{}:7: ", f.arg());
    assert!(
        err.starts_with(&expected),
        "want {expected:?}…, got {err:?}"
    );
    assert!(err.contains("krash"), "{err}");
    // The same for a TOML syntax error and for an invalid configuration.
    let f = TempFile::new("syntax.toml", "name = \"bad\"\nseed = \n");
    let o = run(&["run", f.arg()]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).starts_with(&format!("{}:2: ", f.arg())),
        "{}",
        stderr(&o)
    );
    let f = TempFile::new("config.toml", "name = \"bad\"\n[config]\nbrokers = 9\n");
    let o = run(&["trace", f.arg()]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.starts_with(&format!("{}:2: ", f.arg())), "{err}");
    assert!(err.contains("brokers"), "{err}");
}

#[test]
fn an_impossible_step_exits_2_with_its_line() {
    let f = TempFile::new(
        "impossible.toml",
        "name = \"x\"\n[[step]]\nrun_ms = 100\n[[step]]\nrestart = \"b1\"\n",
    );
    let o = run(&["run", f.arg()]);
    assert_eq!(
        code(&o),
        2,
        "stdout:\n{}\nstderr:\n{}",
        stdout(&o),
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(err.starts_with(&format!("{}:4: ", f.arg())), "{err}");
    assert!(err.contains("already running"), "{err}");
}

#[test]
fn a_missing_file_exits_2() {
    let missing = std::env::temp_dir().join(format!(
        "highwater-cli-test-{}-does-not-exist.toml",
        std::process::id()
    ));
    let missing = missing.to_str().unwrap();
    for sub in ["run", "trace"] {
        let o = run(&[sub, missing]);
        assert_eq!(code(&o), 2, "{sub}");
        let err = stderr(&o);
        assert!(err.starts_with(missing), "{err}");
        assert!(err.contains("cannot read"), "{err}");
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn run_json_prints_a_report_with_a_snapshot() {
    let f = TempFile::new("pass.toml", PASSING);
    let o = run(&["run", "--json", f.arg()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("stdout is JSON");
    assert_eq!(v["file"], f.arg());
    assert_eq!(v["name"], "replicated");
    assert_eq!(v["failed"], 0);
    let passed = v["passed"].as_u64().unwrap();
    assert!(passed >= 3);
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks.len() as u64, passed);
    assert!(checks.iter().all(|c| c["passed"] == true && c["line"] == 8));
    let snap = &v["snapshot"];
    assert_eq!(snap["seed"], 1);
    assert_eq!(snap["brokers"].as_array().unwrap().len(), 3);
    assert_eq!(snap["partitions"][0]["leader"], 1);
    let ledger = snap["ledger"].as_array().unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0]["value"], "a");
    assert!(snap["invariants"].as_array().unwrap().len() >= 8);
    // The leader's log holds the record.
    let b1 = &snap["brokers"][0];
    assert_eq!(b1["id"], 1);
    assert_eq!(b1["replicas"][0]["records"][0]["value"], "a");
    // The read model's JSON: versioned, with typed roles and the leader-only ISR view.
    assert_eq!(
        snap["schema_version"],
        highwater_core::read_model::SCHEMA_VERSION
    );
    assert_eq!(b1["replicas"][0]["role"], "leader");
    assert_eq!(b1["replicas"][0]["isr"], serde_json::json!([1, 2, 3]));
    let b2 = &snap["brokers"][1]["replicas"][0];
    assert_eq!(b2["role"], "follower");
    assert_eq!(b2["isr"], serde_json::json!([]));
    assert_eq!(snap["invariants"][0]["id"], "one-leader-per-epoch");

    // A failing file: still JSON, exit 1, failed checks marked.
    let g = TempFile::new("fail.toml", FAILING);
    let o = run(&["run", f.arg(), "--json", g.arg()]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("stdout is JSON");
    let files = v.as_array().expect("two files give an array");
    assert_eq!(files.len(), 2);
    assert_eq!(files[1]["failed"], 1);
    assert!(files[1]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["passed"] == false && c["what"].as_str().unwrap().contains("leader")));
}

#[test]
fn trace_prints_the_event_log() {
    let f = TempFile::new("pass.toml", PASSING);
    let o = run(&["trace", f.arg()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() > 10, "{out}");
    // Every line is an event: "#STEP t=TIME …".
    for l in &lines {
        assert!(
            l.starts_with('#') && l.contains(" t="),
            "not an event line: {l:?}"
        );
    }
    assert!(out.contains("p1.send(a"), "{out}");
    assert!(out.contains("appended a at offset 0"), "{out}");
    assert!(out.contains("acknowledged"), "{out}");
    // A failing expectation makes trace exit 1 too.
    let g = TempFile::new("fail.toml", FAILING);
    assert_eq!(code(&run(&["trace", g.arg()])), 1);
}

#[test]
fn fuzz_runs_schedules_and_prints_the_summary() {
    let o = run(&["fuzz", "--seeds", "3", "--profile", "acks1"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let last = out.lines().last().unwrap_or("");
    assert!(
        last.starts_with("profile acks1: 3 schedules,")
            && last.ends_with("0 violations of promised invariants"),
        "{out}"
    );
    // Anomalies found are expected ones (acks=1 gives up "no acknowledged record lost").
    for l in out.lines().filter(|l| l.starts_with("seed ")) {
        assert!(l.contains("expected anomaly"), "{l}");
    }
    // Over a few dozen schedules acks=1 is caught losing an acknowledged record, which the
    // summary counts as an expected anomaly, not a failure.
    let o = run(&["fuzz", "--seed", "1", "--seeds", "40", "--profile", "acks1"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    let found = out
        .lines()
        .filter(|l| l.contains(": expected anomaly \"no acknowledged record lost\""))
        .count();
    assert!(found > 0, "{out}");
    assert!(
        out.contains(&format!("40 schedules, {found} expected anomalies")),
        "{out}"
    );
    let o = run(&["fuzz", "--seeds", "2", "--steps", "10"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("profile safe: 2 schedules, 0 expected anomalies"));
}

#[test]
fn bad_arguments_exit_2_with_usage() {
    let f = TempFile::new("pass.toml", PASSING);
    let cases: [&[&str]; 9] = [
        &[],
        &["frobnicate"],
        &["run"],
        &["run", "--verbose", f.arg()],
        &["trace"],
        &["trace", f.arg(), f.arg()],
        &["fuzz", "--seeds", "many"],
        &["fuzz", "--profile", "yolo"],
        &["fuzz", "--seeds"],
    ];
    for args in cases {
        let o = run(args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("usage"), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
    }
    // --help is not an error: usage on stdout, exit 0.
    let o = run(&["--help"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("usage") && stdout(&o).contains("highwater fuzz"));
}

#[test]
fn convert_prints_json_that_reads_back_to_the_same_run() {
    let f = TempFile::new("pass.toml", PASSING);
    let o = run(&["convert", f.arg()]);
    assert_eq!(code(&o), 0, "stderr:\n{}", stderr(&o));
    let json = stdout(&o);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["name"], "replicated");
    assert_eq!(
        value["step"][1]["expect"]["isr"],
        serde_json::json!([1, 2, 3])
    );
    let from_json = highwater_core::scenario::Scenario::from_json(&json).expect("reads back");
    let from_toml = highwater_core::scenario::Scenario::parse(PASSING).unwrap();
    let (a, b) = (from_json.run().unwrap(), from_toml.run().unwrap());
    assert!(a.passed() && b.passed());
    assert_eq!(a.cluster.state_hash(), b.cluster.state_hash());
}

#[test]
fn convert_rejects_a_malformed_file_with_its_line() {
    let f = TempFile::new("bad.toml", "name = \"x\"\n\n[[step]]\nexplode = 1\n");
    let o = run(&["convert", f.arg()]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("bad.toml:4: unknown field `explode`"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
}
