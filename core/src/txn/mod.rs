//! Transactions (KAFKA-SEMANTICS.md §6, KIP-98, KIP-447): the pure models behind a transactional
//! producer, the transaction coordinator, the partition side (markers, LSO, aborted index), the
//! read_committed filter and transactional offset commits.
//!
//! Each part is a plain state machine with no I/O, so a table test can drive it request by request:
//! * [`state`]: the coordinator's per-`transactional.id` state machine (R6.1);
//! * [`coordinator`]: InitProducerId fencing, AddPartitionsToTxn / AddOffsetsToTxn, EndTxn,
//!   timeouts, markers with the coordinator epoch, loading from `__transaction_state` (R6.2–R6.4);
//! * [`markers`]: a partition's transactions: ongoing ones, markers and their epoch checks, the
//!   aborted-transaction index and the last stable offset (R6.5–R6.6);
//! * [`isolation`]: what a consumer hands to the application at each `isolation.level` (R6.7);
//! * [`offsets`]: offsets committed in a transaction, pending until the marker (R6.8);
//! * [`client`]: the producer's TransactionManager states and how it treats each error.
//!
//! * [`log_record`]: the `__transaction_state` partition and its records;
//! * [`host`]: the coordinator as a broker hosts it (replies and markers waiting for the log).
//!
//! The broker runs them (`broker_txn.rs`), the producer drives the client side
//! (`producer_txn.rs`), consumers filter by `isolation.level`; the unit tables in `tests.rs`
//! drive each model alone.

pub mod client;
pub mod coordinator;
pub mod host;
pub mod isolation;
pub mod log_record;
pub mod markers;
pub mod offsets;
pub mod state;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

/// Name of the transaction log topic (TransactionLog.scala).
pub const TRANSACTION_STATE_TOPIC: &str = "__transaction_state";

/// Producer default `transaction.timeout.ms` (ProducerConfig.java: 60000).
pub const DEFAULT_TRANSACTION_TIMEOUT_MS: u64 = 60_000;

/// Broker default `transaction.max.timeout.ms` (15 minutes); InitProducerId with a larger
/// timeout is refused with INVALID_TRANSACTION_TIMEOUT.
pub const MAX_TRANSACTION_TIMEOUT_MS: u64 = 900_000;

/// Java's `String.hashCode` over UTF-16 code units, with `int` wrap-around.
pub fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(unit as i32))
}

/// The `__transaction_state` partition of a transactional id:
/// `Utils.abs(transactionalId.hashCode) % partitionCount` (TransactionStateManager#partitionFor;
/// `Utils.abs` maps `Integer.MIN_VALUE` to 0). `partition_count` must be ≥ 1.
pub fn partition_for(transactional_id: &str, partition_count: u32) -> u32 {
    let h = java_string_hash(transactional_id);
    let abs = if h == i32::MIN { 0 } else { h.unsigned_abs() };
    abs % partition_count.max(1)
}

/// The kind of a control record (a transaction marker, ControlRecordType.java).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlKind {
    /// COMMIT marker: the producer's open transaction on this partition is committed.
    Commit,
    /// ABORT marker: the producer's open transaction on this partition is aborted.
    Abort,
}

impl ControlKind {
    /// One-letter label for a log cell (`C` / `A`).
    pub fn letter(self) -> char {
        match self {
            ControlKind::Commit => 'C',
            ControlKind::Abort => 'A',
        }
    }
}

/// A record's transactional role, from its batch header (the transactional and control flags).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordTxn {
    /// Not part of a transaction.
    #[default]
    None,
    /// Data of a transaction (the batch's transactional flag).
    Transactional,
    /// A control record: a COMMIT or ABORT marker, which takes an offset and is never handed to
    /// an application (R6.7).
    Control(ControlKind),
}

/// Bit 31 marks a record id that is not a ledger id (as `__consumer_offsets` records do).
const NOT_A_LEDGER_ID: u32 = 1 << 31;

/// The record id of a marker: it carries the coordinator epoch (a log holds ids, not bytes;
/// the partition checks a later marker's coordinator epoch against it, R6.5).
pub fn marker_id(coordinator_epoch: crate::types::Epoch) -> crate::log::RecordId {
    NOT_A_LEDGER_ID | (coordinator_epoch.max(0) as u32 & !NOT_A_LEDGER_ID)
}

/// The coordinator epoch a marker's record id carries.
pub fn marker_coordinator_epoch(id: crate::log::RecordId) -> crate::types::Epoch {
    (id & !NOT_A_LEDGER_ID) as crate::types::Epoch
}

