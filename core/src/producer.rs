//! A producer client (KafkaProducer's Sender, simplified to one record per batch): metadata,
//! `acks`, `max.in.flight.requests.per.connection`, retries with back-off, `request.timeout.ms`
//! and `delivery.timeout.ms` (R2.6, R5.3). A retry after a lost response writes a duplicate unless
//! the producer is idempotent.

use std::collections::VecDeque;

use crate::config::{Acks, ClusterConfig};
use crate::log::{ProducerFields, RecordId};
use crate::node::{Observation, Out, TimerKind};
use crate::producer_txn::TxnClient;
use crate::protocol::{ErrorCode, Message};
use crate::types::{BrokerId, Epoch, Millis, NodeId, Offset, TopicPartition};
use crate::vec_map::{VecMap, VecSet};

/// A record the application handed to `send()`, not yet acknowledged.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PendingRecord {
    /// The record's id.
    pub id: RecordId,
    /// The partition it goes to.
    pub tp: TopicPartition,
    /// The `acks` it is sent with.
    pub acks: Acks,
    /// When the application called `send()` (starts `delivery.timeout.ms`).
    pub created_at: Millis,
    /// How many times it was sent.
    pub attempts: u32,
    /// Not sent again before this time (retry backoff).
    pub not_before: Millis,
    /// Its sequence number (idempotent producer), or -1.
    pub sequence: i32,
}

/// A produce request waiting for its response.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InFlight {
    /// The record.
    pub record: PendingRecord,
    /// The broker the request went to.
    pub broker: BrokerId,
}

/// One producer client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Producer {
    /// The producer's index.
    pub id: u32,
    /// KIP-98 producer id (assigned without an InitProducerId round trip; simplified).
    pub producer_id: i64,
    /// Each partition's leader and leader epoch, as the producer last learned them.
    pub metadata: VecMap<TopicPartition, (Option<BrokerId>, Epoch)>,
    /// The record accumulator: one queue per partition, oldest first.
    pub queues: VecMap<TopicPartition, VecDeque<PendingRecord>>,
    /// Produce requests awaiting a response, by request id.
    pub in_flight: VecMap<u64, InFlight>,
    in_flight_per_broker: VecMap<BrokerId, usize>,
    pub(crate) next_request_id: u64,
    metadata_in_flight: Option<u64>,
    pub(crate) bootstrap_index: u32,
    sequences: VecMap<TopicPartition, i32>,
    /// Producer epoch per partition (0 until a KIP-360 bump after a sequence gap). Kafka's
    /// idempotent producer has one epoch for all partitions; one per partition is a
    /// simplification that only shows with several partitions.
    epochs: VecMap<TopicPartition, i16>,
    /// Highest sequence acknowledged per partition (TransactionManager#lastAckedSequence).
    last_acked_sequence: VecMap<TopicPartition, i32>,
    /// Partitions whose sequences can no longer continue (a gap): the epoch is bumped and the
    /// pending batches renumbered once nothing of the partition is in flight (KIP-360).
    bump_pending: VecSet<TopicPartition>,
    /// The metadata must be refreshed before trusting it again.
    stale: bool,
    /// Due time of the pending wake-up timer, if any.
    wake_timer: Option<Millis>,
    /// The transactional client, when `transactional.id` is set (R6; `producer_txn.rs`).
    pub txn: Option<TxnClient>,
    /// The error the last failed produce request got: a broker's error code, a lost connection
    /// or a request timeout (shown on the producer's card; see [`LastError`]).
    pub last_error: LastError,
}

/// The last error a produce request of this producer got, and when: what the user is shown
/// (Kafka's client logs it, and its `record-error-rate` metric counts it). It changes nothing
/// the producer does, so it is left out of the state hash and the checker's fingerprint: two
/// states that differ only in it behave the same.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LastError(pub Option<(ErrorCode, Millis)>);

