//! Run → scenario file (`scenario::export`): an exported run replays step for step to the same
//! state hashes, and the expectations it writes hold.

use std::path::Path;

use highwater_core::command::{Action, Command, Input, TxnCallName};
use highwater_core::scenario::export::{export_run, run_to_scenario};
use highwater_core::scenario::Scenario;
use highwater_core::timeline::{Run, Timeline};
use highwater_core::types::NodeId;
use highwater_core::Cluster;

/// The run a shipped scenario or chapter records when it is played.
fn recorded(path: &str) -> Run {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    let s = Scenario::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let report = s.run().unwrap();
    Run {
        config: s.config.clone(),
        seed: s.seed,
        inputs: report.cluster.history().to_vec(),
    }
}

/// Exports `run` cut after `k` inputs, replays the file and compares hashes input by input.
fn round_trip(run: &Run, k: usize, what: &str) -> String {
    let cut = Run {
        inputs: run.inputs[..k].to_vec(),
        ..run.clone()
    };
    let exported = export_run(&cut, what).unwrap_or_else(|e| panic!("{what} @{k}: {e}"));
    let text = exported.to_toml();
    assert_eq!(text, run_to_scenario(&cut, what).unwrap());
    let s = Scenario::parse(&text).unwrap_or_else(|e| panic!("{what} @{k}: {e}\n{text}"));
    let mut original = Cluster::new(cut.config.clone(), cut.seed).unwrap();
    let mut hashes = Vec::new();
    for input in &cut.inputs {
        original.apply_input(input).unwrap();
        hashes.push(original.state_hash());
    }
    let mut replay = s.cluster().unwrap();
    for i in 0..s.steps.len() {
        let outcome = s
            .apply_step(&mut replay, i)
            .unwrap_or_else(|e| panic!("{what} @{k}: step {i}: {e}\n{text}"));
        let failed: Vec<_> = outcome.checks.iter().filter(|c| !c.passed).collect();
        assert!(failed.is_empty(), "{what} @{k}: {failed:?}\n{text}");
        if let Some(h) = hashes.get(i) {
            assert_eq!(replay.state_hash(), *h, "{what} @{k}: step {i}\n{text}");
        }
    }
    assert_eq!(replay.state_hash(), original.state_hash(), "{what} @{k}");
    // The JSON form (what the browser reads) replays to the same state.
    let json = Scenario::from_json(&exported.to_json()).unwrap();
    let report = json.run().unwrap();
    assert!(report.passed(), "{what} @{k}: JSON form");
    assert_eq!(
        report.cluster.state_hash(),
        original.state_hash(),
        "{what} @{k}"
    );
    assert!(
        s.steps.len() >= k.max(1),
        "one step per input at least: {what} @{k}"
    );
    text
}

fn cuts(n: usize) -> Vec<usize> {
    let mut v = vec![0, 1, n / 3, n / 2, (2 * n) / 3, n];
    v.retain(|k| *k <= n);
    v.dedup();
    v
}

#[test]
fn shipped_runs_replay_from_their_export_at_several_steps() {
    for path in [
        "scenarios/s04-acks1-loss.toml",
        "scenarios/s14-unclean-enabled.toml",
        "scenarios/s26-lost-ack-retry-duplicate.toml", // manual deliver / drop
        "scenarios/s08-isr-expansion-no-epoch-guard.toml", // manual steps
        "scenarios/s29-atomic-write-two-partitions.toml", // transactions
        "scenarios/s30-isolation-levels-side-by-side.toml", // consumers, isolation levels
        "scenarios/s37-zombie-consumer.toml",
        "scenarios/pipeline-exactly-once-crash.toml",
        "scenarios/consumer-retention-skips.toml",
        "tutorials/01-a-records-journey.toml", // manual deliver
        "tutorials/09-retries-and-duplicates.toml",
        "tutorials/17-consumer-groups-and-rebalancing.toml",
    ] {
        let run = recorded(path);
        for k in cuts(run.inputs.len()) {
            round_trip(&run, k, path);
        }
    }
}

#[test]
fn the_export_states_what_was_observed() {
    let run = recorded("scenarios/s04-acks1-loss.toml");
    let text = round_trip(&run, run.inputs.len(), "s04");
    assert!(text.contains("[step.expect]"), "{text}");
    assert!(
        text.contains("lost = ["),
        "the acks=1 loss is expected:\n{text}"
    );
    assert!(
        text.contains("broken = [\"no acknowledged record lost\"]"),
        "{text}"
    );
    assert!(text.contains("delete the rest"), "{text}");
    // The partition-level state: the controller's view and each replica.
    for key in [
        "leader = ",
        "leader_epoch = ",
        "isr = [",
        "[step.expect.replica.1]",
        "hw = ",
        "leo = ",
    ] {
        assert!(text.contains(key), "{key}:\n{text}");
    }
}

