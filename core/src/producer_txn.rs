//! A transactional producer's client side (R6; TransactionManager.java): initTransactions
//! (FindCoordinator, InitProducerId), beginTransaction, sends that add their partitions first
//! (AddPartitionsToTxn), commitTransaction / abortTransaction (EndTxn once every send has
//! resolved), and how each error moves the client ([`ClientTxnState::on_error`]). One
//! coordinator request is in flight at a time, as in the Java client.

use crate::vec_map::VecSet;

use crate::config::ClusterConfig;
use crate::coordinator::offsets_tp;
use crate::node::{Observation, Out, TimerKind};
use crate::producer::Producer;
use crate::protocol::{CoordinatorType, ErrorCode, Message};
use crate::txn::client::{ClientCall, ClientTxnState, Refusal};
use crate::txn::{ErrorHandling, TxnError, TxnResult};
use crate::types::{BrokerId, Millis, NodeId, Offset, TopicPartition};

/// A coordinator request of the transactional client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TxnRequest {
    /// FindCoordinator(TRANSACTION).
    FindCoordinator,
    /// InitProducerId.
    InitProducerId,
    /// AddPartitionsToTxn with these partitions (with the group's `__consumer_offsets`
    /// partition, this is AddOffsetsToTxn).
    AddPartitions(Vec<TopicPartition>),
    /// FindCoordinator(GROUP), for TxnOffsetCommit.
    FindGroupCoordinator,
    /// TxnOffsetCommit of the pending offsets.
    TxnOffsetCommit,
    /// EndTxn.
    EndTxn(TxnResult),
}

/// The transactional state of one producer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TxnClient {
    /// The `transactional.id`.
    pub transactional_id: String,
    /// TransactionManager's state.
    pub state: ClientTxnState,
    /// The transaction coordinator, once found.
    pub coordinator: Option<BrokerId>,
    /// Producer id from InitProducerId (-1 before).
    pub producer_id: i64,
    /// Producer epoch from InitProducerId (-1 before).
    pub producer_epoch: i16,
    /// Partitions the coordinator has added to the open transaction.
    pub added: VecSet<TopicPartition>,
    /// The coordinator request in flight: its id and what it asks.
    pub request: Option<(u64, TxnRequest)>,
    /// commitTransaction / abortTransaction called: EndTxn goes once every send has resolved.
    pub ending: Option<TxnResult>,
    /// A back-off before the next coordinator request.
    pub retry_at: Option<Millis>,
    /// The last error the coordinator or a partition returned.
    pub last_error: Option<String>,
    /// A send failed inside the transaction, so some sequences are unresolved: once the abort
    /// completes, the producer bumps its epoch with InitProducerId (KIP-360,
    /// TransactionManager#bumpIdempotentEpochAndResetIdIfNeeded for transactional producers).
    pub needs_epoch_bump: bool,
    /// sendOffsetsToTransaction() called: the offsets still to commit in this transaction.
    pub offsets: Option<TxnOffsets>,
    /// The group coordinator, once found (for TxnOffsetCommit).
    pub group_coordinator: Option<BrokerId>,
}

/// The offsets sendOffsetsToTransaction() hands to the transaction, with the consumer's group
/// metadata (consumerGroupMetadata(), KIP-447).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TxnOffsets {
    /// The next offset to read per input partition.
    pub offsets: Vec<(TopicPartition, Offset)>,
    /// The consumer's generation.
    pub generation: i32,
    /// The consumer's member id.
    pub member_id: String,
}

impl TxnClient {
    /// A client that has not called initTransactions() yet.
    pub fn new(transactional_id: String) -> Self {
        TxnClient {
            transactional_id,
            state: ClientTxnState::Uninitialized,
            coordinator: None,
            producer_id: -1,
            producer_epoch: -1,
            added: VecSet::new(),
            request: None,
            ending: None,
            retry_at: None,
            last_error: None,
            needs_epoch_bump: false,
            offsets: None,
            group_coordinator: None,
        }
    }
}

/// A call the application makes on a transactional producer (the commands).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TxnCall {
    /// initTransactions().
    Init,
    /// beginTransaction().
    Begin,
    /// commitTransaction().
    Commit,
    /// abortTransaction().
    Abort,
}

