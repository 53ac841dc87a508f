//! Test layer 4 (DESIGN.md "Tests, in layers"): determinism. A run is `(config, seed, inputs)`;
//! the same triple must give the same states step by step, the recorded history must replay to
//! the same state, a checkpoint (`Clone`) must behave like the original, and the seed must matter.
//!
//! No golden hashes are pinned here on purpose: the simulator's behaviour is still changing, and a
//! golden value would break on every legitimate change. Every test compares two independent
//! executions instead.

use highwater_core::cluster::{BrokerStatus, Cluster};
use highwater_core::command::{Action, Command, Input};
use highwater_core::config::{Acks, ClusterConfig, TopicConfig};
use highwater_core::fuzz::{run_schedule, FuzzProfile};
use highwater_core::rng::Rng;
use highwater_core::types::NodeId;

/// Four brokers, two topics, two producers, jitter and short timeouts: many interleavings.
fn config() -> ClusterConfig {
    let mut c = FuzzProfile::Safe.config();
    c.trace = true;
    c.brokers = 4;
    c.producers = 2;
    c.topics = vec![
        TopicConfig {
            name: "t".into(),
            partitions: 3,
            replication_factor: 3,
            replicas: vec![],
            retention_bytes: None,
            retention_ms: None,
        },
        TopicConfig {
            name: "u".into(),
            partitions: 1,
            replication_factor: 2,
            replicas: vec![vec![4, 1]],
            retention_bytes: None,
            retention_ms: None,
        },
    ];
    c.broker.log_flush_interval_ms = 700;
    c.network.jitter_ms = 25;
    c
}

fn snapshot_json(c: &Cluster) -> String {
    serde_json::to_string(&c.snapshot()).expect("a snapshot serialises")
}

/// A random input chosen from what the cluster's current state allows (plus a few it does not,
/// which must be rejected the same way every time).
fn next_input(c: &Cluster, rng: &mut Rng, n: &mut u64) -> Input {
    let brokers = c.config().brokers;
    let b = 1 + rng.below(brokers as u64) as u32;
    let up = c.broker(b).is_some_and(|s| s.status == BrokerStatus::Up);
    let node = match rng.below(4) {
        0 => NodeId::Controller,
        1 => NodeId::Producer(1 + rng.below(2) as u32),
        _ => NodeId::Broker(b),
    };
    let cmd = |c: Command| Input::Command(c);
    match rng.below(100) {
        0..=24 => {
            *n += 1;
            let topic = rng.chance(0.3).then(|| "u".to_string());
            cmd(Command::Produce {
                producer: 1 + rng.below(2) as u32,
                topic,
                partition: None,
                key: rng.chance(0.5).then(|| format!("k{}", rng.below(5))),
                value: format!("v{n}"),
                acks: match rng.below(4) {
                    0 => Some(Acks::Leader),
                    1 => Some(Acks::None),
                    _ => None,
                },
            })
        }
        25..=27 => cmd(Command::AutoProduce {
            producer: 2,
            interval_ms: [0, 50, 150][rng.below(3) as usize],
            topic: None,
            acks: None,
        }),
        28..=32 => cmd(Command::Crash {
            broker: b,
            lose_unflushed: rng.chance(0.5),
        }),
        33..=34 => cmd(Command::Shutdown { broker: b }),
        35..=39 => cmd(Command::Restart { broker: b }),
        40..=42 if up => cmd(Command::Pause { node }),
        43..=45 => cmd(Command::Resume { node }),
        46..=48 => {
            let other = 1 + rng.below(brokers as u64) as u32;
            cmd(Command::Cut {
                from: NodeId::Broker(b),
                to: NodeId::Broker(other),
                both: rng.chance(0.5),
            })
        }
        49..=50 => cmd(Command::Isolate { node }),
        51..=53 => cmd(Command::Heal {
            node: rng.chance(0.5).then_some(node),
        }),
        54..=55 => cmd(Command::Slow {
            from: NodeId::Broker(b),
            to: NodeId::Controller,
            extra_ms: rng.below(300),
            both: rng.chance(0.5),
        }),
        56..=57 => cmd(Command::Flush { broker: b }),
        58..=60 => {
            let k = c.in_flight().count() as u64;
            let id = c
                .in_flight()
                .nth(rng.below(k.max(1)) as usize)
                .map_or(u64::MAX, |e| e.id);
            cmd(Command::Drop { message: id })
        }
        61..=72 => Input::Steps(1 + rng.below(40)),
        73..=84 => Input::RunUntil(c.now() + rng.below(600)),
        _ => {
            let enabled = c.enabled();
            match enabled.len() {
                0 => Input::Steps(1),
                len => Input::Action(enabled[rng.below(len as u64) as usize].action.clone()),
            }
        }
    }
}

