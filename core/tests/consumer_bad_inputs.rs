//! Bad inputs on the consuming side: impossible consumer commands, bad consumer settings and
//! malformed consumer steps are refused with a message that names the problem, never a panic.

#![allow(clippy::field_reassign_with_default)]

use highwater_core::config::{ClusterConfig, CommitMode};
use highwater_core::rng::Rng;
use highwater_core::scenario::Scenario;
use highwater_core::types::NodeId;
use highwater_core::{Cluster, Command};

mod common;
use common::assert_refused;

fn with_consumers(n: u32) -> Cluster {
    let mut cfg = ClusterConfig::default();
    cfg.consumers = n;
    Cluster::new(cfg, 1).unwrap()
}

#[test]
fn impossible_consumer_commands_are_refused() {
    let mut none = with_consumers(0);
    assert_refused(
        &mut none,
        Command::AddConsumer,
        &["no consumer group", "consumers"],
    );
    assert_refused(
        &mut none,
        Command::CrashConsumer { consumer: 1 },
        &["no consumer c1"],
    );
    let mut c = with_consumers(2);
    for cmd in [
        Command::CrashConsumer { consumer: 3 },
        Command::CrashConsumer { consumer: 0 },
        Command::RemoveConsumer { consumer: 9 },
        Command::RestartConsumer { consumer: 7 },
        Command::CommitMode {
            consumer: 5,
            mode: CommitMode::Auto,
        },
    ] {
        assert_refused(&mut c, cmd, &["there is no consumer", "c1..=c2"]);
    }
    assert_refused(
        &mut c,
        Command::RestartConsumer { consumer: 1 },
        &["already running"],
    );
    c.apply(Command::CrashConsumer { consumer: 1 }).unwrap();
    assert_refused(
        &mut c,
        Command::CrashConsumer { consumer: 1 },
        &["not running"],
    );
    assert_refused(
        &mut c,
        Command::RemoveConsumer { consumer: 1 },
        &["not running"],
    );
    assert_refused(
        &mut c,
        Command::Pause {
            node: NodeId::consumer(3),
        },
        &["no node c3"],
    );
    for _ in 0..14 {
        c.apply(Command::AddConsumer).unwrap();
    }
    assert_refused(&mut c, Command::AddConsumer, &["at most 16"]);
}

/// A change to the default configuration.
type Tweak = fn(&mut ClusterConfig);

#[test]
fn bad_consumer_settings_name_the_setting() {
    let cases: [(Tweak, &str); 7] = [
        (|c| c.consumers = 17, "at most 16 consumers"),
        (|c| c.consumer.session_timeout_ms = 0, "session.timeout.ms"),
        (
            |c| c.consumer.heartbeat_interval_ms = 50_000,
            "heartbeat.interval.ms",
        ),
        (|c| c.consumer.max_poll_records = 0, "max.poll.records"),
        (|c| c.consumer.group_id = String::new(), "group.id"),
        (
            |c| {
                c.consumer.commit = CommitMode::Auto;
                c.consumer.enable_auto_commit = Some(false);
            },
            "enable.auto.commit",
        ),
        (
            |c| {
                c.consumers = 1;
                c.topics[0].name = "__consumer_offsets".into();
            },
            "internal topic",
        ),
    ];
    for (f, words) in cases {
        let mut cfg = ClusterConfig::default();
        f(&mut cfg);
        let e = Cluster::new(cfg, 1).expect_err(words);
        assert!(e.0.contains(words), "{:?} should mention {words:?}", e.0);
    }
}

#[test]
fn malformed_consumer_steps_are_refused_at_their_line() {
    let base = "name = \"x\"\n[config]\nconsumers = 1\n";
    let cases = [
        (
            "[[step]]\ncommit_mode = { consumer = \"c1\", mode = \"sometimes\" }\n",
            5,
            "sometimes",
        ),
        (
            "[[step]]\nexpect = { group_state = \"Happy\" }\n",
            4,
            "group_state",
        ),
        (
            "[[step]]\nexpect = { consumed = { b1 = [\"a\"] } }\n",
            4,
            "not a consumer",
        ),
        (
            "[[step]]\nexpect = { owner = { 7 = \"c1\" } }\n",
            4,
            "no partition t-7",
        ),
        (
            "[[step]]\nexpect = { commit_errors = [\"OOPS\"] }\n",
            4,
            "unknown error code",
        ),
        ("[[step]]\nremove_consumer = \"b1\"\n", 4, "not a consumer"),
        ("[[step]]\ncrash = \"c4\"\n", 4, "no consumer c4"),
        (
            "[[step]]\nadd_consumer = false\n",
            4,
            "add_consumer = false",
        ),
    ];
    for (steps, line, words) in cases {
        let text = format!("{base}{steps}");
        let err = match Scenario::parse(&text) {
            Err(e) => e,
            Ok(s) => match s.run() {
                Err(e) => e,
                Ok(r) => panic!("should fail:\n{text}\n{:?}", r.counts()),
            },
        };
        assert_eq!(err.line, Some(line), "{err} in:\n{text}");
        assert!(
            err.message.contains(words),
            "{:?} should mention {words:?}",
            err.message
        );
    }
    let none = "name = \"x\"\n[[step]]\nexpect = { generation = 1 }\n";
    let err = Scenario::parse(none).unwrap().run().unwrap_err();
    assert!(err.message.contains("no consumers"), "{err}");
}

#[test]
fn random_consumer_commands_never_panic_and_refusals_change_nothing() {
    let (mut accepted, mut refused) = (0, 0);
    for seed in 1..=60u64 {
        let mut cfg = ClusterConfig::default();
        cfg.consumers = 2;
        cfg.trace = false;
        // Short sessions for fast runs: the brokers allow them (group.min.session.timeout.ms).
        cfg.broker.group_min_session_timeout_ms = 1_000;
        cfg.consumer.session_timeout_ms = 1_500;
        cfg.consumer.heartbeat_interval_ms = 300;
        let mut c = Cluster::new(cfg, seed).unwrap();
        let mut rng = Rng::new(seed);
        for _ in 0..60 {
            let k = rng.below(5) as u32; // 0 and 3..=4 may not exist
            let node = NodeId::consumer(k);
            let cmd = match rng.below(9) {
                0 => Command::AddConsumer,
                1 => Command::RemoveConsumer { consumer: k },
                2 => Command::CrashConsumer { consumer: k },
                3 => Command::RestartConsumer { consumer: k },
                4 => Command::CommitMode {
                    consumer: k,
                    mode: CommitMode::BeforeProcessing,
                },
                5 => Command::Pause { node },
                6 => Command::Resume { node },
                7 => Command::Crash {
                    broker: 1 + rng.below(3) as u32,
                    lose_unflushed: false,
                },
                _ => Command::Restart {
                    broker: 1 + rng.below(3) as u32,
                },
            };
            let hash = c.state_hash();
            match c.apply(cmd) {
                Ok(()) => accepted += 1,
                Err(_) => {
                    assert_eq!(c.state_hash(), hash);
                    refused += 1;
                }
            }
            let t = c.now() + rng.below(500);
            c.run_until(t);
        }
    }
    assert!(
        accepted > 500 && refused > 500,
        "{accepted} accepted, {refused} refused"
    );
}