impl TxnCall {
    fn client_call(self) -> ClientCall {
        match self {
            TxnCall::Init => ClientCall::InitTransactions,
            TxnCall::Begin => ClientCall::Begin,
            TxnCall::Commit => ClientCall::Commit,
            TxnCall::Abort => ClientCall::Abort,
        }
    }
}

impl Producer {
    /// Whether the application may make `call` now (the Java client's IllegalStateException
    /// and KafkaException cases, in words).
    pub fn check_txn_call(&self, call: TxnCall) -> Result<(), Refusal> {
        let Some(t) = &self.txn else {
            return Err(Refusal(format!(
                "p{} is not transactional: set the producer's transactional.id in the configuration",
                self.id
            )));
        };
        if call == TxnCall::Commit && t.ending.is_some()
            || call == TxnCall::Abort && t.ending == Some(TxnResult::Commit)
        {
            return Err(Refusal(format!(
                "transactional.id {}: the transaction is already being completed",
                t.transactional_id
            )));
        }
        t.state
            .call(call.client_call(), &t.transactional_id)
            .map(|_| ())
    }

    /// Whether a record may be sent now: transactional producers send only inside a transaction.
    pub fn check_txn_send(&self) -> Result<(), Refusal> {
        match &self.txn {
            None => Ok(()),
            Some(t) if t.ending.is_some() => Err(Refusal(format!(
                "transactional.id {}: cannot send while the transaction is being completed",
                t.transactional_id
            ))),
            Some(t) => t
                .state
                .call(ClientCall::Send, &t.transactional_id)
                .map(|_| ()),
        }
    }

    /// The application calls `call` (checked first with [`Producer::check_txn_call`]).
    pub fn txn_call(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        call: TxnCall,
        out: &mut Out,
    ) -> Result<(), Refusal> {
        self.check_txn_call(call)?;
        let t = self.txn.as_mut().expect("checked");
        let to = t.state.call(call.client_call(), &t.transactional_id)?;
        match call {
            TxnCall::Init | TxnCall::Begin => t.state = to,
            TxnCall::Commit | TxnCall::Abort => {
                let result = if call == TxnCall::Commit {
                    TxnResult::Commit
                } else {
                    TxnResult::Abort
                };
                t.state = to;
                t.ending = Some(result);
                if result == TxnResult::Abort {
                    t.offsets = None;
                    // abortTransaction(): what is still queued is never sent
                    // (RecordAccumulator#abortUndrainedBatches).
                    self.fail_queued(ErrorCode::TransactionAborted, out);
                }
            }
        }
        self.txn_poll(now, cfg, out);
        Ok(())
    }

    /// sendOffsetsToTransaction(offsets, groupMetadata) (R6.8, KIP-447): AddOffsetsToTxn adds
    /// the group's `__consumer_offsets` partition to the transaction, then TxnOffsetCommit goes
    /// to the group coordinator; EndTxn waits for both.
    pub fn send_offsets_to_transaction(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        offsets: TxnOffsets,
        out: &mut Out,
    ) -> Result<(), Refusal> {
        let Some(t) = &mut self.txn else {
            return Err(Refusal(format!("p{} is not transactional", self.id)));
        };
        t.state.call(ClientCall::SendOffsets, &t.transactional_id)?;
        if t.ending.is_some() {
            return Err(Refusal(format!(
                "transactional.id {}: the transaction is already being completed",
                t.transactional_id
            )));
        }
        t.offsets = Some(offsets);
        self.txn_poll(now, cfg, out);
        Ok(())
    }

