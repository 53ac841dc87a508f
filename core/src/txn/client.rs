//! The transactional producer's client-side state (TransactionManager.java): which calls are
//! allowed in which state, and how an error from the coordinator or a partition moves it.
//! `transactional.id` implies idempotence (ProducerConfig: a transactional producer requires
//! `enable.idempotence`).

use serde::{Deserialize, Serialize};

use super::{ErrorHandling, TxnError};

/// TransactionManager.State.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClientTxnState {
    /// initTransactions() not called yet.
    Uninitialized,
    /// FindCoordinator + InitProducerId in progress.
    Initializing,
    /// Has a producer id and epoch; no transaction open.
    Ready,
    /// beginTransaction() called.
    InTransaction,
    /// commitTransaction() sent EndTxn(COMMIT).
    CommittingTransaction,
    /// abortTransaction() sent EndTxn(ABORT).
    AbortingTransaction,
    /// An abortable error: only abortTransaction() is allowed.
    AbortableError,
    /// A fatal error (fenced): the producer must be closed.
    FatalError,
}

/// A call the application makes on a transactional producer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClientCall {
    /// initTransactions().
    InitTransactions,
    /// beginTransaction().
    Begin,
    /// send() inside the transaction.
    Send,
    /// sendOffsetsToTransaction().
    SendOffsets,
    /// commitTransaction().
    Commit,
    /// abortTransaction().
    Abort,
}

/// Why the client refuses a call (the IllegalStateException / KafkaException it throws).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl ClientTxnState {
    /// Kafka's state name.
    pub fn name(self) -> &'static str {
        match self {
            ClientTxnState::Uninitialized => "UNINITIALIZED",
            ClientTxnState::Initializing => "INITIALIZING",
            ClientTxnState::Ready => "READY",
            ClientTxnState::InTransaction => "IN_TRANSACTION",
            ClientTxnState::CommittingTransaction => "COMMITTING_TRANSACTION",
            ClientTxnState::AbortingTransaction => "ABORTING_TRANSACTION",
            ClientTxnState::AbortableError => "ABORTABLE_ERROR",
            ClientTxnState::FatalError => "FATAL_ERROR",
        }
    }

    /// Whether `self → to` is valid (TransactionManager.State#isTransitionValid).
    pub fn can_go_to(self, to: ClientTxnState) -> bool {
        use ClientTxnState::*;
        match to {
            Uninitialized => false,
            Initializing => matches!(self, Uninitialized | AbortableError),
            Ready => matches!(
                self,
                Initializing | CommittingTransaction | AbortingTransaction
            ),
            InTransaction => self == Ready,
            CommittingTransaction => self == InTransaction,
            AbortingTransaction => matches!(self, InTransaction | AbortableError),
            AbortableError => {
                matches!(self, InTransaction | CommittingTransaction | AbortableError)
            }
            FatalError => true,
        }
    }

    /// Checks an application call in this state; `Ok` gives the state the call moves to.
    pub fn call(self, call: ClientCall, transactional_id: &str) -> Result<ClientTxnState, Refusal> {
        use ClientTxnState::*;
        if self == FatalError {
            return Err(Refusal(format!(
                "transactional.id {transactional_id}: the producer hit a fatal error (fenced) and must be closed"
            )));
        }
        let to = match call {
            ClientCall::InitTransactions => Initializing,
            ClientCall::Begin => InTransaction,
            ClientCall::Commit => CommittingTransaction,
            ClientCall::Abort => AbortingTransaction,
            ClientCall::Send | ClientCall::SendOffsets => {
                return match self {
                    InTransaction => Ok(InTransaction),
                    Uninitialized | Initializing => Err(Refusal(format!(
                        "transactional.id {transactional_id}: cannot send before initTransactions() completes"
                    ))),
                    _ => Err(Refusal(format!(
                        "transactional.id {transactional_id}: cannot send in state {} (no transaction open)",
                        self.name()
                    ))),
                };
            }
        };
        if self == AbortableError && call == ClientCall::Commit {
            return Err(Refusal(format!(
                "transactional.id {transactional_id}: cannot commit after an abortable error; abort the transaction"
            )));
        }
        if self.can_go_to(to) {
            Ok(to)
        } else {
            Err(Refusal(format!(
                "transactional.id {transactional_id}: invalid transition from {} to {}",
                self.name(),
                to.name()
            )))
        }
    }

    /// The state an error from the broker moves the client to (`None`: retried, state kept).
    pub fn on_error(self, e: TxnError) -> Option<ClientTxnState> {
        match e.handling() {
            ErrorHandling::Retriable => None,
            ErrorHandling::Fatal => Some(ClientTxnState::FatalError),
            ErrorHandling::Abortable => Some(ClientTxnState::AbortableError),
        }
    }
}
