//! Bad inputs: malformed scenario files, invalid configurations and impossible commands are
//! refused with a message that names the problem (and, for files, the line), never a panic.

use highwater_core::cluster::BrokerStatus;
use highwater_core::command::Action;
use highwater_core::config::{Acks, ClusterConfig, TopicConfig};
use highwater_core::node::TimerKind;
use highwater_core::rng::Rng;
use highwater_core::scenario::{Scenario, ScenarioError};
use highwater_core::types::NodeId;
use highwater_core::{Cluster, Command};

mod common;
use common::{assert_refused, produce};

// ---- helpers ----------------------------------------------------------------------------------

/// Parses `text`, which must fail; returns the error.
fn parse_err(text: &str) -> ScenarioError {
    match Scenario::parse(text) {
        Ok(_) => panic!("this file should not parse:\n{text}"),
        Err(e) => e,
    }
}

/// Asserts a parse error on `line` whose message contains every one of `words`.
fn assert_parse_err(text: &str, line: usize, words: &[&str]) {
    let e = parse_err(text);
    assert_eq!(
        e.line,
        Some(line),
        "wrong line for {:?} in:\n{text}",
        e.message
    );
    for w in words {
        assert!(
            e.message.contains(w),
            "message {:?} should mention {w:?}",
            e.message
        );
    }
    // The Display form is what the CLI prints after `FILE:`.
    assert!(e.to_string().starts_with(&format!("line {line}: ")));
}

/// Parses `text` (which must be valid) and runs it, which must fail at `line`.
fn assert_run_err(text: &str, line: usize, words: &[&str]) {
    let s = Scenario::parse(text).unwrap_or_else(|e| panic!("should parse: {e}\n{text}"));
    let e = match s.run() {
        Ok(_) => panic!("this scenario should not run:\n{text}"),
        Err(e) => e,
    };
    assert_eq!(
        e.line,
        Some(line),
        "wrong line for {:?} in:\n{text}",
        e.message
    );
    for w in words {
        assert!(
            e.message.contains(w),
            "message {:?} should mention {w:?}",
            e.message
        );
    }
}

fn cluster() -> Cluster {
    let mut c = Cluster::new(ClusterConfig::default(), 1).unwrap();
    c.run_until(100);
    c
}

// ---- malformed scenario files -----------------------------------------------------------------

#[test]
fn toml_syntax_errors_give_the_line() {
    // Unterminated string on line 4.
    assert_parse_err("name = \"x\"\n\n[[step]]\nproduce = \"a\n", 4, &["string"]);
    // Broken table header on line 3.
    assert_parse_err(
        "name = \"x\"\nseed = 1\n[config\nbrokers = 3\n",
        3,
        &["table header"],
    );
    // A key given twice.
    assert_parse_err(
        "name = \"x\"\nname = \"y\"\n",
        2,
        &["duplicate key", "name"],
    );
}

#[test]
fn unknown_keys_are_named_with_their_line() {
    assert_parse_err(
        "name = \"x\"\ncolour = 3\n",
        2,
        &["unknown field", "colour"],
    );
    // A typo in the second step's action.
    assert_parse_err(
        "name = \"x\"\n[[step]]\nproduce = \"a\"\n\n[[step]]\nkrash = \"b1\"\n",
        6,
        &["krash", "crash"],
    );
    assert_parse_err(
        "name = \"x\"\n[config]\nbrokers = 3\nbrokerz = 2\n",
        4,
        &["brokerz", "brokers"],
    );
    // Kafka's dotted names are checked too, and the message lists the right spelling.
    assert_parse_err(
        "name = \"x\"\n[config.broker]\n\"min.insync.replica\" = 2\n",
        3,
        &["min.insync.replica", "min.insync.replicas"],
    );
    assert_parse_err(
        "name = \"x\"\n[[step]]\nrun_ms = 1\nexpect = { leaderr = 1 }\n",
        4,
        &["leaderr", "leader"],
    );
    assert_parse_err(
        "name = \"x\"\n[[step]]\ndrop = { kind = \"Fetch\", sender = \"b1\" }\n",
        3,
        &["sender"],
    );
}

