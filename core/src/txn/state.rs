//! The transaction coordinator's state per `transactional.id` (R6.1; TransactionMetadata.scala,
//! TransactionState.java).

use serde::{Deserialize, Serialize};

use crate::types::{Millis, TopicPartition};

/// A transactional id's state in the coordinator (TransactionState.java).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TxnState {
    /// No transaction open.
    Empty,
    /// A transaction is open; partitions are being added.
    Ongoing,
    /// EndTxn(COMMIT) written; markers are being sent.
    PrepareCommit,
    /// EndTxn(ABORT) (or a fence / timeout) written; markers are being sent.
    PrepareAbort,
    /// Every COMMIT marker written.
    CompleteCommit,
    /// Every ABORT marker written.
    CompleteAbort,
    /// The id expired (`transactional.id.expiration.ms`).
    Dead,
    /// An InitProducerId found the id Ongoing: the epoch is bumped and the transaction aborted.
    PrepareEpochFence,
}

impl TxnState {
    /// Every state, in declaration order.
    pub const ALL: [TxnState; 8] = [
        TxnState::Empty,
        TxnState::Ongoing,
        TxnState::PrepareCommit,
        TxnState::PrepareAbort,
        TxnState::CompleteCommit,
        TxnState::CompleteAbort,
        TxnState::Dead,
        TxnState::PrepareEpochFence,
    ];

    /// The states a transition into `self` may start from (TransactionState.java's
    /// `validPreviousStates`, R6.1).
    pub fn valid_previous(self) -> &'static [TxnState] {
        use TxnState::*;
        match self {
            Empty => &[Empty, CompleteCommit, CompleteAbort],
            Ongoing => &[Ongoing, Empty, CompleteCommit, CompleteAbort],
            PrepareCommit => &[Ongoing],
            PrepareAbort => &[Ongoing, PrepareEpochFence],
            CompleteCommit => &[PrepareCommit],
            CompleteAbort => &[PrepareAbort],
            Dead => &[Empty, CompleteCommit, CompleteAbort],
            PrepareEpochFence => &[Ongoing],
        }
    }

    /// Whether `from → self` is a legal transition.
    pub fn can_follow(self, from: TxnState) -> bool {
        self.valid_previous().contains(&from)
    }

    /// Kafka's state name.
    pub fn name(self) -> &'static str {
        match self {
            TxnState::Empty => "Empty",
            TxnState::Ongoing => "Ongoing",
            TxnState::PrepareCommit => "PrepareCommit",
            TxnState::PrepareAbort => "PrepareAbort",
            TxnState::CompleteCommit => "CompleteCommit",
            TxnState::CompleteAbort => "CompleteAbort",
            TxnState::Dead => "Dead",
            TxnState::PrepareEpochFence => "PrepareEpochFence",
        }
    }
}

/// One transactional id's metadata, as written to `__transaction_state` (TransactionLog's value:
/// producer id and epoch, timeout, state, partitions, start time).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TxnMetadata {
    /// The `transactional.id`.
    pub transactional_id: String,
    /// The producer id bound to it.
    pub producer_id: i64,
    /// The current producer epoch; requests with another epoch are fenced.
    pub producer_epoch: i16,
    /// `transaction.timeout.ms` given at InitProducerId.
    pub timeout_ms: Millis,
    /// The state.
    pub state: TxnState,
    /// Partitions in the transaction (the group's `__consumer_offsets` partition included once
    /// AddOffsetsToTxn added it), sorted.
    pub partitions: Vec<TopicPartition>,
    /// When the transaction became Ongoing (its timeout counts from here).
    pub txn_start_ms: Millis,
}

impl TxnMetadata {
    /// Moves to `to`, refusing a transition R6.1 does not allow (the coordinator treats that as a
    /// bug: `IllegalStateException` in TransactionMetadata#prepareTransitionTo).
    pub fn transition(&mut self, to: TxnState) -> Result<(), (TxnState, TxnState)> {
        if to.can_follow(self.state) {
            self.state = to;
            Ok(())
        } else {
            Err((self.state, to))
        }
    }
}
