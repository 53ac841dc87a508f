//! A broker's transaction side (R6.2–R6.5): the transaction coordinator it hosts while it leads
//! `__transaction_state` ([`TxnHost`]), and the partition leader's WriteTxnMarkers. The models
//! are pure (`txn::coordinator`, `txn::log_record`); this file moves their outcomes through the
//! log and the network.

use crate::broker::Broker;
use crate::config::ClusterConfig;
use crate::node::{Observation, Out, TimerKind};
use crate::partition::{DelayedProduce, DelayedReply, RoleChange};
use crate::protocol::{ErrorCode, Message};
use crate::txn::coordinator::{Outcome, TxnCoordinator, WriteTxnMarker};
use crate::txn::host::{Reply, Waiting, ABORT_TIMED_OUT_INTERVAL_MS, MARKER_RETRY_MS};
use crate::txn::log_record::{self, txn_state_tp, TXN_PRODUCER_ID};
use crate::txn::state::TxnMetadata;
use crate::txn::TxnError;
use crate::types::{Millis, NodeId, Offset};

/// How long a marker waits for its partition's ISR (the marker channel's request timeout:
/// `request.timeout.ms`, 30000).
const MARKER_TIMEOUT_MS: Millis = 30_000;

impl Broker {
    /// The transaction RPCs and markers; other messages are not this file's.
    pub(crate) fn handle_txn_message(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        from: NodeId,
        msg: Message,
        out: &mut Out,
    ) {
        let active = self.txn.active;
        match msg {
            Message::InitProducerId {
                request_id,
                transactional_id,
                timeout_ms,
            } => {
                let resp = |result| Message::InitProducerIdResponse { request_id, result };
                self.coordinator_request(now, cfg, from, &transactional_id, resp, out, |c| {
                    c.init_producer_id(&transactional_id, timeout_ms, TXN_PRODUCER_ID)
                });
            }
            Message::AddPartitionsToTxn {
                request_id,
                transactional_id,
                producer_id,
                producer_epoch,
                partitions,
            } => {
                let resp = |result| Message::AddPartitionsToTxnResponse { request_id, result };
                self.coordinator_request(now, cfg, from, &transactional_id, resp, out, |c| {
                    c.add_partitions(
                        &transactional_id,
                        producer_id,
                        producer_epoch,
                        &partitions,
                        now,
                    )
                });
            }
            Message::EndTxn {
                request_id,
                transactional_id,
                producer_id,
                producer_epoch,
                result,
            } => {
                // R6.4 / S33: answered once Prepare* is committed, before any marker lands.
                let resp = |result| Message::EndTxnResponse { request_id, result };
                self.coordinator_request(now, cfg, from, &transactional_id, resp, out, |c| {
                    c.end_txn(&transactional_id, producer_id, producer_epoch, result)
                });
            }
            Message::WriteTxnMarkers { request_id, marker } => {
                self.write_marker(now, cfg, from, request_id, marker, out)
            }
            Message::WriteTxnMarkersResponse {
                request_id,
                tp,
                result,
            } => {
                let Some((m, _)) = self.txn.markers_in_flight.remove(&request_id) else {
                    return;
                };
                if !active {
                    return;
                }
                match result {
                    Ok(()) => {
                        let done = self.txn.coordinator.marker_written(&m.transactional_id, tp);
                        if let Some(meta) = done {
                            out.observe(Observation::TxnNote {
                                node: NodeId::Broker(self.id),
                                text: format!(
                                    "{}: every marker written, {}",
                                    meta.transactional_id,
                                    meta.state.name()
                                ),
                            });
                            // A failed write leaves Prepare* in the log: a new coordinator
                            // finishes the markers again (R6.4, S33).
                            let _ = self.write_txn_records(now, cfg, None, &meta, out);
                        }
                    }
                    // The partition has seen a newer coordinator or producer epoch: this marker
                    // is obsolete (TransactionMarkerRequestCompletionHandler gives up on it).
                    Err(
                        ErrorCode::TransactionCoordinatorFenced | ErrorCode::InvalidProducerEpoch,
                    ) => {}
                    Err(_) => {
                        self.txn.markers_to_send.push(m);
                        self.schedule_marker_retry(now, out);
                    }
                }
            }
            Message::ConnectionRefused { original } => {
                if let Message::WriteTxnMarkers { request_id, .. } = *original {
                    if let Some((m, _)) = self.txn.markers_in_flight.remove(&request_id) {
                        if active {
                            self.txn.markers_to_send.push(m);
                            self.schedule_marker_retry(now, out);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// WriteTxnMarkers on the partition leader: append the marker, answer once it is replicated.
    fn write_marker(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        from: NodeId,
        request_id: u64,
        marker: WriteTxnMarker,
        out: &mut Out,
    ) {
        let tp = marker.tp;
        let ctx = self.ctx(now, cfg);
        let result = match self.partitions.get_mut(&tp) {
            None => Err(ErrorCode::NotLeaderOrFollower),
            Some(p) => p.append_marker(&ctx, &marker, out),
        };
        match result {
            Err(e) => out.send(
                from,
                Message::WriteTxnMarkersResponse {
                    request_id,
                    tp,
                    result: Err(e),
                },
            ),
            Ok(offset) => {
                let p = self.partitions.get_mut(&tp).expect("appended above");
                let d = DelayedProduce {
                    request_id,
                    client: from,
                    offset,
                    reply: DelayedReply::TxnMarker,
                };
                p.add_delayed_produce(&ctx, d, MARKER_TIMEOUT_MS, out);
                self.on_leader_append(now, cfg, tp, out);
            }
        }
    }

    /// A request to the coordinator: NOT_COORDINATOR unless this broker is it; else the model's
    /// outcome is logged and its reply and markers held until the records commit. A failed
    /// append undoes the change and answers COORDINATOR_NOT_AVAILABLE.
    #[allow(clippy::too_many_arguments)]
    fn coordinator_request<T>(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        from: NodeId,
        tid: &str,
        resp: impl Fn(Result<T, TxnError>) -> Message,
        out: &mut Out,
        call: impl FnOnce(&mut TxnCoordinator) -> Outcome<T>,
    ) {
        if !self.txn.active {
            out.send(from, resp(Err(TxnError::NotCoordinator)));
            return;
        }
        let old = self.txn.coordinator.get(tid).cloned();
        let o = call(&mut self.txn.coordinator);
        let reply = Reply {
            to: from,
            ok: resp(o.reply),
            not_coordinator: resp(Err(TxnError::NotCoordinator)),
        };
        let Some(new) = o.log else {
            // Nothing to log (an error, or a repeated EndTxn): answer at once.
            out.send(reply.to, reply.ok);
            self.txn.markers_to_send.extend(o.markers);
            self.send_markers(now, out);
            return;
        };
        match self.write_txn_records(now, cfg, old.as_ref(), &new, out) {
            Ok(offset) => {
                if old.as_ref().map(|m| (m.state, m.producer_epoch))
                    != Some((new.state, new.producer_epoch))
                {
                    out.observe(Observation::TxnNote {
                        node: NodeId::Broker(self.id),
                        text: format!(
                            "{tid}: {} (producer id {}, epoch {})",
                            new.state.name(),
                            new.producer_id,
                            new.producer_epoch
                        ),
                    });
                }
                self.txn.waiting.push(Waiting {
                    offset,
                    reply: Some(reply),
                    markers: o.markers,
                });
            }
            Err(_) => {
                self.txn.coordinator.revert(tid, old);
                out.send(from, resp(Err(TxnError::CoordinatorNotAvailable)));
            }
        }
    }

    /// Appends the records of `new` (after `old`) to `__transaction_state`; the last offset.
    fn write_txn_records(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        old: Option<&TxnMetadata>,
        new: &TxnMetadata,
        out: &mut Out,
    ) -> Result<Offset, ErrorCode> {
        let ttp = txn_state_tp(cfg).ok_or(ErrorCode::NotLeaderOrFollower)?;
        let mut last = Err(ErrorCode::NotLeaderOrFollower);
        for id in log_record::records_for(cfg, old, new) {
            last = self.append_internal(now, cfg, ttp, id, out);
            last?;
        }
        last
    }

    /// After every handler call: replies and markers whose records are committed go out.
    pub(crate) fn txn_upkeep(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if !self.txn.active {
            return;
        }
        let Some(ttp) = txn_state_tp(cfg) else {
            return;
        };
        let hw = self
            .partitions
            .get(&ttp)
            .map_or(0, |p| p.log.high_watermark());
        let (ready, waiting): (Vec<Waiting>, Vec<Waiting>) = std::mem::take(&mut self.txn.waiting)
            .into_iter()
            .partition(|w| w.offset < hw);
        self.txn.waiting = waiting;
        for w in ready {
            if let Some(r) = w.reply {
                out.send(r.to, r.ok);
            }
            self.txn.markers_to_send.extend(w.markers);
        }
        self.send_markers(now, out);
    }

    /// Sends every marker whose partition has a known leader; the rest wait for a retry.
    fn send_markers(&mut self, now: Millis, out: &mut Out) {
        if self.txn.markers_to_send.is_empty() && self.txn.retry_at.is_some() {
            return;
        }
        let base = (self.id as u64) << 48 | 1 << 47 | self.incarnation << 32;
        let mut blocked = Vec::new();
        for m in std::mem::take(&mut self.txn.markers_to_send) {
            match self.metadata.get(&m.tp).and_then(|r| r.leader) {
                Some(leader) => {
                    let request_id = self.txn.next_request_id(base);
                    self.txn
                        .markers_in_flight
                        .insert(request_id, (m.clone(), now));
                    out.send(
                        NodeId::Broker(leader),
                        Message::WriteTxnMarkers {
                            request_id,
                            marker: m,
                        },
                    );
                }
                None => blocked.push(m),
            }
        }
        if !blocked.is_empty() {
            self.txn.markers_to_send = blocked;
            self.schedule_marker_retry(now, out);
        } else if let Some(at) = self.txn.expire_markers(now, MARKER_TIMEOUT_MS) {
            // An unanswered marker (a lost message) is sent again after the request timeout.
            self.schedule_marker_timer(at, out);
        }
    }

    fn schedule_marker_retry(&mut self, now: Millis, out: &mut Out) {
        self.schedule_marker_timer(now + MARKER_RETRY_MS, out);
    }

    fn schedule_marker_timer(&mut self, at: Millis, out: &mut Out) {
        if self.txn.retry_at.is_none_or(|t| at < t) {
            self.txn.retry_at = Some(at);
            out.set_timer(TimerKind::TxnMarkerRetry, at);
        }
    }

    /// The transaction timers: marker retries and the timed-out transaction sweep (R6.4).
    pub(crate) fn handle_txn_timer(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        kind: TimerKind,
        out: &mut Out,
    ) {
        match kind {
            TimerKind::TxnMarkerRetry => {
                self.txn.retry_at = None;
                if self.txn.active {
                    self.txn.expire_markers(now, MARKER_TIMEOUT_MS);
                    self.send_markers(now, out);
                }
            }
            TimerKind::TxnTimeoutCheck if self.txn.active => {
                // TransactionCoordinator#abortTimedOutTransactions: bump the epoch, abort. A
                // failed write (too few in-sync replicas) undoes the change; the next sweep
                // tries again.
                let before: Vec<TxnMetadata> = self.txn.coordinator.all().cloned().collect();
                for o in self.txn.coordinator.expire(now) {
                    let Some(new) = o.log else { continue };
                    let old = before
                        .iter()
                        .find(|m| m.transactional_id == new.transactional_id)
                        .cloned();
                    out.observe(Observation::TxnNote {
                        node: NodeId::Broker(self.id),
                        text: format!(
                            "{}: transaction.timeout.ms ({} ms) passed: aborting with epoch {}",
                            new.transactional_id, new.timeout_ms, new.producer_epoch
                        ),
                    });
                    match self.write_txn_records(now, cfg, None, &new, out) {
                        Ok(offset) => self.txn.waiting.push(Waiting {
                            offset,
                            reply: None,
                            markers: o.markers,
                        }),
                        Err(_) => self.txn.coordinator.revert(&new.transactional_id, old),
                    }
                }
                out.set_timer(
                    TimerKind::TxnTimeoutCheck,
                    now + ABORT_TIMED_OUT_INTERVAL_MS,
                );
            }
            _ => {}
        }
    }

    /// This broker became leader or follower of `__transaction_state`: load the coordinator
    /// from the log, finishing Prepare* transactions with the new coordinator epoch (R6.2,
    /// TransactionStateManager#loadTransactionsForTxnTopicPartition), or step down.
    pub(crate) fn txn_role_change(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        change: &RoleChange,
        out: &mut Out,
    ) {
        let Some(ttp) = txn_state_tp(cfg) else {
            return;
        };
        match change {
            RoleChange::BecameLeader => {
                let Some(p) = self.partitions.get(&ttp) else {
                    return;
                };
                let loaded: Vec<TxnMetadata> =
                    log_record::load(cfg, p.log.records()).into_iter().collect();
                let (coordinator, markers) = TxnCoordinator::load(p.leader_epoch, &loaded);
                self.txn.coordinator = coordinator;
                self.txn.active = true;
                self.txn.waiting.clear();
                self.txn.markers_in_flight.clear();
                self.txn.markers_to_send = markers;
                let tid = cfg.transactional_id().unwrap_or_default();
                let state = loaded
                    .first()
                    .map_or("no state yet".to_string(), |m| m.state.name().to_string());
                out.observe(Observation::TxnNote {
                    node: NodeId::Broker(self.id),
                    text: format!(
                        "b{} is the transaction coordinator of {tid} (leads __transaction_state, coordinator epoch {}; {state})",
                        self.id, p.leader_epoch
                    ),
                });
                out.set_timer(
                    TimerKind::TxnTimeoutCheck,
                    now + ABORT_TIMED_OUT_INTERVAL_MS,
                );
                self.send_markers(now, out);
            }
            RoleChange::BecameFollower { .. } if self.txn.active => self.txn_step_down(out),
            _ => {}
        }
    }

    /// No longer the coordinator: waiting requests get NOT_COORDINATOR, markers are dropped (the
    /// new coordinator resends them).
    pub(crate) fn txn_step_down(&mut self, out: &mut Out) {
        self.txn.active = false;
        for w in std::mem::take(&mut self.txn.waiting) {
            if let Some(r) = w.reply {
                out.send(r.to, r.not_coordinator);
            }
        }
        self.txn.markers_in_flight.clear();
        self.txn.markers_to_send.clear();
        out.cancel_timer(TimerKind::TxnTimeoutCheck);
    }
}