/// The result an EndTxn asks for (TransactionResult.java).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TxnResult {
    /// commitTransaction().
    Commit,
    /// abortTransaction().
    Abort,
}

impl TxnResult {
    /// The marker this result writes.
    pub fn marker(self) -> ControlKind {
        match self {
            TxnResult::Commit => ControlKind::Commit,
            TxnResult::Abort => ControlKind::Abort,
        }
    }
}

/// Errors of the transaction RPCs, with Kafka's names (Errors.java).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TxnError {
    /// The request's epoch is older than the coordinator's (a newer instance owns the id).
    ProducerFenced,
    /// A produce or marker with an epoch older than the partition's (R6.5).
    InvalidProducerEpoch,
    /// The id is between states (Prepare*); retry later (R6.2, R6.3, R6.4).
    ConcurrentTransactions,
    /// The request does not fit the transaction's state (R6.4, R6.3 KIP-890 verification).
    InvalidTxnState,
    /// Unknown transactional id, or a producer id that does not match it (R6.3).
    InvalidProducerIdMapping,
    /// A marker from a coordinator with an older coordinator epoch (R6.5, S35).
    TransactionCoordinatorFenced,
    /// OffsetFetch with require_stable while transactional offsets are pending (R6.8, S34).
    UnstableOffsetCommit,
    /// TxnOffsetCommit from a stale generation (R6.8, KIP-447).
    IllegalGeneration,
    /// TxnOffsetCommit from a member the group does not know (R6.8).
    UnknownMemberId,
    /// `transaction.timeout.ms` above `transaction.max.timeout.ms` (handleInitProducerId).
    InvalidTransactionTimeout,
    /// The broker is not the coordinator of this id (no longer leads its partition).
    NotCoordinator,
    /// The coordinator cannot write `__transaction_state` now (too few in-sync replicas:
    /// TransactionStateManager maps NOT_ENOUGH_REPLICAS to this).
    CoordinatorNotAvailable,
}

/// How the Java client's TransactionManager treats an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorHandling {
    /// Retried by the client (after a backoff or a new FindCoordinator).
    Retriable,
    /// The transaction must be aborted; the producer can go on after abortTransaction().
    Abortable,
    /// The producer must be closed (ProducerFencedException and friends).
    Fatal,
}

impl TxnError {
    /// Kafka's error name.
    pub fn name(self) -> &'static str {
        match self {
            TxnError::ProducerFenced => "PRODUCER_FENCED",
            TxnError::InvalidProducerEpoch => "INVALID_PRODUCER_EPOCH",
            TxnError::ConcurrentTransactions => "CONCURRENT_TRANSACTIONS",
            TxnError::InvalidTxnState => "INVALID_TXN_STATE",
            TxnError::InvalidProducerIdMapping => "INVALID_PRODUCER_ID_MAPPING",
            TxnError::TransactionCoordinatorFenced => "TRANSACTION_COORDINATOR_FENCED",
            TxnError::UnstableOffsetCommit => "UNSTABLE_OFFSET_COMMIT",
            TxnError::IllegalGeneration => "ILLEGAL_GENERATION",
            TxnError::UnknownMemberId => "UNKNOWN_MEMBER_ID",
            TxnError::InvalidTransactionTimeout => "INVALID_TRANSACTION_TIMEOUT",
            TxnError::NotCoordinator => "NOT_COORDINATOR",
            TxnError::CoordinatorNotAvailable => "COORDINATOR_NOT_AVAILABLE",
        }
    }

    /// How the producer's TransactionManager treats it (TransactionManager.java: the handlers'
    /// `fatalError` / `abortableError` / `reenqueue` calls; the item 1): fenced and
    /// epoch errors and INVALID_TXN_STATE are fatal, CONCURRENT_TRANSACTIONS and NOT_COORDINATOR
    /// are retried, INVALID_PRODUCER_ID_MAPPING and a fenced TxnOffsetCommit abort the transaction.
    pub fn handling(self) -> ErrorHandling {
        match self {
            TxnError::ProducerFenced
            | TxnError::InvalidProducerEpoch
            | TxnError::InvalidTxnState
            | TxnError::TransactionCoordinatorFenced
            | TxnError::InvalidTransactionTimeout => ErrorHandling::Fatal,
            TxnError::ConcurrentTransactions
            | TxnError::NotCoordinator
            | TxnError::CoordinatorNotAvailable
            | TxnError::UnstableOffsetCommit => ErrorHandling::Retriable,
            TxnError::InvalidProducerIdMapping
            | TxnError::IllegalGeneration
            | TxnError::UnknownMemberId => ErrorHandling::Abortable,
        }
    }
}

impl std::fmt::Display for TxnError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