#[test]
fn wrong_types_are_named_with_their_line() {
    assert_parse_err(
        "name = \"x\"\n[config]\nbrokers = \"three\"\n",
        3,
        &["string", "three"],
    );
    assert_parse_err(
        "name = \"x\"\n[[step]]\nrun_ms = \"100\"\n",
        3,
        &["string", "100"],
    );
    assert_parse_err(
        "name = \"x\"\n[config.profile]\ntruncation = \"hw\"\n",
        3,
        &["hw", "high-watermark", "leader-epoch"],
    );
    assert_parse_err(
        "name = \"x\"\n[config.producer]\nacks = 2\n",
        3,
        &["acks", "0, 1, all or -1"],
    );
    assert_parse_err(
        "name = \"x\"\n[config.producer]\nacks = \"most\"\n",
        3,
        &["acks", "most"],
    );
    assert_parse_err(
        "name = \"x\"\n\n[[step]]\ncrash = \"bx\"\n",
        4,
        &["bx", "not a node"],
    );
    assert_parse_err("seed = 1\n", 1, &["missing field", "name"]);
}

#[test]
fn a_negative_number_for_an_unsigned_setting_is_an_error_on_its_line() {
    // TOML integers are signed; the simulator's durations and counts are not.
    assert_parse_err(
        "name = \"x\"\n[config.broker]\n\"replica.lag.time.max.ms\" = -5\n",
        3,
        &["-5"],
    );
    assert_parse_err(
        "name = \"x\"\n[config.producer]\nrequest_timeout_ms = -1\n",
        3,
        &["-1"],
    );
    assert_parse_err("name = \"x\"\n[config]\nbrokers = -3\n", 3, &["-3"]);
    assert_parse_err("name = \"x\"\n[[step]]\nrun_ms = -100\n", 3, &["-100"]);
    assert_parse_err("name = \"x\"\nseed = -1\n", 2, &["-1"]);
}

/// Messages name the problem instead of leaking serde's wording: a negative duration names its
/// setting, an out-of-range broker id is "too large", and a wrongly typed `produce` says what it
/// takes.
#[test]
fn unclear_messages_name_the_problem() {
    let e = parse_err("name = \"x\"\n[config.broker]\n\"replica.lag.time.max.ms\" = -5\n");
    assert!(e.message.contains("replica.lag.time.max.ms"), "{e}");
    assert!(!e.message.contains("u64"), "{e}");
    let e = parse_err("name = \"x\"\n[[step]]\ncrash = 99999999999\n");
    assert!(!e.message.contains("positive"), "{e}");
    let e = parse_err("name = \"x\"\n[[step]]\nproduce = 5\n");
    assert!(!e.message.contains("untagged enum"), "{e}");
}

#[test]
fn two_actions_in_one_step_are_refused_at_that_step() {
    assert_parse_err(
        "name = \"x\"\n\n[[step]]\nproduce = \"a\"\n\n[[step]]\ncrash = \"b1\"\nrestart = \"b2\"\n",
        6,
        &["at most one action", "2"],
    );
    // Inline-table steps count too; narration and expectations are not actions.
    assert_parse_err(
        "name = \"x\"\n[[step]]\nnote = \"fine\"\nrun_ms = 5\nexpect = { leader = 1 }\n[[step]]\nrun_ms = 5\nsteps = 3\nproduce = \"a\"\n",
        6,
        &["3"],
    );
    Scenario::parse("name = \"x\"\n[[step]]\nnote = \"n\"\ntitle = \"t\"\nrun_ms = 5\n").unwrap();
}

// ---- invalid configurations -------------------------------------------------------------------

fn config_err(cfg: ClusterConfig) -> String {
    let e = cfg.validate().expect_err("invalid config");
    // Cluster::new refuses it with the same message.
    let e2 = Cluster::new(cfg, 1).expect_err("Cluster::new validates");
    assert_eq!(e, e2);
    assert_eq!(e.to_string(), e.0);
    e.0
}

