//! One replica's log: records with their leader epochs, LEO, high watermark, log start offset,
//! the leader-epoch cache, and how much of it is flushed to disk (§0.1).

use serde::{Deserialize, Serialize};

use crate::epoch_cache::EpochCache;
use crate::producer_state::{BatchMetadata, ProducerStateManager};
use crate::txn::markers::{PartitionTxns, TxnAppend};
use crate::txn::{RecordTxn, TxnError};
use crate::types::{Epoch, Millis, Offset};

/// Index of a produced record in the run's ledger; retries of one `send()` share it, so a
/// duplicate in a log is the same id at two offsets.
pub type RecordId = u32;

/// Producer fields of a batch (KIP-98); `producer_id = -1` for a non-idempotent producer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProducerFields {
    /// The idempotent producer's id (`producerId`); -1 when not idempotent.
    pub producer_id: i64,
    /// The producer's epoch (`producerEpoch`).
    pub producer_epoch: i16,
    /// The record's sequence number (`baseSequence`).
    pub sequence: i32,
}

impl ProducerFields {
    /// The fields of a record from a non-idempotent producer.
    pub const NONE: ProducerFields = ProducerFields {
        producer_id: -1,
        producer_epoch: -1,
        sequence: -1,
    };
}

/// One record as stored in a log. The simulator sends one record per batch, so a record carries
/// its batch's fields (partition leader epoch, producer id/epoch/sequence).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Record {
    /// The record's offset in the partition.
    pub offset: Offset,
    /// `partitionLeaderEpoch` stamped by the leader that appended it (KIP-101).
    pub epoch: Epoch,
    /// The ledger's id of the record.
    pub id: RecordId,
    /// The producer fields of the record's batch.
    pub producer: ProducerFields,
    /// Transactional data, a COMMIT/ABORT marker, or neither (R6.5).
    #[serde(default)]
    pub txn: RecordTxn,
    /// The record's timestamp: the leader's append time (simplification: Kafka's default
    /// `message.timestamp.type` is CreateTime, the producer's clock; here clocks agree), used
    /// by `retention.ms`. Followers copy it.
    #[serde(default)]
    pub timestamp: Millis,
}

/// A replica's local log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReplicaLog {
    log_start_offset: Offset,
    records: Vec<Record>,
    high_watermark: Offset,
    epochs: EpochCache,
    flushed: Offset,
    /// Idempotent producers' state, kept up to date by every append (leader or follower) and
    /// rebuilt from the records after a truncation (R5.2; UnifiedLog keeps a ProducerStateManager
    /// per log and reloads it on truncateTo).
    producers: ProducerStateManager,
    /// Transactions on this partition, their markers and the LSO (R6.5–R6.6; `txn::markers`).
    txns: PartitionTxns,
}

impl ReplicaLog {
    /// An empty log.
    pub fn new() -> Self {
        ReplicaLog::default()
    }

    /// The first offset still in the log.
    pub fn log_start_offset(&self) -> Offset {
        self.log_start_offset
    }

    /// Log end offset: the offset the next record will get.
    pub fn leo(&self) -> Offset {
        self.log_start_offset + self.records.len() as Offset
    }

    /// The replica's high watermark: offsets below it are committed.
    pub fn high_watermark(&self) -> Offset {
        self.high_watermark
    }

    /// The leader epoch cache: the first offset of each leader epoch in the log.
    pub fn epoch_cache(&self) -> &EpochCache {
        &self.epochs
    }

    /// The idempotent producers this replica knows from its log (R5.2).
    pub fn producer_state(&self) -> &ProducerStateManager {
        &self.producers
    }

    /// This replica's transactions: ongoing ones, the aborted index (R6.5).
    pub fn txns(&self) -> &PartitionTxns {
        &self.txns
    }

    /// The last stable offset, never above the HW (R6.6).
    pub fn last_stable_offset(&self) -> Offset {
        self.txns.last_stable_offset(self.high_watermark)
    }

    fn record_producer(&mut self, r: &Record) {
        // The log's own records passed the checks on the leader (`append_txn_as_leader`).
        let _ = self.txns.append(TxnAppend::of(r));
        self.record_idempotence(r);
    }

    fn record_idempotence(&mut self, r: &Record) {
        if matches!(r.txn, RecordTxn::Control(_)) {
            return;
        }
        let p = r.producer;
        self.producers.update(
            p.producer_id,
            p.producer_epoch,
            BatchMetadata {
                first_seq: p.sequence,
                last_seq: p.sequence,
                first_offset: r.offset,
                last_offset: r.offset,
            },
        );
    }

    /// Offsets below this survive a crash that loses the page cache.
    pub fn flushed_offset(&self) -> Offset {
        self.flushed
    }