#[test]
fn every_command_kind_has_a_step_form() {
    let cfg = highwater_core::ClusterConfig {
        consumers: 1,
        producers: 2,
        ..Default::default()
    };
    let mut c = Cluster::new(cfg.clone(), 3).unwrap();
    let b = |n| NodeId::Broker(n);
    let commands = vec![
        Command::Produce {
            producer: 2,
            topic: Some(cfg.topics[0].name.clone()),
            partition: Some(0),
            key: Some("k \"q\"".into()),
            value: "v\nw".into(),
            acks: Some(highwater_core::config::Acks::Leader),
        },
        Command::AutoProduce {
            producer: 1,
            interval_ms: 200,
            topic: None,
            acks: Some(highwater_core::config::Acks::All),
        },
        Command::Slow {
            from: b(1),
            to: b(2),
            extra_ms: 30,
            both: true,
        },
        Command::Cut {
            from: b(2),
            to: b(3),
            both: false,
        },
        Command::Heal { node: Some(b(2)) },
        Command::Flush { broker: 1 },
        Command::AddConsumer,
        Command::CommitMode {
            consumer: 1,
            mode: highwater_core::config::CommitMode::BeforeProcessing,
        },
        Command::IsolationLevel {
            consumer: 2,
            level: highwater_core::txn::isolation::IsolationLevel::ReadCommitted,
        },
        Command::CrashConsumer { consumer: 1 },
        Command::RestartConsumer { consumer: 1 },
        Command::RemoveConsumer { consumer: 2 },
        Command::DeleteRecords {
            topic: None,
            partition: 0,
            offset: -1,
        },
        Command::UncleanLeaderElection { enable: true },
        Command::Pause { node: b(3) },
        Command::Resume { node: b(3) },
        Command::Shutdown { broker: 3 },
        Command::Restart { broker: 3 },
        Command::Crash {
            broker: 2,
            lose_unflushed: true,
        },
    ];
    let mut inputs = Vec::new();
    for cmd in commands {
        c.apply(cmd.clone())
            .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
        inputs.push(Input::Command(cmd));
        c.run_until(c.now() + 700);
        inputs.push(Input::RunUntil(c.now()));
    }
    let run = Run {
        config: cfg,
        seed: 3,
        inputs,
    };
    let n = run.inputs.len();
    let text = round_trip(&run, n, "every command");
    for key in [
        "produce = { acks = \"1\", key = \"k \\\"q\\\"\", partition = 0, producer = 2",
        "auto_produce = { acks = \"all\", interval_ms = 200 }",
        "slow = ",
        "commit_mode = ",
        "isolation_level = { consumer = \"c2\", level = \"read_committed\" }",
        "delete_records = ",
        "unclean_leader_election = true",
        "power_fail = \"b2\"",
        "remove_consumer = \"c2\"",
    ] {
        assert!(text.contains(key), "{key}:\n{text}");
    }
}

#[test]
fn transactions_export_their_calls() {
    let run = recorded("scenarios/s29-atomic-write-two-partitions.toml");
    let calls = run.inputs.iter().filter(|i| {
        matches!(
            i,
            Input::Command(Command::Transaction {
                call: TxnCallName::Commit | TxnCallName::Begin | TxnCallName::Init,
                ..
            })
        )
    });
    assert!(calls.count() >= 3);
    let text = round_trip(&run, run.inputs.len(), "s29");
    assert!(text.contains("commit_transaction = \"p1\""), "{text}");
    assert!(text.contains("txn_state = \"CompleteCommit\""), "{text}");

    // A group's generation and state are observed too.
    let run = recorded("scenarios/s36-group-generations.toml");
    let text = round_trip(&run, run.inputs.len(), "s36");
    assert!(text.contains("group_state = \"Stable\""), "{text}");
    assert!(text.contains("generation = "), "{text}");
}

#[test]
fn a_timeline_seeked_back_exports_its_current_step() {
    let run = recorded("tutorials/01-a-records-journey.toml");
    let mut tl = Timeline::from_run(&run).unwrap();
    let end = tl.step();
    tl.seek(end / 2);
    let here = tl.run();
    assert!(here.inputs.len() <= run.inputs.len());
    let text = run_to_scenario(&here, "half").unwrap();
    let s = Scenario::parse(&text).unwrap();
    let report = s.run().unwrap();
    assert!(report.passed(), "{text}");
    assert_eq!(report.cluster.state_hash(), tl.current().state_hash());
}

#[test]
fn an_input_without_a_form_is_named() {
    let mut c = Cluster::new(highwater_core::ClusterConfig::default(), 1).unwrap();
    c.run_steps(5);
    let gone = Input::Action(Action::Deliver { message: 999_999 });
    let run = Run {
        config: c.config().clone(),
        seed: 1,
        inputs: vec![Input::Steps(5), gone],
    };
    let e = run_to_scenario(&run, "x").unwrap_err();
    assert!(e.contains("input 2") && e.contains("message 999999"), "{e}");
}
