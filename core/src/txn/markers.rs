//! A partition's transactions (R6.5–R6.6; ProducerStateManager.java, ProducerAppendInfo.java#appendEndTxnMarker,
//! UnifiedLog.scala#lastStableOffset): ongoing transactions per producer, COMMIT/ABORT markers
//! with their producer-epoch and coordinator-epoch checks, completed transactions that hold the
//! LSO until the HW passes their marker, and the aborted-transaction index.

use crate::vec_map::VecMap;

use serde::{Deserialize, Serialize};

use super::{ControlKind, RecordTxn, TxnError};
use crate::log::Record;
use crate::types::{Epoch, Offset};

/// One entry of the aborted-transaction index (AbortedTxn.java).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AbortedTxn {
    /// The producer whose transaction was aborted.
    pub producer_id: i64,
    /// Offset of the transaction's first record on this partition.
    pub first_offset: Offset,
    /// Offset of the ABORT marker.
    pub last_offset: Offset,
    /// The LSO right after the marker (the first offset still unstable, or the marker + 1).
    pub last_stable_offset: Offset,
}

/// A transaction whose marker is written but not yet below the HW: it still holds the LSO
/// (ProducerStateManager's `unreplicatedTxns`, R6.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CompletedTxn {
    /// The producer.
    pub producer_id: i64,
    /// First record of the transaction.
    pub first_offset: Offset,
    /// The marker's offset.
    pub marker_offset: Offset,
    /// Whether it was aborted.
    pub aborted: bool,
}

/// One append to a partition, as the transaction state sees it (used to rebuild it from a log).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TxnAppend {
    /// A data record; `transactional` is the batch's transactional flag.
    Data {
        /// Offset of the record.
        offset: Offset,
        /// Producer id (-1 without one).
        producer_id: i64,
        /// Producer epoch.
        producer_epoch: i16,
        /// The batch belongs to a transaction.
        transactional: bool,
    },
    /// A control record (a marker) written by WriteTxnMarkers.
    Marker {
        /// Offset the marker takes.
        offset: Offset,
        /// Producer id of the transaction it ends.
        producer_id: i64,
        /// Producer epoch on the marker.
        producer_epoch: i16,
        /// The coordinator epoch on the marker.
        coordinator_epoch: Epoch,
        /// COMMIT or ABORT.
        kind: ControlKind,
    },
}

impl TxnAppend {
    /// What a log record means to the transaction state (a marker's coordinator epoch is in its
    /// id, `txn::marker_id`).
    pub fn of(r: &Record) -> TxnAppend {
        match r.txn {
            RecordTxn::Control(kind) => TxnAppend::Marker {
                offset: r.offset,
                producer_id: r.producer.producer_id,
                producer_epoch: r.producer.producer_epoch,
                coordinator_epoch: super::marker_coordinator_epoch(r.id),
                kind,
            },
            t => TxnAppend::Data {
                offset: r.offset,
                producer_id: r.producer.producer_id,
                producer_epoch: r.producer.producer_epoch,
                transactional: t == RecordTxn::Transactional,
            },
        }
    }
}

/// A partition's transaction state (kept on every replica, rebuilt after truncation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PartitionTxns {
    /// Open transactions: producer id → first offset (`ongoingTxns`).
    ongoing: VecMap<i64, Offset>,
    /// Completed transactions whose marker is not yet below the HW.
    unreplicated: Vec<CompletedTxn>,
    /// The aborted-transaction index, in marker order.
    aborted: Vec<AbortedTxn>,
    /// Latest producer epoch per producer seen on this partition.
    producer_epochs: VecMap<i64, i16>,
    /// Latest coordinator epoch per producer seen on a marker (ProducerStateEntry#coordinatorEpoch).
    coordinator_epochs: VecMap<i64, Epoch>,
}

impl PartitionTxns {
    /// An empty state.
    pub fn new() -> Self {
        PartitionTxns::default()
    }

    /// Rebuilds the state from a log's appends and its HW (ProducerStateManager is reloaded from
    /// the log after truncation).
    pub fn rebuild(appends: impl IntoIterator<Item = TxnAppend>, high_watermark: Offset) -> Self {
        let mut s = PartitionTxns::new();
        for a in appends {
            // A log's own records passed these checks when appended.
            let _ = s.append(a);
        }
        s.on_high_watermark(high_watermark);
        s
    }

    /// Applies one append after checking it (R6.3 mixing, R6.5 epochs).
    pub fn append(&mut self, a: TxnAppend) -> Result<(), TxnError> {
        match a {
            TxnAppend::Data {
                offset,
                producer_id,
                producer_epoch,
                transactional,
            } => self.append_data(offset, producer_id, producer_epoch, transactional),
            TxnAppend::Marker {
                offset,
                producer_id,
                producer_epoch,
                coordinator_epoch,
                kind,
            } => self.append_marker(offset, producer_id, producer_epoch, coordinator_epoch, kind),
        }
    }