    /// The records, from the log start offset.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The record at `offset`, if the log holds it.
    pub fn get(&self, offset: Offset) -> Option<&Record> {
        if offset < self.log_start_offset {
            return None;
        }
        self.records.get((offset - self.log_start_offset) as usize)
    }

    /// Records from `from` up to (excluding) `to`, clamped to the log.
    pub fn slice(&self, from: Offset, to: Offset) -> &[Record] {
        let lo = (from.max(self.log_start_offset) - self.log_start_offset) as usize;
        let hi = (to.min(self.leo()).max(self.log_start_offset) - self.log_start_offset) as usize;
        if lo >= hi {
            &[]
        } else {
            &self.records[lo..hi]
        }
    }

    /// Epoch of the last record, as sent in `LastFetchedEpoch` (R1.1): the cache's latest epoch.
    pub fn last_fetched_epoch(&self) -> Option<Epoch> {
        self.epochs.latest_epoch()
    }

    /// Leader append (Partition.appendRecordsToLeader): the offset is the LEO, the epoch the
    /// leader's current one, and the epoch cache learns the epoch's start offset.
    pub fn append_as_leader(
        &mut self,
        epoch: Epoch,
        id: RecordId,
        producer: ProducerFields,
    ) -> Offset {
        self.append_as_leader_at(epoch, id, producer, 0)
    }

    /// [`ReplicaLog::append_as_leader`] with the record's timestamp (its append time).
    pub fn append_as_leader_at(
        &mut self,
        epoch: Epoch,
        id: RecordId,
        producer: ProducerFields,
        timestamp: Millis,
    ) -> Offset {
        let offset = self.leo();
        self.epochs.assign(epoch, offset);
        let record = Record {
            offset,
            epoch,
            id,
            producer,
            txn: RecordTxn::None,
            timestamp,
        };
        self.record_producer(&record);
        self.records.push(record);
        offset
    }

    /// Leader append of transactional data or of a marker (R6.5), after the partition's checks
    /// (`PartitionTxns::append`: stale producer or coordinator epoch, non-transactional data in
    /// an open transaction). A marker's id is `txn::marker_id(coordinator epoch)`.
    pub fn append_txn_as_leader(
        &mut self,
        epoch: Epoch,
        id: RecordId,
        producer: ProducerFields,
        txn: RecordTxn,
    ) -> Result<Offset, TxnError> {
        self.append_txn_as_leader_at(epoch, id, producer, txn, 0)
    }

    /// [`ReplicaLog::append_txn_as_leader`] with the record's timestamp (its append time).
    pub fn append_txn_as_leader_at(
        &mut self,
        epoch: Epoch,
        id: RecordId,
        producer: ProducerFields,
        txn: RecordTxn,
        timestamp: Millis,
    ) -> Result<Offset, TxnError> {
        let offset = self.leo();
        let record = Record {
            offset,
            epoch,
            id,
            producer,
            txn,
            timestamp,
        };
        self.txns.append(TxnAppend::of(&record))?;
        self.epochs.assign(epoch, offset);
        self.record_idempotence(&record);
        self.records.push(record);
        Ok(offset)
    }

    /// Follower append of replicated records (R1.6): they must start exactly at the LEO.
    /// Returns false (and appends nothing) if they do not.
    pub fn append_as_follower(&mut self, records: &[Record]) -> bool {
        match records.first() {
            None => return true,
            Some(r) if r.offset != self.leo() => return false,
            _ => {}
        }
        for r in records {
            self.epochs.assign(r.epoch, r.offset);
            // R5.2 step 5: a follower rebuilds the producer state from replicated batches, so a
            // new leader deduplicates retries of batches it replicated (R5.4).
            self.record_producer(r);
            self.records.push(*r);
        }
        true
    }

    /// Records the leader's epoch start even before any record is written (KAFKA-7415, R3.4).
    pub fn assign_epoch_start(&mut self, epoch: Epoch) {
        let leo = self.leo();
        self.epochs.assign(epoch, leo);
    }

    /// UnifiedLog.truncateTo: drop every record at or above `offset`; the HW follows down
    /// (R4.4 "After truncation: HW := min(HW, newLEO)"). Returns the removed records.
    pub fn truncate_to(&mut self, offset: Offset) -> Vec<Record> {
        let offset = offset.max(self.log_start_offset);
        if offset >= self.leo() {
            // UnifiedLog#truncateTo still trims the epoch cache at the LEO: an epoch this replica
            // recorded as leader without writing anything must not outlive its leadership.
            let leo = self.leo();
            self.epochs.truncate_from_end(leo);
            return Vec::new();
        }
        let keep = (offset - self.log_start_offset) as usize;
        let removed = self.records.split_off(keep);
        self.epochs.truncate_from_end(offset);
        // ProducerStateManager#truncateAndReload: replay what is left.
        if removed.iter().any(|r| r.producer.producer_id >= 0) {
            self.producers = ProducerStateManager::rebuild(&self.records);
        }
        self.high_watermark = self.high_watermark.min(offset);
        if removed.iter().any(|r| r.txn != RecordTxn::None) {
            let appends = self.records.iter().map(TxnAppend::of);
            self.txns = PartitionTxns::rebuild(appends, self.high_watermark);
        }
        self.flushed = self.flushed.min(offset);
        removed
    }

