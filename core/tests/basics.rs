//! End-to-end behaviour of the cluster through its public API.

mod common;

use highwater_core::config::ClusterConfig;
use highwater_core::{Cluster, Command};

fn produce(c: &mut Cluster, value: &str) {
    c.apply(common::produce(value)).unwrap();
}

#[test]
fn s1_record_is_replicated_committed_and_acked() {
    // KAFKA-SEMANTICS S1: baseline replication and HW propagation.
    let mut c = Cluster::new(ClusterConfig::default(), 1).unwrap();
    c.run_until(100);
    produce(&mut c, "a");
    c.run_until(2_000);
    let e = c.ledger().find_by_value("a").unwrap();
    assert!(e.acked.is_some(), "acked");
    assert!(e.committed.is_some(), "committed");
    for (_, s) in c.brokers() {
        let p = s.broker.partitions.values().next().unwrap();
        assert_eq!(p.log.leo(), 1);
        assert_eq!(
            p.log.high_watermark(),
            1,
            "b{} learns the HW one fetch later",
            s.broker.id
        );
    }
    assert!(c.invariants().iter().all(|i| i.holds()));
    let snap = c.snapshot();
    assert_eq!(
        snap.record_replicas.get(&e.id),
        Some(&vec![1, 2, 3]),
        "every replica holds a"
    );
}

#[test]
fn snapshot_lists_only_the_replicas_that_hold_a_record() {
    let mut c = Cluster::new(ClusterConfig::default(), 2).unwrap();
    c.run_until(100);
    // Followers b2 and b3 cannot hear from the leader: the record stays on b1 alone.
    for f in ["b2", "b3"] {
        c.apply(Command::Cut {
            from: "b1".parse().unwrap(),
            to: f.parse().unwrap(),
            both: false,
        })
        .unwrap();
    }
    produce(&mut c, "x");
    c.run_until(1_000);
    let id = c.ledger().find_by_value("x").unwrap().id;
    assert_eq!(c.snapshot().record_replicas.get(&id), Some(&vec![1]));
}

#[test]
fn an_acks1_override_lost_under_a_durable_config_is_not_a_broken_promise() {
    // R2.7: the durability promise covers acks=all writes; a record sent with acks=1 may be lost.
    use highwater_core::config::Acks;
    use highwater_core::invariants::names;
    let mut cfg = ClusterConfig::default();
    cfg.broker.min_insync_replicas = 2;
    cfg.broker.broker_session_timeout_ms = 3_000;
    cfg.broker.broker_heartbeat_interval_ms = 1_000;
    assert!(cfg.is_durable());
    let mut c = Cluster::new(cfg, 5).unwrap();
    c.run_until(100);
    for f in ["b2", "b3"] {
        c.apply(Command::Cut {
            from: "b1".parse().unwrap(),
            to: f.parse().unwrap(),
            both: false,
        })
        .unwrap();
    }
    let value = "fast";
    c.apply(Command::Produce {
        producer: 1,
        topic: None,
        partition: None,
        key: None,
        value: value.into(),
        acks: Some(Acks::Leader),
    })
    .unwrap();
    c.run_until(500);
    assert!(c.ledger().find_by_value(value).unwrap().acked.is_some());
    c.apply(Command::Crash {
        broker: 1,
        lose_unflushed: false,
    })
    .unwrap();
    c.apply(Command::Heal { node: None }).unwrap();
    c.run_until(8_000);
    let e = c.ledger().find_by_value(value).unwrap();
    assert!(
        e.lost.is_some(),
        "the acks=1 record is gone with its leader"
    );
    let s = c
        .invariants()
        .iter()
        .find(|s| s.name == names::NO_ACKED_LOSS)
        .unwrap();
    assert!(s.promised && s.holds(), "{:?}", s.first_violation);
}
