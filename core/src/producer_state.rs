//! The broker-side state of idempotent producers on one partition replica (KAFKA-SEMANTICS §R5.2):
//! AK:storage/.../log/ProducerStateManager.java, ProducerAppendInfo.java, ProducerStateEntry.java and
//! the duplicate lookup of UnifiedLog.scala#analyzeAndValidateProducerState.
//!
//! Pure: the caller asks [`ProducerStateManager::check`] before appending a batch, appends it only
//! on [`AppendCheck::Append`], then records it with [`ProducerStateManager::update`]. A new leader
//! or a replica that truncated its log calls [`ProducerStateManager::rebuild`] on its records, so it
//! deduplicates the same retries the old leader would have (R5.2 step 5, R5.4).
//!
//! Not modelled: transactions (open/completed transactions, coordinator epochs, LSO, R6.5/R6.6),
//! producer-id expiration (`producer.id.expiration.ms`) and snapshots.

use std::collections::VecDeque;

use crate::log::Record;
use crate::types::Offset;
use crate::vec_map::VecMap;

/// How many batches per producer are kept for duplicate detection (ProducerStateEntry
/// `NUM_BATCHES_TO_RETAIN`), matching the client's `max.in.flight.requests.per.connection ≤ 5` (R5.2 step 1, R5.4).
pub const NUM_BATCHES_TO_RETAIN: usize = 5;

/// Kafka's `RecordBatch.NO_SEQUENCE`: the sequence of an entry that has no batch (after an epoch
/// bump by a control record) and of a non-idempotent batch.
pub const NO_SEQUENCE: i32 = -1;

/// One appended batch of a producer (ProducerStateEntry's `BatchMetadata`). Sequences wrap at
/// `i32::MAX → 0` (R5.1), so `last_seq < first_seq` is possible for a batch that wraps.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BatchMetadata {
    /// The batch's first sequence number.
    pub first_seq: i32,
    /// The batch's last sequence number.
    pub last_seq: i32,
    /// The batch's first offset.
    pub first_offset: Offset,
    /// The batch's last offset.
    pub last_offset: Offset,
}

/// What the partition knows about one producer id (ProducerStateEntry): its epoch and its last
/// [`NUM_BATCHES_TO_RETAIN`] batches, all of that epoch, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct ProducerStateEntry {
    /// The producer epoch.
    pub epoch: i16,
    /// The last batches appended (Kafka keeps 5, for duplicate detection).
    pub batches: VecDeque<BatchMetadata>,
}

impl ProducerStateEntry {
    /// First sequence of the oldest retained batch, [`NO_SEQUENCE`] if none (ProducerStateEntry#firstSeq).
    pub fn first_seq(&self) -> i32 {
        self.batches.front().map_or(NO_SEQUENCE, |b| b.first_seq)
    }

    /// Last sequence of the newest batch, [`NO_SEQUENCE`] if none (ProducerStateEntry#lastSeq).
    pub fn last_seq(&self) -> i32 {
        self.batches.back().map_or(NO_SEQUENCE, |b| b.last_seq)
    }

    /// The retained batch with exactly this sequence range, if any (ProducerStateEntry#findDuplicateBatch,
    /// which only looks at batches of the entry's own epoch).
    pub fn find_duplicate(
        &self,
        epoch: i16,
        first_seq: i32,
        last_seq: i32,
    ) -> Option<&BatchMetadata> {
        if epoch != self.epoch {
            return None;
        }
        self.batches
            .iter()
            .find(|b| b.first_seq == first_seq && b.last_seq == last_seq)
    }

    /// Sets the epoch; a different epoch (higher, or lower on a replica) forgets every batch
    /// (ProducerStateEntry#maybeUpdateProducerEpoch).
    fn set_epoch(&mut self, epoch: i16) {
        if self.epoch != epoch {
            self.epoch = epoch;
            self.batches.clear();
        }
    }
}

/// The per-partition map from producer id to [`ProducerStateEntry`] (ProducerStateManager).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct ProducerStateManager {
    /// The state of each producer, by producer id.
    pub producers: VecMap<i64, ProducerStateEntry>,
}

