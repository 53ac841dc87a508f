//! The benchmark workload, shared by `highwater bench`, the wasm measurement and Criterion-free
//! timing scripts: a busy cluster with continuous producing and random faults.

use crate::cluster::{BrokerStatus, Cluster};
use crate::command::Command;
use crate::config::{ClusterConfig, TopicConfig};
use crate::rng::Rng;

/// 5 brokers, 10 partitions with RF 3, 3 producers sending every millisecond, no event log.
pub fn busy_config() -> ClusterConfig {
    let mut c = ClusterConfig::default();
    c.trace = false;
    c.brokers = 5;
    c.producers = 3;
    c.topics = vec![TopicConfig {
        name: "t".into(),
        partitions: 10,
        replication_factor: 3,
        replicas: vec![],
        retention_bytes: None,
        retention_ms: None,
    }];
    c.broker.min_insync_replicas = 2;
    c.broker.replica_lag_time_max_ms = 2_000;
    c.broker.broker_session_timeout_ms = 1_500;
    c.broker.broker_heartbeat_interval_ms = 300;
    c.broker.replica_socket_timeout_ms = 2_000;
    c.network.latency_ms = 2;
    c.network.jitter_ms = 2;
    c
}

/// Runs the busy workload for `events` events (crashing and restarting a random broker every
/// 20,000 events); returns the number of events fired.
pub fn busy_cluster_run(seed: u64, events: u64) -> u64 {
    let mut c = Cluster::new(busy_config(), seed).expect("valid");
    // A benchmark does not need to be replayable: no input history.
    c.stop_recording();
    for p in 1..=3 {
        c.apply(Command::AutoProduce {
            producer: p,
            interval_ms: 1,
            topic: None,
            acks: None,
        })
        .expect("valid");
    }
    let mut rng = Rng::new(seed);
    let mut fired = 0;
    while fired < events {
        fired += c.run_steps(20_000);
        let b = 1 + rng.below(5) as u32;
        let cmd = if c.broker(b).is_some_and(|s| s.status == BrokerStatus::Up) {
            Command::Crash {
                broker: b,
                lose_unflushed: false,
            }
        } else {
            Command::Restart { broker: b }
        };
        let _ = c.apply(cmd);
    }
    fired
}

/// State hashes of a fixed mixed run (a random fault schedule, manual choices, time travel), for
/// comparing native and wasm executions: the web app's build script computes them natively and
/// its wasm-bindgen test recomputes them in the browser.
pub fn determinism_probe() -> Vec<u64> {
    use crate::fuzz::{run_schedule, FuzzProfile};
    use crate::timeline::Timeline;
    let mut hashes = Vec::new();
    for (seed, profile) in [
        (1, FuzzProfile::Safe),
        (2, FuzzProfile::Acks1),
        (3, FuzzProfile::HwTruncation),
        (4, FuzzProfile::Unclean),
    ] {
        hashes.push(
            run_schedule(profile.config(), seed, 40)
                .cluster
                .state_hash(),
        );
    }
    let mut t = Timeline::new(busy_config(), 7).expect("valid");
    let _ = t.apply(Command::AutoProduce {
        producer: 1,
        interval_ms: 5,
        topic: None,
        acks: None,
    });
    t.run_until(2_000);
    let _ = t.apply(Command::Crash {
        broker: 1,
        lose_unflushed: true,
    });
    t.run_until(4_000);
    if let Some(e) = t.current().enabled().into_iter().next() {
        let _ = t.act(e.action);
    }
    hashes.push(t.current().state_hash());
    let mid = t.step() / 2;
    t.seek(mid);
    hashes.push(t.current().state_hash());
    hashes.push(text_hash(t.events()));

    // With consumers in a group (an idempotent producer, a broker crash, a rebalance), the state
    // and the event log's text.
    let mut cfg = ClusterConfig::default();
    cfg.consumers = 3;
    cfg.topics[0].partitions = 3;
    let mut t = Timeline::new(cfg, 11).expect("valid");
    let _ = t.apply(Command::AutoProduce {
        producer: 1,
        interval_ms: 20,
        topic: None,
        acks: None,
    });
    t.run_until(8_000);
    let _ = t.apply(Command::Crash {
        broker: 2,
        lose_unflushed: false,
    });
    let _ = t.apply(Command::Pause {
        node: crate::types::NodeId::Consumer(1),
    });
    t.run_until(70_000);
    hashes.push(t.current().state_hash());
    hashes.push(text_hash(t.events()));

    // A long run: the busy workload for 60,000 events.
    let mut c = Cluster::new(busy_config(), 5).expect("valid");
    let _ = c.apply(Command::AutoProduce {
        producer: 2,
        interval_ms: 1,
        topic: None,
        acks: None,
    });
    c.run_steps(60_000);
    hashes.push(c.state_hash());
    hashes
}

/// FNV-1a over the events' text, in order: the event log as a reader sees it.
fn text_hash(events: &[crate::event::Event]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for e in events {
        for b in e.to_string().bytes().chain([b'\n']) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}
