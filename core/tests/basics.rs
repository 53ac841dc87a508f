//! End-to-end behaviour of the cluster through its public API.

use highwater_core::config::ClusterConfig;
use highwater_core::{Cluster, Command};

fn produce(c: &mut Cluster, value: &str) {
    c.apply(Command::Produce {
        producer: 1,
        topic: None,
        partition: None,
        key: None,
        value: value.into(),
        acks: None,
    })
    .unwrap();
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
