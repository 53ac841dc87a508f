//! The `__transaction_state` partition and its records (TransactionLog.scala): where the run's
//! transactional id lives, and how the coordinator's metadata travels in the partition's log so
//! that a new leader can load it (R6.2, TransactionStateManager#loadTransactionsForTxnTopicPartition).
//!
//! Simplifications (docs/RULES.md §6, ARCHITECTURE.md): the topic has one partition; a run has
//! one `transactional.id`, whose producer id is [`TXN_PRODUCER_ID`]; a record packs the state,
//! the producer epoch and *one* partition of the transaction into its id, so an
//! AddPartitionsToTxn that adds k partitions writes k records where Kafka writes one carrying
//! the whole set.

use super::state::{TxnMetadata, TxnState};
use super::TRANSACTION_STATE_TOPIC;
use crate::config::ClusterConfig;
use crate::coordinator::offsets_tp;
use crate::log::{Record, RecordId};
use crate::ordered;
use crate::types::{Millis, TopicPartition};

/// The producer id the coordinator hands to the run's transactional id (Kafka allocates blocks
/// of ids through the controller; one id is enough for one transactional id).
pub const TXN_PRODUCER_ID: i64 = 2000;

/// Replication factor of `__transaction_state`: `transaction.state.log.replication.factor` = 3,
/// capped at the number of brokers.
pub fn txn_state_replication_factor(cfg: &ClusterConfig) -> u32 {
    cfg.brokers.min(3)
}

/// The run's `__transaction_state` partition when its producers are transactional. It comes
/// after the configured topics and `__consumer_offsets`.
pub fn txn_state_tp(cfg: &ClusterConfig) -> Option<TopicPartition> {
    cfg.transactional().then(|| TopicPartition {
        topic: (cfg.topics.len() + usize::from(offsets_tp(cfg).is_some())) as u16,
        partition: 0,
    })
}

/// The name of an internal topic index.
pub fn internal_topic_name(cfg: &ClusterConfig, topic: u16) -> Option<&'static str> {
    if txn_state_tp(cfg).is_some_and(|t| t.topic == topic) {
        Some(TRANSACTION_STATE_TOPIC)
    } else if offsets_tp(cfg).is_some_and(|t| t.topic == topic) {
        Some(crate::config::OFFSETS_TOPIC)
    } else {
        None
    }
}

const FLAG: u32 = 1 << 31;
const STATE_SHIFT: u32 = 28;
const EPOCH_SHIFT: u32 = 13;
const EPOCH_MASK: u32 = (1 << 15) - 1;
const SLOT_MASK: u32 = (1 << 13) - 1;

/// The partitions a transaction can hold, in slot order: the configured topics' partitions,
/// then `__consumer_offsets` (AddOffsetsToTxn). Slot 0 means "no partition".
fn slots(cfg: &ClusterConfig) -> impl Iterator<Item = TopicPartition> + '_ {
    let topics = cfg.topics.iter().enumerate().flat_map(|(t, topic)| {
        (0..topic.partitions).map(move |p| TopicPartition {
            topic: t as u16,
            partition: p as u16,
        })
    });
    topics.chain(offsets_tp(cfg))
}

/// One `__transaction_state` record: the id's state and epoch after a change, and one partition
/// of its transaction (or none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxnLogRecord {
    /// The state written.
    pub state: TxnState,
    /// The producer epoch written.
    pub producer_epoch: i16,
    /// A partition of the transaction, for Ongoing records that add one.
    pub partition: Option<TopicPartition>,
}

impl TxnLogRecord {
    /// Packs the record into a record id (bit 31 set: never a ledger id).
    pub fn encode(self, cfg: &ClusterConfig) -> RecordId {
        let state = TxnState::ALL
            .iter()
            .position(|s| *s == self.state)
            .unwrap_or(0) as u32;
        let slot = self
            .partition
            .and_then(|tp| slots(cfg).position(|s| s == tp))
            .map_or(0, |i| (i as u32 + 1) & SLOT_MASK);
        let epoch = (self.producer_epoch.max(0) as u32) & EPOCH_MASK;
        FLAG | state << STATE_SHIFT | epoch << EPOCH_SHIFT | slot
    }

    /// Unpacks a record id written by [`TxnLogRecord::encode`].
    pub fn decode(id: RecordId, cfg: &ClusterConfig) -> Option<TxnLogRecord> {
        if id & FLAG == 0 {
            return None;
        }
        let state = *TxnState::ALL.get(((id >> STATE_SHIFT) & 0b111) as usize)?;
        let slot = id & SLOT_MASK;
        let partition = match slot {
            0 => None,
            s => Some(slots(cfg).nth(s as usize - 1)?),
        };
        Some(TxnLogRecord {
            state,
            producer_epoch: ((id >> EPOCH_SHIFT) & EPOCH_MASK) as i16,
            partition,
        })
    }

    /// Short text for a log cell: the state's initials and the partition (`On0`, `PC`, `CC`).
    pub fn label(self) -> String {
        let initials: String = self
            .state
            .name()
            .chars()
            .filter(|c| c.is_ascii_uppercase())
            .collect();
        match self.partition {
            Some(tp) => format!("{initials}{}", tp.partition),
            None => initials,
        }
    }
}

