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
    /// Parses a profile name (`safe`, `acks1`, `unclean`, `hw-truncation`).
    pub fn parse(s: &str) -> Option<FuzzProfile> {
        match s {
            "safe" => Some(FuzzProfile::Safe),
            "acks1" | "acks=1" => Some(FuzzProfile::Acks1),
            "unclean" => Some(FuzzProfile::Unclean),
            "hw-truncation" | "hw" => Some(FuzzProfile::HwTruncation),
            _ => None,
        }
    }

    /// The profile's name, as [`FuzzProfile::parse`] reads it.
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
            retention_bytes: None,
            retention_ms: None,
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
        // The profiles were written for a plain at-least-once producer; they keep it, so that
        // their schedules and findings stay what they were (idempotence has its own tests).
        c.producer.enable_idempotence = Some(false);
        match self {
            FuzzProfile::Safe => {}
            FuzzProfile::Acks1 => c.producer.acks = Some(Acks::Leader),
            FuzzProfile::Unclean => c.broker.unclean_leader_election_enable = Some(true),
            FuzzProfile::HwTruncation => c.profile.truncation = Some(TruncationMode::HighWatermark),
        }
        c
    }
}

/// One fault or workload action of a schedule, at a virtual time.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultStep {
    /// The simulated time the step applies.
    pub at: Millis,
    /// What the step does.
    pub action: FaultAction,
}

/// What a schedule step does.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultAction {
    /// Apply a user command (a fault, a produce).
    Command(Command),
    /// Drop the n-th message in flight (message ids depend on the history, positions do not).
    DropNth(usize),
}

/// The result of one schedule.
#[derive(Clone, Debug)]
pub struct FuzzOutcome {
    /// The seed the schedule was drawn from.
    pub seed: u64,
    /// The cluster at the end of the run.
    pub cluster: Cluster,
    /// The actions that were applied, for replay and shrinking.
    pub schedule: Vec<FaultStep>,
    /// Broken invariants: (name, promised, first violation).
    pub violations: Vec<(String, bool, Violation)>,
}

impl FuzzOutcome {
    /// The violations of invariants that Kafka promises under the run's configuration.
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
    let mut schedule = Vec::new();
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
                if n > 0 {
                    let k = rng.below(n) as usize;
                    let step = FaultStep {
                        at: c.now(),
                        action: FaultAction::DropNth(k),
                    };
                    apply_fault(&mut c, &step.action);
                    schedule.push(step);
                }
                None
            }
            _ => Some(Command::Cut {
                from: NodeId::Broker(b),
                to: NodeId::Controller,
                both: true,
            }),
        };
        if let Some(cmd) = cmd {
            // Commands the state does not allow are skipped.
            if c.apply(cmd.clone()).is_ok() {
                schedule.push(FaultStep {
                    at: c.now(),
                    action: FaultAction::Command(cmd),
                });
            }
        }
    }
    settle(&mut c);
    let violations = violations_of(&c);
    FuzzOutcome {
        seed,
        cluster: c,
        schedule,
        violations,
    }
}

fn apply_fault(c: &mut Cluster, action: &FaultAction) -> bool {
    match action {
        FaultAction::Command(cmd) => c.apply(cmd.clone()).is_ok(),
        FaultAction::DropNth(k) => {
            let message = c.in_flight().nth(*k).map(|e| e.id);
            match message {
                Some(message) => c.apply(Command::Drop { message }).is_ok(),
                None => false,
            }
        }
    }
}

fn violations_of(c: &Cluster) -> Vec<(String, bool, Violation)> {
    c.invariants()
        .iter()
        .filter_map(|s| {
            s.first_violation
                .clone()
                .map(|v| (s.name.to_string(), s.promised, v))
        })
        .collect()
}

/// Replays a schedule (then the same quiet period) from scratch.
pub fn replay(cfg: ClusterConfig, seed: u64, schedule: &[FaultStep]) -> Cluster {
    let mut c = Cluster::new(cfg, seed).expect("fuzz configs are valid");
    for step in schedule {
        c.run_until(step.at);
        apply_fault(&mut c, &step.action);
    }
    settle(&mut c);
    c
}

/// Shrinks a schedule that breaks `invariant` to a (locally) minimal one that still does:
/// delta debugging over chunks of decreasing size, each candidate replayed deterministically.
pub fn shrink(
    cfg: &ClusterConfig,
    seed: u64,
    schedule: &[FaultStep],
    invariant: &str,
) -> Vec<FaultStep> {
    let breaks = |s: &[FaultStep]| {
        replay(cfg.clone(), seed, s)
            .invariants()
            .iter()
            .any(|i| i.name == invariant && !i.holds())
    };
    let mut current = schedule.to_vec();
    if !breaks(&current) {
        return current;
    }
    let mut chunk = current.len().div_ceil(2).max(1);
    loop {
        let mut i = 0;
        while i < current.len() {
            let mut candidate = current.clone();
            candidate.drain(i..(i + chunk).min(current.len()));
            if breaks(&candidate) {
                current = candidate;
            } else {
                i += chunk;
            }
        }
        if chunk == 1 {
            break;
        }
        chunk = chunk.div_ceil(2);
    }
    current
}