#[test]
fn same_config_seed_and_inputs_give_the_same_state_after_every_step() {
    for seed in [1u64, 2, 99, 12_345] {
        let mut a = Cluster::new(config(), seed).unwrap();
        let mut b = Cluster::new(config(), seed).unwrap();
        assert_eq!(a.state_hash(), b.state_hash());
        let mut rng = Rng::new(seed);
        let mut n = 0;
        let mut compared = 0;
        for i in 0..400 {
            let input = next_input(&a, &mut rng, &mut n);
            let ra = a.apply_input(&input);
            let rb = b.apply_input(&input);
            assert_eq!(
                ra, rb,
                "seed {seed}, input {i} {input:?}: different outcomes"
            );
            assert_eq!(
                a.state_hash(),
                b.state_hash(),
                "seed {seed}: states differ after input {i} {input:?}"
            );
            // And one event at a time through the timed driver.
            for _ in 0..rng.below(4) {
                assert_eq!(a.step(), b.step());
                assert_eq!(
                    a.state_hash(),
                    b.state_hash(),
                    "seed {seed}: states differ at step {}",
                    a.step_count()
                );
                compared += 1;
            }
        }
        assert!(compared > 300);
        assert!(a.step_count() > 1_000, "the run should be busy");
        assert_eq!(a.events(), b.events(), "seed {seed}: event logs differ");
        assert!(!a.events().is_empty());
        assert_eq!(a.history(), b.history());
        assert_eq!(snapshot_json(&a), snapshot_json(&b));
        assert_eq!(a.ledger(), b.ledger());
        assert_eq!(a.invariants(), b.invariants());
    }
}

/// Drives a cluster through its direct API (not `apply_input`): commands, `run_until`, `step`,
/// `run_steps` and manual `act` choices from `enabled()`.
fn drive_mixed(c: &mut Cluster, seed: u64, inputs: u32) {
    let mut rng = Rng::new(seed ^ 0xD1CE);
    let mut n = 0;
    for _ in 0..inputs {
        match next_input(c, &mut rng, &mut n) {
            Input::Command(cmd) => {
                let _ = c.apply(cmd); // rejected commands are not recorded
            }
            Input::Steps(k) if k % 2 == 0 => {
                for _ in 0..k {
                    c.step();
                }
            }
            Input::Steps(k) => {
                c.run_steps(k);
            }
            Input::RunUntil(t) => c.run_until(t),
            Input::Action(a) => c.act(a).expect("enabled actions are accepted"),
        }
    }
}

#[test]
fn replaying_the_history_reproduces_a_mixed_run() {
    for seed in 1..=12u64 {
        let mut c = Cluster::new(config(), seed).unwrap();
        drive_mixed(&mut c, seed, 300);
        let h = c.history();
        // The run really mixes every kind of input.
        assert!(h.iter().any(|i| matches!(i, Input::Command(_))));
        assert!(h.iter().any(|i| matches!(i, Input::Steps(_))));
        assert!(h.iter().any(|i| matches!(i, Input::RunUntil(_))));
        assert!(h
            .iter()
            .any(|i| matches!(i, Input::Action(Action::Deliver { .. }))));
        assert!(h
            .iter()
            .any(|i| matches!(i, Input::Action(Action::Fire { .. }))));

        let r = Cluster::replay(config(), seed, h).unwrap();
        assert_eq!(
            r.state_hash(),
            c.state_hash(),
            "seed {seed}: replay differs"
        );
        assert_eq!(
            r.events(),
            c.events(),
            "seed {seed}: replayed event log differs"
        );
        assert_eq!(r.history(), c.history());
        assert_eq!(r.now(), c.now());
        assert_eq!(r.step_count(), c.step_count());
        assert_eq!(snapshot_json(&r), snapshot_json(&c));

        // The run survives serialisation (how runs are shared): config and inputs as JSON.
        let cfg_json = serde_json::to_string(c.config()).unwrap();
        let inputs_json = serde_json::to_string(h).unwrap();
        let cfg: ClusterConfig = serde_json::from_str(&cfg_json).unwrap();
        let inputs: Vec<Input> = serde_json::from_str(&inputs_json).unwrap();
        assert_eq!(&cfg, c.config());
        let r2 = Cluster::replay(cfg, seed, &inputs).unwrap();
        assert_eq!(
            r2.state_hash(),
            c.state_hash(),
            "seed {seed}: JSON round trip"
        );

        // A prefix of the history replays to a state the run passed through.
        let half = h.len() / 2;
        let p1 = Cluster::replay(config(), seed, &h[..half]).unwrap();
        let p2 = Cluster::replay(config(), seed, &h[..half]).unwrap();
        assert_eq!(p1.state_hash(), p2.state_hash());
        assert_ne!(p1.state_hash(), c.state_hash());
    }
}