    /// Sets the HW clamped to `[log start, LEO]` (UnifiedLog#updateHighWatermark). Returns the old value.
    pub fn set_high_watermark(&mut self, hw: Offset) -> Offset {
        let old = self.high_watermark;
        self.high_watermark = hw.clamp(self.log_start_offset, self.leo());
        self.txns.on_high_watermark(self.high_watermark);
        old
    }

    /// UnifiedLog#maybeIncrementLogStartOffset: moves the log start up to `to`, never past the
    /// HW (Kafka throws OffsetOutOfRangeException above it; UnifiedLog#deletableSegments deletes
    /// only segments wholly below the HW). The records below it are deleted, the epoch cache is
    /// trimmed from the start (LeaderEpochFileCache#truncateFromStart) and the producer state
    /// rebuilt from what is left (ProducerStateManager#truncateHead). Returns the deleted records.
    /// Simplification: a segment is one record, so the log start moves record by record.
    pub fn advance_log_start(&mut self, to: Offset) -> Vec<Record> {
        let to = to.min(self.high_watermark);
        if to <= self.log_start_offset {
            return Vec::new();
        }
        let n = (to - self.log_start_offset) as usize;
        let deleted: Vec<Record> = self.records.drain(..n).collect();
        self.log_start_offset = to;
        self.epochs.truncate_from_start(to);
        self.flushed = self.flushed.max(to);
        if deleted.iter().any(|r| r.producer.producer_id >= 0) {
            self.producers = ProducerStateManager::rebuild(&self.records);
        }
        deleted
    }

    /// UnifiedLog#truncateFullyAndStartAt: a follower that fell below the leader's log start drops
    /// its whole log and starts empty at `start` (AbstractFetcherThread#handleOutOfRangeError).
    /// Returns the removed records.
    pub fn truncate_fully_and_start_at(&mut self, start: Offset) -> Vec<Record> {
        let removed = std::mem::take(&mut self.records);
        self.log_start_offset = start;
        self.high_watermark = start;
        self.flushed = start;
        self.epochs = EpochCache::new();
        self.producers = ProducerStateManager::default();
        removed
    }

    /// Writes every dirty page to disk.
    pub fn flush(&mut self) {
        self.flushed = self.leo();
    }