    fn append_data(
        &mut self,
        offset: Offset,
        pid: i64,
        epoch: i16,
        transactional: bool,
    ) -> Result<(), TxnError> {
        if pid < 0 {
            return Ok(());
        }
        if let Some(&known) = self.producer_epochs.get(&pid) {
            if epoch < known {
                // A zombie's write after an ABORT with a bumped epoch (R6.5, S31 step 4).
                return Err(TxnError::InvalidProducerEpoch);
            }
        }
        if !transactional && self.ongoing.contains_key(&pid) {
            // ProducerStateManagerTest.testNonTransactionalAppendWithOngoingTransaction (R6.3).
            return Err(TxnError::InvalidTxnState);
        }
        self.producer_epochs.insert(pid, epoch);
        if transactional {
            self.ongoing.entry(pid).or_insert(offset);
        }
        Ok(())
    }

    fn append_marker(
        &mut self,
        offset: Offset,
        pid: i64,
        epoch: i16,
        coordinator_epoch: Epoch,
        kind: ControlKind,
    ) -> Result<(), TxnError> {
        if let Some(&known) = self.producer_epochs.get(&pid) {
            if epoch < known {
                // testEndTxnWithFencedProducerEpoch (S35).
                return Err(TxnError::InvalidProducerEpoch);
            }
        }
        if let Some(&known) = self.coordinator_epochs.get(&pid) {
            if coordinator_epoch < known {
                // A zombie coordinator (testZombieCoordinatorFenced, S35).
                return Err(TxnError::TransactionCoordinatorFenced);
            }
        }
        // An ABORT with a higher epoch bumps the partition's epoch for this producer (R6.5).
        self.producer_epochs.insert(pid, epoch);
        self.coordinator_epochs.insert(pid, coordinator_epoch);
        let first = self.ongoing.remove(&pid);
        if let Some(first_offset) = first {
            self.unreplicated.push(CompletedTxn {
                producer_id: pid,
                first_offset,
                marker_offset: offset,
                aborted: kind == ControlKind::Abort,
            });
            if kind == ControlKind::Abort {
                let last_stable_offset = self.ongoing.values().copied().min().unwrap_or(offset + 1);
                self.aborted.push(AbortedTxn {
                    producer_id: pid,
                    first_offset,
                    last_offset: offset,
                    last_stable_offset,
                });
            }
        }
        Ok(())
    }

    /// The HW moved: completed transactions whose marker is below it stop holding the LSO
    /// (ProducerStateManager#onHighWatermarkUpdated).
    pub fn on_high_watermark(&mut self, high_watermark: Offset) {
        self.unreplicated
            .retain(|t| t.marker_offset >= high_watermark);
    }

    /// `min(first offset of ongoing txns, first offset of completed txns whose marker is not yet
    /// below the HW)` (ProducerStateManager#firstUnstableOffset, R6.6).
    pub fn first_unstable_offset(&self) -> Option<Offset> {
        let ongoing = self.ongoing.values().copied();
        let unreplicated = self.unreplicated.iter().map(|t| t.first_offset);
        ongoing.chain(unreplicated).min()
    }

    /// The LSO: the first unstable offset if below the HW, else the HW; never above the HW (R6.6).
    pub fn last_stable_offset(&self, high_watermark: Offset) -> Offset {
        self.first_unstable_offset()
            .map_or(high_watermark, |f| f.min(high_watermark))
    }

    /// Aborted transactions overlapping `[from, upper)`, as a read_committed fetch returns them
    /// (UnifiedLog#collectAbortedTransactions): `(producerId, firstOffset)`.
    pub fn aborted_transactions(&self, from: Offset, upper: Offset) -> Vec<(i64, Offset)> {
        self.aborted
            .iter()
            .filter(|a| a.last_offset >= from && a.first_offset < upper)
            .map(|a| (a.producer_id, a.first_offset))
            .collect()
    }

    /// The whole aborted-transaction index.
    pub fn aborted_index(&self) -> &[AbortedTxn] {
        &self.aborted
    }

    /// Completed transactions whose marker is not yet below the HW (the newest last).
    pub fn unreplicated(&self) -> &[CompletedTxn] {
        &self.unreplicated
    }

    /// Open transactions: `(producer id, first offset)`.
    pub fn ongoing(&self) -> impl Iterator<Item = (i64, Offset)> + '_ {
        self.ongoing.iter().map(|(&p, &o)| (p, o))
    }

    /// Whether `offset` (a record of `producer_id`) lies in an aborted transaction.
    pub fn is_aborted(&self, producer_id: i64, offset: Offset) -> bool {
        self.aborted.iter().any(|a| {
            a.producer_id == producer_id && a.first_offset <= offset && offset < a.last_offset
        })
    }

    /// The producer epoch this partition knows for a producer.
    pub fn producer_epoch(&self, producer_id: i64) -> Option<i16> {
        self.producer_epochs.get(&producer_id).copied()
    }
}