#[test]
fn replaying_fuzz_schedules_reproduces_them() {
    for profile in [
        FuzzProfile::Safe,
        FuzzProfile::Acks1,
        FuzzProfile::Unclean,
        FuzzProfile::HwTruncation,
    ] {
        for seed in 1..=40 {
            let o = run_schedule(profile.config(), seed, 60);
            let r = Cluster::replay(profile.config(), seed, o.cluster.history()).unwrap();
            assert_eq!(
                r.state_hash(),
                o.cluster.state_hash(),
                "profile {}, seed {seed}: replay differs",
                profile.name()
            );
            assert_eq!(r.invariants(), o.cluster.invariants());
            // And the schedule itself is a function of (config, seed, faults).
            let again = run_schedule(profile.config(), seed, 60);
            assert_eq!(again.cluster.state_hash(), o.cluster.state_hash());
        }
    }
}

#[test]
fn replay_rejects_an_input_the_state_does_not_allow() {
    let mut c = Cluster::new(config(), 5).unwrap();
    c.run_until(200);
    c.apply(Command::Crash {
        broker: 2,
        lose_unflushed: false,
    })
    .unwrap();
    let mut inputs = c.history().to_vec();
    // Crashing the same broker twice is impossible: replay names the input.
    inputs.push(Input::Command(Command::Crash {
        broker: 2,
        lose_unflushed: false,
    }));
    let e = Cluster::replay(config(), 5, &inputs).unwrap_err();
    assert_eq!(e.index, Some(inputs.len() - 1));
    assert!(e.message.contains("broker 2"), "{e}");
    assert!(e
        .to_string()
        .starts_with(&format!("input {}:", inputs.len())));
    // An invalid configuration is reported without an index.
    let mut bad = config();
    bad.brokers = 0;
    let e = Cluster::replay(bad, 5, &[]).unwrap_err();
    assert_eq!(e.index, None);
    assert!(e.message.contains("brokers"), "{e}");
}

#[test]
fn a_different_seed_gives_a_different_run() {
    let mut finals = Vec::new();
    for seed in 1..=8u64 {
        let mut c = Cluster::new(config(), seed).unwrap();
        // The same inputs for every seed: only the seed (network jitter) differs.
        for i in 0..20 {
            c.apply(Command::Produce {
                producer: 1,
                topic: None,
                partition: Some(0),
                key: None,
                value: format!("v{i}"),
                acks: None,
            })
            .unwrap();
            let t = c.now() + 37;
            c.run_until(t);
        }
        let t = c.now() + 3_000;
        c.run_until(t);
        // Time-only comparison: the event logs differ beyond the seed's RNG state.
        let times: Vec<(u64, u64)> = c.events().iter().map(|e| (e.step, e.time)).collect();
        finals.push((seed, c.state_hash(), times));
    }
    for (i, a) in finals.iter().enumerate() {
        for b in &finals[i + 1..] {
            assert_ne!(a.1, b.1, "seeds {} and {} give the same hash", a.0, b.0);
            assert_ne!(
                a.2, b.2,
                "seeds {} and {} give the same event timing",
                a.0, b.0
            );
        }
    }
}