    /// Sends the next coordinator request the state calls for, if none is in flight.
    pub(crate) fn txn_poll(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        // Runs after every send attempt: nothing to do (and nothing to collect) without a
        // transactional client.
        if self.txn.is_none() {
            return;
        }
        let queued: Vec<TopicPartition> = self.queues.keys().copied().collect();
        let busy = !self.in_flight.is_empty() || !self.queues.is_empty();
        let Some(t) = &mut self.txn else {
            return;
        };
        if t.request.is_some() || t.retry_at.is_some() {
            return;
        }
        use ClientTxnState as S;
        let next = match t.state {
            S::Initializing => Some(TxnRequest::InitProducerId),
            S::InTransaction | S::CommittingTransaction => {
                let missing: Vec<TopicPartition> = queued
                    .into_iter()
                    .filter(|tp| !t.added.contains(tp))
                    .collect();
                let otp = offsets_tp(cfg);
                if !missing.is_empty() {
                    Some(TxnRequest::AddPartitions(missing))
                } else if let (Some(_), Some(otp)) = (&t.offsets, otp) {
                    if !t.added.contains(&otp) {
                        Some(TxnRequest::AddPartitions(vec![otp]))
                    } else if t.group_coordinator.is_none() {
                        Some(TxnRequest::FindGroupCoordinator)
                    } else {
                        Some(TxnRequest::TxnOffsetCommit)
                    }
                } else {
                    match t.ending {
                        Some(result) if !busy => Some(TxnRequest::EndTxn(result)),
                        _ => None,
                    }
                }
            }
            S::AbortingTransaction => match t.ending {
                Some(result) if self.in_flight.is_empty() => Some(TxnRequest::EndTxn(result)),
                _ => None,
            },
            _ => None,
        };
        let Some(next) = next else { return };
        if let TxnRequest::EndTxn(result) = next {
            if t.added.is_empty() {
                // Nothing was added: the transaction completes locally, no EndTxn
                // (TransactionManager#beginCompletingTransaction without transactionStarted).
                t.state = S::Ready;
                t.ending = None;
                let text = format!(
                    "{} an empty transaction (nothing to send)",
                    if result == TxnResult::Commit {
                        "committed"
                    } else {
                        "aborted"
                    }
                );
                out.observe(Observation::TxnNote {
                    node: NodeId::Producer(self.id),
                    text,
                });
                return;
            }
        }
        let next = if t.coordinator.is_none() {
            TxnRequest::FindCoordinator
        } else {
            next
        };
        self.send_txn_request(now, cfg, next, out);
    }

    fn send_txn_request(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        req: TxnRequest,
        out: &mut Out,
    ) {
        self.next_request_id += 1;
        let request_id = self.next_request_id;
        let t = self.txn.as_mut().expect("transactional");
        let tid = t.transactional_id.clone();
        let (to, msg) = match &req {
            TxnRequest::FindCoordinator | TxnRequest::FindGroupCoordinator => {
                self.bootstrap_index = self.bootstrap_index % cfg.brokers + 1;
                let key_type = if req == TxnRequest::FindCoordinator {
                    CoordinatorType::Transaction
                } else {
                    CoordinatorType::Group
                };
                (
                    self.bootstrap_index,
                    Message::FindCoordinator {
                        request_id,
                        key_type,
                    },
                )
            }
            TxnRequest::TxnOffsetCommit => {
                let o = t.offsets.clone().expect("pending offsets");
                (
                    t.group_coordinator.expect("found"),
                    Message::TxnOffsetCommit {
                        request_id,
                        transactional_id: tid,
                        producer_id: t.producer_id,
                        producer_epoch: t.producer_epoch,
                        generation: o.generation,
                        member_id: o.member_id,
                        offsets: o.offsets,
                    },
                )
            }
            TxnRequest::InitProducerId => (
                t.coordinator.expect("found"),
                Message::InitProducerId {
                    request_id,
                    transactional_id: tid,
                    timeout_ms: cfg.producer.transaction_timeout_ms,
                },
            ),
            TxnRequest::AddPartitions(partitions) => (
                t.coordinator.expect("found"),
                Message::AddPartitionsToTxn {
                    request_id,
                    transactional_id: tid,
                    producer_id: t.producer_id,
                    producer_epoch: t.producer_epoch,
                    partitions: partitions.clone(),
                },
            ),
            TxnRequest::EndTxn(result) => (
                t.coordinator.expect("found"),
                Message::EndTxn {
                    request_id,
                    transactional_id: tid,
                    producer_id: t.producer_id,
                    producer_epoch: t.producer_epoch,
                    result: *result,
                },
            ),
        };
        t.request = Some((request_id, req));
        out.send(NodeId::Broker(to), msg);
        out.set_timer(
            TimerKind::RequestTimeout(request_id),
            now + cfg.producer.request_timeout_ms,
        );
    }

