//! Invariants evaluated after every step (KAFKA-SEMANTICS §11). Each has a plain-words name, a
//! description, and whether the current configuration *promises* it; a violation records the
//! step that broke it.

use std::borrow::Cow;
use std::rc::Rc;

use crate::vec_map::VecMap;

use serde::{Deserialize, Serialize};

use crate::config::{ClusterConfig, TruncationMode};
use crate::ledger::Stamp;
use crate::log::{RecordId, ReplicaLog};
use crate::types::{BrokerId, Epoch, Offset, TopicPartition};

/// Which invariant: the typed id every face uses (its JSON value is kebab-case,
/// `"one-leader-per-epoch"`); [`InvariantId::name`] is its plain-words name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InvariantId {
    /// At most one broker leads a partition in a given leader epoch.
    OneLeaderPerEpoch,
    /// log start ≤ HW ≤ LEO on every replica.
    HwWithinLog,
    /// A leader's HW never decreases within its epoch.
    LeaderHwMonotone,
    /// The controller's ISR contains the leader.
    LeaderInIsr,
    /// No acknowledged record is lost.
    NoAckedLoss,
    /// No committed record is lost (leader completeness).
    NoCommittedLoss,
    /// Replica logs agree below the HW (log matching).
    LogsAgree,
    /// Each leader-epoch cache increases.
    EpochCacheMonotone,
    /// One owner per partition per generation (runs with consumers only).
    OneOwnerPerGeneration,
    /// No consumer processes a record of an aborted transaction (runs with transactions and
    /// consumers only; promised at read_committed, R6.7).
    NoAbortedRead,
    /// A COMMIT marker commits only records its own producer epoch wrote: a fenced instance's
    /// writes are never committed (runs with transactions only; R6.2, R6.5).
    FencedNeverCommits,
    /// Each input record of the pipeline has at most one output that a read_committed reader of
    /// the output topic sees (runs with a pipeline only; promised with exactly_once_v2, R6.8).
    ExactlyOnceOutput,
}

impl InvariantId {
    /// Every invariant, in the order the monitor lists them.
    pub const ALL: [InvariantId; 12] = [
        InvariantId::OneLeaderPerEpoch,
        InvariantId::HwWithinLog,
        InvariantId::LeaderHwMonotone,
        InvariantId::LeaderInIsr,
        InvariantId::NoAckedLoss,
        InvariantId::NoCommittedLoss,
        InvariantId::LogsAgree,
        InvariantId::EpochCacheMonotone,
        InvariantId::OneOwnerPerGeneration,
        InvariantId::NoAbortedRead,
        InvariantId::FencedNeverCommits,
        InvariantId::ExactlyOnceOutput,
    ];

    /// The plain-words name shown to users and used in scenario files.
    pub const fn name(self) -> &'static str {
        match self {
            InvariantId::OneLeaderPerEpoch => "one leader per epoch",
            InvariantId::HwWithinLog => "HW ≤ LEO",
            InvariantId::LeaderHwMonotone => "leader HW never decreases",
            InvariantId::LeaderInIsr => "leader is in the ISR",
            InvariantId::NoAckedLoss => "no acknowledged record lost",
            InvariantId::NoCommittedLoss => "no committed record lost",
            InvariantId::LogsAgree => "replica logs agree below the HW",
            InvariantId::EpochCacheMonotone => "epoch cache increases",
            InvariantId::OneOwnerPerGeneration => "one owner per partition per generation",
            InvariantId::NoAbortedRead => "no aborted record processed",
            InvariantId::FencedNeverCommits => "a fenced producer never commits",
            InvariantId::ExactlyOnceOutput => "pipeline output exactly once",
        }
    }

    /// The invariant with this plain-words name.
    pub fn from_name(name: &str) -> Option<InvariantId> {
        InvariantId::ALL.into_iter().find(|i| i.name() == name)
    }
}