impl std::hash::Hash for LastError {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl Producer {
    /// A new producer with index `id` and initial metadata.
    pub fn new(id: u32, metadata: VecMap<TopicPartition, (Option<BrokerId>, Epoch)>) -> Self {
        Producer {
            id,
            producer_id: 1000 + id as i64,
            metadata,
            queues: VecMap::new(),
            in_flight: VecMap::new(),
            in_flight_per_broker: VecMap::new(),
            next_request_id: 0,
            metadata_in_flight: None,
            bootstrap_index: id,
            sequences: VecMap::new(),
            epochs: VecMap::new(),
            last_acked_sequence: VecMap::new(),
            bump_pending: VecSet::new(),
            stale: false,
            wake_timer: None,
            txn: None,
            last_error: LastError::default(),
        }
    }

    /// A producer of a run: transactional when the configuration sets `transactional.id`.
    pub fn for_run(
        id: u32,
        metadata: VecMap<TopicPartition, (Option<BrokerId>, Epoch)>,
        cfg: &ClusterConfig,
    ) -> Self {
        Producer::with_transactional_id(id, metadata, cfg.producer.transactional_id.clone())
    }

    /// A producer with this `transactional.id` (or none): a configured producer, or a pipeline
    /// instance's.
    pub fn with_transactional_id(
        id: u32,
        metadata: VecMap<TopicPartition, (Option<BrokerId>, Epoch)>,
        transactional_id: Option<String>,
    ) -> Self {
        let mut p = Producer::new(id, metadata);
        p.txn = transactional_id.map(TxnClient::new);
        p
    }

    /// Whether a produce request is waiting for its answer.
    pub fn has_in_flight(&self) -> bool {
        !self.in_flight.is_empty()
    }

    /// A new producer epoch: every partition's sequences start at 0 again (R5.2 step 3).
    pub(crate) fn reset_sequences(&mut self) {
        self.sequences.clear();
        self.epochs.clear();
        self.last_acked_sequence.clear();
        self.bump_pending.clear();
    }

    /// Records waiting to be sent, oldest first per partition.
    pub fn queued(&self) -> impl Iterator<Item = &PendingRecord> {
        self.queues.values().flatten()
    }

    /// The idempotent producer's numbering per partition it has sent to: the next sequence
    /// `send()` gives and the producer epoch (R5.2; TransactionManager's `nextSequence` and
    /// epoch). Empty for a producer that is not idempotent or has sent nothing.
    pub fn sequence_numbers(&self) -> impl Iterator<Item = (TopicPartition, i32, i16)> + '_ {
        self.sequences
            .iter()
            .map(|(tp, next)| (*tp, *next, self.epochs.get(tp).copied().unwrap_or(0)))
    }

    /// `send()`: queue a record for a partition.
    pub fn send(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        id: RecordId,
        tp: TopicPartition,
        acks: Acks,
        out: &mut Out,
    ) {
        let sequence = if cfg.enable_idempotence() {
            let s = self.sequences.entry(tp).or_insert(0);
            let seq = *s;
            *s = s.wrapping_add(1).max(0);
            seq
        } else {
            -1
        };
        self.queues.entry(tp).or_default().push_back(PendingRecord {
            id,
            tp,
            acks,
            created_at: now,
            attempts: 0,
            not_before: now,
            sequence,
        });
        self.try_send(now, cfg, out);
    }

