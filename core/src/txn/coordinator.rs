//! The transaction coordinator (R6.2–R6.4; TransactionCoordinator.scala, TransactionStateManager,
//! TransactionMarkerChannelManager): one per `__transaction_state` partition, on its leader.
//!
//! Every handler returns an [`Outcome`]: the reply, the metadata record to append to the
//! coordinator's `__transaction_state` partition, and the WriteTxnMarkers to send. The caller
//! appends the record first and answers the client only once the append succeeded, then sends
//! the markers; so EndTxn is answered as soon as PrepareCommit/PrepareAbort is written, before any
//! marker lands (R6.4, S33). Versions: TV1 (no KIP-890 part 2 epoch bump on every EndTxn).

use crate::vec_map::{VecMap, VecSet};

use serde::{Deserialize, Serialize};

use super::state::{TxnMetadata, TxnState};
use super::{ControlKind, TxnError, TxnResult, MAX_TRANSACTION_TIMEOUT_MS};
use crate::ordered;
use crate::types::{Epoch, Millis, TopicPartition};

/// A WriteTxnMarkers entry for one partition (WriteTxnMarkersRequest): the marker carries the
/// producer's epoch and the coordinator epoch, which the partition checks (R6.5, S35).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WriteTxnMarker {
    /// The transactional id the marker completes (for the coordinator's bookkeeping).
    pub transactional_id: String,
    /// Target partition.
    pub tp: TopicPartition,
    /// Producer id of the transaction.
    pub producer_id: i64,
    /// Producer epoch the marker is written with (the bumped one after a fence or timeout).
    pub producer_epoch: i16,
    /// The coordinator epoch (the leader epoch of the `__transaction_state` partition).
    pub coordinator_epoch: Epoch,
    /// COMMIT or ABORT.
    pub kind: ControlKind,
}

impl WriteTxnMarker {
    /// The marker as an append at `offset` of its partition.
    pub fn append_at(&self, offset: crate::types::Offset) -> super::markers::TxnAppend {
        super::markers::TxnAppend::Marker {
            offset,
            producer_id: self.producer_id,
            producer_epoch: self.producer_epoch,
            coordinator_epoch: self.coordinator_epoch,
            kind: self.kind,
        }
    }
}

/// What one request does: the reply, the record to log first, and the markers to send after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome<T> {
    /// The answer to the client (sent once `log`, if any, is appended).
    pub reply: Result<T, TxnError>,
    /// The new metadata to append to `__transaction_state`, if the state changed.
    pub log: Option<TxnMetadata>,
    /// WriteTxnMarkers to send once `log` is appended.
    pub markers: Vec<WriteTxnMarker>,
}

impl<T> Outcome<T> {
    fn reply(reply: Result<T, TxnError>) -> Self {
        Outcome {
            reply,
            log: None,
            markers: Vec::new(),
        }
    }
}

/// The coordinator's in-memory view (TransactionStateManager's cache for its partition).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TxnCoordinator {
    /// The leader epoch of the `__transaction_state` partition when this coordinator loaded it.
    pub coordinator_epoch: Epoch,
    ids: VecMap<String, TxnMetadata>,
    /// Markers not yet acknowledged, per transactional id.
    pending: VecMap<String, VecSet<TopicPartition>>,
}

/// Whether a producer epoch is used up (ProducerIdAndEpoch / TransactionMetadata#isEpochExhausted:
/// `epoch >= Short.MAX_VALUE - 1`); InitProducerId then hands out a new producer id.
pub fn epoch_exhausted(epoch: i16) -> bool {
    epoch >= i16::MAX - 1
}

impl TxnCoordinator {
    /// A coordinator with no ids, for a partition led at `coordinator_epoch`.
    pub fn new(coordinator_epoch: Epoch) -> Self {
        TxnCoordinator {
            coordinator_epoch,
            ..TxnCoordinator::default()
        }
    }