fn assert_config_err(f: impl FnOnce(&mut ClusterConfig), words: &[&str]) {
    let mut cfg = ClusterConfig::default();
    f(&mut cfg);
    let m = config_err(cfg);
    for w in words {
        assert!(m.contains(w), "message {m:?} should mention {w:?}");
    }
}

#[test]
fn config_errors_name_the_setting() {
    assert_config_err(
        |c| c.topics[0].replication_factor = 4,
        &["replication.factor", "4", "brokers (3)"],
    );
    assert_config_err(|c| c.brokers = 0, &["brokers", "0"]);
    assert_config_err(|c| c.brokers = 9, &["brokers", "between 1 and 7", "9"]);
    assert_config_err(
        |c| c.topics[0].replicas = vec![vec![1, 2, 9]],
        &["unknown broker 9", "1..=3"],
    );
    assert_config_err(
        |c| c.topics[0].replicas = vec![vec![1, 2, 2]],
        &["broker 2 listed twice"],
    );
    assert_config_err(
        |c| c.topics[0].replicas = vec![vec![1, 2]],
        &["2 replicas listed", "replication.factor is 3"],
    );
    assert_config_err(|c| c.topics[0].partitions = 0, &["partitions"]);
    assert_config_err(
        |c| c.topics[0].replication_factor = 0,
        &["replication.factor"],
    );
    assert_config_err(|c| c.topics.clear(), &["topic"]);
    assert_config_err(
        |c| c.topics.push(TopicConfig::default()),
        &["\"t\"", "twice"],
    );
    assert_config_err(
        |c| c.broker.min_insync_replicas = 0,
        &["min.insync.replicas"],
    );
    assert_config_err(
        |c| {
            c.producer.acks = Some(Acks::Leader);
            c.producer.enable_idempotence = Some(true);
        },
        &["enable.idempotence", "acks=all"],
    );
    assert_config_err(
        |c| {
            c.producer.acks = Some(Acks::None);
            c.producer.enable_idempotence = Some(true);
        },
        &["enable.idempotence", "acks=all"],
    );
    assert_config_err(
        |c| {
            c.broker.broker_session_timeout_ms = 1_000;
            c.broker.broker_heartbeat_interval_ms = 1_000;
        },
        &["broker.session.timeout.ms", "broker.heartbeat.interval.ms"],
    );
    assert_config_err(
        |c| c.producer.max_in_flight_requests_per_connection = 0,
        &["max.in.flight.requests.per.connection"],
    );
}

#[test]
fn zero_and_huge_timeouts_name_the_setting() {
    type Setter = fn(&mut ClusterConfig, u64);
    let settings: [(&str, Setter); 7] = [
        ("replica.lag.time.max.ms", |c, v| {
            c.broker.replica_lag_time_max_ms = v
        }),
        ("replica.fetch.backoff.ms", |c, v| {
            c.broker.replica_fetch_backoff_ms = v
        }),
        ("replica.socket.timeout.ms", |c, v| {
            c.broker.replica_socket_timeout_ms = v
        }),
        ("broker.heartbeat.interval.ms", |c, v| {
            c.broker.broker_heartbeat_interval_ms = v
        }),
        ("broker.session.timeout.ms", |c, v| {
            c.broker.broker_session_timeout_ms = v
        }),
        ("request.timeout.ms", |c, v| {
            c.producer.request_timeout_ms = v
        }),
        ("delivery.timeout.ms", |c, v| {
            c.producer.delivery_timeout_ms = v
        }),
    ];
    for (name, set) in settings {
        for v in [0, 86_400_001, u64::MAX] {
            let mut cfg = ClusterConfig::default();
            set(&mut cfg, v);
            let m = config_err(cfg);
            assert!(m.contains(name), "{name} = {v}: message {m:?}");
        }
    }
}