    /// Sends whatever the in-flight limit and back-offs allow; fails what has expired.
    /// Records of one partition leave in order: a blocked record blocks the ones behind it.
    pub fn try_send(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        let max_in_flight = cfg.producer.max_in_flight_requests_per_connection as usize;
        let mut wake_at: Option<Millis> = None;
        let mut need_metadata = self.stale;
        let mut txn_failed = false;
        // Partitions waiting for an epoch bump: bumped now, or left alone in this pass while
        // what they have in flight resolves (KIP-360). A partition's bump touches only its own
        // queue and numbers, so doing them before the pass below is what doing each at its
        // turn would give.
        let mut waiting: Vec<TopicPartition> = Vec::new();
        if !self.bump_pending.is_empty() {
            let pending: Vec<TopicPartition> = self.bump_pending.iter().copied().collect();
            for tp in pending {
                if !self.queues.contains_key(&tp) {
                    continue;
                }
                if self.in_flight.values().any(|f| f.record.tp == tp) {
                    waiting.push(tp);
                } else {
                    self.bump_epoch(tp);
                }
            }
        }
        // One pass over the accumulator, each partition's queue borrowed once and the metadata
        // (ordered by partition too) walked alongside: this runs on every send and every answer.
        let mut metadata = self.metadata.iter().peekable();
        for (&tp, q) in self.queues.iter_mut() {
            if waiting.contains(&tp) {
                continue;
            }
            while metadata.next_if(|(k, _)| **k < tp).is_some() {}
            let leader = metadata
                .peek()
                .filter(|(k, _)| **k == tp)
                .and_then(|(_, m)| m.0);
            // R6.3: a transactional producer sends to a partition only once the coordinator
            // has added it to the transaction (`txn_poll` asks for it).
            let txn_ready = self.txn.as_ref().is_none_or(|t| t.added.contains(&tp));
            while let Some(front) = q.front() {
                let deadline = front.created_at + cfg.producer.delivery_timeout_ms;
                if now >= deadline {
                    let r = q.pop_front().expect("front exists");
                    if self.txn.is_some() {
                        // Inside a transaction: abortable, and the epoch is bumped after the
                        // abort (KIP-360), not here.
                        txn_failed = true;
                    } else if r.sequence >= 0 {
                        // Its sequence will never be written: the ones after it cannot follow.
                        self.bump_pending.insert(tp);
                    }
                    out.observe(Observation::Failed {
                        producer: self.id,
                        record: r.id,
                        error: ErrorCode::DeliveryTimeout,
                    });
                    continue;
                }
                if !txn_ready {
                    wake_at = Some(wake_at.map_or(deadline, |w: Millis| w.min(deadline)));
                    break;
                }
                let due = front.not_before.max(now);
                if due > now {
                    wake_at = Some(wake_at.map_or(due, |w: Millis| w.min(due)));
                    break;
                }
                let Some(broker) = leader else {
                    need_metadata = true;
                    wake_at = Some(wake_at.map_or(deadline, |w: Millis| w.min(deadline)));
                    break;
                };
                if self.in_flight_per_broker.get(&broker).copied().unwrap_or(0) >= max_in_flight {
                    wake_at = Some(wake_at.map_or(deadline, |w: Millis| w.min(deadline)));
                    break;
                }
                // Sender.java `guaranteeMessageOrder` (max.in.flight.requests.per.connection = 1):
                // a partition with a batch in flight is muted, whichever broker that batch went
                // to, so a retry cannot be overtaken after a leader change (ProducerConfig
                // MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_DOC: reordering needs a value > 1).
                if max_in_flight == 1 && self.in_flight.values().any(|f| f.record.tp == tp) {
                    wake_at = Some(wake_at.map_or(deadline, |w: Millis| w.min(deadline)));
                    break;
                }
                let mut r = q.pop_front().expect("front exists");
                r.attempts += 1;
                self.next_request_id += 1;
                let request_id = self.next_request_id;
                let producer = match &self.txn {
                    // The producer id and epoch the coordinator bound to the transactional id.
                    Some(t) => ProducerFields {
                        producer_id: t.producer_id,
                        producer_epoch: t.producer_epoch,
                        sequence: r.sequence,
                    },
                    None if cfg.enable_idempotence() => ProducerFields {
                        producer_id: self.producer_id,
                        producer_epoch: self.epochs.get(&r.tp).copied().unwrap_or(0),
                        sequence: r.sequence,
                    },
                    None => ProducerFields::NONE,
                };
                out.send(
                    NodeId::Broker(broker),
                    Message::Produce {
                        request_id,
                        tp: r.tp,
                        acks: r.acks,
                        timeout_ms: cfg.producer.request_timeout_ms,
                        record: r.id,
                        producer,
                        transactional: self.txn.is_some(),
                    },
                );
                out.observe(Observation::Sent {
                    producer: self.id,
                    record: r.id,
                    broker,
                    attempt: r.attempts,
                });
                if r.acks == Acks::None {
                    // acks=0: success is reported at once, with no offset (S5).
                    out.observe(Observation::Acked {
                        producer: self.id,
                        record: r.id,
                        tp: r.tp,
                        offset: None,
                        acks: r.acks,
                    });
                } else {
                    out.set_timer(
                        TimerKind::RequestTimeout(request_id),
                        now + cfg.producer.request_timeout_ms,
                    );
                    *self.in_flight_per_broker.entry(broker).or_insert(0) += 1;
                    self.in_flight
                        .insert(request_id, InFlight { record: r, broker });
                }
            }
        }
        self.queues.retain(|_, q| !q.is_empty());
        if need_metadata {
            self.request_metadata(now, cfg, out);
        }
        if txn_failed {
            self.txn_send_failed(ErrorCode::DeliveryTimeout, out);
        }
        self.txn_poll(now, cfg, out);
        // Touch the wake-up timer only when its due time changes (this runs on every send).
        let wake_at = wake_at.map(|at| at.max(now + 1));
        if wake_at != self.wake_timer {
            match wake_at {
                Some(at) => out.set_timer(TimerKind::ProducerWakeup, at),
                None => out.cancel_timer(TimerKind::ProducerWakeup),
            }
            self.wake_timer = wake_at;
        }
    }

