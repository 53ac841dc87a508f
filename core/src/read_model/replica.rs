//! One replica of one partition on one broker, as every face shows it: its role, offsets and
//! (leader only) ISR view, and its records.

use serde::{Deserialize, Serialize};

use crate::cluster::{BrokerSlot, BrokerStatus, Cluster};
use crate::coordinator::{is_internal, OffsetsRecord};
use crate::epoch_cache::EpochEntry;
use crate::log::Record;
use crate::partition::{is_caught_up, Partition, Role};
use crate::txn::log_record::TxnLogRecord;
use crate::txn::markers::PartitionTxns;
use crate::txn::{ControlKind, RecordTxn};
use crate::types::{BrokerId, Epoch, Millis, Offset, TopicPartition};

/// What a replica does for its partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplicaRole {
    /// Leads the partition (it takes produce requests and keeps the ISR).
    Leader,
    /// Fetches from the leader.
    Follower,
    /// No metadata yet, offline, or the broker is down.
    None,
}

impl ReplicaRole {
    /// `"leader"`, `"follower"` or `"none"` (the JSON value).
    pub fn as_str(self) -> &'static str {
        match self {
            ReplicaRole::Leader => "leader",
            ReplicaRole::Follower => "follower",
            ReplicaRole::None => "none",
        }
    }
}

/// The leader's view of one follower (Kafka's `Replica` state on the leader, R2.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowerView {
    /// The follower.
    pub broker: BrokerId,
    /// Its log end offset as its last fetch told the leader.
    pub leo: Option<Offset>,
    /// `Replica.isCaughtUp`: at the leader's LEO, or caught up within
    /// `replica.lag.time.max.ms`.
    pub caught_up: bool,
    /// When it was last caught up.
    pub last_caught_up_ms: Option<Millis>,
}

/// A replica without its records: role, offsets and the leader's ISR view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaSummary {
    /// Topic name.
    pub topic: String,
    /// Partition number.
    pub partition: u32,
    /// Leader, follower, or none (also none while the broker is down).
    pub role: ReplicaRole,
    /// The leader epoch this replica knows.
    pub leader_epoch: Epoch,
    /// Log end offset.
    pub leo: Offset,
    /// High watermark.
    pub hw: Offset,
    /// Last stable offset (R6.6): where a read_committed consumer stops; never above `hw`.
    pub last_stable_offset: Offset,
    /// First offset still in the log.
    pub log_start_offset: Offset,
    /// Records below this offset are on disk (survive a power failure).
    pub flushed_offset: Offset,
    /// Leader only (empty otherwise): the ISR it works with.
    pub isr: Vec<BrokerId>,
    /// Leader only: the maximal ISR (KIP-497: the ISR plus replicas being added).
    pub maximal_isr: Vec<BrokerId>,
    /// Leader only: the ISR proposed by the AlterPartition in flight.
    pub pending_isr: Option<Vec<BrokerId>>,
    /// Leader only: its view of each follower.
    pub followers: Vec<FollowerView>,
    /// An internal topic (`__consumer_offsets`): its records are offset commits and group
    /// generations, not application records.
    #[serde(default)]
    pub internal: bool,
}

/// The offsets of one replica (cheap: no allocation), for plots and quick checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReplicaOffsets {
    /// High watermark.
    pub hw: Offset,
    /// Log end offset.
    pub leo: Offset,
    /// First offset still in the log.
    pub log_start_offset: Offset,
}

/// One record of a replica's log, with what the ledger knows of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    /// Its offset in this log.
    pub offset: Offset,
    /// The leader epoch stamped by the leader that appended it.
    pub epoch: Epoch,
    /// The record id (ledger id; `__consumer_offsets` records pack their content in it).
    pub id: u32,
    /// The record key.
    pub key: Option<String>,
    /// The value the application sent; for `__consumer_offsets` what the record says
    /// (`commit t-0=3`, `generation 2`, `member c1-1`).
    pub value: String,
    /// Short text for a log cell: `p1-12` → `12`, an offset commit `=3`, a generation `g2`, a
    /// member `m1`, anything else its first three characters.
    #[serde(default)]
    pub label: String,
    /// The ledger says the record was lost (acknowledged or committed, then gone).
    #[serde(default)]
    pub lost: bool,
    /// The ledger says a leader appended it twice.
    #[serde(default)]
    pub duplicated: bool,
    /// A COMMIT/ABORT marker (control record, R6.5); `None` for data.
    #[serde(default)]
    pub control: Option<crate::txn::ControlKind>,
    /// Data written inside a transaction.
    #[serde(default)]
    pub transactional: bool,
    /// Data of a transaction this replica knows was aborted (its ABORT marker is in the log):
    /// a read_committed consumer never sees it (R6.7).
    #[serde(default)]
    pub aborted: bool,
}