/// Writes a schedule as a scenario file that replays it and expects `invariant` to break.
#[cfg(feature = "toml")]
pub fn to_scenario(
    name: &str,
    cfg: &ClusterConfig,
    seed: u64,
    schedule: &[FaultStep],
    invariant: &str,
) -> String {
    use crate::scenario::step_form::step_line;
    let mut out = String::new();
    out.push_str(&format!("name = {:?}\n", name));
    out.push_str("description = \"Found by highwater fuzz and shrunk to a minimal schedule.\"\n");
    out.push_str(&format!("seed = {seed}\n\n"));
    // The event log is wanted when a person replays the file.
    let mut shown = cfg.clone();
    shown.trace = true;
    let config = toml::to_string(&ConfigFile { config: shown }).unwrap_or_default();
    out.push_str(&config);
    // Replay the schedule to learn what each drop refers to.
    let mut c = Cluster::new(cfg.clone(), seed).expect("valid");
    for step in schedule {
        if step.at > c.now() {
            out.push_str(&format!("\n[[step]]\nrun_ms = {}\n", step.at - c.now()));
            c.run_until(step.at);
        }
        let line = match &step.action {
            FaultAction::Command(cmd) => {
                crate::scenario::step_form::command_step(cmd).map(|a| step_line(&a))
            }
            FaultAction::DropNth(k) => c.in_flight().nth(*k).map(|e| {
                format!(
                    "drop = {{ kind = {:?}, from = \"{}\", to = \"{}\" }}",
                    e.msg.kind().name(),
                    e.from,
                    e.to
                )
            }),
        };
        apply_fault(&mut c, &step.action);
        if let Some(line) = line {
            out.push_str(&format!("\n[[step]]\n{line}\n"));
        }
    }
    out.push_str("\n[[step]]\nnote = \"Heal, resume and restart everything, then let the cluster settle.\"\nheal = true\n");
    for b in 1..=cfg.brokers {
        if c.is_paused(NodeId::Broker(b)) {
            out.push_str(&format!("\n[[step]]\nresume = \"b{b}\"\n"));
        }
        if c.broker(b).is_some_and(|s| s.status != BrokerStatus::Up) {
            out.push_str(&format!("\n[[step]]\nrestart = \"b{b}\"\n"));
        }
    }
    out.push_str(&format!(
        "\n[[step]]\nrun_ms = 15000\nexpect = {{ broken = [{:?}] }}\n",
        invariant
    ));
    out
}

#[cfg(feature = "toml")]
#[derive(serde::Serialize)]
pub(crate) struct ConfigFile {
    pub(crate) config: ClusterConfig,
}

/// Quiet period: heal, resume, restart, settle.
fn settle(c: &mut Cluster) {
    let brokers = c.config().brokers;
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invariants::names;
    use crate::scenario::Scenario;

    #[test]
    fn replay_reproduces_the_generating_run() {
        let o = run_schedule(FuzzProfile::Safe.config(), 7, 40);
        let again = replay(FuzzProfile::Safe.config(), 7, &o.schedule);
        assert_eq!(again.state_hash(), o.cluster.state_hash());
    }

    #[test]
    fn acks1_loss_shrinks_to_a_small_schedule_that_replays_as_a_scenario() {
        let cfg = FuzzProfile::Acks1.config();
        let found = (1..200)
            .map(|seed| run_schedule(cfg.clone(), seed, 60))
            .find(|o| o.violations.iter().any(|v| v.0 == names::NO_ACKED_LOSS))
            .expect("acks=1 loses an acknowledged record under some schedule");
        let small = shrink(&cfg, found.seed, &found.schedule, names::NO_ACKED_LOSS);
        assert!(
            small.len() < found.schedule.len(),
            "{} → {}",
            found.schedule.len(),
            small.len()
        );
        assert!(
            small.len() <= 8,
            "a minimal acks=1 loss needs few actions, got {small:?}"
        );
        let text = to_scenario(
            "acks=1 loss",
            &cfg,
            found.seed,
            &small,
            names::NO_ACKED_LOSS,
        );
        let scenario = Scenario::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let report = scenario.run().unwrap();
        assert!(
            report.passed(),
            "the written scenario reproduces the loss:\n{text}"
        );
    }
}