    /// Whether `request_id` is the coordinator request in flight.
    pub(crate) fn is_txn_request(&self, request_id: u64) -> bool {
        self.txn
            .as_ref()
            .is_some_and(|t| t.request.as_ref().is_some_and(|(id, _)| *id == request_id))
    }

    /// The coordinator request failed without an answer (timeout, refused connection): find
    /// the coordinator again after a back-off.
    pub(crate) fn txn_request_lost(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if let Some(t) = &mut self.txn {
            if let Some((id, req)) = t.request.take() {
                out.cancel_timer(TimerKind::RequestTimeout(id));
                if matches!(
                    req,
                    TxnRequest::FindGroupCoordinator | TxnRequest::TxnOffsetCommit
                ) {
                    t.group_coordinator = None;
                } else {
                    t.coordinator = None;
                }
            }
        }
        self.txn_retry_later(now, cfg, out);
    }

    fn txn_retry_later(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        let Some(t) = &mut self.txn else { return };
        let at = now + cfg.producer.retry_backoff_ms.max(1);
        t.retry_at = Some(at);
        out.set_timer(TimerKind::TxnRetry, at);
    }

    /// The back-off before the next coordinator request is over.
    pub(crate) fn txn_retry_timer(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if let Some(t) = &mut self.txn {
            t.retry_at = None;
        }
        self.txn_poll(now, cfg, out);
        self.try_send(now, cfg, out);
    }

    /// A fatal error (fenced): every record still queued or in flight fails, nothing more is
    /// sent (ProducerFencedException).
    pub(crate) fn txn_fatal(&mut self, error: String, out: &mut Out) {
        let Some(t) = &mut self.txn else { return };
        if t.state == ClientTxnState::FatalError {
            return;
        }
        t.state = ClientTxnState::FatalError;
        t.ending = None;
        t.last_error = Some(error.clone());
        out.observe(Observation::TxnNote {
            node: NodeId::Producer(self.id),
            text: format!(
                "fenced ({error}): transactional.id {} belongs to a newer instance; the producer must be closed",
                t.transactional_id
            ),
        });
        self.fail_queued(ErrorCode::InvalidProducerEpoch, out);
    }

    /// Every record still queued fails with `error` and is never sent.
    fn fail_queued(&mut self, error: ErrorCode, out: &mut Out) {
        for q in std::mem::take(&mut self.queues).into_values() {
            for r in q {
                out.observe(Observation::Failed {
                    producer: self.id,
                    record: r.id,
                    error,
                });
            }
        }
    }

    /// A send failed for good inside a transaction: the transaction can only be aborted
    /// (TransactionManager#handleFailedBatch → abortable error).
    pub(crate) fn txn_send_failed(&mut self, error: ErrorCode, out: &mut Out) {
        let Some(t) = &mut self.txn else { return };
        if error == ErrorCode::InvalidProducerEpoch {
            self.txn_fatal(error.name().to_string(), out);
            return;
        }
        t.needs_epoch_bump = true;
        if t.state.can_go_to(ClientTxnState::AbortableError) {
            t.state = ClientTxnState::AbortableError;
            t.ending = None;
            t.last_error = Some(error.name().to_string());
            out.observe(Observation::TxnNote {
                node: NodeId::Producer(self.id),
                text: format!("a send failed ({error}); the transaction can only be aborted"),
            });
        }
    }

