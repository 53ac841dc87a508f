//! Seeded random fault schedules (test layer 3): a workload of produces interleaved with crashes,
//! restarts, pauses, network cuts and dropped messages, then a quiet period to heal. Used by the
//! property tests, `highwater fuzz` and the benchmark.

use crate::cluster::{BrokerStatus, Cluster};
use crate::command::Command;
use crate::config::{Acks, ClusterConfig, TopicConfig, TruncationMode};
use crate::invariants::Violation;
use crate::rng::Rng;
use crate::types::{Millis, NodeId};

/// Which configuration to fuzz.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuzzProfile {
    /// acks=all, min.insync.replicas=2, clean elections, leader-epoch truncation.
    Safe,
    /// As safe, but acks=1.
    Acks1,
    /// As safe, but unclean.leader.election.enable=true.
    Unclean,
    /// As safe, but truncation to the high watermark (Kafka ≤ 0.10).
    HwTruncation,
}

impl FuzzProfile {
    pub fn parse(s: &str) -> Option<FuzzProfile> {
        match s {
            "safe" => Some(FuzzProfile::Safe),
            "acks1" | "acks=1" => Some(FuzzProfile::Acks1),
            "unclean" => Some(FuzzProfile::Unclean),
            "hw-truncation" | "hw" => Some(FuzzProfile::HwTruncation),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FuzzProfile::Safe => "safe",
            FuzzProfile::Acks1 => "acks1",
            FuzzProfile::Unclean => "unclean",
            FuzzProfile::HwTruncation => "hw-truncation",
        }
    }

    /// A small, fast-moving cluster: 3 brokers, RF 3, timeouts scaled down so faults bite quickly.
    pub fn config(self) -> ClusterConfig {
        let mut c = ClusterConfig::default();
        c.trace = false;
        c.brokers = 3;
        c.topics = vec![TopicConfig {
            name: "t".into(),
            partitions: 1,
            replication_factor: 3,
            replicas: vec![],
        }];
        c.broker.min_insync_replicas = 2;
        c.broker.replica_lag_time_max_ms = 1_000;
        c.broker.replica_fetch_wait_max_ms = 100;
        c.broker.replica_fetch_backoff_ms = 100;
        c.broker.replica_socket_timeout_ms = 1_000;
        c.broker.broker_heartbeat_interval_ms = 200;
        c.broker.broker_session_timeout_ms = 900;
        c.producer.request_timeout_ms = 1_500;
        c.producer.delivery_timeout_ms = 6_000;
        c.network.latency_ms = 5;
        c.network.jitter_ms = 10;
        match self {
            FuzzProfile::Safe => {}
            FuzzProfile::Acks1 => c.producer.acks = Acks::Leader,
            FuzzProfile::Unclean => c.broker.unclean_leader_election_enable = true,
            FuzzProfile::HwTruncation => c.profile.truncation = TruncationMode::HighWatermark,
        }
        c
    }
}

/// The result of one schedule.
#[derive(Clone, Debug)]
pub struct FuzzOutcome {
    pub seed: u64,
    pub cluster: Cluster,
    /// Broken invariants: (name, promised, first violation).
    pub violations: Vec<(String, bool, Violation)>,
}

impl FuzzOutcome {
    pub fn promised_violations(&self) -> impl Iterator<Item = &(String, bool, Violation)> {
        self.violations.iter().filter(|v| v.1)
    }
}

/// Runs one random schedule of `faults` fault/workload actions on `cfg`, then heals everything
/// and lets the cluster settle.
pub fn run_schedule(cfg: ClusterConfig, seed: u64, faults: u32) -> FuzzOutcome {
    let mut c = Cluster::new(cfg, seed).expect("fuzz configs are valid");
    let mut rng = Rng::new(seed ^ 0x5EED_F0CC);
    let brokers = c.config().brokers;
    let mut produced = 0u64;
    for _ in 0..faults {
        let dt: Millis = 20 + rng.below(400);
        let t = c.now() + dt;
        c.run_until(t);
        let roll = rng.below(100);
        let b = 1 + rng.below(brokers as u64) as u32;
        let up = c.broker(b).is_some_and(|s| s.status == BrokerStatus::Up);
        let cmd = match roll {
            0..=44 => {
                produced += 1;
                Some(Command::Produce {
                    producer: 1,
                    topic: None,
                    partition: None,
                    key: None,
                    value: format!("v{produced}"),
                    acks: None,
                })
            }
            45..=54 if up => Some(Command::Crash {
                broker: b,
                lose_unflushed: false,
            }),
            55..=64 if !up => Some(Command::Restart { broker: b }),
            65..=69 => Some(Command::Isolate {
                node: NodeId::Broker(b),
            }),
            70..=74 => Some(Command::Heal { node: None }),
            75..=79 if up && !c.is_paused(NodeId::Broker(b)) => Some(Command::Pause {
                node: NodeId::Broker(b),
            }),
            80..=84 if c.is_paused(NodeId::Broker(b)) => Some(Command::Resume {
                node: NodeId::Broker(b),
            }),
            85..=89 => {
                let other = 1 + rng.below(brokers as u64) as u32;
                (other != b).then_some(Command::Cut {
                    from: NodeId::Broker(b),
                    to: NodeId::Broker(other),
                    both: rng.chance(0.5),
                })
            }
            90..=94 => {
                let n = c.in_flight().count() as u64;
                (n > 0).then(|| {
                    let k = rng.below(n) as usize;
                    Command::Drop {
                        message: c.in_flight().nth(k).expect("k < n").id,
                    }
                })
            }
            _ => Some(Command::Cut {
                from: NodeId::Broker(b),
                to: NodeId::Controller,
                both: true,
            }),
        };
        if let Some(cmd) = cmd {
            let _ = c.apply(cmd); // commands the state does not allow are skipped
        }
    }
    // Quiet period: heal, resume, restart, settle.
    let _ = c.apply(Command::Heal { node: None });
    for b in 1..=brokers {
        if c.is_paused(NodeId::Broker(b)) {
            let _ = c.apply(Command::Resume {
                node: NodeId::Broker(b),
            });
        }
        if c.broker(b).is_some_and(|s| s.status != BrokerStatus::Up) {
            let _ = c.apply(Command::Restart { broker: b });
        }
    }
    let t = c.now() + 15_000;
    c.run_until(t);
    let violations = c
        .invariants()
        .iter()
        .filter_map(|s| {
            s.first_violation
                .clone()
                .map(|v| (s.name.clone(), s.promised, v))
        })
        .collect();
    FuzzOutcome {
        seed,
        cluster: c,
        violations,
    }
}