    /// Loads a partition's metadata records in log order (TransactionStateManager#loadTransactionsForTxnTopicPartition):
    /// the last record of each id wins. Transactions found in PrepareCommit/PrepareAbort are
    /// completed: their markers are returned to be sent again with the new coordinator epoch.
    pub fn load(coordinator_epoch: Epoch, records: &[TxnMetadata]) -> (Self, Vec<WriteTxnMarker>) {
        let mut c = TxnCoordinator::new(coordinator_epoch);
        for r in records {
            c.ids.insert(r.transactional_id.clone(), r.clone());
        }
        let mut markers = Vec::new();
        let prepared: Vec<TxnMetadata> = c
            .ids
            .values()
            .filter(|m| matches!(m.state, TxnState::PrepareCommit | TxnState::PrepareAbort))
            .cloned()
            .collect();
        for m in prepared {
            let kind = if m.state == TxnState::PrepareCommit {
                ControlKind::Commit
            } else {
                ControlKind::Abort
            };
            markers.extend(c.markers_for(&m, kind));
        }
        (c, markers)
    }

    /// The metadata of an id.
    pub fn get(&self, transactional_id: &str) -> Option<&TxnMetadata> {
        self.ids.get(transactional_id)
    }

    /// Every id's metadata, by id.
    pub fn all(&self) -> impl Iterator<Item = &TxnMetadata> {
        self.ids.values()
    }

    /// Undoes an in-memory change whose `__transaction_state` append failed: `old` is the id's
    /// metadata before the request (Kafka keeps a change pending until its write succeeds,
    /// TransactionMetadata#pendingState, and drops it on a failed write).
    pub fn revert(&mut self, transactional_id: &str, old: Option<TxnMetadata>) {
        match old {
            Some(m) => {
                if !matches!(m.state, TxnState::PrepareCommit | TxnState::PrepareAbort) {
                    self.pending.remove(transactional_id);
                }
                self.ids.insert(transactional_id.to_string(), m);
            }
            None => {
                self.ids.remove(transactional_id);
                self.pending.remove(transactional_id);
            }
        }
    }

    /// Partitions whose marker is still awaited for an id.
    pub fn pending_markers(&self, transactional_id: &str) -> Vec<TopicPartition> {
        self.pending
            .get(transactional_id)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }

    fn markers_for(&mut self, m: &TxnMetadata, kind: ControlKind) -> Vec<WriteTxnMarker> {
        let set = self.pending.entry(m.transactional_id.clone()).or_default();
        set.extend(m.partitions.iter().copied());
        m.partitions
            .iter()
            .map(|&tp| WriteTxnMarker {
                transactional_id: m.transactional_id.clone(),
                tp,
                producer_id: m.producer_id,
                producer_epoch: m.producer_epoch,
                coordinator_epoch: self.coordinator_epoch,
                kind,
            })
            .collect()
    }

    /// Ends the transaction with `result` (from Ongoing or after a fence): logs Prepare*, and
    /// when it has no partitions, completes at once (no markers to wait for).
    fn prepare_end(
        &mut self,
        tid: &str,
        result: TxnResult,
    ) -> (Option<TxnMetadata>, Vec<WriteTxnMarker>) {
        let Some(m) = self.ids.get_mut(tid) else {
            return (None, Vec::new());
        };
        let prepare = match result {
            TxnResult::Commit => TxnState::PrepareCommit,
            TxnResult::Abort => TxnState::PrepareAbort,
        };
        // Checked by the callers (Ongoing or PrepareEpochFence); R6.1.
        let _ = m.transition(prepare);
        let m = m.clone();
        let markers = self.markers_for(&m, result.marker());
        if markers.is_empty() {
            // Nothing to mark: the log record is the Prepare* one; completion follows at once.
            self.complete(tid);
        }
        (Some(m), markers)
    }

    fn complete(&mut self, tid: &str) -> Option<TxnMetadata> {
        self.pending.remove(tid);
        let m = self.ids.get_mut(tid)?;
        let to = match m.state {
            TxnState::PrepareCommit => TxnState::CompleteCommit,
            TxnState::PrepareAbort => TxnState::CompleteAbort,
            _ => return None,
        };
        m.transition(to).ok()?;
        // TransactionMetadata#prepareComplete: the partition set is cleared.
        m.partitions.clear();
        Some(m.clone())
    }