#[test]
fn config_errors_in_a_file_name_the_setting_and_the_config_line() {
    let cases: [(&str, &[&str]); 8] = [
        (
            "[config]\nbrokers = 2\n[[config.topics]]\nname = \"t\"\npartitions = 1\nreplication_factor = 3\n",
            &["invalid [config]", "replication.factor 3", "brokers (2)"],
        ),
        ("[config]\nbrokers = 0\n", &["brokers", "not 0"]),
        ("[config]\nbrokers = 9\n", &["brokers", "not 9"]),
        (
            "[config]\nbrokers = 3\n[[config.topics]]\nname = \"t\"\npartitions = 1\nreplication_factor = 3\nreplicas = [[1, 2, 9]]\n",
            &["unknown broker 9"],
        ),
        (
            "[config.broker]\n\"broker.session.timeout.ms\" = 0\n",
            &["broker.session.timeout.ms", "positive"],
        ),
        (
            "[config.broker]\nreplica_socket_timeout_ms = 0\n",
            &["replica.socket.timeout.ms"],
        ),
        (
            "[config.broker]\n\"min.insync.replicas\" = 0\n",
            &["min.insync.replicas"],
        ),
        (
            "[config.producer]\nacks = 1\n\"enable.idempotence\" = true\n",
            &["enable.idempotence", "acks=all"],
        ),
    ];
    for (config, words) in cases {
        // The [config…] header is on line 3.
        let text = format!("name = \"x\"\nseed = 1\n{config}");
        assert_parse_err(&text, 3, words);
    }
}

// ---- impossible commands ----------------------------------------------------------------------

#[test]
fn impossible_commands_are_refused_with_a_clear_message() {
    let mut c = cluster();
    assert_refused(
        &mut c,
        Command::Crash {
            broker: 9,
            lose_unflushed: false,
        },
        &["no broker 9", "1..=3"],
    );
    assert_refused(
        &mut c,
        Command::Crash {
            broker: 0,
            lose_unflushed: true,
        },
        &["no broker 0"],
    );
    assert_refused(
        &mut c,
        Command::Restart { broker: 1 },
        &["broker 1", "already running"],
    );
    assert_refused(&mut c, Command::Restart { broker: 9 }, &["no broker 9"]);
    assert_refused(&mut c, Command::Shutdown { broker: 9 }, &["no broker 9"]);
    assert_refused(&mut c, Command::Flush { broker: 9 }, &["no broker 9"]);
    assert_refused(
        &mut c,
        Command::Resume {
            node: NodeId::Broker(2),
        },
        &["b2", "not paused"],
    );
    assert_refused(
        &mut c,
        Command::Pause {
            node: NodeId::Broker(7),
        },
        &["no node b7"],
    );
    assert_refused(
        &mut c,
        Command::Isolate {
            node: NodeId::Producer(3),
        },
        &["no node p3"],
    );
    assert_refused(
        &mut c,
        Command::Heal {
            node: Some(NodeId::Broker(8)),
        },
        &["no node b8"],
    );
    assert_refused(
        &mut c,
        Command::Cut {
            from: NodeId::Broker(1),
            to: NodeId::Broker(1),
            both: true,
        },
        &["two different nodes"],
    );
    assert_refused(
        &mut c,
        Command::Slow {
            from: NodeId::Controller,
            to: NodeId::Broker(5),
            extra_ms: 10,
            both: false,
        },
        &["no node b5"],
    );
    assert_refused(
        &mut c,
        Command::Drop { message: 424_242 },
        &["message 424242", "not in flight"],
    );
    // Produce to a missing topic or partition, or from a missing producer.
    assert_refused(
        &mut c,
        Command::Produce {
            producer: 1,
            topic: Some("nope".into()),
            partition: None,
            key: None,
            value: "a".into(),
            acks: None,
        },
        &["unknown topic", "nope"],
    );
    assert_refused(
        &mut c,
        Command::Produce {
            producer: 1,
            topic: Some("t".into()),
            partition: Some(3),
            key: None,
            value: "a".into(),
            acks: None,
        },
        &["topic t has no partition 3", "it has 1"],
    );
    assert_refused(
        &mut c,
        Command::Produce {
            producer: 1,
            topic: None,
            partition: Some(1),
            key: Some("k".into()),
            value: "a".into(),
            acks: None,
        },
        &["no partition 1"],
    );
    assert_refused(
        &mut c,
        Command::Produce {
            producer: 2,
            topic: None,
            partition: None,
            key: None,
            value: "a".into(),
            acks: None,
        },
        &["no producer 2", "1..=1"],
    );
    assert_refused(
        &mut c,
        Command::AutoProduce {
            producer: 1,
            interval_ms: 100,
            topic: Some("nope".into()),
            acks: None,
        },
        &["unknown topic"],
    );
    assert_refused(
        &mut c,
        Command::AutoProduce {
            producer: 0,
            interval_ms: 100,
            topic: None,
            acks: None,
        },
        &["no producer 0"],
    );
}