/// The records that write `new` after `old` (the coordinator's metadata before the change):
/// one per partition `new` adds while Ongoing, else one with no partition.
pub fn records_for(
    cfg: &ClusterConfig,
    old: Option<&TxnMetadata>,
    new: &TxnMetadata,
) -> Vec<RecordId> {
    let mut ids: Vec<RecordId> = Vec::new();
    if new.state == TxnState::Ongoing {
        let before: &[TopicPartition] = match old {
            Some(o) if o.state == TxnState::Ongoing => &o.partitions,
            _ => &[],
        };
        for tp in new.partitions.iter().filter(|tp| !before.contains(tp)) {
            let r = TxnLogRecord {
                state: new.state,
                producer_epoch: new.producer_epoch,
                partition: Some(*tp),
            };
            ids.push(r.encode(cfg));
        }
    }
    if ids.is_empty() {
        let r = TxnLogRecord {
            state: new.state,
            producer_epoch: new.producer_epoch,
            partition: None,
        };
        ids.push(r.encode(cfg));
    }
    ids
}

/// The metadata a partition's log holds for the run's transactional id (the last state wins;
/// an Ongoing run of records collects its partitions and starts its timeout at its first
/// record's time), or `None` for an empty log.
pub fn load(cfg: &ClusterConfig, records: &[Record]) -> Option<TxnMetadata> {
    let tid = cfg.transactional_id()?;
    let mut m: Option<TxnMetadata> = None;
    for r in records {
        let Some(rec) = TxnLogRecord::decode(r.id, cfg) else {
            continue;
        };
        let meta = m.get_or_insert_with(|| TxnMetadata {
            transactional_id: tid.clone(),
            producer_id: TXN_PRODUCER_ID,
            producer_epoch: 0,
            timeout_ms: cfg.producer.transaction_timeout_ms,
            state: TxnState::Empty,
            partitions: Vec::new(),
            txn_start_ms: 0,
        });
        let was = meta.state;
        meta.producer_epoch = rec.producer_epoch;
        meta.state = rec.state;
        match rec.state {
            TxnState::Ongoing => {
                if was != TxnState::Ongoing {
                    meta.partitions.clear();
                    meta.txn_start_ms = r.timestamp;
                }
                if let Some(tp) = rec.partition {
                    if !meta.partitions.contains(&tp) {
                        meta.partitions.push(tp);
                        ordered::sort(&mut meta.partitions);
                    }
                }
            }
            TxnState::PrepareCommit | TxnState::PrepareAbort | TxnState::PrepareEpochFence => {}
            _ => meta.partitions.clear(),
        }
    }
    m
}

/// When the transaction of `m` times out.
pub fn deadline(m: &TxnMetadata) -> Option<Millis> {
    (m.state == TxnState::Ongoing).then_some(m.txn_start_ms + m.timeout_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> ClusterConfig {
        let mut c = ClusterConfig::default();
        c.producer.transactional_id = Some("app".into());
        c.topics[0].partitions = 3;
        c
    }

    #[test]
    fn records_round_trip_and_load_rebuilds_the_metadata() {
        let cfg = cfg();
        let tp = |p| TopicPartition {
            topic: 0,
            partition: p,
        };
        let mut m = TxnMetadata {
            transactional_id: "app".into(),
            producer_id: TXN_PRODUCER_ID,
            producer_epoch: 7,
            timeout_ms: cfg.producer.transaction_timeout_ms,
            state: TxnState::Empty,
            partitions: vec![],
            txn_start_ms: 0,
        };
        let mut log: Vec<Record> = Vec::new();
        let write =
            |log: &mut Vec<Record>, old: Option<&TxnMetadata>, new: &TxnMetadata, at: Millis| {
                for id in records_for(&cfg, old, new) {
                    log.push(Record {
                        offset: log.len() as i64,
                        epoch: 0,
                        id,
                        producer: crate::log::ProducerFields::NONE,
                        txn: Default::default(),
                        timestamp: at,
                    });
                }
            };
        write(&mut log, None, &m, 10);
        let empty = m.clone();
        m.state = TxnState::Ongoing;
        m.partitions = vec![tp(0), tp(1)];
        m.txn_start_ms = 20;
        write(&mut log, Some(&empty), &m, 20);
        let two = m.clone();
        m.partitions.push(tp(2));
        write(&mut log, Some(&two), &m, 30);
        assert_eq!(log.len(), 4, "one record per partition added");
        let loaded = load(&cfg, &log).expect("records");
        assert_eq!(loaded, m, "an Ongoing transaction comes back whole");
        let ongoing = m.clone();
        m.state = TxnState::PrepareCommit;
        write(&mut log, Some(&ongoing), &m, 40);
        assert_eq!(
            load(&cfg, &log),
            Some(m.clone()),
            "PrepareCommit keeps its partitions"
        );
        let decoded = TxnLogRecord::decode(log[3].id, &cfg).expect("a txn record");
        assert_eq!(decoded.partition, Some(tp(2)));
        assert_eq!(decoded.producer_epoch, 7);
        assert_eq!(decoded.label(), "O2");
    }

    #[test]
    fn the_transaction_log_follows_consumer_offsets() {
        let mut cfg = cfg();
        let n = cfg.topics.len() as u16;
        assert_eq!(txn_state_tp(&cfg).map(|t| t.topic), Some(n));
        cfg.consumers = 1;
        assert_eq!(txn_state_tp(&cfg).map(|t| t.topic), Some(n + 1));
        assert_eq!(
            internal_topic_name(&cfg, n + 1),
            Some(TRANSACTION_STATE_TOPIC)
        );
        cfg.producer.transactional_id = None;
        assert_eq!(txn_state_tp(&cfg), None);
    }
}