/// Names of the invariants, as shown to users and used in scenario files.
#[allow(missing_docs)]
pub mod names {
    use super::InvariantId;
    pub const ONE_LEADER_PER_EPOCH: &str = InvariantId::OneLeaderPerEpoch.name();
    pub const HW_WITHIN_LOG: &str = InvariantId::HwWithinLog.name();
    pub const LEADER_HW_MONOTONE: &str = InvariantId::LeaderHwMonotone.name();
    pub const LEADER_IN_ISR: &str = InvariantId::LeaderInIsr.name();
    pub const NO_ACKED_LOSS: &str = InvariantId::NoAckedLoss.name();
    pub const NO_COMMITTED_LOSS: &str = InvariantId::NoCommittedLoss.name();
    pub const LOGS_AGREE: &str = InvariantId::LogsAgree.name();
    pub const EPOCH_CACHE_MONOTONE: &str = InvariantId::EpochCacheMonotone.name();
    /// Only in runs with consumers.
    pub const ONE_OWNER_PER_GENERATION: &str = InvariantId::OneOwnerPerGeneration.name();
    /// Only in runs with transactions and consumers.
    pub const NO_ABORTED_READ: &str = InvariantId::NoAbortedRead.name();
    /// Only in runs with transactions.
    pub const FENCED_NEVER_COMMITS: &str = InvariantId::FencedNeverCommits.name();
    /// Only in runs with a pipeline.
    pub const EXACTLY_ONCE_OUTPUT: &str = InvariantId::ExactlyOnceOutput.name();
}

/// The first time an invariant broke.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Violation {
    /// The cluster step at which it broke.
    pub step: u64,
    /// The simulated time at which it broke.
    pub time: u64,
    /// What was wrong, in words.
    pub detail: String,
}

/// One invariant's live status.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InvariantStatus {
    /// Which invariant.
    pub id: InvariantId,
    /// Its plain-words name ([`InvariantId::name`]). Borrowed, like the description: the
    /// checker copies the monitor on most moves, and constant texts then cost no allocation.
    pub name: Cow<'static, str>,
    /// What the invariant says.
    pub description: Cow<'static, str>,
    /// Whether Kafka promises this under the run's configuration; a broken unpromised invariant is
    /// an expected anomaly, a broken promised one is a simulator bug or a faithful surprise.
    pub promised: bool,
    /// The first violation, if any.
    pub first_violation: Option<Violation>,
    /// How many times the invariant broke.
    pub violations: u32,
}

impl InvariantStatus {
    /// True while the invariant has never broken.
    pub fn holds(&self) -> bool {
        self.first_violation.is_none()
    }
}

/// Per-partition "truth" for log agreement: the record at each offset the first time any
/// replica's HW covered it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct CommittedLog {
    records: Vec<(RecordId, Epoch)>,
}

/// Keeps the invariants' state and statuses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Monitor {
    /// Each invariant's status, in [`InvariantId`] order.
    pub statuses: Vec<InvariantStatus>,
    leaders: VecMap<(TopicPartition, Epoch), BrokerId>,
    leader_hw: VecMap<(BrokerId, TopicPartition), (Epoch, Offset)>,
    committed: VecMap<TopicPartition, CommittedLog>,
    /// Per replica: the offsets below this were already compared with `committed` (log matching
    /// is checked incrementally, each offset once, unless the log is truncated or rebased).
    verified: VecMap<(BrokerId, TopicPartition), Offset>,
    /// A crash lost un-flushed data: durability promises no longer apply (§11 "Durability").
    pub lossy_crash_seen: bool,
    /// Consumer group: the consumer assigned each partition in each generation.
    owners: VecMap<(TopicPartition, i32), u32>,
    /// Topic names by index (configured topics, then the internal ones), for the details:
    /// partitions are named as the picture names them (`t-0`). Fixed for a run: shared by copies.
    topics: Rc<[String]>,
}