#[test]
fn commands_that_depend_on_a_brokers_state_are_refused_in_the_wrong_state() {
    let mut c = cluster();
    c.apply(Command::Crash {
        broker: 2,
        lose_unflushed: false,
    })
    .unwrap();
    // Crash a crashed broker; pause, flush or shut it down.
    assert_refused(
        &mut c,
        Command::Crash {
            broker: 2,
            lose_unflushed: false,
        },
        &["broker 2 is not running"],
    );
    assert_refused(
        &mut c,
        Command::Crash {
            broker: 2,
            lose_unflushed: true,
        },
        &["broker 2 is not running"],
    );
    assert_refused(
        &mut c,
        Command::Pause {
            node: NodeId::Broker(2),
        },
        &["broker 2 is not running"],
    );
    assert_refused(&mut c, Command::Flush { broker: 2 }, &["not running"]);
    assert_refused(&mut c, Command::Shutdown { broker: 2 }, &["not running"]);
    // Pausing twice, resuming twice.
    c.apply(Command::Pause {
        node: NodeId::Broker(3),
    })
    .unwrap();
    assert_refused(
        &mut c,
        Command::Pause {
            node: NodeId::Broker(3),
        },
        &["b3 is already paused"],
    );
    c.apply(Command::Resume {
        node: NodeId::Broker(3),
    })
    .unwrap();
    assert_refused(
        &mut c,
        Command::Resume {
            node: NodeId::Broker(3),
        },
        &["b3 is not paused"],
    );
    // Shutting down twice.
    c.apply(Command::Shutdown { broker: 1 }).unwrap();
    assert_refused(
        &mut c,
        Command::Shutdown { broker: 1 },
        &["already shutting down"],
    );
    // Once restarted, the crashed broker cannot be restarted again.
    c.apply(Command::Restart { broker: 2 }).unwrap();
    assert_refused(&mut c, Command::Restart { broker: 2 }, &["already running"]);
    // A message delivered (or dropped) is no longer in flight.
    c.apply(produce("a")).unwrap();
    let id = c
        .in_flight()
        .next()
        .expect("a produce request in flight")
        .id;
    c.apply(Command::Drop { message: id }).unwrap();
    assert_refused(&mut c, Command::Drop { message: id }, &["not in flight"]);
}

