//! The consuming side end to end: fetch below the HW, commit modes, crash and restart from the
//! committed offset, groups and rebalances (R7.1–R7.4).

#![allow(clippy::field_reassign_with_default)]

use highwater_core::command::Command;
use highwater_core::config::{ClusterConfig, CommitMode};
use highwater_core::invariants::names;
use highwater_core::Cluster;

fn config(consumers: u32, mode: CommitMode) -> ClusterConfig {
    let mut c = ClusterConfig::default();
    c.consumers = consumers;
    c.consumer.commit = mode;
    c.consumer.session_timeout_ms = 6_000;
    c.consumer.heartbeat_interval_ms = 1_000;
    c.consumer.auto_commit_interval_ms = 1_000;
    c
}

fn produce(c: &mut Cluster, values: &[&str]) {
    for v in values {
        c.apply(Command::Produce {
            producer: 1,
            topic: None,
            partition: None,
            key: None,
            value: v.to_string(),
            acks: None,
        })
        .unwrap();
    }
}

/// Values processed by consumer `id`, in order (dedup-skipped ones excluded).
fn consumed_by(c: &Cluster, id: u32) -> Vec<String> {
    let mut v: Vec<(u64, String)> = c
        .ledger()
        .entries
        .iter()
        .flat_map(|e| {
            e.consumed
                .iter()
                .filter(move |x| x.consumer == id && !x.skipped)
                .map(move |x| (x.at.step, e.value.clone()))
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, s)| s).collect()
}

#[test]
fn one_consumer_reads_every_committed_record_once() {
    let mut c = Cluster::new(config(1, CommitMode::AfterProcessing), 1).unwrap();
    produce(&mut c, &["a", "b", "c"]);
    c.run_until(10_000);
    let dump: Vec<String> = c.events().iter().map(|e| e.to_string()).collect();
    assert_eq!(consumed_by(&c, 1), ["a", "b", "c"], "{}", dump.join("\n"));
    let tp = c.partitions().next().unwrap();
    assert_eq!(c.group_committed().get(&tp), Some(&3));
    assert!(c.invariants().iter().all(|s| s.holds()));
    assert!(c
        .invariants()
        .iter()
        .any(|s| s.name == names::ONE_OWNER_PER_GENERATION));
}
