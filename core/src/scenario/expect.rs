//! Expectations about the observable state, checked after a step or awaited by `run_until`.

use crate::vec_map::VecMap;

use serde::Deserialize;

use crate::cluster::{BrokerStatus, Cluster};
use crate::ordered;
use crate::partition::{ListOffsetsQuery, Role};
use crate::types::{BrokerId, Epoch, NodeId, Offset, TopicPartition};

/// `leader = 2` or `leader = "none"`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum LeaderSpec {
    /// A broker id: that broker leads.
    Broker(BrokerId),
    /// `"none"`: no leader.
    Word(String),
}

/// Expectations about one replica (keyed by broker: `replica.2` or `replica.b2`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicaExpect {
    /// Record values in offset order.
    #[serde(default)]
    pub log: Option<Vec<String>>,
    /// Leader epoch of each record, in offset order.
    #[serde(default)]
    pub log_epochs: Option<Vec<Epoch>>,
    /// The replica's log end offset.
    #[serde(default)]
    pub leo: Option<Offset>,
    /// The replica's log start offset (retention, DeleteRecords).
    #[serde(default)]
    pub log_start: Option<Offset>,
    /// The replica's high watermark.
    #[serde(default)]
    pub hw: Option<Offset>,
    /// The replica's last stable offset (R6.6).
    #[serde(default)]
    pub lso: Option<Offset>,
    /// The leader-epoch cache as `[[epoch, start_offset], …]`.
    #[serde(default)]
    pub epoch_cache: Option<Vec<(Epoch, Offset)>>,
    /// "leader", "follower" or "none".
    #[serde(default)]
    pub role: Option<String>,
    /// The leader epoch this replica believes in.
    #[serde(default)]
    pub leader_epoch: Option<Epoch>,
    /// Leader only: the ISR the leader itself works with (the last one the controller committed,
    /// `Partition.partitionState.isr`); order ignored.
    #[serde(default)]
    pub isr: Option<Vec<BrokerId>>,
    /// Leader only: the maximal ISR (committed ISR plus a replica being added, KIP-497, R1.5).
    #[serde(default)]
    pub maximal_isr: Option<Vec<BrokerId>>,
    /// Leader only: the ISR proposed by an AlterPartition still in flight; `[]` = none (R2.3, R2.4).
    #[serde(default)]
    pub pending_isr: Option<Vec<BrokerId>>,
    /// Leader only: its view of each follower's LEO, `-1` = unknown (R1.4, R2.2):
    /// `remote_leo = { 2 = 1 }`.
    #[serde(default)]
    pub remote_leo: VecMap<String, Offset>,
    /// Leader only: `leaderEpochStartOffset` (R2.2).
    #[serde(default)]
    pub epoch_start_offset: Option<Offset>,
    /// What this replica answers to ListOffsets(LATEST, read_uncommitted) from a consumer: an
    /// offset, or an error name such as "OFFSET_NOT_AVAILABLE" (KIP-207, S11).
    #[serde(default)]
    pub latest_offset: Option<OffsetOrError>,
}

/// An offset, or a Kafka error name.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum OffsetOrError {
    Offset(Offset),
    Error(String),
}