#[test]
fn impossible_manual_actions_are_refused() {
    let mut c = cluster();
    let hash = c.state_hash();
    let e = c.act(Action::Deliver { message: 999_999 }).unwrap_err();
    assert!(
        e.0.contains("999999") && e.0.contains("not deliverable"),
        "{e}"
    );
    let e = c
        .act(Action::Fire {
            node: NodeId::Broker(9),
            timer: TimerKind::Heartbeat,
        })
        .unwrap_err();
    assert!(e.0.contains("b9 has no pending heartbeat timer"), "{e}");
    let e = c
        .act(Action::Fire {
            node: NodeId::Producer(1),
            timer: TimerKind::Flush,
        })
        .unwrap_err();
    assert!(e.0.contains("p1"), "{e}");
    assert_eq!(c.state_hash(), hash);

    // A message that is in flight but not first on its link cannot overtake (links are FIFO).
    let second_on_a_link = |c: &Cluster| {
        let ids: Vec<(NodeId, NodeId, u64)> = c.in_flight().map(|e| (e.from, e.to, e.id)).collect();
        ids.iter().enumerate().find_map(|(i, a)| {
            ids[..i]
                .iter()
                .any(|b| (b.0, b.1) == (a.0, a.1))
                .then_some(a.2)
        })
    };
    let mut second = None;
    for i in 0..2_000 {
        if i % 5 == 0 {
            c.apply(produce(&format!("v{i}"))).unwrap();
        }
        second = second_on_a_link(&c);
        if second.is_some() {
            break;
        }
        c.step();
    }
    let second = second.expect("some link carries two messages");
    let hash = c.state_hash();
    let e = c.act(Action::Deliver { message: second }).unwrap_err();
    assert!(e.0.contains("not first on its link"), "{e}");
    assert_eq!(c.state_hash(), hash);
    // A paused node's events are not enabled either.
    c.apply(Command::Pause {
        node: NodeId::Broker(2),
    })
    .unwrap();
    let e = c
        .act(Action::Fire {
            node: NodeId::Broker(2),
            timer: TimerKind::Heartbeat,
        })
        .unwrap_err();
    assert!(e.0.contains("b2"), "{e}");
}

#[test]
fn random_commands_never_panic_and_refusals_change_nothing() {
    // Commands with ids in and out of range, in every broker state, between random progress.
    let (mut accepted, mut refused) = (0, 0);
    for seed in 1..=150u64 {
        let mut cfg = ClusterConfig {
            producers: 2,
            ..ClusterConfig::default()
        };
        cfg.broker.broker_session_timeout_ms = 1_500;
        cfg.broker.broker_heartbeat_interval_ms = 300;
        let mut c = Cluster::new(cfg, seed).unwrap();
        let mut rng = Rng::new(seed);
        for i in 0..80 {
            let b = rng.below(6) as u32; // 0 and 4..=5 do not exist
            let node = match rng.below(3) {
                0 => NodeId::Broker(b),
                1 => NodeId::Producer(rng.below(4) as u32),
                _ => NodeId::Controller,
            };
            let other = NodeId::Broker(rng.below(5) as u32);
            let msg = match c.in_flight().count() {
                0 => rng.next_u64(),
                n if rng.chance(0.7) => c.in_flight().nth(rng.below(n as u64) as usize).unwrap().id,
                _ => rng.below(1_000),
            };
            let topic = [None, Some("t".to_string()), Some("zz".to_string())]
                [rng.below(3) as usize]
                .clone();
            let cmd = match rng.below(14) {
                0 | 1 => Command::Produce {
                    producer: rng.below(4) as u32,
                    topic,
                    partition: rng.chance(0.3).then(|| rng.below(3) as u32),
                    key: rng.chance(0.3).then(|| "k".into()),
                    value: format!("v{i}"),
                    acks: None,
                },
                2 => Command::AutoProduce {
                    producer: rng.below(4) as u32,
                    interval_ms: rng.below(500),
                    topic,
                    acks: None,
                },
                3 => Command::Crash {
                    broker: b,
                    lose_unflushed: rng.chance(0.5),
                },
                4 => Command::Shutdown { broker: b },
                5 => Command::Restart { broker: b },
                6 => Command::Pause { node },
                7 => Command::Resume { node },
                8 => Command::Isolate { node },
                9 => Command::Cut {
                    from: node,
                    to: other,
                    both: rng.chance(0.5),
                },
                10 => Command::Heal {
                    node: rng.chance(0.5).then_some(node),
                },
                11 => Command::Slow {
                    from: node,
                    to: other,
                    extra_ms: rng.below(1_000),
                    both: rng.chance(0.5),
                },
                12 => Command::Drop { message: msg },
                _ => Command::Flush { broker: b },
            };
            let hash = c.state_hash();
            let len = c.history().len();
            match c.apply(cmd.clone()) {
                Ok(()) => {
                    accepted += 1;
                    assert_eq!(
                        c.history().len(),
                        len + 1,
                        "seed {seed}: {cmd:?} not recorded"
                    );
                }
                Err(e) => {
                    refused += 1;
                    assert!(
                        !e.0.trim().is_empty(),
                        "seed {seed}: {cmd:?}: empty message"
                    );
                    assert_eq!(
                        c.state_hash(),
                        hash,
                        "seed {seed}: refused {cmd:?} changed state"
                    );
                    assert_eq!(c.history().len(), len);
                }
            }
            let t = c.now() + rng.below(300);
            c.run_until(t);
        }
        // Whatever happened, the broker slots are in one of the three states and the run replays.
        assert!(c.brokers().all(|(_, s)| matches!(
            s.status,
            BrokerStatus::Up | BrokerStatus::Crashed | BrokerStatus::Stopped
        )));
        let r = Cluster::replay(c.config().clone(), seed, c.history()).unwrap();
        assert_eq!(
            r.state_hash(),
            c.state_hash(),
            "seed {seed}: replay differs"
        );
    }
    assert!(
        accepted > 3_000 && refused > 1_000,
        "{accepted} accepted, {refused} refused"
    );
}