#[test]
fn the_state_hash_sees_every_kind_of_change() {
    let base = {
        let mut c = Cluster::new(config(), 3).unwrap();
        c.run_until(500);
        c
    };
    let h = base.state_hash();
    let changed = |f: &dyn Fn(&mut Cluster)| {
        let mut c = base.clone();
        f(&mut c);
        c.state_hash()
    };
    let produce = |v: &'static str| {
        move |c: &mut Cluster| {
            c.apply(Command::Produce {
                producer: 1,
                topic: None,
                partition: Some(0),
                key: None,
                value: v.into(),
                acks: None,
            })
            .unwrap()
        }
    };
    let variants = [
        changed(&produce("x")),
        changed(&produce("y")),
        changed(&|c| c.run_until(501)),
        changed(&|c| {
            c.step();
        }),
        changed(&|c| {
            c.apply(Command::Cut {
                from: NodeId::Broker(1),
                to: NodeId::Broker(2),
                both: false,
            })
            .unwrap()
        }),
        changed(&|c| {
            c.apply(Command::Pause {
                node: NodeId::Broker(3),
            })
            .unwrap()
        }),
        changed(&|c| {
            c.apply(Command::Crash {
                broker: 4,
                lose_unflushed: false,
            })
            .unwrap()
        }),
        changed(&|c| {
            c.apply(Command::Slow {
                from: NodeId::Broker(1),
                to: NodeId::Controller,
                extra_ms: 10,
                both: false,
            })
            .unwrap()
        }),
    ];
    for (i, v) in variants.iter().enumerate() {
        assert_ne!(*v, h, "change {i} is invisible to the state hash");
        for (j, w) in variants.iter().enumerate().skip(i + 1) {
            assert_ne!(v, w, "changes {i} and {j} hash alike");
        }
    }
    // A rejected command changes nothing.
    let mut c = base.clone();
    assert!(c.apply(Command::Restart { broker: 1 }).is_err());
    assert_eq!(c.state_hash(), h);
    assert_eq!(c.history(), base.history());
}

#[test]
fn a_checkpoint_clone_steps_like_the_original() {
    for seed in [4u64, 8, 15] {
        let mut a = Cluster::new(config(), seed).unwrap();
        drive_mixed(&mut a, seed, 120);
        let checkpoint = a.clone();
        let at_checkpoint = a.state_hash();
        assert_eq!(checkpoint.state_hash(), at_checkpoint);

        // The original and a clone, driven by the same inputs, stay equal at every step.
        let mut b = checkpoint.clone();
        let mut rng = Rng::new(seed ^ 77);
        let mut n = 1_000;
        for i in 0..200 {
            let input = next_input(&a, &mut rng, &mut n);
            assert_eq!(a.apply_input(&input), b.apply_input(&input));
            assert_eq!(a.state_hash(), b.state_hash(), "seed {seed}: input {i}");
        }
        assert_eq!(a.events(), b.events());
        assert_ne!(a.state_hash(), at_checkpoint, "the run moved on");
        // Stepping the clones never touched the checkpoint (no shared mutable state).
        assert_eq!(checkpoint.state_hash(), at_checkpoint);
        // The checkpoint's history is a prefix of the run's and replays to the checkpoint.
        assert!(a.history().len() >= checkpoint.history().len());
        let r = Cluster::replay(config(), seed, checkpoint.history()).unwrap();
        assert_eq!(r.state_hash(), at_checkpoint);
    }
}

#[test]
fn tracing_does_not_change_the_simulation() {
    // The event log is for people; turning it off (benchmarks, fuzzing) must not change the run.
    for seed in 1..=6u64 {
        let mut on = Cluster::new(config(), seed).unwrap();
        drive_mixed(&mut on, seed, 200);
        let mut quiet = config();
        quiet.trace = false;
        let off = Cluster::replay(quiet, seed, on.history()).unwrap();
        assert!(off.events().is_empty());
        assert!(!on.events().is_empty());
        assert_eq!(off.state_hash(), on.state_hash(), "seed {seed}");
    }
}

/// When every pending event is addressed to a paused node, `Cluster::step` / `run_steps` fire
/// nothing, record nothing — and change nothing, so the history still replays (a later `drop` of
/// a message that was in flight must still find it).
#[test]
fn a_step_that_fires_nothing_changes_nothing() {
    let mut c = Cluster::new(config(), 1).unwrap();
    c.run_until(100);
    let mut nodes = vec![NodeId::Controller, NodeId::Producer(1), NodeId::Producer(2)];
    nodes.extend((1..=4).map(NodeId::Broker));
    for node in nodes {
        c.apply(Command::Pause { node }).unwrap();
    }
    let before = c.state_hash();
    assert_eq!(c.next_event_time(), None, "nothing can fire");
    assert!(!c.step());
    assert_eq!(c.run_steps(5), 0);
    let r = Cluster::replay(config(), 1, c.history()).unwrap();
    assert_eq!(
        r.state_hash(),
        c.state_hash(),
        "the history does not describe the state"
    );
    assert_eq!(
        c.state_hash(),
        before,
        "a step that fired nothing changed the state"
    );
}