/// Everything a step can expect. Unset fields are not checked.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Which partition the partition-level fields talk about (default: first topic, partition 0).
    #[serde(default)]
    pub topic: Option<String>,
    /// The partition of `topic` the partition-level expectations are about (default 0).
    #[serde(default)]
    pub partition: Option<u32>,
    /// The controller's leader for the partition (its registration: what the brokers will learn).
    #[serde(default)]
    pub leader: Option<LeaderSpec>,
    /// The leader as the brokers see it: every broker that is up and holds a replica of the
    /// partition agrees — the named broker acts as leader and every other one follows it;
    /// `"none"`: none acts as leader. Holds only once the brokers have applied the controller's
    /// metadata, which `leader` does not wait for.
    #[serde(default)]
    pub brokers_leader: Option<LeaderSpec>,
    /// The controller's leader epoch for the partition.
    #[serde(default)]
    pub leader_epoch: Option<Epoch>,
    /// The controller's ISR (order ignored).
    #[serde(default)]
    pub isr: Option<Vec<BrokerId>>,
    /// The controller's eligible leader replicas (KIP-966; order ignored).
    #[serde(default)]
    pub elr: Option<Vec<BrokerId>>,
    /// Expectations about each replica, keyed by broker.
    #[serde(default)]
    pub replica: VecMap<String, ReplicaExpect>,
    /// Broker process states: `status = { 2 = "crashed" }` ("up", "crashed", "stopped").
    #[serde(default)]
    pub status: VecMap<String, String>,
    /// Brokers the controller has fenced.
    #[serde(default)]
    pub fenced: Option<Vec<BrokerId>>,
    /// KIP-704 `leaderRecoveryState == RECOVERING` (set by an unclean election).
    #[serde(default)]
    pub recovering: Option<bool>,
    /// How many leader elections the controller made uncleanly so far (UncleanLeaderElectionsPerSec).
    #[serde(default)]
    pub unclean_elections: Option<u64>,
    /// Records (by value) reported acknowledged to the application.
    #[serde(default)]
    pub acked: Vec<String>,
    /// Records (by value) not acknowledged to the application.
    #[serde(default)]
    pub not_acked: Vec<String>,
    /// The offset each record's acknowledgement reported: `acked_at = { a = 0 }`.
    #[serde(default)]
    pub acked_at: VecMap<String, Offset>,
    /// Records a leader's HW has passed.
    #[serde(default)]
    pub committed: Vec<String>,
    /// Records no leader's HW has passed.
    #[serde(default)]
    pub not_committed: Vec<String>,
    /// Acknowledged records missing from the committed log.
    #[serde(default)]
    pub lost: Vec<String>,
    /// Records that must not be lost.
    #[serde(default)]
    pub not_lost: Vec<String>,
    /// Records appended more than once.
    #[serde(default)]
    pub duplicated: Vec<String>,
    /// Records that must not be duplicated.
    #[serde(default)]
    pub not_duplicated: Vec<String>,
    /// Records the producer gave up on.
    #[serde(default)]
    pub failed: Vec<String>,
    /// Error codes seen by any record (retriable or final), e.g. "NOT_ENOUGH_REPLICAS".
    #[serde(default)]
    pub errors: Vec<String>,
    /// Records that must have seen no error.
    #[serde(default)]
    pub no_errors: Vec<String>,
    /// Invariants (by name) that must have been broken by now.
    #[serde(default)]
    pub broken: Vec<String>,
    /// Invariants that must still hold.
    #[serde(default)]
    pub holds: Vec<String>,
    /// Shorthand: every invariant holds.
    #[serde(default)]
    pub all_invariants_hold: Option<bool>,

    // --- the consuming side (checked in `expect_consumers.rs`) ---
    /// Record values each consumer's application processed, in order (dedup skips excluded):
    /// `consumed = { c1 = ["a", "b"] }`.
    #[serde(default)]
    pub consumed: VecMap<String, Vec<String>>,
    /// Records the group processed at least once / never.
    #[serde(default)]
    pub processed: Vec<String>,
    /// Records the group never processed.
    #[serde(default)]
    pub not_processed: Vec<String>,
    /// Records the group processed more than once (consumer-side duplicates).
    #[serde(default)]
    pub processed_twice: Vec<String>,
    /// Records the group must not have processed more than once.
    #[serde(default)]
    pub not_processed_twice: Vec<String>,
    /// Committed records the group skipped although its committed offset moved past them.
    #[serde(default)]
    pub consumer_lost: Vec<String>,
    /// Records the group must not have skipped.
    #[serde(default)]
    pub not_consumer_lost: Vec<String>,
    /// Committed records deleted (retention, DeleteRecords) before the group processed them.
    #[serde(default)]
    pub deleted_unread: Vec<String>,
    /// Records that must not have been deleted before the group processed them.
    #[serde(default)]
    pub not_deleted_unread: Vec<String>,
    /// Records the dedup sink dropped (a second processing had no effect).
    #[serde(default)]
    pub dedup_skipped: Vec<String>,
    /// Records the group first processed after a record the same producer sent later to the
    /// same partition.
    #[serde(default)]
    pub out_of_order: Vec<String>,
    /// Records that must not be out of order.
    #[serde(default)]
    pub not_out_of_order: Vec<String>,
    /// The group's committed offsets by partition of `topic`: `committed_offset = { 0 = 3 }`
    /// (`-1` = none), as the coordinator answers OffsetFetch.
    #[serde(default)]
    pub committed_offset: VecMap<String, Offset>,
    /// The coordinator's generation, group state ("Empty", "PreparingRebalance",
    /// "CompletingRebalance", "Stable") and broker.
    #[serde(default)]
    pub generation: Option<i32>,
    /// The coordinator's group state.
    #[serde(default)]
    pub group_state: Option<String>,
    /// The coordinator's broker.
    #[serde(default)]
    pub coordinator: Option<BrokerId>,
    /// Which consumer owns each partition of `topic` now: `owner = { 0 = "c2", 1 = "none" }`.
    #[serde(default)]
    pub owner: VecMap<String, String>,
    /// A consumer's position per partition of `topic` — the next offset its `poll()` returns
    /// (R7.2; `-1` = no position): `position = { c1 = { 0 = 1 } }`.
    #[serde(default)]
    pub position: VecMap<String, VecMap<String, Offset>>,
    /// Errors consumers saw on offset commits, e.g. "ILLEGAL_GENERATION".
    #[serde(default)]
    pub commit_errors: Vec<String>,
    /// Consumers' offset commits that must have seen no error.
    #[serde(default)]
    pub no_commit_errors: Vec<String>,

    // --- transactions (checked in `expect_txn.rs`) ---
    /// The transaction coordinator's state of the run's transactional id: "Empty", "Ongoing",
    /// "PrepareCommit", "CompleteCommit", … (R6.1).
    #[serde(default)]
    pub txn_state: Option<String>,
    /// The producer epoch the coordinator holds for the transactional id (R6.2).
    #[serde(default)]
    pub txn_epoch: Option<i16>,
    /// The broker of the active transaction coordinator.
    #[serde(default)]
    pub txn_coordinator: Option<BrokerId>,
    /// Each producer's TransactionManager state: `producer_txn = { p1 = "READY", p2 = "FATAL_ERROR" }`.
    #[serde(default)]
    pub producer_txn: VecMap<String, String>,
    /// Records whose transaction a leader aborted (its ABORT marker is written).
    #[serde(default)]
    pub aborted: Vec<String>,
    /// Records whose transaction must not have been aborted.
    #[serde(default)]
    pub not_aborted: Vec<String>,
    /// Per input value of the pipeline: how many of its outputs a read_committed reader of the
    /// output topic sees (`outputs = { a = 1 }`: exactly once, R6.8).
    #[serde(default)]
    pub outputs: VecMap<String, usize>,
    /// Per input value: how many times the pipeline wrote it to the external system.
    #[serde(default)]
    pub external_writes: VecMap<String, u32>,
}