/// Durations near `u64::MAX` are refused by `Cluster::apply` (at most one day, like the config's
/// timeouts) instead of overflowing `now + …`.
#[test]
fn huge_durations_are_refused_not_overflowed() {
    let mut c = cluster();
    let r = c.apply(Command::Slow {
        from: NodeId::Broker(2),
        to: NodeId::Broker(1),
        extra_ms: u64::MAX,
        both: true,
    });
    let t = c.now() + 3_000;
    c.run_until(t);
    assert!(r.is_err(), "extra_ms = u64::MAX should be refused");
    let mut c = cluster();
    let r = c.apply(Command::AutoProduce {
        producer: 1,
        interval_ms: u64::MAX,
        topic: None,
        acks: None,
    });
    assert!(r.is_err(), "interval_ms = u64::MAX should be refused");
}

// ---- impossible scenario steps ----------------------------------------------------------------

#[test]
fn impossible_steps_fail_the_run_at_their_line() {
    let head = "name = \"x\"\nseed = 3\n[[step]]\nrun_ms = 100\n\n";
    // The impossible step's [[step]] header is on line 6.
    let cases: [(&str, &[&str]); 13] = [
        (
            "[[step]]\ndeliver = { kind = \"Produce\" }\n",
            &["no deliverable message", "kind=Produce"],
        ),
        (
            "[[step]]\nrestart = \"b1\"\n",
            &["broker 1 is already running"],
        ),
        ("[[step]]\ncrash = \"b9\"\n", &["no broker 9"]),
        (
            "[[step]]\ncrash = \"controller\"\n",
            &["controller is not a broker"],
        ),
        ("[[step]]\npower_fail = \"p1\"\n", &["p1 is not a broker"]),
        ("[[step]]\nresume = \"b2\"\n", &["b2 is not paused"]),
        (
            "[[step]]\ndrop = { kind = \"Fetch\", from = \"b7\" }\n",
            &["no message in flight", "from=b7"],
        ),
        (
            "[[step]]\nfire = { node = \"b1\", timer = \"bogus\" }\n",
            &["b1", "bogus"],
        ),
        (
            "[[step]]\nproduce = { value = \"a\", topic = \"nope\" }\n",
            &["unknown topic", "nope"],
        ),
        (
            "[[step]]\nproduce = { value = \"a\", partition = 5 }\n",
            &["no partition 5"],
        ),
        ("[[step]]\nheal = false\n", &["heal = false"]),
        (
            "[[step]]\ncut = { from = \"b1\", to = \"b1\" }\n",
            &["two different nodes"],
        ),
        (
            "[[step]]\nrun_ms = 1\nexpect = { broken = [\"no data lost\"] }\n",
            &[
                "unknown invariant",
                "no data lost",
                "no acknowledged record lost",
            ],
        ),
    ];
    for (step, words) in cases {
        assert_run_err(&format!("{head}{step}"), 6, words);
    }
    // The same step is fine once the state allows it.
    let ok = format!(
        "{head}[[step]]\ncrash = \"b1\"\n[[step]]\nrestart = \"b1\"\n[[step]]\nproduce = \"a\"\n[[step]]\ndeliver = {{ kind = \"Produce\" }}\n"
    );
    let report = Scenario::parse(&ok).unwrap().run().unwrap();
    assert_eq!(report.steps.len(), 5);
    // An expectation naming a missing broker is an error, not a failed check.
    assert_run_err(
        &format!("{head}[[step]]\nrun_ms = 1\nexpect = {{ replica = {{ 9 = {{ hw = 0 }} }} }}\n"),
        6,
        &["no broker 9"],
    );
}