    /// A coordinator response (or a FindCoordinator answer) to the transactional client.
    pub(crate) fn handle_txn_response(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        msg: Message,
        out: &mut Out,
    ) {
        let request_id = match &msg {
            Message::FindCoordinatorResponse { request_id, .. }
            | Message::InitProducerIdResponse { request_id, .. }
            | Message::AddPartitionsToTxnResponse { request_id, .. }
            | Message::TxnOffsetCommitResponse { request_id, .. }
            | Message::EndTxnResponse { request_id, .. } => *request_id,
            _ => return,
        };
        if !self.is_txn_request(request_id) {
            return; // stale
        }
        out.cancel_timer(TimerKind::RequestTimeout(request_id));
        let me = self.id;
        let t = self.txn.as_mut().expect("checked");
        let (_, req) = t.request.take().expect("checked");
        let error: Option<TxnError> = match msg {
            Message::FindCoordinatorResponse { result, .. } => match result {
                Ok(b) if req == TxnRequest::FindGroupCoordinator => {
                    t.group_coordinator = Some(b);
                    None
                }
                Ok(b) => {
                    t.coordinator = Some(b);
                    None
                }
                Err(_) if req == TxnRequest::FindGroupCoordinator => {
                    t.group_coordinator = None;
                    Some(TxnError::CoordinatorNotAvailable)
                }
                Err(_) => Some(TxnError::CoordinatorNotAvailable),
            },
            Message::TxnOffsetCommitResponse { result, .. } => match result {
                Ok(()) => {
                    t.offsets = None;
                    None
                }
                // TxnOffsetCommitHandler: a moved group coordinator is found again; a stale
                // generation or member is a CommitFailedException, abortable (KIP-447).
                Err(ErrorCode::IllegalGeneration) => Some(TxnError::IllegalGeneration),
                Err(ErrorCode::UnknownMemberId) => Some(TxnError::UnknownMemberId),
                Err(ErrorCode::NotCoordinator) => {
                    t.group_coordinator = None;
                    Some(TxnError::NotCoordinator)
                }
                Err(_) => {
                    t.group_coordinator = None;
                    Some(TxnError::CoordinatorNotAvailable)
                }
            },
            Message::InitProducerIdResponse { result, .. } => match result {
                Ok((pid, epoch)) => {
                    t.producer_id = pid;
                    t.producer_epoch = epoch;
                    t.last_error = None;
                    t.needs_epoch_bump = false;
                    t.state = ClientTxnState::Ready;
                    t.added.clear();
                    t.ending = None;
                    out.observe(Observation::TxnNote {
                        node: NodeId::Producer(me),
                        text: format!("initTransactions done: producer id {pid}, epoch {epoch}"),
                    });
                    // A new epoch starts every partition's sequence at 0 (R5.2 step 3).
                    self.reset_sequences();
                    None
                }
                Err(e) => Some(e),
            },
            Message::AddPartitionsToTxnResponse { result, .. } => match (result, &req) {
                (Ok(()), TxnRequest::AddPartitions(tps)) => {
                    t.added.extend(tps.iter().copied());
                    None
                }
                (Ok(()), _) => None,
                (Err(e), _) => Some(e),
            },
            Message::EndTxnResponse { result, .. } => match result {
                Ok(()) => {
                    let how = match t.ending {
                        Some(TxnResult::Abort) => "aborted",
                        _ => "committed",
                    };
                    t.state = ClientTxnState::Ready;
                    t.ending = None;
                    t.added.clear();
                    if std::mem::take(&mut t.needs_epoch_bump) {
                        // KIP-360: unresolved sequences; a new epoch restarts them at 0.
                        t.state = ClientTxnState::Initializing;
                    }
                    out.observe(Observation::TxnNote {
                        node: NodeId::Producer(me),
                        text: format!(
                            "transaction {how} (the coordinator logged it; markers follow)"
                        ),
                    });
                    None
                }
                Err(e) => Some(e),
            },
            _ => None,
        };
        if let Some(e) = error {
            let t = self.txn.as_mut().expect("checked");
            t.last_error = Some(e.name().to_string());
            match e.handling() {
                ErrorHandling::Retriable => {
                    let group = matches!(
                        req,
                        TxnRequest::FindGroupCoordinator | TxnRequest::TxnOffsetCommit
                    );
                    if !group
                        && matches!(
                            e,
                            TxnError::NotCoordinator | TxnError::CoordinatorNotAvailable
                        )
                    {
                        t.coordinator = None;
                    }
                    self.txn_retry_later(now, cfg, out);
                    return;
                }
                ErrorHandling::Fatal => {
                    self.txn_fatal(e.name().to_string(), out);
                    return;
                }
                ErrorHandling::Abortable => {
                    if t.state.can_go_to(ClientTxnState::AbortableError) {
                        t.state = ClientTxnState::AbortableError;
                        t.ending = None;
                    }
                }
            }
        }
        self.txn_poll(now, cfg, out);
        self.try_send(now, cfg, out);
    }
}