/// A replica with its records and leader-epoch cache (the JSON snapshot's replica).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaSnapshot {
    /// Role, offsets and ISR view.
    #[serde(flatten)]
    pub summary: ReplicaSummary,
    /// Every record of the log.
    pub records: Vec<RecordView>,
    /// The leader-epoch cache: (epoch, start offset) pairs.
    pub epoch_cache: Vec<EpochEntry>,
}

/// A snapshot replica reads as its summary (`r.role`, `r.hw`), like its flattened JSON.
impl std::ops::Deref for ReplicaSnapshot {
    type Target = ReplicaSummary;
    fn deref(&self) -> &ReplicaSummary {
        &self.summary
    }
}

/// Short text for a cell: `p1-12` → `12`, anything else its first three characters.
pub fn short_label(value: &str) -> String {
    if let Some(rest) = value.strip_prefix('p') {
        if let Some((p, n)) = rest.split_once('-') {
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if digits(p) && digits(n) {
                return n.to_string();
            }
        }
    }
    value.chars().take(3).collect()
}

impl Cluster {
    /// The replicas a broker holds (a down broker's too: what its disk holds), by partition.
    pub fn replica_summaries(&self, broker: BrokerId) -> Vec<ReplicaSummary> {
        let Some(slot) = self.brokers.get(&broker) else {
            return vec![];
        };
        slot.broker
            .partitions
            .values()
            .map(|p| self.replica_summary(slot, p))
            .collect()
    }

    /// One replica's offsets; `None` if the broker holds no replica of `tp`.
    pub fn replica_offsets(&self, broker: BrokerId, tp: TopicPartition) -> Option<ReplicaOffsets> {
        let log = &self.brokers.get(&broker)?.broker.partitions.get(&tp)?.log;
        Some(ReplicaOffsets {
            hw: log.high_watermark(),
            leo: log.leo(),
            log_start_offset: log.log_start_offset(),
        })
    }

    /// The records of one replica's log in `[from, to)` (empty if there is no such replica).
    pub fn replica_records(
        &self,
        broker: BrokerId,
        tp: TopicPartition,
        from: Offset,
        to: Offset,
    ) -> Vec<RecordView> {
        let Some(p) = self
            .brokers
            .get(&broker)
            .and_then(|s| s.broker.partitions.get(&tp))
        else {
            return vec![];
        };
        p.log
            .slice(from, to)
            .iter()
            .map(|r| self.record_view(tp, p.log.txns(), r))
            .collect()
    }

    pub(crate) fn replica_summary(&self, slot: &BrokerSlot, p: &Partition) -> ReplicaSummary {
        let log = &p.log;
        let up = slot.status == BrokerStatus::Up;
        let lag = self.cfg.broker.replica_lag_time_max_ms;
        let mut s = ReplicaSummary {
            topic: self.topic_name(p.tp).to_string(),
            partition: u32::from(p.tp.partition),
            role: ReplicaRole::None,
            leader_epoch: p.leader_epoch,
            leo: log.leo(),
            hw: log.high_watermark(),
            last_stable_offset: log.last_stable_offset(),
            log_start_offset: log.log_start_offset(),
            flushed_offset: log.flushed_offset(),
            isr: vec![],
            maximal_isr: vec![],
            pending_isr: None,
            followers: vec![],
            internal: is_internal(&self.cfg, p.tp),
        };
        // A down broker's replicas have no role: they are what its disk holds.
        match &p.role {
            Role::Leader(l) if up => {
                s.role = ReplicaRole::Leader;
                s.isr.clone_from(&p.isr);
                s.maximal_isr.clone_from(&l.maximal_isr);
                s.pending_isr.clone_from(&l.pending_isr);
                s.followers = l
                    .remotes
                    .iter()
                    .map(|(b, st)| FollowerView {
                        broker: *b,
                        leo: st.leo,
                        caught_up: is_caught_up(st, log.leo(), self.now, lag),
                        last_caught_up_ms: st.last_caught_up_time,
                    })
                    .collect();
            }
            Role::Follower { .. } if up => s.role = ReplicaRole::Follower,
            _ => {}
        }
        s
    }

