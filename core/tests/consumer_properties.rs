//! Properties of the consuming side over many seeded random fault schedules (test layer 3):
//!
//! * with commit-after-processing (at-least-once), once the faults stop and the group catches
//!   up, every record below the HW of every partition leader has been processed (R7.3);
//! * with the dedup sink on, no record's processing takes effect twice;
//! * "one owner per partition per generation" and every other promised invariant hold (R7.4).
//!
//! Faults: consumers crash, restart, stall (pause) and get cut off; brokers (the group
//! coordinator among them) crash and restart, one at a time. A failure names the seed.

#![allow(clippy::field_reassign_with_default)]

use highwater_core::cluster::{BrokerStatus, Cluster};
use highwater_core::command::Command;
use highwater_core::config::{ClusterConfig, CommitMode, OffsetReset};
use highwater_core::fuzz::FuzzProfile;
use highwater_core::rng::Rng;
use highwater_core::types::NodeId;

/// Schedules per property and faults per schedule.
const SCHEDULES: u64 = 300;
const FAULTS: u32 = 60;

fn config(consumers: u32, dedup: bool) -> ClusterConfig {
    let mut c = FuzzProfile::Safe.config();
    c.topics[0].partitions = 2;
    c.consumers = consumers;
    c.consumer.commit = CommitMode::AfterProcessing;
    c.consumer.dedup = dedup;
    // A group that starts after the first writes must still read them all.
    c.consumer.auto_offset_reset = OffsetReset::Earliest;
    // Short sessions for fast runs: the brokers allow them (group.min.session.timeout.ms).
    c.broker.group_min_session_timeout_ms = 1_000;
    c.consumer.session_timeout_ms = 1_500;
    c.consumer.heartbeat_interval_ms = 300;
    c.consumer.max_poll_interval_ms = 3_000;
    c.consumer.request_timeout_ms = 2_000;
    c.consumer.processing_ms = 20;
    c.consumer.fetch_max_wait_ms = 100;
    c
}

/// Applies `faults` random faults and writes, then heals, restarts everything and lets the
/// group catch up.
fn run(cfg: ClusterConfig, seed: u64, faults: u32) -> Cluster {
    let mut c = Cluster::new(cfg, seed).unwrap();
    let mut rng = Rng::new(seed ^ 0xC0_5E_ED);
    let consumers = c.config().consumers;
    let brokers = c.config().brokers;
    let mut produced = 0;
    for _ in 0..faults {
        let t = c.now() + 20 + rng.below(300);
        c.run_until(t);
        let k = 1 + rng.below(consumers as u64) as u32;
        let node = NodeId::consumer(k);
        let b = 1 + rng.below(brokers as u64) as u32;
        let brokers_down = c
            .brokers()
            .filter(|(_, s)| s.status != BrokerStatus::Up)
            .count();
        let cmd = match rng.below(100) {
            0..=49 => {
                produced += 1;
                Command::Produce {
                    producer: 1,
                    topic: None,
                    partition: None,
                    key: None,
                    value: format!("v{produced}"),
                    acks: None,
                }
            }
            50..=57 => Command::CrashConsumer { consumer: k },
            58..=67 => Command::RestartConsumer { consumer: k },
            68..=73 => Command::Pause { node },
            74..=81 => Command::Resume { node },
            82..=85 => Command::Isolate { node },
            86..=89 => Command::Heal { node: None },
            90..=94 if brokers_down == 0 => Command::Crash {
                broker: b,
                lose_unflushed: false,
            },
            _ => Command::Restart { broker: b },
        };
        let _ = c.apply(cmd); // commands the state does not allow are skipped
    }
    c.apply(Command::Heal { node: None }).unwrap();
    for k in 1..=consumers {
        let node = NodeId::consumer(k);
        if c.is_paused(node) {
            c.apply(Command::Resume { node }).unwrap();
        }
        if c.consumer(k).unwrap().status != BrokerStatus::Up {
            c.apply(Command::RestartConsumer { consumer: k }).unwrap();
        }
    }
    for b in 1..=brokers {
        if c.broker(b).unwrap().status != BrokerStatus::Up {
            c.apply(Command::Restart { broker: b }).unwrap();
        }
    }
    let t = c.now() + 30_000;
    c.run_until(t);
    c
}