/// The verdict of [`ProducerStateManager::check`] on a batch that is not rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppendCheck {
    /// Append it, then call [`ProducerStateManager::update`].
    Append,
    /// A retry of a retained batch: append nothing and answer `NONE` with the original offsets (R5.2 step 1).
    Duplicate {
        /// The duplicate's first offset, as first appended.
        first_offset: Offset,
        /// The duplicate's last offset, as first appended.
        last_offset: Offset,
    },
}

/// Why a batch is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProducerStateError {
    /// `OUT_OF_ORDER_SEQUENCE_NUMBER` (R5.2 steps 3–4).
    OutOfOrderSequence,
    /// `INVALID_PRODUCER_EPOCH`: an epoch older than the partition's (R5.2 step 2; since 2.7).
    InvalidProducerEpoch,
}

/// Who is appending (Kafka's `AppendOrigin`; `COORDINATOR` is not modelled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A produce request on the leader: duplicate, epoch and sequence checks apply.
    Client,
    /// A follower copying the leader's log, or a replica replaying its own log: no checks (R5.2 step 5).
    Replication,
}

/// `next` directly follows `last`, wrapping `i32::MAX → 0` (ProducerAppendInfo#inSequence, R5.1).
/// `last = NO_SEQUENCE` (no batch yet in this epoch) is followed only by 0.
fn in_sequence(last: i32, next: i32) -> bool {
    i64::from(next) == i64::from(last) + 1 || (next == 0 && last == i32::MAX)
}

impl ProducerStateManager {
    /// An empty producer state.
    pub fn new() -> Self {
        Self::default()
    }

    /// The entry of `producer_id`, if the partition has one (ProducerStateManager#lastEntry).
    pub fn entry(&self, producer_id: i64) -> Option<&ProducerStateEntry> {
        self.producers.get(&producer_id)
    }

    /// Validates a batch (R5.2 steps 1–4 for Client; Replication skips every check).
    ///
    /// For [`Origin::Client`], in this order:
    /// 1. a retained batch of the same epoch with the same `(first_seq, last_seq)` ⇒ [`AppendCheck::Duplicate`]
    ///    (UnifiedLog#analyzeAndValidateProducerState, before any other check);
    /// 2. then [`ProducerStateManager::validate`].
    ///
    /// A batch without a producer id (`producer_id < 0`) is always appended.
    pub fn check(
        &self,
        producer_id: i64,
        epoch: i16,
        first_seq: i32,
        last_seq: i32,
        origin: Origin,
    ) -> Result<AppendCheck, ProducerStateError> {
        if producer_id < 0 || origin == Origin::Replication {
            return Ok(AppendCheck::Append);
        }
        if let Some(dup) = self
            .entry(producer_id)
            .and_then(|e| e.find_duplicate(epoch, first_seq, last_seq))
        {
            return Ok(AppendCheck::Duplicate {
                first_offset: dup.first_offset,
                last_offset: dup.last_offset,
            });
        }
        self.validate(producer_id, epoch, first_seq, origin)?;
        Ok(AppendCheck::Append)
    }

    /// The epoch and sequence rules alone, without the duplicate lookup (ProducerAppendInfo
    /// #checkProducerEpoch/#checkSequence; ProducerStateManagerTest calls these directly, so a
    /// retried batch is `OutOfOrderSequence` here even inside the window).
    ///
    /// * No entry for the producer (new, or its state expired): any epoch and sequence (R5.2 step 4).
    /// * `epoch <` the entry's ⇒ `InvalidProducerEpoch` (step 2).
    /// * `epoch >` the entry's ⇒ `first_seq` must be 0 (step 3).
    /// * Same epoch ⇒ `first_seq` must follow the entry's last sequence, wrapping at `i32::MAX`;
    ///   after a control-record bump the entry has no batch, so it must be 0 (step 4).
    ///
    /// [`Origin::Replication`] accepts everything (step 5; Kafka only logs the old epoch).
    pub fn validate(
        &self,
        producer_id: i64,
        epoch: i16,
        first_seq: i32,
        origin: Origin,
    ) -> Result<(), ProducerStateError> {
        if origin == Origin::Replication || producer_id < 0 {
            return Ok(());
        }
        let Some(entry) = self.entry(producer_id) else {
            return Ok(());
        };
        if epoch < entry.epoch {
            return Err(ProducerStateError::InvalidProducerEpoch);
        }
        let ok = if epoch > entry.epoch {
            first_seq == 0
        } else {
            in_sequence(entry.last_seq(), first_seq)
        };
        if ok {
            Ok(())
        } else {
            Err(ProducerStateError::OutOfOrderSequence)
        }
    }