    /// InitProducerId with a transactional id (R6.2; TransactionCoordinator#handleInitProducerId).
    /// `fresh_producer_id` is used for a new id or when the epoch is exhausted.
    pub fn init_producer_id(
        &mut self,
        transactional_id: &str,
        timeout_ms: Millis,
        fresh_producer_id: i64,
    ) -> Outcome<(i64, i16)> {
        if timeout_ms > MAX_TRANSACTION_TIMEOUT_MS {
            return Outcome::reply(Err(TxnError::InvalidTransactionTimeout));
        }
        let existing = self
            .ids
            .get(transactional_id)
            .filter(|m| m.state != TxnState::Dead)
            .cloned();
        let Some(mut m) = existing else {
            // New id → new producer id, epoch 0 (shouldInitPidWithEpochZeroForNewTransactionalId).
            let m = TxnMetadata {
                transactional_id: transactional_id.to_string(),
                producer_id: fresh_producer_id,
                producer_epoch: 0,
                timeout_ms,
                state: TxnState::Empty,
                partitions: Vec::new(),
                txn_start_ms: 0,
            };
            self.ids.insert(transactional_id.to_string(), m.clone());
            return Outcome {
                reply: Ok((m.producer_id, 0)),
                log: Some(m),
                markers: Vec::new(),
            };
        };
        match m.state {
            TxnState::PrepareCommit | TxnState::PrepareAbort | TxnState::PrepareEpochFence => {
                Outcome::reply(Err(TxnError::ConcurrentTransactions))
            }
            TxnState::Ongoing => {
                // PrepareEpochFence → PrepareAbort with epoch+1; the client gets
                // CONCURRENT_TRANSACTIONS and retries (shouldAbortTransactionOnHandleInitPidWhenExistingTransactionInOngoingState).
                let entry = self.ids.get_mut(transactional_id).expect("present");
                let _ = entry.transition(TxnState::PrepareEpochFence);
                entry.producer_epoch += 1;
                let (log, markers) = self.prepare_end(transactional_id, TxnResult::Abort);
                Outcome {
                    reply: Err(TxnError::ConcurrentTransactions),
                    log,
                    markers,
                }
            }
            TxnState::Empty
            | TxnState::CompleteCommit
            | TxnState::CompleteAbort
            | TxnState::Dead => {
                // Bump the epoch: every older instance is fenced (R6.2).
                if epoch_exhausted(m.producer_epoch) {
                    m.producer_id = fresh_producer_id;
                    m.producer_epoch = 0;
                } else {
                    m.producer_epoch += 1;
                }
                m.timeout_ms = timeout_ms;
                m.state = TxnState::Empty;
                m.partitions.clear();
                self.ids.insert(transactional_id.to_string(), m.clone());
                Outcome {
                    reply: Ok((m.producer_id, m.producer_epoch)),
                    log: Some(m),
                    markers: Vec::new(),
                }
            }
        }
    }

    /// Checks an id, producer id and epoch (R6.3): unknown id or another producer id →
    /// INVALID_PRODUCER_ID_MAPPING; another epoch → PRODUCER_FENCED.
    fn check_producer(
        &self,
        tid: &str,
        producer_id: i64,
        epoch: i16,
    ) -> Result<&TxnMetadata, TxnError> {
        let m = self
            .ids
            .get(tid)
            .filter(|m| m.state != TxnState::Dead)
            .ok_or(TxnError::InvalidProducerIdMapping)?;
        if m.producer_id != producer_id {
            return Err(TxnError::InvalidProducerIdMapping);
        }
        if m.producer_epoch != epoch {
            return Err(TxnError::ProducerFenced);
        }
        Ok(m)
    }