/// Records below the HW of each partition's current leader that the group never processed.
fn unprocessed(c: &Cluster) -> Vec<String> {
    let mut missing = Vec::new();
    for tp in c.partitions() {
        let leader = c.controller().partitions[&tp].leader.expect("healed");
        let log = &c.broker(leader).unwrap().broker.partitions[&tp].log;
        for r in log.slice(0, log.high_watermark()) {
            let e = c.ledger().get(r.id).unwrap();
            if e.consumed.iter().all(|x| x.skipped) {
                missing.push(format!(
                    "{} (p{} offset {})",
                    e.value, tp.partition, r.offset
                ));
            }
        }
    }
    missing
}

fn check_invariants(c: &Cluster, seed: u64) {
    for s in c.invariants() {
        assert!(
            !s.promised || s.holds(),
            "seed {seed}: promised invariant {:?} broken: {:?}",
            s.name,
            s.first_violation
        );
    }
}

#[test]
fn at_least_once_processes_every_committed_record() {
    let (mut records, mut rebalances, mut duplicates) = (0, 0, 0);
    for seed in 0..SCHEDULES {
        let c = run(config(2, false), seed, FAULTS);
        let missing = unprocessed(&c);
        assert!(
            missing.is_empty(),
            "seed {seed}: never processed: {missing:?}"
        );
        check_invariants(&c, seed);
        records += c
            .ledger()
            .entries
            .iter()
            .filter(|e| e.committed.is_some())
            .count();
        rebalances += c.group_coordinator().map_or(0, |(_, g)| g.generation);
        duplicates += c.ledger().consumer_duplicates().len();
    }
    eprintln!("coverage: {SCHEDULES} schedules, {records} committed records, {rebalances} generations, {duplicates} replayed");
    // The schedules must exercise the group: records, rebalances and at-least-once replays.
    assert!(records > 5_000, "{records} committed records");
    assert!(rebalances > 1_000, "{rebalances} generations");
    assert!(duplicates > 0, "no replay at all: the faults do not bite");
}

#[test]
fn dedup_never_lets_a_record_take_effect_twice() {
    let mut skipped = 0;
    for seed in 10_000..10_000 + SCHEDULES {
        let c = run(config(3, true), seed, FAULTS);
        assert!(
            c.ledger().consumer_duplicates().is_empty(),
            "seed {seed}: processed twice despite dedup"
        );
        let missing = unprocessed(&c);
        assert!(
            missing.is_empty(),
            "seed {seed}: never processed: {missing:?}"
        );
        check_invariants(&c, seed);
        skipped += c.ledger().dedup_skipped().len();
    }
    eprintln!("coverage: {SCHEDULES} schedules, {skipped} records dropped by the dedup sink");
    assert!(skipped > 0, "the dedup sink never had anything to drop");
}

#[test]
fn consumer_runs_are_deterministic_and_replay_from_their_history() {
    for seed in [1, 2, 3] {
        let a = run(config(3, false), seed, 60);
        let b = run(config(3, false), seed, 60);
        assert_eq!(a.state_hash(), b.state_hash(), "seed {seed}");
        assert_eq!(
            serde_json::to_string(&a.snapshot()).unwrap(),
            serde_json::to_string(&b.snapshot()).unwrap()
        );
        let replayed = Cluster::replay(config(3, false), seed, a.history()).unwrap();
        assert_eq!(replayed.state_hash(), a.state_hash(), "seed {seed}: replay");
        let mut traced = config(3, false);
        traced.trace = true;
        let t = run(traced, seed, 60);
        assert_eq!(
            t.state_hash(),
            a.state_hash(),
            "seed {seed}: tracing changed the run"
        );
    }
    let other = run(config(3, false), 4, 60);
    assert_ne!(
        other.state_hash(),
        run(config(3, false), 1, 60).state_hash()
    );
}
