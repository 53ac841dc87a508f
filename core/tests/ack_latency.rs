//! Produce-to-acknowledgement latency per `acks` setting (read model `latency.rs`, issue 13
//! item 4): records sent with acks=0, 1 and all in one run are told apart, and their latencies
//! order as Kafka's acknowledgement rules say (R2.6, R2.7): acks=0 answers at send, acks=1 after
//! the leader's append, acks=all only after the followers' next fetch moves the HW past the record.

mod common;

use highwater_core::config::{Acks, ClusterConfig};
use highwater_core::read_model::AckLatencyGroup;
use highwater_core::{Cluster, Command};

fn send(c: &mut Cluster, value: &str, acks: Acks) {
    let mut cmd = common::produce(value);
    if let Command::Produce { acks: a, .. } = &mut cmd {
        *a = Some(acks);
    }
    c.apply(cmd).unwrap();
}

fn group(c: &Cluster, acks: Acks) -> AckLatencyGroup {
    c.ack_latency()
        .groups
        .into_iter()
        .find(|g| g.acks == acks)
        .unwrap_or_else(|| panic!("no group for acks={}", acks.as_str()))
}

#[test]
fn acks_0_1_and_all_are_compared_in_one_run() {
    let mut cfg = ClusterConfig::default();
    cfg.network.latency_ms = 5;
    cfg.network.jitter_ms = 0;
    let mut c = Cluster::new(cfg, 3).unwrap();
    c.run_until(2_000);
    assert!(c.ack_latency().groups.is_empty(), "nothing sent yet");
    for i in 0..6 {
        for acks in [Acks::None, Acks::Leader, Acks::All] {
            send(&mut c, &format!("{}-{i}", acks.as_str()), acks);
        }
        c.run_until(c.now() + 1_000);
    }
    let (zero, one, all) = (
        group(&c, Acks::None),
        group(&c, Acks::Leader),
        group(&c, Acks::All),
    );
    for g in [&zero, &one, &all] {
        assert_eq!(g.acked, 6, "{g:?}");
        assert_eq!((g.waiting, g.failed), (0, 0), "{g:?}");
        assert_eq!(g.histogram.iter().sum::<u32>(), 6, "{g:?}");
        assert!(g.p50_ms <= g.p95_ms && g.p95_ms <= g.max_ms, "{g:?}");
    }
    // acks=1 waits a round trip to the leader (2 × 5 ms at least); acks=all longer still.
    assert!(zero.p50_ms < one.p50_ms, "{zero:?} {one:?}");
    assert!(one.p50_ms.unwrap() >= 10, "{one:?}");
    assert!(all.p50_ms > one.p50_ms, "{one:?} {all:?}");
    // In the JSON snapshot too, in the order 0, 1, all.
    let snap = serde_json::to_value(c.snapshot()).unwrap();
    let acks: Vec<_> = snap["ack_latency"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["acks"].clone())
        .collect();
    assert_eq!(acks, ["0", "1", "all"]);
}

/// A record the producer is still waiting for, and one it gave up on, are counted apart and
/// not in the percentiles.
#[test]
fn waiting_and_failed_records_are_not_latencies() {
    let mut cfg = ClusterConfig::default();
    cfg.producer.delivery_timeout_ms = 3_000;
    cfg.producer.request_timeout_ms = 1_000;
    let mut c = Cluster::new(cfg, 5).unwrap();
    c.run_until(2_000);
    send(&mut c, "ok", Acks::All);
    c.run_until(c.now() + 1_000);
    // Isolate the leader: the next record can be neither acknowledged nor refused soon.
    let leader = c.snapshot().partitions[0].leader.unwrap();
    c.apply(Command::Isolate {
        node: highwater_core::types::NodeId::Broker(leader),
    })
    .unwrap();
    send(&mut c, "stuck", Acks::All);
    c.run_until(c.now() + 100);
    let g = group(&c, Acks::All);
    assert_eq!((g.acked, g.waiting, g.failed), (1, 1, 0), "{g:?}");
    assert_eq!(g.p50_ms, g.max_ms, "one latency: {g:?}");
    c.run_until(c.now() + 10_000);
    let g = group(&c, Acks::All);
    assert_eq!(g.acked + g.failed + g.waiting, 2, "{g:?}");
    assert!(g.acked == 2 || g.failed == 1, "{g:?}");
}