impl Monitor {
    /// A monitor for `cfg`, with each invariant promised or not under that configuration.
    pub fn new(cfg: &ClusterConfig) -> Self {
        let epochs = cfg.switches().truncation == TruncationMode::LeaderEpoch;
        let clean = !cfg.unclean_leader_election_enable();
        // §11 "Leader completeness" is also violated by a missing maximal ISR (S10) or a missing
        // KAFKA-7128 ISR-expansion guard (S8): without both, no completeness is promised.
        let isr_safe = cfg.switches().maximal_isr && cfg.switches().isr_expansion_epoch_guard;
        let defs: [(InvariantId, &'static str, bool); 8] = [
            (InvariantId::OneLeaderPerEpoch, "At most one broker ever leads a partition in a given leader epoch.", true),
            (InvariantId::HwWithinLog, "On every replica, log start ≤ HW ≤ LEO.", true),
            (InvariantId::LeaderHwMonotone, "While a broker leads an epoch its high watermark only grows.", true),
            (InvariantId::LeaderInIsr, "The controller's ISR always contains the partition leader.", true),
            (
                InvariantId::NoAckedLoss,
                "A record acknowledged to the producer is never missing from the partition leader's log. Promised with acks=all, min.insync.replicas ≥ 2, clean elections, leader-epoch truncation, the maximal ISR and the epoch guard on ISR expansion.",
                cfg.is_durable() && isr_safe,
            ),
            (
                InvariantId::NoCommittedLoss,
                "Every record once below a leader's high watermark is in every later leader's log (leader completeness). Promised with clean elections, leader-epoch truncation, the maximal ISR and the epoch guard on ISR expansion.",
                epochs && clean && isr_safe,
            ),
            (
                InvariantId::LogsAgree,
                "Below its high watermark every replica holds the same records as every other (log matching). Promised with clean elections, leader-epoch truncation, the maximal ISR and the epoch guard on ISR expansion.",
                epochs && clean && isr_safe,
            ),
            (InvariantId::EpochCacheMonotone, "Each replica's leader-epoch cache has strictly increasing epochs and start offsets.", true),
        ];
        let owner_def = (
            InvariantId::OneOwnerPerGeneration,
            "In each generation of the consumer group, a partition is assigned to at most one consumer (R7.4). Promised with clean elections and leader-epoch truncation, which keep the coordinator's stored generation.",
            epochs && clean,
        );
        let consumers = (cfg.consumers > 0).then_some(owner_def);
        let aborted_def = (
            InvariantId::NoAbortedRead,
            "No consumer's application processes a record whose transaction was aborted, and no read_committed one processes a record whose transaction has not committed (R6.7). Promised with isolation.level = read_committed; read_uncommitted reads aborted data.",
            cfg.isolation_level() == crate::txn::isolation::IsolationLevel::ReadCommitted,
        );
        let transactions = (cfg.consumers > 0 && cfg.transactional()).then_some(aborted_def);
        let fenced_def = (
            InvariantId::FencedNeverCommits,
            "A COMMIT marker commits only records written with its own producer epoch: once a newer instance (or a timeout) bumped the epoch, the older instance's writes are aborted, never committed (R6.2, R6.5).",
            true,
        );
        let fencing = cfg.transactional().then_some(fenced_def);
        let eos_def = (
            InvariantId::ExactlyOnceOutput,
            "Every input record the pipeline processed has at most one output that a read_committed reader of the output topic sees, through crashes and retries (R6.8). Promised with processing.guarantee = exactly_once_v2; at_least_once replays a batch whose offsets were not committed.",
            cfg.pipeline.as_ref().is_some_and(|p| p.exactly_once()),
        );
        let pipeline = cfg.pipeline.is_some().then_some(eos_def);
        Monitor {
            statuses: defs
                .iter()
                .chain(consumers.iter())
                .chain(transactions.iter())
                .chain(fencing.iter())
                .chain(pipeline.iter())
                .map(|(id, d, p)| InvariantStatus {
                    id: *id,
                    name: Cow::Borrowed(id.name()),
                    description: Cow::Borrowed(*d),
                    promised: *p,
                    first_violation: None,
                    violations: 0,
                })
                .collect(),
            owners: VecMap::new(),
            leaders: VecMap::new(),
            leader_hw: VecMap::new(),
            committed: VecMap::new(),
            verified: VecMap::new(),
            lossy_crash_seen: false,
            // The configured topics, then `__consumer_offsets` and `__transaction_state`.
            topics: (0..cfg.topics.len() + 2)
                .map(|i| crate::coordinator::topic_name(cfg, i as u16).to_string())
                .collect(),
        }
    }

    /// Writes the checker's fingerprint: every field that changes during a run, without the
    /// invariants' names and descriptions and the topic names, which a run never changes (the
    /// checker compares states of one run). The monitor changes on most moves, and those texts
    /// were most of its bytes.
    pub(crate) fn write_fingerprint(&self, h: &mut crate::fingerprint::FingerprintHasher) {
        use std::hash::{Hash, Hasher};
        let Monitor {
            statuses,
            leaders,
            leader_hw,
            committed,
            verified,
            lossy_crash_seen,
            owners,
            topics: _,
        } = self;
        h.write_usize(statuses.len());
        for s in statuses {
            let InvariantStatus {
                id,
                name: _,
                description: _,
                promised,
                first_violation,
                violations,
            } = s;
            (id, promised, first_violation, violations).hash(h);
        }
        leaders.hash(h);
        leader_hw.hash(h);
        committed.hash(h);
        verified.hash(h);
        lossy_crash_seen.hash(h);
        owners.hash(h);
    }

    /// A partition as the picture names it (`t-0`).
    fn label(&self, tp: impl std::borrow::Borrow<TopicPartition>) -> String {
        let tp = tp.borrow();
        match self.topics.get(tp.topic as usize) {
            Some(name) => format!("{name}-{}", tp.partition),
            None => format!("partition {}", tp.partition),
        }
    }

    /// A consumer received `partitions` in `generation`: no other consumer may own one of them
    /// in the same generation. Returns the violation, if any.
    pub fn on_assigned(
        &mut self,
        consumer: u32,
        generation: i32,
        partitions: &[TopicPartition],
        at: Stamp,
    ) -> Option<String> {
        let mut broken = None;
        for tp in partitions {
            match self.owners.get(&(*tp, generation)) {
                Some(other) if *other != consumer => {
                    let d = format!(
                        "{} is assigned to c{other} and c{consumer} in generation {generation}",
                        self.label(tp)
                    );
                    self.violate(InvariantId::OneOwnerPerGeneration, at, d.clone());
                    broken = Some(d);
                }
                _ => {
                    self.owners.insert((*tp, generation), consumer);
                }
            }
        }
        broken
    }

    /// Each partition's owner in each generation (the first consumer assigned it there), from
    /// SyncGroup answers: the group's assignment history.
    pub fn generation_owners(&self) -> &VecMap<(TopicPartition, i32), u32> {
        &self.owners
    }

    /// One invariant's status (`None`: not monitored in this run).
    pub fn status(&self, id: InvariantId) -> Option<&InvariantStatus> {
        self.statuses.iter().find(|s| s.id == id)
    }

    /// Records a violation; returns true if it is the invariant's first.
    pub fn violate(&mut self, id: InvariantId, at: Stamp, detail: String) -> bool {
        let s = self
            .statuses
            .iter_mut()
            .find(|s| s.id == id)
            .expect("known invariant");
        s.violations += 1;
        if s.first_violation.is_none() {
            s.first_violation = Some(Violation {
                step: at.step,
                time: at.time,
                detail,
            });
            true
        } else {
            false
        }
    }

    /// A page-cache-losing crash voids the durability promises (they assume fewer than
    /// min.insync.replicas replicas lose data at once, §11).
    pub fn on_lossy_crash(&mut self) {
        self.lossy_crash_seen = true;
        for s in &mut self.statuses {
            if matches!(
                s.id,
                InvariantId::NoAckedLoss | InvariantId::NoCommittedLoss | InvariantId::LogsAgree
            ) {
                s.promised = false;
            }
        }
    }

    /// A consumer switched to `isolation.level = read_uncommitted`: reading aborted data is no
    /// longer a broken promise (R6.7).
    pub fn on_read_uncommitted(&mut self) {
        for s in &mut self.statuses {
            if s.id == InvariantId::NoAbortedRead {
                s.promised = false;
            }
        }
    }

    /// A broker claimed leadership of `tp` in `epoch`.
    pub fn on_became_leader(
        &mut self,
        broker: BrokerId,
        tp: TopicPartition,
        epoch: Epoch,
        at: Stamp,
    ) -> Option<String> {
        match self.leaders.get(&(tp, epoch)) {
            Some(&other) if other != broker => {
                let d = format!(
                    "b{other} and b{broker} both led {} in epoch {epoch}",
                    self.label(tp)
                );
                self.violate(InvariantId::OneLeaderPerEpoch, at, d.clone());
                Some(d)
            }
            _ => {
                self.leaders.insert((tp, epoch), broker);
                None
            }
        }
    }

    /// A leader's HW moved; checks monotonicity within the epoch.
    pub fn on_leader_hw(
        &mut self,
        broker: BrokerId,
        tp: TopicPartition,
        epoch: Epoch,
        hw: Offset,
        at: Stamp,
    ) -> Option<String> {
        let key = (broker, tp);
        let prev = self.leader_hw.insert(key, (epoch, hw));
        match prev {
            Some((e, old)) if e == epoch && hw < old => {
                let d = format!(
                    "b{broker} {} HW went back from {old} to {hw}",
                    self.label(tp)
                );
                self.violate(InvariantId::LeaderHwMonotone, at, d.clone());
                Some(d)
            }
            _ => None,
        }
    }

    /// A replica's HW now covers `[old, new)`: compare with (and extend) the committed reference.
    pub fn on_hw_covers(
        &mut self,
        broker: BrokerId,
        tp: TopicPartition,
        log: &ReplicaLog,
        old: Offset,
        new: Offset,
        at: Stamp,
    ) -> Option<String> {
        let reference = self.committed.entry(tp).or_default();
        let mut mismatch = None;
        for r in log.slice(old.max(0), new) {
            let i = r.offset as usize;
            if i < reference.records.len() {
                if reference.records[i] != (r.id, r.epoch) && mismatch.is_none() {
                    mismatch = Some(r.offset);
                }
            } else if i == reference.records.len() {
                reference.records.push((r.id, r.epoch));
            }
        }
        let o = mismatch?;
        let d = format!(
            "b{broker} {} has a different record at offset {o} below its HW",
            self.label(tp)
        );
        if self.violate(InvariantId::LogsAgree, at, d.clone()) {
            return Some(d);
        }
        None
    }

    /// A new leader: every committed offset must be in its log (leader completeness). Returns the
    /// ids of committed records it lacks, then rebases the reference on the new leader's log so
    /// later anomalies are still found.
    pub fn on_new_leader_log(
        &mut self,
        broker: BrokerId,
        tp: TopicPartition,
        log: &ReplicaLog,
        at: Stamp,
    ) -> Vec<RecordId> {
        let reference = self.committed.entry(tp).or_default();
        let mut missing = Vec::new();
        for (i, &(id, epoch)) in reference.records.iter().enumerate() {
            // Below the log start a committed record was deleted, not lost.
            let ok = (i as Offset) < log.log_start_offset()
                || log
                    .get(i as Offset)
                    .is_some_and(|r| r.id == id && r.epoch == epoch);
            if !ok {
                missing.push(id);
            }
        }
        if !missing.is_empty() {
            // Every replica is checked against the new reference from scratch.
            for (key, v) in self.verified.iter_mut() {
                if key.1 == tp {
                    *v = 0;
                }
            }
            // Rebase: the new leader's log below the old reference length is the new truth.
            // (Below the new leader's log start the reference keeps what it had: deleted there.)
            let keep = reference.records.len().min(log.leo() as usize);
            let start = (log.log_start_offset() as usize).min(keep);
            let mut rebased = reference.records[..start].to_vec();
            rebased.extend(
                log.slice(start as Offset, keep as Offset)
                    .iter()
                    .map(|r| (r.id, r.epoch)),
            );
            reference.records = rebased;
            let d = format!(
                "b{broker} became leader of {} without {} committed record(s)",
                self.label(tp),
                missing.len()
            );
            self.violate(InvariantId::NoCommittedLoss, at, d);
        }
        missing
    }

    /// Cheap per-replica checks after a step that touched it. Returns what broke for the first
    /// time (for the event log).
    pub fn check_replica(
        &mut self,
        broker: BrokerId,
        tp: TopicPartition,
        log: &ReplicaLog,
        at: Stamp,
    ) -> Vec<String> {
        let mut broken = Vec::new();
        let hw = log.high_watermark();
        if hw > log.leo() || hw < log.log_start_offset() {
            let d = format!(
                "b{broker} {}: HW {hw} outside [{}, {}]",
                self.label(tp),
                log.log_start_offset(),
                log.leo()
            );
            if self.violate(InvariantId::HwWithinLog, at, d.clone()) {
                broken.push(d);
            }
        }
        let entries = log.epoch_cache().entries();
        if entries
            .windows(2)
            .any(|w| w[1].epoch <= w[0].epoch || w[1].start_offset <= w[0].start_offset)
        {
            let d = format!(
                "b{broker} {}: epoch cache {:?} is not increasing",
                self.label(tp),
                entries
            );
            if self.violate(InvariantId::EpochCacheMonotone, at, d.clone()) {
                broken.push(d);
            }
        }
        broken.extend(self.check_agreement(broker, tp, log, at));
        broken
    }

    /// §11 "Log matching": below its own HW a replica must hold the committed records. Checked
    /// whenever the replica changes (append, HW move, truncation), not only when its HW moves: a
    /// replica can keep a divergent record below an old HW while the committed log moves on
    /// (KIP-101 scenarios, S16/S17 in the high-watermark profile).
    fn check_agreement(
        &mut self,
        broker: BrokerId,
        tp: TopicPartition,
        log: &ReplicaLog,
        at: Stamp,
    ) -> Option<String> {
        let reference = self.committed.get(&tp)?;
        let v = self.verified.entry((broker, tp)).or_insert(0);
        // A truncation invalidates what was verified above the new LEO.
        let from = (*v).min(log.leo()).max(log.log_start_offset());
        let end = log.high_watermark().min(reference.records.len() as Offset);
        if from >= end {
            *v = from;
            return None;
        }
        let mismatch = log
            .slice(from, end)
            .iter()
            .find(|r| reference.records[r.offset as usize] != (r.id, r.epoch))
            .map(|r| r.offset);
        *v = end;
        let o = mismatch?;
        let d = format!(
            "b{broker} {} has a different record at offset {o} below its HW",
            self.label(tp)
        );
        self.violate(InvariantId::LogsAgree, at, d.clone())
            .then_some(d)
    }

    /// Checks that a partition's leader is in its ISR.
    pub fn check_leader_in_isr(
        &mut self,
        tp: TopicPartition,
        leader: Option<BrokerId>,
        isr: &[BrokerId],
        at: Stamp,
    ) {
        if let Some(l) = leader {
            if !isr.contains(&l) {
                let d = format!("{}: leader b{l} is not in ISR {isr:?}", self.label(tp));
                self.violate(InvariantId::LeaderInIsr, at, d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn promised(cfg: &ClusterConfig, id: InvariantId) -> bool {
        Monitor::new(cfg).status(id).unwrap().promised
    }

    #[test]
    fn completeness_needs_the_maximal_isr_and_the_expansion_guard() {
        // §11 "Leader completeness": violated by a missing maximal ISR (S10) or a missing
        // KAFKA-7128 guard (S8), so neither profile promises it.
        let mut safe = ClusterConfig::default();
        safe.broker.min_insync_replicas = 2;
        for n in [
            InvariantId::NoAckedLoss,
            InvariantId::NoCommittedLoss,
            InvariantId::LogsAgree,
        ] {
            assert!(promised(&safe, n), "{n:?}");
            let mut no_guard = safe.clone();
            no_guard.profile.isr_expansion_epoch_guard = Some(false);
            assert!(
                !promised(&no_guard, n),
                "{n:?} without the KAFKA-7128 guard"
            );
            let mut no_maximal = safe.clone();
            no_maximal.profile.maximal_isr = Some(false);
            assert!(!promised(&no_maximal, n), "{n:?} without the maximal ISR");
        }
    }

    /// The checker's fingerprint of the monitor leaves out only its constant texts. Along runs
    /// with produces, cut links, crashes (some losing unflushed data) and restarts under every
    /// fuzz profile, each field is in turn put back to an earlier version of itself: whenever
    /// that changes the monitor, it changes the fingerprint. Other texts do not.
    #[test]
    fn the_fingerprint_follows_every_field_but_the_constant_texts() {
        use crate::cluster::Cluster;
        use crate::command::Command;
        use crate::fuzz::FuzzProfile;
        use crate::types::NodeId;
        let print = |m: &Monitor| {
            let mut h = crate::fingerprint::FingerprintHasher::default();
            m.write_fingerprint(&mut h);
            std::hash::Hasher::finish(&h)
        };
        // Every field but the texts, by name: one earlier version's value put in its place.
        type Swap = (&'static str, fn(&mut Monitor, &Monitor));
        let swaps: [Swap; 7] = [
            ("statuses", |m, e| m.statuses = e.statuses.clone()),
            ("leaders", |m, e| m.leaders = e.leaders.clone()),
            ("leader_hw", |m, e| m.leader_hw = e.leader_hw.clone()),
            ("committed", |m, e| m.committed = e.committed.clone()),
            ("verified", |m, e| m.verified = e.verified.clone()),
            ("lossy_crash_seen", |m, e| {
                m.lossy_crash_seen = e.lossy_crash_seen
            }),
            ("owners", |m, e| m.owners = e.owners.clone()),
        ];
        let mut exercised = [0u32; 7];
        for profile in [
            FuzzProfile::Safe,
            FuzzProfile::Acks1,
            FuzzProfile::Unclean,
            FuzzProfile::HwTruncation,
        ] {
            let mut c = Cluster::new(profile.config(), 7).expect("valid profile");
            let mut versions = vec![(*c.monitor).clone()];
            for i in 0..600u32 {
                let b = 1 + i / 60 % 3;
                let cmd = match i % 60 {
                    0 | 20 | 40 => Some(Command::Produce {
                        producer: 1,
                        topic: None,
                        partition: None,
                        key: None,
                        value: format!("v{i}"),
                        acks: None,
                    }),
                    10 => Some(Command::Cut {
                        from: NodeId::Broker(b),
                        to: NodeId::Broker(1 + b % 3),
                        both: true,
                    }),
                    25 => Some(Command::Crash {
                        broker: b,
                        lose_unflushed: i / 60 % 2 == 1,
                    }),
                    45 => Some(Command::Heal { node: None }),
                    50 => Some(Command::Restart { broker: b }),
                    _ => None,
                };
                if let Some(cmd) = cmd {
                    let _ = c.apply(cmd); // a command the state does not allow is skipped
                }
                c.step();
                if *c.monitor != *versions.last().expect("one at least") {
                    versions.push((*c.monitor).clone());
                }
            }
            let late = versions.last().expect("one at least").clone();
            for early in &versions {
                for (k, (name, swap)) in swaps.iter().enumerate() {
                    let mut hybrid = late.clone();
                    swap(&mut hybrid, early);
                    if hybrid != late {
                        exercised[k] += 1;
                        assert_ne!(print(&hybrid), print(&late), "{profile:?}: {name}");
                    }
                }
            }
            let mut renamed = late.clone();
            for s in &mut renamed.statuses {
                s.name = Cow::Owned(format!("{} (renamed)", s.name));
                s.description = Cow::Borrowed("");
            }
            renamed.topics = Rc::from(vec![String::from("other")]);
            assert_eq!(print(&renamed), print(&late));
        }
        // The fuzz profiles have no consumers, so no group generation ever has owners.
        for (k, (name, _)) in swaps
            .iter()
            .enumerate()
            .filter(|(_, (n, _))| *n != "owners")
        {
            assert!(exercised[k] > 0, "{name} never changed");
        }
    }

    #[test]
    fn a_divergent_record_below_an_old_hw_is_found_without_a_hw_move() {
        // §11 "Log matching", S16/S17 (high-watermark truncation): B keeps m2 below its HW 2
        // while the leader commits m3 at the same offset; B's HW never moves again.
        use crate::log::ProducerFields;
        let tp = TopicPartition {
            topic: 0,
            partition: 0,
        };
        let at = Stamp { step: 1, time: 1 };
        let mut m = Monitor::new(&ClusterConfig::default());
        let mut leader = ReplicaLog::new();
        leader.append_as_leader(0, 1, ProducerFields::NONE); // m1
        leader.append_as_leader(1, 3, ProducerFields::NONE); // m3
        leader.set_high_watermark(2);
        assert!(m.on_hw_covers(1, tp, &leader, 0, 2, at).is_none());
        let mut b = ReplicaLog::new();
        b.append_as_leader(0, 1, ProducerFields::NONE); // m1
        b.append_as_leader(0, 2, ProducerFields::NONE); // m2
        b.set_high_watermark(2);
        m.check_replica(2, tp, &leader, at);
        assert!(m.status(InvariantId::LogsAgree).unwrap().holds());
        m.check_replica(3, tp, &b, at);
        assert!(!m.status(InvariantId::LogsAgree).unwrap().holds());
    }
}
