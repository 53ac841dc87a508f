//! Every scenario file under `scenarios/` runs to the outcome it states (test layer 2).

use std::path::PathBuf;

use highwater_core::scenario::Scenario;

fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_file_holds() {
    let files = scenario_files();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let scenario = match Scenario::parse(&text) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        match scenario.run() {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok(report) => {
                for s in &report.steps {
                    for c in s.checks.iter().filter(|c| !c.passed) {
                        failures.push(format!(
                            "{name} line {}: {} — actual: {}",
                            s.line.unwrap_or(0),
                            c.what,
                            c.actual
                        ));
                    }
                }
                if !report.passed() {
                    for e in report
                        .cluster
                        .events()
                        .iter()
                        .rev()
                        .take(60)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                    {
                        eprintln!("  {e}");
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing expectation(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The page carries these files as JSON (build.rs → src/catalog.rs): each must read back to the
/// same scenario, giving the same run state for state.
#[test]
fn every_scenario_file_runs_the_same_from_json() {
    for f in scenario_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        let name = f.display();
        let json = Scenario::toml_to_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (a, b) = (
            Scenario::parse(&text).unwrap().run().unwrap(),
            Scenario::from_json(&json).unwrap().run().unwrap(),
        );
        assert_eq!(a.passed(), b.passed(), "{name}");
        assert_eq!(a.cluster.state_hash(), b.cluster.state_hash(), "{name}");
    }
}

/// `acked_at` checks the offset the acknowledgement reported, and says which one it was.
#[test]
fn acked_at_compares_the_acknowledged_offset() {
    let run = |want: u64| {
        let text = format!(
            "name = \"x\"\n[[step]]\nproduce = \"a\"\n[[step]]\nproduce = \"b\"\n\
             [[step]]\nrun_until = {{ acked = [\"a\", \"b\"] }}\nwithin_ms = 5000\n\
             expect = {{ acked_at = {{ b = {want} }} }}\n"
        );
        let report = Scenario::parse(&text).unwrap().run().unwrap();
        let check = report.steps[2].checks[0].clone();
        (report.passed(), check.what, check.actual)
    };
    let (passed, what, actual) = run(1);
    assert!(passed, "{what}: {actual}");
    let (passed, what, actual) = run(0);
    assert!(!passed);
    assert_eq!(what, "b is acknowledged at offset 0");
    assert_eq!(actual, "acknowledged at offset 1");
}

/// `position` reads a consumer's position: chapter 19's detection step holds with KIP-320
/// validation and fails without it, where the consumer keeps position 2.
#[test]
fn position_tells_a_validating_consumer_from_one_that_is_not() {
    let text = passing_file("tutorials/19-consumer-log-truncation.toml");
    let off = with_switch_off(&text, "consumer_truncation_detection");
    let report = Scenario::parse(&off).unwrap().run().unwrap();
    let check = report
        .steps
        .iter()
        .flat_map(|s| &s.checks)
        .find(|c| c.what == "c1's position in t-0 is 1")
        .expect("chapter 19 checks c1's position");
    assert!(!check.passed);
    assert_eq!(check.actual, "2");
}

/// Chapter 21's punchline comes from retention: without `retention.bytes` the stalled consumer
/// reads b and c after all, and the "deleted before the group read it" expectation fails.
#[test]
fn retention_is_what_makes_the_slow_consumer_skip_records() {
    let text = passing_file("tutorials/21-retention-skips-records.toml");
    let without = text.replace("\"retention.bytes\" = 1\n", "");
    assert_ne!(without, text);
    let report = Scenario::parse(&without).unwrap().run().unwrap();
    assert!(!report.passed(), "without retention nothing is deleted");
}

/// The ELR variant of S15 holds because of KIP-966: with `eligible_leader_replicas = false` the
/// controller keeps b3 as the ISR's last member and elects it cleanly with its shorter log.
#[test]
fn eligible_leader_replicas_are_what_saves_s15() {
    let text = passing_file("scenarios/s15-last-replica-standing-elr.toml");
    let off = with_switch_off(&text, "eligible_leader_replicas");
    let report = Scenario::parse(&off).unwrap().run().unwrap();
    assert!(
        !report.passed(),
        "without ELR b3 is elected and a3, a4 are lost"
    );
}

/// The text of a catalog file (relative to the repository), after checking that it passes.
fn passing_file(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    let text = std::fs::read_to_string(path).unwrap();
    assert!(Scenario::parse(&text).unwrap().run().unwrap().passed());
    text
}

/// `text` with a `[config.profile]` table turning `switch` off, before its first step.
fn with_switch_off(text: &str, switch: &str) -> String {
    let step = text.find("[[step]]").unwrap();
    format!(
        "{}[config.profile]\n{switch} = false\n\n{}",
        &text[..step],
        &text[step..]
    )
}
