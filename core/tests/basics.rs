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
    for e in c.events() {
        println!("{e}");
    }
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
}