/// One checked expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// What was checked, in words.
    pub what: String,
    /// Whether the check held.
    pub passed: bool,
    /// What was actually there.
    pub actual: String,
}

fn broker_key(k: &str) -> Result<BrokerId, String> {
    match k.parse::<NodeId>() {
        Ok(NodeId::Broker(b)) => Ok(b),
        _ => Err(format!("{k:?} is not a broker (use 2 or \"b2\")")),
    }
}

impl Expect {
    /// Checks that names, brokers and partitions exist, so a typo is an error and not a failure.
    pub fn validate(&self, c: &Cluster) -> Result<(), String> {
        self.tp(c)?;
        let remote_keys = self.replica.values().flat_map(|r| r.remote_leo.keys());
        for k in self
            .replica
            .keys()
            .chain(self.status.keys())
            .chain(remote_keys)
        {
            let b = broker_key(k)?;
            if c.broker(b).is_none() {
                return Err(format!("there is no broker {b}"));
            }
        }
        for n in self.broken.iter().chain(&self.holds) {
            if !c.invariants().iter().any(|s| &s.name == n) {
                let known: Vec<&str> = c.invariants().iter().map(|s| &*s.name).collect();
                return Err(format!(
                    "unknown invariant {n:?}; known: {}",
                    known.join(", ")
                ));
            }
        }
        for e in self.errors.iter().chain(&self.no_errors) {
            if crate::protocol::ErrorCode::from_name(e).is_none() {
                return Err(format!("unknown error code {e:?}"));
            }
        }
        self.validate_consumers(c)?;
        for (key, spec) in [
            ("leader", &self.leader),
            ("brokers_leader", &self.brokers_leader),
        ] {
            if let Some(LeaderSpec::Word(w)) = spec {
                if w != "none" {
                    return Err(format!("{key} must be a broker id or \"none\", not {w:?}"));
                }
            }
        }
        for s in self.status.values() {
            if !["up", "crashed", "stopped"].contains(&s.as_str()) {
                return Err(format!("status must be up, crashed or stopped, not {s:?}"));
            }
        }
        for r in self.replica.values() {
            if let Some(OffsetOrError::Error(e)) = &r.latest_offset {
                if crate::protocol::ErrorCode::from_name(e).is_none() {
                    return Err(format!("unknown error code {e:?}"));
                }
            }
            if let Some(role) = &r.role {
                if !["leader", "follower", "none"].contains(&role.as_str()) {
                    return Err(format!(
                        "role must be leader, follower or none, not {role:?}"
                    ));
                }
            }
        }
        Ok(())
    }