    /// R5.3 / KIP-360 (TransactionManager#bumpIdempotentEpochAndResetIdIfNeeded): the idempotent
    /// producer bumps its epoch and numbers the partition's pending batches from 0 again; the
    /// broker accepts a new epoch only from sequence 0 (R5.2 step 3).
    fn bump_epoch(&mut self, tp: TopicPartition) {
        self.bump_pending.remove(&tp);
        let epoch = self.epochs.entry(tp).or_insert(0);
        *epoch = epoch.wrapping_add(1).max(0);
        let q = self.queues.entry(tp).or_default();
        for (i, r) in q.iter_mut().enumerate() {
            r.sequence = i as i32;
        }
        self.sequences.insert(tp, q.len() as i32);
        self.last_acked_sequence.remove(&tp);
    }

    fn take_in_flight(&mut self, request_id: u64) -> Option<InFlight> {
        let f = self.in_flight.remove(&request_id)?;
        if let Some(n) = self.in_flight_per_broker.get_mut(&f.broker) {
            *n = n.saturating_sub(1);
        }
        Some(f)
    }

    fn request_metadata(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if self.metadata_in_flight.is_some() {
            return;
        }
        self.next_request_id += 1;
        let request_id = self.next_request_id;
        self.metadata_in_flight = Some(request_id);
        self.bootstrap_index = self.bootstrap_index % cfg.brokers + 1;
        out.send(
            NodeId::Broker(self.bootstrap_index),
            Message::MetadataRequest { request_id },
        );
        out.set_timer(
            TimerKind::MetadataRetry,
            now + cfg.producer.request_timeout_ms.min(5_000),
        );
    }

    /// Handles a timer that fired on this producer.
    pub fn handle_timer(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        kind: TimerKind,
        out: &mut Out,
    ) {
        match kind {
            TimerKind::RequestTimeout(request_id) if self.is_txn_request(request_id) => {
                self.txn_request_lost(now, cfg, out)
            }
            TimerKind::TxnRetry => self.txn_retry_timer(now, cfg, out),
            TimerKind::RequestTimeout(request_id) => {
                // The client gives up on the request (the response may still arrive and is ignored).
                self.stale = true;
                self.fail_request(now, cfg, request_id, ErrorCode::RequestTimedOut, out);
            }
            TimerKind::MetadataRetry => {
                self.metadata_in_flight = None;
                if self.stale
                    || self
                        .queues
                        .keys()
                        .any(|tp| self.metadata.get(tp).is_none_or(|m| m.0.is_none()))
                {
                    self.request_metadata(now, cfg, out);
                }
            }
            TimerKind::ProducerWakeup => {
                self.wake_timer = None;
                self.try_send(now, cfg, out)
            }
            _ => {}
        }
    }