    /// AddPartitionsToTxn (R6.3; TransactionCoordinator#handleAddPartitionsToTransaction); also
    /// AddOffsetsToTxn, whose partition is the group's `__consumer_offsets` partition.
    pub fn add_partitions(
        &mut self,
        transactional_id: &str,
        producer_id: i64,
        epoch: i16,
        partitions: &[TopicPartition],
        now: Millis,
    ) -> Outcome<()> {
        let m = match self.check_producer(transactional_id, producer_id, epoch) {
            Ok(m) => m,
            Err(e) => return Outcome::reply(Err(e)),
        };
        match m.state {
            TxnState::PrepareCommit | TxnState::PrepareAbort | TxnState::PrepareEpochFence => {
                return Outcome::reply(Err(TxnError::ConcurrentTransactions))
            }
            TxnState::Dead => return Outcome::reply(Err(TxnError::InvalidTxnState)),
            _ => {}
        }
        let already =
            m.state == TxnState::Ongoing && partitions.iter().all(|tp| m.partitions.contains(tp));
        if already {
            return Outcome::reply(Ok(()));
        }
        let m = self.ids.get_mut(transactional_id).expect("checked");
        if m.state != TxnState::Ongoing {
            m.txn_start_ms = now;
        }
        let _ = m.transition(TxnState::Ongoing);
        for &tp in partitions {
            if !m.partitions.contains(&tp) {
                m.partitions.push(tp);
            }
        }
        ordered::sort(&mut m.partitions);
        Outcome {
            reply: Ok(()),
            log: Some(m.clone()),
            markers: Vec::new(),
        }
    }

    /// Whether the coordinator knows `tp` is in the id's open transaction: the KIP-890 part 1
    /// verification a leader asks for before appending a transactional batch (R6.3).
    pub fn verify_partition(
        &self,
        producer_id: i64,
        epoch: i16,
        tp: TopicPartition,
    ) -> Result<(), TxnError> {
        let m = self
            .ids
            .values()
            .find(|m| m.producer_id == producer_id)
            .ok_or(TxnError::InvalidTxnState)?;
        if epoch < m.producer_epoch {
            return Err(TxnError::InvalidProducerEpoch);
        }
        if m.state == TxnState::Ongoing && m.partitions.contains(&tp) {
            Ok(())
        } else {
            Err(TxnError::InvalidTxnState)
        }
    }

    /// EndTxn (R6.4, the S32 table; TransactionCoordinator#endTransaction, TV1).
    pub fn end_txn(
        &mut self,
        transactional_id: &str,
        producer_id: i64,
        epoch: i16,
        result: TxnResult,
    ) -> Outcome<()> {
        let m = match self.check_producer(transactional_id, producer_id, epoch) {
            Ok(m) => m,
            Err(e) => return Outcome::reply(Err(e)),
        };
        use TxnState::*;
        let reply = match (m.state, result) {
            (Ongoing, _) => {
                let (log, markers) = self.prepare_end(transactional_id, result);
                return Outcome {
                    reply: Ok(()),
                    log,
                    markers,
                };
            }
            (CompleteCommit, TxnResult::Commit) | (CompleteAbort, TxnResult::Abort) => Ok(()),
            (PrepareCommit, TxnResult::Commit) | (PrepareAbort, TxnResult::Abort) => {
                Err(TxnError::ConcurrentTransactions)
            }
            _ => Err(TxnError::InvalidTxnState),
        };
        Outcome::reply(reply)
    }

    /// A partition acknowledged its marker (TransactionMarkerRequestCompletionHandler). When the
    /// last one is in, the id moves to CompleteCommit/CompleteAbort: the record to log is returned.
    pub fn marker_written(
        &mut self,
        transactional_id: &str,
        tp: TopicPartition,
    ) -> Option<TxnMetadata> {
        let set = self.pending.get_mut(transactional_id)?;
        set.remove(&tp);
        if set.is_empty() {
            self.complete(transactional_id)
        } else {
            None
        }
    }

    /// Aborts every Ongoing transaction older than its timeout, bumping the epoch first so the
    /// producer is fenced (R6.4; TransactionCoordinator#abortTimedOutTransactions,
    /// shouldAbortExpiredTransactionsInOngoingStateAndBumpEpoch).
    pub fn expire(&mut self, now: Millis) -> Vec<Outcome<()>> {
        let expired: Vec<String> = self
            .ids
            .values()
            .filter(|m| m.state == TxnState::Ongoing && now >= m.txn_start_ms + m.timeout_ms)
            .map(|m| m.transactional_id.clone())
            .collect();
        expired
            .into_iter()
            .map(|tid| {
                let m = self.ids.get_mut(&tid).expect("listed");
                let _ = m.transition(TxnState::PrepareEpochFence);
                m.producer_epoch += 1;
                let (log, markers) = self.prepare_end(&tid, TxnResult::Abort);
                Outcome {
                    reply: Ok(()),
                    log,
                    markers,
                }
            })
            .collect()
    }
}