    fn tp(&self, c: &Cluster) -> Result<TopicPartition, String> {
        let topic = self
            .topic
            .clone()
            .unwrap_or_else(|| c.config().topics[0].name.clone());
        let p = self.partition.unwrap_or(0);
        c.topic_partition(&topic, p)
            .ok_or_else(|| format!("there is no partition {topic}-{p}"))
    }

    /// Whether every expectation holds (fast path for `run_until`).
    pub fn holds(&self, c: &Cluster) -> bool {
        self.check(c).iter().all(|ch| ch.passed)
    }

    /// Evaluates every expectation.
    pub fn check(&self, c: &Cluster) -> Vec<Check> {
        let mut out = Vec::new();
        let Ok(tp) = self.tp(c) else { return out };
        let label = format!("{}-{}", c.topic_name(tp), tp.partition);
        let reg = c.controller().partitions.get(&tp);
        let mut push = |what: String, passed: bool, actual: String| {
            out.push(Check {
                what,
                passed,
                actual,
            })
        };
        if let Some(spec) = &self.leader {
            let want = match spec {
                LeaderSpec::Broker(b) => Some(*b),
                LeaderSpec::Word(_) => None,
            };
            let got = reg.and_then(|r| r.leader);
            push(
                format!("leader of {label} is {}", fmt_leader(want)),
                got == want,
                fmt_leader(got),
            );
        }
        if let Some(spec) = &self.brokers_leader {
            let want = match spec {
                LeaderSpec::Broker(b) => Some(*b),
                LeaderSpec::Word(_) => None,
            };
            // Each live replica's own view: itself when it leads, else the leader it follows.
            let views: Vec<(BrokerId, Option<BrokerId>)> = c
                .brokers()
                .filter(|(_, slot)| slot.status == BrokerStatus::Up)
                .filter_map(|(b, slot)| {
                    let p = slot.broker.partitions.get(&tp)?;
                    Some(match &p.role {
                        Role::Leader(_) => (*b, Some(*b)),
                        Role::Follower { leader } => (*b, *leader),
                        Role::Unknown => (*b, None),
                    })
                })
                .collect();
            let agree = views.iter().all(|(_, v)| *v == want)
                && want.is_none_or(|l| views.iter().any(|(b, _)| *b == l));
            let actual = views
                .iter()
                .map(|(b, v)| format!("b{b} sees {}", fmt_leader(*v)))
                .collect::<Vec<_>>()
                .join(", ");
            push(
                format!("the brokers see {} as leader of {label}", fmt_leader(want)),
                agree,
                if actual.is_empty() {
                    "no live replica".into()
                } else {
                    actual
                },
            );
        }
        if let Some(e) = self.leader_epoch {
            let got = reg.map_or(-1, |r| r.leader_epoch);
            push(
                format!("leader epoch of {label} is {e}"),
                got == e,
                got.to_string(),
            );
        }
        // Broker sets: order ignored.
        let sets = [
            ("ISR", &self.isr, reg.map(|r| r.isr.clone())),
            ("ELR", &self.elr, reg.map(|r| r.elr.clone())),
        ];
        for (name, want, got) in sets {
            if let Some(want) = want {
                let (mut want, mut got) = (want.clone(), got.unwrap_or_default());
                ordered::sort(&mut want);
                ordered::sort(&mut got);
                push(
                    format!("{name} of {label} is {want:?}"),
                    got == want,
                    format!("{got:?}"),
                );
            }
        }
        if let Some(want) = self.recovering {
            let got = reg.is_some_and(|r| r.recovering);
            push(
                format!(
                    "{label} is {}RECOVERING (KIP-704)",
                    if want { "" } else { "not " }
                ),
                got == want,
                if got { "RECOVERING" } else { "RECOVERED" }.into(),
            );
        }
        if let Some(want) = self.unclean_elections {
            let got = c.controller().unclean_elections;
            push(
                format!("the controller made {want} unclean election(s)"),
                got == want,
                got.to_string(),
            );
        }
        if let Some(f) = &self.fenced {
            let mut want = f.clone();
            ordered::sort(&mut want);
            let got: Vec<BrokerId> = c
                .controller()
                .brokers
                .iter()
                .filter(|(_, r)| r.fenced)
                .map(|(b, _)| *b)
                .collect();
            push(
                format!("fenced brokers are {want:?}"),
                got == want,
                format!("{got:?}"),
            );
        }
        for (k, want) in &self.status {
            let Ok(b) = broker_key(k) else { continue };
            let got = match c.broker(b).map(|s| s.status) {
                Some(BrokerStatus::Up) => "up",
                Some(BrokerStatus::Crashed) => "crashed",
                Some(BrokerStatus::Stopped) => "stopped",
                None => "missing",
            };
            push(format!("b{b} is {want}"), got == want, got.to_string());
        }
        for (k, r) in &self.replica {
            let Ok(b) = broker_key(k) else { continue };
            let Some(slot) = c.broker(b) else { continue };
            let Some(p) = slot.broker.partitions.get(&tp) else {
                push(
                    format!("b{b} has a replica of {label}"),
                    false,
                    "no replica".into(),
                );
                continue;
            };
            let log = &p.log;
            if let Some(want) = &r.log {
                let got: Vec<String> = log
                    .records()
                    .iter()
                    .map(|rec| match rec.txn {
                        // A marker reads as its kind (R6.5).
                        crate::txn::RecordTxn::Control(crate::txn::ControlKind::Commit) => {
                            "COMMIT".to_string()
                        }
                        crate::txn::RecordTxn::Control(crate::txn::ControlKind::Abort) => {
                            "ABORT".to_string()
                        }
                        _ => c
                            .ledger()
                            .get(rec.id)
                            .map_or_else(|| format!("r{}", rec.id), |e| e.value.clone()),
                    })
                    .collect();
                push(
                    format!("b{b} log of {label} is {want:?}"),
                    &got == want,
                    format!("{got:?}"),
                );
            }
            if let Some(want) = &r.log_epochs {
                let got: Vec<Epoch> = log.records().iter().map(|rec| rec.epoch).collect();
                push(
                    format!("b{b} record epochs of {label} are {want:?}"),
                    &got == want,
                    format!("{got:?}"),
                );
            }
            if let Some(want) = r.leo {
                push(
                    format!("b{b} LEO of {label} is {want}"),
                    log.leo() == want,
                    log.leo().to_string(),
                );
            }
            if let Some(want) = r.log_start {
                let got = log.log_start_offset();
                push(
                    format!("b{b} log start of {label} is {want}"),
                    got == want,
                    got.to_string(),
                );
            }
            if let Some(want) = r.hw {
                let got = log.high_watermark();
                push(
                    format!("b{b} HW of {label} is {want}"),
                    got == want,
                    got.to_string(),
                );
            }
            if let Some(want) = r.lso {
                let got = log.last_stable_offset();
                push(
                    format!("b{b} LSO of {label} is {want}"),
                    got == want,
                    got.to_string(),
                );
            }
            if let Some(want) = &r.epoch_cache {
                let got: Vec<(Epoch, Offset)> = log
                    .epoch_cache()
                    .entries()
                    .iter()
                    .map(|e| (e.epoch, e.start_offset))
                    .collect();
                push(
                    format!("b{b} epoch cache of {label} is {want:?}"),
                    &got == want,
                    format!("{got:?}"),
                );
            }
            if let Some(want) = &r.role {
                let got = if slot.status != BrokerStatus::Up {
                    "none"
                } else {
                    match p.role {
                        Role::Leader(_) => "leader",
                        Role::Follower { .. } => "follower",
                        Role::Unknown => "none",
                    }
                };
                push(
                    format!("b{b} is {want} of {label}"),
                    got == want,
                    got.to_string(),
                );
            }
            if let Some(want) = r.leader_epoch {
                push(
                    format!("b{b} believes {label} is in epoch {want}"),
                    p.leader_epoch == want,
                    p.leader_epoch.to_string(),
                );
            }
            // Leader-only views (Partition's leader state).
            let leader = p.leader_state().filter(|_| slot.status == BrokerStatus::Up);
            let sorted = |v: &[BrokerId]| {
                let mut v = v.to_vec();
                ordered::sort(&mut v);
                v
            };
            let isr_views: [IsrView; 3] = [
                ("ISR", &r.isr, leader.map(|_| p.isr.clone())),
                (
                    "maximal ISR",
                    &r.maximal_isr,
                    leader.map(|l| l.maximal_isr.clone()),
                ),
                (
                    "pending ISR",
                    &r.pending_isr,
                    leader.map(|l| l.pending_isr.clone().unwrap_or_default()),
                ),
            ];
            for (what, want, got) in isr_views {
                let Some(want) = want else { continue };
                let want = sorted(want);
                let got = got.map(|g| sorted(&g));
                push(
                    format!("b{b}'s {what} of {label} (as leader) is {want:?}"),
                    got.as_ref() == Some(&want),
                    got.map_or("not leader".into(), |g| format!("{g:?}")),
                );
            }
            for (k, want) in &r.remote_leo {
                let Ok(f) = broker_key(k) else { continue };
                let got = leader
                    .and_then(|l| l.remotes.get(&f))
                    .map(|st| st.leo.unwrap_or(-1));
                push(
                    format!("b{b} (as leader of {label}) sees b{f} at LEO {want}"),
                    got == Some(*want),
                    got.map_or_else(
                        || format!("not leader, or no replica b{f}"),
                        |g| g.to_string(),
                    ),
                );
            }
            if let Some(want) = r.epoch_start_offset {
                let got = leader.map(|l| l.epoch_start_offset);
                push(
                    format!("b{b}'s leader epoch start offset of {label} is {want}"),
                    got == Some(want),
                    got.map_or("not leader".into(), |g| g.to_string()),
                );
            }
            if let Some(want) = &r.latest_offset {
                let got = if slot.status == BrokerStatus::Up {
                    p.list_offsets(ListOffsetsQuery::LatestReadUncommitted)
                } else {
                    Err(crate::protocol::ErrorCode::NotLeaderOrFollower)
                };
                let got_text = match got {
                    Ok(o) => o.to_string(),
                    Err(e) => e.name().to_string(),
                };
                let want_text = match want {
                    OffsetOrError::Offset(o) => o.to_string(),
                    OffsetOrError::Error(e) => e.to_ascii_uppercase(),
                };
                push(
                    format!("b{b} answers ListOffsets(LATEST) for {label} with {want_text}"),
                    got_text == want_text,
                    got_text,
                );
            }
        }
        let ledger = c.ledger();
        let record_checks: [RecordCheck; 9] = [
            (&self.acked, "acknowledged", true, |e| e.acked.is_some()),
            (&self.not_acked, "acknowledged", false, |e| {
                e.acked.is_some()
            }),
            (&self.committed, "committed", true, |e| {
                e.committed.is_some()
            }),
            (&self.not_committed, "committed", false, |e| {
                e.committed.is_some()
            }),
            (&self.lost, "lost", true, |e| e.lost.is_some()),
            (&self.not_lost, "lost", false, |e| e.lost.is_some()),
            (&self.duplicated, "duplicated", true, |e| {
                e.duplicated.is_some()
            }),
            (&self.not_duplicated, "duplicated", false, |e| {
                e.duplicated.is_some()
            }),
            (&self.failed, "failed", true, |e| e.failed.is_some()),
        ];
        for (values, what, want, pred) in record_checks {
            for v in values {
                let mut found = ledger.entries.iter().filter(|e| &e.value == v).peekable();
                if found.peek().is_none() {
                    push(
                        format!("{v} is {}{what}", if want { "" } else { "not " }),
                        false,
                        "no such record was produced".into(),
                    );
                    continue;
                }
                let got = found.any(pred);
                push(
                    format!("{v} is {}{what}", if want { "" } else { "not " }),
                    got == want,
                    if got {
                        what.to_string()
                    } else {
                        format!("not {what}")
                    },
                );
            }
        }
        for (v, want) in &self.acked_at {
            let got = ledger
                .entries
                .iter()
                .filter(|e| &e.value == v)
                .find_map(|e| e.acked);
            push(
                format!("{v} is acknowledged at offset {want}"),
                got.is_some_and(|(_, o)| o == Some(*want)),
                match got {
                    Some((_, Some(o))) => format!("acknowledged at offset {o}"),
                    Some((_, None)) => "acknowledged without an offset (acks=0)".into(),
                    None => "not acknowledged".into(),
                },
            );
        }
        let seen = |name: &str| {
            ledger.entries.iter().any(|e| {
                e.errors
                    .iter()
                    .chain(e.failed.iter().map(|f| &f.1))
                    .any(|x| x.name() == name)
            })
        };
        for e in &self.errors {
            push(
                format!("a producer saw {e}"),
                seen(e),
                if seen(e) {
                    "seen".into()
                } else {
                    "not seen".into()
                },
            );
        }
        for e in &self.no_errors {
            push(
                format!("no producer saw {e}"),
                !seen(e),
                if seen(e) {
                    "seen".into()
                } else {
                    "not seen".into()
                },
            );
        }
        for n in &self.broken {
            let s = c.invariants().iter().find(|s| &s.name == n);
            let actual = s
                .and_then(|s| s.first_violation.as_ref())
                .map_or("holds".into(), |v| {
                    format!("broken at step {}: {}", v.step, v.detail)
                });
            push(
                format!("invariant \"{n}\" is broken"),
                s.is_some_and(|s| !s.holds()),
                actual,
            );
        }
        for n in &self.holds {
            let s = c.invariants().iter().find(|s| &s.name == n);
            let actual = s
                .and_then(|s| s.first_violation.as_ref())
                .map_or("holds".into(), |v| {
                    format!("broken at step {}: {}", v.step, v.detail)
                });
            push(
                format!("invariant \"{n}\" holds"),
                s.is_some_and(|s| s.holds()),
                actual,
            );
        }
        self.check_consumers(c, tp, &mut push);
        self.check_txn(c, &mut push);
        if self.all_invariants_hold == Some(true) {
            let broken = c.broken_invariants();
            push(
                "every invariant holds".into(),
                broken.is_empty(),
                if broken.is_empty() {
                    "all hold".into()
                } else {
                    format!("broken: {}", broken.join(", "))
                },
            );
        }
        out
    }
}

/// (what, expected ISR, the leader's actual ISR if it leads)
type IsrView<'a> = (
    &'static str,
    &'a Option<Vec<BrokerId>>,
    Option<Vec<BrokerId>>,
);

/// (values to check, what, expected, predicate on a ledger entry)
type RecordCheck<'a> = (
    &'a Vec<String>,
    &'static str,
    bool,
    fn(&crate::ledger::LedgerEntry) -> bool,
);

fn fmt_leader(l: Option<BrokerId>) -> String {
    l.map_or("none".into(), |b| format!("b{b}"))
}