    /// A request failed with a retriable error: retry after `retry.backoff.ms`, or give up.
    fn fail_request(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        request_id: u64,
        error: ErrorCode,
        out: &mut Out,
    ) {
        let Some(f) = self.take_in_flight(request_id) else {
            return;
        };
        out.cancel_timer(TimerKind::RequestTimeout(request_id));
        // The error the request got, also when the record now expires (DELIVERY_TIMEOUT is the
        // client giving up, not an answer: the card keeps the cause).
        self.last_error = LastError(Some((error, now)));
        let mut r = f.record;
        let expired = now.saturating_sub(r.created_at) >= cfg.producer.delivery_timeout_ms;
        if expired || r.attempts > cfg.producer.retries {
            let error = if expired {
                ErrorCode::DeliveryTimeout
            } else {
                error
            };
            if self.txn.is_some() {
                // Inside a transaction a failed send makes the transaction abortable (R6).
                self.txn_send_failed(error, out);
            } else if r.sequence >= 0 {
                // The batch may or may not have been written: its sequence is unresolved, the
                // producer continues in a new epoch (KIP-360).
                self.bump_pending.insert(r.tp);
            }
            out.observe(Observation::Failed {
                producer: self.id,
                record: r.id,
                error,
            });
        } else {
            out.observe(Observation::ProduceError {
                producer: self.id,
                record: r.id,
                error,
            });
            r.not_before = now + cfg.producer.retry_backoff_ms;
            let q = self.queues.entry(r.tp).or_default();
            if r.sequence >= 0 {
                // RecordAccumulator#insertInSequenceOrder: an idempotent batch goes back in
                // sequence order, so retries of several failed batches keep their order (R5.4).
                let i = q
                    .iter()
                    .position(|x| x.sequence > r.sequence)
                    .unwrap_or(q.len());
                q.insert(i, r);
            } else {
                // Retried batches go back to the front of their partition's queue
                // (RecordAccumulator#reenqueue: with several failed, their order reverses).
                q.push_front(r);
            }
        }
        self.try_send(now, cfg, out);
    }