    pub(crate) fn replica_snapshot(&self, slot: &BrokerSlot, p: &Partition) -> ReplicaSnapshot {
        ReplicaSnapshot {
            summary: self.replica_summary(slot, p),
            records: p
                .log
                .records()
                .iter()
                .map(|r| self.record_view(p.tp, p.log.txns(), r))
                .collect(),
            epoch_cache: p.log.epoch_cache().entries().to_vec(),
        }
    }

    fn record_view(&self, tp: TopicPartition, txns: &PartitionTxns, r: &Record) -> RecordView {
        let e = self.ledger.get(r.id);
        let txn_log = crate::txn::log_record::txn_state_tp(&self.cfg) == Some(tp);
        let (value, label) = if let RecordTxn::Control(kind) = r.txn {
            // A COMMIT/ABORT marker (R6.5): its id carries the coordinator epoch.
            let value = format!(
                "{} marker of producer {} (epoch {}, coordinator epoch {})",
                match kind {
                    ControlKind::Commit => "COMMIT",
                    ControlKind::Abort => "ABORT",
                },
                r.producer.producer_id,
                r.producer.producer_epoch,
                crate::txn::marker_coordinator_epoch(r.id)
            );
            (value, kind.letter().to_string())
        } else if let Some(t) = txn_log
            .then(|| TxnLogRecord::decode(r.id, &self.cfg))
            .flatten()
        {
            // __transaction_state: the transactional id's state after a change (R6.2).
            let mut value = format!("{} epoch {}", t.state.name(), t.producer_epoch);
            if let Some(tp) = t.partition {
                value.push_str(&format!(" +{}-{}", self.topic_name(tp), tp.partition));
            }
            (value, t.label())
        } else {
            self.plain_record_text(r, e)
        };
        RecordView {
            offset: r.offset,
            epoch: r.epoch,
            id: r.id,
            key: e.and_then(|e| e.key.clone()),
            value,
            label,
            lost: e.is_some_and(|e| e.lost.is_some()),
            duplicated: e.is_some_and(|e| e.duplicated.is_some()),
            control: match r.txn {
                RecordTxn::Control(kind) => Some(kind),
                _ => None,
            },
            transactional: r.txn == RecordTxn::Transactional,
            aborted: r.txn == RecordTxn::Transactional
                && txns.is_aborted(r.producer.producer_id, r.offset),
        }
    }

    fn plain_record_text(
        &self,
        r: &Record,
        e: Option<&crate::ledger::LedgerEntry>,
    ) -> (String, String) {
        match OffsetsRecord::decode(r.id) {
            // __consumer_offsets: an offset commit, a group generation or a member (R7.2).
            Some(o) => {
                let label = match o {
                    OffsetsRecord::Commit { offset, .. } => format!("={offset}"),
                    OffsetsRecord::Group { generation } => format!("g{generation}"),
                    OffsetsRecord::Member { consumer, .. } => format!("m{consumer}"),
                };
                (
                    OffsetsRecord::describe(r.id, &|tp| self.partition_label(*tp))
                        .unwrap_or_default(),
                    label,
                )
            }
            None => {
                let value = e.map_or_else(|| format!("r{}", r.id), |e| e.value.clone());
                let label = short_label(&value);
                (value, label)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_labels() {
        assert_eq!(short_label("p1-12"), "12");
        assert_eq!(short_label("p12-3"), "3");
        assert_eq!(short_label("p-3"), "p-3");
        assert_eq!(short_label("hello"), "hel");
        assert_eq!(short_label("pa-1"), "pa-");
    }
}