#[test]
fn the_failing_step_is_not_the_first_one() {
    // Line numbers count every line, including comments and narration before the step.
    let text = "\
# comment
name = \"x\"

[[step]]
title = \"start\"
produce = \"a\"

[[step]]
run_ms = 500

# the broker is up, so this is impossible
[[step]]
note = \"restart a running broker\"
restart = 2
";
    assert_run_err(text, 12, &["broker 2 is already running"]);
}

#[test]
fn transaction_calls_out_of_order_and_bad_transaction_settings_are_refused_in_words() {
    use highwater_core::command::TxnCallName as Call;
    let call = |call| Command::Transaction { producer: 1, call };
    let send = || Command::Produce {
        producer: 1,
        topic: None,
        partition: None,
        key: None,
        value: "x".into(),
        acks: None,
    };
    let mut cfg = ClusterConfig::default();
    cfg.producer.transactional_id = Some("app".into());
    let mut c = Cluster::new(cfg.clone(), 1).unwrap();
    // Before initTransactions() (TransactionManager: IllegalStateException).
    assert_refused(
        &mut c,
        call(Call::Begin),
        &["UNINITIALIZED", "IN_TRANSACTION"],
    );
    assert_refused(&mut c, call(Call::Commit), &["UNINITIALIZED"]);
    assert_refused(&mut c, send(), &["before initTransactions()"]);
    c.apply(call(Call::Init)).unwrap();
    c.run_until(3_000);
    // READY: no transaction open; initTransactions() only once.
    assert_refused(
        &mut c,
        call(Call::Commit),
        &["READY", "COMMITTING_TRANSACTION"],
    );
    assert_refused(&mut c, send(), &["no transaction open"]);
    assert_refused(&mut c, call(Call::Init), &["READY", "INITIALIZING"]);
    let auto = Command::AutoProduce {
        producer: 1,
        interval_ms: 100,
        topic: None,
        acks: None,
    };
    assert_refused(&mut c, auto, &["not transactional"]);
    // A producer without a transactional.id.
    let mut plain = Cluster::new(ClusterConfig::default(), 1).unwrap();
    assert_refused(
        &mut plain,
        call(Call::Begin),
        &["not transactional", "transactional.id"],
    );
    // Settings Kafka refuses (ProducerConfig, the broker's transaction.max.timeout.ms).
    let refused = |f: &dyn Fn(&mut ClusterConfig), words: &[&str]| {
        let mut bad = cfg.clone();
        f(&mut bad);
        let e = bad.validate().expect_err("should be refused").0;
        for w in words {
            assert!(e.contains(w), "{e:?} should mention {w:?}");
        }
    };
    refused(
        &|c| c.producer.enable_idempotence = Some(false),
        &["Cannot set a transactional.id"],
    );
    refused(&|c| c.producer.acks = Some(Acks::Leader), &["acks=all"]);
    refused(
        &|c| c.producer.transaction_timeout_ms = 900_001,
        &["INVALID_TRANSACTION_TIMEOUT"],
    );
    refused(
        &|c| c.producer.transactional_id = Some(String::new()),
        &["must not be empty"],
    );
    refused(
        &|c| c.kafka_version = "0.10".parse().unwrap(),
        &["0.11", "KIP-98"],
    );
}