    /// A crash that loses the page cache keeps only the flushed prefix (§0.1; KIP-101 scenario 2).
    pub fn lose_unflushed(&mut self) -> Vec<Record> {
        let flushed = self.flushed;
        self.truncate_to(flushed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_truncate_and_epochs() {
        let mut log = ReplicaLog::new();
        assert_eq!(log.append_as_leader(0, 1, ProducerFields::NONE), 0);
        assert_eq!(log.append_as_leader(0, 2, ProducerFields::NONE), 1);
        assert_eq!(log.append_as_leader(1, 3, ProducerFields::NONE), 2);
        assert_eq!(log.leo(), 3);
        assert_eq!(log.last_fetched_epoch(), Some(1));
        log.set_high_watermark(9);
        assert_eq!(log.high_watermark(), 3, "HW is clamped to the LEO");
        let removed = log.truncate_to(1);
        assert_eq!(removed.iter().map(|r| r.id).collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(log.high_watermark(), 1);
        assert_eq!(
            log.last_fetched_epoch(),
            Some(0),
            "epoch 1's entry started at 2 and is gone"
        );
    }

    #[test]
    fn follower_append_must_start_at_leo() {
        let mut leader = ReplicaLog::new();
        leader.append_as_leader(3, 7, ProducerFields::NONE);
        leader.append_as_leader(3, 8, ProducerFields::NONE);
        let mut f = ReplicaLog::new();
        assert!(!f.append_as_follower(leader.slice(1, 2)));
        assert!(f.append_as_follower(leader.slice(0, 2)));
        assert_eq!(f.records(), leader.records());
        assert_eq!(f.epoch_cache(), leader.epoch_cache());
    }

    #[test]
    fn log_start_moves_but_never_past_the_hw() {
        let mut log = ReplicaLog::new();
        for id in 0..5 {
            log.append_as_leader(0, id, ProducerFields::NONE);
        }
        log.set_high_watermark(3);
        assert_eq!(log.advance_log_start(2).len(), 2);
        assert_eq!((log.log_start_offset(), log.leo()), (2, 5));
        assert!(log.get(1).is_none());
        assert_eq!(log.get(2).map(|r| r.id), Some(2));
        let deleted = log.advance_log_start(9);
        assert_eq!(deleted.len(), 1, "only up to the HW (3)");
        assert_eq!(log.log_start_offset(), 3);
        assert!(log.advance_log_start(1).is_empty(), "never moves back");
        assert_eq!(log.log_start_offset(), 3);
    }

    #[test]
    fn full_truncation_starts_empty_at_the_leaders_log_start() {
        let mut log = ReplicaLog::new();
        log.append_as_leader(0, 1, ProducerFields::NONE);
        log.append_as_leader(0, 2, ProducerFields::NONE);
        assert_eq!(log.truncate_fully_and_start_at(7).len(), 2);
        assert_eq!(
            (log.log_start_offset(), log.leo(), log.high_watermark()),
            (7, 7, 7)
        );
        assert!(log.epoch_cache().entries().is_empty());
    }

    #[test]
    fn unflushed_suffix_is_lost() {
        let mut log = ReplicaLog::new();
        log.append_as_leader(0, 1, ProducerFields::NONE);
        log.flush();
        log.append_as_leader(0, 2, ProducerFields::NONE);
        assert_eq!(log.lose_unflushed().len(), 1);
        assert_eq!(log.leo(), 1);
    }

    #[test]
    fn producer_state_follows_replication_and_truncation() {
        // R5.2 step 5 / R5.4: a follower learns the producer state from replicated batches (so it
        // deduplicates retries once it leads); truncation reloads it from what is left.
        let p = |sequence| ProducerFields {
            producer_id: 7,
            producer_epoch: 0,
            sequence,
        };
        let mut leader = ReplicaLog::new();
        leader.append_as_leader(0, 1, p(0));
        leader.append_as_leader(0, 2, p(1));
        let mut f = ReplicaLog::new();
        assert!(f.append_as_follower(leader.slice(0, 2)));
        assert_eq!(f.producer_state(), leader.producer_state());
        assert_eq!(f.producer_state().entry(7).unwrap().last_seq(), 1);
        f.truncate_to(1);
        assert_eq!(f.producer_state().entry(7).unwrap().last_seq(), 0);
    }

    #[test]
    fn transactions_follow_replication_truncation_and_the_hw() {
        // R6.5–R6.6 on a real log: a transaction holds the LSO until its marker is below the HW;
        // a follower learns markers (with their coordinator epoch) from replication, and a
        // truncation that removes a marker reopens the transaction.
        use crate::txn::{marker_id, ControlKind};
        let p = |sequence| ProducerFields {
            producer_id: 7,
            producer_epoch: 0,
            sequence,
        };
        let mut leader = ReplicaLog::new();
        leader.append_as_leader(0, 1, ProducerFields::NONE);
        let data = RecordTxn::Transactional;
        assert_eq!(leader.append_txn_as_leader(0, 2, p(0), data), Ok(1));
        leader.set_high_watermark(2);
        assert_eq!(
            leader.last_stable_offset(),
            1,
            "the open transaction holds the LSO"
        );
        let commit = RecordTxn::Control(ControlKind::Commit);
        let m = ProducerFields {
            sequence: -1,
            ..p(0)
        };
        assert_eq!(
            leader.append_txn_as_leader(0, marker_id(3), m, commit),
            Ok(2)
        );
        leader.set_high_watermark(2);
        assert_eq!(leader.last_stable_offset(), 1, "marker not below the HW");
        leader.set_high_watermark(3);
        assert_eq!(leader.last_stable_offset(), 3);
        // A zombie coordinator's marker (epoch 2 < 3) is refused; the log is unchanged.
        let abort = RecordTxn::Control(ControlKind::Abort);
        assert_eq!(
            leader.append_txn_as_leader(0, marker_id(2), m, abort),
            Err(TxnError::TransactionCoordinatorFenced)
        );
        assert_eq!(leader.leo(), 3);
        let mut f = ReplicaLog::new();
        assert!(f.append_as_follower(leader.slice(0, 3)));
        assert_eq!(f.txns().ongoing().count(), 0);
        f.set_high_watermark(3);
        assert_eq!(f.last_stable_offset(), 3);
        f.truncate_to(2);
        assert_eq!(f.txns().ongoing().collect::<Vec<_>>(), vec![(7, 1)]);
        assert_eq!(f.last_stable_offset(), 1);
        // The idempotent state ignores the marker: the next sequence is still 1.
        assert_eq!(leader.producer_state().entry(7).unwrap().last_seq(), 0);
    }
}
