//! The scenario runner: what it says when a `run_until` never comes true, the brokers' view of
//! leadership against the controller's, and `kafka.version` in scenario files.

use highwater_core::config::{Acks, KafkaVersion, TruncationMode};
use highwater_core::scenario::{NotRun, Scenario};

const HEAD: &str = "name = \"runner\"\n[config]\nbrokers = 3\n\
    [config.broker]\n\"broker.session.timeout.ms\" = 3000\n\"broker.heartbeat.interval.ms\" = 1000\n";

fn run(steps: &str) -> highwater_core::scenario::Report {
    Scenario::parse(&format!("{HEAD}{steps}"))
        .unwrap()
        .run()
        .unwrap()
}

#[test]
fn a_run_until_that_never_comes_true_says_what_was_not_run() {
    let report = run("[[step]]\n\
         run_until = { leader = 3 }\n\
         within_ms = 100\n\
         [[step]]\n\
         produce = \"a\"\n\
         expect = { acked = [\"a\"], committed = [\"a\"] }\n\
         [[step]]\n\
         run_ms = 100\n\
         [[step]]\n\
         run_until = { leader = 1 }\n\
         expect = { isr = [1, 2, 3] }\n");
    assert!(!report.passed());
    assert_eq!(report.steps.len(), 1, "the run stops at the first step");
    let n = report.not_run.expect("the run stopped early");
    assert_eq!(
        n,
        NotRun {
            index: 0,
            line: Some(7),
            steps: 3,
            expectations: 4,
        }
    );
    assert_eq!(
        n.to_string(),
        "the run_until at line 7 never came true: 3 later steps and 4 expectations were not run"
    );
    // A run that completes leaves nothing out.
    let ok = run("[[step]]\nrun_until = { leader = 1 }\n[[step]]\nrun_ms = 10\n");
    assert!(ok.passed() && ok.not_run.is_none());
}

/// `leader` is the controller's registration; `brokers_leader` waits until the brokers act on it.
#[test]
fn brokers_leader_waits_for_the_brokers_view_of_an_election() {
    let steps = "[[step]]\n\
         run_until = { brokers_leader = 1 }\n\
         [[step]]\n\
         crash = \"b1\"\n\
         [[step]]\n\
         run_until = { leader = 2 }\n\
         expect = { brokers_leader = 2 }\n";
    let report = run(steps);
    let check = report.steps[2]
        .checks
        .iter()
        .find(|c| c.what.starts_with("the brokers see b2"))
        .expect("the brokers' view is checked");
    assert!(
        !check.passed,
        "the controller has elected b2, the brokers do not know yet: {}",
        check.actual
    );
    assert!(check.actual.contains("b3 sees b1"), "{}", check.actual);
    let waited = run(&steps.replace(
        "run_until = { leader = 2 }\nexpect = { brokers_leader = 2 }",
        "run_until = { brokers_leader = 2 }\nexpect = { leader = 2 }",
    ));
    assert!(waited.passed(), "{:?}", waited.steps.last());
    let bad = Scenario::parse(&format!(
        "{HEAD}[[step]]\nrun_until = {{ brokers_leader = \"b2\" }}\n"
    ))
    .unwrap()
    .run()
    .unwrap_err();
    assert!(bad.message.contains("brokers_leader"), "{bad}");
}

#[test]
fn scenario_files_name_their_version_and_its_defaults_apply() {
    let s = Scenario::parse(&format!("{HEAD}\"kafka.version\" = \"0.10\"\n"));
    // `"kafka.version"` belongs to [config], before the sub-tables: here it lands in
    // [config.broker] and is refused by name.
    assert!(s.unwrap_err().message.contains("kafka.version"));
    let s = Scenario::parse(
        "name = \"v\"\n[config]\n\"kafka.version\" = \"0.10.2\"\n[config.profile]\ntruncation = \"leader-epoch\"\n",
    )
    .unwrap();
    assert_eq!(s.config.kafka_version, KafkaVersion::V0_10);
    assert_eq!(s.config.acks(), Acks::Leader);
    assert!(s.config.unclean_leader_election_enable());
    assert_eq!(s.config.switches().truncation, TruncationMode::LeaderEpoch);
    for (value, words) in [
        ("3.7", "as a string"),
        ("\"9.1\"", "not a Kafka release"),
        ("\"three\"", "not a Kafka release"),
    ] {
        let e = Scenario::parse(&format!(
            "name = \"v\"\n[config]\n\"kafka.version\" = {value}\n"
        ))
        .unwrap_err();
        assert!(e.message.contains(words), "{value}: {e}");
        assert_eq!(e.line, Some(3), "{value}: {e}");
    }
}

/// `kafka.version` alone changes what a catalog file shows: each file passes with the version it
/// states and fails when only that line names the release before (or after) the change.
#[test]
fn the_version_line_alone_changes_the_outcome() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    for (file, stated, other, why) in [
        (
            "scenarios/s16-kip101-scenario1-hw.toml",
            "0.10",
            "0.11",
            "KIP-101 leader epochs keep the committed record",
        ),
        (
            "scenarios/s09-hw-frozen-under-min-isr.toml",
            "3.7",
            "3.6",
            "without KAFKA-15583 the HW passes the acks=1 record",
        ),
        (
            "scenarios/s08-isr-expansion-epoch-guard.toml",
            "2.1",
            "0.11",
            "without KAFKA-7128 the follower joins the ISR early",
        ),
        (
            "scenarios/s39-consumer-truncation-detection.toml",
            "2.3",
            "2.1",
            "the 2.1 client does not validate its position",
        ),
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let line = format!("\"kafka.version\" = \"{stated}\"");
        assert!(text.contains(&line), "{file} states {stated}");
        let run = |t: &str| Scenario::parse(t).unwrap().run().unwrap().passed();
        assert!(run(&text), "{file}");
        let swapped = text.replace(&line, &format!("\"kafka.version\" = \"{other}\""));
        assert!(!run(&swapped), "{file} with {other}: {why}");
    }
    // Today's default producer is idempotent: chapter 9's duplicate needs Kafka < 3.0 or an
    // explicit enable.idempotence = false.
    let text =
        std::fs::read_to_string(root.join("tutorials/09-retries-and-duplicates.toml")).unwrap();
    let explicit = text
        .lines()
        .find(|l| l.starts_with("\"enable.idempotence\" = false"))
        .expect("chapter 9 turns idempotence off");
    let implicit = text.replace(explicit, "");
    let run = |t: &str| Scenario::parse(t).unwrap().run().unwrap().passed();
    assert!(!run(&implicit), "4.1: the retry is deduplicated");
    let old = implicit.replace("\"kafka.version\" = \"4.1\"", "\"kafka.version\" = \"2.8\"");
    assert!(run(&old), "2.8: the retry appends a duplicate");
}