    /// Handles a message delivered to this producer.
    pub fn handle_message(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        from: NodeId,
        msg: Message,
        out: &mut Out,
    ) {
        match msg {
            Message::ProduceResponse {
                request_id,
                tp,
                result,
            } => match result {
                Ok(offset) => {
                    self.acked(request_id, tp, offset, out);
                    self.try_send(now, cfg, out);
                }
                Err(ErrorCode::InvalidProducerEpoch) if self.txn.is_some() => {
                    // A newer instance owns the transactional id: fatal (ProducerFencedException).
                    if let Some(f) = self.take_in_flight(request_id) {
                        out.cancel_timer(TimerKind::RequestTimeout(request_id));
                        out.observe(Observation::Failed {
                            producer: self.id,
                            record: f.record.id,
                            error: ErrorCode::InvalidProducerEpoch,
                        });
                    }
                    self.txn_fatal(ErrorCode::InvalidProducerEpoch.name().to_string(), out);
                }
                Err(e) => {
                    if matches!(
                        e,
                        ErrorCode::NotLeaderOrFollower
                            | ErrorCode::FencedLeaderEpoch
                            | ErrorCode::UnknownLeaderEpoch
                    ) {
                        self.stale = true;
                    }
                    // R5.3 (Sender#canRetry / TransactionManager#isNextSequence): out of order
                    // for the batch right after the last acknowledged one is a real gap — no
                    // earlier batch is coming — so the epoch must be bumped; otherwise an earlier
                    // batch is still on its way and a plain retry will do.
                    let sequence = self.in_flight.get(&request_id).map(|f| f.record.sequence);
                    if let (ErrorCode::OutOfOrderSequenceNumber, Some(seq)) = (e, sequence) {
                        let last = self.last_acked_sequence.get(&tp).copied().unwrap_or(-1);
                        if seq >= 0 && seq == last.wrapping_add(1) {
                            self.bump_pending.insert(tp);
                        }
                    }
                    self.fail_request(now, cfg, request_id, e, out);
                }
            },
            Message::MetadataResponse {
                request_id,
                partitions,
            } => {
                if self.metadata_in_flight != Some(request_id) {
                    return;
                }
                self.metadata_in_flight = None;
                out.cancel_timer(TimerKind::MetadataRetry);
                let mut missing = false;
                for (tp, leader, epoch) in partitions {
                    let known = self.metadata.get(&tp).map_or(-1, |m| m.1);
                    if epoch >= known {
                        self.metadata.insert(tp, (leader, epoch));
                    }
                    missing |= leader.is_none();
                }
                self.stale = false;
                if missing {
                    out.set_timer(
                        TimerKind::MetadataRetry,
                        now + cfg.producer.retry_backoff_ms.max(100),
                    );
                    self.metadata_in_flight = Some(u64::MAX);
                }
                self.try_send(now, cfg, out);
            }
            Message::ConnectionClosed { .. } => {
                // NetworkClient#processDisconnection: every request in flight on the connection
                // fails (retriable NETWORK_EXCEPTION) and a metadata refresh is requested (S5).
                let NodeId::Broker(b) = from else { return };
                self.stale = true;
                let ids: Vec<u64> = self
                    .in_flight
                    .iter()
                    .filter(|(_, f)| f.broker == b)
                    .map(|(id, _)| *id)
                    .collect();
                for id in ids {
                    self.fail_request(now, cfg, id, ErrorCode::NetworkException, out);
                }
                self.request_metadata(now, cfg, out);
            }
            Message::FindCoordinatorResponse { .. }
            | Message::InitProducerIdResponse { .. }
            | Message::AddPartitionsToTxnResponse { .. }
            | Message::TxnOffsetCommitResponse { .. }
            | Message::EndTxnResponse { .. } => self.handle_txn_response(now, cfg, msg, out),
            Message::ConnectionRefused { original } => match *original {
                Message::FindCoordinator { request_id, .. }
                | Message::InitProducerId { request_id, .. }
                | Message::AddPartitionsToTxn { request_id, .. }
                | Message::TxnOffsetCommit { request_id, .. }
                | Message::EndTxn { request_id, .. }
                    if self.is_txn_request(request_id) =>
                {
                    self.txn_request_lost(now, cfg, out)
                }
                Message::Produce { request_id, .. } => {
                    self.stale = true;
                    self.fail_request(now, cfg, request_id, ErrorCode::NetworkException, out);
                    // NetworkClient: a failed connection requests a metadata update at once —
                    // also for acks=0, which has no request in flight to retry (S5).
                    self.request_metadata(now, cfg, out);
                }
                Message::MetadataRequest { request_id }
                    if self.metadata_in_flight == Some(request_id) =>
                {
                    self.metadata_in_flight = None;
                    out.cancel_timer(TimerKind::MetadataRetry);
                    let _ = from;
                    self.request_metadata(now, cfg, out);
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn acked(&mut self, request_id: u64, tp: TopicPartition, offset: Offset, out: &mut Out) {
        let Some(f) = self.take_in_flight(request_id) else {
            return;
        };
        out.cancel_timer(TimerKind::RequestTimeout(request_id));
        if f.record.sequence >= 0 {
            let last = self.last_acked_sequence.entry(tp).or_insert(-1);
            *last = (*last).max(f.record.sequence);
        }
        out.observe(Observation::Acked {
            producer: self.id,
            record: f.record.id,
            tp,
            offset: Some(offset),
            acks: f.record.acks,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Effect;

    const TP: TopicPartition = TopicPartition {
        topic: 0,
        partition: 0,
    };

    fn metadata_requests(out: &Out) -> usize {
        out.effects
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    Effect::Send {
                        msg: Message::MetadataRequest { .. },
                        ..
                    }
                )
            })
            .count()
    }

    #[test]
    fn acks0_errors_refresh_the_metadata_at_once() {
        // S5: an acks=0 produce has no response; a broker-side error closes the connection
        // (KafkaApis#handleProduceRequest) and a dead broker refuses it. Either way the client
        // requests new metadata (NetworkClient#processDisconnection) — before its next send.
        let cfg = ClusterConfig::default();
        for reply in [
            Message::ConnectionClosed {
                error: ErrorCode::NotLeaderOrFollower,
            },
            Message::ConnectionRefused {
                original: Box::new(Message::Produce {
                    request_id: 1,
                    tp: TP,
                    acks: Acks::None,
                    timeout_ms: 30_000,
                    record: 0,
                    producer: ProducerFields::NONE,
                    transactional: false,
                }),
            },
        ] {
            let mut p = Producer::new(1, VecMap::from([(TP, (Some(1), 0))]));
            let mut out = Out::default();
            p.send(0, &cfg, 0, TP, Acks::None, &mut out);
            assert_eq!(metadata_requests(&out), 0);
            let mut out = Out::default();
            p.handle_message(20, &cfg, NodeId::Broker(1), reply, &mut out);
            assert_eq!(metadata_requests(&out), 1);
        }
    }

    fn produces_sent(out: &Out) -> Vec<BrokerId> {
        out.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send {
                    to: NodeId::Broker(b),
                    msg: Message::Produce { .. },
                } => Some(*b),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn one_in_flight_mutes_the_partition_across_a_leader_change() {
        // Sender.java guaranteeMessageOrder: with max.in.flight.requests.per.connection = 1 the
        // next batch of a partition waits for the one in flight, even when the new leader is
        // another broker with a free connection; with 5 it may overtake (R5.3 reordering).
        for (max_in_flight, expected) in [(1, vec![]), (5, vec![2])] {
            let mut cfg = ClusterConfig::default();
            cfg.producer.max_in_flight_requests_per_connection = max_in_flight;
            let mut p = Producer::new(1, VecMap::from([(TP, (Some(1), 0))]));
            let mut out = Out::default();
            p.send(0, &cfg, 0, TP, Acks::All, &mut out);
            assert_eq!(produces_sent(&out), vec![1]);
            p.metadata.insert(TP, (Some(2), 1)); // the leader moved; the first is still in flight
            let mut out = Out::default();
            p.send(10, &cfg, 1, TP, Acks::All, &mut out);
            assert_eq!(
                produces_sent(&out),
                expected,
                "max.in.flight {max_in_flight}"
            );
        }
    }

    #[test]
    fn a_real_sequence_gap_bumps_the_epoch() {
        // R5.3 / KIP-360: OUT_OF_ORDER_SEQUENCE_NUMBER for the batch right after the last
        // acknowledged one (here: the first) is a real gap: once nothing is in flight, bump the
        // epoch and number the pending batches from 0 again.
        let mut cfg = ClusterConfig::default();
        cfg.producer.enable_idempotence = Some(true);
        cfg.producer.max_in_flight_requests_per_connection = 1;
        let mut p = Producer::new(1, VecMap::from([(TP, (Some(1), 0))]));
        p.send(0, &cfg, 0, TP, Acks::All, &mut Out::default()); // seq 0, in flight
        p.send(0, &cfg, 1, TP, Acks::All, &mut Out::default()); // seq 1, queued
        let request_id = *p.in_flight.keys().next().unwrap();
        let answer = Message::ProduceResponse {
            request_id,
            tp: TP,
            result: Err(ErrorCode::OutOfOrderSequenceNumber),
        };
        p.handle_message(10, &cfg, NodeId::Broker(1), answer, &mut Out::default());
        assert_eq!(p.epochs.get(&TP), Some(&1), "epoch bumped");
        let seqs: Vec<i32> = p.queued().map(|r| r.sequence).collect();
        assert_eq!(seqs, vec![0, 1], "sequences from 0 again, in order");

        // A batch given up on (delivery timeout) leaves a gap behind it: the same bump.
        let mut p = Producer::new(1, VecMap::from([(TP, (Some(1), 0))]));
        p.send(0, &cfg, 0, TP, Acks::All, &mut Out::default()); // seq 0, in flight
        p.send(1, &cfg, 1, TP, Acks::All, &mut Out::default()); // seq 1, queued
        let request_id = *p.in_flight.keys().next().unwrap();
        let late = cfg.producer.delivery_timeout_ms;
        let kind = TimerKind::RequestTimeout(request_id);
        p.handle_timer(late, &cfg, kind, &mut Out::default());
        assert_eq!(p.epochs.get(&TP), Some(&1));
        assert!(p
            .in_flight
            .values()
            .all(|f| f.record.sequence == 0 && f.record.id == 1));
    }
}