    /// Records an appended batch (after `check` said Append, or for every replicated batch)
    /// (ProducerStateEntry#addBatch): the entry takes the batch's epoch — forgetting the batches
    /// of another epoch — and keeps only the newest [`NUM_BATCHES_TO_RETAIN`] batches.
    /// Ignored for `producer_id < 0`.
    pub fn update(&mut self, producer_id: i64, epoch: i16, batch: BatchMetadata) {
        if producer_id < 0 {
            return;
        }
        let entry = self
            .producers
            .entry(producer_id)
            .or_insert_with(|| ProducerStateEntry {
                epoch,
                batches: VecDeque::new(),
            });
        entry.set_epoch(epoch);
        if entry.batches.len() == NUM_BATCHES_TO_RETAIN {
            entry.batches.pop_front();
        }
        entry.batches.push_back(batch);
    }

    /// Rebuilds the state from a log (a new leader, or after truncation; ProducerStateManager
    /// #truncateAndReload → UnifiedLog#loadProducersFromRecords, which replays with origin
    /// REPLICATION): every record's producer fields, in offset order, one record = one batch.
    pub fn rebuild(records: &[Record]) -> Self {
        let mut state = Self::new();
        for r in records {
            let p = r.producer;
            state.update(
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
        state
    }

    /// A transaction marker (control record) written with `epoch` (ProducerAppendInfo
    /// #appendEndTxnMarker, R6.5): an older epoch is rejected with `InvalidProducerEpoch`; a newer one
    /// becomes the producer's epoch and forgets its batches, so its next batch must start at
    /// sequence 0 (testControlRecordBumpsProducerEpoch). Creates the entry if the producer is unknown
    /// (testAppendTxnMarkerWithNoProducerState). Coordinator epochs are not modelled.
    pub fn bump_epoch(&mut self, producer_id: i64, epoch: i16) -> Result<(), ProducerStateError> {
        if producer_id < 0 {
            return Ok(());
        }
        let entry = self
            .producers
            .entry(producer_id)
            .or_insert_with(|| ProducerStateEntry {
                epoch,
                batches: VecDeque::new(),
            });
        if epoch < entry.epoch {
            return Err(ProducerStateError::InvalidProducerEpoch);
        }
        entry.set_epoch(epoch);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::ProducerFields;
    use AppendCheck::{Append, Duplicate};
    use Origin::{Client, Replication};
    use ProducerStateError::{InvalidProducerEpoch, OutOfOrderSequence};

    const PID: i64 = 1;

    fn batch(
        first_seq: i32,
        last_seq: i32,
        first_offset: Offset,
        last_offset: Offset,
    ) -> BatchMetadata {
        BatchMetadata {
            first_seq,
            last_seq,
            first_offset,
            last_offset,
        }
    }

    /// `seq + delta`, wrapping at `i32::MAX → 0` as the client numbers records (R5.1).
    fn increment_sequence(seq: i32, delta: i32) -> i32 {
        ((i64::from(seq) + i64::from(delta)) % (i64::from(i32::MAX) + 1)) as i32
    }

    /// A tiny log: `appendAsLeader` / `appendAsFollower` of one batch at the log end, through the
    /// state manager, as UnifiedLog does.
    #[derive(Default)]
    struct Log {
        state: ProducerStateManager,
        leo: Offset,
    }

    impl Log {
        /// Appends a batch of `count` records; returns its `(first, last)` offsets or the error.
        fn append(
            &mut self,
            epoch: i16,
            first_seq: i32,
            count: i32,
            origin: Origin,
        ) -> Result<(Offset, Offset), ProducerStateError> {
            let last_seq = increment_sequence(first_seq, count - 1);
            match self.state.check(PID, epoch, first_seq, last_seq, origin)? {
                Duplicate {
                    first_offset,
                    last_offset,
                } => Ok((first_offset, last_offset)),
                Append => {
                    let (first, last) = (self.leo, self.leo + Offset::from(count) - 1);
                    self.state
                        .update(PID, epoch, batch(first_seq, last_seq, first, last));
                    self.leo = last + 1;
                    Ok((first, last))
                }
            }
        }
    }

    /// ProducerStateManagerTest's `appendClientEntry` / `appendReplicationEntry`: one single-record
    /// batch through the state manager alone (no duplicate lookup), updating on success.
    fn append_entry(
        s: &mut ProducerStateManager,
        epoch: i16,
        seq: i32,
        offset: Offset,
        origin: Origin,
    ) -> Result<(), ProducerStateError> {
        s.validate(PID, epoch, seq, origin)?;
        s.update(PID, epoch, batch(seq, seq, offset, offset));
        Ok(())
    }

    fn last(s: &ProducerStateManager) -> &ProducerStateEntry {
        s.entry(PID).expect("producer has an entry")
    }

    #[test]
    fn s26_duplicate_appends() {
        // S26 / UnifiedLogTest.testDuplicateAppends: pid 1, epoch 0.
        let mut log = Log::default();
        for seq in 0..=5 {
            assert_eq!(log.append(0, seq, 1, Client), Ok((seq.into(), seq.into())));
        }
        assert_eq!(log.append(0, 6, 3, Client), Ok((6, 8)), "3-record batch");
        assert_eq!(
            log.append(0, 6, 3, Client),
            Ok((6, 8)),
            "duplicate of the tail"
        );
        assert_eq!(log.leo, 9, "nothing appended");
        assert_eq!(
            log.append(0, 7, 2, Client),
            Err(OutOfOrderSequence),
            "partial duplicate of the tail"
        );
        assert_eq!(
            log.append(0, 2, 1, Client),
            Ok((2, 2)),
            "4th from the tail is retained"
        );
        assert_eq!(
            log.append(0, 1, 1, Client),
            Err(OutOfOrderSequence),
            "older than the 5 retained"
        );
        assert_eq!(log.leo, 9);
        assert_eq!(log.append(0, 9, 1, Client), Ok((9, 9)));
        assert_eq!(
            log.append(0, 9, 1, Client),
            Ok((9, 9)),
            "duplicate returns the original offsets"
        );
        assert_eq!(log.leo, 10);
        assert_eq!(last(&log.state).batches.len(), NUM_BATCHES_TO_RETAIN);
    }

    #[test]
    fn s27_basic_id_mapping() {
        // ProducerStateManagerTest.testBasicIdMapping (state manager only: no duplicate lookup).
        let mut s = ProducerStateManager::new();
        assert_eq!(append_entry(&mut s, 0, 0, 0, Client), Ok(()));
        assert_eq!(append_entry(&mut s, 0, 1, 1, Client), Ok(()));
        assert_eq!(
            append_entry(&mut s, 0, 1, 1, Client),
            Err(OutOfOrderSequence)
        );
        assert_eq!(
            append_entry(&mut s, 0, 5, 2, Client),
            Err(OutOfOrderSequence)
        );
        assert_eq!(
            append_entry(&mut s, 1, 0, 3, Client),
            Ok(()),
            "epoch + 1, seq 0"
        );
        assert_eq!(
            append_entry(&mut s, 0, 0, 4, Client),
            Err(InvalidProducerEpoch)
        );
        // Through `check` the retried seq 1 would have been a duplicate (R5.2 step 1): only while
        // the epoch is unchanged.
        let mut t = ProducerStateManager::new();
        t.update(PID, 0, batch(0, 0, 0, 0));
        t.update(PID, 0, batch(1, 1, 1, 1));
        assert_eq!(
            t.check(PID, 0, 1, 1, Client),
            Ok(Duplicate {
                first_offset: 1,
                last_offset: 1
            })
        );
    }

    #[test]
    fn s27_old_producer_epoch() {
        // UnifiedLogTest.testOldProducerEpoch: epoch 1 seq 0, then epoch 0 seq 0.
        let mut log = Log::default();
        assert_eq!(log.append(1, 0, 1, Client), Ok((0, 0)));
        assert_eq!(log.append(0, 0, 1, Client), Err(InvalidProducerEpoch));
    }

    #[test]
    fn s27_control_record_bumps_producer_epoch() {
        // ProducerStateManagerTest.testControlRecordBumpsProducerEpoch: data at epoch 0, ABORT at 1.
        let mut s = ProducerStateManager::new();
        append_entry(&mut s, 0, 0, 0, Client).unwrap();
        assert_eq!(s.bump_epoch(PID, 1), Ok(()));
        assert_eq!(last(&s).epoch, 1);
        assert_eq!(
            (last(&s).first_seq(), last(&s).last_seq()),
            (NO_SEQUENCE, NO_SEQUENCE)
        );
        assert_eq!(append_entry(&mut s, 1, 0, 2, Client), Ok(()));
        assert_eq!(last(&s).first_seq(), 0);
    }

    #[test]
    fn s27_out_of_sequence_after_control_record_epoch_bump() {
        // ProducerStateManagerTest.testOutOfSequenceAfterControlRecordEpochBump.
        let mut s = ProducerStateManager::new();
        append_entry(&mut s, 0, 0, 0, Client).unwrap();
        append_entry(&mut s, 0, 1, 1, Client).unwrap();
        s.bump_epoch(PID, 1).unwrap();
        assert_eq!(
            append_entry(&mut s, 1, 2, 2, Client),
            Err(OutOfOrderSequence)
        );
        assert_eq!(
            append_entry(&mut s, 2, 2, 2, Client),
            Err(OutOfOrderSequence)
        );
        assert_eq!(append_entry(&mut s, 1, 0, 0, Client), Ok(()));
        assert_eq!((last(&s).epoch, last(&s).last_seq()), (1, 0));
    }

    #[test]
    fn s27_append_txn_marker_with_no_producer_state() {
        // ProducerStateManagerTest.testAppendTxnMarkerWithNoProducerState: only a COMMIT at epoch 2.
        let mut s = ProducerStateManager::new();
        s.bump_epoch(PID, 2).unwrap();
        assert_eq!((last(&s).epoch, last(&s).last_seq()), (2, NO_SEQUENCE));
        assert_eq!(
            append_entry(&mut s, 0, 0, 4, Client),
            Err(InvalidProducerEpoch)
        );
        assert_eq!(
            append_entry(&mut s, 2, 17, 4, Client),
            Err(OutOfOrderSequence)
        );
        assert_eq!(append_entry(&mut s, 2, 0, 39, Client), Ok(()));
        assert_eq!((last(&s).epoch, last(&s).last_seq()), (2, 0));
        // R6.5: a marker with an older epoch is fenced too.
        assert_eq!(s.bump_epoch(PID, 1), Err(InvalidProducerEpoch));
        assert_eq!(last(&s).epoch, 2);
    }

    #[test]
    fn s27_accept_append_with_sequence_gaps_on_replica() {
        // ProducerStateManagerTest.testAcceptAppendWithSequenceGapsOnReplica.
        let mut s = ProducerStateManager::new();
        append_entry(&mut s, 0, 0, 0, Client).unwrap();
        assert_eq!(
            append_entry(&mut s, 0, 3, 1, Client),
            Err(OutOfOrderSequence)
        );
        assert_eq!(last(&s).last_seq(), 0, "a rejected append changes nothing");
        assert_eq!(s.check(PID, 0, 3, 3, Replication), Ok(Append));
        append_entry(&mut s, 0, 3, 1, Replication).unwrap();
        assert_eq!(last(&s).last_seq(), 3);
    }

    #[test]
    fn s27_sequence_wrap_around() {
        // ProducerStateManagerTest.testProducerSequenceWrapAround: epoch 15, Int.MaxValue at 735
        // (replicated), then seq 0 from a client.
        let mut s = ProducerStateManager::new();
        append_entry(&mut s, 15, i32::MAX, 735, Replication).unwrap();
        assert_eq!(append_entry(&mut s, 15, 0, 1235, Client), Ok(()));
        let e = last(&s);
        assert_eq!((e.epoch, e.first_seq(), e.last_seq()), (15, i32::MAX, 0));
        // testProducerSequenceInvalidWrapAround: seq 1 after Int.MaxValue.
        let mut s = ProducerStateManager::new();
        append_entry(&mut s, 15, i32::MAX, 735, Replication).unwrap();
        assert_eq!(
            append_entry(&mut s, 15, 1, 1235, Client),
            Err(OutOfOrderSequence)
        );
        // testProducerSequenceWithWrapAroundBatchRecord: one batch Int.MaxValue-10 ..= 9.
        let mut s = ProducerStateManager::new();
        s.update(PID, 15, batch(i32::MAX - 10, 9, 2000, 2020));
        assert_eq!(
            (last(&s).first_seq(), last(&s).last_seq()),
            (i32::MAX - 10, 9)
        );
        assert_eq!(s.check(PID, 15, 10, 10, Client), Ok(Append));
        assert_eq!(
            s.check(PID, 15, i32::MAX - 10, 9, Client),
            Ok(Duplicate {
                first_offset: 2000,
                last_offset: 2020
            })
        );
    }

    #[test]
    fn no_state_accepts_any_sequence() {
        // R5.2 step 4 / testNoValidationOnFirstEntryWhenLoadingLog, testReloadSnapshots (client seq 1
        // with no state), testAcceptAppendWithoutProducerStateOnReplica.
        let s = ProducerStateManager::new();
        for origin in [Client, Replication] {
            assert_eq!(s.check(PID, 5, 16, 16, origin), Ok(Append));
            assert_eq!(s.check(PID, 0, 1, 1, origin), Ok(Append));
        }
        let mut s = ProducerStateManager::new();
        append_entry(&mut s, 5, 16, 735, Replication).unwrap();
        let e = last(&s);
        assert_eq!((e.epoch, e.first_seq(), e.last_seq()), (5, 16, 16));
        assert_eq!(e.batches[0], batch(16, 16, 735, 735));
    }

    #[test]
    fn replication_skips_every_check() {
        // R5.2 step 5: gaps, old epochs, new epochs not at 0, duplicates
        // (UnifiedLogTest.testDuplicateAppendToFollower) are all appended by a follower.
        let mut s = ProducerStateManager::new();
        s.update(PID, 3, batch(0, 1, 0, 1));
        for (epoch, first, last) in [(3, 7, 7), (2, 0, 0), (4, 9, 9), (3, 0, 1)] {
            assert_eq!(s.check(PID, epoch, first, last, Replication), Ok(Append));
        }
        assert_eq!(
            s.check(PID, 3, 0, 1, Client),
            Ok(Duplicate {
                first_offset: 0,
                last_offset: 1
            })
        );
        // The duplicate is appended as a follower: the entry now holds both copies.
        s.update(PID, 3, batch(0, 1, 2, 3));
        assert_eq!(last(&s).batches.len(), 2);
        // An older epoch from the leader's log is taken as is (ProducerStateEntry#maybeUpdateProducerEpoch).
        s.update(PID, 2, batch(5, 5, 4, 4));
        assert_eq!((last(&s).epoch, last(&s).first_seq()), (2, 5));
    }

    #[test]
    fn duplicates_are_per_epoch_and_per_producer() {
        let mut s = ProducerStateManager::new();
        s.update(PID, 0, batch(0, 0, 0, 0));
        s.update(2, 0, batch(0, 0, 1, 1));
        // Both producers sent seq 0: each retry finds its own batch (offset 1 for pid 2, not 0).
        assert_eq!(
            s.check(2, 0, 0, 0, Client),
            Ok(Duplicate {
                first_offset: 1,
                last_offset: 1
            })
        );
        // After a bump to epoch 1 a retry at epoch 0 is fenced, not a duplicate (findDuplicateBatch
        // only matches the entry's epoch), and the epoch-0 batches are forgotten.
        s.update(PID, 1, batch(0, 0, 2, 2));
        assert_eq!(s.check(PID, 0, 0, 0, Client), Err(InvalidProducerEpoch));
        assert_eq!(last(&s).batches, [batch(0, 0, 2, 2)]);
        assert_eq!(s.check(PID, 1, 1, 1, Client), Ok(Append));
        // Non-idempotent batches (producer id -1) are never checked nor recorded.
        assert_eq!(
            s.check(-1, -1, NO_SEQUENCE, NO_SEQUENCE, Client),
            Ok(Append)
        );
        s.update(-1, -1, batch(NO_SEQUENCE, NO_SEQUENCE, 3, 3));
        assert_eq!(s.producers.len(), 2);
    }

    /// Tiny SplitMix64 (the simulator's own generator lives in `crate::rng`; this keeps the test self-contained).
    struct SplitMix(u64);

    impl SplitMix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    #[test]
    fn rebuild_reproduces_incremental_state() {
        // R5.2 step 5 / R5.4: a replica that replays the log gets the state the leader built while
        // appending, hence the same answers to every retry. Two producers send single-record batches:
        // new data, retries of recent or old sequences, gaps, and epoch bumps (KIP-360 resets).
        for seed in 0..300u64 {
            let mut rng = SplitMix(seed);
            let mut leader = ProducerStateManager::new();
            let mut records: Vec<Record> = Vec::new();
            let mut next = [(0i16, 0i32); 2]; // (epoch, next sequence) per producer
            for id in 0..(20 + rng.below(40)) as u32 {
                let p = rng.below(2) as usize;
                let (epoch, next_seq) = next[p];
                let (epoch, seq) = match rng.below(10) {
                    0..=5 => (epoch, next_seq),
                    6 | 7 => (epoch, (next_seq - 1 - rng.below(8) as i32).max(0)), // retry, maybe outside the window
                    8 => (epoch, next_seq + 1 + rng.below(2) as i32),              // gap
                    _ => (epoch + 1, 0),                                           // epoch bump
                };
                let pid = p as i64 + 1;
                if let Ok(Append) = leader.check(pid, epoch, seq, seq, Client) {
                    let offset = records.len() as Offset;
                    leader.update(pid, epoch, batch(seq, seq, offset, offset));
                    records.push(Record {
                        offset,
                        epoch: 0,
                        id,
                        producer: ProducerFields {
                            producer_id: pid,
                            producer_epoch: epoch,
                            sequence: seq,
                        },
                        txn: Default::default(),
                        timestamp: 0,
                    });
                    next[p] = (epoch, seq + 1);
                }
            }
            let rebuilt = ProducerStateManager::rebuild(&records);
            assert_eq!(rebuilt, leader, "seed {seed}");
            for pid in 1..=2 {
                for epoch in 0..3 {
                    for seq in -1..12 {
                        assert_eq!(
                            rebuilt.check(pid, epoch, seq, seq, Client),
                            leader.check(pid, epoch, seq, seq, Client),
                            "seed {seed} pid {pid} epoch {epoch} seq {seq}"
                        );
                    }
                }
            }
            // After truncation the rebuilt state forgets the removed batches: a retry of the
            // truncated tail is appended again instead of being a duplicate.
            if let Some(cut) = records.len().checked_sub(1) {
                let truncated = ProducerStateManager::rebuild(&records[..cut]);
                let r = records[cut].producer;
                assert_eq!(
                    truncated.check(
                        r.producer_id,
                        r.producer_epoch,
                        r.sequence,
                        r.sequence,
                        Client
                    ),
                    Ok(Append),
                    "seed {seed}"
                );
            }
        }
    }

    #[test]
    fn s28_retry_after_leader_change() {
        // S28: B0 (seq 0) and B1 (seq 1) at offsets 10, 11 on the old leader; the new leader
        // replicated B0 only. Its rebuilt state answers B0 as a duplicate and appends B1.
        let rec = |offset: Offset, seq: i32| Record {
            offset,
            epoch: 0,
            id: seq as u32,
            producer: ProducerFields {
                producer_id: PID,
                producer_epoch: 0,
                sequence: seq,
            },
            txn: Default::default(),
            timestamp: 0,
        };
        let other = |offset: Offset| Record {
            producer: ProducerFields::NONE,
            ..rec(offset, 0)
        };
        let mut log: Vec<Record> = (0..10).map(other).collect();
        log.push(rec(10, 0));
        let s = ProducerStateManager::rebuild(&log);
        assert_eq!(
            s.check(PID, 0, 0, 0, Client),
            Ok(Duplicate {
                first_offset: 10,
                last_offset: 10
            })
        );
        assert_eq!(s.check(PID, 0, 1, 1, Client), Ok(Append));
        // R5.4 (c): a later batch B2 that overtakes the missing B1 is out of order; the client retries.
        assert_eq!(s.check(PID, 0, 2, 2, Client), Err(OutOfOrderSequence));
    }
}
